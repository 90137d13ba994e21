"""The state of a meeting, computed as a fold over its recorded events.

`fold(records)` is pure: the same events always give the same state. Undone events are
skipped, so undo is just another event and the log keeps the whole story.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from ..model.events import (
    ActionAdded,
    ActionDone,
    ActionRemoved,
    AnswerCleared,
    CardDismissed,
    ClosingAttempted,
    MeetingEnded,
    MeetingStarted,
    NoteAdded,
    ObjectionClassified,
    ObjectionRaised,
    ObjectionSettled,
    ObjectiveMet,
    ObjectiveSet,
    OutcomeRecorded,
    ProspectUpdated,
    QuestionAnswered,
    QuestionAsked,
    Recorded,
    ResponseUsed,
    SignalObserved,
    SpeakerMarked,
    StageChanged,
    Undone,
)

OPEN = "open"


@dataclass(frozen=True)
class RaisedObjection:
    number: int
    text: str
    objection: str
    score: float
    at: float
    situation: str | None = None
    responses: tuple[str, ...] = ()
    outcome: str = OPEN  # open, resolved, parked or unresolved
    carried_from: str = ""  # "SESSION#N" when it was still open at an earlier meeting with the account
    stage: str | None = None  # the stage of the meeting when it was raised

    @property
    def unresolved(self) -> bool:
        return self.outcome in (OPEN, "unresolved")


@dataclass(frozen=True)
class ClosingTry:
    closing: str
    result: str
    at: float


@dataclass(frozen=True)
class Action:
    number: int
    text: str
    owner: str = ""
    due: str = ""  # an ISO date (YYYY-MM-DD); older sessions may hold the words as typed
    done: bool = False
    carried_from: str = ""  # "SESSION#N" when brought over from an earlier meeting with the account
    at: float = 0.0  # when it was first written down


@dataclass(frozen=True)
class Objective:
    """What the rep set out to achieve in this meeting, checked off as it is achieved."""

    number: int
    text: str
    met: bool = False


@dataclass(frozen=True)
class Note:
    text: str
    at: float


@dataclass(frozen=True)
class MeetingState:
    prospect: str = ""
    company: str = ""
    playbook: str = ""
    kind: str = "meeting"
    stage: str | None = None
    started_at: float | None = None
    ended_at: float | None = None
    outcome: str = ""  # won, lost, next_meeting, no_decision, or "" while none is recorded
    outcome_note: str = ""
    end_note: str = ""  # the free-text outcome of meetings ended before outcomes were events
    playbook_hash: str = ""
    planned_minutes: int = 0
    meeting_type: str = ""  # "" is the sales meeting
    answers: dict[str, str | float] = field(default_factory=dict)
    objections: tuple[RaisedObjection, ...] = ()
    signals: frozenset[str] = frozenset()
    closings: tuple[ClosingTry, ...] = ()
    actions: tuple[Action, ...] = ()
    objectives: tuple[Objective, ...] = ()
    notes: tuple[Note, ...] = ()
    speakers: dict[str, str] = field(default_factory=dict)  # transcript speaker label -> customer or rep
    asked: frozenset[str] = frozenset()  # questions heard asked in the transcript, answered or not
    dismissed: int = 0  # objection cards the rep dismissed
    last_seq: int = 0

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    def objection(self, number: int) -> RaisedObjection | None:
        return next((o for o in self.objections if o.number == number), None)

    def open_objections(self) -> list[RaisedObjection]:
        return [o for o in self.objections if o.unresolved]

    def next_objection_number(self) -> int:
        return max((o.number for o in self.objections), default=0) + 1

    def next_action_number(self) -> int:
        return max((a.number for a in self.actions), default=0) + 1

    def next_objective_number(self) -> int:
        return max((o.number for o in self.objectives), default=0) + 1


def _update_objection(state: MeetingState, number: int, **changes: object) -> MeetingState:
    return replace(
        state, objections=tuple(replace(o, **changes) if o.number == number else o for o in state.objections)
    )


def apply(state: MeetingState, record: Recorded, first_stage: str | None = None) -> MeetingState:
    """The state after one event. Events that refer to something unknown change nothing."""
    event, at = record.event, record.at
    state = replace(state, last_seq=record.seq)
    match event:
        case MeetingStarted():
            return replace(state, prospect=event.prospect, company=event.company, playbook=event.playbook,
                           kind=event.kind, started_at=at, stage=state.stage or first_stage,
                           playbook_hash=event.playbook_hash, planned_minutes=event.planned_minutes,
                           meeting_type=event.meeting_type)
        case ProspectUpdated():
            return replace(state, prospect=event.prospect, company=event.company)
        case NoteAdded():
            return replace(state, notes=state.notes + (Note(event.text, at),))
        case StageChanged():
            return replace(state, stage=event.stage)
        case QuestionAnswered():
            return replace(state, answers={**state.answers, event.question: event.value})
        case AnswerCleared():
            return replace(state, answers={k: v for k, v in state.answers.items() if k != event.question})
        case ObjectionRaised():
            raised = RaisedObjection(event.number, event.text, event.objection, event.score, at,
                                     carried_from=event.carried_from, stage=state.stage)
            return replace(state, objections=state.objections + (raised,))
        case ObjectionClassified():
            return _update_objection(state, event.number, situation=event.situation)
        case ResponseUsed():
            found = state.objection(event.number)
            if found is None:
                return state
            return _update_objection(state, event.number, responses=found.responses + (event.response,))
        case ObjectionSettled():
            return _update_objection(state, event.number, outcome=event.outcome)
        case SignalObserved():
            signals = state.signals | {event.signal} if event.present else state.signals - {event.signal}
            return replace(state, signals=frozenset(signals))
        case ClosingAttempted():
            return replace(state, closings=state.closings + (ClosingTry(event.closing, event.result, at),))
        case ActionAdded():
            # The same number again is an edit: the item keeps its place and its tick.
            old = next((a for a in state.actions if a.number == event.number), None)
            action = Action(event.number, event.text, event.owner, event.due, old.done if old else False,
                            event.carried_from or (old.carried_from if old else ""), old.at if old else at)
            if old is None:
                return replace(state, actions=state.actions + (action,))
            return replace(state, actions=tuple(action if a.number == event.number else a for a in state.actions))
        case ActionDone():
            return replace(state, actions=tuple(replace(a, done=event.done) if a.number == event.number else a
                                                for a in state.actions))
        case ActionRemoved():
            return replace(state, actions=tuple(a for a in state.actions if a.number != event.number))
        case ObjectiveSet():
            old = next((o for o in state.objectives if o.number == event.number), None)
            if old is None:
                return replace(state, objectives=state.objectives + (Objective(event.number, event.text),))
            return replace(state, objectives=tuple(replace(o, text=event.text) if o.number == event.number else o
                                                   for o in state.objectives))
        case ObjectiveMet():
            return replace(state, objectives=tuple(replace(o, met=event.met) if o.number == event.number else o
                                                   for o in state.objectives))
        case OutcomeRecorded():
            return replace(state, outcome=event.outcome, outcome_note=event.note)
        case MeetingEnded():
            return replace(state, ended_at=at, end_note=event.outcome)
        case SpeakerMarked():
            # One customer at a time is the common case; marking another keeps both.
            return replace(state, speakers={**state.speakers, event.speaker: event.role})
        case QuestionAsked():
            return replace(state, asked=state.asked | {event.question})
        case CardDismissed():
            return replace(state, dismissed=state.dismissed + 1)
    return state


def fold(records: Iterable[Recorded], first_stage: str | None = None) -> MeetingState:
    records = list(records)
    undone = {r.event.seq for r in records if isinstance(r.event, Undone)}
    state = MeetingState()
    for record in records:
        if isinstance(record.event, Undone) or record.seq in undone:
            state = replace(state, last_seq=record.seq)
            continue
        state = apply(state, record, first_stage)
    return state
