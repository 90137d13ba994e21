"""Where sessions are kept: every event committed the moment it happens. `sqlite` is the embedded
store for one rep's laptop.

The names below are imported on first use, so that importing one of the package's small modules
(`store.projection`, `store.identity`) does not load the store itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import exports

if TYPE_CHECKING:
    from .sqlite import SCHEMA_VERSION, MeetingItem, SessionInfo, Store, StoreError, default_db_path

_EXPORTS = {name: "sqlite" for name in ("SCHEMA_VERSION", "MeetingItem", "SessionInfo", "Store", "StoreError", "default_db_path")}
__all__ = sorted(_EXPORTS)

__getattr__ = exports(__name__, _EXPORTS)
