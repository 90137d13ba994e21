"""Preparing the next meeting with an account, and starting it from what is known.

The sheet puts side by side what the account already tells (its people and their roles, what
earlier meetings learned, the objections left open or parked, the actions due or overdue) and
what is not known yet (unanswered qualification questions, roles nobody holds, research not
done), with the playbook's checklist, research prompts and opening (seed 001: the main problem
is lack of preparation). The rep picks the meeting's objectives; the meeting then starts from
the open items of the ones before, and its objectives are checked off in its summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import _
from ..meeting.qualification import answer_value
from ..meeting.session import MeetingSession
from ..meeting.state import fold
from ..model import SALES_MEETING, Playbook, Preparation, Question, ResearchPrompt
from ..model.accounts import DECISION_ROLES, Account, Contact, OpenItem, PreparationRecord
from ..store.sqlite import SessionInfo
from .book import AccountBook, AccountError, one_line
from .labels import status_name

MAX_OBJECTIVES = 12
LAST_MEETINGS = 3
ROLE_LABELS = {"decision_maker": "decision-maker", "influencer": "influencer", "user": "user", "champion": "champion",
               "blocker": "blocker"}


@dataclass(frozen=True)
class KnownAnswer:
    question: str  # the question's topic or id
    text: str  # the question as asked
    answer: str  # the answer as the rep reads it
    when: float  # the meeting it was learned in


@dataclass(frozen=True)
class PrepSheet:
    account: Account
    meeting_type: str
    playbook: Playbook  # as the meeting type runs it
    guide: Preparation | None
    contacts: tuple[Contact, ...]
    decision_map: tuple[tuple[str, tuple[Contact, ...]], ...]  # every role with who holds it
    gaps: tuple[str, ...]  # what the decision-maker map lacks, in words
    known: tuple[KnownAnswer, ...]
    unanswered: tuple[Question, ...]  # the meeting type's questions no meeting answered, heaviest first
    open_objections: tuple[OpenItem, ...]  # open or unresolved
    parked_objections: tuple[OpenItem, ...]
    overdue_actions: tuple[OpenItem, ...]
    due_actions: tuple[OpenItem, ...]  # due from today on, or undated
    follow_ups: tuple[tuple[str, str], ...]  # (due, text) of logged interactions to follow up
    research: tuple[tuple[ResearchPrompt, str], ...]  # each prompt with what was found ("" when not yet)
    checklist: tuple[tuple[str, bool], ...]
    objectives: tuple[str, ...]  # chosen for this meeting
    suggestions: tuple[str, ...]  # objectives the rep may add: the playbook's, and from the open items
    opening: tuple[str, ...]
    last_meetings: tuple[SessionInfo, ...]
    record: PreparationRecord | None

    @property
    def unknown_research(self) -> tuple[ResearchPrompt, ...]:
        return tuple(prompt for prompt, found in self.research if not found)


def suggested_type(playbook: Playbook, account: Account) -> str:
    """The meeting type that suits the account's funnel stage (the first that names it), else the
    playbook's default."""
    whole = playbook.whole or playbook
    for kind in whole.meeting_types:
        if account.stage in kind.accounts:
            return kind.id
    return whole.default_meeting_type


def prepare(book: AccountBook, playbook: Playbook, account: Account, meeting_type: str | None = None,
            today: date | None = None) -> PrepSheet:
    record = book.tables.open_preparation(account.id)
    if meeting_type is None:
        meeting_type = record.meeting_type if record and (playbook.whole or playbook).meeting_type_of(record.meeting_type) \
            else suggested_type(playbook, account)
    try:
        view = playbook.for_meeting(meeting_type)
    except KeyError:
        raise AccountError(_("playbook {name} has no meeting type '{type}'").format(name=playbook.name, type=meeting_type)) from None
    today = today or date.fromtimestamp(book.clock())
    contacts = tuple(book.contacts(account))
    decision_map = tuple((role, tuple(c for c in contacts if c.role == role)) for role in DECISION_ROLES)
    gaps = _gaps(contacts)
    meetings = book.tables.meetings(account.id)
    known, answers = _known_answers(book, playbook, meetings)
    unanswered = tuple(sorted((q for q in view.questions if q.id not in answers), key=lambda q: -q.weight))
    items = book.tables.items(account.id)
    iso = today.isoformat()
    objections = [i for i in items if i.kind == "objection"]
    actions = [i for i in items if i.kind == "action"]
    guide = view.preparation
    found = record.research if record else {}
    checked = set(record.checked) if record else set()
    objectives = record.objectives if record else ()
    suggestions = _suggestions(guide, objections, actions, gaps, iso, objectives)
    follow_ups = tuple((i.due, i.text) for i in book.tables.interactions(account.id) if i.due and not i.done)
    return PrepSheet(
        account, meeting_type, view, guide, contacts, decision_map, gaps, known, unanswered,
        tuple(i for i in objections if i.status in ("open", "unresolved")), tuple(i for i in objections if i.status == "parked"),
        tuple(i for i in actions if i.due and i.due < iso), tuple(i for i in actions if not i.due or i.due >= iso), follow_ups,
        tuple((prompt, found.get(prompt.id, "")) for prompt in (guide.research if guide else ())),
        tuple((item, item in checked) for item in (guide.checklist if guide else ())),
        objectives, suggestions, guide.opening if guide else (), tuple(meetings[:LAST_MEETINGS]), record,
    )


def _gaps(contacts: tuple[Contact, ...]) -> tuple[str, ...]:
    roles = {c.role for c in contacts}
    gaps = []
    if not contacts:
        gaps.append(_("nobody known at the account yet"))
    if "decision_maker" not in roles:
        gaps.append(_("no decision-maker known: who will take the final decision?"))
    if "champion" not in roles:
        gaps.append(_("no champion: who would defend the project inside?"))
    if contacts and "user" not in roles:
        gaps.append(_("no user met: who will work with it every day?"))
    unplaced = [c.name for c in contacts if not c.role]
    if unplaced:
        gaps.append(_("role in the decision not known for: {names}").format(names=", ".join(unplaced)))
    return tuple(gaps)


def _known_answers(book: AccountBook, playbook: Playbook, meetings: list[SessionInfo]) -> tuple[tuple[KnownAnswer, ...], dict]:
    """What the account's meetings learned, the latest answer to each question first."""
    whole = playbook.whole or playbook
    latest: dict[str, tuple[float, str | float]] = {}
    for info in sorted(meetings, key=lambda m: m.created_at):
        for question_id, value in fold(book.store.events(info.id)).answers.items():
            latest[question_id] = (info.created_at, value)
    known = []
    for question_id, (when, value) in latest.items():
        question = whole.question(question_id)
        if question is not None:
            shown = answer_value(question, value)
            known.append(KnownAnswer(question.topic or question.id, question.text, shown.label, when))
    known.sort(key=lambda k: -k.when)
    return tuple(known), {q: v for q, (_w, v) in latest.items()}


def _suggestions(guide: Preparation | None, objections: list[OpenItem], actions: list[OpenItem], gaps: tuple[str, ...],
                 iso: str, chosen: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for item in objections:
        out.append(_("Settle the objection left {status}: \"{text}\"").format(status=status_name(item.status), text=item.text))
    for item in actions:
        if item.due and item.due < iso:
            out.append(_("Close the overdue action: {text}").format(text=item.text))
    if any("decision-maker" in gap for gap in gaps):
        out.append(_("Find out who takes the final decision, and meet them"))
    out += list(guide.objectives if guide else ())
    return tuple(s for s in dict.fromkeys(out) if s not in chosen)


def save_preparation(book: AccountBook, sheet: PrepSheet, *, objectives: list[str] | None = None,
                     checked: list[str] | None = None, research: dict[str, str] | None = None,
                     meeting_type: str | None = None) -> PrepSheet:
    """Keep what the rep prepared (None leaves a part as it is); the sheet read again."""
    objectives = [one_line(o, _("an objective"), 500) for o in (sheet.objectives if objectives is None else objectives)]
    objectives = [o for o in dict.fromkeys(objectives) if o]
    if len(objectives) > MAX_OBJECTIVES:
        raise AccountError(_("at most {n} objectives: a meeting with more has none").format(n=MAX_OBJECTIVES))
    checked = [c for c, ticked in sheet.checklist if ticked] if checked is None else checked
    found = {prompt.id: text for prompt, text in sheet.research if text}
    if research is not None:
        found.update({k: one_line(v, _("a research note"), 2000) for k, v in research.items()})
        found = {k: v for k, v in found.items() if v}
    kind = sheet.meeting_type if meeting_type is None else meeting_type
    book.tables.save_preparation(sheet.account.id, kind, objectives, checked, found, book.clock())
    return prepare(book, sheet.playbook.whole or sheet.playbook, sheet.account, kind)


def start_meeting(book: AccountBook, playbook: Playbook, account: Account, prospect: str = "", *, spec: str = "",
                  meeting_type: str | None = None, planned_minutes: int = 0, matcher=None) -> MeetingSession:
    """A meeting with the account that starts from what the earlier ones left open: their open and
    parked objections and their actions not done are carried in (and no longer counted where they
    were first written), the sales meeting keeps the answers already learned, and the objectives
    prepared become this meeting's."""
    record = book.tables.open_preparation(account.id)
    if meeting_type is None:
        meeting_type = record.meeting_type if record and (playbook.whole or playbook).meeting_type_of(record.meeting_type) \
            else suggested_type(playbook, account)
    prospect = prospect.strip() or _default_prospect(book.contacts(account))
    items = book.tables.items(account.id)
    meetings = book.tables.meetings(account.id)
    _known, answers = _known_answers(book, playbook, meetings) if meeting_type == SALES_MEETING else ((), {})
    session = MeetingSession.start(playbook, book.store, prospect, account.name, clock=book.clock, matcher=matcher, spec=spec,
                                   planned_minutes=planned_minutes, meeting_type=meeting_type, account_id=account.id)
    for item in sorted(items, key=lambda i: (i.at, i.session_id, i.number)):
        if item.kind == "objection" and session.playbook.objection(item.detail) is not None:
            session.carry_objection(item.text, item.detail, item.status, item.ref)
        elif item.kind == "action":
            session.carry_action(item.text, item.detail, item.due, item.ref)
    for question_id, value in answers.items():
        if session.playbook.question(question_id) is not None:
            try:
                session.answer(question_id, value)
            except Exception:  # an answer the playbook no longer takes (its choices changed): not carried
                continue
    if record is not None:
        for objective in record.objectives:
            session.set_objective(objective)
        book.tables.take_up_preparation(record.id, session.id)
    return session


def _default_prospect(contacts: list[Contact]) -> str:
    for role in ("decision_maker", "champion", "influencer", "user", ""):
        for contact in contacts:
            if contact.role == role:
                return contact.name
    return "Prospect"
