"""One live meeting: the state folded from events, qualification (score, coverage, Go/No-Go),
guidance from the rules, the summary (the rep's notes) and the customer recap with their exports,
due dates read from words, the playbook a session ran on (origin), and `MeetingSession`, the API
the front ends drive."""

from .guidance import Guidance
from .qualification import Qualification, qualify
from .session import MeetingSession, SessionError
from .state import MeetingState, fold
from .summary import Summary, summarise

__all__ = ["Guidance", "MeetingSession", "MeetingState", "Qualification", "SessionError", "Summary", "fold",
           "qualify", "summarise"]
