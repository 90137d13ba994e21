"""Small modal dialogs, each returning a typed result (None when cancelled with Escape)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from playbook.meeting.guidance import Guidance
from playbook.model import Closing, Question, Signal


class Dialog(ModalScreen):
    """Escape cancels any dialog."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class AnswerDialog(Dialog):
    """The answer to one question: pick from its answers, or type a number or text."""

    def __init__(self, question: Question, current: str | float | None = None) -> None:
        super().__init__()
        self.question = question
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question.text, classes="title")
            if self.question.why:
                yield Static(Text(self.question.why, style="dim italic"))
            if self.question.type in ("yesno", "choice"):
                options = OptionList(
                    *[Option(Text(f"{i}  {a.label}" + (f"\n   {a.means}" if a.means else "")), id=a.key)
                      for i, a in enumerate(self.question.answers, 1)],
                    id="choices",
                )
                yield options
            else:
                placeholder = f"a number ({self.question.unit})" if self.question.type == "number" else "what the customer said"
                yield Input(value="" if self.current is None else str(self.current), placeholder=placeholder, id="value",
                            type="number" if self.question.type == "number" else "text", max_length=500)
            yield Static(Text("Enter to confirm · Escape to cancel", style="dim"))

    def on_mount(self) -> None:
        if self.question.type in ("yesno", "choice"):
            choices = self.query_one("#choices", OptionList)
            keys = [a.key for a in self.question.answers]
            choices.highlighted = keys.index(self.current) if self.current in keys else 0
            choices.focus()
        else:
            self.query_one("#value", Input).focus()

    def on_key(self, event) -> None:
        # Digits pick a choice directly, as in the checklist.
        if self.question.type in ("yesno", "choice") and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.question.answers):
                event.stop()
                self.dismiss(self.question.answers[index].key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value)


class TextDialog(Dialog):
    """One line of text, such as a note."""

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="title")
            yield Input(placeholder=self.placeholder, id="text", max_length=2000)
            yield Static(Text("Enter to save · Escape to cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value)


class ActionDialog(Dialog):
    """An action-plan item: what, who, by when."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("New action", classes="title")
            yield Input(placeholder="What (e.g. send the proposal)", id="what", max_length=500)
            yield Input(placeholder="Who (e.g. me, Anna)", id="who", max_length=100)
            yield Input(placeholder="By when (e.g. Friday, 2026-12-01)", id="when", max_length=50)
            yield Static(Text("Tab to move · Enter to save · Escape to cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        what = self.query_one("#what", Input).value
        if not what.strip():
            self.query_one("#what", Input).focus()
            return
        self.dismiss((what, self.query_one("#who", Input).value, self.query_one("#when", Input).value))


class SignalDialog(Dialog):
    """Tick the buying signals observed; Enter saves."""

    # Enter saves even though the list has focus (space ticks).
    BINDINGS = [Binding("enter", "save", "Save", priority=True, id="signals.save")]

    def __init__(self, signals: tuple[Signal, ...], observed: frozenset[str]) -> None:
        super().__init__()
        self.signals = signals
        self.observed = observed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Buying signals (space to tick, Enter to save)", classes="title")
            yield SelectionList[str](*[Selection(s.name, s.id, s.id in self.observed) for s in self.signals], id="signals")

    def on_mount(self) -> None:
        self.query_one("#signals", SelectionList).focus()

    def action_save(self) -> None:
        self.dismiss(frozenset(self.query_one("#signals", SelectionList).selected))


class CloseDialog(Dialog):
    """Record a closing attempt: did the customer agree?"""

    BINDINGS = [Binding("y", "result(True)", "Agreed", id="close.agreed"), Binding("n", "result(False)", "Not yet", id="close.failed")]

    def __init__(self, closing: Closing) -> None:
        super().__init__()
        self.closing = closing

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.closing.name, classes="title")
            yield Static(self.closing.description)
            yield Static(Text(f"“{self.closing.example}”", style="italic"))
            if self.closing.avoid_when:
                yield Static(Text("Avoid when: " + "; ".join(self.closing.avoid_when), style="dim"))
            with Horizontal(classes="buttons"):
                yield Button("y  Agreed", id="yes", variant="success")
                yield Button("n  Not yet", id="no", variant="warning")

    def action_result(self, agreed: bool) -> None:
        self.dismiss(agreed)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class InfoDialog(Dialog):
    """Read-only text, such as 'why am I seeing this?'."""

    BINDINGS = [Binding("enter", "cancel", "Close", id="info.close")]

    def __init__(self, title: str, body: Text | str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="title")
            yield Static(self.body)
            yield Static(Text("Enter or Escape to close", style="dim"))


def why_text(item: Guidance) -> Text:
    text = Text()
    text.append(item.text + "\n\n")
    text.append("Source: ", style="bold")
    text.append(item.source + "\n")
    if item.why:
        text.append("Why: ", style="bold")
        text.append(item.why + "\n")
    text.append(f"Priority {item.priority}", style="dim")
    return text
