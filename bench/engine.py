"""The guidance engine and the session store.

Targets (issue 4): recording an event and recomputing guidance < 5 ms with the built-in
library; opening a store of 10,000 sessions and listing them < 0.5 s.
Baselines in the same run: a bare SQLite insert + commit on the same kind of database (WAL),
and a bare `SELECT * FROM sessions`.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.timing import median, ms, p99, sample, table
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store

SESSIONS = 10_000


def _fill(db: Path, playbook) -> None:
    """10,000 sessions of ~12 events each, written fast in one transaction per 1,000."""
    with Store.open(db) as store:
        raw = store._db
        now = time.time()
        for block in range(SESSIONS // 1000):
            raw.execute("BEGIN")
            for i in range(1000):
                sid = f"s{block:02d}{i:04d}"
                raw.execute("INSERT INTO sessions (id, kind, playbook, prospect, company, created_at, updated_at) VALUES (?, 'meeting', 'builtin', ?, 'Co', ?, ?)",
                            (sid, f"Prospect {block}-{i}", now - i, now - i))
                for seq in range(1, 13):
                    raw.execute("INSERT INTO events (session_id, seq, at, type, data) VALUES (?, ?, ?, 'note_added', '{\"text\": \"n\"}')", (sid, seq, now))
            raw.execute("COMMIT")


def run() -> str:
    playbook = load_playbook(None)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "events.db")
        session = MeetingSession.start(playbook, store, "Bench")
        session.set_stage("discovery")
        session.answer("budget", "limited")
        session.raise_objection("too expensive", "price")
        notes = itertools.count()

        def record_and_guide() -> None:
            session.note(f"note {next(notes)}")
            session.guidance()

        ours = sample(record_and_guide, 300, warmup=10)
        raw = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, data TEXT)")

        def bare_insert() -> None:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO events (data) VALUES ('{\"text\": \"note\"}')")
            raw.execute("COMMIT")

        base = sample(bare_insert, 300, warmup=10)
        guidance_only = sample(session.guidance, 300, warmup=10)
        rows.append(["record event + guidance", ms(median(ours)), ms(p99(ours)), ms(median(base)), f"{median(ours) / median(base):.1f}x", "5.00 ms",
                     "ok" if p99(ours) <= 0.005 else "MISSED"])
        rows.append(["  of which guidance", ms(median(guidance_only)), ms(p99(guidance_only)), "", "", "", ""])
        store.close()

        db = Path(tmp) / "big.db"
        _fill(db, playbook)

        def open_and_list() -> None:
            with Store.open(db) as big:
                assert len(big.sessions()) == SESSIONS

        def bare_list() -> None:
            connection = sqlite3.connect(db)
            connection.execute("SELECT * FROM sessions ORDER BY updated_at DESC").fetchall()
            connection.close()

        ours = sample(open_and_list, 5)
        base = sample(bare_list, 5)
        rows.append([f"open + list {SESSIONS:,} sessions", ms(median(ours)), ms(p99(ours)), ms(median(base)), f"{median(ours) / median(base):.1f}x",
                     "500.00 ms", "ok" if p99(ours) <= 0.5 else "MISSED"])
    headers = ["engine", "median", "p99", "baseline median", "ratio", "target", "p99 vs target"]
    return "Engine (baselines: bare SQLite insert+commit in WAL; bare SELECT of all sessions)\n" + table(headers, rows)


if __name__ == "__main__":
    print(run())
