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
from typing import Any

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 but tab and newline, DEL, C1, and the bidi controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "\u2028\u2029]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f" + _BIDI + "\u2028\u2029]")


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    if 0x80 <= code <= 0x9F:
        return "M-^" + chr(code - 0x80 + 0x40)
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


def dumps(value: Any, **options: Any) -> str:
    """`json.dumps` that keeps non-ASCII letters readable but escapes DEL, C1 and bidi
    controls (which `json.dumps(ensure_ascii=False)` passes through raw) as \\uXXXX."""
    options.setdefault("ensure_ascii", False)
    text = json.dumps(value, **options)
    # Outside strings JSON is plain ASCII, so every match is inside a string: escaping is exact.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
