"""The help screen: every key, from the bindings themselves, so it never goes stale."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "Keyboard first: the mouse works but is never needed. Everything you do is saved at once;\n"
    "if the laptop dies, run `playbook run` again and resume the meeting.\n"
    "Ctrl+P opens the command palette with every action."
)

SECTIONS = [
    ("Meeting screen", "tui.screens.meeting", "MeetingScreen"),
    ("Customer says box", "tui.widgets.objection_panel", "SaysInput"),
    ("Objections / responses", "tui.widgets.objection_panel", "ResponseList"),
    ("Action plan", "tui.widgets.plan_panel", "PlanList"),
    ("Qualification checklist", "tui.widgets.checklist", "QuestionList"),
    ("Guidance", "tui.widgets.guidance_panel", "GuidancePanel"),
    ("Summary screen", "tui.screens.summary", "SummaryScreen"),
    ("Accounts", "tui.screens.accounts", "AccountsScreen"),
    ("Account", "tui.screens.account", "AccountScreen"),
    ("Prepare", "tui.screens.prepare", "PrepareScreen"),
    ("Agenda", "tui.screens.agenda", "AgendaScreen"),
    ("Everywhere", "tui.app", "PlaybookApp"),
]


def _bindings_table() -> Table:
    import importlib

    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for title, module, name in SECTIONS:
        cls = getattr(importlib.import_module(module), name)
        table.add_row(f"[bold]{title}[/bold]", "")
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                keys = binding.key_display or binding.key
                table.add_row(f"  {keys}", binding.description)
    table.add_row("  Enter", "answer the highlighted question / record the objection / act on guidance")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close help", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(INTRO)
            yield Static(_bindings_table())
