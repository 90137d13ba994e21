"""A meeting session: the engine object every front end drives.

Each intent (answer a question, record an objection, ...) is checked against the playbook,
saved to the store as an event, and only then applied to the in-memory state, so what the
rep sees has always been saved. Without a store the session lives in memory (for tests and
drills).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Callable

from ..model.events import (
    MEETING_OUTCOMES,
    OUTCOMES,
    ActionAdded,
    ActionDone,
    ActionRemoved,
    AnswerCleared,
    CardDismissed,
    ClosingAttempted,
    Event,
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
from ..format.library import BUILTIN_NAME
from ..i18n import N_, _
from .guidance import ClosingReview, Guidance, closing_fit, closing_review, facts, guidance, next_questions, ranked_responses
from ..learning.evidence import Evidence, team_evidence
from ..matching.fused import Recogniser, recogniser_for
from ..matching.matcher import Match, Matcher
from ..model import SALES_MEETING, Closing, Playbook, Question, Response, UnknownMeetingType
from .items import changes_items, meeting_items
from .qualification import Qualification, qualify
from .state import MeetingState, RaisedObjection, apply, fold
from ..store.identity import clean_name, current_rep
from ..store.projection import Projection
from ..store.sqlite import Store
from .summary import Summary, summarise
from .wording import Wording, fill

Clock = Callable[[], float]
MAX_TEXT = 5000  # a line: an objection, an answer, an action
MAX_NOTE = 50_000  # a note may be a pasted e-mail; longer is refused in words, never cut
OUTCOME_LABELS = {"won": N_("Won"), "lost": N_("Lost"), "next_meeting": N_("Next meeting"), "no_decision": N_("No decision")}


class SessionError(ValueError):
    """An intent the playbook or the state does not allow, in words for the rep."""


class MeetingSession:
    def __init__(self, playbook: Playbook, session_id: str, records: list[Recorded], store: Store | None = None,
                 clock: Clock = time.time, matcher: Matcher | Recogniser | None = None, spec: str = "",
                 drafts: dict[str, str] | None = None) -> None:
        started = next((r.event for r in records if isinstance(r.event, MeetingStarted)), None)
        # A resumed meeting runs as the kind of meeting it started as; a new one as it is given.
        playbook = _for_meeting(playbook, started.meeting_type if started else playbook.meeting_type or SALES_MEETING)
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
        self.spec = spec or self._state.playbook  # where the playbook was loaded from (see origin.py)
        self._drafts: dict[str, str] = dict(drafts or {})
        self._transcript: dict[str, dict] = {}  # without a store: the transcript lines kept in memory
        self._transcript_source: dict | None = None

    # -- life cycle ------------------------------------------------------------------------

    @classmethod
    def start(cls, playbook: Playbook, store: Store | None = None, prospect: str = "", company: str = "",
              kind: str = "meeting", clock: Clock = time.time, matcher: Matcher | Recogniser | None = None, spec: str = "",
              planned_minutes: int = 0, meeting_type: str | None = None, account_id: int | None = None,
              rep: str | None = None) -> "MeetingSession":
        """A new meeting. `spec` says where the playbook came from (`builtin`, `builtin:NAME` or an
        absolute path; see origin.canonical_spec), so that resuming needs nothing else.
        `meeting_type` is one of the playbook's meeting types ("" the sales meeting; None the
        playbook's default); `account_id` the account the meeting belongs to; `rep` who holds it
        (default: $PLAYBOOK_REP or the config file, see store/identity.py)."""
        prospect, company = _clean(prospect) or "Prospect", _clean(company)
        spec = canonical_spec(spec) if spec else playbook.id
        if not 0 <= planned_minutes <= 24 * 60:
            raise SessionError(_("a planned length is between 0 and 1,440 minutes"))
        meeting_type = (playbook.whole or playbook).default_meeting_type if meeting_type is None else meeting_type
        if kind != "meeting":
            meeting_type = SALES_MEETING  # a role-play plays the sales meeting
        playbook = _for_meeting(playbook, meeting_type)
        rep = current_rep(strict=False) if rep is None else clean_name(rep)
        now = clock()
        session_id = (store.create_session(spec, kind, prospect, company, now, playbook.digest or None, account_id, meeting_type,
                                           rep=rep)
                      if store else uuid.uuid4().hex[:12])
        session = cls(playbook, session_id, [], store, clock, matcher, spec)
        session._learned = Projection()  # a new session has no rows yet
        session.record(MeetingStarted(prospect, company, spec, kind, playbook.digest, int(planned_minutes), meeting_type))
        return session

    @classmethod
    def resume(cls, playbook: Playbook, store: Store, session_id: str, clock: Clock = time.time,
               matcher: Matcher | Recogniser | None = None, spec: str = "") -> "MeetingSession":
        full_id = store.resolve(session_id)
        return cls(playbook, full_id, store.events(full_id), store, clock, matcher, spec, store.drafts(full_id))

    def replace_playbook(self, playbook: Playbook, matcher: Matcher | Recogniser | None = None) -> None:
        """Continue the meeting with a new version of the playbook (live reload). What was recorded
        stays; answers to questions the new version no longer has simply stop counting."""
        playbook = _for_meeting(playbook, self._state.meeting_type)
        self.playbook = playbook
        self._matcher = matcher
        self._first_stage = playbook.stages[0].id if playbook.stages else None
        self._qualification = None

    @property
    def matcher_ready(self) -> bool:
        """Whether recognising text costs nothing more than the match itself (front ends build the
        matcher off their UI thread and hand it over with `use_matcher`)."""
        return self._matcher is not None

    def use_matcher(self, matcher: Matcher | Recogniser, playbook: Playbook | None = None) -> None:
        """A matcher built elsewhere (in a worker) for this session's playbook; ignored if the
        playbook was replaced meanwhile."""
        if playbook is None or playbook is self.playbook:
            self._matcher = matcher

    @property
    def state(self) -> MeetingState:
        return self._state

    @property
    def records(self) -> tuple[Recorded, ...]:
        return tuple(self._records)

    @property
    def matcher(self) -> Matcher | Recogniser:
        """The playbook's recogniser (fused with the semantic channel when that is wanted: see matching/fused.py)."""
        if self._matcher is None:
            self._matcher = recogniser_for(self.playbook)
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
        # Imported here: learning.projection reads meeting.state, so importing it first (the store's
        # migration does) runs this package's __init__, which must not need it back half-loaded.
        from ..learning.projection import project

        learning = project(state, qualification.verdict) if self.store is not None else None
        if self.store is not None:
            self.store.append(
                self.id, seq, at, event,
                prospect=getattr(event, "prospect", None), company=getattr(event, "company", None),
                ended=isinstance(event, MeetingEnded), score=qualification.score,
                outcome=state.outcome if state.outcome != self._state.outcome or isinstance(event, Undone) else None,
                items=meeting_items(state) if changes_items(event) else None,
                learning=learning, learned=self._learned,
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
        """A note, kept whole: line breaks stay (a pasted e-mail keeps its paragraphs)."""
        lines = [" ".join(line.split()) for line in str(text).strip().splitlines()]
        text = "\n".join(lines).strip()
        if not text:
            raise SessionError(_("the note is empty"))
        if len(text) > MAX_NOTE:
            raise SessionError(_("the note is {length:,} characters long; a note holds at most {most:,} (split it in two)").format(length=len(text), most=MAX_NOTE))
        self.record(NoteAdded(text))

    def set_stage(self, stage_id: str) -> None:
        if self.playbook.stage(stage_id) is None:
            raise SessionError(_("no stage '{id}' in this playbook").format(id=stage_id))
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

    def raise_objection(self, text: str, objection: str | None = None, score: float | None = None) -> RaisedObjection:
        """Record an objection: the category given, or the matcher's best guess for the text. A
        category given comes with the score it was recognised with (an accepted card), or 100."""
        text = _clean(text, N_("what the customer said"))
        if not text:
            raise SessionError(_("what the customer said is empty"))
        if objection is None:
            found = self.matcher.match(text, top=1)
            if not found:
                raise SessionError(_("no objection recognised in that text; pick the category by hand"))
            objection, score = found[0].objection, found[0].score
        else:
            if self.playbook.objection(objection) is None:
                raise SessionError(_("no objection category '{id}' in this playbook").format(id=objection))
            score = 100.0 if score is None else max(0.0, min(100.0, float(score)))
        number = self.state.next_objection_number()
        self.record(ObjectionRaised(number, text, objection, score))
        return self._raised(number)

    def classify_objection(self, number: int, situation: str) -> None:
        raised = self._raised(number)
        objection = self.playbook.objection(raised.objection)
        if objection is None or situation not in {s.id for s in objection.situations}:
            raise SessionError(_("'{situation}' is not a situation of the {objection} objection").format(situation=situation, objection=raised.objection))
        self.record(ObjectionClassified(number, situation))

    def use_response(self, number: int, response_id: str) -> None:
        raised = self._raised(number)
        objection = self.playbook.objection(raised.objection)
        if objection is None or objection.response(response_id) is None:
            raise SessionError(_("'{response}' is not a response to the {objection} objection").format(response=response_id, objection=raised.objection))
        self.record(ResponseUsed(number, response_id))

    def settle_objection(self, number: int, outcome: str) -> None:
        raised = self._raised(number)
        if outcome not in OUTCOMES:
            raise SessionError(_("an outcome is one of {outcomes}").format(outcomes=", ".join(OUTCOMES)))
        if raised.outcome != outcome:
            self.record(ObjectionSettled(number, outcome))  # type: ignore[arg-type]

    def reopen_objection(self, number: int) -> None:
        """A settled objection comes back (the customer raises it again): open, to be answered."""
        raised = self._raised(number)
        if raised.outcome == "open":
            raise SessionError(_("objection {number} is already open").format(number=number))
        self.record(ObjectionSettled(number, "open"))

    def record_outcome(self, outcome: str, note: str = "") -> None:
        """How the meeting ended for the deal: won, lost, next_meeting or no_decision."""
        if outcome not in MEETING_OUTCOMES:
            raise SessionError(_("an outcome is one of {outcomes}").format(outcomes=", ".join(MEETING_OUTCOMES)))
        if (outcome, _clean(note)) != (self.state.outcome, self.state.outcome_note):
            self.record(OutcomeRecorded(outcome, _clean(note)))  # type: ignore[arg-type]

    def observe_signal(self, signal_id: str, present: bool = True) -> None:
        if self.playbook.signal(signal_id) is None:
            raise SessionError(_("no buying signal '{id}' in this playbook").format(id=signal_id))
        if (signal_id in self.state.signals) != present:
            self.record(SignalObserved(signal_id, present))

    def attempt_close(self, closing_id: str, success: bool) -> None:
        if self.playbook.closing(closing_id) is None:
            raise SessionError(_("no closing method '{id}' in this playbook").format(id=closing_id))
        self.record(ClosingAttempted(closing_id, "success" if success else "failed"))

    def add_action(self, text: str, owner: str = "", due: str = "") -> int:
        """An action-plan item; `due` in words ("Friday", "in 2 weeks", "31/01", "2026-12-01") is
        read in the playbook's language and kept as a real date."""
        number = self.state.next_action_number()
        self.record(self._action(number, text, owner, due))
        return number

    def edit_action(self, number: int, text: str, owner: str = "", due: str = "") -> None:
        existing = self._existing_action(number)
        if " ".join(str(due).split()) == existing.due and existing.due:  # an unchanged date, even past, stays
            self.record(replace(self._action(number, text, owner, ""), due=existing.due))
            return
        self.record(self._action(number, text, owner, due))

    def set_action_done(self, number: int, done: bool = True) -> None:
        if self._existing_action(number).done != done:
            self.record(ActionDone(number, done))

    def remove_action(self, number: int) -> None:
        self._existing_action(number)
        self.record(ActionRemoved(number))

    def set_objective(self, text: str, number: int | None = None) -> int:
        """One of the meeting's objectives (a new one, or `number` reworded)."""
        text = _clean(text, N_("an objective"))
        if not text:
            raise SessionError(_("an objective needs words"))
        if number is None:
            number = self.state.next_objective_number()
        elif not any(o.number == number for o in self.state.objectives):
            raise SessionError(_("no objective {number}").format(number=number))
        self.record(ObjectiveSet(number, text))
        return number

    def set_objective_met(self, number: int, met: bool = True) -> None:
        found = next((o for o in self.state.objectives if o.number == number), None)
        if found is None:
            raise SessionError(_("no objective {number}").format(number=number))
        if found.met != met:
            self.record(ObjectiveMet(number, met))

    def carry_objection(self, text: str, objection: str, outcome: str, carried_from: str, situation: str | None = None) -> int:
        """An objection still open at an earlier meeting with the account, brought into this one:
        unresolved comes back open (to answer now), parked stays parked."""
        if self.playbook.objection(objection) is None:
            raise SessionError(_("no objection category '{id}' in this playbook").format(id=objection))
        number = self.state.next_objection_number()
        self.record(ObjectionRaised(number, _clean(text, N_("what the customer said")), objection, 100.0, carried_from))
        if situation and any(s.id == situation for s in self.playbook.objection(objection).situations):
            self.record(ObjectionClassified(number, situation))
        if outcome == "parked":
            self.record(ObjectionSettled(number, "parked"))
        return number

    def carry_action(self, text: str, owner: str, due: str, carried_from: str) -> int:
        """An earlier meeting's action, not done yet, brought into this one with its date (even past)."""
        number = self.state.next_action_number()
        self.record(ActionAdded(number, _clean(text, N_("an action")), _clean(owner, N_("who")), due, carried_from))
        return number

    def _action(self, number: int, text: str, owner: str, due: str) -> ActionAdded:
        text = _clean(text, N_("an action"))
        if not text:
            raise SessionError(_("an action needs a description"))
        return ActionAdded(number, text, _clean(owner, N_("who")), self._due(due))

    def _due(self, due: str) -> str:
        due = " ".join(str(due).split())
        if not due:
            return ""
        from datetime import date

        from .dates import DateError, parse_due

        today = date.fromtimestamp(self.clock())
        try:
            day = parse_due(due, self.playbook.language, today)
        except DateError as error:
            raise SessionError(str(error)) from None
        if day < today:
            raise SessionError(_("'{due}' is {date}, in the past; give a date from today on").format(due=due, date=day.isoformat()))
        return day.isoformat()

    def _existing_action(self, number: int):
        found = next((a for a in self.state.actions if a.number == number), None)
        if found is None:
            raise SessionError(_("no action {number}").format(number=number))
        return found

    # -- the live transcript -----------------------------------------------------------------

    def mark_speaker(self, speaker: str, role: str = "customer") -> None:
        """Say who a transcript's speaker label is (kept with the meeting)."""
        speaker = _clean(speaker, N_("a speaker"))
        if not speaker:
            raise SessionError(_("this line has no speaker label to mark"))
        if role not in ("customer", "rep"):
            raise SessionError(_("a speaker is the customer or the rep"))
        if self.state.speakers.get(speaker) != role:
            self.record(SpeakerMarked(speaker, role))  # type: ignore[arg-type]

    def mark_asked(self, question_id: str, text: str = "") -> None:
        """A qualification question heard asked aloud: the checklist shows it asked; the rep still
        records the answer."""
        question = self._question(question_id)
        if question.id not in self.state.asked:
            self.record(QuestionAsked(question.id, _clean(text, N_("what was said"))))

    def dismiss_card(self, text: str, objection: str, score: float = 0.0, line: str = "") -> None:
        """The rep dismissed an objection card: recorded, for learning what is not an objection."""
        self.record(CardDismissed(_clean(text, N_("what was said")), objection, round(float(score), 1), line))

    def keep_transcript(self, lines: list, source: dict | None = None) -> None:
        """Store transcript lines (objects with `to_json()`) and where following stopped, together.
        StoreError when they cannot be saved (the caller reads them again: nothing is lost)."""
        rows = [line.to_json() for line in lines]
        if self.store is not None:
            self.store.save_transcript(self.id, rows, source, self.clock())
        for row in rows:
            self._transcript[row["id"]] = row
        if source is not None:
            self._transcript_source = dict(source)

    def transcript(self) -> list[dict]:
        """The meeting's transcript lines, in the order first heard (the latest version of each)."""
        if self.store is not None:
            return self.store.transcript(self.id)
        return list(self._transcript.values())

    def transcript_source(self) -> dict | None:
        """Where following the transcript file stopped, or None."""
        if self.store is not None:
            return self.store.transcript_source(self.id)
        return self._transcript_source

    # -- drafts ----------------------------------------------------------------------------

    def draft(self, box: str) -> str:
        """What was being typed in a box when the rep left it (kept across quitting and crashes)."""
        return self._drafts.get(box, "")

    def save_draft(self, box: str, text: str) -> None:
        """Keep half-typed text; StoreError if it cannot be saved (the text stays on screen)."""
        if self._drafts.get(box, "") == text:
            return
        if self.store is not None:
            self.store.save_draft(self.id, box, text, self.clock())
        if text:
            self._drafts[box] = text
        else:
            self._drafts.pop(box, None)

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
            raise SessionError(_("no question '{id}' in this playbook").format(id=question_id))
        return question

    def _raised(self, number: int) -> RaisedObjection:
        raised = self.state.objection(number)
        if raised is None:
            raise SessionError(_("no objection {number} in this meeting").format(number=number))
        return raised


def _for_meeting(playbook: Playbook, meeting_type: str) -> Playbook:
    """The playbook as this kind of meeting runs it; SessionError when the playbook lacks the type."""
    try:
        return playbook.for_meeting(meeting_type)
    except UnknownMeetingType:
        raise SessionError(_("playbook {name} has no meeting type '{type}'").format(name=playbook.name, type=meeting_type)) from None


def canonical_spec(spec: str | Path | None) -> str:
    """`builtin`, `builtin:NAME`, or the absolute path of a playbook given on the command line."""
    if spec is None or str(spec) == BUILTIN_NAME:
        return BUILTIN_NAME
    if str(spec).startswith(BUILTIN_NAME + ":"):
        return str(spec)
    return str(Path(spec).expanduser().resolve())


def _clean(text: str, what: str = N_("the text")) -> str:
    """One line of text, whitespace folded; longer than MAX_TEXT is refused in words, never cut."""
    cleaned = " ".join(str(text).split())
    if len(cleaned) > MAX_TEXT:
        raise SessionError(_("{what} is {length:,} characters long; at most {most:,}").format(what=_(what), length=len(cleaned), most=MAX_TEXT))
    return cleaned


def _checked_answer(question: Question, value: str | float) -> str | float:
    if question.type == "number":
        try:
            number = float(str(value).replace(",", ".").strip())
        except ValueError:
            raise SessionError(_("'{value}' is not a number ({unit} expected)").format(value=value, unit=question.unit or _("a number"))) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise SessionError(_("'{value}' is not a number").format(value=value))
        return int(number) if number.is_integer() else number
    if question.type == "text":
        text = _clean(str(value), N_("the answer"))
        if not text:
            raise SessionError(_("the answer is empty"))
        return text
    key = str(value).strip().lower()
    keys = [a.key for a in question.answers]
    if question.type == "yesno":
        key = {"y": "yes", "n": "no", "true": "yes", "false": "no"}.get(key, key)
    if key not in keys:
        raise SessionError(_("'{value}' is not an answer to this question (one of {keys})").format(value=value, keys=", ".join(keys)))
    return key
