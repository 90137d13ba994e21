"""One live meeting: the state folded from events, qualification (score, coverage, Go/No-Go),
guidance from the rules, the summary and its exports, and `MeetingSession`, the API the front
ends drive."""

from .guidance import Guidance
from .qualification import Qualification, qualify
from .session import MeetingSession, SessionError
from .state import MeetingState, fold
from .summary import Summary, summarise

__all__ = ["Guidance", "MeetingSession", "MeetingState", "Qualification", "SessionError", "Summary", "fold",
           "qualify", "summarise"]
