"""Dialogs of the account screens: log an interaction, move in the funnel, add a person, type one
line, read a meeting's customer recap. Each returns a typed result (None when cancelled), and
those that take text check it first (`check` returns the refusal in words), so a refused entry
stays on screen with its reason."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from playbook.accounts.labels import stage_name
from playbook.i18n import N_, _
from playbook.model.accounts import DECISION_ROLES, FUNNEL_STAGES, INTERACTION_KINDS

from ..widgets.inputs import BoundedInput
from ..widgets.text import safe
from .dialogs import Dialog

Check = Callable[..., "str | None"]
KIND_NAMES = {"call": N_("Call"), "email": N_("E-mail"), "offer": N_("Offer"), "note": N_("Note")}
ROLE_NAMES = {"decision_maker": N_("Decision-maker"), "influencer": N_("Influencer"), "user": N_("User"),
              "champion": N_("Champion"), "blocker": N_("Blocker")}


class _Picker(OptionList):
    """A short list picked with the arrows, or a digit."""

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < self.option_count:
                event.stop()
                self.highlighted = index


class LogDialog(Dialog):
    """Log a call, an e-mail, an offer or a note: its kind (1-4), what happened, a follow-up date."""

    def __init__(self, account: str, check: Check, kind: str = "call") -> None:
        super().__init__()
        self.account = account
        self.check = check
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(_("Log with {account}").format(account=self.account)), classes="title")
            yield _Picker(*[Option(f"{i}  {_(KIND_NAMES[k])}", id=k) for i, k in enumerate(INTERACTION_KINDS, 1)], id="kind")
            yield BoundedInput(placeholder=_("What happened"), id="text", max_length=5000)
            yield BoundedInput(placeholder=_("Follow up by (optional: Friday, in 2 weeks, 2026-03-01)"), id="due", max_length=50)
            yield Static(Text(_("1-4 picks the kind, Enter goes on · Tab to move · Enter to save · Escape to cancel"), style="dim"))

    def on_mount(self) -> None:
        kinds = self.query_one("#kind", OptionList)
        kinds.highlighted = INTERACTION_KINDS.index(self.kind) if self.kind in INTERACTION_KINDS else 0
        kinds.focus()  # a digit picks the kind, Enter goes on to the text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#text", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = self.query_one("#text", Input).value
        if not text.strip():
            self.query_one("#text", Input).focus()
            return
        kinds = self.query_one("#kind", OptionList)
        kind = INTERACTION_KINDS[kinds.highlighted or 0]
        due = self.query_one("#due", Input).value
        refusal = self.check(kind, text, due)
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            return
        self.dismiss((kind, text, due))


class StageDialog(Dialog):
    """Move the account in the funnel: the stage, and why (kept with the date)."""

    def __init__(self, account: str, current: str, check: Check) -> None:
        super().__init__()
        self.account = account
        self.current = current
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(_("Move {account} in the funnel").format(account=self.account)), classes="title")
            yield _Picker(*[Option(f"{i}  {stage_name(stage)}" + ("  " + _("(now)") if stage == self.current else ""), id=stage)
                            for i, stage in enumerate(FUNNEL_STAGES, 1)], id="stage")
            yield BoundedInput(placeholder=_("Why (e.g. signed the order, chose a competitor)"), id="reason", max_length=1000)
            yield Static(Text(_("1-4 picks the stage, Enter goes on to the reason · Enter saves · Escape to cancel"), style="dim"))

    def on_mount(self) -> None:
        stages = self.query_one("#stage", OptionList)
        index = FUNNEL_STAGES.index(self.current) if self.current in FUNNEL_STAGES else 0
        stages.highlighted = min(index + 1, len(FUNNEL_STAGES) - 1)
        stages.focus()  # a digit picks the stage, Enter goes on to the reason

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        stage = FUNNEL_STAGES[self.query_one("#stage", OptionList).highlighted or 0]
        reason = self.query_one("#reason", Input).value
        refusal = self.check(stage, reason)
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            return
        self.dismiss((stage, reason))


class ContactDialog(Dialog):
    """A person at the account: name, role in the decision (1-6), job title."""

    def __init__(self, account: str, check: Check) -> None:
        super().__init__()
        self.account = account
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(_("A person at {account}").format(account=self.account)), classes="title")
            yield BoundedInput(placeholder=_("Name"), id="name", max_length=200)
            yield _Picker(Option("1  " + _("Role not known yet"), id="none"),
                          *[Option(f"{i}  {_(ROLE_NAMES[r])}", id=r) for i, r in enumerate(DECISION_ROLES, 2)], id="role")
            yield BoundedInput(placeholder=_("Job title (optional)"), id="title", max_length=200)
            yield Static(Text(_("Tab to move · 1-6 picks the role · Enter to save · Escape to cancel"), style="dim"))

    def on_mount(self) -> None:
        self.query_one("#role", OptionList).highlighted = 0
        self.query_one("#name", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = self.query_one("#name", Input).value
        if not name.strip():
            self.query_one("#name", Input).focus()
            return
        index = self.query_one("#role", OptionList).highlighted or 0
        role = "" if index == 0 else DECISION_ROLES[index - 1]
        title = self.query_one("#title", Input).value
        refusal = self.check(name, role, title)
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            return
        self.dismiss((name, role, title))


class LineDialog(Dialog):
    """One line of text (an objective, a research note, a new account's name)."""

    def __init__(self, title: str, value: str = "", placeholder: str = "", check: Check | None = None, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.check = check
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(self.title_text), classes="title")
            if self.note:
                yield Static(safe(self.note, "dim italic"))
            yield BoundedInput(self.value, placeholder=self.placeholder, id="line", max_length=2000)
            yield Static(Text(_("Enter to save · Escape to cancel"), style="dim"))

    def on_mount(self) -> None:
        self.query_one("#line", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        refusal = self.check(event.value) if self.check else None
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            return
        self.dismiss(event.value)


class RecapDialog(Dialog):
    """A meeting's customer recap, as it would be sent; y copies it."""

    BINDINGS = [Binding("y", "copy", N_("Copy recap"), id="recap.copy"), Binding("enter", "cancel", N_("Close"), id="recap.close")]

    def __init__(self, title: str, markdown: str) -> None:
        super().__init__()
        self.title_text = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog recap"):
            yield Label(safe(self.title_text), classes="title")
            with VerticalScroll(id="recap-box"):
                yield Markdown(self.markdown, id="recap")
            yield Static(Text(_("y copies it · Enter or Escape to close"), style="dim"))

    def on_mount(self) -> None:
        self.query_one("#recap-box").focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        self.notify(_("Customer recap copied (if your terminal allows clipboard access)"), timeout=3, markup=False)


class ObjectivesDialog(Dialog):
    """Check off the meeting's objectives (space ticks, Enter saves)."""

    BINDINGS = [Binding("enter", "save", N_("Save"), priority=True, id="objectives.save")]

    def __init__(self, objectives) -> None:
        super().__init__()
        self.objectives = objectives

    def compose(self) -> ComposeResult:
        from textual.widgets import SelectionList
        from textual.widgets.selection_list import Selection

        with Vertical(classes="dialog"):
            yield Label(_("Objectives met (space to tick, Enter to save)"), classes="title")
            yield SelectionList[int](*[Selection(safe(o.text), o.number, o.met) for o in self.objectives], id="objectives")

    def on_mount(self) -> None:
        self.query_one("#objectives").focus()

    def action_save(self) -> None:
        from textual.widgets import SelectionList

        self.dismiss(frozenset(self.query_one("#objectives", SelectionList).selected))
