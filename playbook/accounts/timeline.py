"""An account's living profile: everything that happened with it, newest first (meetings, calls,
e-mails, offers, notes, moves in the funnel), with the objections and actions still open across
all its meetings, and its follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..i18n import N_, _, ngettext
from ..model.accounts import Account, Contact, Interaction, OpenItem
from .book import AccountBook
from .labels import stage_name

KIND_LABELS = {"meeting": N_("meeting"), "call": N_("call"), "email": N_("e-mail"), "offer": N_("offer"), "note": N_("note"),
               "stage": N_("stage")}
OUTCOME_WORDS = {"won": N_("won"), "lost": N_("lost"), "next_meeting": N_("next meeting agreed"), "no_decision": N_("no decision")}


@dataclass(frozen=True)
class Entry:
    at: float
    kind: str  # meeting, call, email, offer, note, stage
    text: str
    detail: str = ""
    ref: str = ""  # a meeting's session id, or "F:ID" for an interaction
    due: str = ""  # an interaction's follow-up date
    done: bool = False


@dataclass(frozen=True)
class Timeline:
    account: Account
    contacts: tuple[Contact, ...]
    entries: tuple[Entry, ...]  # newest first
    open_objections: tuple[OpenItem, ...]  # open, parked or unresolved, from every meeting, newest first
    open_actions: tuple[OpenItem, ...]  # not done, from every meeting
    follow_ups: tuple[Interaction, ...]  # interactions with a follow-up date not done yet

    @property
    def last_meeting(self) -> str | None:
        """The session id of the latest meeting, for its customer recap."""
        return next((e.ref for e in self.entries if e.kind == "meeting"), None)


def meeting_type_title(spec: str, type_id: str, known: dict | None = None) -> str:
    """A meeting type as the rep reads it ("Account review"), from the playbook the meeting ran on;
    "" for the sales meeting."""
    if not type_id:
        return ""
    known = {} if known is None else known
    if (spec, type_id) not in known:
        from ..format.cache import load_cached

        title = type_id.replace("_", " ").capitalize()
        if spec:
            playbook, _problems = load_cached(spec)
            kind = playbook.meeting_type_of(type_id) if playbook is not None else None
            title = kind.title if kind is not None else title
        known[(spec, type_id)] = title
    return known[(spec, type_id)]


def timeline(book: AccountBook, account: Account) -> Timeline:
    tables = book.tables
    titles: dict = {}
    entries: list[Entry] = []
    interactions = tables.interactions(account.id)
    for item in interactions:
        detail = _("follow up by {date}").format(date=item.due) if item.due and not item.done else ""
        entries.append(Entry(item.at, item.kind, item.text, detail, f"F:{item.id}", item.due, item.done))
    for change in tables.stage_changes(account.id):
        moved = (_("{previous} → {stage}").format(previous=stage_name(change.previous), stage=stage_name(change.stage)) if change.previous
                 else _("entered as {stage}").format(stage=stage_name(change.stage)))
        entries.append(Entry(change.at, "stage", moved, change.reason))
    every_item = tables.items(account.id, open_only=False)
    for info in tables.meetings(account.id):
        mine = [i for i in every_item if i.session_id == info.id]
        objections = [i for i in mine if i.kind == "objection"]
        actions = [i for i in mine if i.kind == "action"]
        parts = []
        if info.outcome:
            parts.append(_(OUTCOME_WORDS.get(info.outcome, info.outcome)))
        elif not info.finished:
            parts.append(_("not finished"))
        if objections:
            still = sum(i.status != "resolved" for i in objections)
            parts.append(ngettext("{n} objection, {open} not resolved", "{n} objections, {open} not resolved",
                                  len(objections)).format(n=len(objections), open=still))
        if actions:
            parts.append(ngettext("{n} action, {done} done", "{n} actions, {done} done", len(actions)).format(
                n=len(actions), done=sum(i.status == "done" for i in actions)))
        title = meeting_type_title(info.playbook, info.meeting_type, titles) or _("Sales meeting")
        entries.append(Entry(info.created_at, "meeting", _("{title} with {prospect}").format(title=title, prospect=info.prospect),
                             ", ".join(parts), info.id))
    entries.sort(key=lambda e: (e.at, e.kind == "meeting"), reverse=True)
    open_items = tables.items(account.id)
    return Timeline(
        account, tuple(tables.contacts(account.id)), tuple(entries),
        tuple(i for i in open_items if i.kind == "objection"),
        tuple(sorted((i for i in open_items if i.kind == "action"), key=lambda i: (i.due or "9999", i.at))),
        tuple(i for i in interactions if i.due and not i.done),
    )


def customer_recap(book: AccountBook, session_id: str) -> tuple[str, str]:
    """A meeting's customer recap (Markdown) and a title for it, with the playbook it ran on."""
    from ..meeting.origin import playbook_for_session
    from ..meeting.recap import to_recap_markdown
    from ..meeting.session import MeetingSession

    info = book.store.info(book.store.resolve(session_id))
    found = playbook_for_session(info)
    session = MeetingSession.resume(found.playbook, book.store, info.id, spec=found.spec)
    when = datetime.fromtimestamp(info.created_at).strftime("%Y-%m-%d")
    return _("Customer recap of {date} ({prospect})").format(date=when, prospect=info.prospect), to_recap_markdown(session.summary())
