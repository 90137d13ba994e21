"""The footer, in the interface's language.

Bindings are class attributes, made when their module is imported, before any playbook (and so
the language) is known. Their descriptions and tooltips are English marked with `N_()`; they are
translated where they are shown: here for the footer, in the app for the command palette, in
the help screen for the key list. Every screen yields this Footer, never Textual's own (a test
checks). Keys stay the same in every language; only the words beside them change.

Textual's own words that reach the screen (the palette's system commands, the footer's
"palette") are in the catalogue too, listed below.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from playbook.i18n import N_, _

TEXTUAL_WORDS = frozenset({
    N_("palette"),
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
})


def textual_words(text: str) -> str:
    """One of Textual's own strings in the interface's language (other text is left as it is)."""
    return _(text) if text in TEXTUAL_WORDS else text


class Footer(TextualFooter):
    """Textual's footer, each key's description and tooltip translated as it is drawn."""

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if isinstance(widget.tooltip, str):
                    widget.tooltip = _(widget.tooltip)
            yield widget
