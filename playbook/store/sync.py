"""Offline-first sync between a rep's store (SQLite on the laptop) and the team's (PostgreSQL).

A rep records everything locally, with or without a network; `playbook sync` then makes the two
stores hold the same thing, both ways:

- Sessions and their events. Events are immutable and named everywhere by (session id, number):
  a session is only ever written by the laptop that recorded it, so whichever store has more of
  its events copies them, with the session's summary row, its objections and actions and its
  rows in the learning tables, to the other. Every copy is an upsert or an insert that skips
  what is there, in transactions of about BATCH_EVENTS events: killed at any point, the next run
  finishes the work and adds nothing twice. Events are read before the row that summarises them,
  so a summary is never older than the events sent with it.
- Accounts, matched by their name key (the same company typed two ways is one account). Funnel
  moves, contacts and interactions are rows with a uid (schema version 5), copied by it, never
  rewritten. The rule for what is mutable:
  * an account's funnel stage is the stage of its latest move (by time, then by rep name, then
    uid); both moves stay in its history, and when both sides moved the same account since they
    last met, sync says so (a conflict line, with both moves and the stage kept);
  * its other fields (value, need, notes...): the side that changed since the last sync wins
    (the laptop keeps what both held then); changed on both sides, or never synced before, the
    version edited later wins as a whole, and the conflict is said with what was replaced;
  * a follow-up ticked done on either side is done on both; the last contact is the later one.
- Drafts and preparations stay on the laptop: they are one rep's work in progress.

A session id found on both sides with different creation times would be two sessions under one
name (ids are 48 random bits); the local one is given a new id first, and sync says so.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Sequence

from .sqlite import Store

BATCH_EVENTS = 2000
SESSION_COLUMNS = ("id", "kind", "playbook", "prospect", "company", "created_at", "updated_at", "ended_at", "score",
                   "playbook_hash", "outcome", "rep", "verdict", "account_id", "meeting_type", "items_seq", "account_check", "team")
PER_SESSION = {  # the rows each session has beside its events, copied with it
    "meeting_items": ("session_id", "kind", "number", "text", "detail", "due", "status", "at", "carried_from"),
    "learning_objections": ("session_id", "number", "objection", "text", "score", "stage", "situation", "outcome", "at"),
    "learning_responses": ("session_id", "number", "position", "objection", "response", "result", "at"),
    "learning_closings": ("session_id", "position", "closing", "result", "at"),
    "learning_answers": ("session_id", "question", "value"),
}
ACCOUNT_FIELDS = ("name", "buying_stage", "value", "potential", "need", "effort", "notes")
ACCOUNT_COLUMNS = ("id", "name_key", "stage", "created_at", "updated_at", "last_contact_at", *ACCOUNT_FIELDS)
BY_UID = {  # rows of an account copied by uid: their columns besides id, account_id and uid
    "stage_changes": ("at", "stage", "previous", "reason", "rep"),
    "contacts": ("name", "role", "title", "email", "phone", "created_at"),
    "interactions": ("at", "kind", "text", "due", "done"),
}


@dataclass
class SyncReport:
    """What a sync did, for the rep to read."""

    sent_sessions: int = 0
    sent_events: int = 0
    received_sessions: int = 0
    received_events: int = 0
    sent_accounts: int = 0
    received_accounts: int = 0
    sent_rows: int = 0  # funnel moves, contacts and interactions
    received_rows: int = 0
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"sent {self.sent_events} events ({self.sent_sessions} sessions), {self.sent_accounts} accounts,"
               f" {self.sent_rows} funnel moves, contacts and interactions",
               f"received {self.received_events} events ({self.received_sessions} sessions), {self.received_accounts} accounts,"
               f" {self.received_rows} funnel moves, contacts and interactions"]
        out += [f"conflict: {line}" for line in self.conflicts]
        out += [f"note: {line}" for line in self.notes]
        return out


def sync(local: Store, team: Store, *, batch_events: int = BATCH_EVENTS, shown: Callable[[str], str] = str) -> SyncReport:
    """Make `local` and `team` hold the same sessions, events and accounts (see the module's
    docstring for the rules). `shown` cleans names for the report's lines."""
    report = SyncReport()
    for store in (local, team):
        _give_uids(store)
    _sync_accounts(local, team, report, shown)
    keys_local, keys_team = _account_keys(local), _account_keys(team)
    _sync_rows(local, team, keys_local, keys_team, report, shown)
    _sync_sessions(local, team, keys_local, keys_team, report, batch_events)
    return report


# -- plumbing -------------------------------------------------------------------------------------


def _rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    return store._db.execute(sql, params).fetchall()


def _marks(n: int) -> str:
    return ", ".join("?" for _ in range(n))


def _give_uids(store: Store) -> None:
    """Rows written before uids existed (or by a CSV import) get one, once."""
    with store._transaction():
        for table in BY_UID:
            ids = [row[0] for row in _rows(store, f"SELECT id FROM {table} WHERE uid IS NULL")]
            if ids:
                store._db.executemany(f"UPDATE {table} SET uid = ? WHERE id = ?", [(uuid.uuid4().hex, i) for i in ids])


def _account_keys(store: Store) -> tuple[dict[int, str], dict[str, int]]:
    rows = _rows(store, "SELECT id, name_key FROM accounts")
    return {i: k for i, k in rows}, {k: i for i, k in rows}


# -- accounts -------------------------------------------------------------------------------------


def _accounts(store: Store) -> dict[str, dict[str, Any]]:
    return {row[1]: dict(zip(ACCOUNT_COLUMNS, row))
            for row in _rows(store, f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM accounts")}


def _insert_account(store: Store, account: dict[str, Any]) -> None:
    columns = [c for c in ACCOUNT_COLUMNS if c != "id"]
    store._db.execute(f"INSERT INTO accounts ({', '.join(columns)}) VALUES ({_marks(len(columns))})"
                      " ON CONFLICT (name_key) DO NOTHING", [account[c] for c in columns])


def _sync_accounts(local: Store, team: Store, report: SyncReport, shown: Callable[[str], str]) -> None:
    """Accounts only on one side are copied; an account on both whose fields differ takes the
    side that changed since the last sync (the laptop remembers what both held then, in
    synced_accounts); changed on both sides (or never synced), the later edit wins, said."""
    mine, theirs = _accounts(local), _accounts(team)
    where = str(team.path)
    known = {key: fields for key, fields in _rows(local, "SELECT name_key, fields FROM synced_accounts WHERE team = ?", (where,))}
    with team._transaction():
        for key in mine.keys() - theirs.keys():
            _insert_account(team, mine[key])
            report.sent_accounts += 1
    with local._transaction():
        for key in theirs.keys() - mine.keys():
            _insert_account(local, theirs[key])
            report.received_accounts += 1
    final: dict[str, str] = {}  # the fields both sides hold once done
    for key in sorted(mine.keys() & theirs.keys()):
        a, b = mine[key], theirs[key]
        last = max(a["last_contact_at"] or 0, b["last_contact_at"] or 0) or None
        differing = [f for f in ACCOUNT_FIELDS if a[f] != b[f]]
        if not differing:
            kept = a
        elif known.get(key) == _fields(a):  # only the team's changed since the last sync
            kept = b
            report.received_accounts += 1
        elif known.get(key) == _fields(b):  # only yours changed
            kept = a
            report.sent_accounts += 1
        else:
            kept, lost, side = (a, b, "yours") if a["updated_at"] > b["updated_at"] else (b, a, "the team's")
            changes = ", ".join(f"{f} {_value(lost[f])} -> {_value(kept[f])}" for f in differing)
            report.conflicts.append(f"account {shown(kept['name'])}: edited on both sides; kept {side} (edited later): {changes}")
        final[key] = _fields(kept)
        for store, row in ((local, a), (team, b)):
            if any(row[f] != kept[f] for f in ACCOUNT_FIELDS) or row["last_contact_at"] != last or row["updated_at"] < kept["updated_at"]:
                sets = ", ".join(f"{f} = ?" for f in ACCOUNT_FIELDS)
                with store._transaction():
                    store._db.execute(f"UPDATE accounts SET {sets}, updated_at = ?, last_contact_at = ? WHERE name_key = ?",
                                      [*(kept[f] for f in ACCOUNT_FIELDS), max(a["updated_at"], b["updated_at"]), last, key])
    # What both sides hold now is the base of the next sync's comparison.
    now = {key: _fields(row) for key, row in {**theirs, **mine}.items()}
    now.update(final)
    changed = [(where, key, fields) for key, fields in now.items() if known.get(key) != fields]
    if changed:
        with local._transaction():
            local._db.executemany("INSERT INTO synced_accounts (team, name_key, fields) VALUES (?, ?, ?)"
                                  " ON CONFLICT (team, name_key) DO UPDATE SET fields = excluded.fields", changed)


def _fields(account: dict[str, Any]) -> str:
    return json.dumps([account[f] for f in ACCOUNT_FIELDS], ensure_ascii=False)


def _day(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M")


def _value(value: Any) -> str:
    return '""' if value in ("", None) else str(value)


# -- funnel moves, contacts, interactions ---------------------------------------------------------


def _uid_rows(store: Store, table: str, keys: dict[int, str]) -> dict[str, tuple]:
    """uid: (account key, columns...)"""
    columns = BY_UID[table]
    return {row[0]: (keys.get(row[1]), *row[2:])
            for row in _rows(store, f"SELECT uid, account_id, {', '.join(columns)} FROM {table}")}


def _sync_rows(local: Store, team: Store, keys_local, keys_team, report: SyncReport, shown: Callable[[str], str]) -> None:
    moved: dict[str, dict[str, list[tuple]]] = {}  # account key: side it came from: moves copied
    for table, columns in BY_UID.items():
        mine, theirs = _uid_rows(local, table, keys_local[0]), _uid_rows(team, table, keys_team[0])
        for source, target, target_ids, side in ((mine, team, keys_team[1], "local"), (theirs, local, keys_local[1], "team")):
            missing = [(uid, row) for uid, row in source.items() if uid not in (theirs if source is mine else mine)]
            rows = [(uid, target_ids[row[0]], *row[1:]) for uid, row in missing if row[0] in target_ids]
            if rows:
                with target._transaction():
                    target._db.executemany(
                        f"INSERT INTO {table} (uid, account_id, {', '.join(columns)}) VALUES ({_marks(len(columns) + 2)})"
                        " ON CONFLICT (uid) DO NOTHING", rows)
                if side == "local":
                    report.sent_rows += len(rows)
                else:
                    report.received_rows += len(rows)
            if table == "stage_changes":
                for uid, row in missing:
                    moved.setdefault(row[0], {}).setdefault(side, []).append((uid, *row[1:]))
        if table == "interactions":  # done on either side is done on both
            done = {uid for uid, row in {**mine, **theirs}.items() if row[-1]}
            for store, rows in ((local, mine), (team, theirs)):
                undone = [(uid,) for uid in done if uid in rows and not rows[uid][-1]]
                if undone:
                    with store._transaction():
                        store._db.executemany("UPDATE interactions SET done = 1 WHERE uid = ?", undone)
    _settle_stages(local, team, moved, report, shown)


def _settle_stages(local: Store, team: Store, moved: dict[str, dict[str, list[tuple]]], report: SyncReport,
                   shown: Callable[[str], str]) -> None:
    """Each account whose moves changed takes the stage of its latest move, on both sides."""
    for key, sides in sorted(moved.items(), key=lambda item: str(item[0])):
        if key is None:
            continue
        latest = None
        for store in (local, team):
            rows = _rows(store, "SELECT m.at, coalesce(m.rep, ''), m.uid, m.stage FROM stage_changes m"
                                " JOIN accounts a ON a.id = m.account_id WHERE a.name_key = ?", (key,))
            for row in rows:
                latest = row if latest is None or row[:3] > latest[:3] else latest
        if latest is None:
            continue
        for store in (local, team):
            with store._transaction():
                store._db.execute("UPDATE accounts SET stage = ? WHERE name_key = ? AND stage != ?", (latest[3], key, latest[3]))
        if len(sides) == 2:  # both sides moved it since they last met
            name = _rows(local, "SELECT name FROM accounts WHERE name_key = ?", (key,))
            last_each = [max(sides[side], key=lambda move: move[1]) for side in ("local", "team")]  # each side's latest
            last_each.sort(key=lambda move: move[1])
            moves = "; ".join(f"{shown(move[5] or 'someone')} moved it to {move[2]} on {_day(move[1])}" for move in last_each)
            report.conflicts.append(f"account {shown(name[0][0] if name else key)}: funnel stage changed on both sides ({moves});"
                                    f" now {latest[3]} (the latest move wins; every move stays in its history)")


# -- sessions and events --------------------------------------------------------------------------


def _session_heads(store: Store) -> dict[str, tuple[float, int]]:
    """Each session's (created_at, last event number; -1 when it has none)."""
    rows = _rows(store, "SELECT s.id, s.created_at, coalesce(max(e.seq), -1) FROM sessions s"
                        " LEFT JOIN events e ON e.session_id = s.id GROUP BY s.id, s.created_at")
    return {i: (created, last) for i, created, last in rows}


def _sync_sessions(local: Store, team: Store, keys_local, keys_team, report: SyncReport, batch_events: int) -> None:
    mine, theirs = _session_heads(local), _session_heads(team)
    for session_id in sorted(mine.keys() & theirs.keys()):
        if mine[session_id][0] != theirs[session_id][0]:
            new_id = _rekey(local, session_id)
            report.notes.append(f"session {session_id} had the same id as another session on the team's store;"
                                f" yours is now {new_id}")
            mine[new_id] = mine.pop(session_id)
    send = {i: theirs[i][1] if i in theirs else None for i, (_, last) in mine.items() if i not in theirs or last > theirs[i][1]}
    receive = {i: mine[i][1] if i in mine else None for i, (_, last) in theirs.items() if i not in mine or last > mine[i][1]}
    sessions, events = _copy_sessions(local, team, send, mine, keys_local[0], keys_team[1], batch_events)
    report.sent_sessions, report.sent_events = sessions, events
    sessions, events = _copy_sessions(team, local, receive, theirs, keys_team[0], keys_local[1], batch_events)
    report.received_sessions, report.received_events = sessions, events


def _copy_sessions(source: Store, target: Store, wanted: dict[str, int | None], heads: dict[str, tuple[float, int]],
                   source_keys: dict[int, str], target_ids: dict[str, int], batch_events: int) -> tuple[int, int]:
    """Copy the sessions in `wanted` (id: the last event the target has, None when it has none)."""
    batch: list[str] = []
    size = copied = 0
    for session_id in sorted(wanted, key=lambda i: heads[i][0]):
        batch.append(session_id)
        size += heads[session_id][1] - (wanted[session_id] if wanted[session_id] is not None else -1)
        if size >= batch_events:
            copied += _copy_batch(source, target, batch, wanted, source_keys, target_ids)
            batch, size = [], 0
    if batch:
        copied += _copy_batch(source, target, batch, wanted, source_keys, target_ids)
    return len(wanted), copied


def _copy_batch(source: Store, target: Store, ids: list[str], wanted: dict[str, int | None],
                source_keys: dict[int, str], target_ids: dict[str, int]) -> int:
    marks = _marks(len(ids))
    # Events first, then what summarises them: the summary copied is never older than its events.
    events = [row for row in _rows(source, f"SELECT session_id, seq, at, type, data FROM events WHERE session_id IN ({marks})", ids)
              if wanted[row[0]] is None or row[1] > wanted[row[0]]]
    sessions = _rows(source, f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE id IN ({marks})", ids)
    account = SESSION_COLUMNS.index("account_id")
    sessions = [(*row[:account], target_ids.get(source_keys.get(row[account])), *row[account + 1:]) for row in sessions]
    per_session = {table: _rows(source, f"SELECT {', '.join(columns)} FROM {table} WHERE session_id IN ({marks})", ids)
                   for table, columns in PER_SESSION.items()}
    updates = ", ".join(f"{c} = excluded.{c}" for c in SESSION_COLUMNS if c != "id")
    with target._transaction():
        target._db.executemany(f"INSERT INTO sessions ({', '.join(SESSION_COLUMNS)}) VALUES ({_marks(len(SESSION_COLUMNS))})"
                               f" ON CONFLICT (id) DO UPDATE SET {updates}", sessions)
        target._db.executemany("INSERT INTO events (session_id, seq, at, type, data) VALUES (?, ?, ?, ?, ?)"
                               " ON CONFLICT (session_id, seq) DO NOTHING", events)
        for table, columns in PER_SESSION.items():
            target._db.execute(f"DELETE FROM {table} WHERE session_id IN ({marks})", ids)
            target._db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(len(columns))})", per_session[table])
    return len(events)


def _rekey(store: Store, session_id: str) -> str:
    """Give a local session a new id (before it is ever sent: its old one belongs to another)."""
    new_id = uuid.uuid4().hex[:12]
    with store._transaction():
        columns = ", ".join(c for c in SESSION_COLUMNS if c != "id")
        store._db.execute(f"INSERT INTO sessions (id, {columns}) SELECT ?, {columns} FROM sessions WHERE id = ?", (new_id, session_id))
        for table in ("events", "drafts", "preparations", *PER_SESSION):
            store._db.execute(f"UPDATE {table} SET session_id = ? WHERE session_id = ?", (new_id, session_id))
        store._db.execute("UPDATE meeting_items SET carried_from = ? || substr(carried_from, ?) WHERE carried_from LIKE ? || '#%'",
                          (new_id, len(session_id) + 1, session_id))
        store._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
    return new_id
