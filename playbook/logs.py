"""Where the details of an unexpected error go, so that the user sees one line and not a traceback.

Logs live in `$XDG_STATE_HOME/playbook/logs/` (default `~/.local/state/playbook/logs/`), one file
per crash, named by the time it happened. A log that cannot be written is not an error of its own:
the one-line message then says so.
"""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path


def log_dir() -> Path:
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "playbook" / "logs"


def write_crash_log(error: BaseException, context: str) -> Path | None:
    """Write `error`'s traceback to a new log file and return its path (None if it cannot be written)."""
    folder = log_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    text = f"playbook: {context}\n{time.strftime('%Y-%m-%d %H:%M:%S %z')}\n\n" + "".join(
        traceback.format_exception(type(error), error, error.__traceback__)
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError:
        return None
    return path


def crash_line(error: BaseException, context: str) -> str:
    """The one line a user sees for an unexpected error: what happened and where the details are."""
    path = write_crash_log(error, context)
    where = f"details in {path}" if path else f"no log could be written to {log_dir()}"
    return f"{context}: unexpected error ({type(error).__name__}); {where}"
