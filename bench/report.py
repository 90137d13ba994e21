"""The team report over 100,000 meetings, and the team's evidence a meeting reads.

Target (issue 16): `playbook report` over 100,000 meetings in under 2 s on SQLite.
Baseline in the same run: the bare SQL aggregate, objections counted by category straight from
the event log (`json_extract` over the events), the one query a person would write by hand.

The store: 2,000 meetings simulated through MeetingSession (learning/simulate.py: four reps,
the built-in scenarios' customers), copied 50 times under new ids (and shifted in time) with
plain SQL, so the 100,000 meetings hold real event logs and learning tables.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.timing import median, ms, p99, sample, table
from playbook.format import load_playbook
from playbook.learning.evidence import team_evidence
from playbook.learning.render import to_html, to_text
from playbook.learning.report import Filters, build_report
from playbook.learning.simulate import START, simulate
from playbook.store import Store

SIMULATED = 2_000
COPIES = 50
MEETINGS = SIMULATED * COPIES
TARGET = 2.0
RUNS = 9
SESSION_TABLES = ("events", "learning_objections", "learning_responses", "learning_closings", "learning_answers")


def build_store(path: Path) -> None:
    """100,000 meetings: 2,000 simulated ones, then copies of them under new ids."""
    playbook = load_playbook(None)
    with Store.open(path) as store:
        simulate(store, playbook, meetings=SIMULATED, seed=11)
        db = store._db  # the copies are made in bulk, under the store's own schema
        db.execute("BEGIN")
        session_columns = [row[1] for row in db.execute("PRAGMA table_info(sessions)")]
        for copy in range(1, COPIES):
            shift = copy * 3600.0
            values = [f"id || '-{copy:02d}'" if c == "id" else f"{c} + {shift}" if c in ("created_at", "updated_at", "ended_at") else c
                      for c in session_columns]
            db.execute(f"INSERT INTO sessions ({', '.join(session_columns)}) SELECT {', '.join(values)} FROM sessions WHERE id NOT LIKE '%-%'")
            for name in SESSION_TABLES:
                columns = [row[1] for row in db.execute(f"PRAGMA table_info({name})")]
                values = [f"session_id || '-{copy:02d}'" if c == "session_id" else c for c in columns]
                db.execute(f"INSERT INTO {name} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {name} WHERE session_id NOT LIKE '%-%'")
        db.execute("COMMIT")
        db.execute("ANALYZE")
        assert db.execute("SELECT count(*) FROM sessions WHERE kind = 'meeting'").fetchone()[0] == MEETINGS


def run() -> str:
    playbook = load_playbook(None)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "team.db"
        started = time.perf_counter()
        build_store(path)
        built = time.perf_counter() - started
        store = Store.open(path, readonly=True)
        events = store.read("SELECT count(*) FROM events")[0][0]

        def bare_aggregate() -> None:
            store.read("SELECT json_extract(data, '$.objection'), count(*) FROM events WHERE type = 'objection_raised' GROUP BY 1")

        base = sample(bare_aggregate, RUNS)

        def line(label: str, fn, target: float | None = TARGET) -> None:
            ours = sample(fn, RUNS)
            verdict = ("ok" if p99(ours) <= target else "MISSED") if target else ""
            rows.append([label, ms(median(ours)), ms(p99(ours)), ms(median(base)), f"{median(ours) / median(base):.2f}x",
                         f"{target * 1000:.0f} ms" if target else "", verdict])

        line(f"report, {MEETINGS:,} meetings (text)", lambda: to_text(build_report(store, playbook)))
        line("  the same as html", lambda: to_html(build_report(store, playbook)))
        line("  one rep's meetings", lambda: build_report(store, playbook, Filters(rep="Alice Martin")))
        line("  since a date (the last third)", lambda: build_report(store, playbook, Filters(since=START + 180 * 86400)))
        line("evidence a meeting reads (once)", lambda: team_evidence(store), target=0.5)
        store.close()
    headers = ["report", "median", "p99", "baseline median", "ratio", "target", "p99 vs target"]
    return (f"Report (store: {MEETINGS:,} meetings, {events:,} events, built in {built:.0f} s; baseline: bare SQL aggregate "
            "of objections by category over the event log)\n" + table(headers, rows))


if __name__ == "__main__":
    print(run())
