"""The engine's suggestions, most urgent first; `w` shows why the highlighted one is there."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from playbook.i18n import N_
from playbook.meeting.guidance import Guidance

from .layout import hanging
from .text import safe

ICONS = {"warn": ("!", "bold red"), "ask": ("?", "bold cyan"), "respond": ("»", "bold magenta"), "close": ("✓", "bold green"),
         "next_step": ("→", "bold yellow")}


class GuidancePanel(OptionList):
    BINDINGS = [
        # Enter and w act on the item at once (priority, on the screen: it owns the dialogs and
        # the focus), before the keys sent with them are handed out: they go into the answer, the
        # action, the responses or the window opened, not to this list and the hotkeys.
        Binding("enter", "screen.act_on_guidance", show=False, priority=True, id="guidance.choose"),
        Binding("w", "screen.why", N_("Why?"), tooltip=N_("Why is this suggested? (the guidance's reason)"), priority=True,
                id="guidance.why"),
    ]

    @dataclass
    class Chosen(Message):
        item: Guidance

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: list[Guidance] = []

    def show(self, items: list[Guidance]) -> None:
        if items == self.items:
            return
        self.items = items
        highlighted = self.highlighted
        self.clear_options()
        for index, item in enumerate(items):
            icon, style = ICONS[item.kind]
            self.add_option(Option(hanging(Text(icon, style=style), safe(item.text)), id=str(index)))
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)

    def current(self) -> Guidance | None:
        return self.items[self.highlighted] if self.highlighted is not None and self.highlighted < len(self.items) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (item := self.current()) is not None:
            self.post_message(self.Chosen(item))
