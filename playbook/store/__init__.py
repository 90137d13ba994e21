"""Where sessions are kept: every event committed the moment it happens. `sqlite` is the embedded
store for one rep's laptop.

The names below are imported on first use, so that importing one of the package's small modules
(`store.projection`, `store.identity`) does not load the store itself."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sqlite import SCHEMA_VERSION, MeetingItem, SessionInfo, Store, StoreError, default_db_path

_EXPORTS = {name: "sqlite" for name in ("SCHEMA_VERSION", "MeetingItem", "SessionInfo", "Store", "StoreError", "default_db_path")}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
