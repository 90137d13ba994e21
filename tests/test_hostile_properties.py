"""Properties over generated hostile input: playbooks, notes and spreadsheet rows with control
characters, deep nesting, odd encodings and huge fields never raise, and what is shown of them
never holds a control character. Plus the fuzz script of bench/ at a small count."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bench.hostile import fuzz_notes, fuzz_playbooks
from playbook.authoring.importer import ImportProblem, import_spreadsheet
from playbook.format import check_playbook
from playbook.format.yamlsource import MAX_CONDITION_DEPTH
from playbook.meeting import MeetingSession
from playbook.meeting.summary import to_json, to_markdown
from playbook.problems import Problem
from playbook.store import Store
from playbook.textsafety import is_printable, printable

from conftest import MINIMAL

HOSTILE_CHARS = st.sampled_from(["\x1b", "\x07", "\x9b", "\x7f", "\x00", "\r", "\u202e", "\u2028", "[", "]", "[/]", "\\", '"', ":", "{", "#"])
HOSTILE_TEXT = st.lists(st.one_of(HOSTILE_CHARS, st.text(max_size=5)), max_size=12).map("".join)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
BASE = (MINIMAL / "playbook.yaml").read_text(encoding="utf-8")


def assert_well_formed(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1
        assert "\n" not in printable(problem.format(), one_line=True)


@SETTINGS
@given(at=st.integers(0, len(BASE)), inserted=HOSTILE_TEXT)
def test_text_inserted_anywhere_in_a_playbook_never_raises(tmp_path: Path, at: int, inserted: str) -> None:
    folder = tmp_path / "pb"
    folder.mkdir(exist_ok=True)
    (folder / "playbook.yaml").write_text(BASE[:at] + inserted + BASE[at:], encoding="utf-8", errors="surrogatepass")
    playbook, problems = check_playbook(folder)
    assert (playbook is None) == bool(problems)
    assert_well_formed(problems)
    if playbook is not None:  # whatever loads is safe to show: no control character in any of its text
        assert all(is_printable(o.title) and all(is_printable(r.text) for r in o.responses) for o in playbook.objections)


@SETTINGS
@given(depth=st.integers(1, 600), op=st.sampled_from(["not", "all", "any"]))
def test_nested_conditions_are_refused_past_the_limit_never_crash(tmp_path: Path, depth: int, op: str) -> None:
    leaf = "{fact: answer.budget, op: eq, value: none}"
    nested = leaf
    for _ in range(depth):
        nested = f"{{{op}: {nested}}}" if op == "not" else f"{{{op}: [{nested}]}}"
    folder = tmp_path / "pb"
    folder.mkdir(exist_ok=True)
    (folder / "playbook.yaml").write_text(BASE.replace(f"when: {leaf}", f"when: {nested}"), encoding="utf-8")
    playbook, problems = check_playbook(folder)
    assert_well_formed(problems)
    if depth <= MAX_CONDITION_DEPTH:
        assert playbook is not None, problems
    else:
        # libyaml stops at 1,000 levels itself (a list level and a mapping level per `all`/`any`)
        libyaml = ["yaml-syntax"] if depth * (2 if op != "not" else 1) >= 998 else []
        assert playbook is None and [p.code for p in problems] in (["condition-too-deep"], libyaml)


@SETTINGS
@given(raw=st.binary(max_size=400), encoding=st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-8-sig"]))
def test_any_bytes_and_encodings_never_raise(tmp_path: Path, raw: bytes, encoding: str) -> None:
    folder = tmp_path / "pb"
    folder.mkdir(exist_ok=True)
    for name, data in (("playbook.yaml", raw), ("more.yaml", "neutral: [café, naïve]\n".encode(encoding))):
        (folder / name).write_bytes(data)
    playbook, problems = check_playbook(folder)
    assert playbook is None and problems
    assert_well_formed(problems)


@SETTINGS
@given(notes=st.lists(st.text(), min_size=1, max_size=4), prospect=HOSTILE_TEXT, company=HOSTILE_TEXT)
def test_notes_and_names_go_through_the_session_and_every_listing(tmp_path: Path, cli, notes: list[str], prospect: str, company: str) -> None:
    from playbook.format import load_playbook

    db = tmp_path / "s.db"
    with Store.open(db) as store:
        session = MeetingSession.start(load_playbook(None), store, prospect, company)
        for note in notes:
            try:
                session.note(note)
            except ValueError:
                pass  # refused with a message (an empty note): an answer, not a crash
        for text in (to_markdown(session.summary()), to_json(session.summary())):
            assert is_printable(printable(text))
    for args in (("sessions", "list", "--db", str(db)), ("sessions", "list", "--format", "json", "--db", str(db)),
                 ("sessions", "show", session.id, "--db", str(db)), ("sessions", "show", session.id, "--events", "--db", str(db)),
                 ("sessions", "export", session.id, "--db", str(db)), ("sessions", "export", session.id, "--format", "json", "--db", str(db))):
        result = cli(*args)
        assert result.code == 0, (args, result.err)
        assert is_printable(result.out.replace("\r", "")) and is_printable(result.err), args


@SETTINGS
@given(rows=st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_TEXT), min_size=1, max_size=6), huge=st.sampled_from([0, 0, 140_000]))
def test_spreadsheet_rows_import_or_are_refused_in_one_line(tmp_path: Path, rows: list[tuple[str, str]], huge: int) -> None:
    source = tmp_path / "rows.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["phrasing", "category"])
    writer.writerows(rows)
    if huge:
        writer.writerow(["x" * huge, "Price"])
    source.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    out = tmp_path / f"out{len(os.listdir(tmp_path))}"
    try:
        result = import_spreadsheet(source, out)
    except ImportProblem as problem:
        assert "\n" not in str(problem) and str(problem).startswith(str(source))
        assert not out.exists()  # nothing half-written
        return
    playbook, problems = check_playbook(result.directory)
    assert_well_formed(problems)


@pytest.mark.parametrize("fuzz", [fuzz_playbooks, fuzz_notes], ids=["playbooks", "notes"])
def test_the_fuzz_script_finds_no_traceback(fuzz, monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/hostile.py at a small count (`python -m bench hostile` runs 10,000 of each)."""
    monkeypatch.setenv("PLAYBOOK_NO_CACHE", "1")
    failures, times = fuzz(150, seed=int(os.environ.get("FUZZ_SEED", "7")))
    assert failures == [] and times
