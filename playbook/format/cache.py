"""Compiled playbooks kept on disk, so a command that only uses a playbook starts without parsing
YAML or importing jsonschema again.

An entry is used only when every file the playbook was compiled from still has the same text
(sha256), every folder it read still lists the same YAML files, and the engine code that compiles
it is the same; anything else is a miss and the playbook is checked in full as usual. Entries live
in `$XDG_CACHE_HOME/playbook/compiled/` (default `~/.cache/...`); `PLAYBOOK_NO_CACHE=1` turns the
cache off. A cache that cannot be read or written is ignored: it only ever saves time. Only the
entries used most recently are kept (playbook/cachefiles.py says how many and why).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..cachefiles import prune, touch
from ..model import Playbook
from ..problems import Problem
from .library import resolve_playbook_path, resolved as followed

FORMAT = 1
YAML_SUFFIXES = (".yaml", ".yml")
# The code whose output is cached: a change to any of these files invalidates every entry.
ENGINE_PACKAGES = ("model", "format")


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "playbook" / "compiled"


def enabled() -> bool:
    return os.environ.get("PLAYBOOK_NO_CACHE", "") in ("", "0")


def _engine_key() -> str:
    here = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{FORMAT}:{sys.version_info[:2]}".encode())
    for package in ENGINE_PACKAGES:
        for source in sorted((here / package).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    for module in ("problems.py", "textsafety.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes().decode("utf-8-sig").encode("utf-8")).hexdigest()
    except (OSError, UnicodeDecodeError):
        return None


def _listing(folder: Path) -> list[str] | None:
    try:
        return sorted(p.name for p in folder.iterdir() if p.suffix in YAML_SUFFIXES)
    except OSError:
        return None


def _entry_path(spec: str | Path | None, root: Path) -> Path:
    # Positions in a compiled playbook are written relative to the working directory, so the
    # directory and the spelling of the path are part of the key.
    key = "\0".join((str(spec), str(root.resolve()), os.getcwd()))
    return cache_dir() / (hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".pickle")


def _still_valid(entry: dict[str, Any], engine: str) -> bool:
    if entry.get("engine") != engine:
        return False
    if any(_listing(Path(folder)) != names for folder, names in entry["listings"].items()):
        return False
    return all(_file_digest(Path(file)) == digest for file, digest in entry["files"].items())


def _read_entry(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_uid != os.getuid():  # only ever unpickle what this user wrote
            return None
        with path.open("rb") as handle:
            entry = pickle.load(handle)
    except Exception:  # a damaged or foreign entry is a miss, never an error
        return None
    return entry if isinstance(entry, dict) and isinstance(entry.get("playbook"), Playbook) else None


def _write_entry(path: Path, entry: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        prune(path.parent, ".pickle")
    except Exception:
        pass  # a read-only or full cache only costs time


def load_cached(spec: str | Path | None) -> tuple[Playbook | None, list[Problem]]:
    """The same answer as `check_playbook(spec)`, from the cache when nothing has changed."""
    if not enabled():
        from .loader import check_playbook

        return check_playbook(spec)
    root = resolve_playbook_path(spec)
    if followed(root) is None:  # a link loop: the loader says so in one line; nothing to cache
        from .loader import check_playbook

        return check_playbook(spec)
    engine = _engine_key()
    entry_path = _entry_path(spec, root)
    entry = _read_entry(entry_path)
    if entry is not None and _still_valid(entry, engine):
        touch(entry_path)
        return entry["playbook"], []
    from .loader import check_playbook  # only on a miss: it brings the YAML parser and jsonschema

    files: list[Path] = []
    playbook, problems = check_playbook(spec, read=files)
    if playbook is not None:
        resolved = [f.resolve() for f in files]
        listings = {str(folder): _listing(folder) for folder in {f.parent for f in resolved}}
        digests = {str(f): _file_digest(f) for f in resolved}
        _write_entry(entry_path, {"engine": engine, "listings": listings, "files": digests, "playbook": playbook})
    return playbook, problems
