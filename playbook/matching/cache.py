"""Built matchers kept on disk, keyed by the playbook's digest, so a command that matches a large
playbook does not build its indexes again (unpickling costs a fraction of building).

Like the compiled-playbook cache (playbook/format/cache.py): an entry is used only for a playbook
with the same digest (the text of every file it was compiled from), the same threshold and the
same matching code; anything else is a miss and the matcher is built as usual. Entries live in
`$XDG_CACHE_HOME/playbook/matchers/`; `PLAYBOOK_NO_CACHE=1` turns the cache off. A playbook built
in memory has no digest and is never cached. A cache that cannot be read or written is ignored.
Only the entries used most recently are kept (playbook/cachefiles.py says how many and why).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from ..cachefiles import prune, touch
from ..model import Playbook
from .matcher import Matcher

FORMAT = 1


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "playbook" / "matchers"


def enabled() -> bool:
    return os.environ.get("PLAYBOOK_NO_CACHE", "") in ("", "0")


def _code_key() -> str:
    digest = hashlib.sha256(f"{FORMAT}:{sys.version_info[:2]}".encode())
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def entry_path(playbook: Playbook, threshold: float | None) -> Path:
    key = "\0".join((playbook.digest, repr(threshold), _code_key()))
    return cache_dir() / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle")


def _read(path: Path) -> Matcher | None:
    try:
        if path.stat().st_uid != os.getuid():  # only ever unpickle what this user wrote
            return None
        with path.open("rb") as handle:
            matcher = pickle.load(handle)
    except Exception:  # a damaged or foreign entry is a miss, never an error
        return None
    return matcher if isinstance(matcher, Matcher) else None


def _write(path: Path, matcher: Matcher) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(matcher, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        prune(path.parent, ".pickle")
    except Exception:
        pass  # a read-only or full cache only costs time


def cached_matcher(playbook: Playbook, threshold: float | None = None) -> Matcher:
    """`Matcher.from_playbook(playbook, threshold)`, from the disk cache when it holds this playbook."""
    if not enabled() or not playbook.digest:
        return Matcher.from_playbook(playbook, threshold)
    path = entry_path(playbook, threshold)
    matcher = _read(path)
    if matcher is None:
        matcher = Matcher.from_playbook(playbook, threshold)
        _write(path, matcher)
    else:
        touch(path)
    return matcher
