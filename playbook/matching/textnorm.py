"""Text normalisation for matching: the same function for phrasings (once) and queries (per keystroke).

Lower case, accents folded (French and Spanish reps type with or without them), contractions
expanded so that negations stay visible, rep shorthand spelled out, punctuation dropped, and
a light suffix stemmer so that "decides", "decided" and "decide" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Shorthand a rep types in a hurry, mapped to what it stands for (after lower-casing).
SHORTHAND: dict[str, str] = {
    "w/": "with", "w/o": "without", "b/c": "because", "bc": "because", "cuz": "because", "coz": "because",
    "u": "you", "ur": "your", "r": "are", "thx": "thanks", "pls": "please", "plz": "please",
    "asap": "as soon as possible", "mgmt": "management", "mgr": "manager", "til": "until", "till": "until",
    "cust": "customer", "govt": "government", "info": "information", "docs": "documents", "yr": "year",
    "yrs": "years", "mo": "month", "mos": "months", "wk": "week", "wks": "weeks", "tmrw": "tomorrow",
    "q1": "quarter", "q2": "quarter", "q3": "quarter", "q4": "quarter", "n/a": "not applicable",
    "dont": "do not", "cant": "can not", "wont": "will not", "isnt": "is not", "arent": "are not",
    "doesnt": "does not", "didnt": "did not", "havent": "have not", "wouldnt": "would not", "shouldnt": "should not",
    "im": "i am", "ive": "i have", "theyre": "they are",
}

_CONTRACTIONS = [
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"\b(it|that|what|there|he|she|who|here)'s\b"), r"\1 is"),
    (re.compile(r"'s\b"), ""),
    # French and Italian elision: c'est, l'offre, qu'il, n'est
    (re.compile(r"\b(c|d|j|l|m|n|s|t|qu)'"), r"\1 "),
]
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_NON_WORD = re.compile(r"[^\w/']+|_")
_SPACES = re.compile(r"\s+")
_DIGIT_SUFFIX = re.compile(r"^(\d+)(k|m|x|eur|usd|€|\$)?$")

MAX_QUERY_CHARS = 2000


def fold(text: str) -> str:
    """Lower case with accents removed: 'Trop Chère' -> 'trop chere'."""
    if text.isascii():
        return text.lower()
    # Decompose before and after case folding: compatibility forms (𝖠, ﬁ) fold only once decomposed.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    """A light, language-agnostic suffix stripper: enough to join plural, tense and gender forms."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("sses", "ss")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "es", "ly", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)]
    return word


stem = lru_cache(maxsize=65536)(_stem)


def words(text: str) -> list[str]:
    """Normalised surface words, shorthand and contractions expanded (not yet stemmed)."""
    return list(_words(text))


@lru_cache(maxsize=64)  # a keystroke's line is read by the ranking, then by the gate: normalise it once
def _words(text: str) -> tuple[str, ...]:
    text = fold(text[:MAX_QUERY_CHARS]).translate(_APOSTROPHES)
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    out: list[str] = []
    for raw in _SPACES.split(_NON_WORD.sub(" ", text)):
        _expand(raw, out)
    return tuple(out)


def _expand(raw: str, out: list[str]) -> None:
    """One raw token as normalised words: shorthand spelled out, 'a/b' split into a and b."""
    token = raw.strip("'/")
    if not token:
        return
    expanded = SHORTHAND.get(raw, SHORTHAND.get(token))
    if expanded is not None:
        out.extend(expanded.split())
    elif "/" in token:
        for part in token.split("/"):
            _expand(part, out)
    else:
        out.append(token.replace("'", ""))


def normalise(text: str) -> str:
    """The normalised, unstemmed form of a text: what rapidfuzz phrase scorers compare."""
    return " ".join(words(text))


@lru_cache(maxsize=65536)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    if len(padded) <= 3:
        return (padded,)
    return tuple(padded[i : i + size] for size in (3, 4, 5) for i in range(len(padded) - size + 1))


def char_grams(normalised: str) -> dict[str, int]:
    """Word-bounded character 3-5-grams of a normalised text: robust to typos and word endings."""
    grams: dict[str, int] = {}
    for word in normalised.split():
        for gram in _word_grams(word):
            grams[gram] = grams.get(gram, 0) + 1
    return grams
