"""The agenda: follow-ups across every account, overdue first, then today, then this week. Space
ticks one done (a meeting's action is ticked in that meeting), Enter opens its account, r shows
the customer recap of the meeting it came from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from playbook.accounts import AccountBook, AccountError, agenda, complete
from playbook.accounts.timeline import KIND_LABELS, customer_recap
from playbook.i18n import N_, _
from playbook.meeting import SessionError
from playbook.model.accounts import FollowUp
from playbook.store import StoreError

from ..widgets.footer import Footer
from ..widgets.layout import hanging
from ..widgets.text import safe
from .account_dialogs import RecapDialog


class AgendaScreen(Screen[None]):
    CSS_PATH = "accounts.tcss"
    BINDINGS = [
        Binding("space", "done", N_("Done"), tooltip=N_("Tick the highlighted follow-up done"), id="agenda.done"),
        Binding("r", "recap", N_("Recap"), tooltip=N_("The customer recap of the meeting it came from"), id="agenda.recap"),
        Binding("escape", "back", N_("Back"), id="agenda.back"),
    ]

    def __init__(self, book: AccountBook) -> None:
        super().__init__()
        self.book = book
        self.items: dict[str, FollowUp] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agenda-head")
        yield OptionList(id="agenda")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#agenda", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        plan = agenda(self.book)
        self.app.sub_title = _("Agenda")
        head = Text(_("Follow-ups as of {day}").format(day=plan.today.isoformat()), style="bold")
        head.append("   " + _("space done · Enter account · r recap"), style="dim")
        self.query_one("#agenda-head", Static).update(head)
        listing = self.query_one("#agenda", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        self.items = {}
        for title, items, style in ((_("Overdue"), plan.overdue, "bold red"), (_("Today"), plan.due_today, "bold yellow"),
                                    (_("This week"), plan.this_week, "bold")):
            listing.add_option(Option(Text(f"{title} ({len(items)})", style=f"{style} underline"), disabled=True))
            for item in items:
                self.items[item.ref] = item
                line = Text()
                line.append(item.due + "  ", style=style if item in plan.overdue else "cyan")
                line.append_text(safe(item.account, "bold", one_line=True))
                kind = "" if item.kind == "action" else _("{label}: ").format(label=_(KIND_LABELS.get(item.kind, item.kind)))
                line.append_text(safe(f"  {kind}{item.text.splitlines()[0] if item.text else ''}"
                                      + (f" ({item.owner})" if item.owner else ""), one_line=True))
                listing.add_option(Option(hanging("☐", line), id=item.ref))
            if not items:
                listing.add_option(Option(Text("  " + _("nothing"), style="dim"), disabled=True))
        enabled = [i for i in range(listing.option_count) if not listing.get_option_at_index(i).disabled]
        if enabled:
            listing.highlighted = highlighted if highlighted in enabled else enabled[0]

    def _current(self) -> FollowUp | None:
        listing = self.query_one("#agenda", OptionList)
        if listing.highlighted is None:
            return None
        return self.items.get(listing.get_option_at_index(listing.highlighted).id or "")

    def action_done(self) -> None:
        item = self._current()
        if item is None:
            return
        try:
            complete(self.book, item.ref)
        except AccountError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self.notify(_("Done: {text}").format(text=item.text.splitlines()[0] if item.text else ""), timeout=3, markup=False)
        self.load()

    def action_recap(self) -> None:
        item = self._current()
        if item is None or not item.session_id:
            self.notify(_("This follow-up was logged, not agreed in a meeting: it has no recap."), markup=False)
            return
        try:
            title, markdown = customer_recap(self.book, item.session_id)
        except (SessionError, StoreError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.app.push_screen(RecapDialog(title, markdown))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        item = self.items.get(event.option.id or "")
        if item is not None and item.account_id is not None:
            from .account import AccountScreen

            self.app.push_screen(AccountScreen(self.book, item.account_id))

    def action_back(self) -> None:
        self.app.pop_screen()
