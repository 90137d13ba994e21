"""The account tables (see account_schema.py): plain parameterised SQL behind one method per need,
in the SQL both SQLite and PostgreSQL accept (the store's connection runs it on either).

Like the session tables, every row is checked before it becomes a model object: a damaged row
(a value of the wrong type, written by another program or a failing disk) is skipped and said
once in the store's `damaged` list; the rest is still read.
"""

from __future__ import annotations

import functools
import json
import math
import uuid
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

from ..model.accounts import Account, AccountLine, Contact, FollowUp, Interaction, OpenItem, PreparationRecord, StageChange
from .connection import DbIntegrityError
from .identity import current_rep
from .sqlite import ACCOUNTS_VERSION, LATER_CONTACT, TEAM_VERSION, SessionInfo, Store, StoreError, _is_time, _kind_of, _shown

ACCOUNT_COLUMNS = "a.id, a.name, a.stage, a.buying_stage, a.value, a.potential, a.need, a.effort, a.notes, a.created_at, a.updated_at, a.last_contact_at"
_ACCOUNT_SPEC = (("id", "id"), ("name", "text"), ("stage", "text"), ("buying_stage", "text"), ("value", "number?"),
                 ("potential", "number?"), ("need", "text"), ("effort", "text"), ("notes", "text"), ("created_at", "time"),
                 ("updated_at", "time"), ("last_contact_at", "time?"))
_CONTACT_SPEC = (("id", "id"), ("account_id", "id"), ("name", "text"), ("role", "text"), ("title", "text"), ("email", "text"),
                 ("phone", "text"), ("created_at", "time"))
_STAGE_SPEC = (("id", "id"), ("account_id", "id"), ("at", "time"), ("stage", "text"), ("previous", "text"), ("reason", "text"))
_INTERACTION_SPEC = (("id", "id"), ("account_id", "id"), ("at", "time"), ("kind", "text"), ("text", "text"), ("due", "text"),
                     ("done", "id"))
_ITEM_SPEC = (("session_id", "text"), ("kind", "text"), ("number", "id"), ("text", "text"), ("detail", "text"), ("due", "text"),
              ("status", "text"), ("at", "time"), ("carried_from", "text"))
# An item another meeting took over ("carried") no longer counts where it was first written.
NOT_CARRIED = ("NOT EXISTS (SELECT 1 FROM meeting_items c WHERE c.carried_from = i.session_id || '#' || i.number"
               " AND c.kind = i.kind)")


def new_uid() -> str:
    """A row's id in every store of the team (sync.py copies rows by it)."""
    return uuid.uuid4().hex


def wrong_column(spec: Sequence[tuple[str, str]], values: Sequence[Any]) -> str | None:
    """Why a row's values do not have the types its columns promise, or None. (Run on every row
    a list reads: 10,000 accounts make 150,000 checks, so each is a type test, not a parse.)"""
    for (name, kind, nullable), value in zip(_compiled(tuple(spec)), values):
        if value is None:
            if nullable:
                continue
        elif kind == "text":
            if type(value) is str:
                continue
        elif kind == "id":
            if type(value) is int:
                continue
        elif kind == "time":
            if _is_time(value):
                continue
        elif (type(value) is int or type(value) is float) and math.isfinite(value):
            continue
        return f"{name} holds {_kind_of(value)}, not {'' if kind == 'text' else 'an ' if kind == 'id' else 'a '}{kind}"
    return None


@functools.lru_cache(maxsize=64)
def _compiled(spec: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, bool], ...]:
    """(name, kind, nullable) for each column: "text?" read once, not on every row."""
    return tuple((name, kind.rstrip("?"), kind.endswith("?")) for name, kind in spec)


class AccountTables:
    """Accounts, contacts, funnel moves, interactions, meeting items and preparations in a Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._db = store._db

    # -- plumbing --------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether the database has the account tables (a database opened read-only is never migrated)."""
        return not self.store.empty and self.store.version() >= ACCOUNTS_VERSION

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes that are saved together or not at all (inside an outer one, part of it)."""
        if self._db.in_transaction:
            yield
            return
        try:
            with self.store._transaction():
                yield
        except DbIntegrityError as exc:
            raise StoreError(str(exc)) from None

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple]:
        if not self.available:
            return []
        return self._db.execute(query, params).fetchall()

    def _write(self, query: str, params: Sequence[Any] = ()) -> None:
        """One statement in its own transaction (or the caller's)."""
        with self.transaction():
            self._db.execute(query, params)

    def _insert(self, query: str, params: Sequence[Any] = ()) -> int:
        """One INSERT in its own transaction (or the caller's); the new row's id."""
        with self.transaction():
            return self._db.insert(query, params)

    def _checked(self, rows: Iterable[tuple], spec, what: str, build) -> list:
        out = []
        for row in rows:
            wrong = wrong_column(spec, row)
            if wrong is None:
                out.append(build(row))
            else:
                self.store.damage(f"{what} {_shown(row[0])}: {wrong}")
        return out

    # -- accounts ----------------------------------------------------------------------------

    def add_account(self, name: str, key: str, stage: str, now: float, *, buying_stage: str = "", value: float | None = None,
                    potential: float | None = None, need: str = "", effort: str = "", notes: str = "") -> int:
        return self._insert(
            "INSERT INTO accounts (name, name_key, stage, buying_stage, value, potential, need, effort, notes, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, key, stage, buying_stage, value, potential, need, effort, notes, now, now))

    def update_account(self, account_id: int, now: float, **fields: Any) -> None:
        allowed = {"name", "name_key", "buying_stage", "value", "potential", "need", "effort", "notes"}
        names = [name for name in fields if name in allowed]
        if not names:
            return
        sets = ", ".join(f"{name} = ?" for name in names)
        self._write(f"UPDATE accounts SET {sets}, updated_at = ? WHERE id = ?", (*(fields[n] for n in names), now, account_id))

    def change_stage(self, account_id: int, stage: str, previous: str, reason: str, at: float, rep: str | None = None) -> None:
        """The account moves in the funnel: the move is kept, dated, with its reason and who made it
        (by default the rep of identity.py)."""
        rep = current_rep(strict=False) if rep is None else rep
        with self.transaction():
            self._db.execute("INSERT INTO stage_changes (account_id, at, stage, previous, reason, uid, rep) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (account_id, at, stage, previous, reason, new_uid(), rep or None))
            self._db.execute("UPDATE accounts SET stage = ?, updated_at = ? WHERE id = ?", (stage, at, account_id))

    def account(self, account_id: int) -> Account | None:
        rows = self._rows(f"SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = ?", (account_id,))
        found = self._checked(rows, _ACCOUNT_SPEC, "account", lambda r: Account(*r))
        return found[0] if found else None

    def account_by_key(self, key: str) -> Account | None:
        rows = self._rows(f"SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.name_key = ?", (key,))
        found = self._checked(rows, _ACCOUNT_SPEC, "account", lambda r: Account(*r))
        return found[0] if found else None

    def account_keys(self) -> dict[int, tuple[str, str]]:
        """Every account's (name, name_key) by id: what fuzzy search looks through."""
        return {r[0]: (r[1], r[2]) for r in self._rows("SELECT id, name, name_key FROM accounts")
                if isinstance(r[0], int) and isinstance(r[1], str) and isinstance(r[2], str)}

    def account_lines(self, order: str = "recent", stage: str | None = None, limit: int | None = None, *,
                      rep: str | None = None, team: str | None = None) -> list[AccountLine]:
        """Accounts with how much happened with each and their next follow-up. `order`: recent
        (last contact first), name, or value (highest first). `rep`, `team`: only the accounts
        that rep (a rep of that team) held a meeting with."""
        wheres: list[str] = []
        params: list[Any] = []
        if stage:
            wheres.append("a.stage = ?")
            params.append(stage)
        if rep or team:
            if team and self.store.version() < TEAM_VERSION:
                return []  # no session of this older store was stamped with a team
            who = " AND ".join(clause for clause, value in (("s.rep = ?", rep), ("s.team = ?", team)) if value)
            wheres.append(f"EXISTS (SELECT 1 FROM sessions s WHERE s.account_id = a.id AND {who})")
            params.extend(value for value in (rep, team) if value)
        ordering = {"recent": "a.last_contact_at IS NULL, a.last_contact_at DESC, a.id DESC",
                    "name": "a.name_key, a.id", "value": "a.value IS NULL, a.value DESC, a.name_key"}[order]
        query = (
            f"SELECT {ACCOUNT_COLUMNS},"
            " (SELECT count(*) FROM interactions n WHERE n.account_id = a.id),"
            " (SELECT count(*) FROM sessions s WHERE s.account_id = a.id AND s.kind = 'meeting'),"
            " (SELECT min(due) FROM ("
            "   SELECT n.due AS due FROM interactions n WHERE n.account_id = a.id AND n.done = 0 AND n.due != ''"
            "   UNION ALL SELECT i.due FROM sessions s JOIN meeting_items i ON i.session_id = s.id"
            f"   WHERE s.account_id = a.id AND i.kind = 'action' AND i.status = 'open' AND i.due != '' AND {NOT_CARRIED}) AS dues)"
            " FROM accounts a" + (f" WHERE {' AND '.join(wheres)}" if wheres else "") + f" ORDER BY {ordering}"
            + (" LIMIT ?" if limit else ""))
        params += [limit] if limit else []
        spec = (*_ACCOUNT_SPEC, ("interactions", "id"), ("meetings", "id"), ("next_due", "text?"))
        return self._checked(self._rows(query, params), spec, "account",
                             lambda r: AccountLine(Account(*r[:12]), r[12], r[13], r[14] or ""))

    def values_by(self, column: str) -> list[tuple[str, int, float]]:
        """(group, accounts, total value) for each stage or need."""
        if column not in ("stage", "need"):
            raise ValueError(column)
        rows = self._rows(f"SELECT {column}, count(*), coalesce(sum(value), 0) FROM accounts GROUP BY {column} ORDER BY {column}")
        return [(g, n, float(v)) for g, n, v in rows if isinstance(g, str) and isinstance(n, int) and isinstance(v, (int, float))]

    def values(self) -> list[tuple[int, str, float | None]]:
        """Every account's (id, name, value), highest value first."""
        return [r for r in self._rows("SELECT id, name, value FROM accounts ORDER BY value IS NULL, value DESC, name_key")
                if isinstance(r[0], int) and isinstance(r[1], str) and (r[2] is None or isinstance(r[2], (int, float)))]

    # -- contacts --------------------------------------------------------------------------

    def add_contact(self, account_id: int, name: str, now: float, role: str = "", title: str = "", email: str = "",
                    phone: str = "") -> int:
        return self._insert("INSERT INTO contacts (account_id, name, role, title, email, phone, created_at, uid)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (account_id, name, role, title, email, phone, now, new_uid()))

    def update_contact(self, contact_id: int, **fields: Any) -> None:
        names = [n for n in fields if n in ("name", "role", "title", "email", "phone")]
        if names:
            self._write(f"UPDATE contacts SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                        (*(fields[n] for n in names), contact_id))

    def contacts(self, account_id: int) -> list[Contact]:
        rows = self._rows("SELECT id, account_id, name, role, title, email, phone, created_at FROM contacts"
                          " WHERE account_id = ? ORDER BY id", (account_id,))
        return self._checked(rows, _CONTACT_SPEC, "contact", lambda r: Contact(*r))

    # -- interactions ----------------------------------------------------------------------

    def log(self, account_id: int, kind: str, text: str, at: float, due: str = "") -> int:
        with self.transaction():
            new_id = self._db.insert("INSERT INTO interactions (account_id, at, kind, text, due, uid) VALUES (?, ?, ?, ?, ?, ?)",
                                     (account_id, at, kind, text, due, new_uid()))
            self._db.execute(LATER_CONTACT, (at, account_id, at))
        return new_id

    def interaction(self, interaction_id: int) -> Interaction | None:
        rows = self._rows("SELECT id, account_id, at, kind, text, due, done FROM interactions WHERE id = ?", (interaction_id,))
        found = self._checked(rows, _INTERACTION_SPEC, "interaction", lambda r: Interaction(*r[:6], bool(r[6])))
        return found[0] if found else None

    def set_follow_up_done(self, interaction_id: int, done: bool) -> None:
        self._write("UPDATE interactions SET done = ? WHERE id = ?", (1 if done else 0, interaction_id))

    def interactions(self, account_id: int) -> list[Interaction]:
        rows = self._rows("SELECT id, account_id, at, kind, text, due, done FROM interactions WHERE account_id = ?"
                          " ORDER BY at DESC, id DESC", (account_id,))
        return self._checked(rows, _INTERACTION_SPEC, "interaction", lambda r: Interaction(*r[:6], bool(r[6])))

    def stage_changes(self, account_id: int) -> list[StageChange]:
        rows = self._rows("SELECT id, account_id, at, stage, previous, reason FROM stage_changes WHERE account_id = ?"
                          " ORDER BY at DESC, id DESC", (account_id,))
        return self._checked(rows, _STAGE_SPEC, "stage change", lambda r: StageChange(*r))

    # -- meetings ----------------------------------------------------------------------------

    def meetings(self, account_id: int) -> list[SessionInfo]:
        """The account's meetings, most recent first."""
        rows = self._rows(self.store._SELECT + " WHERE s.account_id = ? AND s.kind = 'meeting' ORDER BY s.created_at DESC",
                          (account_id,))
        return [info for row in rows if (info := self.store._session_info(row)) is not None]

    def items(self, account_id: int, open_only: bool = True) -> list[OpenItem]:
        """The objections and actions of the account's meetings; by default only those still open
        (an objection open, parked or unresolved, an action not done) and not taken over by a later meeting."""
        query = ("SELECT i.session_id, i.kind, i.number, i.text, i.detail, i.due, i.status, i.at, i.carried_from"
                 " FROM sessions s JOIN meeting_items i ON i.session_id = s.id WHERE s.account_id = ?")
        if open_only:
            query += f" AND i.status IN ('open', 'parked', 'unresolved') AND {NOT_CARRIED}"
        query += " ORDER BY i.at DESC, i.session_id, i.kind, i.number"
        return self._checked(self._rows(query, (account_id,)), _ITEM_SPEC, "meeting item", lambda r: OpenItem(*r))

    def link_session(self, session_id: str, account_id: int | None, check: str) -> None:
        with self.transaction():
            self._db.execute("UPDATE sessions SET account_id = ?, account_check = ? WHERE id = ?", (account_id, check, session_id))
            if account_id is not None:
                row = self._db.execute("SELECT created_at FROM sessions WHERE id = ?", (session_id,)).fetchone()
                if row is not None and _is_time(row[0]):
                    self._db.execute(LATER_CONTACT, (row[0], account_id, row[0]))

    def sessions_to_check(self) -> list[tuple[str, str, float, str | None]]:
        """Meetings whose company was never looked up among the accounts: (id, company, created_at,
        outcome), oldest first. A damaged row is left alone (the session list says it is damaged)."""
        rows = self._rows("SELECT id, company, created_at, outcome FROM sessions WHERE account_check IS NULL AND kind = 'meeting'"
                          " ORDER BY created_at, id")
        return [r for r in rows if isinstance(r[0], str) and isinstance(r[1], str) and _is_time(r[2])
                and (r[3] is None or isinstance(r[3], str))]

    def sessions_to_ask(self) -> list[tuple[str, str, str, float]]:
        """Meetings whose company is close to more than one account: (id, prospect, company, created_at)."""
        rows = self._rows("SELECT id, prospect, company, created_at FROM sessions WHERE account_check = 'ask' ORDER BY company, created_at")
        return [r for r in rows if all(isinstance(v, str) for v in r[:3]) and _is_time(r[3])]

    def sessions_without_items(self) -> list[str]:
        """Meetings written before accounts existed, whose objections and actions are not rows yet."""
        return [r[0] for r in self._rows("SELECT id FROM sessions WHERE items_seq IS NULL AND kind = 'meeting'")
                if isinstance(r[0], str)]

    # -- follow-ups --------------------------------------------------------------------------

    def follow_ups(self, until: str) -> list[FollowUp]:
        """Every open action and interaction follow-up due on or before `until` (an ISO date),
        earliest first. Meetings without an account show their company."""
        query = (
            "SELECT 'A:' || i.session_id || '#' || i.number, i.due, i.text, i.detail, s.account_id,"
            " coalesce(a.name, s.company), i.session_id, 'action'"
            " FROM meeting_items i JOIN sessions s ON s.id = i.session_id LEFT JOIN accounts a ON a.id = s.account_id"
            f" WHERE i.kind = 'action' AND i.status = 'open' AND i.due != '' AND i.due <= ? AND {NOT_CARRIED}"
            " UNION ALL"
            " SELECT 'F:' || n.id, n.due, n.text, '', n.account_id, a.name, '', n.kind"
            " FROM interactions n JOIN accounts a ON a.id = n.account_id WHERE n.done = 0 AND n.due != '' AND n.due <= ?"
            " ORDER BY 2, 6, 1")
        spec = (("ref", "text"), ("due", "text"), ("text", "text"), ("owner", "text"), ("account_id", "id?"),
                ("account", "text"), ("session_id", "text"), ("kind", "text"))
        return self._checked(self._rows(query, (until, until)), spec, "follow-up", lambda r: FollowUp(*r))

    # -- preparations ------------------------------------------------------------------------

    def open_preparation(self, account_id: int) -> PreparationRecord | None:
        """The account's preparation not yet taken up by a meeting (the latest)."""
        rows = self._rows("SELECT id, account_id, meeting_type, objectives, checked, research, created_at, updated_at, session_id"
                          " FROM preparations WHERE account_id = ? AND session_id IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1",
                          (account_id,))
        for row in rows:
            try:
                objectives, checked, research = json.loads(row[3]), json.loads(row[4]), json.loads(row[5])
                if not (isinstance(objectives, list) and isinstance(checked, list) and isinstance(research, dict)):
                    raise ValueError
                return PreparationRecord(row[0], row[1], str(row[2]), tuple(map(str, objectives)), tuple(map(str, checked)),
                                         {str(k): str(v) for k, v in research.items()}, row[6], row[7], row[8])
            except (ValueError, TypeError):
                self.store.damage(f"preparation {_shown(row[0])}: its data cannot be read")
        return None

    def save_preparation(self, account_id: int, meeting_type: str, objectives: Sequence[str], checked: Sequence[str],
                         research: dict[str, str], now: float) -> int:
        current = self.open_preparation(account_id)
        values = (meeting_type, json.dumps(list(objectives), ensure_ascii=False), json.dumps(list(checked), ensure_ascii=False),
                  json.dumps(research, ensure_ascii=False), now)
        if current is None:
            return self._insert("INSERT INTO preparations (meeting_type, objectives, checked, research, updated_at, account_id, created_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)", (*values, account_id, now))
        self._write("UPDATE preparations SET meeting_type = ?, objectives = ?, checked = ?, research = ?, updated_at = ? WHERE id = ?",
                    (*values, current.id))
        return current.id

    def take_up_preparation(self, preparation_id: int, session_id: str) -> None:
        self._write("UPDATE preparations SET session_id = ? WHERE id = ?", (session_id, preparation_id))
