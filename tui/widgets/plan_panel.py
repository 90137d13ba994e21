"""Closing methods that fit now, and the action plan with notes."""

from __future__ import annotations

from dataclasses import dataclass

from typing import Callable

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from playbook.i18n import N_, _
from playbook.meeting.dates import shown as shown_date
from playbook.meeting.state import Action, Note, Objective
from playbook.model import Closing

from .layout import hanging
from .text import in_words, safe

NOTES_SHOWN = 6


class ClosingList(OptionList):
    """Closing methods, those that fit the signals and state first, each with its reasons and its
    example wording, whole and wrapped; Enter records an attempt."""

    # Enter opens the attempt at once (priority, on the screen: it owns the dialogs), before the
    # keys sent with it are handed out: y or n answer it, not the questions' y and n.
    BINDINGS = [Binding("enter", "screen.attempt_highlighted", show=False, priority=True, id="closing.attempt")]

    @dataclass
    class Attempt(Message):
        closing: str

    def __init__(self, wording: Callable[[str], str] = str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.wording = wording  # a playbook text as the rep reads it in this meeting (placeholders filled)

    def show(self, fitting: list[tuple[Closing, int, tuple[str, ...]]], all_closings: tuple[Closing, ...], warnings: list[str]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        shown = set()
        for warning in warnings:
            self.add_option(Option(hanging(Text("!", style="bold red"), safe(warning, "bold red")), disabled=True))
        for closing, _points, reasons in fitting:
            shown.add(closing.id)
            lines = [safe(closing.name, "bold green")]
            lines += [safe(in_words(reason), "dim") for reason in reasons]
            lines.append(safe(f"“{self.wording(closing.example)}”"))
            self.add_option(Option(hanging(Text("✓", style="bold green"), *lines), id=closing.id))
        for closing in all_closings:
            if closing.id not in shown:
                self.add_option(Option(hanging(" ", safe(closing.name, "dim")), id=closing.id))
        if self.option_count:
            first = next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), 0)
            self.highlighted = highlighted if highlighted is not None and highlighted < self.option_count else first

    def highlighted_closing(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:  # a click
        event.stop()
        if event.option.id:
            self.post_message(self.Attempt(event.option.id))


class PlanList(OptionList):
    """The meeting's objectives, the action plan (who does what by when) and the latest notes. On an
    action: Enter edits it, space ticks it done, Delete removes it; on an objective, space checks it off."""

    BINDINGS = [
        # Enter opens the action at once (priority, on the screen: it owns the dialogs), before the
        # keys sent with it are handed out: they edit the action, not the hotkeys (o: customer says).
        Binding("enter", "screen.edit_highlighted", show=False, priority=True, id="plan.edit"),
        Binding("space", "done", N_("Done"), tooltip=N_("Tick the action done (or not done)"), id="plan.done"),
        Binding("delete", "remove", N_("Delete"), tooltip=N_("Delete the action"), id="plan.delete"),
    ]

    @dataclass
    class Edit(Message):
        number: int

    @dataclass
    class Done(Message):
        number: int

    @dataclass
    class Remove(Message):
        number: int

    @dataclass
    class ObjectiveMet(Message):
        """An objective checked off (or not) with space."""

        number: int

    def show(self, actions: tuple[Action, ...], notes: tuple[Note, ...], objectives: tuple[Objective, ...] = ()) -> None:
        highlighted = self.highlighted
        self.clear_options()
        if objectives:
            self.add_option(Option(Text(_("Objectives"), style="bold"), disabled=True))
            for objective in objectives:
                mark = Text("✓" if objective.met else "◎", style="green" if objective.met else "bold cyan")
                self.add_option(Option(hanging(mark, safe(objective.text, "dim" if objective.met else "")),
                                       id=f"objective:{objective.number}"))
        self.add_option(Option(Text(_("Action plan"), style="bold"), disabled=True))
        if not actions:
            self.add_option(Option(Text(_("none yet: press a to add who does what by when"), style="dim"), disabled=True))
        for action in actions:
            line = safe(action.text, "dim strike" if action.done else "")
            if action.owner:
                line.append_text(safe(f" ({action.owner})", "dim" if action.done else ""))
            if action.due:
                line.append_text(safe(_(", by {date}").format(date=shown_date(action.due)), "dim" if action.done else "cyan"))
            self.add_option(Option(hanging(Text("✓" if action.done else "☐", style="green" if action.done else ""), line),
                                   id=f"action:{action.number}"))
        if notes:
            self.add_option(Option(Text(_("Notes"), style="bold"), disabled=True))
            for note in notes[-NOTES_SHOWN:]:
                self.add_option(Option(hanging("•", safe(note.text)), disabled=True))
        enabled = [i for i in range(self.option_count) if not self.get_option_at_index(i).disabled]
        if enabled:
            self.highlighted = highlighted if highlighted in enabled else enabled[0]

    def highlighted_number(self) -> int | None:
        if self.highlighted is None:
            return None
        ident = self.get_option_at_index(self.highlighted).id or ""
        return int(ident.split(":")[1]) if ident.startswith("action:") else None

    def action_done(self) -> None:
        if (number := self.highlighted_number()) is not None:
            self.post_message(self.Done(number))
        elif self.highlighted is not None and (self.get_option_at_index(self.highlighted).id or "").startswith("objective:"):
            self.post_message(self.ObjectiveMet(int(self.get_option_at_index(self.highlighted).id.split(":")[1])))

    def action_remove(self) -> None:
        if (number := self.highlighted_number()) is not None:
            self.post_message(self.Remove(number))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:  # a click
        event.stop()
        if (number := self.highlighted_number()) is not None:
            self.post_message(self.Edit(number))
