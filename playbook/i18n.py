"""The interface's language: strings shown to people go through `_()` (and `ngettext` for counts),
standard gettext, one catalogue per language under `playbook/locale/<lang>/LC_MESSAGES/`.

The language follows the playbook's `language` unless the user overrides it (`--lang`); front
ends call `set_language` once they know it, and every later lookup uses that catalogue. A
language without a catalogue falls back to the English text (English is the source language).

Strings made at import time (constants, class attributes such as Textual bindings) cannot be
translated then: the language is known only once a playbook is loaded. Mark them with `N_()`
(so extraction finds them) and translate them where they are shown; the TUI's footer, command
palette and help screen do that for bindings' descriptions and tooltips.

The catalogues are `.po` files (the source, edited by translators) compiled to `.mo` (what is
loaded); both are committed and ship in the package, and a test checks the `.mo` says what its
`.po` says. `make messages` extracts the strings again and updates the `.po`; `make catalogues`
compiles them (Babel, a dev dependency).
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "playbook"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def normalised(language: str | None) -> str:
    """'fr_FR', 'fr-CA', 'FR' -> 'fr'; None or '' -> the source language."""
    return (language or SOURCE_LANGUAGE).replace("-", "_").split("_")[0].lower() or SOURCE_LANGUAGE


def available_languages() -> tuple[str, ...]:
    """English and every language with a compiled catalogue, sorted."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return tuple(sorted(found | {SOURCE_LANGUAGE}))


def set_language(language: str | None) -> str:
    """Use `language`'s catalogue from now on (English when there is none); returns the previous one."""
    global _translation, _language
    previous = _language
    _language = normalised(language)
    _translation = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[_language], fallback=True)
    return previous


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A word that reads differently by context ("Close" a deal, "close" a window)."""
    return _translation.pgettext(context, message)


# Digit grouping and decimal mark by language (English's are Python's own: 48,000.5).
SEPARATORS = {"fr": ("\u202f", ",")}  # 48 000,5 with a narrow no-break space


def number(value: float, decimals: int = 0) -> str:
    """A number with its digits grouped as the interface's language writes them."""
    text = f"{value:,.{decimals}f}"
    group, mark = SEPARATORS.get(_language, (",", "."))
    return text.replace(",", "\0").replace(".", mark).replace("\0", group)


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it yet (translate it where shown)."""
    return message
