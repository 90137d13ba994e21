"""The start screen: a new meeting, or resume an unfinished one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from playbook.i18n import N_, _, ngettext
from playbook.store import SessionInfo
from playbook.textsafety import printable

from ..widgets.footer import Footer


class StartScreen(Screen[None]):
    # Enter and Tab act the moment they arrive (priority), before the keys typed after them are
    # handed out: fast type-ahead ("Anna⏎Acme⏎") lands in the field it was meant for.
    BINDINGS = [
        Binding("tab", "next_field", N_("Next field"), show=False, priority=True, id="start.next"),
        Binding("enter", "enter", N_("Start"), show=False, priority=True, id="start.enter"),
    ]
    FIELDS = ("prospect", "company", "minutes")

    @dataclass
    class NewMeeting(Message):
        prospect: str
        company: str
        planned_minutes: int = 0

    @dataclass
    class Typed(Message):
        """Posted through each field in turn: once it arrives, every key typed before is in place."""

        then: list

    @dataclass
    class Resume(Message):
        session_id: str

    def __init__(self, unfinished: list[SessionInfo], playbook_name: str, overdue: int = 0, offer_last: bool = False) -> None:
        """`overdue`: follow-ups overdue across accounts (a reminder at the top); `offer_last`: the
        last unfinished meeting is the first choice (Enter resumes it), as after a refreshed or
        closed browser tab."""
        super().__init__()
        self.unfinished = unfinished
        self.playbook_name = playbook_name
        self.overdue = overdue
        self.offer_last = offer_last and bool(unfinished)

    def compose(self) -> ComposeResult:
        yield Header()
        # A short terminal scrolls to the meetings to resume; the overdue reminder takes the top padding's row.
        with VerticalScroll(id="start", classes="-reminded" if self.overdue else ""):
            if self.overdue:
                yield Static(Text("⚠ " + ngettext("{n} follow-up overdue: F3 opens the agenda", "{n} follow-ups overdue: F3 opens the agenda",
                                                  self.overdue).format(n=self.overdue), style="bold yellow"),
                             id="overdue")
            if self.offer_last:  # first on screen, whatever the window's height
                last = self.unfinished[0]
                yield Static(Text(printable(_("Enter resumes your last meeting, with {who} · Tab: a new meeting")
                                            .format(who=", ".join(filter(None, (last.prospect, last.company)))), one_line=True)),
                             id="resume-last")
                yield self._unfinished_list()
            yield Label(_("New meeting"), classes="title")
            yield Static(Text(printable(_("Playbook: {name}").format(name=self.playbook_name), one_line=True), style="dim"))
            yield Input(placeholder=_("Prospect's name"), id="prospect", max_length=200)
            yield Input(placeholder=_("Company"), id="company", max_length=200)
            yield Input(placeholder=_("Planned length in minutes (optional)"), id="minutes", max_length=4, type="integer")
            yield Static(Text(_("Enter to start · Tab to move") + " · " + _("F2 accounts · F3 agenda"), style="dim"), id="start-keys")
            if self.unfinished and not self.offer_last:
                yield Label(_("Resume an unfinished meeting"), classes="title")
                yield self._unfinished_list()
        yield Footer()

    def _unfinished_list(self) -> OptionList:
        return OptionList(*[Option(self._describe(s), id=s.id) for s in self.unfinished], id="unfinished",
                          classes="-first" if self.offer_last else "")

    @staticmethod
    def _describe(info: SessionInfo) -> Text:
        """One unfinished meeting: names are data, shown as typed (never markup, never controls)."""
        text = Text()
        text.append(printable(info.prospect, one_line=True), style="bold")
        if info.company:
            text.append(printable(f", {info.company}", one_line=True))
        when = datetime.fromtimestamp(info.updated_at).strftime("%Y-%m-%d %H:%M")
        events = ngettext("{count} event", "{count} events", info.events).format(count=info.events)
        text.append(printable("   " + _("last change {when} · {events} · {id}").format(when=when, events=events, id=info.id), one_line=True),
                    style="dim")
        return text

    def on_mount(self) -> None:
        if self.offer_last:
            choices = self.query_one("#unfinished", OptionList)
            choices.highlighted = 0
            choices.focus()
            return
        self.query_one("#prospect", Input).focus()

    def action_next_field(self) -> None:
        if isinstance(self.focused, OptionList):  # from the meetings to resume, back to a new one
            self.set_focus(self.query_one("#prospect", Input))
            return
        self.focus_next()  # synchronous: the next key goes to the new field

    def action_enter(self) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            focused.action_select()
            return
        if isinstance(focused, Input) and focused.id == "prospect" and not self.query_one("#company", Input).value:
            self.set_focus(self.query_one("#company", Input))
            return
        # Start once every field has taken the keys typed before this Enter.
        fields = [self.query_one(f"#{name}", Input) for name in self.FIELDS]
        fields[0].post_message(self.Typed(fields[1:]))

    def on_start_screen_typed(self, event: StartScreen.Typed) -> None:
        event.stop()
        if event.then:
            event.then[0].post_message(self.Typed(event.then[1:]))
        else:
            self.start()

    def start(self) -> None:
        prospect = self.query_one("#prospect", Input).value
        if not prospect.strip():
            self.set_focus(self.query_one("#prospect", Input))
            self.notify(_("Who are you meeting? Type the prospect's name."), severity="warning", markup=False)
            return
        minutes = self.query_one("#minutes", Input).value.strip()
        self.post_message(self.NewMeeting(prospect, self.query_one("#company", Input).value, int(minutes) if minutes.isdigit() else 0))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(self.Resume(event.option.id))
