"""Likely typos among the words a playbook teaches the matcher (lint's `likely-typo`).

Every word of a phrasing, a buying signal or a neutral line becomes a known word, and the matcher
repairs only unknown words: "budgetted" in one phrasing made "budgett" known, so a rep's "budgett"
was no longer read as "budget". A word is flagged when few texts use it and it is one typing slip
from a word many more texts use. What counts as a slip is kept to the shapes typos take and real
words rarely do, since a real word one letter from a common one ("rally", "really") is no typo:
- two neighbouring letters swapped ("contarct");
- a letter missing inside the word, not its first or last ("dirctor"; "river" is not "driver",
  "budge" is not "budget"), nor an undoubled r or l ("though", "through"; "sides", "slides");
- a letter doubled ("allready"), except an e doubled at the end (French participles, "validée").
Inflections the matcher already joins (one stem), words of four letters or fewer, numbers, and
the English "-er" against "-re" ("center", "centre"; French "metre") are left alone; in French,
so are two last letters swapped around an e ("annulé", "annuel").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..matching.matcher import deletions
from ..matching.textnorm import stem

RARE = 2  # a word used by at most this many texts...
COMMON_AT_LEAST, COMMON_RATIO = 10, 10  # ...one slip from a word used by at least 10 texts, and 10 times as many
SHORTEST = 5  # shorter words are too often real words one letter apart
LIQUIDS = frozenset("rl")
# Real words the shapes above cannot tell from a slip, found in the built-in libraries.
REAL_WORDS = frozenset("rally loose basse encre metre boulangere grade access filed tired faille".split())


@dataclass(frozen=True)
class Typo:
    """A rare word of the playbook and the common word it is one slip from."""

    word: str
    meant: str
    uses: int  # texts using `word`
    meant_uses: int  # texts using `meant`


def likely_typos(lines: Iterable[Sequence[str]], language: str = "en") -> dict[str, Typo]:
    """The likely typos among the words of the lines (each line as its normalised words, `words`), by word."""
    uses: Counter[str] = Counter(w for line in lines for w in set(line))
    by_key: dict[str, list[str]] = defaultdict(list)  # a word with one letter deleted -> the common words giving it
    for word, count in uses.items():
        if count >= COMMON_AT_LEAST:
            for key in deletions(word, 1):
                by_key[key].append(word)
    found: dict[str, Typo] = {}
    for word, count in sorted(uses.items()):
        if count > RARE or len(word) < SHORTEST or not word.isalpha() or word in REAL_WORDS:
            continue
        near = {known for key in deletions(word, 1) for known in by_key.get(key, ())}
        slips = [(known, uses[known]) for known in near
                 if known != word and uses[known] >= COMMON_RATIO * count and stem(known) != stem(word) and is_slip(word, known, language)]
        if slips:
            meant, meant_uses = max(slips, key=lambda s: (s[1], s[0]))
            found[word] = Typo(word, meant, count, meant_uses)
    return found


def is_slip(word: str, known: str, language: str = "en") -> bool:
    """`word` is `known` with one typing slip (see the module's docstring)."""
    if len(word) == len(known):
        diff = [i for i, (a, b) in enumerate(zip(word, known)) if a != b]
        if len(diff) != 2 or diff[1] != diff[0] + 1 or word[diff[0]] != known[diff[1]] or word[diff[1]] != known[diff[0]]:
            return False
        ending = diff[1] == len(word) - 1
        if ending and {word[-2:], known[-2:]} == {"er", "re"}:
            return False
        return not (ending and language == "fr" and "e" in word[-2:])
    if len(word) == len(known) - 1:
        at = next((i for i, (a, b) in enumerate(zip(word, known)) if a != b), len(word))
        if at == 0 or at == len(word) or word[at:] != known[at + 1 :]:
            return False
        letter = known[at]
        doubled = known[at - 1] == letter or known[at + 1 : at + 2] == letter
        return doubled or letter not in LIQUIDS
    if len(word) == len(known) + 1:
        at = next((i for i, (a, b) in enumerate(zip(word, known)) if a != b), len(known))
        if word[at + 1 :] != known[at:]:
            return False
        letter = word[at]
        doubled = word[at - 1 : at] == letter or word[at + 1 : at + 2] == letter
        french_ending = letter == "e" and word.rstrip("s").endswith("ee")
        return doubled and not french_ending
    return False

