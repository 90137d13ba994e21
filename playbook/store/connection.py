"""The one seam between the store and a database engine: SQLite (the embedded default) or
PostgreSQL (postgres.py, a team's server).

The store writes its SQL once, in the portable subset both engines accept, with `?` for every
value (always bound, never pasted into the text). A Connection runs it and keeps what differs:
the placeholder style, how a writing transaction starts (SQLite's BEGIN IMMEDIATE takes the write
lock at once), where the schema version is kept (SQLite's user_version; a table on PostgreSQL),
how a new row's id comes back, the few words of DDL that differ, and how an engine's error
becomes a sentence a user can act on. Every engine error leaves a Connection as a DbError (a
StoreError), already in words, with the location shown without its password.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence


class StoreError(Exception):
    """A problem with the session database, in words a user can act on."""


class DbError(StoreError):
    """An error the database engine raised, explained."""


class DbIntegrityError(DbError):
    """A constraint refused a write (a row that is already there)."""


class Rows:
    """What a statement returned: fetchone, fetchall, iteration, and the new row's id on SQLite."""

    def __init__(self, cursor: Any, connection: "Connection") -> None:
        self._cursor = cursor
        self._connection = connection

    @property
    def lastrowid(self) -> int | None:
        return getattr(self._cursor, "lastrowid", None)

    def fetchone(self) -> tuple | None:
        try:
            return self._cursor.fetchone()
        except self._connection.driver_errors as exc:
            raise self._connection.explain(exc) from None

    def fetchall(self) -> list[tuple]:
        try:
            return self._cursor.fetchall()
        except self._connection.driver_errors as exc:
            raise self._connection.explain(exc) from None

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())


class Connection:
    """An open database: what the store needs of it, nothing more."""

    dialect = ""
    driver_errors: tuple[type[BaseException], ...] = ()
    begin_statement = "BEGIN"
    rowid = "NULL"  # the expression naming a sessions row in a message about a damaged one

    def __init__(self, where: str) -> None:
        self.where = where  # what messages call this database (a path; a server without its password)

    # -- statements ----------------------------------------------------------------------------

    def sql(self, statement: str) -> str:
        """The statement as this engine spells it."""
        return statement

    def execute(self, statement: str, params: Sequence[Any] | dict = ()) -> Rows:
        try:
            return Rows(self._raw_execute(self.sql(statement), params), self)
        except self.driver_errors as exc:
            raise self.explain(exc) from None

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self._raw_executemany(self.sql(statement), list(rows))
        except self.driver_errors as exc:
            raise self.explain(exc) from None

    def insert(self, statement: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT into a table with an `id` column; the new row's id."""
        raise NotImplementedError

    def _raw_execute(self, statement: str, params: Any) -> Any:
        raise NotImplementedError

    def _raw_executemany(self, statement: str, rows: list) -> None:
        raise NotImplementedError

    # -- transactions --------------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        raise NotImplementedError

    def begin(self) -> None:
        self.execute(self.begin_statement)

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.execute("ROLLBACK")

    def lock_schema(self) -> None:
        """Inside a transaction: make other programs wait while this one migrates."""

    # -- schema --------------------------------------------------------------------------------

    def schema_version(self) -> int:
        raise NotImplementedError

    def set_schema_version(self, version: int) -> None:
        raise NotImplementedError

    def has_tables(self) -> bool:
        raise NotImplementedError

    def columns(self, table: str) -> set[str]:
        raise NotImplementedError

    def ddl(self, statement: str) -> str:
        """A migration statement (written for SQLite) as this engine spells it."""
        return statement

    # -- errors and the end --------------------------------------------------------------------

    def explain(self, exc: BaseException) -> DbError:
        return DbError(f"{self.where}: database error: {exc}")

    def close(self) -> None:
        raise NotImplementedError


class SQLiteConnection(Connection):
    dialect = "sqlite"
    driver_errors = (sqlite3.Error,)
    begin_statement = "BEGIN IMMEDIATE"  # the write lock now, not at the first write: no deadlock between writers
    rowid = "rowid"

    def __init__(self, raw: sqlite3.Connection, path: Path | str) -> None:
        super().__init__(str(path))
        self.raw = raw

    def _raw_execute(self, statement: str, params: Any) -> Any:
        return self.raw.execute(statement, params)

    def _raw_executemany(self, statement: str, rows: list) -> None:
        self.raw.executemany(statement, rows)

    def insert(self, statement: str, params: Sequence[Any] = ()) -> int:
        return self.execute(statement, params).lastrowid or 0

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    def schema_version(self) -> int:
        return self.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")

    def has_tables(self) -> bool:
        return bool(self.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])

    def columns(self, table: str) -> set[str]:
        if not table.isidentifier():
            raise ValueError(table)
        return {row[1] for row in self.execute(f"PRAGMA table_info({table})").fetchall()}

    def explain(self, exc: BaseException) -> DbError:
        return sqlite_error(exc, self.where)

    def close(self) -> None:
        self.raw.close()


def sqlite_error(exc: BaseException, path: str | Path) -> DbError:
    """An sqlite3 error in words a user can act on."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.IntegrityError):
        return DbIntegrityError(f"{path}: {exc}")
    if "locked" in text or "busy" in text:
        return DbError(f"{path}: the session database is locked by another program; close it and try again")
    if "full" in text:
        return DbError(f"{path}: the disk is full; nothing more can be saved until space is freed (what was saved is safe)")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DbError(f"{path}: this file is not a readable session database (damaged, or not a database at all)")
    if "readonly" in text or "read-only" in text:
        return DbError(f"{path}: the session database is read-only; nothing can be saved")
    if "unable to open" in text:
        return DbError(f"{path}: cannot open the session database (check the folder exists and is writable)")
    return DbError(f"{path}: session database error: {exc}")
