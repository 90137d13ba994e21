"""Accounts: the companies a rep sells to, their people, their place in the funnel and in their
buying cycle, and what happened with them (seeds 000, 002 and 003). Frozen rows as the store
reads them; the logic that uses them lives in playbook.accounts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The funnel of seed 003: suspects (leads), prospects (qualified), customers; and those lost.
FUNNEL_STAGES: tuple[str, ...] = ("suspect", "prospect", "customer", "lost")
# Who weighs on the decision (seed 003's "decision maker, influencer, user"; the champion who
# sells for you inside, the blocker who works against you).
DECISION_ROLES: tuple[str, ...] = ("decision_maker", "influencer", "user", "champion", "blocker")
# Where the customer is in their own buying cycle (seed 003), from looking around to trusting you.
BUYING_STAGES: tuple[str, ...] = (
    "research", "gathering_information", "comparing_prices", "qualifying_vendors", "setting_criteria",
    "budgeting", "approving", "ordering", "reviewing", "trusting",
)
INTERACTION_KINDS: tuple[str, ...] = ("call", "email", "offer", "note")
EFFORT_LEVELS: tuple[str, ...] = ("low", "medium", "high")  # what it takes to learn their needs (seed 002)

# Words that say what kind of company it is, not which one: "Acme Ltd" and "ACME ltd." are one account.
LEGAL_FORMS = frozenset({
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation", "co", "company",
    "sa", "sas", "sasu", "sarl", "eurl", "gmbh", "ag", "bv", "nv", "spa", "srl", "sl", "oy", "ab", "as", "pty", "kg",
})
_NOT_WORD = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """How an account's name is compared: case, accents, punctuation and a trailing legal form
    ("Ltd", "SARL", "GmbH") do not count."""
    folded = unicodedata.normalize("NFKD", str(name).casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = [w for w in _NOT_WORD.sub(" ", folded).replace("_", " ").split() if w]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    stage: str  # one of FUNNEL_STAGES
    buying_stage: str = ""  # one of BUYING_STAGES, or "" while unknown
    value: float | None = None  # what the account brings in a year now
    potential: float | None = None  # what it could bring
    need: str = ""  # the need it buys for, a short label that clusters accounts ("training", "fleet")
    effort: str = ""  # one of EFFORT_LEVELS, or ""
    notes: str = ""
    created_at: float = 0.0
    updated_at: float = 0.0
    last_contact_at: float | None = None


@dataclass(frozen=True)
class AccountLine:
    """An account as a list shows it: the account and how much has happened with it."""

    account: Account
    interactions: int
    meetings: int
    next_due: str  # the earliest open follow-up's ISO date, "" when none


@dataclass(frozen=True)
class Contact:
    id: int
    account_id: int
    name: str
    role: str = ""  # one of DECISION_ROLES, or "" while unknown
    title: str = ""  # the job title
    email: str = ""
    phone: str = ""
    created_at: float = 0.0


@dataclass(frozen=True)
class StageChange:
    """A move in the funnel, dated, with its reason."""

    id: int
    account_id: int
    at: float
    stage: str
    previous: str
    reason: str = ""


@dataclass(frozen=True)
class Interaction:
    """A call, an e-mail, an offer or a note logged against the account; `due` is a follow-up date."""

    id: int
    account_id: int
    at: float
    kind: str
    text: str
    due: str = ""
    done: bool = False


@dataclass(frozen=True)
class OpenItem:
    """An objection or an action of one of the account's meetings, as it stands."""

    session_id: str
    kind: str  # "objection" or "action"
    number: int
    text: str
    detail: str  # the objection's category, the action's owner
    due: str
    status: str
    at: float
    carried_from: str = ""

    @property
    def ref(self) -> str:
        return f"{self.session_id}#{self.number}"


@dataclass(frozen=True)
class FollowUp:
    """Something to do by a date, from a meeting's action plan or a logged interaction."""

    ref: str  # "A:SESSION#N" for a meeting's action, "F:ID" for an interaction's follow-up
    due: str  # ISO date
    text: str
    owner: str
    account_id: int | None
    account: str  # the account's name, or the meeting's company when it has no account
    session_id: str = ""  # the meeting it comes from ("" for an interaction)
    kind: str = "action"  # "action" or the interaction's kind


@dataclass(frozen=True)
class PreparationRecord:
    """What the rep prepared for the next meeting with an account."""

    id: int
    account_id: int
    meeting_type: str
    objectives: tuple[str, ...]
    checked: tuple[str, ...]  # checklist items ticked, by their text
    research: dict[str, str]  # what was found, by research prompt id
    created_at: float
    updated_at: float
    session_id: str | None = None  # the meeting that took it up
