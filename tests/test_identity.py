"""Who holds a meeting: --rep, else $PLAYBOOK_REP, else the user's config file; recorded on the
session, and the report's --rep filter."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
from playbook.store.identity import IdentityError, clean_name, config_path, current_rep


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_name_comes_from_the_option_then_the_environment_then_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    assert current_rep() == ""
    write_config('rep = "Carla Config"\n')
    assert current_rep() == "Carla Config"
    monkeypatch.setenv("PLAYBOOK_REP", "Eve Env")
    assert current_rep() == "Eve Env"
    assert current_rep("  Olga   Option ") == "Olga Option"
    assert current_rep("   ") == "Eve Env"  # an empty option names nobody


def test_a_broken_config_file_is_said_in_one_line() -> None:
    path = write_config("rep = \n")
    with pytest.raises(IdentityError) as caught:
        current_rep()
    assert str(caught.value).startswith(f"{path}: not valid TOML:") and "\n" not in str(caught.value)
    assert current_rep(strict=False) == ""  # the meeting app still starts
    write_config("rep = 3\n")
    with pytest.raises(IdentityError, match="must be a name in quotes"):
        current_rep()


def test_names_are_cleaned() -> None:
    assert clean_name("Ann\x1b[31m\tLee\n") == "Ann[31m Lee"
    assert len(clean_name("x" * 500)) == 100


def test_a_meeting_records_who_held_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    playbook = load_playbook(None)
    with Store.open(tmp_path / "s.db") as store:
        given = MeetingSession.start(playbook, store, "P", rep="Alice")
        monkeypatch.setenv("PLAYBOOK_REP", "Bruno")
        from_env = MeetingSession.start(playbook, store, "P")
        monkeypatch.delenv("PLAYBOOK_REP")
        nobody = MeetingSession.start(playbook, store, "P")
        reps = {s.id: s.rep for s in store.sessions()}
    assert reps == {given.id: "Alice", from_env.id: "Bruno", nobody.id: None}


def test_run_refuses_a_broken_config_before_opening_anything(tmp_path: Path, cli) -> None:
    write_config("rep = [\n")
    result = cli("run", "--db", str(tmp_path / "s.db"))
    assert result.code == 1 and result.err.startswith("error: ") and "not valid TOML" in result.err
    assert not (tmp_path / "s.db").exists()


def test_the_report_filters_by_rep(simulated, cli) -> None:
    path, simulation = simulated
    for rep, meetings in simulation.by_rep.items():
        data = json.loads(cli("report", "--db", str(path), "--format", "json", "--rep", rep).out)
        assert data["meetings"] == meetings and data["reps"] == [{"rep": rep, "meetings": meetings}]
    assert json.loads(cli("report", "--db", str(path), "--format", "json", "--rep", "Nobody").out)["meetings"] == 0
