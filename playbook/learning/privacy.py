"""Names of prospects and companies never leave through `report` or `learn` unless asked.

What a rep types in a meeting may name the customer ("too expensive for Dubois Bakeries"). The
names are known: every meeting records its prospect and company. A word is taken for a name
when it is a capitalised word of one of them, at least 3 letters long, and not a word of the
playbook's own vocabulary (so "Price" the surname never removes "price" the objection). Such
words are replaced, wherever they appear and however they are written. Words are checked one by
one against a set, so a store of 100,000 customers costs no more than a store of ten.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ..model import Playbook

if TYPE_CHECKING:
    from ..store.sqlite import Store

NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
GENERIC = frozenset("prospect customer client company inc ltd llc plc corp group gmbh sarl sas".split())
REDACTED = "[name]"
PREPOSITION_BEFORE = re.compile(r"\b(?:at|for|from|with|of|to|in|by|chez)\s+$", re.IGNORECASE)


def vocabulary(playbook: Playbook) -> set[str]:
    """Every word the playbook itself uses (lower case): these are never taken for names."""
    texts: list[str] = []
    for objection in playbook.objections:
        texts += [objection.title, objection.description, *objection.phrasings, *objection.keywords]
        texts += [r.text for r in objection.responses]
    for question in playbook.questions:
        texts += [question.text, question.why, question.topic]
    texts += [s.title for s in playbook.stages] + [c.name for c in playbook.closings]
    texts += [p for s in playbook.signals for p in s.phrasings] + list(playbook.neutral)
    return {word.lower() for text in texts for word in NAME_WORD.findall(text or "")}


class Redactor:
    """Replaces the words of known names in a text."""

    def __init__(self, names: Iterable[str], common: set[str] | frozenset[str] = frozenset()) -> None:
        words: set[str] = set()
        follows: set[tuple[str, str]] = set()
        for name in names:
            found = NAME_WORD.findall(name or "")
            for word in found:
                lowered = word.lower()
                if word[0].isupper() and len(word) >= 3 and lowered not in common and lowered not in GENERIC:
                    words.add(lowered)
            # "Frobozz Magic": a common word that goes on from a name word, as the name is written, is
            # part of the name there ("magic" alone stays, as the playbook's word).
            follows |= {(a.lower(), b.lower()) for a, b in zip(found, found[1:]) if b[:1].isupper()}
        self.words = frozenset(words)
        self.follows = frozenset(follows)

    def mentions(self, text: str) -> bool:
        return any(word.lower() in self.words for word in NAME_WORD.findall(text))

    def __call__(self, text: str, replacement: str = REDACTED) -> str:
        """`text` with every name word replaced (a run of them by one `replacement`); with an
        empty replacement the words go, and the spaces and commas around them are tidied."""
        if not self.words:
            return text
        out: list[str] = []
        last = 0
        previous_was_name = False
        previous = ""
        for match in NAME_WORD.finditer(text):
            word = match.group()
            lowered, before = word.lower(), previous
            previous = lowered
            goes_on = previous_was_name and word[:1].isupper() and (before, lowered) in self.follows
            if lowered not in self.words and not goes_on:
                previous_was_name = False
                continue
            between = text[last:match.start()]
            if previous_was_name and not between.strip():
                out.append("")  # one replacement for "Marc Dubois"
            else:
                if not replacement:  # "finance at Initech will..." loses "at Initech", not just the name
                    between = PREPOSITION_BEFORE.sub("", between)
                out.append(between + replacement)
            last = match.end()
            previous_was_name = True
        out.append(text[last:])
        redacted = "".join(out)
        if not replacement:
            redacted = re.sub(r"\s+([,.;:!?])", r"\1", redacted)
            redacted = re.sub(r"([,;:])(?=\s*[,.;:!?]|\s*$)", "", redacted)
            redacted = " ".join(redacted.split()).strip(" ,;:")
        return redacted


def names_redactor(store: "Store", playbook: Playbook) -> Redactor:
    """A redactor for every prospect and company name the store's meetings record."""
    rows = store.read("SELECT DISTINCT prospect, company FROM sessions WHERE kind = 'meeting'")
    return Redactor([name for row in rows for name in row if isinstance(name, str)], vocabulary(playbook))
