"""Files are written whole or not at all, and never over an existing one without force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playbook.files import WriteError, free_name, write_text


def test_writes_and_refuses_to_replace(tmp_path: Path) -> None:
    target = tmp_path / "recap.md"
    write_text(target, "first")
    with pytest.raises(WriteError, match="already exists"):
        write_text(target, "second")
    assert target.read_text() == "first"
    write_text(target, "second", force=True)
    assert target.read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recap.md"]  # no temporary left


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot write"):
        write_text(tmp_path / "missing" / "x.md", "text")
    with pytest.raises(WriteError, match="cannot write"):
        write_text(tmp_path / "bad.md", "\udcff surrogate")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_is_one_line_and_a_device_is_never_replaced(tmp_path: Path) -> None:
    for force in (False, True):
        with pytest.raises(WriteError, match="^/dev/full: cannot write: No space left on device$"):
            write_text("/dev/full", "x", force=force)
    assert Path("/dev/full").is_char_device()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="is a folder"):
        write_text(tmp_path, "x", force=True)


def test_free_name_counts_up(tmp_path: Path) -> None:
    first = tmp_path / "meeting-2026-11-29-anna-acme.md"
    assert free_name(first) == first
    first.write_text("x")
    assert free_name(first).name == "meeting-2026-11-29-anna-acme-2.md"
    (tmp_path / "meeting-2026-11-29-anna-acme-2.md").write_text("x")
    assert free_name(first).name == "meeting-2026-11-29-anna-acme-3.md"
