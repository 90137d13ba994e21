"""The account commands as a user runs them: `playbook accounts ...`, `log`, `prepare`, `agenda`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

RELEASE_DB = Path(__file__).parent / "data" / "sessions-schema2.db"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "a.db")


def test_accounts_are_added_found_loosely_and_shown_with_their_timeline(cli, db: str) -> None:
    assert cli("accounts", "list", "--db", db).out == "no accounts yet\n"
    added = cli("accounts", "add", "Acme Ltd", "--value", "48000", "--need", "training", "--db", db)
    assert added.code == 0 and added.out == "added Acme Ltd (id 1), suspect\n"
    assert cli("accounts", "add", "ACME ltd.", "--db", db).err == "error: an account named Acme Ltd already exists (id 1)\n"
    assert cli("accounts", "contact", "acme", "Paul Durand", "--role", "decision_maker", "--title", "CFO", "--db", db).code == 0
    moved = cli("accounts", "set", "acm", "--stage", "prospect", "--reason", "budget confirmed", "--db", db)
    assert moved.code == 0 and moved.out == "Acme Ltd (id 1): prospect\n"
    logged = cli("log", "Acme", "--kind", "call", "Left a message for Paul", "--due", "2099-03-01", "--db", db)
    assert logged.code == 0 and logged.out == "logged a call with Acme Ltd, follow up by 2099-03-01 (F:1)\n"
    shown = cli("accounts", "show", "1", "--db", db)
    assert shown.code == 0
    lines = shown.out.splitlines()
    assert lines[0] == "Acme Ltd  (id 1)"
    assert "  stage: prospect · value: 48,000 a year · need: training" in lines[1]
    assert any(line.startswith("  Paul Durand") and "decision-maker" in line and "CFO" in line for line in lines)
    timeline = lines[lines.index("Timeline (newest first)") + 1:]
    assert [line.split()[2] for line in timeline] == ["call", "stage", "stage"]
    assert "suspect → prospect · budget confirmed" in timeline[1]
    data = json.loads(cli("accounts", "show", "acme", "--format", "json", "--db", db).out)
    assert data["account"]["stage"] == "prospect" and data["follow_ups"][0]["due"] == "2099-03-01"


def test_an_account_named_loosely_that_fits_several_lists_them(cli, db: str) -> None:
    cli("accounts", "add", "Acme Ltd", "--db", db)
    cli("accounts", "add", "Acme Industries", "--db", db)
    result = cli("log", "ac", "--kind", "note", "hello", "--db", db)
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines() == ["error: 'ac' matches several accounts; give more of the name, or the id:",
                                       "      1  Acme Ltd", "      2  Acme Industries"]
    missing = cli("log", "Hooli", "--kind", "note", "hello", "--db", db)
    assert missing.code == 1 and "no account matches 'Hooli'" in missing.err


def test_bad_input_is_one_line_and_changes_nothing(cli, db: str) -> None:
    cli("accounts", "add", "Acme", "--db", db)
    for args, message in [
        (("log", "Acme", "--kind", "call", "x", "--due", "31/02/2099"), "is not a date: February 2099 has 28 days"),
        (("log", "Acme", "--kind", "call", "x", "--due", "2020-01-01"), "in the past"),
        (("accounts", "set", "Acme", "--stage", "customer"), "say why Acme moves to customer"),
        (("accounts", "set", "Acme", "--value", "a lot"), "'a lot' is not an amount"),
    ]:
        result = cli(*args, "--db", db)
        assert result.code == 1 and len(result.err.splitlines()) == 1 and message in result.err, (args, result.err)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM interactions").fetchone()[0] == 0
    with pytest.raises(SystemExit) as usage:
        cli("log", "Acme", "--kind", "fax", "x", "--db", db)
    assert usage.value.code == 2


def test_an_import_says_each_bad_row_and_imports_the_rest(cli, db: str, tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text("Account Name;Contact;Lifecycle Stage;Follow-up\nAcme;Anna;customer;2099-01-10\n;Bob;lead;\n"
                      "Globex;Hank;opportunity;2099-13-01\nInitech;;lead;\n", encoding="cp1252")
    result = cli("accounts", "import", str(source), "--db", db)
    assert result.code == 1
    assert result.err.splitlines() == [f"{source}:3: no company name", f"{source}:4: '2099-13-01' is not a date: there is no month 13"]
    assert result.out == "imported 2 row(s): 2 new account(s), 0 updated, 1 new contact(s); 2 row(s) skipped\n"
    listed = cli("accounts", "list", "--sort", "name", "--db", db).out.splitlines()
    assert [line.split()[1] for line in listed[1:]] == ["Acme", "Initech"]
    exported = cli("accounts", "export", "--db", db).out
    assert exported.splitlines()[1].startswith("1,Acme,customer,") and ",Anna," in exported
    assert cli("accounts", "import", str(tmp_path / "nope.csv"), "--db", db).err.startswith(f"error: {tmp_path / 'nope.csv'}: ")
    headless = tmp_path / "h.csv"
    headless.write_text("name;email\nAnn;a@b\n")
    assert cli("accounts", "import", str(headless), "--db", db).err == f"error: {headless}:1: no company column (a header such as company, Company Name or Account Name)\n"


def test_segments_print_counts_value_and_a_chart(cli, db: str) -> None:
    for name, value, need in [("A", "100000", "training"), ("B", "50000", "fleet"), ("C", "20000", "training"),
                              ("D", "5000", "fleet"), ("E", "3000", "software")]:
        cli("accounts", "add", name + " Corp", "--value", value, "--need", need, "--db", db)
    out = cli("accounts", "list", "--by", "value", "--db", db).out
    assert "80% of the value comes from 2 of 5 accounts with a value (40%)." in out
    assert out.splitlines()[1].split()[-3:] == ["1", "100,000", "56%"]
    assert "Share of the value (%) by value" in out and "█" in out
    needs = json.loads(cli("accounts", "list", "--by", "need", "--format", "json", "--db", db).out)
    assert [(s["key"], s["accounts"]) for s in needs["segments"]] == [("training", 2), ("fleet", 2), ("software", 1)]


def test_prepare_keeps_objectives_and_the_meeting_after_starts_with_them(cli, db: str) -> None:
    cli("accounts", "add", "Acme", "--db", db)
    sheet = cli("prepare", "Acme", "--objective", "Meet the CFO", "--objective", "Agree a pilot", "--db", db)
    assert sheet.code == 0
    out = sheet.out
    assert out.startswith("Preparing: Sales meeting with Acme (suspect)\n\nObjectives for this meeting\n  [ ] Meet the CFO\n  [ ] Agree a pilot\n")
    assert "The first 20 seconds\n  1. Who you are and your company" in out
    assert "no decision-maker known" in out
    again = json.loads(cli("prepare", "acme", "--format", "json", "--db", db).out)
    assert again["objectives"] == ["Meet the CFO", "Agree a pilot"] and again["meeting_type"] == "sales"
    review = cli("prepare", "acme", "--type", "review", "--playbook", "builtin:review", "--db", db)
    assert review.out.startswith("Preparing: Account review with Acme") and "Re-read what was sold and promised" in review.out
    bad = cli("prepare", "acme", "--type", "renewal", "--db", db)
    assert bad.code == 1 and "has no meeting type 'renewal'" in bad.err


def test_the_agenda_from_a_database_written_by_the_release_before_accounts(cli, tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    shutil.copy(RELEASE_DB, db)
    read_only = cli("agenda", "--date", "2026-01-20", "--db", db)
    assert read_only.out == "nothing to follow up until 2026-01-20\n" and "written before accounts were kept" in read_only.err
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 2  # reading changed nothing
    assert cli("log", "Globex", "--kind", "email", "Sent the brochure", "--db", db).code == 0
    plan = cli("agenda", "--date", "2026-01-20", "--db", db)
    assert plan.out.splitlines()[:3] == [
        "Overdue (1)", "  2026-01-15  Société Générale des Eaux: Envoyer la proposition (moi)  [A:376ec3024464#1]", ""]
    assert plan.out.splitlines()[3] == "Today (1)"
    assert "could belong to more than one account (Initech Labs)" in plan.err
    done = cli("agenda", "--done", "A:376ec3024464#1", "--db", db)
    assert done.code == 0 and "Overdue" not in cli("agenda", "--date", "2026-01-20", "--db", db).out
    shown = cli("sessions", "show", "376ec3", "--db", db).out
    assert "- [x] Envoyer la proposition" in shown
    linked = cli("accounts", "link", "6daa32", "--new", "--db", db)
    assert linked.out == "meeting 6daa32de4e68 filed under Initech Labs\n"
    assert "could belong" not in cli("agenda", "--date", "2026-01-20", "--db", db).err
