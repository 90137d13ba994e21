"""`playbook match`, `playbook test` and `playbook import` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL
from playbook.format import load_playbook
from playbook.meeting.wording import fill
from playbook.matching import Matcher

SCRIPT = str(Path(sys.executable).with_name("playbook"))


def test_match_text_shows_objection_score_and_two_responses(cli) -> None:
    result = cli("match", "too", "expnsive")
    library = load_playbook(None)
    price = library.objection("price")
    from playbook.matching.fused import recogniser_for

    expected_score = recogniser_for(library).match("too expnsive")[0].score  # what the command uses
    lines = result.out.splitlines()
    assert result.code == 0
    assert lines[0].startswith(f"Price (price)  score {expected_score:.0f}")
    worded = fill(price.responses[0].text, library).text  # placeholders shown as blanks to fill, never raw
    assert lines[1] == f"  [{library.technique(price.responses[0].technique).name}] {' '.join(worded.split())}"
    assert "{" not in result.out
    assert lines[2].startswith(f"  [{library.technique(price.responses[1].technique).name}]")


def test_match_json_shape(cli) -> None:
    result = cli("match", "--format", "json", "--top", "2", "we r with sap til 2027")
    data = json.loads(result.out)
    assert data["text"] == "we r with sap til 2027"
    assert data["matches"][0]["objection"] == "competitor"
    assert set(data["matches"][0]) == {"objection", "score", "phrase"}
    assert len(data["matches"]) <= 2


def test_match_nothing_recognised(cli) -> None:
    result = cli("match", "good morning, thanks for coming")
    assert result.out.strip() == "no objection recognised"
    assert json.loads(cli("match", "--format", "json", "hello").out)["matches"] == []


def test_match_stdin_one_result_per_line_in_order() -> None:
    lines = b"too exp\nhello there\n\xff\xfe binary garbage\n\n" + b"x" * 100_000 + "\nle boss décide\n".encode() + b"boss decides\n"
    result = subprocess.run([SCRIPT, "match", "--format", "jsonl"], input=lines, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(out) == 7
    assert out[0]["matches"][0]["objection"] == "price"
    assert out[1]["matches"] == []
    assert out[2]["text"].endswith("binary garbage")
    assert out[3] == {"text": "", "matches": []}
    assert out[6]["matches"][0]["objection"] == "authority"


def test_match_stdin_text_format() -> None:
    result = subprocess.run([SCRIPT, "match"], input="too exp\nhello\n", capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[0].startswith("price ")
    assert result.stdout.splitlines()[0].endswith("\ttoo exp")
    assert result.stdout.splitlines()[1] == "-\thello"


def test_test_command_on_library(cli) -> None:
    result = cli("test")
    library = load_playbook(None)
    assert result.code == 0
    assert result.out.splitlines()[-1].startswith("ok: ")
    assert f"/{len(library.tests)} passed" in result.out
    assert "required 85%" in result.out


def test_test_command_fails_below_required_rate(cli, tmp_path: Path) -> None:
    text = (MINIMAL / "playbook.yaml").read_text().replace("  - say: way too expensive\n    expect: price\n",
        "  - say: way too expensive\n    expect: price\n  - say: hello there\n    expect: price\n")
    (tmp_path / "playbook.yaml").write_text(text)
    result = cli("test", str(tmp_path))
    assert result.code == 1
    assert "expected price, got none: 'hello there'" in result.out
    assert "price -> none: 1" in result.out
    assert result.out.splitlines()[-1].startswith("FAILED: 1/2 passed (50.0%, required 100%)")
    assert cli("test", str(tmp_path), "--min", "50").code == 0


def test_test_command_json(cli) -> None:
    data = json.loads(cli("test", str(MINIMAL), "--format", "json").out)
    assert data["ok"] is True and data["total"] == 1 and data["failures"] == []


def test_import_csv_gives_a_valid_playbook(cli, tmp_path: Path) -> None:
    sheet = tmp_path / "Team objections.csv"
    sheet.write_text("phrasing,category\ntoo expensive,Price\nover budget,Price\ncall me later,Timing / Delay\n,Price\nsend info,Brush-off\ntoo expensive,Price\n")
    out = tmp_path / "team"
    result = cli("import", str(sheet), "--out", str(out))
    assert result.code == 0, result.err
    assert result.out.strip() == f"wrote {out}: 3 categories, 4 phrasings, skipped 1 incomplete rows"
    validated = cli("validate", str(out))
    assert validated.code == 0, validated.err
    playbook = load_playbook(out)
    assert [o.id for o in playbook.objections] == ["price", "timing_delay", "brush_off"]
    assert playbook.objection("price").phrasings == ("too expensive", "over budget")
    assert playbook.objection("timing_delay").title == "Timing / Delay"


def test_import_tsv(cli, tmp_path: Path) -> None:
    sheet = tmp_path / "list.tsv"
    sheet.write_text("c'est trop cher\tprix\npas le moment\tdélai\n")
    assert cli("import", str(sheet), "--out", str(tmp_path / "fr")).code == 0
    assert [o.id for o in load_playbook(tmp_path / "fr").objections] == ["prix", "delai"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "1:1: no rows of the form phrasing,category"),
        (b"only one column\n", "1:1: no rows of the form phrasing,category"),
        (b"category,phrasing\nPrice,too expensive\n", "1:1: put the phrasing first and the category second"),
        ("ok,Price\ntrès,cher\n".encode("latin-1"), "2:3: not UTF-8 text"),
    ],
)
def test_import_bad_spreadsheet(cli, tmp_path: Path, content: bytes, message: str) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_bytes(content)
    result = cli("import", str(sheet), "--out", str(tmp_path / "out"))
    assert result.code == 1
    assert result.err.strip().startswith(f"{sheet}:{message}")
    assert not (tmp_path / "out").exists()


def test_import_never_overwrites(cli, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text("too expensive,price\n")
    out = tmp_path / "existing"
    out.mkdir()
    (out / "notes.yaml").write_text("precious: true\n")
    result = cli("import", str(sheet), "--out", str(out))
    assert result.code == 1 and "not empty" in result.err
    assert (out / "notes.yaml").read_text() == "precious: true\n"
    assert not (out / "objections.yaml").exists()


def test_match_a_line_that_says_the_opposite_of_an_objection(cli) -> None:
    assert cli("match", "we have the budget for it").out.strip() == "no objection recognised"
    assert cli("match", "we don't have the budget for it").out.startswith("Price (price)")
    assert cli("match", "--semantic", "i'm the one who signs").out.strip() == "no objection recognised"
