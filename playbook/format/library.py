"""Where playbooks live: the built-in library shipped in the package, and paths from the command line."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

BUILTIN_NAME = "builtin"


def builtin_path() -> Path:
    """The built-in rules library shipped with the package."""
    return Path(str(files("playbook.builtin")))


def resolve_playbook_path(spec: str | Path | None) -> Path:
    """A playbook path from the command line; None or 'builtin' means the built-in library, and
    'builtin:fr' its French variant (any subdirectory of the built-in library)."""
    if spec is None or str(spec) == BUILTIN_NAME:
        return builtin_path()
    if str(spec).startswith(BUILTIN_NAME + ":"):
        return builtin_path() / str(spec).split(":", 1)[1]
    return Path(spec)


def resolved(path: Path) -> Path | None:
    """`path` with every link followed, or None when that cannot be done (a link loop, a NUL in
    the name): a name from a playbook or a command line is input like any other."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, links followed, is `folder` or lies in it: a playbook reads only its own files."""
    target, home = resolved(path), resolved(folder)
    return target is not None and home is not None and target.is_relative_to(home)
