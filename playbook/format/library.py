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
