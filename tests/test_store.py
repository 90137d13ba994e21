"""The session store: nothing committed is ever lost, and every failure is a clear message.

Tests taking `store_backend` run on both back-ends: a SQLite file and a database on the test
run's PostgreSQL server; the others are about what only SQLite has (a file, its journal, locks)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from playbook.model.events import NoteAdded
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import SCHEMA_VERSION, Store, StoreError, default_db_path

LIBRARY = load_playbook(None)


def raw_execute(location: str | Path, statement: str) -> None:
    """Run one statement on the database behind the store's back (another program)."""
    if isinstance(location, Path):
        with sqlite3.connect(location) as raw:
            raw.execute(statement)
    else:
        import psycopg

        with psycopg.connect(location, autocommit=True) as raw:
            raw.execute(statement)


def test_events_survive_reopening(store_backend) -> None:
    db = store_backend
    with Store.open(db) as store:
        session = MeetingSession.start(LIBRARY, store, "Anna", "Dupont")
        session.answer("budget", "limited")
        session.raise_objection("too expensive", "price")
        state = session.state
    with Store.open(db) as store:
        resumed = MeetingSession.resume(LIBRARY, store, session.id)
        assert resumed.state == state
        info = store.info(session.id)
        assert (info.prospect, info.company, info.events, info.finished) == ("Anna", "Dupont", 3, False)


def test_database_uses_wal_and_is_versioned(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store.open(db).close()
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


WRITER = textwrap.dedent(
    """
    import sys, time
    from playbook.format import load_playbook
    from playbook.meeting import MeetingSession
    from playbook.store import Store
    store = Store.open(sys.argv[1])
    session = MeetingSession.start(load_playbook(None), store, "Killed")
    print(session.id, flush=True)
    n = 0
    while True:
        n += 1
        session.note(f"note {n}")
        print(n, flush=True)
    """
)


def test_killed_writer_loses_nothing_it_reported_saved(store_backend) -> None:
    db = store_backend
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    session_id = writer.stdout.readline().strip()
    shown = 0
    while shown < 50:
        shown = int(writer.stdout.readline())
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    with Store.open(db) as store:
        resumed = MeetingSession.resume(LIBRARY, store, session_id)
        notes = [n.text for n in resumed.state.notes]
    assert len(notes) >= shown  # every note the writer had printed as saved is there
    assert notes == [f"note {i}" for i in range(1, len(notes) + 1)]
    if isinstance(db, Path):
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reader_sees_committed_events_while_another_process_writes(store_backend) -> None:
    db = store_backend
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        session_id = writer.stdout.readline().strip()
        counts = []
        with Store.open(db) as reader:
            deadline = time.time() + 20
            while len(counts) < 5 and time.time() < deadline:
                writer.stdout.readline()
                counts.append(reader.info(session_id).events)
                time.sleep(0.02)
        assert counts == sorted(counts) and counts[-1] > counts[0]
    finally:
        writer.kill()
        writer.wait(timeout=10)


def test_failed_write_leaves_state_and_database_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store.open(db)
    session = MeetingSession.start(LIBRARY, store, "Full disk")
    session.note("saved before the disk filled up")
    state, records = session.state, session.records
    # Simulate a full disk: the database may not grow any more.
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as error:
        for i in range(500):
            session.note("x" * 4000 + str(i))
    assert "disk is full" in str(error.value)
    assert len(session.records) == len(store.events(session.id))  # memory never ahead of disk
    store.close()
    with Store.open(db) as reopened:
        events = reopened.events(session.id)
        assert events[: len(records)] == list(records)
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_corrupt_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    with pytest.raises(StoreError) as error:
        Store.open(db)
    assert str(error.value) == f"{db}: this file is not a readable session database (damaged, or not a database at all)"
    assert db.read_bytes() == before


def test_newer_schema_is_refused_and_left_alone(store_backend) -> None:
    db = store_backend
    Store.open(db).close()
    newer = (f"PRAGMA user_version = {SCHEMA_VERSION + 1}" if isinstance(db, Path)
             else f"UPDATE playbook_schema SET version = {SCHEMA_VERSION + 1}")
    raw_execute(db, newer)
    for readonly in (False, True):
        with pytest.raises(StoreError) as error:
            Store.open(db, readonly=readonly)
        assert "written by a newer version of playbook" in str(error.value)
    raw_execute(db, "CREATE TABLE still_writable (x INTEGER)")  # the refusal held no lock and changed nothing
    with pytest.raises(StoreError):
        Store.open(db)


def test_foreign_database_is_refused(store_backend) -> None:
    db = store_backend
    raw_execute(db, "CREATE TABLE customers (name TEXT)")
    with pytest.raises(StoreError) as error:
        Store.open(db)
    assert "not a playbook session database" in str(error.value)


def test_a_program_migrating_between_our_two_schema_reads_is_not_taken_for_a_stranger(store_backend) -> None:
    """Another program creates the tables just after we first look: we must see its whole commit."""
    db = store_backend
    if isinstance(db, Path):
        from playbook.store.connection import SQLiteConnection

        connection = SQLiteConnection(sqlite3.connect(db, isolation_level=None), db)
    else:
        from playbook.store.postgres import PostgresConnection

        connection = PostgresConnection.connect(db)
    reads: list[str] = []

    def first_then_the_other_program(name: str):
        read = getattr(connection, name)

        def wrapped():
            value = read()
            reads.append(name)
            if len(reads) == 1:
                Store.open(db).close()  # the other program's migration commits now
            return value
        return wrapped

    for name in ("has_tables", "schema_version"):
        setattr(connection, name, first_then_the_other_program(name))
    store = Store(connection, db)
    try:
        store._migrate()
        assert store.version() == SCHEMA_VERSION
        assert reads[0] == "has_tables"
    finally:
        store.close()


def test_locked_database_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import playbook.store.sqlite as store_module

    db = tmp_path / "s.db"
    store = Store.open(db)
    session = MeetingSession.start(LIBRARY, store, "Locked")
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    store._db.execute("PRAGMA busy_timeout = 100")
    try:
        with pytest.raises(StoreError) as error:
            session.note("cannot be written now")
        assert "locked by another program" in str(error.value)
        assert session.state.notes == ()
    finally:
        locker.execute("ROLLBACK")
    session.note("written once the lock is gone")
    assert [n.text for n in session.state.notes] == ["written once the lock is gone"]


def test_unknown_and_ambiguous_session_ids(store_backend) -> None:
    with Store.open(store_backend) as store:
        with pytest.raises(StoreError) as error:
            store.resolve("nope")
        assert "no session 'nope'" in str(error.value)
        ids = [store.create_session("builtin") for _ in range(40)]
        common = next(a[0] for a in ids for b in ids if a != b and a[0] == b[0])
        with pytest.raises(StoreError) as error:
            store.resolve(common)
        assert "matches several sessions" in str(error.value)


def test_directory_or_unwritable_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as error:
        Store.open(tmp_path)
    assert "is a directory" in str(error.value)
    with pytest.raises(StoreError):
        Store.open(tmp_path / "missing" / "s.db", create=False)


def test_default_path_honours_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLAYBOOK_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    monkeypatch.delenv("PLAYBOOK_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "playbook" / "sessions.db"


def test_listing_orders_by_last_activity_and_filters_kind(store_backend) -> None:
    times = iter(range(1000, 2000))
    clock = lambda: float(next(times))
    with Store.open(store_backend) as store:
        first = MeetingSession.start(LIBRARY, store, "First", clock=clock)
        second = MeetingSession.start(LIBRARY, store, "Second", clock=clock)
        drill = MeetingSession.start(LIBRARY, store, "Trainee", kind="roleplay", clock=clock)
        first.note("back to the first one")
        assert [s.prospect for s in store.sessions(kind="meeting")] == ["First", "Second"]
        assert [s.prospect for s in store.sessions(kind="roleplay")] == ["Trainee"]
        assert len(store.sessions()) == 3


def test_a_meetings_transcript_is_kept_on_both_back_ends(store_backend) -> None:
    """Issue 20's transcript lines and where following stopped, through the same seam: a partial
    line replaced by its final version keeps its place; the source's offset survives a reopen."""
    with Store.open(store_backend) as store:
        session_id = store.create_session("builtin", prospect="Anna")
        store.save_transcript(session_id, [{"id": "u1", "text": "so what does it", "final": False, "speaker": "S1"}], None)
        store.save_transcript(session_id, [{"id": "u2", "text": "we use spreadsheets", "final": True, "speaker": "S0", "role": "rep"},
                                           {"id": "u1", "text": "so what does it cost", "final": True, "speaker": "S1",
                                            "role": "customer", "t0": 1.5, "t1": 3.0}],
                              {"path": "/tmp/call.jsonl", "device": 1, "inode": 2, "offset": 120, "line": 2, "cues": 0})
    with Store.open(store_backend, readonly=True) as store:
        lines = store.transcript(session_id)
        assert [(line["id"], line["text"], line["final"], line["role"]) for line in lines] == [
            ("u1", "so what does it cost", True, "customer"), ("u2", "we use spreadsheets", True, "rep")]
        assert store.transcript_source(session_id) == {"path": "/tmp/call.jsonl", "device": 1, "inode": 2, "offset": 120, "line": 2,
                                                       "cues": 0}
