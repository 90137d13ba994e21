"""The team store: laptops record offline on SQLite and `playbook sync` meets the team's
PostgreSQL server (a real one, started by the tests). Nothing is lost, nothing is added twice,
and an account moved in the funnel by two reps ends on a stage by a rule that sync says."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from playbook.accounts import AccountBook
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store

LIBRARY = load_playbook(None)
T0 = 1_767_261_600.0  # 2026-01-01 10:00 UTC
PLAYBOOK = [str(Path(sys.executable).parent / "playbook")]  # the command a rep runs


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def record(db: Path, rep: str, meetings: int, notes: int, clock: Clock) -> None:
    """`meetings` meetings by `rep` on the laptop `db`, each with an objection and `notes` notes."""
    with Store.open(db) as store:
        for m in range(meetings):
            session = MeetingSession.start(LIBRARY, store, f"Prospect {m}", f"Company {rep} {m}", clock=clock, rep=rep)
            session.raise_objection("that is too expensive", "price")
            for n in range(notes):
                session.note(f"{rep} meeting {m} note {n}")
            if m % 2:
                session.end()


def events_of(location) -> set[tuple]:
    with Store.open(location) as store:
        return set(store.read("SELECT session_id, seq, at, type, data FROM events"))


def run_sync(db: Path, team: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*PLAYBOOK, "sync", "--db", str(db), "--to", team], capture_output=True, text=True, timeout=120, **kw)


def test_two_laptops_meet_on_the_server_and_a_funnel_conflict_is_said(tmp_path: Path, postgres, cli) -> None:
    team = postgres.fresh()
    alice, bob = tmp_path / "alice.db", tmp_path / "bob.db"
    record(alice, "Alice", 3, 2, Clock(T0))
    record(bob, "Bob", 2, 3, Clock(T0 + 50))
    for db, rep, when, stage in ((alice, "Alice", T0 + 100, "prospect"), (bob, "Bob", T0 + 200, "customer")):
        with Store.open(db) as store:
            book = AccountBook(store, lambda: when)
            acme = book.add("Acme Ltd")
            book.tables.change_stage(acme.id, stage, "suspect", f"{rep} says so", when + 1, rep=rep)
    union = events_of(alice) | events_of(bob)
    assert (len(events_of(alice)), len(events_of(bob))) == (3 * 4 + 1, 2 * 5 + 1)  # start, objection, notes; one ended

    first = cli("sync", "--db", str(alice), "--to", team)
    assert first.code == 0, first.err
    assert "sent 13 events (3 sessions), 1 accounts, 2 funnel moves" in first.out
    second = cli("sync", "--db", str(bob), "--to", team)
    assert second.code == 0, second.err
    assert "received 13 events (3 sessions), 0 accounts, 2 funnel moves" in second.out
    assert "sent 11 events (2 sessions), 0 accounts, 2 funnel moves" in second.out
    alice_at, bob_at = (datetime.fromtimestamp(T0 + s).strftime("%Y-%m-%d %H:%M") for s in (101, 201))
    assert (f"conflict: account Acme Ltd: funnel stage changed on both sides (Alice moved it to prospect on {alice_at};"
            f" Bob moved it to customer on {bob_at}); now customer (the latest move wins; every move stays in its history)"
            in second.out.splitlines())
    cli("sync", "--db", str(alice), "--to", team)

    assert events_of(team) == union and events_of(alice) == union and events_of(bob) == union
    for location in (alice, bob, team):
        with Store.open(location) as store:
            book = AccountBook(store)
            acme = book.find("Acme Ltd")
            assert acme.stage == "customer"  # Bob moved it later
            assert {m.stage for m in book.tables.stage_changes(acme.id)} == {"suspect", "prospect", "customer"}
            assert {s.rep for s in store.sessions()} == {"Alice", "Bob"}
    again = cli("sync", "--db", str(bob), "--to", team)
    assert again.out.splitlines()[1:] == [
        "sent 0 events (0 sessions), 0 accounts, 0 funnel moves, contacts and interactions",
        "received 0 events (0 sessions), 0 accounts, 0 funnel moves, contacts and interactions"]


def test_a_rep_keeps_recording_after_a_sync_and_only_the_new_events_go(tmp_path: Path, postgres, cli) -> None:
    team = postgres.fresh()
    laptop = tmp_path / "l.db"
    record(laptop, "Alice", 1, 1, Clock())
    cli("sync", "--db", str(laptop), "--to", team)
    with Store.open(laptop) as store:
        session_id = store.sessions()[0].id
        session = MeetingSession.resume(LIBRARY, store, session_id)
        session.note("after the sync")
        session.record_outcome("won")
    result = cli("sync", "--db", str(laptop), "--to", team)
    assert "sent 2 events (1 sessions)" in result.out
    with Store.open(team) as store:
        info = store.info(session_id)
        assert (info.events, info.outcome) == (5, "won")  # the summary row came with its events


SYNC_KILLS = 50


def test_sync_killed_at_random_points_50_times_leaves_exactly_the_union(tmp_path: Path, postgres) -> None:
    """Three laptops keep recording while their syncs are killed (SIGKILL) at random moments;
    then each syncs to the end. The server holds every event of every laptop, once."""
    team = postgres.fresh()
    laptops = [tmp_path / f"rep{i}.db" for i in range(3)]
    clock = Clock()
    for i, db in enumerate(laptops):
        record(db, f"Rep {i}", 12, 40, clock)
    chance = random.Random(17)
    # How long one whole sync of a laptop takes here: the kills fall inside that window.
    started = time.monotonic()
    run_sync(laptops[0], postgres.fresh())
    span = time.monotonic() - started
    counts = []
    for kill in range(SYNC_KILLS):
        db = chance.choice(laptops)
        if kill % 5 == 0:  # the rep goes on working between syncs
            record(db, f"Rep {laptops.index(db)}", 1, chance.randrange(1, 30), clock)
        before = counts[-1] if counts else 0
        process = subprocess.Popen([*PLAYBOOK, "sync", "--db", str(db), "--to", team], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.2, 1.0) * span)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        counts.append(_count(postgres, team))
        assert counts[-1] >= before
    for db in laptops:
        assert run_sync(db, team).returncode == 0
    union = set().union(*(events_of(db) for db in laptops))
    on_server = _events_on(postgres, team)
    assert on_server == union
    assert _count(postgres, team) == len(union)  # no event twice (the key forbids it; counted anyway)
    assert counts == sorted(counts)  # a kill never took an event away
    assert len(set(counts)) > 5  # kills landed at many different points of the work


def _count(postgres, team: str) -> int:
    import psycopg

    with psycopg.connect(team) as connection:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0] if _has_events(connection) else 0


def _has_events(connection) -> bool:
    return connection.execute("SELECT to_regclass('events')").fetchone()[0] is not None


def _events_on(postgres, team: str) -> set[tuple]:
    import psycopg

    with psycopg.connect(team) as connection:
        if not _has_events(connection):
            return set()
        return set(connection.execute("SELECT session_id, seq, at, type, data FROM events").fetchall())


WRITER = """
import sys
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
with Store.open(sys.argv[1]) as store:
    session = MeetingSession.start(load_playbook(None), store, "Writer " + sys.argv[2], rep="Rep " + sys.argv[2])
    for n in range(int(sys.argv[3])):
        session.note(f"note {n}")
    print(session.id)
"""


def test_20_concurrent_writers_on_postgresql_lose_no_event(postgres) -> None:
    team = postgres.fresh()
    Store.open(team).close()  # the tables exist before the writers start (they would race to create them otherwise; see the next test)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, team, str(i), "40"], stdout=subprocess.PIPE, text=True)
               for i in range(20)]
    ids = [w.communicate(timeout=180)[0].strip() for w in writers]
    assert all(w.returncode == 0 for w in writers)
    with Store.open(team) as store:
        for session_id in ids:
            assert [r.event.text for r in store.events(session_id)[1:]] == [f"note {n}" for n in range(40)]
        assert store.read("SELECT count(*) FROM events")[0][0] == 20 * 41


def test_programs_opening_a_new_server_at_once_create_its_tables_once(postgres) -> None:
    team = postgres.fresh()
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, team, str(i), "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for i in range(6)]
    results = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0] * 6, [err for _, err in results]


def test_an_account_edited_on_one_side_is_an_update_and_on_both_a_conflict_said(tmp_path: Path, postgres, cli) -> None:
    team = postgres.fresh()
    alice, bob = tmp_path / "alice.db", tmp_path / "bob.db"
    with Store.open(alice) as store:
        AccountBook(store, lambda: T0).add("Globex")
    for db in (alice, bob, alice):
        cli("sync", "--db", str(db), "--to", team)

    def edit(db: Path, when: float, **fields) -> None:
        with Store.open(db) as store:
            book = AccountBook(store, lambda: when)
            book.update(book.find("Globex"), **fields)

    edit(alice, T0 + 10, need="logistics")
    first = cli("sync", "--db", str(alice), "--to", team)
    second = cli("sync", "--db", str(bob), "--to", team)
    assert "conflict" not in first.out + second.out  # one side changed: an update, not a conflict
    with Store.open(bob) as store:
        assert AccountBook(store).find("Globex").need == "logistics"

    edit(alice, T0 + 20, notes="call after the audit")
    edit(bob, T0 + 30, notes="wait for the new CFO")
    cli("sync", "--db", str(alice), "--to", team)
    both = cli("sync", "--db", str(bob), "--to", team)
    assert ("conflict: account Globex: edited on both sides; kept yours (edited later):"
            " notes call after the audit -> wait for the new CFO") in both.out.splitlines()
    cli("sync", "--db", str(alice), "--to", team)
    for db in (alice, bob, team):
        with Store.open(db) as store:
            assert AccountBook(store).find("Globex").notes == "wait for the new CFO"


def test_two_sessions_with_one_id_are_both_kept_and_said(tmp_path: Path, postgres, cli) -> None:
    """Session ids are 48 random bits: in a big team two may meet. Neither is merged into the other."""
    team, laptop, other = postgres.fresh(), tmp_path / "l.db", tmp_path / "o.db"
    record(laptop, "Alice", 1, 2, Clock(T0))
    record(other, "Bruno", 1, 1, Clock(T0 + 500))
    with Store.open(laptop) as store:
        mine = store.sessions()[0].id
    with Store.open(other) as store:  # Bruno's session happens to have Alice's id
        theirs = store.sessions()[0].id
        for table in ("events", "meeting_items", "learning_objections", "learning_responses", "learning_closings", "learning_answers"):
            store._db.execute("PRAGMA foreign_keys = OFF")
            store._db.execute(f"UPDATE {table} SET session_id = ? WHERE session_id = ?", (mine, theirs))
        store._db.execute("UPDATE sessions SET id = ? WHERE id = ?", (mine, theirs))
    cli("sync", "--db", str(other), "--to", team)
    result = cli("sync", "--db", str(laptop), "--to", team)
    note = next(line for line in result.out.splitlines() if line.startswith("note: "))
    assert note.startswith(f"note: session {mine} had the same id as another session on the team's store; yours is now ")
    renamed = note.rsplit(" ", 1)[1]
    assert events_of(team) == events_of(laptop) | events_of(other) and len(events_of(team)) == 4 + 3
    with Store.open(team) as store:
        assert {(s.id, s.rep) for s in store.sessions()} == {(mine, "Bruno"), (renamed, "Alice")}
        assert [r.event.text for r in store.events(renamed)[2:]] == ["Alice meeting 0 note 0", "Alice meeting 0 note 1"]
