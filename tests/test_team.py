"""Who and where, for a team: the report and the account list filtered by rep and team (on both
back-ends), connection strings never shown with their password, and the app working as the
least-privileged role the README documents."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from urllib.parse import urlsplit

import pytest

from playbook.accounts import AccountBook
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store, StoreError
from playbook.store.location import scrub, shown
from playbook.store.postgres import rights_sql

LIBRARY = load_playbook(None)
PLAYBOOK = str(Path(sys.executable).parent / "playbook")


def write_config(text: str) -> None:
    import os

    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "playbook"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def test_the_report_and_accounts_filter_by_rep_and_team(store_backend, cli) -> None:
    db = str(store_backend)
    with Store.open(store_backend) as store:
        book = AccountBook(store)
        plan = [("Alice", "East", "Acme"), ("Bruno", "East", "Globex"), ("Chloe", "West", "Initech"), ("Chloe", "West", "Acme")]
        for rep, team, company in plan:
            write_config(f'rep = "{rep}"\nteam = "{team}"\n')
            account = book.find(company) if any(a.account.name == company for a in book.lines()) else book.add(company)
            MeetingSession.start(LIBRARY, store, "P", company, account_id=account.id, rep=rep)
    write_config("")

    def report(*filters: str) -> dict:
        result = cli("report", "--db", db, "--format", "json", *filters)
        assert result.code == 0, result.err
        return json.loads(result.out)

    assert report()["meetings"] == 4
    east = report("--team", "East")
    assert east["meetings"] == 2 and {r["rep"] for r in east["reps"]} == {"Alice", "Bruno"} and east["filters"]["team"] == "East"
    assert report("--team", "West", "--rep", "Chloe")["meetings"] == 2
    assert report("--team", "West", "--rep", "Alice")["meetings"] == 0
    assert "team East" in cli("report", "--db", db, "--team", "East").out

    def accounts(*filters: str) -> list[str]:
        result = cli("accounts", "list", "--db", db, "--format", "json", "--sort", "name", *filters)
        assert result.code == 0, result.err
        return [a["name"] for a in json.loads(result.out)]

    assert accounts() == ["Acme", "Globex", "Initech"]
    assert accounts("--rep", "Chloe") == ["Acme", "Initech"]
    assert accounts("--team", "East") == ["Acme", "Globex"]
    assert accounts("--team", "East", "--rep", "Bruno") == ["Globex"]
    assert accounts("--team", "North") == []


# -- passwords ---------------------------------------------------------------------------------

SECRET = "s3cr%t:p@ss"
WITH_PASSWORD = "postgresql://alice:s3cr%25t%3Ap%40ss@127.0.0.1:9/team"


@pytest.mark.parametrize(("given", "printed"), [
    ("postgresql://alice:hunter2@db.example.com:5432/team", "postgresql://alice:***@db.example.com:5432/team"),
    ("postgres://alice@db/team?password=hunter2&sslmode=require", "postgres://alice@db/team?password=***&sslmode=require"),
    ("postgresql://alice@db/team", "postgresql://alice@db/team"),
    ("/home/alice/sessions.db", "/home/alice/sessions.db"),
])
def test_a_connection_string_is_shown_without_its_password(given: str, printed: str) -> None:
    assert shown(given) == printed
    assert "hunter2" not in scrub(f"could not connect with {given} (password=hunter2)", given)


@pytest.mark.parametrize("command", [
    ["sessions", "list", "--db", WITH_PASSWORD],
    ["report", "--db", WITH_PASSWORD],
    ["accounts", "list", "--db", WITH_PASSWORD],
    ["sync", "--to", WITH_PASSWORD],
    ["team", "init", WITH_PASSWORD],
])
def test_an_unreachable_server_is_one_line_without_the_password(command: list[str], tmp_path: Path) -> None:
    """Run as a rep runs it: a real process, a port where no server listens."""
    result = subprocess.run([PLAYBOOK, *command, *(["--db", str(tmp_path / "l.db")] if command[0] == "sync" else [])],
                            capture_output=True, text=True, timeout=60, env=_env(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    assert "127.0.0.1" in lines[0] and "alice:***@" in lines[0]
    for output in (result.stdout, result.stderr, *_logs(tmp_path)):
        assert SECRET not in output and "s3cr%25t" not in output and "p%40ss" not in output


def test_without_psycopg_a_server_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "psycopg.py").write_text("raise ImportError('psycopg is not installed')\n")
    env = {**_env(tmp_path), "PYTHONPATH": str(blocker)}
    result = subprocess.run([PLAYBOOK, "sessions", "list", "--db", WITH_PASSWORD], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr == "error: a postgresql:// database needs psycopg: install playbook with its team extra (pip install 'playbook[team]')\n"


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    return {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}


def _logs(tmp_path: Path) -> list[str]:
    return [p.read_text(errors="replace") for p in (tmp_path / "state").rglob("*") if p.is_file()]


# -- the least-privileged role -----------------------------------------------------------------


def test_the_app_works_as_the_least_privileged_role_and_cannot_rewrite_history(postgres, tmp_path: Path, cli) -> None:
    """The admin creates the role with the README's SQL and runs `team init --grant`; a rep
    connected as that role records, syncs and reports; changing or deleting an event, or
    creating a table, is refused by the server."""
    team = postgres.fresh()
    database = urlsplit(team).path.lstrip("/")
    with postgres.admin(database) as admin:
        admin.execute("DROP ROLE IF EXISTS playbook_rep_test")  # roles are server-wide
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    create_role = next(line for line in readme.splitlines() if line.startswith("CREATE ROLE playbook_rep"))
    with postgres.admin(database) as admin:
        admin.execute(create_role.replace("playbook_rep", "playbook_rep_test").replace("'choose-a-password'", "'pw'"))
    try:
        assert cli("team", "init", team, "--grant", "playbook_rep_test").code == 0
        as_rep = team.replace("postgres:@", "playbook_rep_test:pw@")
        laptop = tmp_path / "laptop.db"
        with Store.open(laptop) as store:
            book = AccountBook(store)
            acme = book.add("Acme")
            book.set_stage(acme, "prospect", "they asked for a quote")
            book.log(acme, "call", "Called the buyer", "2030-01-05")
            session = MeetingSession.start(LIBRARY, store, "Ann", "Acme", account_id=acme.id, rep="Alice")
            session.raise_objection("too expensive", "price")
            session.end()
        synced = cli("sync", "--db", str(laptop), "--to", as_rep)
        assert synced.code == 0, synced.err
        with Store.open(as_rep) as store:  # recording straight on the server as the rep
            direct = MeetingSession.start(LIBRARY, store, "Bo", rep="Alice")
            direct.note("typed on the server")
            direct.save_draft("says", "half")
            assert store.info(direct.id).events == 2
            for statement in ("UPDATE events SET data = '{}'", "DELETE FROM events", "CREATE TABLE mine (x INTEGER)",
                              "DROP TABLE drafts", "UPDATE stage_changes SET stage = 'lost'"):
                with pytest.raises(StoreError, match="may not do this"):
                    store._db.execute(statement)
        assert json.loads(cli("report", "--db", as_rep, "--format", "json").out)["meetings"] == 2
        assert "Acme" in cli("accounts", "list", "--db", as_rep).out
    finally:
        with postgres.admin(database) as admin:
            admin.execute("DROP OWNED BY playbook_rep_test")
            admin.execute("DROP ROLE playbook_rep_test")


def test_the_readme_lists_the_rights_the_app_grants() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for statement in rights_sql("playbook_rep", "playbook", "public"):
        assert statement + ";" in readme


def test_playbook_db_may_name_a_server(postgres, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    team = postgres.fresh()
    with Store.open(team) as store:
        MeetingSession.start(LIBRARY, store, "Dora", "Initech", rep="Alice")
    monkeypatch.setenv("PLAYBOOK_DB", team)
    listed = cli("sessions", "list")
    assert listed.code == 0 and "Dora, Initech" in listed.out
