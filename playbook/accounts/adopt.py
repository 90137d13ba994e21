"""Meetings recorded before accounts existed (or started without one) filed under accounts.

Run whenever a front end opens the store to write: each meeting's company is looked up once.
The same name (case, accents, punctuation and a legal form aside) joins that account; a name
seen for the first time makes a new account; a name close to another account's ("Initech Labs"
next to "Initech") is left for the rep to settle (the app asks, `playbook accounts link` too).
Meetings written by the release before accounts also get their objections and actions as rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..i18n import _
from ..meeting.items import meeting_items
from ..meeting.state import fold
from ..model.accounts import name_key
from ..store.sqlite import SessionInfo
from .book import AccountBook

OUTCOME_STAGES = {"won": "customer", "lost": "lost"}  # a meeting's outcome says where the new account stands


@dataclass(frozen=True)
class Adoption:
    linked: int = 0  # meetings filed under an account
    created: int = 0  # accounts made for companies seen for the first time
    to_ask: int = 0  # meetings whose company is close to more than one account
    items: int = 0  # older meetings whose objections and actions became rows


def adopt_sessions(book: AccountBook) -> Adoption:
    tables, store = book.tables, book.store
    if not tables.available:
        return Adoption()
    items = 0
    for session_id in tables.sessions_without_items():
        records = store.events(session_id)
        store.save_items(session_id, records[-1].seq if records else 0, meeting_items(fold(records)))
        items += 1
    linked = created = to_ask = 0
    for session_id, company, created_at, outcome in tables.sessions_to_check():
        company = " ".join(company.split())
        key = name_key(company)
        if not key:
            tables.link_session(session_id, None, "none")
            continue
        existing = book.index.by_key.get(key)
        if existing is not None:
            tables.link_session(session_id, existing, "linked")
            linked += 1
            continue
        if book.index.close_to(company):
            tables.link_session(session_id, None, "ask")
            to_ask += 1
            continue
        when = datetime.fromtimestamp(created_at).strftime("%Y-%m-%d")
        account = book.add(company[:200], OUTCOME_STAGES.get(outcome or "", "prospect"),
                           reason=_("met on {date}, before accounts were kept").format(date=when), at=created_at)
        tables.link_session(session_id, account.id, "linked")
        linked += 1
        created += 1
    return Adoption(linked, created, to_ask, items)


@dataclass(frozen=True)
class OpenQuestion:
    """Meetings under one company name that could belong to more than one account."""

    company: str
    sessions: tuple[tuple[str, str, float], ...]  # (id, prospect, created_at)
    candidates: tuple[tuple[int, str], ...]  # (account id, name) it is close to


def open_questions(book: AccountBook) -> list[OpenQuestion]:
    """The meetings waiting for the rep to say which account they belong to, by company."""
    groups: dict[str, list[tuple[str, str, str, float]]] = {}
    for row in book.tables.sessions_to_ask():
        groups.setdefault(name_key(row[2]), []).append(row)
    out = []
    for rows in groups.values():
        company = rows[0][2]
        close = book.index.close_to(company)
        out.append(OpenQuestion(company, tuple((r[0], r[1], r[3]) for r in rows), tuple((c.account_id, c.name) for c in close)))
    return out


def settle(book: AccountBook, session_ids: list[str], account_id: int | None, new: bool = False) -> int | None:
    """File meetings under an account (`account_id`), a new account named after their company
    (`new`), or under none (both unset). The account's id, or None."""
    if new:
        info: SessionInfo = book.store.info(session_ids[0])
        existing = book.index.by_key.get(name_key(info.company))
        if existing is not None:
            account_id = existing
        else:
            account_id = book.add(info.company, OUTCOME_STAGES.get(info.outcome or "", "prospect"),
                                  reason=_("a meeting with {company}").format(company=info.company)).id
    elif account_id is not None:
        book.get(account_id)
    for session_id in session_ids:
        book.tables.link_session(session_id, account_id, "linked" if account_id is not None else "none")
    return account_id
