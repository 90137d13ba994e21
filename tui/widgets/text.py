"""Text people typed or authors wrote, made safe to show: never read as markup, control
characters shown (playbook.textsafety.printable) rather than sent to the terminal."""

from __future__ import annotations

import re

from rich.text import Text

from playbook.textsafety import printable


def safe(text: object, style: str = "", one_line: bool = False) -> Text:
    """A rich Text of `text` as typed: `[bold]` stays `[bold]`, ESC shows as ^[."""
    return Text(printable(str(text), one_line=one_line), style=style)


def plain(text: object, one_line: bool = True) -> str:
    """A str for places that take plain strings (titles, notifications sent with markup=False)."""
    return printable(str(text), one_line=one_line)


_RULE_PREFIX = re.compile(r"^rule [\w.-]+: ")


def in_words(reason: str) -> str:
    """A reason as the rep reads it: the engine may prefix a rule's id ("rule close_on_x: ..."),
    which means nothing in a meeting; the words after it are the reason."""
    return _RULE_PREFIX.sub("", reason)
