"""Control characters from data are shown, never sent to the terminal."""

from __future__ import annotations

import json

from hypothesis import given, strategies as st

from playbook.textsafety import dumps, is_printable, printable


def test_escape_sequences_are_shown_as_cat_v_does() -> None:
    osc52 = "note \x1b]52;c;ZXZpbA==\x07 end"
    assert printable(osc52) == "note ^[]52;c;ZXZpbA==^G end"
    assert printable("csi \x9b2J") == "csi M-^[2J"
    assert printable("del \x7f") == "del ^?"
    assert printable("cr\roverwrite") == "cr^Moverwrite"


def test_newlines_and_tabs_are_kept_unless_one_line() -> None:
    assert printable("a\nb\tc") == "a\nb\tc"
    assert printable("a\r\nb\tc\u2028d", one_line=True) == "a b c d"


def test_bidi_overrides_are_named() -> None:
    assert printable("abc\u202edcba") == "abc<U+202E>dcba"


def test_letters_of_every_language_pass_untouched() -> None:
    text = "Déjà vu, naïve café — 東京 · Straße ✓"
    assert printable(text) == text and is_printable(text)


def test_json_escapes_what_json_dumps_lets_through() -> None:
    out = dumps({"note": "x\x9by\x7fz\x1b é"})
    assert "\x9b" not in out and "\x7f" not in out and "\x1b" not in out
    assert "\\u009b" in out and "é" in out
    assert json.loads(out) == {"note": "x\x9by\x7fz\x1b é"}


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    shown = printable(text)
    assert is_printable(shown)
    assert not any(0x80 <= ord(c) <= 0x9F or (ord(c) < 0x20 and c not in "\n\t") or c == "\x7f" for c in shown)
    one = printable(text, one_line=True)
    assert "\n" not in one and "\t" not in one and "\r" not in one
    assert json.loads(dumps(text)) == text
