"""The hardened YAML reader: strict scalars, refusals, and positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.format import yamlsource
from playbook.format.yamlsource import read_yaml


def read(tmp_path: Path, text: str | bytes):
    path = tmp_path / "f.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return read_yaml(path, "f.yaml")


def test_only_true_and_false_are_booleans_and_dates_stay_text(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "a: no\nb: yes\nc: true\nd: 2024-01-01\ne: 12\nf: 1.5\ng: ~\nh: on\n")
    assert problems == []
    assert doc.data == {"a": "no", "b": "yes", "c": True, "d": "2024-01-01", "e": 12, "f": 1.5, "g": None, "h": "on"}


def test_positions_are_recorded_for_values_and_keys(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, "top:\n  - id: x\n    items: [a, b]\n")
    assert doc.position(("top", 0, "id")) == (2, 9)
    assert doc.position(("top", 0, "id"), key=True) == (2, 5)
    assert doc.position(("top", 0, "items", 1)) == (3, 16)
    assert doc.position(("top", 0, "missing", 3)) == (2, 5)  # falls back to the nearest parent


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("a: 1\na: 2\n", "yaml-duplicate-key", (2, 1)),
        ("a: &x [1]\nb: *x\n", "yaml-alias", (2, 1)),
        ("a: [1, 2\n", "yaml-syntax", (2, 1)),
        ("", "file-empty", (1, 1)),
        ("# only a comment\n", "file-empty", (1, 1)),
        ("- 1\n- 2\n", "file-not-mapping", (1, 1)),
        ("just text\n", "file-not-mapping", (1, 1)),
        ("a: !!python/object:os.system x\n", "yaml-tag", (1, 4)),
        ("<<: {a: 1}\n", "yaml-merge", (1, 1)),
        ("? [a, b]\n: 1\n", "yaml-key", (1, 3)),
    ],
)
def test_refusals_are_located(tmp_path: Path, text: str, code: str, where: tuple[int, int]) -> None:
    doc, problems = read(tmp_path, text)
    assert doc is None
    assert [(p.code, (p.line, p.col)) for p in problems][:1] == [(code, where)]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc, problems = read(tmp_path, "\n".join(lines) + "\n")
    assert doc is None
    assert problems[0].code == "yaml-alias"


def test_wrong_encoding_points_at_the_byte(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "a: ok\nb: caf\xe9\n".encode("latin-1"))
    assert doc is None
    assert problems[0].format() == "f.yaml:2:7: error[file-encoding]: not UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    _, problems = read(tmp_path, b"a: 1\n\x00\x01\x02")
    assert problems[0].code == "file-encoding"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "\ufeffa: trop chère\n".encode())
    assert problems == [] and doc.data == {"a": "trop chère"}


def test_huge_file_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 100)
    doc, problems = read(tmp_path, "a: " + "x" * 200 + "\n")
    assert doc is None
    assert problems[0].code == "file-too-large"
    assert "at most 100" in problems[0].message


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert doc is None and problems
