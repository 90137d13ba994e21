"""Where sessions are kept: every event committed the moment it happens. `sqlite` is the embedded
store for one rep's laptop."""

from .sqlite import SCHEMA_VERSION, MeetingItem, SessionInfo, Store, StoreError, default_db_path

__all__ = ["SCHEMA_VERSION", "MeetingItem", "SessionInfo", "Store", "StoreError", "default_db_path"]
