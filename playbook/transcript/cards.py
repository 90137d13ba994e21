"""When a transcript line raises an objection card: few cards, on time, only for the customer.

A card is the matcher's best objection for a customer's line, offered to the rep to accept (it
becomes the same `objection_raised` event as a typed objection) or dismiss. The policy:
- only the customer's lines (a line from a speaker nobody marked counts as the customer's until
  the rep marks who the customer is); the rep's own lines never raise a card;
- only final lines, unless `early`: then a partial line raises its card once its top objection
  has stayed the same, with high confidence, over two updates in a row;
- one card per utterance (its id), however often it is revised;
- a cooldown per objection (the playbook's `card_cooldown`, 60 s by default): a customer who says
  the price is high three times in a minute raised one objection; and no card for an objection the
  meeting already has open (the rep is answering it);
- buying signals and neutral talk never raise a card (the matcher reports no objection for them);
- a line repeating what is on the rep's screen (the rep reading a suggested answer aloud, its words
  heard on a customer's channel or an unmarked one) never raises a card.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from rapidfuzz import fuzz

from ..matching.matcher import SURE, Match
from ..matching.textnorm import normalise
from .lines import Line

DEFAULT_COOLDOWN = 60.0
EARLY_CONFIDENCE = SURE  # a partial line's objection must be this sure (0-100), twice in a row
ECHO_SIMILARITY = 80.0  # how close (rapidfuzz, 0-100) a line must be to a text on screen to repeat it
ECHO_FRAGMENT = 88.0  # ... or to a stretch of a longer text on screen, for a line of ECHO_MIN_WORDS or more
ECHO_MIN_WORDS = 4


@dataclass(frozen=True)
class Card:
    """An objection recognised in what the customer said, waiting for the rep's yes or no."""

    line: str  # the transcript line's id
    text: str
    speaker: str
    objection: str
    score: float
    phrase: str  # the playbook phrasing it came closest to
    also: tuple[Match, ...] = ()  # other plausible objections when the first is unsure


@dataclass
class CardPolicy:
    cooldown: float = DEFAULT_COOLDOWN
    early: bool = False
    clock: Callable[[], float] = time.monotonic
    _carded: set[str] = field(default_factory=set)  # utterances that raised their card
    _last: dict[str, float] = field(default_factory=dict)  # objection -> when its last card was raised
    _partial_top: dict[str, str] = field(default_factory=dict)  # utterance -> its last sure top objection

    def consider(self, line: Line, matches: Sequence[Match], from_customer: bool, repeats_screen: bool,
                 open_objections: frozenset[str] = frozenset()) -> Card | None:
        """The card this update of an utterance raises, if any. `open_objections`: the categories
        the meeting has open now."""
        if line.final:
            self._partial_top.pop(line.id, None)
        if not from_customer or repeats_screen or not matches or line.id in self._carded:
            self._partial_top.pop(line.id, None)
            return None
        top = matches[0]
        if not line.final:
            if not self.early:
                return None
            previous = self._partial_top.get(line.id)
            if top.score < EARLY_CONFIDENCE:
                self._partial_top.pop(line.id, None)
                return None
            self._partial_top[line.id] = top.objection
            if previous != top.objection:
                return None
        now = self.clock()
        last = self._last.get(top.objection)
        if (last is not None and now - last < self.cooldown) or top.objection in open_objections:
            return None
        self._carded.add(line.id)
        self._last[top.objection] = now
        self._partial_top.pop(line.id, None)
        return Card(line.id, line.text, line.speaker, top.objection, top.score, top.phrase, tuple(matches[1:]))


def repeats(text: str, shown: Iterable[str]) -> bool:
    """Whether `text` repeats one of the texts on the rep's screen (read aloud, whole or in part)."""
    said = normalise(text)
    if not said:
        return False
    long_enough = len(said.split()) >= ECHO_MIN_WORDS
    for item in shown:
        on_screen = normalise(item)
        if not on_screen:
            continue
        if fuzz.token_sort_ratio(said, on_screen) >= ECHO_SIMILARITY:
            return True
        if long_enough and len(on_screen) > len(said) and fuzz.partial_ratio(said, on_screen) >= ECHO_FRAGMENT:
            return True
    return False
