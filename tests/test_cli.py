"""The CLI as a user runs it: validate, show, --help, --version, bad paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, MINIMAL
from playbook import __version__
from playbook.format import load_playbook


def test_validate_builtin_prints_counts(cli) -> None:
    result = cli("validate")
    counts = load_playbook(None).counts()
    assert result.code == 0
    assert result.out.strip() == "ok: " + ", ".join(f"{n} {name}" for name, n in counts.items())
    assert "9 objections" in result.out


def test_validate_several_paths_names_each(cli) -> None:
    result = cli("validate", str(MINIMAL), "builtin")
    assert result.code == 0
    assert result.out.splitlines()[0].startswith(f"{MINIMAL}: ok: 2 stages")
    assert result.out.splitlines()[1].startswith("builtin: ok: 6 stages")


def test_validate_fails_if_any_path_fails(cli) -> None:
    result = cli("validate", str(MINIMAL), str(FIXTURES / "broken" / "bad_id"))
    assert result.code == 1
    assert "schema-id" in result.err


def test_validate_json_format(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "broken" / "unknown_technique")
    result = cli("validate", ".", "--format", "json")
    data = json.loads(result.out)
    assert result.code == 1
    assert data["ok"] is False
    assert data["problems"] == [
        {"path": "playbook.yaml", "line": 32, "col": 20, "code": "unknown-technique", "severity": "error",
         "message": "objections[0].responses[0].technique: 'flattery' is not a known technique (known: question)"}
    ]


def test_missing_path_is_one_clear_line(cli) -> None:
    result = cli("validate", "/no/such/playbook")
    assert result.code == 1
    assert result.err.strip() == "/no/such/playbook:1:1: error[not-found]: no such file or directory"


def test_show_text_outline(cli) -> None:
    result = cli("show")
    playbook = load_playbook(None)
    assert result.code == 0
    for stage in playbook.stages:
        assert f"{stage.title} ({stage.id})" in result.out
    for objection in playbook.objections:
        assert f"{objection.title} ({objection.id})" in result.out
    assert playbook.questions[0].text in result.out


def test_show_json_has_the_whole_playbook(cli) -> None:
    result = cli("show", "--format", "json")
    data = json.loads(result.out)
    playbook = load_playbook(None)
    assert [o["id"] for o in data["objections"]] == [o.id for o in playbook.objections]
    price = data["objections"][0]
    assert price["phrasings"] == list(playbook.objection("price").phrasings)
    assert price["responses"][0]["technique"] == playbook.objection("price").responses[0].technique
    rule = next(r for r in data["rules"] if r["id"] == "no_pitch_before_need")
    assert rule["when"]["all"][0] == {"fact": "stage.kind", "op": "in", "value": ["presentation", "closing"]}


def test_show_broken_playbook_exits_1(cli) -> None:
    result = cli("show", str(FIXTURES / "broken" / "bad_id"))
    assert result.code == 1 and "schema-id" in result.err and result.out == ""


def test_version_and_help(cli, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli("--version")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"playbook {__version__}"
    for command in ("validate", "show", "run"):
        with pytest.raises(SystemExit) as exit_info:
            cli(command, "--help")
        assert exit_info.value.code == 0
        assert "usage: playbook " + command in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(cli) -> None:
    result = cli()
    assert result.code == 2 and "usage: playbook" in result.out


def test_console_script_runs_from_another_directory(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("playbook")
    result = subprocess.run([str(script), "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 6 stages")


def test_engine_never_imports_textual() -> None:
    code = (
        "import sys, playbook.cli, playbook.format, playbook.model, playbook.matching, playbook.meeting, playbook.training, playbook.store, playbook.authoring\n"
        "from playbook.cli import main\n"
        "main(['validate'])\n"
        "assert 'textual' not in sys.modules, 'textual was imported by the engine'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_engine_source_has_no_textual_import() -> None:
    engine = Path(__file__).parent.parent / "playbook"
    offenders = [p.name for p in engine.rglob("*.py") if "import textual" in p.read_text() or "from textual" in p.read_text()]
    assert offenders == []


def test_run_with_a_broken_playbook_reports_and_does_not_start(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "broken" / "unknown_technique")
    result = cli("run", "--playbook", ".", "--db", "unused.db")
    assert result.code == 1
    assert result.err.strip() == (
        "playbook.yaml:32:20: error[unknown-technique]: objections[0].responses[0].technique: 'flattery' is not a known technique (known: question)"
    )
    assert not Path("unused.db").exists()


def test_run_with_a_corrupt_database_reports_and_leaves_it_alone(cli, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(b"not sqlite" * 100)
    result = cli("run", "--db", str(db))
    assert result.code == 1
    assert result.err.strip() == f"error: {db}: this file is not a readable session database (damaged, or not a database at all)"
    assert db.read_bytes() == b"not sqlite" * 100


def test_run_resume_of_an_unknown_session(cli, tmp_path: Path) -> None:
    result = cli("run", "--db", str(tmp_path / "s.db"), "--resume", "abc123")
    assert result.code == 1
    assert result.err.startswith("error: no session 'abc123'")
