"""The session store: every event committed the moment it happens, nothing ever rewritten.

By default one SQLite file (WAL journal) in the user's data directory, or `--db PATH`, or
`$PLAYBOOK_DB`; a `postgresql://` string there opens a team's PostgreSQL server instead (the same
Store, the same migrations: connection.py is the seam between them). The schema is versioned; a
database written by a newer version is refused, never altered. Every failure (corrupt, locked,
full disk, read-only, unreachable) becomes a StoreError with a clear message, raised before the
event is applied in memory, so the screen never shows what was not saved.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sqlite3
import time
import types
import typing
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

from ..model.events import EVENT_TYPES, Event, Recorded, event_from_json, event_to_json
from ..textsafety import printable
from . import projection
from .account_schema import ACCOUNTS_MIGRATION
from .connection import Connection, DbError, DbIntegrityError, SQLiteConnection, StoreError, sqlite_error
from .identity import current_team
from .location import default_location, is_server
from .projection import Projection

SCHEMA_VERSION = 6
LEARNING_VERSION = 3  # the version that adds who recorded a session and the learning tables
ACCOUNTS_VERSION = 4  # the version that added accounts (see account_schema.py)
TRANSCRIPT_VERSION = 5  # the version that brought the transcript tables
TEAM_VERSION = 6  # the version that added what a team store needs (see sync.py)
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'meeting',
            playbook TEXT NOT NULL,
            prospect TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            ended_at REAL,
            score REAL
        );
        CREATE INDEX sessions_by_update ON sessions (updated_at DESC);
        CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions (id),
            seq INTEGER NOT NULL,
            at REAL NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID;
    """,
    # Version 2: which playbook a meeting ran on (the `playbook` column now holds its spec:
    # builtin, builtin:NAME or an absolute path) and a hash of its files; the meeting's outcome;
    # half-typed text kept per box, so quitting or a crash never loses what was being typed.
    2: """
        ALTER TABLE sessions ADD COLUMN playbook_hash TEXT;
        ALTER TABLE sessions ADD COLUMN outcome TEXT;
        CREATE TABLE drafts (
            session_id TEXT NOT NULL REFERENCES sessions (id),
            box TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (session_id, box)
        ) WITHOUT ROWID;
    """,
    # Who recorded each session (see identity.py), the qualification verdict at its last event,
    # and the learning tables (projection.py), rebuilt from the events of older sessions.
    LEARNING_VERSION: """
        ALTER TABLE sessions ADD COLUMN rep TEXT;
        ALTER TABLE sessions ADD COLUMN verdict TEXT;
    """ + projection.TABLES_SQL,
    # Version 4: accounts, their contacts, funnel moves and logged interactions; each meeting's
    # objections and actions as they stand; preparations (see account_schema.py).
    ACCOUNTS_VERSION: ACCOUNTS_MIGRATION,
    # Version 5: a meeting's live transcript (issue 20). Each utterance the app consumed, in its
    # latest version (a partial line is replaced by the later line with the same id), in the order
    # first heard; and where following the transcript file stopped, so a resumed meeting goes on
    # from there.
    TRANSCRIPT_VERSION: """
        CREATE TABLE transcript_lines (
            session_id TEXT NOT NULL REFERENCES sessions (id),
            line_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            updated_at REAL NOT NULL,
            speaker TEXT NOT NULL DEFAULT '',
            role TEXT,
            text TEXT NOT NULL,
            final INTEGER NOT NULL,
            t0 REAL,
            t1 REAL,
            PRIMARY KEY (session_id, line_id)
        ) WITHOUT ROWID;
        CREATE TABLE transcript_sources (
            session_id TEXT PRIMARY KEY REFERENCES sessions (id),
            path TEXT NOT NULL,
            device INTEGER NOT NULL DEFAULT 0,
            inode INTEGER NOT NULL DEFAULT 0,
            "offset" INTEGER NOT NULL DEFAULT 0,
            line INTEGER NOT NULL DEFAULT 0,
            cues INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL
        ) WITHOUT ROWID;
    """,
    # Version 6, the team store: each session's team (a name from the rep's config), and a
    # globally unique id for the rows that sync copies between stores (funnel moves, contacts,
    # interactions), with who moved an account in the funnel. Events need none: a session's id
    # and the event's number already name it everywhere. synced_accounts: on a laptop, each
    # account's fields as both stores held them at the last sync (sync.py tells an edit on one
    # side from edits on both by it).
    TEAM_VERSION: """
        ALTER TABLE sessions ADD COLUMN team TEXT;
        CREATE INDEX sessions_by_rep ON sessions (rep, team);
        ALTER TABLE stage_changes ADD COLUMN uid TEXT;
        ALTER TABLE stage_changes ADD COLUMN rep TEXT;
        ALTER TABLE contacts ADD COLUMN uid TEXT;
        ALTER TABLE interactions ADD COLUMN uid TEXT;
        CREATE UNIQUE INDEX stage_changes_by_uid ON stage_changes (uid);
        CREATE UNIQUE INDEX contacts_by_uid ON contacts (uid);
        CREATE UNIQUE INDEX interactions_by_uid ON interactions (uid);
        CREATE TABLE synced_accounts (
            team TEXT NOT NULL,
            name_key TEXT NOT NULL,
            fields TEXT NOT NULL,
            PRIMARY KEY (team, name_key)
        ) WITHOUT ROWID
    """,
}
BUSY_TIMEOUT_MS = 3000
# An account's last contact moves forward only (the portable spelling of max(last, ?)).
LATER_CONTACT = "UPDATE accounts SET last_contact_at = ? WHERE id = ? AND (last_contact_at IS NULL OR last_contact_at < ?)"
_ID_PREFIX = re.compile(r"[0-9a-zA-Z_-]{1,64}")
LATEST_TIME = 253402300799.0  # 9999-12-31: a time past it (1e308) cannot be shown as a date


@dataclass(frozen=True)
class MeetingItem:
    """One objection or action of a meeting as it stands now (the meeting_items table)."""

    kind: str  # "objection" or "action"
    number: int
    text: str
    detail: str  # the objection's category, the action's owner
    due: str  # an action's ISO due date, "" when none
    status: str  # objection: open, parked, unresolved, resolved; action: open, done
    at: float
    carried_from: str = ""  # "SESSION#N" when brought over from an earlier meeting


@dataclass(frozen=True)
class SessionInfo:
    id: str
    kind: str
    playbook: str
    prospect: str
    company: str
    created_at: float
    updated_at: float
    ended_at: float | None
    score: float | None
    events: int
    playbook_hash: str | None = None
    outcome: str | None = None  # won, lost, next_meeting, no_decision; None while none is recorded
    account_id: int | None = None  # the account the meeting belongs to
    meeting_type: str = ""  # "" is the sales meeting
    rep: str | None = None  # who recorded it (identity.py); None when unknown

    @property
    def finished(self) -> bool:
        return self.ended_at is not None


def _version_and_tables(db: Connection) -> tuple[int, bool]:
    """The schema version and whether any table is there; the tables are read first, on purpose.

    Another program may be creating the tables right now; its migration commits the tables and the
    version at once. Read the tables first: if they are there, the version read after sees the same
    commit. The other order can see "no version yet" and then "tables": a playbook database taken
    for a stranger's (a failure seen in CI with six programs opening a fresh server at once).
    """
    tables = db.has_tables()
    return db.schema_version(), tables


def default_db_path() -> Path | str:
    """$PLAYBOOK_DB (a file, or a postgresql:// string), else $XDG_DATA_HOME/playbook/sessions.db,
    else ~/.local/share/playbook/sessions.db."""
    return default_location()


class Store:
    """The session database. Open with Store.open(path); use as a context manager or call close()."""

    def __init__(self, connection: Connection, path: Path | str, *, empty: bool = False) -> None:
        self._db = connection
        self.path = path  # a file's Path, or a server's connection string without its password
        self.empty = empty  # a read-only look at a file with no tables yet (a zero-length file)
        # One line for each damaged row a read skipped: the rest is still shown (see `damage`).
        self.damaged: list[str] = []
        self._version: int | None = None

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True, readonly: bool = False) -> "Store":
        """Open (by default create and migrate) the database. `readonly` is for commands that only
        read: nothing is created, migrated or written, and a database in a read-only folder opens."""
        path = default_db_path() if path is None else path
        if is_server(path):
            return cls._open_server(str(path), readonly=readonly)
        path = Path(path)
        if readonly:
            return cls._open_readonly(path)
        if not path.exists():
            if not create:
                raise StoreError(f"{path}: no session database here yet")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path}: cannot create the folder for the session database: {exc.strerror}") from None
        elif path.is_dir():
            raise StoreError(f"{path}: is a directory, not a session database")
        try:
            raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise sqlite_error(exc, path) from None
        connection = SQLiteConnection(raw, path)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        store = cls(connection, path)
        store._migrate()
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        return store

    @classmethod
    def _open_server(cls, location: str, *, readonly: bool) -> "Store":
        from .postgres import PostgresConnection  # psycopg is only needed for a server

        connection = PostgresConnection.connect(location, readonly=readonly)
        try:
            version, tables = _version_and_tables(connection)
            store = cls(connection, connection.where, empty=readonly and version == 0 and not tables)
            if readonly:
                store._check_version(version, tables)
            else:
                store._migrate()
        except BaseException:
            connection.close()
            raise
        return store

    @classmethod
    def _open_readonly(cls, path: Path) -> "Store":
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a session database")
        if not path.exists():
            raise StoreError(f"{path}: no session database here yet")
        uri = "file:" + quote(str(path.absolute()), safe="/")
        # A WAL database needs its -shm file; in a folder that cannot be written, SQLite cannot
        # make one, and the file is opened as immutable instead (nothing else can be writing it).
        for options in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                raw = sqlite3.connect(uri + options, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                      isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                error = sqlite_error(exc, path)
                continue
            connection = SQLiteConnection(raw, path)
            try:
                version, tables = _version_and_tables(connection)
                break
            except DbError as exc:
                connection.close()
                error = exc
        else:
            raise error
        store = cls(connection, path, empty=version == 0 and not tables)
        try:
            store._check_version(version, tables)
        except StoreError:
            connection.close()
            raise
        return store

    def _check_version(self, version: int, tables: bool) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer version of playbook (schema {version}, this one knows {SCHEMA_VERSION}); "
                "upgrade playbook to open it"
            )
        if version == 0 and tables:
            engine = "SQLite" if self._db.dialect == "sqlite" else "PostgreSQL"
            raise StoreError(f"{self.path}: this {engine} database is not a playbook session database")

    def _migrate(self) -> None:
        version, tables = _version_and_tables(self._db)
        self._check_version(version, tables)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction():
                self._db.lock_schema()
                if self._db.schema_version() >= target:  # another program migrated meanwhile
                    continue
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self._db.execute(self._db.ddl(statement))
                if target == LEARNING_VERSION:
                    self._project_older_sessions()
                self._db.set_schema_version(target)
        self._version = None

    def _project_older_sessions(self) -> None:
        """Fill the learning tables for the meetings recorded before they existed (their verdict
        stays unknown: it needs their playbook; the report works it out from their answers)."""
        from ..meeting.state import fold  # first: the meeting package imports the learning projection
        from ..learning.projection import project  # the learning package reads meeting states

        for (session_id,) in self._db.execute("SELECT id FROM sessions WHERE kind = 'meeting'").fetchall():
            rows = self._db.execute("SELECT seq, at, type, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,))
            records = []
            for seq, at, kind, data in rows.fetchall():
                event = _wrong_event(seq, at, kind, data)
                if not isinstance(event, str):  # a damaged row counts for nothing here; `sessions show` says it
                    records.append(Recorded(seq, at, event))
            projection.write(self._db, session_id, project(fold(records)), None)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.begin()
        try:
            yield
        except BaseException:
            # SQLite has already rolled back after some errors (a full disk); do not mask them.
            try:
                self._db.rollback()
            except DbError:
                pass  # the connection is gone: the server rolled back; the first error is the one to say
            raise
        self._db.commit()

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._db.dialect

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def create_session(self, playbook: str, kind: str = "meeting", prospect: str = "", company: str = "",
                       now: float | None = None, playbook_hash: str | None = None, account_id: int | None = None,
                       meeting_type: str = "", rep: str = "", team: str | None = None) -> str:
        """A new session; `team` defaults to the rep's configured team (identity.py)."""
        session_id = uuid.uuid4().hex[:12]
        now = time.time() if now is None else now
        team = current_team() if team is None else team
        with self._transaction():
            self._db.execute(
                "INSERT INTO sessions (id, kind, playbook, prospect, company, created_at, updated_at, playbook_hash,"
                " account_id, meeting_type, account_check, rep, team) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, kind, playbook, prospect, company, now, now, playbook_hash, account_id, meeting_type,
                 "linked" if account_id is not None else None, rep or None, team or None),
            )
            if account_id is not None:
                self._db.execute(LATER_CONTACT, (now, account_id, now))
        return session_id

    def append(self, session_id: str, seq: int, at: float, event: Event, *, prospect: str | None = None,
               company: str | None = None, ended: bool = False, score: float | None = None,
               outcome: str | None = None, items: typing.Sequence[MeetingItem] | None = None,
               learning: Projection | None = None, learned: Projection | None = None) -> Recorded:
        """Commit one event (and the session's summary columns) in one transaction. `outcome`:
        None leaves the column as it is, "" clears it (an undone outcome). `items`, when given,
        are the meeting's objections and actions as they stand after the event. `learning`: the
        session's rows in the learning tables now; `learned`: what was written before (only the
        tables that changed are rewritten; None rewrites them all)."""
        payload = event_to_json(event)
        try:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO events (session_id, seq, at, type, data) VALUES (?, ?, ?, ?, ?)",
                    (session_id, seq, at, payload["type"], json.dumps(payload["data"], ensure_ascii=False)),
                )
                self._db.execute(
                    "UPDATE sessions SET updated_at = ?, prospect = coalesce(?, prospect), company = coalesce(?, company),"
                    " ended_at = CASE WHEN ? THEN ? ELSE ended_at END, score = coalesce(?, score),"
                    " outcome = CASE WHEN CAST(? AS TEXT) IS NULL THEN outcome ELSE nullif(?, '') END WHERE id = ?",
                    (at, prospect, company, ended, at, score, outcome, outcome, session_id),
                )
                if items is not None:
                    self._write_items(session_id, seq, items)
                if learning is not None:
                    projection.write(self._db, session_id, learning, learned)
        except DbIntegrityError:
            raise StoreError(f"{self.path}: event {seq} of session {session_id} was already saved by another program") from None
        return Recorded(seq, at, event)

    def _write_items(self, session_id: str, seq: int, items: typing.Sequence[MeetingItem]) -> None:
        """The meeting's items replaced by `items` (inside the caller's transaction)."""
        self._db.execute("DELETE FROM meeting_items WHERE session_id = ?", (session_id,))
        self._db.executemany(
            "INSERT INTO meeting_items (session_id, kind, number, text, detail, due, status, at, carried_from)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(session_id, i.kind, i.number, i.text, i.detail, i.due, i.status, i.at, i.carried_from) for i in items],
        )
        self._db.execute("UPDATE sessions SET items_seq = ? WHERE id = ?", (seq, session_id))

    def save_items(self, session_id: str, seq: int, items: typing.Sequence[MeetingItem]) -> None:
        """Write a meeting's items as they stand at event `seq` (for sessions written before accounts)."""
        with self._transaction():
            self._write_items(session_id, seq, items)

    def save_draft(self, session_id: str, box: str, text: str, now: float | None = None) -> None:
        """Keep what is typed in a box (replacing the previous draft); empty text removes it."""
        now = time.time() if now is None else now
        with self._transaction():
            if text:
                self._db.execute(
                    "INSERT INTO drafts (session_id, box, text, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (session_id, box) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    (session_id, box, text, now),
                )
            else:
                self._db.execute("DELETE FROM drafts WHERE session_id = ? AND box = ?", (session_id, box))

    def save_transcript(self, session_id: str, lines: list[dict[str, Any]], source: dict[str, Any] | None,
                        now: float | None = None) -> None:
        """Keep transcript lines (each replacing the stored line with its id) and where following
        the file stopped, in one transaction: a resumed meeting neither loses nor repeats a line.
        A line: {id, text, final, speaker, role, t0, t1}; the source: {path, device, inode, offset,
        line, cues}. ("offset" is quoted: PostgreSQL reserves the word.)"""
        now = time.time() if now is None else now
        with self._transaction():
            for line in lines:
                self._db.execute(
                    "INSERT INTO transcript_lines (session_id, line_id, seq, updated_at, speaker, role, text, final, t0, t1)"
                    " VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM transcript_lines WHERE session_id = ?),"
                    " ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (session_id, line_id) DO UPDATE SET updated_at = excluded.updated_at,"
                    " speaker = excluded.speaker, role = excluded.role, text = excluded.text, final = excluded.final,"
                    " t0 = excluded.t0, t1 = excluded.t1",
                    (session_id, line["id"], session_id, now, line.get("speaker") or "", line.get("role"), line["text"],
                     int(bool(line["final"])), line.get("t0"), line.get("t1")),
                )
            if source is not None:
                self._db.execute(
                    'INSERT INTO transcript_sources (session_id, path, device, inode, "offset", line, cues, updated_at)'
                    ' VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET path = excluded.path,'
                    ' device = excluded.device, inode = excluded.inode, "offset" = excluded."offset", line = excluded.line,'
                    ' cues = excluded.cues, updated_at = excluded.updated_at',
                    (session_id, source["path"], source.get("device", 0), source.get("inode", 0), source.get("offset", 0),
                     source.get("line", 0), source.get("cues", 0), now),
                )

    # -- reading ---------------------------------------------------------------------------

    def transcript(self, session_id: str) -> list[dict[str, Any]]:
        """The session's transcript lines in the order first heard (the latest version of each);
        [] on a database from before transcripts. Damaged rows are skipped and said in `damaged`."""
        if self.version() < TRANSCRIPT_VERSION:
            return []
        rows = self._db.execute(
            "SELECT line_id, speaker, role, text, final, t0, t1, updated_at FROM transcript_lines"
            " WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall()
        out = []
        for ident, speaker, role, text, final, t0, t1, at in rows:
            if not (isinstance(ident, str) and isinstance(speaker, str) and isinstance(text, str)
                    and role in (None, "customer", "rep") and final in (0, 1)
                    and all(v is None or (isinstance(v, (int, float)) and math.isfinite(v)) for v in (t0, t1))):
                self.damage(f"session {_shown(session_id)}, transcript line {_shown(ident)}: it cannot be read")
                continue
            out.append({"id": ident, "speaker": speaker, "role": role, "text": text, "final": bool(final),
                        "t0": t0, "t1": t1, "at": at})
        return out

    def transcript_source(self, session_id: str) -> dict[str, Any] | None:
        """Where following the session's transcript file stopped, or None."""
        if self.version() < TRANSCRIPT_VERSION:
            return None
        row = self._db.execute('SELECT path, device, inode, "offset", line, cues FROM transcript_sources WHERE session_id = ?',
                               (session_id,)).fetchone()
        if row is None:
            return None
        if not isinstance(row[0], str) or not all(isinstance(v, int) and v >= 0 for v in row[1:]):
            self.damage(f"session {_shown(session_id)}: where its transcript stopped cannot be read")
            return None
        return dict(zip(("path", "device", "inode", "offset", "line", "cues"), row))

    @property
    def _SELECT(self) -> str:
        # A database opened read-only at an older version lacks the newer columns.
        version = self.version()
        return (
            f"SELECT s.{self._db.rowid}, s.id, s.kind, s.playbook, s.prospect, s.company, s.created_at, s.updated_at, s.ended_at, s.score,"
            " (SELECT count(*) FROM events e WHERE e.session_id = s.id), "
            + ("s.playbook_hash, s.outcome" if version >= 2 else "NULL, NULL")
            + (", s.account_id, s.meeting_type" if version >= ACCOUNTS_VERSION else ", NULL, ''")
            + (", s.rep" if version >= LEARNING_VERSION else ", NULL")
            + " FROM sessions s"
        )

    def read(self, sql: str, params: tuple | list | dict = ()) -> list[tuple]:
        """Rows of a read-only query (for reports over the learning tables); none from an empty file."""
        if self.empty:
            return []
        return self._db.execute(sql, params).fetchall()

    def columns(self, table: str) -> set[str]:
        """The columns a table has in this database (older databases lack the newer ones)."""
        return set() if self.empty else self._db.columns(table)

    def version(self) -> int:
        """The schema version of the database (0 for an empty file), read once: every query that
        depends on it asks (a round trip to a server each time otherwise)."""
        if self.empty:
            return 0
        if self._version is None:
            self._version = self._db.schema_version()
        return self._version

    def drafts(self, session_id: str) -> dict[str, str]:
        """The session's drafts by box ({} on a database from before drafts existed)."""
        if self.version() < 2:
            return {}
        rows = self._db.execute("SELECT box, text FROM drafts WHERE session_id = ?", (session_id,)).fetchall()
        return {box: text for box, text in rows if isinstance(box, str) and isinstance(text, str)}

    def sessions(self, kind: str | None = None, limit: int | None = None) -> list[SessionInfo]:
        """Sessions, most recently active first."""
        query = self._SELECT
        params: list[object] = []
        if kind:
            query += " WHERE s.kind = ?"
            params.append(kind)
        query += " ORDER BY s.updated_at DESC"
        if limit:
            query += " LIMIT ?"
            params.append(limit)
        if self.empty:
            return []
        rows = self._db.execute(query, params).fetchall()
        return [info for row in rows if (info := self._session_info(row)) is not None]

    def _session_info(self, row: tuple) -> SessionInfo | None:
        """The row (rowid first) as a SessionInfo, or None after noting in `damaged` why it cannot be one."""
        rowid, values = row[0], row[1:]
        wrong = _wrong_session_column(values)
        if wrong is None:
            return SessionInfo(*values)
        self.damage(f"session {_shown(values[0])} (sessions row {rowid}): {wrong}")
        return None

    def damage(self, what: str) -> None:
        line = f"{self.path}: {what}; skipped"
        if line not in self.damaged:
            self.damaged.append(line)

    def resolve(self, prefix: str) -> str:
        """A full session id from an id or a unique prefix of one."""
        if not _ID_PREFIX.fullmatch(prefix) or self.empty:  # ids are hex: anything else names no session
            rows = []
        else:
            rows = [r[0] for r in self._db.execute("SELECT id FROM sessions WHERE id LIKE ? || '%' LIMIT 2", (prefix,))]
        if not prefix or not rows:
            raise StoreError(f"no session '{prefix}' in {self.path} (see `playbook sessions list`)")
        if len(rows) > 1:
            raise StoreError(f"'{prefix}' matches several sessions; give more of the id")
        return rows[0]

    def info(self, session_id: str) -> SessionInfo:
        row = None if self.empty else self._db.execute(self._SELECT + " WHERE s.id = ?", (session_id,)).fetchone()
        if row is None:
            raise StoreError(f"no session '{session_id}' in {self.path}")
        info = self._session_info(row)
        if info is None:  # said once, as the error, not also as a warning
            raise StoreError(self.damaged.pop().removesuffix("; skipped") + "; it cannot be opened")
        return info

    def events(self, session_id: str) -> list[Recorded]:
        rows = self._db.execute("SELECT seq, at, type, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall()
        records = []
        for seq, at, kind, data in rows:
            wrong = _wrong_event(seq, at, kind, data)
            if isinstance(wrong, str):
                self.damage(f"session {_shown(session_id)}, event row {seq if isinstance(seq, int) else _shown(repr(seq))}: {wrong}")
            else:
                records.append(Recorded(seq, at, wrong))
        return records


# -- damaged rows ---------------------------------------------------------------------------
# SQLite stores any value in any column, and a database is a file that other programs (or a
# disk) can damage. Each row is checked before it becomes a SessionInfo or an event; a damaged
# row is skipped and said in one line, and the rest of the database is still read.


def _shown(value: Any) -> str:
    return printable(value if isinstance(value, str) else repr(value), one_line=True)[:40]


def _is_time(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= LATEST_TIME


_SESSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "text"), ("kind", "text"), ("playbook", "text"), ("prospect", "text"), ("company", "text"),
    ("created_at", "time"), ("updated_at", "time"), ("ended_at", "time?"), ("score", "number?"), ("events", "count"),
    ("playbook_hash", "text?"), ("outcome", "text?"), ("account_id", "id?"), ("meeting_type", "text"), ("rep", "text?"),
)


def _wrong_session_column(values: tuple) -> str | None:
    for (name, kind), value in zip(_SESSION_COLUMNS, values):
        if kind.endswith("?") and value is None:
            continue
        kind = kind.rstrip("?")
        ok = (
            isinstance(value, str) if kind == "text"
            else _is_time(value) if kind == "time"
            else isinstance(value, int) and not isinstance(value, bool) if kind in ("count", "id")
            else isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
        if not ok:
            return f"{name} holds {_kind_of(value)}, not {'' if kind == 'text' else 'an ' if kind == 'id' else 'a '}{kind}"
    return None


def _kind_of(value: Any) -> str:
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "nothing"
    if isinstance(value, float) and not math.isfinite(value):
        return "an infinite number"
    return "an out-of-range number" if isinstance(value, (int, float)) else type(value).__name__


def _wrong_event(seq: Any, at: Any, kind: Any, data: Any) -> Event | str:
    """The event of a row, or why the row cannot be one."""
    if not isinstance(seq, int):
        return f"seq holds {_kind_of(seq)}, not a number"
    if not _is_time(at):
        return f"at holds {_kind_of(at)}, not a time"
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        return f"unknown event type {_shown(kind)}"
    if not isinstance(data, str):
        return f"data holds {_kind_of(data)}, not text"
    try:
        payload = json.loads(data)
        event = event_from_json(kind, payload)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return "its data cannot be read"
    for item in fields(event):
        if not _fits(getattr(event, item.name), _hints(type(event))[item.name]):
            return f"{item.name} of {kind} holds {_kind_of(getattr(event, item.name))}"
    return event


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fits(value: Any, hint: Any) -> bool:
    """Whether a value read from the database has the type an event field declares."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return value in args
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in args)
    if origin is tuple:
        return isinstance(value, tuple) and all(_fits(v, args[0]) for v in value)
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if hint is str:
        return isinstance(value, str)
    if hint is dict or origin is dict:
        return isinstance(value, dict)
    return True  # an annotation this check does not know: not ours to refuse
