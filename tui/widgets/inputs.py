"""One-line boxes that never lose or leak what is typed or pasted.

- A paste longer than the box keeps what fits and says so (Textual's Input refuses it whole).
- Every printable key is the box's, even when the box is full: a key never falls through to
  the screen's hotkeys.
- ctrl+z undoes typing word by word (a paste is one step); the screen's record-undo stays on
  ctrl+z outside the box.
"""

from __future__ import annotations

import re

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from playbook.i18n import N_, _

UNDO_DEPTH = 100


def fold(text: str) -> str:
    """Line breaks and runs of whitespace as single spaces (a one-line box holds one line)."""
    return re.sub(r"\s+", " ", text)


class BoundedInput(Input):
    BINDINGS = [Binding("ctrl+z", "undo_typing", N_("Undo typing"), id="input.undo")]
    _restoring = True  # the value given at construction is no undo step
    _last_value = ""

    def __init__(self, *args, max_length: int = 500, **kwargs) -> None:
        kwargs.setdefault("select_on_focus", False)  # coming back to the box must not select (and replace) the draft
        super().__init__(*args, max_length=max_length, **kwargs)
        self._undo: list[tuple[str, int]] = []
        self._last_value = self.value
        self._restoring = False
        self._told_full = False

    # -- typing and pasting ------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and self.selection.is_empty and len(self.value) >= (self.max_length or 0) > 0:
            event.stop()
            event.prevent_default()
            self._say_full(0)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.paste_text(event.text)

    def insert_text_at_cursor(self, text: str) -> None:
        self.type_text(fold(text))

    def on_typed_burst(self, event: "TypedBurst") -> None:
        event.stop()
        self.type_text(event.text)

    def type_text(self, text: str) -> None:
        """Keys typed (or raw-pasted) together: inserted as typed, cut to fit with a notice."""
        start, end = sorted(self.selection)
        room = (self.max_length or len(text) + len(self.value)) - (len(self.value) - (end - start))
        if len(text) > room:
            if room <= 0 and len(text) == 1:
                self._say_full(0)
            else:
                self._say_full(len(text) - max(room, 0))
            text = text[: max(room, 0)]
        if text:
            self.replace(text, start, end)

    def paste_text(self, text: str) -> None:
        """Insert a paste as one edit (one undo step), cut to what fits, with a notice when something was left out."""
        self._checkpoint()
        self.type_text(fold(text))

    def _say_full(self, left_out: int) -> None:
        if left_out:
            self.notify(_("Text cut to fit: this box holds {most} characters ({left_out:,} left out).").format(most=self.max_length, left_out=left_out),
                        severity="warning", markup=False)
        elif not self._told_full:
            self.notify(_("This box is full ({most} characters).").format(most=self.max_length), severity="warning", markup=False)
        self._told_full = True

    # -- undo --------------------------------------------------------------------------------

    def _checkpoint(self) -> None:
        if not self._undo or self._undo[-1][0] != self.value:
            self._undo.append((self.value, self.cursor_position))
            del self._undo[:-UNDO_DEPTH]

    def watch_value(self, value: str) -> None:
        previous, self._last_value = self._last_value, value
        if len(value) < (self.max_length or 0):
            self._told_full = False
        if self._restoring:
            return
        # A new undo step starts with each word: a character typed after a space, or any edit
        # that is not a single character added to a word.
        continuing = len(value) == len(previous) + 1 and value.startswith(previous) and previous and not previous[-1].isspace()
        if not continuing and (not self._undo or self._undo[-1][0] != previous):
            self._undo.append((previous, min(self.cursor_position, len(previous))))
            del self._undo[:-UNDO_DEPTH]

    def action_undo_typing(self) -> None:
        while self._undo:
            value, cursor = self._undo.pop()
            if value != self.value:
                self._restoring = True
                try:
                    self.value = value
                finally:
                    self._restoring = False
                self.cursor_position = cursor if cursor <= len(value) else len(value)
                return
        self.app.bell()

    def set_text(self, value: str) -> None:
        """Replace the text from the program (a draft coming back, a cleared box): not an undo step."""
        self._restoring = True
        try:
            self.value = value
        finally:
            self._restoring = False
        self._last_value = value
        self.cursor_position = len(value)


class TypedBurst(events.Event):
    """Printable keys that arrived together for one box, handed over as one edit (see BurstTyping)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class BurstTyping:
    """App mixin: printable keys for a focused BoundedInput skip the binding machinery and reach
    the box as one edit per burst.

    A terminal without bracketed paste delivers a paste as thousands of keys; handled one by one
    (bindings, tooltips, an edit and a match per key) 10 KB took seconds and Escape waited behind
    them. Gathered here, each key costs a list append; the box gets one edit, in order with the
    keys around it (Enter, Escape and the like flush the burst first). An Enter with more
    characters right behind it is a line break inside the paste: it becomes a space.
    """

    _burst: list[str]
    _burst_target: "BoundedInput | None" = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            focused = self.focused  # type: ignore[attr-defined]
            if isinstance(focused, BoundedInput):
                if event.is_printable or (event.key == "enter" and self._burst and self._key_follows()):
                    if self._burst_target is not focused:
                        self.flush_burst()
                    if not getattr(self, "_burst", None):
                        self._burst = []
                        self.call_later(self.flush_burst)  # type: ignore[attr-defined]
                    self._burst_target = focused
                    self._burst.append(event.character if event.is_printable and event.character else " ")
                    return
            self.flush_burst()
        await super().on_event(event)  # type: ignore[misc]

    def _key_follows(self) -> bool:
        following = self._peek_message()  # type: ignore[attr-defined]
        return isinstance(following, events.Key) and following.is_printable

    def flush_burst(self) -> None:
        burst = getattr(self, "_burst", None)
        if burst and self._burst_target is not None:
            self._burst_target.post_message(TypedBurst("".join(burst)))
        self._burst = []
