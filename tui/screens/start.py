"""The start screen: a new meeting, or resume an unfinished one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from playbook.store import SessionInfo
from playbook.textsafety import printable


class StartScreen(Screen[None]):
    BINDINGS = [Binding("tab", "app.focus_next", "Next field", show=False, id="start.next")]

    @dataclass
    class NewMeeting(Message):
        prospect: str
        company: str

    @dataclass
    class Resume(Message):
        session_id: str

    def __init__(self, unfinished: list[SessionInfo], playbook_name: str) -> None:
        super().__init__()
        self.unfinished = unfinished
        self.playbook_name = playbook_name

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Label("New meeting", classes="title")
            yield Static(Text(printable(f"Playbook: {self.playbook_name}", one_line=True), style="dim"))
            yield Input(placeholder="Prospect's name", id="prospect", max_length=200)
            yield Input(placeholder="Company", id="company", max_length=200)
            yield Static(Text("Enter to start", style="dim"))
            if self.unfinished:
                yield Label("Resume an unfinished meeting", classes="title")
                yield OptionList(*[Option(self._describe(s), id=s.id) for s in self.unfinished], id="unfinished")
        yield Footer()

    @staticmethod
    def _describe(info: SessionInfo) -> Text:
        """One unfinished meeting: names are data, shown as typed (never markup, never controls)."""
        text = Text()
        text.append(printable(info.prospect, one_line=True), style="bold")
        if info.company:
            text.append(printable(f", {info.company}", one_line=True))
        when = datetime.fromtimestamp(info.updated_at).strftime("%Y-%m-%d %H:%M")
        text.append(printable(f"   last change {when} · {info.events} events · {info.id}", one_line=True), style="dim")
        return text

    def on_mount(self) -> None:
        self.query_one("#prospect", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        prospect = self.query_one("#prospect", Input).value
        if event.input.id == "prospect" and not self.query_one("#company", Input).value:
            self.query_one("#company", Input).focus()
            return
        if not prospect.strip():
            self.query_one("#prospect", Input).focus()
            self.notify("Who are you meeting? Type the prospect's name.", severity="warning")
            return
        self.post_message(self.NewMeeting(prospect, self.query_one("#company", Input).value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(self.Resume(event.option.id))
