"""The help screen: every key, from the bindings themselves, so it never goes stale."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from playbook.i18n import N_, _

INTRO = N_(
    "Keyboard first: the mouse works but is never needed. Everything you do is saved at once;\n"
    "if the laptop dies, run `playbook run` again and resume the meeting.\n"
    "Ctrl+P opens the command palette with every action."
)

SECTIONS = [
    (N_("Meeting screen"), "tui.screens.meeting", "MeetingScreen"),
    (N_("Customer says box"), "tui.widgets.objection_panel", "SaysInput"),
    (N_("Objections / responses"), "tui.widgets.objection_panel", "ResponseList"),
    (N_("Action plan"), "tui.widgets.plan_panel", "PlanList"),
    (N_("Qualification checklist"), "tui.widgets.checklist", "QuestionList"),
    (N_("Guidance"), "tui.widgets.guidance_panel", "GuidancePanel"),
    (N_("Summary screen"), "tui.screens.summary", "SummaryScreen"),
    (N_("Accounts"), "tui.screens.accounts", "AccountsScreen"),
    (N_("Account"), "tui.screens.account", "AccountScreen"),
    (N_("Prepare"), "tui.screens.prepare", "PrepareScreen"),
    (N_("Agenda"), "tui.screens.agenda", "AgendaScreen"),
    (N_("Everywhere"), "tui.app", "PlaybookApp"),
]


def _bindings_table() -> Table:
    import importlib

    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for title, module, name in SECTIONS:
        cls = getattr(importlib.import_module(module), name)
        table.add_row(Text(_(title), style="bold"), "")
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                keys = binding.key_display or binding.key
                table.add_row(Text(f"  {keys}"), Text(_(binding.description)))  # marked with N_ at import time
    table.add_row(Text("  " + _("Enter")), Text(_("answer the highlighted question / record the objection / act on guidance")))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", N_("Close help"), id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(Text(_(INTRO)))
            yield Static(_bindings_table())
