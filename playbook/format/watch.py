"""Watching a playbook's files: notice a change, reload, and keep the last good version."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .loader import check_playbook, resolve_playbook_path, source_files
from ..model import Playbook
from ..logs import crash_line
from ..problems import Problem, display_path

Signature = tuple[tuple[str, int, int], ...]


def signature(root: Path) -> Signature:
    out = []
    for path in source_files(root):
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
        """The new playbook, or None with its problems (the last good one stays in `good`). Never
        raises: a live meeting must outlive whatever is written to its playbook's files."""
        try:
            playbook, problems = check_playbook(self.path)
        except Exception as error:  # a bug of ours, not the author's: logged, and said in one line
            line = crash_line(error, "reloading the playbook")
            playbook, problems = None, [Problem(display_path(self.root), 1, 1, "reload-failed", line)]
        self.problems = problems
        if playbook is not None:
            self.good = playbook
        return playbook, problems
