"""Each broken playbook holds one mistake; validate must name it exactly and exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES

BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())
VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_playbook_reports_exact_problem(case: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    expected = (case / "expected.txt").read_text().splitlines()
    expected_code = int(expected[-1].removeprefix("rc="))
    result = cli("validate", ".")
    assert result.code == expected_code == 1
    assert result.err.splitlines() == expected[:-1]
    assert "Traceback" not in result.err
    assert result.out == ""


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_playbook_passes(case: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    result = cli("validate", ".")
    assert result.code == 0, result.err
    assert result.out.startswith("ok: ")


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (FIXTURES / "valid" / "minimal" / "playbook.yaml").read_text()
    text = text.replace("technique: question\n", "technique: flattery\n").replace("stage: discovery", "stage: discovry")
    (tmp_path / "playbook.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    result = cli("validate", ".")
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 2
    assert "'discovry' is not a known stage" in lines[0]
    assert "'flattery' is not a known technique" in lines[1]
