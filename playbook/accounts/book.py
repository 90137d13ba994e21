"""The account book: the engine API every front end uses for accounts, their people, their moves
in the funnel and the interactions logged against them. Every intent is checked here and refused
in words (AccountError) before anything is written."""

from __future__ import annotations

import time
from datetime import date
from typing import Callable, Sequence

from ..i18n import _
from ..model.accounts import (
    BUYING_STAGES,
    DECISION_ROLES,
    EFFORT_LEVELS,
    FUNNEL_STAGES,
    INTERACTION_KINDS,
    Account,
    AccountLine,
    Contact,
    Interaction,
    name_key,
)
from ..store.accounts import AccountTables
from ..store.sqlite import Store
from .labels import stage_name
from .names import Candidate, NameIndex

Clock = Callable[[], float]
MAX_NAME = 200
MAX_TEXT = 50_000  # an interaction may be a pasted e-mail
LONE_FUZZY_MIN = 85.0  # a lone near miss below this is asked about, not taken


class AccountError(ValueError):
    """An account intent refused, in words for the rep."""


class NoSuchAccount(AccountError):
    pass


class AmbiguousAccount(AccountError):
    """Several accounts fit what was typed: the rep chooses (the app asks; the CLI lists them)."""

    def __init__(self, query: str, candidates: Sequence[Candidate]) -> None:
        self.query = query
        self.candidates = list(candidates)
        names = "; ".join(f"{c.name} (id {c.account_id})" for c in self.candidates)
        super().__init__(_("'{query}' matches several accounts: {names}; give more of the name, or the id").format(
            query=query, names=names))


def one_line(text: str, what: str, limit: int = MAX_NAME) -> str:
    cleaned = " ".join(str(text).split())
    if len(cleaned) > limit:
        raise AccountError(_("{what} is {length:,} characters long; at most {limit:,}").format(what=what, length=len(cleaned), limit=limit))
    return cleaned


def checked_choice(value: str, allowed: Sequence[str], what: str) -> str:
    value = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if value and value not in allowed:
        raise AccountError(_("'{value}' is not a {what} (one of {allowed})").format(value=value, what=what, allowed=", ".join(allowed)))
    return value


def checked_amount(value: str | float | None, what: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", "").replace(" ", "").strip())
    except ValueError:
        raise AccountError(_("'{value}' is not an amount ({what})").format(value=value, what=what)) from None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        raise AccountError(_("'{value}' is not an amount ({what})").format(value=value, what=what))
    return number


class AccountBook:
    def __init__(self, store: Store, clock: Clock = time.time) -> None:
        self.store = store
        self.tables = AccountTables(store)
        self.clock = clock
        self._index: NameIndex | None = None

    # -- finding -------------------------------------------------------------------------------

    @property
    def index(self) -> NameIndex:
        """The accounts' names, read and normalised once (added to as accounts are created)."""
        if self._index is None:
            self._index = NameIndex(self.tables.account_keys())
        return self._index

    def get(self, account_id: int) -> Account:
        account = self.tables.account(account_id)
        if account is None:
            raise NoSuchAccount(_("no account {id}").format(id=account_id))
        return account

    def find(self, query: str) -> Account:
        """The account `query` names (an id, a name, part of one, a near miss); NoSuchAccount or
        AmbiguousAccount (with the candidates) when it names none or several."""
        query = " ".join(str(query).split())
        if not self.tables.available:
            raise NoSuchAccount(_("no accounts yet in {path}").format(path=self.store.path))
        best, candidates = self.index.resolve(query)
        if best is not None and (best.how != "fuzzy" or best.score >= LONE_FUZZY_MIN):
            return self.get(best.account_id)
        if candidates:
            raise AmbiguousAccount(query, candidates)
        raise NoSuchAccount(_("no account matches '{query}' (see `playbook accounts list`)").format(query=query))

    def candidates(self, query: str) -> list[Candidate]:
        return self.index.search(query) if self.tables.available else []

    def match_company(self, company: str) -> tuple[Account | None, list[Candidate]]:
        """The account a meeting with `company` belongs to: the account of that very name, or None
        with the accounts it could be (a near miss, a longer or shorter name) for the rep to choose
        from; no candidates means a new company."""
        key = name_key(company)
        if not key or not self.tables.available:
            return None, []
        exact = self.index.by_key.get(key)
        if exact is not None:
            return self.get(exact), []
        found = {c.account_id: c for c in self.index.search(company, limit=5) if c.how != "id"}
        for c in self.index.close_to(company):
            found.setdefault(c.account_id, c)
        return None, sorted(found.values(), key=lambda c: -c.score)[:5]

    # -- accounts ------------------------------------------------------------------------------

    def add(self, name: str, stage: str = "suspect", *, reason: str = "", buying_stage: str = "",
            value: str | float | None = None, potential: str | float | None = None, need: str = "", effort: str = "",
            at: float | None = None) -> Account:
        """A new account; `at` dates its entry in the funnel (default: now)."""
        name = one_line(name, _("the company name"))
        key = name_key(name)
        if not key:
            raise AccountError(_("an account needs a company name"))
        stage = checked_choice(stage, FUNNEL_STAGES, _("funnel stage")) or "suspect"
        existing = self.tables.account_by_key(key)
        if existing is not None:
            raise AccountError(_("an account named {name} already exists (id {id})").format(name=existing.name, id=existing.id))
        now = self.clock() if at is None else at
        with self.tables.transaction():
            account_id = self.tables.add_account(
                name, key, stage, now, buying_stage=checked_choice(buying_stage, BUYING_STAGES, _("buying-cycle stage")),
                value=checked_amount(value, _("value")), potential=checked_amount(potential, _("potential")),
                need=one_line(need, _("the need")), effort=checked_choice(effort, EFFORT_LEVELS, _("effort level")))
            self.tables.change_stage(account_id, stage, "", one_line(reason, _("the reason")) or _("account created"), now)
        self.index.add(account_id, name)
        return self.get(account_id)

    def update(self, account: Account, *, name: str | None = None, buying_stage: str | None = None,
               value: str | float | None = None, potential: str | float | None = None, need: str | None = None,
               effort: str | None = None, notes: str | None = None) -> Account:
        """Change what is given (None leaves a field as it is; "" clears it)."""
        fields: dict[str, object] = {}
        if name is not None:
            name = one_line(name, _("the company name"))
            key = name_key(name)
            other = self.tables.account_by_key(key)
            if not key:
                raise AccountError(_("an account needs a company name"))
            if other is not None and other.id != account.id:
                raise AccountError(_("an account named {name} already exists (id {id})").format(name=other.name, id=other.id))
            fields.update(name=name, name_key=key)
        if buying_stage is not None:
            fields["buying_stage"] = checked_choice(buying_stage, BUYING_STAGES, _("buying-cycle stage"))
        if value is not None:
            fields["value"] = checked_amount(value, _("value"))
        if potential is not None:
            fields["potential"] = checked_amount(potential, _("potential"))
        if need is not None:
            fields["need"] = one_line(need, _("the need"))
        if effort is not None:
            fields["effort"] = checked_choice(effort, EFFORT_LEVELS, _("effort level"))
        if notes is not None:
            fields["notes"] = str(notes).strip()[:MAX_TEXT]
        self.tables.update_account(account.id, self.clock(), **fields)
        if name is not None:
            self._index = None
        return self.get(account.id)

    def set_stage(self, account: Account, stage: str, reason: str) -> Account:
        """A move in the funnel, kept with its date and reason (the reason is required: it is what
        a manager reads later)."""
        stage = checked_choice(stage, FUNNEL_STAGES, _("funnel stage"))
        reason = one_line(reason, _("the reason"), 1000)
        if not stage:
            raise AccountError(_("which stage? one of {allowed}").format(allowed=", ".join(FUNNEL_STAGES)))
        if stage == account.stage:
            raise AccountError(_("{name} is already a {stage}").format(name=account.name, stage=stage_name(stage)))
        if not reason:
            raise AccountError(_("say why {name} moves to {stage} (a reason is kept with every move)").format(name=account.name, stage=stage_name(stage)))
        self.tables.change_stage(account.id, stage, account.stage, reason, self.clock())
        return self.get(account.id)

    def lines(self, order: str = "recent", stage: str | None = None, limit: int | None = None, *,
              rep: str | None = None, team: str | None = None) -> list[AccountLine]:
        return self.tables.account_lines(order, stage, limit, rep=rep, team=team)

    # -- people ---------------------------------------------------------------------------------

    def add_contact(self, account: Account, name: str, role: str = "", title: str = "", email: str = "", phone: str = "") -> Contact:
        name = one_line(name, _("the contact's name"))
        if not name:
            raise AccountError(_("a contact needs a name"))
        role = checked_choice(role, DECISION_ROLES, _("role in the decision"))
        contact_id = self.tables.add_contact(account.id, name, self.clock(), role, one_line(title, _("the job title")),
                                             one_line(email, _("the e-mail")), one_line(phone, _("the phone")))
        return next(c for c in self.tables.contacts(account.id) if c.id == contact_id)

    def set_role(self, contact: Contact, role: str) -> None:
        self.tables.update_contact(contact.id, role=checked_choice(role, DECISION_ROLES, _("role in the decision")))

    def contacts(self, account: Account) -> list[Contact]:
        return self.tables.contacts(account.id)

    # -- interactions ---------------------------------------------------------------------------

    def log(self, account: Account, kind: str, text: str, due: str = "", language: str = "en") -> Interaction:
        """A call, an e-mail, an offer or a note; `due`, in words ("Friday", "in 2 weeks"), is a
        follow-up date that then shows in the agenda."""
        kind = checked_choice(kind, INTERACTION_KINDS, _("kind of interaction"))
        if not kind:
            raise AccountError(_("which kind? one of {allowed}").format(allowed=", ".join(INTERACTION_KINDS)))
        lines = [" ".join(line.split()) for line in str(text).strip().splitlines()]
        text = "\n".join(lines).strip()
        if not text:
            raise AccountError(_("say what happened (the text is empty)"))
        if len(text) > MAX_TEXT:
            raise AccountError(_("the text is {length:,} characters long; at most {limit:,}").format(length=len(text), limit=MAX_TEXT))
        interaction_id = self.tables.log(account.id, kind, text, self.clock(), self.due_date(due, language))
        found = self.tables.interaction(interaction_id)
        assert found is not None
        return found

    def due_date(self, due: str, language: str = "en") -> str:
        """A follow-up date in words as an ISO date, from today on; "" when none is given."""
        due = " ".join(str(due).split())
        if not due:
            return ""
        from ..meeting.dates import DateError, parse_due

        today = date.fromtimestamp(self.clock())
        try:
            day = parse_due(due, language, today)
        except DateError as error:
            raise AccountError(str(error)) from None
        if day < today:
            raise AccountError(_("'{due}' is {day}, in the past; give a date from today on").format(due=due, day=day.isoformat()))
        return day.isoformat()

    def follow_up_done(self, interaction_id: int, done: bool = True) -> None:
        if self.tables.interaction(interaction_id) is None:
            raise AccountError(_("no follow-up F:{id}").format(id=interaction_id))
        self.tables.set_follow_up_done(interaction_id, done)
