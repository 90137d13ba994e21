"""A meeting session: the engine object every front end drives.

Each intent (answer a question, record an objection, ...) is checked against the playbook,
saved to the store as an event, and only then applied to the in-memory state, so what the
rep sees has always been saved. Without a store the session lives in memory (for tests and
drills).
"""

from __future__ import annotations

import time
import uuid
from typing import Callable

from ..model.events import (
    OUTCOMES,
    ActionAdded,
    ActionRemoved,
    AnswerCleared,
    ClosingAttempted,
    Event,
    MeetingEnded,
    MeetingStarted,
    NoteAdded,
    ObjectionClassified,
    ObjectionRaised,
    ObjectionSettled,
    ProspectUpdated,
    QuestionAnswered,
    Recorded,
    ResponseUsed,
    SignalObserved,
    StageChanged,
    Undone,
)
from .guidance import ClosingReview, Guidance, closing_fit, closing_review, facts, guidance, next_questions, ranked_responses
from ..learning.evidence import Evidence, team_evidence
from ..learning.projection import project
from ..matching.matcher import Match, Matcher
from ..model import Closing, Playbook, Question, Response
from .qualification import Qualification, qualify
from .state import MeetingState, RaisedObjection, apply, fold
from ..store.identity import clean_name, current_rep
from ..store.projection import Projection
from ..store.sqlite import Store
from .summary import Summary, summarise
from .wording import Wording, fill

Clock = Callable[[], float]
MAX_TEXT = 5000


class SessionError(ValueError):
    """An intent the playbook or the state does not allow, in words for the rep."""


class MeetingSession:
    def __init__(self, playbook: Playbook, session_id: str, records: list[Recorded], store: Store | None = None,
                 clock: Clock = time.time, matcher: Matcher | None = None) -> None:
        self.playbook = playbook
        self.id = session_id
        self.store = store
        self.clock = clock
        self._matcher = matcher
        self._first_stage = playbook.stages[0].id if playbook.stages else None
        self._records = list(records)
        self._state = fold(self._records, self._first_stage)
        self._qualification: Qualification | None = None
        self._evidence: Evidence | None = None  # the team's record, read when an objection first needs it
        self._learned: Projection | None = None  # this session's rows in the learning tables, once written

    # -- life cycle ------------------------------------------------------------------------

    @classmethod
    def start(cls, playbook: Playbook, store: Store | None = None, prospect: str = "", company: str = "",
              kind: str = "meeting", clock: Clock = time.time, matcher: Matcher | None = None,
              rep: str | None = None) -> "MeetingSession":
        """A new meeting. `rep`: who holds it (default: $PLAYBOOK_REP or the config file, see identity.py)."""
        prospect, company = _clean(prospect) or "Prospect", _clean(company)
        rep = current_rep(strict=False) if rep is None else clean_name(rep)
        now = clock()
        session_id = store.create_session(playbook.id, kind, prospect, company, now, rep=rep) if store else uuid.uuid4().hex[:12]
        session = cls(playbook, session_id, [], store, clock, matcher)
        session._learned = Projection()  # a new session has no rows yet
        session.record(MeetingStarted(prospect, company, playbook.id, kind))
        return session

    @classmethod
    def resume(cls, playbook: Playbook, store: Store, session_id: str, clock: Clock = time.time,
               matcher: Matcher | None = None) -> "MeetingSession":
        full_id = store.resolve(session_id)
        return cls(playbook, full_id, store.events(full_id), store, clock, matcher)

    def replace_playbook(self, playbook: Playbook, matcher: Matcher | None = None) -> None:
        """Continue the meeting with a new version of the playbook (live reload). What was recorded
        stays; answers to questions the new version no longer has simply stop counting."""
        self.playbook = playbook
        self._matcher = matcher
        self._first_stage = playbook.stages[0].id if playbook.stages else None
        self._qualification = None

    @property
    def state(self) -> MeetingState:
        return self._state

    @property
    def records(self) -> tuple[Recorded, ...]:
        return tuple(self._records)

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher.from_playbook(self.playbook)
        return self._matcher

    def record(self, event: Event) -> MeetingState:
        """Save the event, then apply it. If saving fails, the state is unchanged and StoreError is raised."""
        seq = self._records[-1].seq + 1 if self._records else 1
        at = self.clock()
        recorded = Recorded(seq, at, event)
        if isinstance(event, Undone):
            state = fold([*self._records, recorded], self._first_stage)
        else:
            state = apply(self._state, recorded, self._first_stage)
        qualification = qualify(self.playbook, state.answers)
        learning = project(state, qualification.verdict) if self.store is not None else None
        if self.store is not None:
            self.store.append(
                self.id, seq, at, event,
                prospect=getattr(event, "prospect", None), company=getattr(event, "company", None),
                ended=isinstance(event, MeetingEnded), score=qualification.score, learning=learning, learned=self._learned,
            )
            self._learned = learning
        self._records.append(recorded)
        self._state = state
        self._qualification = qualification
        return state

    # -- intents ---------------------------------------------------------------------------

    def update_prospect(self, prospect: str, company: str = "") -> None:
        self.record(ProspectUpdated(_clean(prospect) or self.state.prospect, _clean(company)))

    def note(self, text: str) -> None:
        text = _clean(text)
        if not text:
            raise SessionError("the note is empty")
        self.record(NoteAdded(text))

    def set_stage(self, stage_id: str) -> None:
        if self.playbook.stage(stage_id) is None:
            raise SessionError(f"no stage '{stage_id}' in this playbook")
        if stage_id != self.state.stage:
            self.record(StageChanged(stage_id))

    def move_stage(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) stage; stays put at either end."""
        index = self.playbook.stage_index(self.state.stage or "") + step
        if 0 <= index < len(self.playbook.stages):
            self.set_stage(self.playbook.stages[index].id)

    def answer(self, question_id: str, value: str | float) -> None:
        question = self._question(question_id)
        self.record(QuestionAnswered(question.id, _checked_answer(question, value)))

    def clear_answer(self, question_id: str) -> None:
        if question_id in self.state.answers:
            self.record(AnswerCleared(question_id))

    def recognise(self, text: str, top: int = 3) -> list[Match]:
        """What the customer's words match, without recording anything (for live typing)."""
        return self.matcher.match(text, top=top)

    def raise_objection(self, text: str, objection: str | None = None) -> RaisedObjection:
        """Record an objection: the category given, or the matcher's best guess for the text."""
        text = _clean(text)
        if objection is None:
            found = self.matcher.match(text, top=1)
            if not found:
                raise SessionError("no objection recognised in that text; pick the category by hand")
            objection, score = found[0].objection, found[0].score
        else:
            if self.playbook.objection(objection) is None:
                raise SessionError(f"no objection category '{objection}' in this playbook")
            score = 100.0
        number = self.state.next_objection_number()
        self.record(ObjectionRaised(number, text, objection, score))
        return self._raised(number)

    def classify_objection(self, number: int, situation: str) -> None:
        raised = self._raised(number)
        objection = self.playbook.objection(raised.objection)
        if objection is None or situation not in {s.id for s in objection.situations}:
            raise SessionError(f"'{situation}' is not a situation of the {raised.objection} objection")
        self.record(ObjectionClassified(number, situation))

    def use_response(self, number: int, response_id: str) -> None:
        raised = self._raised(number)
        objection = self.playbook.objection(raised.objection)
        if objection is None or objection.response(response_id) is None:
            raise SessionError(f"'{response_id}' is not a response to the {raised.objection} objection")
        self.record(ResponseUsed(number, response_id))

    def settle_objection(self, number: int, outcome: str) -> None:
        self._raised(number)
        if outcome not in OUTCOMES:
            raise SessionError(f"an outcome is one of {', '.join(OUTCOMES)}")
        self.record(ObjectionSettled(number, outcome))  # type: ignore[arg-type]

    def observe_signal(self, signal_id: str, present: bool = True) -> None:
        if self.playbook.signal(signal_id) is None:
            raise SessionError(f"no buying signal '{signal_id}' in this playbook")
        if (signal_id in self.state.signals) != present:
            self.record(SignalObserved(signal_id, present))

    def attempt_close(self, closing_id: str, success: bool) -> None:
        if self.playbook.closing(closing_id) is None:
            raise SessionError(f"no closing method '{closing_id}' in this playbook")
        self.record(ClosingAttempted(closing_id, "success" if success else "failed"))

    def add_action(self, text: str, owner: str = "", due: str = "") -> int:
        text = _clean(text)
        if not text:
            raise SessionError("an action needs a description")
        number = self.state.next_action_number()
        self.record(ActionAdded(number, text, _clean(owner), _clean(due)))
        return number

    def remove_action(self, number: int) -> None:
        if not any(a.number == number for a in self.state.actions):
            raise SessionError(f"no action {number}")
        self.record(ActionRemoved(number))

    def end(self, outcome: str = "") -> None:
        if not self.state.ended:
            self.record(MeetingEnded(_clean(outcome)))

    def undo(self) -> Event | None:
        """Take back the latest event still in effect (never the start of the meeting)."""
        undone = {r.event.seq for r in self._records if isinstance(r.event, Undone)}
        for record in reversed(self._records):
            if isinstance(record.event, (Undone, MeetingStarted)) or record.seq in undone:
                continue
            self.record(Undone(record.seq))
            return record.event
        return None

    # -- guidance --------------------------------------------------------------------------

    def qualification(self) -> Qualification:
        if self._qualification is None:
            self._qualification = qualify(self.playbook, self.state.answers)
        return self._qualification

    def facts(self) -> dict[str, object]:
        return facts(self.playbook, self.state, self.clock(), self.qualification())

    def guidance(self) -> list[Guidance]:
        evidence = self.evidence() if self.state.open_objections() else None
        return guidance(self.playbook, self.state, self.clock(), self.qualification(), evidence)

    def evidence(self) -> Evidence | None:
        """The team's record with each response (other meetings in this store), or None when the
        playbook says `evidence: false` or nothing is stored. Read once, when first needed."""
        if self.store is None or not self.playbook.evidence:
            return None
        if self._evidence is None:
            self._evidence = team_evidence(self.store, self.id)
        return self._evidence

    def suggested_stage(self) -> str | None:
        """The next stage, once every question of the current stage is answered."""
        index = self.playbook.stage_index(self.state.stage or "")
        if not 0 <= index < len(self.playbook.stages) - 1:
            return None
        questions = [q for q in self.playbook.questions if q.stage == self.state.stage]
        if questions and all(q.id in self.state.answers for q in questions):
            return self.playbook.stages[index + 1].id
        return None

    def next_questions(self, limit: int = 3) -> list[Question]:
        return next_questions(self.playbook, self.state, limit)

    def responses(self, number: int) -> list[tuple[Response, str]]:
        return ranked_responses(self.playbook, self.state, self._raised(number), self.facts(), self.evidence(), self.clock())

    def closing_advice(self) -> list[tuple[Closing, int, tuple[str, ...]]]:
        return closing_fit(self.playbook, self.state, self.facts())

    def closing_review(self) -> list[ClosingReview]:
        """Every closing method: why it fits, and what holds it back now (a gate rule, an avoid_when)."""
        return closing_review(self.playbook, self.state, self.facts())

    def wording(self, text: str) -> Wording:
        """Any playbook text worded for this meeting: placeholders filled, or shown as blanks to fill."""
        return fill(text, self.playbook, self.state)

    def summary(self) -> Summary:
        return summarise(self.playbook, self.state, self.id)

    # -- helpers ---------------------------------------------------------------------------

    def _question(self, question_id: str) -> Question:
        question = self.playbook.question(question_id)
        if question is None:
            raise SessionError(f"no question '{question_id}' in this playbook")
        return question

    def _raised(self, number: int) -> RaisedObjection:
        raised = self.state.objection(number)
        if raised is None:
            raise SessionError(f"no objection {number} in this meeting")
        return raised


def _clean(text: str) -> str:
    return " ".join(str(text).split())[:MAX_TEXT]


def _checked_answer(question: Question, value: str | float) -> str | float:
    if question.type == "number":
        try:
            number = float(str(value).replace(",", ".").strip())
        except ValueError:
            raise SessionError(f"'{value}' is not a number ({question.unit or 'a number'} expected)") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise SessionError(f"'{value}' is not a number")
        return int(number) if number.is_integer() else number
    if question.type == "text":
        text = _clean(str(value))
        if not text:
            raise SessionError("the answer is empty")
        return text
    key = str(value).strip().lower()
    keys = [a.key for a in question.answers]
    if question.type == "yesno":
        key = {"y": "yes", "n": "no", "true": "yes", "false": "no"}.get(key, key)
    if key not in keys:
        raise SessionError(f"'{value}' is not an answer to this question (one of {', '.join(keys)})")
    return key
