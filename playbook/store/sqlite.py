"""Sessions kept in SQLite: every event committed the moment it happens, nothing ever rewritten.

One file (WAL journal) in the user's data directory, or `--db PATH`, or `$PLAYBOOK_DB`. The
schema is versioned; a database written by a newer version is refused, never altered. Every
failure (corrupt, locked, full disk, read-only) becomes a StoreError with a clear message,
raised before the event is applied in memory, so the screen never shows what was not saved.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..model.events import Event, Recorded, event_from_json, event_to_json
from . import projection
from .projection import Projection

SCHEMA_VERSION = 2
LEARNING_VERSION = 2  # the version that adds who recorded a session and the learning tables
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
    # Who recorded each session (see identity.py), the qualification verdict at its last event,
    # and the learning tables (projection.py), rebuilt from the events of older sessions.
    LEARNING_VERSION: """
        ALTER TABLE sessions ADD COLUMN rep TEXT;
        ALTER TABLE sessions ADD COLUMN verdict TEXT;
    """ + projection.TABLES_SQL,
}
BUSY_TIMEOUT_MS = 3000


class StoreError(Exception):
    """A problem with the session database, in words a user can act on."""


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
    rep: str | None = None  # who recorded it (identity.py); None when unknown

    @property
    def finished(self) -> bool:
        return self.ended_at is not None


def default_db_path() -> Path:
    """$PLAYBOOK_DB, else $XDG_DATA_HOME/playbook/sessions.db, else ~/.local/share/playbook/sessions.db."""
    if os.environ.get("PLAYBOOK_DB"):
        return Path(os.environ["PLAYBOOK_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "playbook" / "sessions.db"


def _explain(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the session database is locked by another program; close it and try again")
    if "full" in text:
        return StoreError(f"{path}: the disk is full; nothing more can be saved until space is freed (what was saved is safe)")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"{path}: this file is not a readable session database (damaged, or not a database at all)")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the session database is read-only; nothing can be saved")
    if "unable to open" in text:
        return StoreError(f"{path}: cannot open the session database (check the folder exists and is writable)")
    return StoreError(f"{path}: session database error: {exc}")


class Store:
    """The session database. Open with Store.open(path); use as a context manager or call close()."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True) -> "Store":
        path = Path(path) if path is not None else default_db_path()
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
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            store = cls(connection, path)
            store._migrate()
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise _explain(exc, path) from None
        return store

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer version of playbook (schema {version}, this one knows {SCHEMA_VERSION}); "
                "upgrade playbook to open it"
            )
        if version == 0 and self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{self.path}: this SQLite database is not a playbook session database")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction():
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                if target == LEARNING_VERSION:
                    self._project_older_sessions()
                self._db.execute(f"PRAGMA user_version = {target}")

    def _project_older_sessions(self) -> None:
        """Fill the learning tables for the meetings recorded before they existed (their verdict
        stays unknown: it needs their playbook; the report works it out from their answers)."""
        from ..learning.projection import project  # the learning package reads meeting states
        from ..meeting.state import fold

        for (session_id,) in self._db.execute("SELECT id FROM sessions WHERE kind = 'meeting'").fetchall():
            rows = self._db.execute("SELECT seq, at, type, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,))
            records = []
            for seq, at, kind, data in rows.fetchall():
                try:
                    records.append(Recorded(seq, at, event_from_json(kind, json.loads(data))))
                except (ValueError, TypeError):
                    continue  # an unreadable event counts for nothing here; `sessions show` reports it
            projection.write(self._db, session_id, project(fold(records)), None)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # SQLite has already rolled back after some errors (a full disk); do not mask them.
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def create_session(self, playbook: str, kind: str = "meeting", prospect: str = "", company: str = "",
                       now: float | None = None, rep: str = "") -> str:
        session_id = uuid.uuid4().hex[:12]
        now = time.time() if now is None else now
        try:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO sessions (id, kind, playbook, prospect, company, created_at, updated_at, rep)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (session_id, kind, playbook, prospect, company, now, now, rep or None),
                )
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        return session_id

    def append(self, session_id: str, seq: int, at: float, event: Event, *, prospect: str | None = None,
               company: str | None = None, ended: bool = False, score: float | None = None,
               learning: Projection | None = None, learned: Projection | None = None) -> Recorded:
        """Commit one event (and the session's summary columns) in one transaction. `learning`:
        the session's rows in the learning tables now; `learned`: what was written before (only
        the tables that changed are rewritten; None rewrites them all)."""
        payload = event_to_json(event)
        try:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO events (session_id, seq, at, type, data) VALUES (?, ?, ?, ?, ?)",
                    (session_id, seq, at, payload["type"], json.dumps(payload["data"], ensure_ascii=False)),
                )
                self._db.execute(
                    "UPDATE sessions SET updated_at = ?, prospect = coalesce(?, prospect), company = coalesce(?, company),"
                    " ended_at = CASE WHEN ? THEN ? ELSE ended_at END, score = coalesce(?, score) WHERE id = ?",
                    (at, prospect, company, ended, at, score, session_id),
                )
                if learning is not None:
                    projection.write(self._db, session_id, learning, learned)
        except sqlite3.IntegrityError:
            raise StoreError(f"{self.path}: event {seq} of session {session_id} was already saved by another program") from None
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        return Recorded(seq, at, event)

    # -- reading ---------------------------------------------------------------------------

    _SELECT = (
        "SELECT s.id, s.kind, s.playbook, s.prospect, s.company, s.created_at, s.updated_at, s.ended_at, s.score,"
        " (SELECT count(*) FROM events e WHERE e.session_id = s.id), s.rep FROM sessions s"
    )

    def read(self, sql: str, params: tuple | list | dict = ()) -> list[tuple]:
        """Rows of a read-only query (for reports over the learning tables)."""
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None

    def columns(self, table: str) -> set[str]:
        """The columns a table has in this database (older databases lack the newer ones)."""
        return {row[1] for row in self.read(f"PRAGMA table_info({table})")}

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
        try:
            return [SessionInfo(*row) for row in self._db.execute(query, params)]
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None

    def resolve(self, prefix: str) -> str:
        """A full session id from an id or a unique prefix of one."""
        try:
            rows = [r[0] for r in self._db.execute("SELECT id FROM sessions WHERE id LIKE ? || '%' LIMIT 2", (prefix,))]
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        if not prefix or not rows:
            raise StoreError(f"no session '{prefix}' in {self.path} (see `playbook sessions list`)")
        if len(rows) > 1:
            raise StoreError(f"'{prefix}' matches several sessions; give more of the id")
        return rows[0]

    def info(self, session_id: str) -> SessionInfo:
        try:
            row = self._db.execute(self._SELECT + " WHERE s.id = ?", (session_id,)).fetchone()
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        if row is None:
            raise StoreError(f"no session '{session_id}' in {self.path}")
        return SessionInfo(*row)

    def events(self, session_id: str) -> list[Recorded]:
        try:
            rows = self._db.execute("SELECT seq, at, type, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall()
        except sqlite3.Error as exc:
            raise _explain(exc, self.path) from None
        records = []
        for seq, at, kind, data in rows:
            try:
                records.append(Recorded(seq, at, event_from_json(kind, json.loads(data))))
            except (ValueError, TypeError) as exc:
                raise StoreError(f"{self.path}: event {seq} of session {session_id} cannot be read ({exc})") from None
        return records
