"""Keeping the disk caches small: the compiled playbooks, the built matchers and the library's
embeddings under `$XDG_CACHE_HOME/playbook/`.

Every edit of a playbook changes its digest, so the matchers and embeddings gain an entry per
edit (the compiled cache one per playbook folder, spelling and working folder) and, left alone,
fill the disk of an author who edits all day (a matcher is about 15 MB). After writing an
entry, a cache calls `prune`, which keeps the KEEP entries used most recently and deletes the
others. A hit counts as a use: the cache calls `touch`, which sets the entry's mtime to now, so
recency is the mtime and costs one system call per hit.

The limits:
- KEEP = 8 per folder: the built-in playbooks (English, French), the one or two playbooks an
  author is working on, under a couple of spellings or working folders (part of the compiled
  cache's key) and thresholds (part of the matcher's), fit with room to spare; at about 15 MB a
  matcher that bounds the largest folder near 120 MB instead of gigabytes.
- FRESH = 60 seconds: an entry used in the last minute is never deleted, even beyond KEEP, so two
  processes working on different playbooks at the same time do not evict each other's fresh
  entries (a folder may then briefly hold more than KEEP).

Only regular files named like the cache's own entries (32 lowercase hex characters and the
cache's suffix) directly in that folder are ever deleted: not symlinks, not folders, not temporary
files, not anything a user put there. Nothing here raises on a file-system error: a cache that is
read-only, missing, or pruned by another process at the same time only costs time.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

KEEP = 8
FRESH = 60.0  # seconds
_ENTRY = re.compile(r"[0-9a-f]{32}")


def touch(path: Path) -> None:
    """Mark a cache entry as just used (its mtime becomes now), so `prune` keeps it."""
    try:
        os.utime(path, follow_symlinks=False)
    except (OSError, NotImplementedError):
        pass  # a read-only cache only loses the recency of this entry


def prune(folder: Path, suffix: str, keep: int = KEEP, fresh: float = FRESH) -> None:
    """Delete the entries of `folder` (named `<32 hex><suffix>`) beyond the `keep` used most
    recently, except those used in the last `fresh` seconds."""
    entries: list[tuple[int, str]] = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                name = item.name
                if not (name.endswith(suffix) and _ENTRY.fullmatch(name[: len(name) - len(suffix)])):
                    continue
                try:
                    if item.is_file(follow_symlinks=False):
                        entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.path))
                except OSError:
                    continue  # gone since the listing
    except OSError:
        return  # no folder, or one that cannot be read
    entries.sort(reverse=True)
    cutoff = time.time_ns() - int(fresh * 1e9)
    for mtime, path in entries[keep:]:
        if mtime >= cutoff:
            continue
        try:
            os.unlink(path)
        except OSError:
            pass  # already deleted by another process, or a read-only folder
