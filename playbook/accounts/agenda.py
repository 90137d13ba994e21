"""Follow-up across every account: what is overdue, due today and due this week, from meetings'
action plans and interactions' follow-up dates; and ticking an item done from the agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..i18n import _
from ..model.accounts import FollowUp
from ..store.sqlite import Store, StoreError
from .book import AccountBook, AccountError

WEEK_DAYS = 7  # "this week": today and the six days after it


@dataclass(frozen=True)
class Agenda:
    today: date
    overdue: tuple[FollowUp, ...]
    due_today: tuple[FollowUp, ...]
    this_week: tuple[FollowUp, ...]  # after today, within WEEK_DAYS

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_today or self.this_week)


def agenda(book: AccountBook, today: date | None = None) -> Agenda:
    today = today or date.fromtimestamp(book.clock())
    until = (today + timedelta(days=WEEK_DAYS - 1)).isoformat()
    items = book.tables.follow_ups(until) if book.tables.available else []
    # Only real dates: an older meeting may hold a due date as words ("next week"); those are not dated.
    dated = [f for f in items if _is_iso(f.due)]
    iso = today.isoformat()
    return Agenda(today, tuple(f for f in dated if f.due < iso), tuple(f for f in dated if f.due == iso),
                  tuple(f for f in dated if f.due > iso))


def overdue_count(book: AccountBook, today: date | None = None) -> int:
    """How many follow-ups are overdue (for the reminder at start-up)."""
    today = today or date.fromtimestamp(book.clock())
    if not book.tables.available:
        return 0
    return sum(1 for f in book.tables.follow_ups((today - timedelta(days=1)).isoformat()) if _is_iso(f.due))


def _is_iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def complete(book: AccountBook, ref: str, done: bool = True) -> None:
    """Tick an agenda item done: "F:ID" (a logged follow-up) or "A:SESSION#N" (a meeting's
    action, recorded in that meeting as an event, like ticking it there)."""
    ref = ref.strip()
    if ref.upper().startswith("F:") and ref[2:].isdigit():
        book.follow_up_done(int(ref[2:]), done)
        return
    if ref.upper().startswith("A:") and "#" in ref:
        session_id, _sep, number = ref[2:].rpartition("#")
        if number.isdigit():
            _tick_action(book.store, session_id, int(number), done, book.clock)
            return
    raise AccountError(_("'{ref}' is not an agenda item (A:SESSION#N or F:ID, as `playbook agenda` lists them)").format(ref=ref))


def _tick_action(store: Store, session_id: str, number: int, done: bool, clock) -> None:
    from ..meeting.origin import playbook_for_session
    from ..meeting.session import MeetingSession, SessionError

    try:
        info = store.info(store.resolve(session_id))
        found = playbook_for_session(info)
        session = MeetingSession.resume(found.playbook, store, info.id, clock=clock, spec=found.spec)
        session.set_action_done(number, done)
    except (SessionError, StoreError) as error:
        raise AccountError(str(error)) from None
