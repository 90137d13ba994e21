"""The disk caches (compiled playbooks, matchers, embeddings) keep only the entries used most
recently, delete nothing that is not theirs, and never fail because of it (playbook/cachefiles.py).

Every test goes through the real cache with real files; time passing is an hour taken off every
file's mtime, so no test sleeps."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, Callable, NamedTuple

import numpy
import pytest

from conftest import MINIMAL
from playbook import cachefiles
from playbook.cachefiles import KEEP, prune, touch
from playbook.format import cache as compiled_cache, load_cached, load_playbook
from playbook.matching import cache as matcher_cache, semantic
from playbook.matching.cache import cached_matcher
from playbook.matching.semantic import build_channel

HOUR = 3600 * 10**9  # in nanoseconds


class FakeEncoder:
    """Vectors without the semantic extra: the cache only sees the array."""

    name = version = "fake-encoder"

    def encode(self, texts: Any) -> Any:
        return numpy.ones((len(texts), 4), dtype=numpy.float32) / 2


class Cache(NamedTuple):
    folder: Callable[[], Path]
    suffix: str
    use: Callable[[Path], object]  # the playbook folder through the real cache


CACHES = {
    "compiled": Cache(compiled_cache.cache_dir, ".pickle", load_cached),
    "matchers": Cache(matcher_cache.cache_dir, ".pickle", lambda root: cached_matcher(load_playbook(root))),
    "embeddings": Cache(semantic.cache_dir, ".npz", lambda root: build_channel(load_playbook(root), FakeEncoder())),
}


@pytest.fixture(params=list(CACHES))
def kind(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cache:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PLAYBOOK_NO_CACHE", raising=False)
    return CACHES[request.param]


def playbooks(tmp_path: Path, count: int) -> list[Path]:
    """`count` small playbooks that differ in their text, so each has its own digest."""
    made = []
    for index in range(count):
        folder = tmp_path / f"team{index}"
        shutil.copytree(MINIMAL, folder)
        path = folder / "playbook.yaml"
        path.write_text(path.read_text().replace("name: Minimal playbook", f"name: Team {index}", 1))
        made.append(folder)
    return made


def entries(kind: Cache) -> set[str]:
    """The names of the cache's entries: regular files named 32 hex characters and its suffix."""
    folder = kind.folder()
    return {p.name for p in folder.glob("?" * 32 + kind.suffix)
            if re.fullmatch("[0-9a-f]{32}", p.name[:32]) and p.is_file() and not p.is_symlink()} if folder.exists() else set()


def an_hour_passes(folder: Path) -> None:
    for path in folder.iterdir():
        info = path.lstat()
        os.utime(path, ns=(info.st_atime_ns - HOUR, info.st_mtime_ns - HOUR), follow_symlinks=False)


def use_each(kind: Cache, folders: list[Path], hours_apart: bool = True) -> list[str]:
    """Use each playbook in turn; the name of the entry each one wrote."""
    names = []
    for folder in folders:
        before = entries(kind)
        kind.use(folder)
        [new] = entries(kind) - before
        names.append(new)
        if hours_apart:
            an_hour_passes(kind.folder())
    return names


def test_only_the_entries_used_most_recently_are_kept(kind: Cache, tmp_path: Path) -> None:
    folders = playbooks(tmp_path, 12)
    names = use_each(kind, folders)
    assert len(entries(kind)) == KEEP
    assert entries(kind) == set(names[-KEEP:])
    kind.use(folders[-1])  # still a hit
    assert entries(kind) == set(names[-KEEP:])


def test_nothing_but_the_caches_own_entries_is_deleted(kind: Cache, tmp_path: Path) -> None:
    folder = kind.folder()
    folder.mkdir(parents=True)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    strangers = [folder / "notes.txt", folder / ("A" * 32 + kind.suffix), folder / ("a" * 31 + kind.suffix),
                 folder / ("a" * 32 + kind.suffix + ".bak"), folder / (".tmp-abc" + kind.suffix),
                 folder / ("b" * 32 + (".npz" if kind.suffix == ".pickle" else ".pickle"))]
    for stranger in strangers:
        stranger.write_text("not an entry")
    (folder / ("c" * 32 + kind.suffix)).mkdir()
    link = folder / ("d" * 32 + kind.suffix)
    link.symlink_to(precious)
    for _ in range(48):  # older than any entry: the first to go if they were taken for entries
        an_hour_passes(folder)
    use_each(kind, playbooks(tmp_path, KEEP + 4))
    assert len(entries(kind)) == KEEP
    assert all(stranger.read_text() == "not an entry" for stranger in strangers)
    assert (folder / ("c" * 32 + kind.suffix)).is_dir()
    assert link.is_symlink() and precious.read_text() == "keep me"


def test_a_hit_counts_as_a_use(kind: Cache, tmp_path: Path) -> None:
    """The first playbook, written first but used again later, outlives those written after it."""
    folders = playbooks(tmp_path, 12)
    names = use_each(kind, folders[:7])
    before = entries(kind)
    kind.use(folders[0])
    assert entries(kind) == before  # a hit, not a new entry
    an_hour_passes(kind.folder())
    names += use_each(kind, folders[7:])
    assert names[0] in entries(kind)
    assert names[1] not in entries(kind)
    assert len(entries(kind)) == KEEP


def test_entries_used_in_the_last_minute_are_never_deleted(kind: Cache, tmp_path: Path) -> None:
    """Two processes on two playbooks at once do not evict each other's fresh entries."""
    folders = playbooks(tmp_path, 16)
    old = use_each(kind, folders[:4])
    fresh = use_each(kind, folders[4:], hours_apart=False)
    assert entries(kind) == set(fresh)  # the twelve fresh ones stay, beyond KEEP
    assert not entries(kind) & set(old)  # the old ones went


# -- prune and touch alone -----------------------------------------------------------------------


def stale_entries(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        path = folder / (f"{index:032x}.pickle")
        path.write_bytes(b"entry")
        os.utime(path, ns=(0, (index + 1) * HOUR))  # 1970: long stale, entry 0 the oldest
        made.append(path)
    return made


def test_prune_keeps_the_newest_by_mtime(tmp_path: Path) -> None:
    made = stale_entries(tmp_path / "cache", 12)
    prune(tmp_path / "cache", ".pickle")
    assert sorted(p for p in made if p.exists()) == made[-KEEP:]


def test_entries_deleted_by_another_process_meanwhile_are_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = stale_entries(tmp_path / "cache", 12)
    real_unlink = os.unlink

    def raced(path: Any, *args: Any, **kwargs: Any) -> None:
        real_unlink(path)  # the other process got there first
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(cachefiles.os, "unlink", raced)
    prune(tmp_path / "cache", ".pickle")
    monkeypatch.undo()
    assert sorted(p for p in made if p.exists()) == made[-KEEP:]


def test_a_read_only_or_missing_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = stale_entries(tmp_path / "cache", 12)

    def refused(path: Any, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))  # what a read-only folder answers, even as root

    monkeypatch.setattr(cachefiles.os, "unlink", refused)
    prune(tmp_path / "cache", ".pickle")
    monkeypatch.undo()
    assert all(p.exists() for p in made)
    prune(tmp_path / "nowhere", ".pickle")
    (tmp_path / "a file").write_text("in the way")
    prune(tmp_path / "a file", ".pickle")
    touch(tmp_path / "nowhere" / ("0" * 32 + ".pickle"))


def test_a_hit_touches_its_entry(tmp_path: Path) -> None:
    [entry] = stale_entries(tmp_path / "cache", 1)
    touch(entry)
    assert entry.stat().st_mtime_ns > HOUR
