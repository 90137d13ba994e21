"""Text the project did not write, made safe to show.

Playbooks, notes, company names, imports and transcripts are data. Printed raw, a control
character in them can retitle or clear the reader's terminal, or (OSC 52) write to the
clipboard. Every text that reaches a terminal goes through `printable`, which shows control
characters visibly the way `cat -v` does (ESC as ^[, DEL as ^?, C1 as M-^[) instead of sending
them; `dumps` does the same job for JSON output, escaping what `json.dumps` lets through.
Bidirectional overrides (the "Trojan Source" characters) are shown as <U+202E> so text cannot
appear in an order other than the one it is stored in.
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Lone surrogates: undecodable bytes of a file name or an argument (Python's surrogateescape);
# no terminal can be sent them at all.
_SURROGATES = "\ud800-\udfff"
# C0 but tab and newline, DEL, C1, the bidi controls and lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + _SURROGATES + "]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "\u2028\u2029" + _SURROGATES + "]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f" + _BIDI + "\u2028\u2029" + _SURROGATES + "]")


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    if 0x80 <= code <= 0x9F:
        return "M-^" + chr(code - 0x80 + 0x40)
    if 0xDC80 <= code <= 0xDCFF:  # the byte that could not be decoded
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character shown, not sent. With `one_line`, line breaks and
    tabs become spaces too (for table cells and one-line messages)."""
    if one_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
        return _UNSAFE_ONE_LINE.sub(lambda m: " " if m.group() in "\u2028\u2029" else _visible(m.group()), text)
    return _UNSAFE.sub(lambda m: _visible(m.group()), text)


def is_printable(text: str) -> bool:
    return _UNSAFE.search(text) is None


def first_unsafe(text: str) -> int | None:
    """The index of the first character `printable` would have to show, or None."""
    found = _UNSAFE.search(text)
    return found.start() if found else None


def dumps(value: Any, **options: Any) -> str:
    """`json.dumps` that keeps non-ASCII letters readable but escapes DEL, C1 and bidi
    controls (which `json.dumps(ensure_ascii=False)` passes through raw) as \\uXXXX."""
    options.setdefault("ensure_ascii", False)
    text = json.dumps(value, **options)
    # Outside strings JSON is plain ASCII, so every match is inside a string: escaping is exact.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that passes everything written to it through `printable`: the command
    line writes its output through one of these, so no text from data reaches the terminal
    raw, whichever command printed it."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding...
        return getattr(self.stream, name)
