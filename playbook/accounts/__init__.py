"""The customer cycle around the meeting: accounts that remember (book, names, adopt), their
living profile (timeline), preparing the next meeting and starting it from what is open
(preparation), following up across accounts (agenda), where the value is (segments), and CRM
exports in and out (csvio)."""

from .adopt import Adoption, adopt_sessions, open_questions, settle
from .agenda import Agenda, agenda, complete, overdue_count
from .book import AccountBook, AccountError, AmbiguousAccount, NoSuchAccount
from .preparation import PrepSheet, prepare, save_preparation, start_meeting, suggested_type
from .segments import Segments, chart, segments
from .timeline import Timeline, timeline

__all__ = [
    "AccountBook", "AccountError", "Adoption", "Agenda", "AmbiguousAccount", "NoSuchAccount", "PrepSheet", "Segments",
    "Timeline", "adopt_sessions", "agenda", "chart", "complete", "open_questions", "overdue_count", "prepare",
    "save_preparation", "segments", "settle", "start_meeting", "suggested_type", "timeline",
]
