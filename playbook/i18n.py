"""The interface's language: strings shown to people go through `_()` (and `ngettext` for counts),
standard gettext, one catalogue per language under `playbook/locale/<lang>/LC_MESSAGES/`.

The language follows the playbook's `language` unless the user overrides it; `set_language`
switches every later lookup. A language without a catalogue falls back to the English text.
Mark strings defined at import time (constants, class attributes) with `N_()` and translate them
where they are shown, since the language is only known once a playbook is loaded.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "playbook"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str | None) -> None:
    """Use `language`'s catalogue from now on (English, the source language, when there is none)."""
    global _translation, _language
    _language = (language or "en").split("_")[0].split("-")[0].lower()
    _translation = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[_language], fallback=True)


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it yet (translate it where shown)."""
    return message
