"""examples/account_life.py, run as a user runs it, then its database read back: the account's
life the issue describes (prepare, meet, follow up, a second meeting from the first's open items,
a review) really happened in the store."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_account_life_example_runs_and_leaves_the_whole_story_in_the_store(tmp_path: Path, cli) -> None:
    db = tmp_path / "life.db"
    env = dict(os.environ, TZ="UTC", XDG_CACHE_HOME=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, str(ROOT / "examples" / "account_life.py"), "--db", str(db)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "carried in: [\"honestly, that's more than we planned\", 'Paul will want to see it before anything is signed']" in out
    assert "## Objectives (2 of 2 met)" in out
    assert "proposed: review" in out
    raw = sqlite3.connect(db)
    meetings = raw.execute("SELECT id, meeting_type, outcome FROM sessions WHERE account_id = 1 ORDER BY created_at").fetchall()
    assert [(m[1], m[2]) for m in meetings] == [("", "next_meeting"), ("", "won"), ("review", "next_meeting")]
    first, second, review = (m[0] for m in meetings)
    # The second meeting took over the first one's open objections and its open action.
    carried = raw.execute("SELECT kind, carried_from, status FROM meeting_items WHERE session_id = ? AND carried_from != ''"
                          " ORDER BY kind, number", (second,)).fetchall()
    assert carried == [("action", f"{first}#2", "done"), ("objection", f"{first}#1", "resolved"), ("objection", f"{first}#2", "resolved")]
    assert raw.execute("SELECT stage, reason FROM stage_changes WHERE account_id = 1 ORDER BY id DESC LIMIT 1").fetchone() == (
        "customer", "signed the reporting project after the demo")
    assert raw.execute("SELECT count(*) FROM interactions WHERE account_id = 1").fetchone()[0] == 2
    assert raw.execute("SELECT count(*) FROM preparations WHERE session_id IS NOT NULL").fetchone()[0] == 3
    # The store reads back through the commands a rep uses.
    shown = cli("accounts", "show", "Dupont", "--db", str(db))
    assert shown.code == 0 and "Account review with Anna Martin" in shown.out
    plan = cli("agenda", "--date", "2026-04-20", "--db", str(db))
    assert "Train the two new accountants" in plan.out and "Kick-off with the finance team" in plan.out
    sessions = cli("sessions", "show", review, "--db", str(db)).out
    assert "## Objectives (1 of 2 met)" in sessions
