"""The meeting summary export (Markdown for a CRM note, JSON for tools) against golden files,
and `playbook sessions` as a user runs it."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

from playbook.store import Store
from playbook.meeting.summary import to_json, to_markdown

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = runpy.run_path(str(ROOT / "examples" / "scripted_meeting.py"))


@pytest.fixture
def recorded(tmp_path: Path):
    db = tmp_path / "sessions.db"
    with Store.open(db) as store:
        session = EXAMPLE["play"](store)
    return db, session


def test_markdown_export_matches_golden(recorded) -> None:
    _, session = recorded
    assert to_markdown(session.summary()) == (GOLDEN / "scripted_meeting.md").read_text()


def test_customer_recap_matches_golden(recorded) -> None:
    from playbook.meeting.recap import to_recap_html, to_recap_markdown

    _, session = recorded
    assert to_recap_markdown(session.summary()) == (GOLDEN / "scripted_meeting_recap.md").read_text()
    assert to_recap_html(session.summary()) == (GOLDEN / "scripted_meeting_recap.html").read_text()


def test_json_export_matches_golden(recorded) -> None:
    _, session = recorded
    data = json.loads(to_json(session.summary()))
    assert data.pop("session") == session.id
    assert data == json.loads((GOLDEN / "scripted_meeting.json").read_text())


def test_cli_list_show_export(recorded, cli, tmp_path: Path) -> None:
    db, session = recorded
    listing = cli("sessions", "list", "--db", str(db))
    assert listing.code == 0
    assert listing.out.splitlines()[1].startswith(session.id)
    assert "done" in listing.out and "next meeting" in listing.out and "Anna Martin, Dupont Logistics" in listing.out
    rows = json.loads(cli("sessions", "list", "--db", str(db), "--format", "json").out)
    assert (rows[0]["outcome"], rows[0]["playbook"], rows[0]["playbook_hash"]) == ("next_meeting", "builtin", session.playbook.digest)
    shown = cli("sessions", "show", session.id[:6], "--db", str(db))
    assert shown.code == 0 and shown.out == (GOLDEN / "scripted_meeting.md").read_text()
    events = cli("sessions", "show", session.id, "--events", "--db", str(db))
    assert events.out.splitlines()[0].split()[3] == "meeting_started"
    assert len(events.out.splitlines()) == len(session.records)
    out = tmp_path / "summary.json"
    exported = cli("sessions", "export", session.id, "--format", "json", "--out", str(out), "--db", str(db))
    assert exported.code == 0 and exported.out.strip() == f"wrote {out}"
    assert json.loads(out.read_text())["qualification"]["verdict"] == "go"
    again = cli("sessions", "export", session.id, "--format", "json", "--out", str(out), "--db", str(db))
    assert again.code == 1 and again.err.strip() == f"error: {out}: already exists (use --force to replace it)"
    forced = cli("sessions", "export", session.id, "--out", str(out), "--force", "--db", str(db))
    assert forced.code == 0 and out.read_text() == (GOLDEN / "scripted_meeting_recap.md").read_text()
    recap = cli("sessions", "export", session.id, "--db", str(db))
    assert recap.out == (GOLDEN / "scripted_meeting_recap.md").read_text()
    notes = cli("sessions", "export", session.id, "--document", "notes", "--db", str(db))
    assert notes.out == (GOLDEN / "scripted_meeting.md").read_text()


def test_cli_sessions_bad_input(cli, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    empty = cli("sessions", "list", "--db", str(db))
    assert empty.code == 0 and empty.out.strip() == "no sessions yet"
    no_database = cli("sessions", "show", "nope", "--db", str(db))
    assert no_database.code == 1 and no_database.err.strip() == f"error: {db}: no session database here yet"
    Store.open(db).close()
    missing = cli("sessions", "show", "nope", "--db", str(db))
    assert missing.code == 1 and missing.err.startswith("error: no session 'nope'")
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"garbage" * 500)
    result = cli("sessions", "list", "--db", str(corrupt))
    assert result.code == 1 and "not a readable session database" in result.err
    assert corrupt.read_bytes() == b"garbage" * 500
    assert cli("sessions", "list", "--db", str(tmp_path / "none" / "x.db")).out.strip() == "no sessions yet"
    assert cli("sessions", "show", "abc", "--db", str(tmp_path / "none" / "x.db")).code == 1


def test_cli_uses_playbook_db_environment(recorded, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    db, session = recorded
    monkeypatch.setenv("PLAYBOOK_DB", str(db))
    assert session.id in cli("sessions", "list").out
