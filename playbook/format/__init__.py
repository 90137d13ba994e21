"""The playbook format: YAML read with positions, the JSON Schema check, the compiler into the
model, composition (extends/includes), a disk cache of compiled playbooks, and watching files
for live reload.

Entry points: `load_playbook` (raises on problems), `check_playbook` (returns them) and
`load_cached` (the same answer, from the cache when nothing changed). They are imported on first
use, so that a command served from the cache never loads the YAML parser or jsonschema."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .cache import load_cached
    from .library import BUILTIN_NAME, builtin_path, resolve_playbook_path
    from .loader import check_playbook, load_playbook

_EXPORTS = {
    "load_cached": "cache",
    "BUILTIN_NAME": "library",
    "builtin_path": "library",
    "resolve_playbook_path": "library",
    "check_playbook": "loader",
    "load_playbook": "loader",
}
__all__ = sorted(_EXPORTS)

__getattr__ = exports(__name__, _EXPORTS)
