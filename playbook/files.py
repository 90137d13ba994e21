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
import stat
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A file could not be written; the message says which and why, in one line."""


def write_text(path: str | Path, text: str, *, force: bool = False, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically; refuse to replace an existing file unless `force`."""
    target = Path(path)
    if target.is_dir():
        raise WriteError(f"{target}: is a folder")
    if target.exists() and not target.is_file():
        return _write_stream(target, text, encoding)
    if not force and target.exists():
        raise WriteError(f"{target}: already exists (use --force to replace it)")
    _take_name(_write_temporary(target, text, encoding), target, force)
    return target


def write_files(folder: str | Path, texts: dict[str, str], *, force: bool = False, encoding: str = "utf-8") -> list[Path]:
    """Write several files into `folder` as one: all of them, or, after any failure (a full disk,
    a folder that cannot be made, a name already taken), none, and no folder this call made.
    Every text is written to a temporary file first; names are taken only once all are on disk."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"{folder}: exists and is not a folder")
    targets = [folder / name for name in texts]
    if not force:
        for target in targets:
            if target.exists():
                raise WriteError(f"{target}: already exists (use --force to replace it)")
    made = _make_folder(folder)
    temporaries: list[Path] = []
    placed: list[Path] = []
    try:
        for target, text in zip(targets, texts.values()):
            temporaries.append(_write_temporary(target, text, encoding))
        for temporary, target in zip(temporaries, targets):
            _take_name(temporary, target, force)
            placed.append(target)
    except WriteError:
        for path in [*temporaries, *placed]:
            path.unlink(missing_ok=True)
        for created in made:  # deepest first; only folders this call made, and only if empty
            try:
                created.rmdir()
            except OSError:
                break
        raise
    return targets


def _make_folder(folder: Path) -> list[Path]:
    """Make `folder` and its missing parents; return those made, deepest first."""
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{folder}: cannot make the folder: {exc.strerror or exc}") from None
    return missing


def _write_temporary(target: Path, text: str, encoding: str) -> Path:
    """`text` in a new temporary file beside `target`, flushed to disk; nothing left if it fails."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"{target}: cannot write: {exc.strerror or exc}") from None
    temporary = Path(name)
    try:
        os.fchmod(fd, _mode_for(target))  # mkstemp makes it private; the file gets the usual mode
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except (OSError, UnicodeEncodeError) as exc:
        temporary.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WriteError(f"{target}: cannot write: {reason}") from None
    return temporary


def _mode_for(target: Path) -> int:
    """The mode a new file gets from the umask, or the mode of the file it replaces."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _take_name(temporary: Path, target: Path, force: bool) -> None:
    try:
        if force:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the name was taken meanwhile: never clobbers
            os.unlink(temporary)
    except FileExistsError:
        temporary.unlink(missing_ok=True)
        raise WriteError(f"{target}: already exists (use --force to replace it)") from None
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise WriteError(f"{target}: cannot write: {exc.strerror or exc}") from None


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
