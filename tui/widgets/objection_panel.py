"""What the customer says, recognised live, and how to answer it.

While the rep types, the best matches and the top category's responses update on every
keystroke. Enter records the objection; the responses list then takes focus: Enter marks a
response as used, r / p / x mark the objection resolved, parked or still unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from playbook.matching import Match
from playbook.model import Playbook, Response
from playbook.meeting.state import RaisedObjection

from .layout import hanging

MAX_INPUT = 500


class SaysInput(Input):
    """The 'customer says' box. A long paste is trimmed to fit rather than refused, and its
    line breaks folded, so a pasted email still gives the matcher something to read."""

    def insert_text_at_cursor(self, text: str) -> None:
        room = (self.max_length or MAX_INPUT) - len(self.value)
        super().insert_text_at_cursor(re.sub(r"\s+", " ", text)[: max(0, room)])


class ResponseList(OptionList):
    """The ranked responses of the current objection."""

    BINDINGS = [
        Binding("r", "settle('resolved')", "Resolved", id="objection.resolved"),
        Binding("p", "settle('parked')", "Parked", id="objection.parked"),
        Binding("x", "settle('unresolved')", "Unresolved", id="objection.unresolved"),
    ]

    @dataclass
    class Settled(Message):
        outcome: str

    def action_settle(self, outcome: str) -> None:
        self.post_message(self.Settled(outcome))


class ObjectionPanel(Vertical):
    """The 'customer says' box, the live match, and the responses."""

    @dataclass
    class Typed(Message):
        """The text in the box changed: recognise it (nothing is recorded)."""

        text: str

    @dataclass
    class Submitted(Message):
        """Enter in the box: record the objection."""

        text: str

    @dataclass
    class ResponseChosen(Message):
        number: int
        response: str

    @dataclass
    class OutcomeChosen(Message):
        number: int
        outcome: str

    def __init__(self, playbook: Playbook, **kwargs) -> None:
        super().__init__(**kwargs)
        self.playbook = playbook
        self.current: RaisedObjection | None = None
        self._shown: list[str] = []

    def compose(self) -> ComposeResult:
        yield SaysInput(placeholder="Customer says… (o)", id="says", max_length=MAX_INPUT)
        yield Static(id="match")
        yield ResponseList(id="responses")

    def focus_input(self) -> None:
        self.query_one("#says", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Submitted(event.value))

    def show_live(self, matches: list[Match]) -> None:
        """The matches for what is being typed, and the best one's responses."""
        label = self.query_one("#match", Static)
        if not matches:
            label.update(Text("No objection recognised yet.", style="dim"))
            self._fill([], None)
            return
        best = matches[0]
        objection = self.playbook.objection(best.objection)
        text = Text()
        text.append(f"{objection.title if objection else best.objection}", style="bold")
        text.append(f"  {best.score:.0f}", style="dim")
        for other in matches[1:]:
            title = self.playbook.objection(other.objection)
            text.append(f"   {title.title if title else other.objection} {other.score:.0f}", style="dim")
        label.update(text)
        self._fill([(r, "") for r in objection.responses] if objection else [], None)

    def show_current(self, raised: RaisedObjection | None, ranked: list[tuple[Response, str]]) -> None:
        """The recorded objection being handled, with its responses ranked for the context."""
        self.current = raised
        label = self.query_one("#match", Static)
        if raised is None:
            label.update(Text("No objection recognised yet.", style="dim"))
            self._fill([], None)
            return
        objection = self.playbook.objection(raised.objection)
        text = Text()
        text.append(f"#{raised.number} {objection.title if objection else raised.objection}", style="bold")
        if raised.situation and objection:
            situation = next((s.title for s in objection.situations if s.id == raised.situation), raised.situation)
            text.append(f" · {situation}")
        text.append(f"  [{raised.outcome}]", style="italic")
        text.append(f"\n“{raised.text}”", style="dim")
        label.update(text)
        self._fill(ranked, raised)

    def _fill(self, ranked: list[tuple[Response, str]], raised: RaisedObjection | None) -> None:
        options = self.query_one("#responses", ResponseList)
        ids = [r.id for r, _ in ranked] + ([raised.outcome, *raised.responses] if raised else [])
        if ids == self._shown:
            return
        self._shown = ids
        highlighted = options.highlighted
        options.clear_options()
        for response, reason in ranked:
            technique = self.playbook.technique(response.technique)
            used = raised is not None and response.id in raised.responses
            head = Text(technique.name if technique else response.technique, style="bold")
            if used:
                head.append("  used", style="green")
            elif reason:
                # The full reason is in the guidance panel (w); here a short tag.
                head.append("  ★ " + reason.split(":")[0].replace("_", " "), style="yellow")
            body = Text(" ".join(response.text.split()))
            options.add_option(Option(hanging("✓" if used else "•", head, body), id=response.id))
        if ranked:
            options.highlighted = min(highlighted or 0, len(ranked) - 1) if raised else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.current is not None and event.option.id:
            self.post_message(self.ResponseChosen(self.current.number, event.option.id))

    def on_response_list_settled(self, event: ResponseList.Settled) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.OutcomeChosen(self.current.number, event.outcome))
