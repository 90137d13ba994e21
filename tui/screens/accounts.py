"""The accounts screen: every account, last contacted first, found by typing part of a name; and
where the value is (by funnel stage, by need, the 80/20 by value), as a chart beside the list."""

from __future__ import annotations

import textwrap
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from playbook.accounts import AccountBook, AccountError
from playbook.accounts.labels import stage_name
from playbook.accounts.segments import chart, segments
from playbook.i18n import N_, _, number
from playbook.model.accounts import AccountLine

from ..widgets.footer import Footer
from ..widgets.text import plain, safe
from .account_dialogs import LineDialog

SHOWN = 1000  # rows in the list before typing narrows it
SEGMENT_VIEWS = ("stage", "need", "value")


class AccountsScreen(Screen[None]):
    CSS_PATH = "accounts.tcss"
    BINDINGS = [
        Binding("slash,f", "find", N_("Find"), tooltip=N_("Find an account by name or id"), id="accounts.find"),
        Binding("n", "new_account", N_("New account"), id="accounts.new"),
        Binding("v", "segments", N_("Segments"), tooltip=N_("Where the value is: by stage, need, value (80/20); again to change"),
                id="accounts.segments"),
        Binding("escape", "back", N_("Back"), id="accounts.back"),
    ]

    def __init__(self, book: AccountBook) -> None:
        super().__init__()
        self.book = book
        self.lines: dict[int, AccountLine] = {}
        self.order: list[int] = []
        self.view = -1  # index in SEGMENT_VIEWS, -1: no chart

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Find an account: part of its name, or its id (Enter opens it)"), id="account-filter")
        with Horizontal(id="accounts-body"):
            yield DataTable(id="accounts", cursor_type="row", zebra_stripes=True)
            with Vertical(id="segments-box"):
                yield Static(id="segments")
        yield Static(id="accounts-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = _("Accounts")
        table = self.query_one("#accounts", DataTable)
        table.add_columns(_("Company"), _("Stage"), _("Value"), _("Need"), _("Last contact"), _("Next due"), _("Meetings"))
        self.query_one("#segments-box").display = False
        self.reload()
        table.focus()

    def reload(self) -> None:
        lines = self.book.lines()
        self.lines = {line.account.id: line for line in lines}
        self.order = [line.account.id for line in lines]
        self.show(self.order[:SHOWN])
        self.app.report_damage() if hasattr(self.app, "report_damage") else None

    def show(self, ids: list[int]) -> None:
        table = self.query_one("#accounts", DataTable)
        table.clear()
        today = datetime.fromtimestamp(self.book.clock()).strftime("%Y-%m-%d")
        for account_id in ids:
            line = self.lines.get(account_id)
            if line is None:
                continue
            a = line.account
            due = Text(line.next_due, style="bold red" if line.next_due and line.next_due < today else "")
            last = datetime.fromtimestamp(a.last_contact_at).strftime("%Y-%m-%d") if a.last_contact_at else ""
            table.add_row(safe(a.name, one_line=True), stage_name(a.stage), "" if a.value is None else number(a.value),
                          safe(a.need, one_line=True), last, due, str(line.meetings), key=str(account_id))
        total = len(self.order)
        hint = (_("{shown} of {total} accounts · Enter opens one · n new · v segments · / find").format(shown=len(ids), total=total)
                if total else _("No accounts yet: n adds one; meetings started with a company add theirs."))
        self.query_one("#accounts-hint", Static).update(Text(hint, style="dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if not text:
            self.show(self.order[:SHOWN])
            return
        self.show([c.account_id for c in self.book.index.search(text, limit=50)])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one("#accounts", DataTable)
        if table.row_count:
            self.open(int(table.coordinate_to_cell_key((0, 0)).row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open(int(event.row_key.value))

    def open(self, account_id: int) -> None:
        from .account import AccountScreen

        self.app.push_screen(AccountScreen(self.book, account_id))

    def on_screen_resume(self) -> None:
        if self.lines:  # back from an account: what changed there shows here
            self.reload()
            self.app.sub_title = _("Accounts")

    def action_find(self) -> None:
        self.query_one("#account-filter", Input).focus()

    def action_back(self) -> None:
        box = self.query_one("#account-filter", Input)
        if box.has_focus and box.value:
            box.value = ""
            return
        if box.has_focus:
            self.query_one("#accounts", DataTable).focus()
            return
        self.app.pop_screen()

    def action_new_account(self) -> None:
        created: list[int] = []

        def check(name: str) -> str | None:
            try:
                created.append(self.book.add(name, "prospect").id)
            except AccountError as error:
                return str(error)
            return None

        def opened(_name: str | None) -> None:
            if created:
                self.reload()
                self.open(created[0])

        self.app.push_screen(LineDialog(_("New account"), placeholder=_("The company's name"), check=check), opened)

    def action_segments(self) -> None:
        self.view = self.view + 1 if self.view + 1 < len(SEGMENT_VIEWS) else -1
        box = self.query_one("#segments-box")
        box.display = self.view >= 0
        if self.view >= 0:
            self.call_after_refresh(self.draw_segments)  # once the box is laid out, the chart fits its width

    def draw_segments(self) -> None:
        if self.view < 0:
            return
        view = segments(self.book, SEGMENT_VIEWS[self.view])
        # Two columns fewer than the box: its scrollbar appears once the chart is taller than the screen.
        width = max(28, (self.query_one("#segments", Static).content_size.width or self.app.size.width // 2 - 6) - 2)
        rows = [f"{plain(s.label or '-')[:20]:20} {s.accounts:>6} {s.share:>4.0f}%" for s in view.segments]
        body = "\n".join(rows) + "\n\n" + textwrap.fill(view.pareto_line(), width) + "\n\n" + (chart(view, width=width, height=12) if view.accounts else "")
        self.query_one("#segments", Static).update(Text(body, no_wrap=True, overflow="crop"))
