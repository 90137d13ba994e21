"""What the customer says, recognised live, every objection of the meeting, and how to answer one.

While the rep types, the best matches (or the buying signal the words show) update on every
keystroke. Enter records the objection; the responses list then takes focus: Enter marks a
response as used; r / p / x mark the objection resolved, parked or unresolved, u reopens it,
i names its situation. `j` lists every objection of the meeting: any one can be picked,
answered, settled or reopened.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from playbook.i18n import N_, _
from playbook.matching import Match
from playbook.meeting.state import RaisedObjection
from playbook.model import Playbook, Response

from .inputs import BoundedInput
from .layout import hanging
from .text import in_words, safe

MAX_INPUT = 500
LIST_ROWS = 4  # more objections than this scroll in the list
LIST_QUOTE = 24  # the customer's words in the objections list, shortened: the selected one is shown whole
ENTER_SETTLE_SECONDS = 0.03  # a key this soon after Enter is a pasted line break, not the rep's next word
STATE_MARKS = {"open": ("●", "bold yellow"), "resolved": ("✓", "green"), "parked": ("⏸", "cyan"), "unresolved": ("✗", "red")}
STATE_WORDS = {"open": N_("open"), "resolved": N_("resolved"), "parked": N_("parked"), "unresolved": N_("unresolved")}


class SaysInput(BoundedInput):
    """The 'customer says' box. Enter records; a line break inside a burst of keys (a paste from
    a terminal without bracketed paste) is a space, so half a paste is never recorded and the rest
    never lands on the hotkeys. Escape leaves the box at once and keeps the text as a draft."""

    BINDINGS = [
        Binding("enter", "record", N_("Record objection"), id="says.record"),
        Binding("escape", "leave", N_("Leave box (text kept)"), priority=True, id="says.leave"),
    ]

    @dataclass
    class Entered(Message):
        """Enter in the box, with nothing typed after it: record what it holds."""

        value: str

    @dataclass
    class Left(Message):
        """Escape: the rep leaves the box; its text stays as a draft."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._enter_pending = False

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._enter_pending = True
            self.set_timer(ENTER_SETTLE_SECONDS, lambda: self.call_later(self._settle_enter))
            return
        if event.is_printable and self._enter_pending:
            self._enter_pending = False  # the Enter was a line break in a paste: keep going
            if self.value and not self.value.endswith(" ") and event.character != " ":
                self.insert_text_at_cursor(" ")
        await super()._on_key(event)

    def type_text(self, text: str) -> None:
        if self._enter_pending and text:
            self._enter_pending = False  # the Enter was a line break in a paste: keep going
            if self.value and not self.value.endswith(" ") and not text.startswith(" "):
                text = " " + text
        super().type_text(text)

    def _settle_enter(self) -> None:
        if self._enter_pending:
            self._enter_pending = False
            if self.value.strip():
                self.post_message(self.Entered(self.value))

    def action_record(self) -> None:  # reached only from the command palette
        if self.value.strip():
            self.post_message(self.Entered(self.value))

    def action_leave(self) -> None:
        self.post_message(self.Left())


class SettleKeys:
    """Keys that act on the selected objection, shared by the objections list and the responses."""

    BINDINGS = [
        Binding("r", "settle('resolved')", N_("Resolved"), tooltip=N_("Objection resolved"), id="objection.resolved"),
        Binding("p", "settle('parked')", N_("Parked"), tooltip=N_("Objection parked (come back to it)"), id="objection.parked"),
        Binding("x", "settle('unresolved')", N_("Unresolved"), tooltip=N_("Objection unresolved"), id="objection.unresolved"),
        Binding("u", "settle('open')", N_("Reopen"), tooltip=N_("Reopen the objection"), id="objection.reopen"),
        # i opens its dialog at once (priority, on the screen: it owns the dialogs), before the keys
        # sent with it are handed out: a digit picks the situation, not a question's answer.
        Binding("i", "screen.situation", N_("Situation"), tooltip=N_("Objection situation (what is behind it)"), priority=True,
                id="objection.situation"),
    ]

    @dataclass
    class Settled(Message):
        outcome: str

    def action_settle(self, outcome: str) -> None:
        self.post_message(self.Settled(outcome))  # type: ignore[attr-defined]


class ResponseList(SettleKeys, OptionList):
    """The ranked responses of the selected objection, each shown whole."""

    BINDINGS = SettleKeys.BINDINGS


class ObjectionList(SettleKeys, OptionList):
    """Every objection of the meeting, one line each, with its state; the highlighted one is selected."""

    BINDINGS = [Binding("enter", "select", N_("Answer it"), show=False, id="objections.answer"), *SettleKeys.BINDINGS]


class ObjectionPanel(Vertical):
    """The 'customer says' box, the live match, the meeting's objections and the responses."""

    @dataclass
    class Typed(Message):
        """The text in the box changed: recognise it (nothing is recorded)."""

        text: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ObjectionPanel.Typed)  # a burst of keys needs only the last text

    @dataclass
    class Submitted(Message):
        """Enter in the box: record the objection."""

        text: str

    @dataclass
    class Selected(Message):
        """The rep picked another objection of the meeting to work on."""

        number: int

    @dataclass
    class ResponseChosen(Message):
        number: int
        response: str

    @dataclass
    class OutcomeChosen(Message):
        number: int
        outcome: str  # resolved, parked, unresolved, or open (reopen)

    def __init__(self, playbook: Playbook, wording: Callable[[str], str] = str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.playbook = playbook
        self.wording = wording  # a playbook text as the rep reads it in this meeting (placeholders filled)
        self.current: RaisedObjection | None = None
        self._shown: list = []
        self._listed: list = []

    def compose(self) -> ComposeResult:
        yield SaysInput(placeholder=_("Customer says… (o)"), id="says", max_length=MAX_INPUT)
        yield Static(id="match")
        yield ObjectionList(id="objection-list")
        yield ResponseList(id="responses")

    def focus_input(self) -> None:
        self.screen.set_focus(self.query_one("#says", Input))  # now: the next key goes there

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(event.value))

    def on_says_input_entered(self, event: SaysInput.Entered) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    # -- what is being typed ------------------------------------------------------------------

    def show_waiting(self) -> None:
        self.query_one("#match", Static).update(Text(_("Getting recognition ready…"), style="dim italic"))

    def show_live(self, matches: list[Match], signal: str | None = None) -> None:
        """The matches for what is being typed and the best one's responses; or the buying signal."""
        label = self.query_one("#match", Static)
        if not matches:
            if signal:
                found = self.playbook.signal(signal)
                text = Text()
                text.append(_("Buying signal: "), style="bold green")
                text.append_text(safe(found.name if found else signal))
                text.append("  " + _("Enter records it as one"), style="dim")
                label.update(text)
            else:
                label.update(Text(_("No objection recognised. Enter lets you choose, or keep it as a note."), style="dim"))
            self._fill([], None)
            return
        best = matches[0]
        objection = self.playbook.objection(best.objection)
        text = Text()
        text.append_text(safe(objection.title if objection else best.objection, "bold"))
        text.append(f"  {best.score:.0f}", style="dim")
        for other in matches[1:]:
            title = self.playbook.objection(other.objection)
            text.append_text(safe(f"   {title.title if title else other.objection} {other.score:.0f}", "dim"))
        label.update(text)
        self._fill([(r, "") for r in objection.responses] if objection else [], None)

    # -- the meeting's objections ---------------------------------------------------------------

    def show_current(self, raised: RaisedObjection | None, ranked: list[tuple[Response, str]],
                     objections: tuple[RaisedObjection, ...] = ()) -> None:
        """The selected objection with its responses ranked for the context, and the whole list."""
        self.current = raised
        self._list(objections, raised)
        label = self.query_one("#match", Static)
        if raised is None:
            label.update(Text(_("No objection yet. Type what the customer says (o)."), style="dim"))
            self._fill([], None)
            return
        objection = self.playbook.objection(raised.objection)
        text = Text()
        text.append_text(safe(f"#{raised.number} {objection.title if objection else raised.objection}", "bold"))
        if raised.situation and objection:
            situation = next((s.title for s in objection.situations if s.id == raised.situation), raised.situation)
            text.append_text(safe(f" · {situation}"))
        mark, style = STATE_MARKS.get(raised.outcome, ("", ""))
        text.append(f"  {mark} {_(STATE_WORDS.get(raised.outcome, raised.outcome))}", style=style)
        text.append("\n")
        text.append_text(safe(f"“{raised.text}”", "dim", one_line=True))
        label.update(text)
        self._fill(ranked, raised)

    def _list(self, objections: tuple[RaisedObjection, ...], selected: RaisedObjection | None) -> None:
        listing = self.query_one("#objection-list", ObjectionList)
        listing.display = len(objections) > 1  # one objection is already shown above the responses
        listing.styles.height = min(len(objections), LIST_ROWS) + 1  # one line each, and the rule below
        key = [(o.number, o.objection, o.outcome, o.situation) for o in objections]
        if key != self._listed:
            self._listed = key
            listing.clear_options()
            for raised in objections:
                objection = self.playbook.objection(raised.objection)
                mark, style = STATE_MARKS.get(raised.outcome, ("·", ""))
                line = Text()
                line.append(f"{mark} ", style=style)
                line.append_text(safe(f"#{raised.number} {objection.title if objection else raised.objection}", "bold"))
                line.append(f"  {_(STATE_WORDS.get(raised.outcome, raised.outcome))}", style=style)
                said = raised.text if len(raised.text) <= LIST_QUOTE else raised.text[: LIST_QUOTE - 1].rstrip() + "…"
                line.append_text(safe(f"  “{said}”", "dim", one_line=True))  # whole above, once selected
                listing.add_option(Option(line, id=str(raised.number)))
        if selected is not None:
            index = next((i for i, o in enumerate(objections) if o.number == selected.number), None)
            if index is not None and listing.highlighted != index:
                listing.highlighted = index

    def _fill(self, ranked: list[tuple[Response, str]], raised: RaisedObjection | None) -> None:
        options = self.query_one("#responses", ResponseList)
        ids = [(r.id, reason) for r, reason in ranked] + ([raised.number, raised.outcome, *raised.responses] if raised else [])
        if ids == self._shown:
            return
        self._shown = ids
        highlighted = options.highlighted
        options.clear_options()
        for response, reason in ranked:
            technique = self.playbook.technique(response.technique)
            used = raised is not None and response.id in raised.responses
            head = safe(technique.name if technique else response.technique, "bold")
            if used:
                head.append("  " + _("used"), style="green")
            lines = [head, safe(" ".join(self.wording(response.text).split()))]
            if reason and not used:
                lines.append(safe(f"★ {in_words(reason)}", "yellow"))
            options.add_option(Option(hanging("✓" if used else "•", *lines), id=response.id))
        if ranked:
            options.highlighted = min(highlighted or 0, len(ranked) - 1) if raised else 0

    # -- keys on the lists ----------------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "objection-list":
            event.stop()
            number = int(event.option.id or 0)
            if self.current is None or number != self.current.number:
                self.post_message(self.Selected(number))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "objection-list":
            self.screen.set_focus(self.query_one("#responses", ResponseList))
            return
        if self.current is not None and event.option.id:
            self.post_message(self.ResponseChosen(self.current.number, event.option.id))

    def on_settle_keys_settled(self, event: SettleKeys.Settled) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.OutcomeChosen(self.current.number, event.outcome))
