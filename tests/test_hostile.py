"""The hostile-input corpus (tests/hostile/cases.yaml): each case gets exactly its one-line
answer, and every command run over every case answers without a traceback, with status 0, 1 or 2,
and without a control character in what it prints."""

from __future__ import annotations

import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
from playbook.textsafety import is_printable

from conftest import FIXTURES, CliResult

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "hostile" / "cases.yaml").read_text(encoding="utf-8"))
BY_KIND = {kind: [c for c in CASES if c["kind"] == kind] for kind in ("playbook", "store", "cli", "csv")}
LIBRARY = load_playbook(None)
SCRIPT = Path(sys.executable).with_name("playbook")


def _expand(text: str) -> str:
    """`<<c*N>>` is the text c repeated N times (huge cells, deep nesting)."""
    return re.sub(r"<<(.+?)\*(\d+)>>", lambda m: m.group(1) * int(m.group(2)), text)


def make_store(path: Path) -> None:
    """Two meetings with fixed ids: aaaa00000001 (Anna, Acme: 3 events), bbbb00000002 (Bob, Bolt: 2)."""
    with Store.open(path) as store:
        anna = MeetingSession.start(LIBRARY, store, "Anna", "Acme", clock=lambda: 1_700_000_000.0)
        anna.note("Budget is set in March")
        anna.answer("budget", "limited")
        bob = MeetingSession.start(LIBRARY, store, "Bob", "Bolt", clock=lambda: 1_700_000_100.0)
        bob.note("Call back Tuesday")
    db = sqlite3.connect(path)
    for old, new in ((anna.id, "aaaa00000001"), (bob.id, "bbbb00000002")):
        db.execute("UPDATE sessions SET id = ? WHERE id = ?", (new, old))
        db.execute("UPDATE events SET session_id = ? WHERE session_id = ?", (new, old))
    db.commit()
    db.close()


def set_up(case: dict[str, Any], root: Path) -> None:
    if "copy" in case:
        shutil.copytree(FIXTURES / "valid" / case["copy"], root / "pb")
    if "edit" in case:
        name, old, new = case["edit"]
        file = root / "pb" / name
        text = file.read_text(encoding="utf-8")
        assert old in text, (case["case"], old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    for name, text in (case.get("files") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(_expand(text), encoding="utf-8")
    for name, text in (case.get("bytes") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("latin-1"))
    for name, target in (case.get("links") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    if case["kind"] == "store":
        make_store(root / "s.db")
        db = sqlite3.connect(root / "s.db")
        for statement in case.get("store") or []:
            db.execute(statement)
        db.commit()
        db.close()


def run_in_process(cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str = "") -> CliResult:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        return cli(*args)
    except SystemExit as exit:  # argparse refuses a command line this way, as the console script would
        captured = capsys.readouterr()
        return CliResult(int(exit.code or 0), captured.out, captured.err)


def run_in_a_process(args: list[str], root: Path, case: dict[str, Any]) -> tuple[int, str, str]:
    """As a user runs it: for a closed stdin or an output on /dev/full."""
    stdin = subprocess.DEVNULL
    if case.get("stdin") == "closed":
        stdin = None
    stdout: Any = subprocess.PIPE
    handle = None
    if case.get("stdout") == "/dev/full":
        handle = open("/dev/full", "w")
        stdout = handle
    script = [str(SCRIPT), *args]
    if case.get("stdin") == "closed":
        script = ["sh", "-c", 'exec "$0" "$@" <&-', *script]
    try:
        result = subprocess.run(script, cwd=root, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                                timeout=60, env={**os.environ, "PLAYBOOK_NO_CACHE": "1"})
    finally:
        if handle is not None:
            handle.close()
    out = result.stdout.decode("utf-8", "replace") if result.stdout else ""
    return result.returncode, out, result.stderr.decode("utf-8", "replace")


def assert_safe(out: str, err: str, where: str) -> None:
    for name, text in (("stdout", out), ("stderr", err)):
        assert "Traceback" not in text, (where, name, text[-2000:])
        assert "unexpected error" not in text, (where, name, text[-2000:])
        assert is_printable(text.replace("\r", "")), (where, name, [c for c in text if not is_printable(c)][:5])


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_hostile_case_gets_its_exact_answer(case: dict[str, Any], tmp_path: Path, cli, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    args = [str(a) for a in case["run"]]
    if case.get("stdin") == "closed" or case.get("stdout"):
        code, out, err = run_in_a_process(args, tmp_path, case)
    else:
        result = run_in_process(cli, capsys, monkeypatch, args, case.get("stdin", ""))
        code, out, err = result.code, result.out, result.err
    assert_safe(out, err, case["case"])
    expected_err = case.get("err")
    if expected_err is not None:
        assert err.splitlines() == (expected_err if isinstance(expected_err, list) else [expected_err])
    elif case["exit"]:
        assert len(err.splitlines()) == 1, err
    assert code == case["exit"], (code, out, err)
    if "out" in case:
        assert out == case["out"]
    for text in case.get("out_has", []):
        assert text in out, (text, out[-3000:])
    for text in case.get("never", []):
        assert text not in out + err
    for name, size in (case.get("sizes") or {}).items():
        path = tmp_path / name
        assert (path.stat().st_size if path.exists() else None) == size, name


PLAYBOOK_COMMANDS = (
    ["validate", "pb"], ["validate", "--format", "json", "pb"], ["show", "pb"], ["show", "--format", "json", "pb"],
    ["show", "--resolved", "pb"], ["lint", "pb"], ["lint", "--format", "json", "pb"], ["test", "pb"],
    ["test", "--format", "json", "pb"], ["match", "--playbook", "pb", "too expensive"],
    ["match", "--format", "json", "--playbook", "pb", "that is too expensive"], ["match", "--playbook", "pb"],
    ["drill", "--playbook", "pb", "--rounds", "2", "--seed", "3"], ["roleplay", "--list", "--playbook", "pb"],
    ["sessions", "show", "aaaa", "--db", "s.db", "--playbook", "pb"], ["edit", "pb"],
)
STORE_COMMANDS = (
    ["sessions", "list", "--db", "s.db"], ["sessions", "list", "--all", "--db", "s.db"],
    ["sessions", "list", "--roleplay", "--db", "s.db"], ["sessions", "list", "--format", "json", "--all", "--db", "s.db"],
    ["sessions", "show", "aaaa", "--db", "s.db"], ["sessions", "show", "aaaa", "--events", "--db", "s.db"],
    ["sessions", "show", "bbbb", "--db", "s.db"], ["sessions", "export", "aaaa", "--db", "s.db"],
    ["sessions", "export", "bbbb", "--format", "json", "--db", "s.db"],
    ["report", "--db", "s.db"], ["report", "--format", "html", "--db", "s.db"], ["report", "--format", "csv", "--with-names", "--db", "s.db"],
    ["learn", "--out", "learned", "--db", "s.db"],
)
DRILL_INPUT = "1\n1\nprice\n2\n"


@pytest.mark.parametrize("case", BY_KIND["playbook"], ids=[c["case"] for c in BY_KIND["playbook"]])
def test_every_playbook_command_over_a_hostile_playbook(case: dict[str, Any], tmp_path: Path, cli, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(case, tmp_path)
    make_store(tmp_path / "s.db")
    monkeypatch.chdir(tmp_path)
    for args in PLAYBOOK_COMMANDS:
        if args[0] == "edit" and case["run"][0] != "edit":
            continue  # a readable playbook, broken or not, opens the editor: that is the Pilot tests' job
        result = run_in_process(cli, capsys, monkeypatch, args, DRILL_INPUT if args[0] == "drill" else "too expensive\n\x1b]0;x\x07 hi\n")
        where = f"{case['case']}: playbook {' '.join(args)}"
        assert_safe(result.out, result.err, where)
        assert result.code in (0, 1, 2), where
        if case["exit"]:  # the playbook is refused, by every command, in as many lines as it has problems
            assert result.code == 1 and (result.err.strip() or '"code": ' in result.out), where


@pytest.mark.parametrize("case", BY_KIND["store"], ids=[c["case"] for c in BY_KIND["store"]])
def test_every_sessions_command_over_a_hostile_store(case: dict[str, Any], tmp_path: Path, cli, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    set_up(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "s.db").read_bytes()
    for args in STORE_COMMANDS:
        result = run_in_process(cli, capsys, monkeypatch, args)
        where = f"{case['case']}: playbook {' '.join(args)}"
        assert_safe(result.out, result.err, where)
        assert result.code in (0, 1, 2), where
        assert len([line for line in result.err.splitlines() if not line.startswith("warning: ")]) <= 1, where
    assert (tmp_path / "s.db").read_bytes() == before  # read commands never write
