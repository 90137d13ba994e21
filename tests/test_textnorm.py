"""Normalisation: what every phrasing and every keystroke goes through."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from playbook.matching.textnorm import char_grams, fold, normalise, stem, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C'est trop chère !", "c est trop chere"),
        ("Trop CHER", "trop cher"),
        ("demasiado caro, señor", "demasiado caro senor"),
        ("Price isn't a problem", "price is not a problem"),
        ("We can't / won't", "we can not will not"),
        ("we r with sap til 2027", "we are with sap until 2027"),
        ("too exp w/ mgmt bc q3", "too exp with management because quarter"),
        ("thx, asap pls", "thanks as soon as possible please"),
        ("It’s the boss’s call", "it is the boss call"),
        ("qu'il l'offre", "qu il l offre"),
        ("🙂 👍", ""),
        ("   \t ", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_fold_removes_accents_and_case() -> None:
    assert fold("ÉTÉ Ñandú Straße") == "ete nandu strasse"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("decides", "decid"), ("decided", "decid"), ("decide", "decid"), ("prices", "pric"), ("price", "pric"),
     ("business", "business"), ("companies", "company"), ("yes", "yes"), ("2027", "2027")],
)
def test_stem_joins_forms(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_char_grams_are_word_bounded() -> None:
    grams = char_grams("too exp")
    assert " to" in grams and "exp " in grams
    assert "o e" not in grams  # never across words


@given(st.text(max_size=300))
def test_normalise_never_fails_and_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()


def test_long_input_is_capped() -> None:
    assert len(words("word " * 100_000)) <= 400
