"""Meeting events: everything that happens in a meeting, as immutable records.

The state of a meeting is a fold over its events (see state.py), so a session can be replayed,
undone and audited. Each event serialises to `{"type": ..., "at": ..., "data": {...}}`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Literal, Union

Outcome = Literal["resolved", "parked", "unresolved", "open"]
OUTCOMES: tuple[str, ...] = ("resolved", "parked", "unresolved")  # "open" reopens a settled objection
ClosingResult = Literal["success", "failed"]
MeetingOutcome = Literal["won", "lost", "next_meeting", "no_decision"]
MEETING_OUTCOMES: tuple[str, ...] = ("won", "lost", "next_meeting", "no_decision")


@dataclass(frozen=True)
class MeetingStarted:
    type: ClassVar[str] = "meeting_started"
    prospect: str
    company: str = ""
    playbook: str = ""  # the spec it was loaded from: "builtin", "builtin:NAME" or an absolute path
    kind: str = "meeting"
    playbook_hash: str = ""  # Playbook.digest: tells whether the playbook's files changed since
    planned_minutes: int = 0  # the meeting's planned length, 0 when none was given
    meeting_type: str = ""  # an id of the playbook's meeting_types; "" is the sales meeting


@dataclass(frozen=True)
class ProspectUpdated:
    type: ClassVar[str] = "prospect_updated"
    prospect: str
    company: str = ""


@dataclass(frozen=True)
class NoteAdded:
    type: ClassVar[str] = "note_added"
    text: str


@dataclass(frozen=True)
class StageChanged:
    type: ClassVar[str] = "stage_changed"
    stage: str


@dataclass(frozen=True)
class QuestionAnswered:
    type: ClassVar[str] = "question_answered"
    question: str
    value: str | float


@dataclass(frozen=True)
class AnswerCleared:
    type: ClassVar[str] = "answer_cleared"
    question: str


@dataclass(frozen=True)
class ObjectionRaised:
    """The customer objected: what the rep typed and the category it was recorded as."""

    type: ClassVar[str] = "objection_raised"
    number: int
    text: str
    objection: str
    score: float = 0.0
    carried_from: str = ""  # "SESSION#N": brought over, still open, from an earlier meeting with the account


@dataclass(frozen=True)
class ObjectionClassified:
    """The rep named the situation behind an objection (e.g. a price objection from a real budget limit)."""

    type: ClassVar[str] = "objection_classified"
    number: int
    situation: str


@dataclass(frozen=True)
class ResponseUsed:
    type: ClassVar[str] = "response_used"
    number: int
    response: str


@dataclass(frozen=True)
class ObjectionSettled:
    type: ClassVar[str] = "objection_settled"
    number: int
    outcome: Outcome


@dataclass(frozen=True)
class SignalObserved:
    type: ClassVar[str] = "signal_observed"
    signal: str
    present: bool = True


@dataclass(frozen=True)
class ClosingAttempted:
    type: ClassVar[str] = "closing_attempted"
    closing: str
    result: ClosingResult


@dataclass(frozen=True)
class ActionAdded:
    type: ClassVar[str] = "action_added"
    number: int
    text: str
    owner: str = ""
    due: str = ""
    carried_from: str = ""  # "SESSION#N": an earlier meeting's action, not done yet, brought over


@dataclass(frozen=True)
class ActionRemoved:
    type: ClassVar[str] = "action_removed"
    number: int


@dataclass(frozen=True)
class ActionDone:
    """An action-plan item ticked (or unticked)."""

    type: ClassVar[str] = "action_done"
    number: int
    done: bool = True


@dataclass(frozen=True)
class ObjectiveSet:
    """One of the meeting's objectives, set while preparing it (or during it)."""

    type: ClassVar[str] = "objective_set"
    number: int
    text: str


@dataclass(frozen=True)
class ObjectiveMet:
    """An objective checked off (or unchecked)."""

    type: ClassVar[str] = "objective_met"
    number: int
    met: bool = True


@dataclass(frozen=True)
class OutcomeRecorded:
    """How the meeting ended for the deal: won, lost, a next meeting agreed, or no decision."""

    type: ClassVar[str] = "outcome_recorded"
    outcome: MeetingOutcome
    note: str = ""


@dataclass(frozen=True)
class MeetingEnded:
    type: ClassVar[str] = "meeting_ended"
    outcome: str = ""  # free text from before outcomes were events; see OutcomeRecorded


@dataclass(frozen=True)
class TurnTaken:
    """One line of a role-play: who spoke, what they said, and what kind of move it was."""

    type: ClassVar[str] = "turn_taken"
    speaker: str
    text: str
    kind: str = "talk"


@dataclass(frozen=True)
class ScorecardRecorded:
    """The end of a role-play: its scenario, total and every scored line (as plain data)."""

    type: ClassVar[str] = "scorecard_recorded"
    scenario: str
    total: float
    outcome: str
    lines: tuple[dict, ...] = ()


@dataclass(frozen=True)
class SpeakerMarked:
    """The rep said who a transcript's speaker is (key b: "this speaker is the customer")."""

    type: ClassVar[str] = "speaker_marked"
    speaker: str
    role: Literal["customer", "rep"] = "customer"


@dataclass(frozen=True)
class QuestionAsked:
    """The rep asked a qualification question aloud (heard in the transcript); the answer is still to come."""

    type: ClassVar[str] = "question_asked"
    question: str
    text: str = ""


@dataclass(frozen=True)
class CardDismissed:
    """The rep dismissed an objection card raised from the transcript: what the customer said was
    not that objection. `playbook learn` reads these as "not an objection" candidates: `text` with
    the `objection` the matcher took it for, its `score`, and the transcript line it came from."""

    type: ClassVar[str] = "card_dismissed"
    text: str
    objection: str
    score: float = 0.0
    line: str = ""


@dataclass(frozen=True)
class Undone:
    """Takes back an earlier event (by its sequence number) without erasing it from the log."""

    type: ClassVar[str] = "undone"
    seq: int


Event = Union[
    MeetingStarted, ProspectUpdated, NoteAdded, StageChanged, QuestionAnswered, AnswerCleared, ObjectionRaised,
    ObjectionClassified, ResponseUsed, ObjectionSettled, SignalObserved, ClosingAttempted, ActionAdded,
    ActionRemoved, ActionDone, ObjectiveSet, ObjectiveMet, OutcomeRecorded, MeetingEnded, TurnTaken, ScorecardRecorded,
    SpeakerMarked, QuestionAsked, CardDismissed, Undone,
]
EVENT_TYPES: dict[str, type] = {cls.type: cls for cls in Event.__args__}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Recorded:
    """An event as stored: its place in the session's log and when it happened (epoch seconds)."""

    seq: int
    at: float
    event: Event


def event_to_json(event: Event) -> dict[str, Any]:
    return {"type": event.type, "data": asdict(event)}


def event_from_json(kind: str, data: dict[str, Any]) -> Event:
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown event type {kind!r}")
    known = {f.name for f in fields(cls)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
    return cls(**values)
