"""Watching a playbook's files: notice a change, reload, and keep the last good version."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .loader import check_playbook, resolve_playbook_path
from ..model import Playbook
from ..problems import Problem

Signature = tuple[tuple[str, int, int], ...]


def _files(root: Path) -> list[Path]:
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [root] if root.exists() else []


def signature(root: Path) -> Signature:
    out = []
    for path in _files(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


@dataclass
class PlaybookWatcher:
    """Polled by a front end: `changed()` is cheap (file stats); `reload()` validates the new files."""

    path: str | Path | None
    good: Playbook | None = None
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = resolve_playbook_path(self.path)
        self._seen = signature(self.root)

    def changed(self) -> bool:
        current = signature(self.root)
        if current != self._seen:
            self._seen = current
            return True
        return False

    def reload(self) -> tuple[Playbook | None, list[Problem]]:
        """The new playbook, or None with its problems (the last good one stays in `good`)."""
        playbook, problems = check_playbook(self.path)
        self.problems = problems
        if playbook is not None:
            self.good = playbook
        return playbook, problems
