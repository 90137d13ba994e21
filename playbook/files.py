"""Writing files so that nothing is ever half-written or silently replaced.

Every file the project writes (exports, scaffolds, imports, overlays, reports) goes through
`write_text`: the text goes to a temporary file in the same folder, is flushed to disk, then
takes its name in one step. Without `force`, an existing file is never replaced (the name is
taken with a hard link, which fails if it exists, so two writers cannot both win). A failed
write leaves nothing behind. A target that exists and is not a regular file (a terminal, a
pipe, /dev/stdout) is a stream: it is written directly, since there is nothing to replace.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A file could not be written; the message says which and why, in one line."""


def write_text(path: str | Path, text: str, *, force: bool = False, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically; refuse to replace an existing file unless `force`."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise WriteError(f"{target}: is a folder")
    if target.exists() and not target.is_file():
        return _write_stream(target, text, encoding)
    if not force and target.exists():
        raise WriteError(f"{target}: already exists (use --force to replace it)")
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the name was taken meanwhile: never clobbers
            os.unlink(temporary)
    except FileExistsError:
        Path(temporary).unlink(missing_ok=True)
        raise WriteError(f"{target}: already exists (use --force to replace it)") from None
    except (OSError, UnicodeEncodeError) as exc:
        Path(temporary).unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WriteError(f"{target}: cannot write: {reason}") from None
    return target


def _write_stream(target: Path, text: str, encoding: str) -> Path:
    try:
        with target.open("w", encoding=encoding, newline="") as handle:
            handle.write(text)
    except (OSError, UnicodeEncodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WriteError(f"{target}: cannot write: {reason}") from None
    return target


def free_name(path: str | Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext`... the first that does not exist yet."""
    target = Path(path)
    candidate, n = target, 1
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return candidate
