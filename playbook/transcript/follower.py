"""Following a transcript file as it grows, the way `tail -F` does.

`poll()` reads what was appended since the last call and returns the complete lines as `Line`s
(and a `Notice` for each line that cannot be read, naming its number; following goes on). A
last line without its newline is held back until the rest arrives. When the file is truncated
(shorter than what was read) it is read again from its start; when it is replaced (rotation:
another file now has its name) the rest of the old file is read, then the new one from its start.
A file that does not exist yet is waited for.

The follower only reads: it never writes, moves or locks the file. Where it stopped is its
`position` (the file's identity, the byte offset after the last line consumed, the line number
there), which the meeting saves with the lines, so a resumed meeting continues from there.
The caller decides how often to poll (the meeting app: every 100 ms).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

from ..i18n import _
from .lines import Format, Line, LineError, format_of, parse_cue, parse_json_line

READ_LIMIT = 1 << 20  # at most this many bytes per poll: a huge backlog is read over several polls
CUE_SETTLE_SECONDS = 1.0  # a WebVTT/SRT cue with no blank line after it counts once the file rests this long


@dataclass(frozen=True)
class Position:
    """Where following stopped: which file (device and inode), the byte offset just after the last
    line consumed, and how many lines (and cues) came before it."""

    path: str
    device: int = 0
    inode: int = 0
    offset: int = 0
    line: int = 0
    cues: int = 0


@dataclass(frozen=True)
class Notice:
    """Something the rep should know about the transcript (a line that cannot be read)."""

    text: str
    severity: str = "warning"


Update = Union[Line, Notice]


class Follower:
    """Follows one transcript file. Start at its end (the default: only what is said from now on),
    at its start (`replay`), or at a saved `position` (a resumed meeting)."""

    def __init__(self, path: str | Path, replay: bool = False, position: Position | None = None,
                 fmt: Format | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self.clock = clock
        self._format: Format | None = fmt
        self._handle = None
        self._identity: tuple[int, int] | None = None
        self._pending = b""  # bytes after the last newline: an unfinished line
        self._block: list[str] = []  # WebVTT/SRT lines of the cue being read
        self._block_start = 0  # offset where that cue began
        self._read = 0  # offset of the next byte to read
        self._consumed = 0  # offset after the last line (or cue) consumed
        self._line = 0  # lines before self._read
        self._consumed_line = 0
        self._cues = 0
        self._last_growth = clock()
        self._start = "start" if replay else "end"
        self._resume = position
        self._waiting_said = False
        self._early: list[Update] = []
        self._open(self._early)  # "the end" is the end when following starts, not at the first poll

    # -- public ------------------------------------------------------------------------------

    @property
    def position(self) -> Position:
        device, inode = self._identity or (0, 0)
        return Position(str(self.path), device, inode, self._consumed, self._consumed_line, self._cues)

    @property
    def format(self) -> Format | None:
        return self._format

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def poll(self) -> list[Update]:
        """What was appended since the last poll, as lines (and notices), in file order."""
        updates, self._early = self._early, []
        if self._handle is None and not self._open(updates):
            return updates
        try:
            current = os.stat(self.path)
        except OSError:
            current = None  # moved away and not replaced yet: finish the old file, wait for a new one
        handle_stat = os.fstat(self._handle.fileno())
        if current is not None and (current.st_dev, current.st_ino) != self._identity:
            self._read_available(updates)  # the rest of the rotated file first
            self._flush_block(updates, force=True)
            self.close()
            self._pending, self._block = b"", []
            self._start, self._resume = "start", None
            updates.append(Notice(_("{path}: a new file took its place; following it from its start").format(path=self.path), "information"))
            if not self._open(updates):
                return updates
        elif handle_stat.st_size < self._read:
            self._handle.seek(0)
            self._pending, self._block = b"", []
            self._read = self._consumed = self._line = self._consumed_line = self._block_start = 0
            updates.append(Notice(_("{path}: the file was truncated; reading it again from its start").format(path=self.path), "information"))
        self._read_available(updates)
        self._flush_block(updates, force=False)
        return updates

    # -- reading -----------------------------------------------------------------------------

    def _open(self, updates: list[Update]) -> bool:
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            self._start = "start"  # a file that appears later is all new: read from its start
            if not self._waiting_said:
                self._waiting_said = True
                updates.append(Notice(_("{path}: waiting for the transcript file to appear").format(path=self.path), "information"))
            return False
        except OSError as error:
            updates.append(Notice(_("{path}: cannot be read: {error}").format(path=self.path, error=error.strerror or error)))
            return False
        stat = os.fstat(handle.fileno())
        self._handle, self._identity = handle, (stat.st_dev, stat.st_ino)
        self._pending, self._block = b"", []
        self._read = self._consumed = self._line = self._consumed_line = self._block_start = 0
        self._last_growth = self.clock()
        resume = self._resume
        if resume is not None and (resume.device, resume.inode) == self._identity and resume.offset <= stat.st_size:
            self._seek(resume.offset, resume.line)
            self._cues = resume.cues
        elif resume is not None:
            self._cues = 0  # another file (or a shorter one) since: it is read from its start
        elif self._start == "end":
            self._skip_to_end()
        self._resume = None
        return True

    def _seek(self, offset: int, line: int) -> None:
        self._handle.seek(offset)
        self._read = self._consumed = self._block_start = offset
        self._line = self._consumed_line = line

    def _skip_to_end(self) -> None:
        """Start after the last complete line already there (an unfinished one is read once done)."""
        lines, end, chunk_start = 0, 0, 0
        self._handle.seek(0)
        head = b""
        while chunk := self._handle.read(READ_LIMIT):
            if not head:
                head = chunk[:4096]
            lines += chunk.count(b"\n")
            last = chunk.rfind(b"\n")
            if last >= 0:
                end = chunk_start + last + 1
            chunk_start += len(chunk)
        if self._format is None and head:
            self._format = format_of(str(self.path), head.decode("utf-8", "replace"))
        if self._format in ("vtt", "srt"):
            # Cues that are already there are skipped whole: start after the last blank line.
            self._handle.seek(0)
            data = self._handle.read()
            unix, windows = data.rfind(b"\n\n"), data.rfind(b"\n\r\n")
            end = max(unix + 2 if unix >= 0 else 0, windows + 3 if windows >= 0 else 0)
            lines = data[:end].count(b"\n")
            self._cues = sum(1 for block in data[:end].decode("utf-8", "replace").replace("\r\n", "\n").split("\n\n") if "-->" in block)
        self._seek(end, lines)

    def _read_available(self, updates: list[Update]) -> None:
        while True:
            chunk = self._handle.read(READ_LIMIT)
            if not chunk:
                return
            self._last_growth = self.clock()
            if self._format is None:
                self._format = format_of(str(self.path), (self._pending + chunk)[:4096].decode("utf-8", "replace"))
            data = self._pending + chunk
            start = self._read - len(self._pending)
            self._read += len(chunk)
            cut = data.rfind(b"\n")
            if cut < 0:
                self._pending = data
                continue
            self._pending = data[cut + 1:]
            offset = start
            for raw in data[: cut + 1].split(b"\n")[:-1]:
                offset += len(raw) + 1
                self._line += 1
                self._take(raw.decode("utf-8", "replace").rstrip("\r"), offset, updates)
            if len(chunk) < READ_LIMIT:
                return

    def _take(self, text: str, end: int, updates: list[Update]) -> None:
        """One complete line of the file, ending at byte offset `end`."""
        if self._format in ("vtt", "srt"):
            if text.strip():
                if not self._block:
                    self._block_start = end - len(text.encode("utf-8", "replace")) - 1
                self._block.append(text.lstrip("\ufeff"))
            else:
                self._end_block(updates, end)
            return
        self._consumed, self._consumed_line = end, self._line
        if not text.strip():
            return
        try:
            updates.append(parse_json_line(text.lstrip("\ufeff")))
        except LineError as error:
            updates.append(Notice(_("{path}:{line}: {error}; line skipped, following goes on").format(path=self.path, line=self._line, error=error)))

    def _end_block(self, updates: list[Update], end: int) -> None:
        block, self._block = self._block, []
        self._consumed, self._consumed_line = end, self._line
        if not block:
            return
        self._cues += 1
        cue = parse_cue(block, self._cues)
        if cue is None:
            self._cues -= 1
            return
        if cue.text:
            updates.append(cue)

    def _flush_block(self, updates: list[Update], force: bool) -> None:
        """A cue with no blank line after it yet counts once the file has rested a moment."""
        if not self._block or self._pending:
            return
        if force or self.clock() - self._last_growth >= CUE_SETTLE_SECONDS:
            self._end_block(updates, self._read)
