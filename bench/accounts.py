"""Accounts at a team's scale: the accounts list, the agenda and one account's timeline.

Targets (issue 14): with 10,000 accounts and 200,000 logged interactions, `accounts list` and the
agenda under 200 ms, an account's timeline under 50 ms. Baselines in the same run: the bare SQL
query a person would write for each (the accounts by last contact; the open follow-ups due by a
date; one account's interactions, newest first), on the same store.

The store is built through the schema's own migrations, then filled in bulk with plain SQL: 10,000
accounts (a third of them customers), 20 interactions each (one in ten with a follow-up date from
60 days ago to 30 days ahead, a third of those done), and 5,000 meetings under the accounts, each
with an open action and an objection as the meeting items the app writes.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.timing import median, ms, p99, sample, table
from playbook.accounts import AccountBook, agenda, timeline
from playbook.store import Store

ACCOUNTS = 10_000
INTERACTIONS_EACH = 20
MEETINGS = 5_000
RUNS = 15
NOW = 1_780_000_000.0  # 2026-05-28, so that the follow-ups fall around "today"
STAGES = ("suspect", "prospect", "customer", "lost")
KINDS = ("call", "email", "offer", "note")


def build_store(path: Path, seed: int = 5) -> None:
    rng = random.Random(seed)
    today = date.fromtimestamp(NOW)
    with Store.open(path) as store:
        db = store._db  # bulk rows under the store's own schema
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO accounts (id, name, name_key, stage, value, need, created_at, updated_at, last_contact_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(i, f"Company {i:05d}", f"company {i:05d}", STAGES[i % 4] if i % 3 else "customer", rng.choice((None, rng.uniform(1e3, 5e5))),
              rng.choice(("", "planning", "reporting", "payroll")), NOW - 400 * 86400, NOW - rng.uniform(0, 300) * 86400,
              NOW - rng.uniform(0, 300) * 86400) for i in range(1, ACCOUNTS + 1)])
        rows = []
        for account in range(1, ACCOUNTS + 1):
            for n in range(INTERACTIONS_EACH):
                due = (today + timedelta(days=rng.randint(-60, 30))).isoformat() if rng.random() < 0.1 else ""
                rows.append((account, NOW - rng.uniform(0, 365) * 86400, KINDS[n % 4], f"Interaction {n} with account {account}", due,
                             int(bool(due) and rng.random() < 0.33)))
        db.executemany("INSERT INTO interactions (account_id, at, kind, text, due, done) VALUES (?, ?, ?, ?, ?, ?)", rows)
        sessions, items = [], []
        for m in range(MEETINGS):
            session_id, account = f"bench{m:07d}", rng.randint(1, ACCOUNTS)
            at = NOW - rng.uniform(0, 365) * 86400
            sessions.append((session_id, "builtin", "Prospect", f"Company {account:05d}", at, at, at + 3600, account, "linked", 1))
            due = (today + timedelta(days=rng.randint(-30, 30))).isoformat()
            items.append((session_id, "action", 1, "Send the proposal", "Rep", due, "open", at))
            items.append((session_id, "objection", 1, "too expensive", "price", "", rng.choice(("open", "parked", "resolved")), at))
        db.executemany("INSERT INTO sessions (id, playbook, prospect, company, created_at, updated_at, ended_at, account_id, account_check,"
                       " items_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions)
        db.executemany("INSERT INTO meeting_items (session_id, kind, number, text, detail, due, status, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       items)
        db.execute("COMMIT")
        db.execute("ANALYZE")


def run() -> str:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "accounts.db"
        started = time.perf_counter()
        build_store(path)
        built = time.perf_counter() - started
        store = Store.open(path, readonly=True)
        book = AccountBook(store, clock=lambda: NOW)
        today = date.fromtimestamp(NOW)
        busiest = store.read("SELECT account_id FROM sessions GROUP BY account_id ORDER BY count(*) DESC LIMIT 1")[0][0]
        account = book.get(busiest)
        until = (today + timedelta(days=6)).isoformat()

        def line(label: str, ours, baseline, target: float) -> None:
            mine, base = sample(ours, RUNS), sample(baseline, RUNS)
            rows.append([label, ms(median(mine)), ms(p99(mine)), ms(median(base)), f"{median(mine) / median(base):.1f}x",
                         f"{target * 1000:.0f} ms", "ok" if p99(mine) <= target else "MISSED"])

        line(f"accounts list ({ACCOUNTS:,}, last contact first)", lambda: book.lines("recent"),
             lambda: store.read("SELECT id, name, stage, last_contact_at FROM accounts ORDER BY last_contact_at DESC"), 0.2)
        line("agenda (overdue, today, this week)", lambda: agenda(book, today),
             lambda: store.read("SELECT id, due, text FROM interactions WHERE done = 0 AND due <> '' AND due <= ? ORDER BY due",
                                (until,)), 0.2)
        line(f"timeline of the busiest account ({len(book.tables.meetings(busiest))} meetings)", lambda: timeline(book, account),
             lambda: store.read("SELECT id, at, kind, text FROM interactions WHERE account_id = ? ORDER BY at DESC", (busiest,)), 0.05)
        interactions = store.read("SELECT count(*) FROM interactions")[0][0]
        store.close()
    headers = ["query", "median", "p99", "baseline median", "ratio", "target", "p99 vs target"]
    return (f"Accounts ({ACCOUNTS:,} accounts, {interactions:,} interactions, {MEETINGS:,} meetings; built in {built:.1f} s; "
            "baseline: the bare SQL query for the same rows)\n" + table(headers, rows))


if __name__ == "__main__":
    print(run())
