"""Small modal dialogs, each returning a typed result (None when cancelled with Escape).

Dialogs that take text check it before closing (`check` returns the refusal in words, or None),
so a refused entry stays in the box, with the reason, instead of being lost. Those that keep a
draft hand it to `on_draft` as the rep types, on Escape and when the app ends with them open.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from playbook.i18n import N_, _
from playbook.meeting.guidance import Guidance
from playbook.model import Closing, Objection, Question, Signal

from ..widgets.inputs import BoundedInput
from ..widgets.text import in_words, safe

Check = Callable[..., "str | None"]
DRAFT_SAVE_SECONDS = 0.8  # a draft reaches the store this long after the rep stops typing (any box)
NOTE_MAX = 50_000
MEETING_OUTCOME_CHOICES = (("won", N_("Won: the customer agreed")), ("lost", N_("Lost: the customer said no")),
                           ("next_meeting", N_("Next meeting agreed")), ("no_decision", N_("No decision yet")))


class Dialog(ModalScreen):
    """Escape cancels any dialog."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class DraftDialog(Dialog):
    """A dialog whose text is never lost: handed to `on_draft` a moment after the rep stops typing
    (a kill then loses nothing), on Escape, and on unmount when the app ends with it open (quitting,
    a closed terminal or browser tab). Saving it hands "" instead, and no timer brings the text back.
    `on_draft` reports a failed save itself (the screen's "Draft NOT SAVED")."""

    def __init__(self, on_draft: Callable[[str], None] | None) -> None:
        super().__init__()
        self.on_draft = on_draft
        self._draft_timer: Timer | None = None
        # Dismissed: the draft was handed over (Escape) or cleared (saved). Not `_closed`: that is
        # Textual's flag for a closed message pump (set, it hung the dialog).
        self._settled = False

    def typed(self) -> str | None:
        """The draft as it is kept ("" when nothing is worth keeping); None: no box, nothing to say."""
        raise NotImplementedError

    def hand_draft(self, text: str | None) -> None:
        if self.on_draft is not None and text is not None:
            self.on_draft(text)

    def _keep_typed(self) -> None:
        """Hand over what is typed now, unless the dialog is settled (Escape handed it, saving cleared it)."""
        if not self._settled:
            self.hand_draft(self.typed())

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typing(self, event: Input.Changed | TextArea.Changed) -> None:
        if self.on_draft is None or self._settled:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_SAVE_SECONDS, self._keep_typed)

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Closed: a timer still running would save again what Escape or saving just settled."""
        self._settled = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        return super().dismiss(result)

    def action_cancel(self) -> None:
        """Escape: what was typed (and not saved) is kept as a draft for next time."""
        self._keep_typed()
        self.dismiss(None)

    def on_unmount(self) -> None:
        # Removed while still open (not settled): the app is ending. The boxes are gone from the
        # DOM by now, so `typed` reads them through references kept at compose. Nothing may raise.
        try:
            self._keep_typed()
        except Exception:  # the screen handing the draft on is being taken apart too
            pass


class ChoiceDialog(Dialog):
    """Pick one of a few options: digits pick directly, Enter picks the highlighted one."""

    def __init__(self, title: str, choices: list[tuple[str, Text | str]], note: str = "", highlighted: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.note = note
        self.start = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(self.title_text), classes="title")
            if self.note:
                yield Static(safe(self.note, "dim italic"))
            yield OptionList(*[Option(Text.assemble(f"{i}  ", label if isinstance(label, Text) else safe(label)), id=ident)
                               for i, (ident, label) in enumerate(self.choices, 1)], id="choices")
            yield Static(Text(_("1-9 or Enter to choose · Escape to cancel"), style="dim"))

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = self.start
        choices.focus()

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.choices):
                event.stop()
                self.dismiss(self.choices[index][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class AnswerDialog(DraftDialog):
    """The answer to one question: pick from its answers, or type a number or text."""

    def __init__(self, question: Question, current: str | float | None = None, check: Check | None = None,
                 draft: str = "", on_draft: Callable[[str], None] | None = None) -> None:
        super().__init__(on_draft)
        self.question = question
        self.current = current
        self.check = check
        self.draft = draft
        self._value: Input | None = None  # the box of a number or text question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(self.question.text), classes="title")
            if self.question.why:
                yield Static(safe(self.question.why, "dim italic"))
            if self.question.type in ("yesno", "choice"):
                options = OptionList(
                    *[Option(safe(f"{i}  {a.label}" + (f"\n   {a.means}" if a.means else "")), id=a.key)
                      for i, a in enumerate(self.question.answers, 1)],
                    id="choices",
                )
                yield options
            else:
                placeholder = _("a number ({unit})").format(unit=self.question.unit) if self.question.type == "number" else _("what the customer said")
                value = self.draft or ("" if self.current is None else str(self.current))
                self._value = BoundedInput(value=value, placeholder=placeholder, id="value",
                                           type="number" if self.question.type == "number" else "text", max_length=500)
                yield self._value
            yield Static(Text(_("Enter to confirm · Escape to cancel"), style="dim"))

    def on_mount(self) -> None:
        if self.question.type in ("yesno", "choice"):
            choices = self.query_one("#choices", OptionList)
            keys = [a.key for a in self.question.answers]
            choices.highlighted = keys.index(self.current) if self.current in keys else 0
            choices.focus()
        else:
            self.query_one("#value", Input).focus()

    def on_key(self, event: events.Key) -> None:
        # Digits pick a choice directly, as in the checklist.
        if self.question.type in ("yesno", "choice") and event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.question.answers):
                event.stop()
                self._done(self.question.answers[index].key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._done(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._done(event.value)

    def _done(self, value: str | None) -> None:
        refusal = self.check(value) if self.check and value is not None else None
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            return
        self.hand_draft("")
        self.dismiss(value)

    def typed(self) -> str | None:
        """What is typed, unless it is the answer already saved (then no draft)."""
        if self._value is None:
            return None
        typed = self._value.value
        return typed if typed != ("" if self.current is None else str(self.current)) else ""


class NoteArea(TextArea):
    """The note box: Enter saves (a paste keeps its line breaks), ctrl+s too."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.screen.action_save()  # type: ignore[attr-defined]


class NoteDialog(DraftDialog):
    """A note, as long as it needs to be (a pasted e-mail); Escape keeps what was typed as a draft."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), priority=True, id="note.save"),
                Binding("escape", "cancel", N_("Keep as draft"), id="note.cancel")]

    def __init__(self, draft: str = "", check: Check | None = None, on_draft: Callable[[str], None] | None = None) -> None:
        super().__init__(on_draft)
        self.draft = draft
        self.check = check
        self._area: TextArea | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Note"), classes="title")
            self._area = NoteArea(self.draft, id="text", soft_wrap=True, show_line_numbers=False, max_checkpoints=100)
            yield self._area
            yield Static(Text(_("Enter or ctrl+s to save · Escape keeps it as a draft"), style="dim"))

    def on_mount(self) -> None:
        area = self.query_one("#text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one("#text", TextArea).text
        if not text.strip():
            return
        if len(text) > NOTE_MAX:
            self.notify(_("The note is {length:,} characters long; a note holds at most {most:,}. Split it in two.").format(length=len(text), most=NOTE_MAX),
                        severity="warning", markup=False)
            return
        refusal = self.check(text) if self.check else None
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            return
        self.hand_draft("")
        self.dismiss(text)

    def typed(self) -> str | None:
        return None if self._area is None else self._area.text


class ActionDialog(DraftDialog):
    """An action-plan item: what, who, by when (a date, or words: Friday, in 2 weeks...)."""

    # Tab moves at once (priority), before the keys typed after it are handed out: "send it⇥me"
    # in one burst fills what and who, not "send itme" in what.
    BINDINGS = [Binding("tab", "app.focus_next", show=False, priority=True, id="action.next"),
                Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="action.previous")]

    def __init__(self, what: str = "", who: str = "", when: str = "", check: Check | None = None, title: str = "",
                 on_draft: Callable[[str], None] | None = None) -> None:
        super().__init__(on_draft)
        self.values = (what, who, when)
        self.check = check
        self.title_text = title or _("New action")
        self._fields: tuple[Input, ...] = ()  # what, who, when

    def typed(self) -> str | None:
        """A new action half typed: its three fields, one a line ("" when all are blank)."""
        if not self._fields:
            return None
        fields = [field.value for field in self._fields]
        return "\n".join(fields) if any(f.strip() for f in fields) else ""

    def compose(self) -> ComposeResult:
        what, who, when = self.values
        self._fields = (BoundedInput(what, placeholder=_("What (e.g. send the proposal)"), id="what", max_length=500),
                        BoundedInput(who, placeholder=_("Who (e.g. me, Anna)"), id="who", max_length=100),
                        BoundedInput(when, placeholder=_("By when (e.g. Friday, in 2 weeks, 2026-12-01)"), id="when", max_length=50))
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="title")
            yield from self._fields
            yield Static(Text(_("Tab to move · Enter to save · Escape to cancel"), style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        what = self.query_one("#what", Input).value
        if not what.strip():
            self.query_one("#what", Input).focus()
            return
        result = (what, self.query_one("#who", Input).value, self.query_one("#when", Input).value)
        refusal = self.check(*result) if self.check else None
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            when = result[2].strip()
            if when and when in refusal:  # a refused due date is quoted in the refusal, in any language
                self.query_one("#when", Input).focus()
            return
        self.hand_draft("")
        self.dismiss(result)


class SignalDialog(Dialog):
    """Tick the buying signals observed; Enter saves."""

    # Enter saves even though the list has focus (space ticks).
    BINDINGS = [Binding("enter", "save", N_("Save"), priority=True, id="signals.save")]

    def __init__(self, signals: tuple[Signal, ...], observed: frozenset[str]) -> None:
        super().__init__()
        self.signals = signals
        self.observed = observed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Buying signals (space to tick, Enter to save)"), classes="title")
            yield SelectionList[str](*[Selection(safe(s.name), s.id, s.id in self.observed) for s in self.signals], id="signals")

    def on_mount(self) -> None:
        self.query_one("#signals", SelectionList).focus()

    def action_save(self) -> None:
        self.dismiss(frozenset(self.query_one("#signals", SelectionList).selected))


class CloseDialog(Dialog):
    """Record a closing attempt: did the customer agree?"""

    BINDINGS = [Binding("y", "result(True)", N_("Agreed"), id="close.agreed"), Binding("n", "result(False)", N_("Not yet"), id="close.failed")]

    def __init__(self, closing: Closing, example: str | None = None) -> None:
        super().__init__()
        self.closing = closing
        self.example = closing.example if example is None else example  # worded for the meeting

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(self.closing.name), classes="title")
            yield Static(safe(self.closing.description))
            yield Static(safe(f"“{self.example}”", "italic"))
            if self.closing.avoid_when:
                yield Static(safe(_("Avoid when: {conditions}").format(conditions="; ".join(self.closing.avoid_when)), "dim"))
            with Horizontal(classes="buttons"):
                yield Button(Text("y  " + _("Agreed")), id="yes", variant="success")
                yield Button(Text("n  " + _("Not yet")), id="no", variant="warning")

    def action_result(self, agreed: bool) -> None:
        self.dismiss(agreed)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class InfoDialog(Dialog):
    """Read-only text, such as 'why am I seeing this?'."""

    BINDINGS = [Binding("enter", "cancel", N_("Close this window"), id="info.close")]

    def __init__(self, title: str, body: Text | str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(self.title_text), classes="title")
            yield Static(self.body if isinstance(self.body, Text) else safe(self.body))
            yield Static(Text(_("Enter or Escape to close"), style="dim"))


def outcome_dialog(current: str = "") -> ChoiceDialog:
    keys = [key for key, _label in MEETING_OUTCOME_CHOICES]
    return ChoiceDialog(_("How did the meeting end?"), [(key, _(label)) for key, label in MEETING_OUTCOME_CHOICES],
                        highlighted=keys.index(current) if current in keys else 0)


def situation_dialog(objection: Objection, current: str | None) -> ChoiceDialog:
    choices = [(s.id, Text.assemble(safe(s.title, "bold"), safe(f"\n   {s.description}", "dim") if s.description else ""))
               for s in objection.situations]
    ids = [s.id for s in objection.situations]
    return ChoiceDialog(_("What is behind this {objection} objection?").format(objection=objection.title.lower()), choices,
                        _("The responses are ranked for the situation you pick."), ids.index(current) if current in ids else 0)


def category_dialog(objections: tuple[Objection, ...], signal: Signal | None) -> ChoiceDialog:
    """When no objection is recognised: a buying signal, not an objection at all, or which one."""
    choices: list[tuple[str, Text | str]] = []
    if signal is not None:
        choices.append((f"signal:{signal.id}", Text.assemble(_("Buying signal: "), safe(signal.name, "bold green"), _(" (record it as one)"))))
    choices.append(("none", Text.assemble(Text(_("Not an objection"), style="bold"), _(" (keep what they said as a note)"))))
    choices += [(o.id, safe(o.title)) for o in objections]
    return CategoryDialog(_("What did the customer say?"), choices)


class CategoryDialog(ChoiceDialog):
    """The picker for words the matcher did not recognise as an objection."""


def why_text(item: Guidance) -> Text:
    text = Text()
    text.append_text(safe(item.text + "\n\n"))
    text.append(_("Source: "), style="bold")
    text.append_text(safe(item.source + "\n"))
    if item.why:
        text.append(_("Why: "), style="bold")
        text.append_text(safe(in_words(item.why) + "\n"))
    text.append(_("Priority {priority}").format(priority=item.priority), style="dim")
    return text
