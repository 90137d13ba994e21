"""The compiled-playbook cache gives exactly what a full check gives, and never a stale playbook."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from playbook.format import cache, check_playbook, load_cached
from playbook.format.cache import cache_dir

from conftest import MINIMAL


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PLAYBOOK_NO_CACHE", raising=False)
    copy = tmp_path / "team"
    shutil.copytree(MINIMAL, copy)
    return copy


def _entries() -> list[Path]:
    return sorted(cache_dir().glob("*.pickle")) if cache_dir().exists() else []


def test_a_hit_gives_the_same_playbook_as_a_full_check(fresh: Path) -> None:
    first, problems = load_cached(fresh)
    assert problems == [] and first is not None and len(_entries()) == 1
    second, _ = load_cached(fresh)
    assert second == check_playbook(fresh)[0] == first
    assert second is not first  # it came from the file, not from memory
    assert len(second.digest) == 64


def test_the_builtin_playbooks_round_trip(fresh: Path) -> None:
    for spec in (None, "builtin:fr"):
        load_cached(spec)
        assert load_cached(spec)[0] == check_playbook(spec)[0]


def test_an_edited_file_is_a_miss(fresh: Path) -> None:
    before, _ = load_cached(fresh)
    playbook_file = next(p for p in fresh.glob("*.yaml") if "playbook:" in p.read_text())
    playbook_file.write_text(playbook_file.read_text().replace("name:", "name: Edited", 1))
    after, _ = load_cached(fresh)
    assert after.name.startswith("Edited") and after.digest != before.digest


def test_a_new_file_in_the_folder_is_a_miss(fresh: Path) -> None:
    load_cached(fresh)
    (fresh / "broken.yaml").write_text("objections: [")
    playbook, problems = load_cached(fresh)
    assert playbook is None and problems[0].code == "yaml-syntax"


def test_an_invalid_playbook_is_never_cached(fresh: Path) -> None:
    (fresh / "broken.yaml").write_text("objections: [")
    assert load_cached(fresh)[0] is None
    assert _entries() == []


def test_a_damaged_entry_is_ignored_and_replaced(fresh: Path) -> None:
    load_cached(fresh)
    [entry] = _entries()
    entry.write_bytes(b"not a pickle")
    playbook, problems = load_cached(fresh)
    assert playbook is not None and problems == []
    assert entry.read_bytes() != b"not a pickle"


def test_a_change_to_the_engine_code_is_a_miss(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_cached(fresh)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    calls = []
    real = cache._write_entry
    monkeypatch.setattr(cache, "_write_entry", lambda path, entry: (calls.append(path), real(path, entry)))
    load_cached(fresh)
    assert len(calls) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_an_unwritable_cache_only_costs_time(fresh: Path) -> None:
    cache_dir().parent.mkdir(parents=True)
    cache_dir().parent.chmod(0o500)
    try:
        assert load_cached(fresh)[0] is not None
    finally:
        cache_dir().parent.chmod(0o700)


def test_a_cache_that_is_a_file_only_costs_time(fresh: Path) -> None:
    cache_dir().parent.mkdir(parents=True)
    cache_dir().write_text("in the way")
    assert load_cached(fresh)[0] is not None


def test_no_cache_when_turned_off(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_NO_CACHE", "1")
    assert load_cached(fresh)[0] is not None
    assert _entries() == []
