"""Closing methods that fit now, and the action plan with notes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from playbook.model import Closing
from playbook.meeting.state import Action, Note


class ClosingList(OptionList):
    """Closing methods, those that fit the signals and state first; Enter records an attempt."""

    @dataclass
    class Attempt(Message):
        closing: str

    def show(self, fitting: list[tuple[Closing, int, tuple[str, ...]]], all_closings: tuple[Closing, ...], warnings: list[str]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        shown = set()
        for warning in warnings:
            self.add_option(Option(Text(f"! {warning}", style="bold red"), disabled=True))
        for closing, _, reasons in fitting:
            shown.add(closing.id)
            prompt = Text()
            prompt.append(f"✓ {closing.name}", style="bold green")
            prompt.append(f"  {'; '.join(reasons)[:70]}", style="dim")
            prompt.append(f"\n  “{closing.example}”")
            self.add_option(Option(prompt, id=closing.id))
        for closing in all_closings:
            if closing.id not in shown:
                self.add_option(Option(Text(f"  {closing.name}", style="dim"), id=closing.id))
        if self.option_count:
            first = next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), 0)
            self.highlighted = highlighted if highlighted is not None and highlighted < self.option_count else first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Attempt(event.option.id))


class PlanView(Static):
    """The action plan and the notes, read-only; `a` and `n` add to them."""

    def show(self, actions: tuple[Action, ...], notes: tuple[Note, ...]) -> None:
        text = Text()
        text.append("Action plan", style="bold")
        if not actions:
            text.append("\n  none yet: press a to add who does what by when", style="dim")
        for action in actions:
            owner = f" ({action.owner})" if action.owner else ""
            due = f" by {action.due}" if action.due else ""
            text.append(f"\n  {action.number}. {action.text}{owner}{due}")
        if notes:
            text.append("\nNotes", style="bold")
            for note in notes[-4:]:
                text.append(f"\n  • {note.text}")
        self.update(text)
