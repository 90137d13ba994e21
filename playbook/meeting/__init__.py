"""One live meeting: the state folded from events, qualification (score, coverage, Go/No-Go),
guidance from the rules, the summary (the rep's notes) and the customer recap with their exports,
due dates read from words, the playbook a session ran on (origin), and `MeetingSession`, the API
the front ends drive.

The names below are imported on first use: importing `playbook.meeting.state` (as the learning
tables and the store's migrations do) must not pull in the session, which writes those tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .guidance import Guidance
    from .qualification import Qualification, qualify
    from .session import MeetingSession, SessionError
    from .state import MeetingState, fold
    from .summary import Summary, summarise

_EXPORTS = {
    "Guidance": "guidance",
    "Qualification": "qualification",
    "qualify": "qualification",
    "MeetingSession": "session",
    "SessionError": "session",
    "MeetingState": "state",
    "fold": "state",
    "Summary": "summary",
    "summarise": "summary",
}
__all__ = sorted(_EXPORTS)

__getattr__ = exports(__name__, _EXPORTS)
