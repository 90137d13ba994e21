"""One account's living profile: its people and their role in the decision, what is still open
across its meetings, and everything that happened with it, newest first. Logging a call or an
e-mail is one key; so are preparing the next meeting, starting it, and the last meeting's recap."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from playbook.accounts import AccountBook, AccountError, complete, timeline
from playbook.accounts.labels import buying_stage_name, objection_name, stage_name, status_name
from playbook.accounts.timeline import KIND_LABELS, Timeline, customer_recap
from playbook.i18n import N_, _, number
from playbook.meeting import SessionError
from playbook.store import StoreError

from ..widgets.footer import Footer
from ..widgets.layout import hanging
from ..widgets.text import plain, safe
from .account_dialogs import ROLE_NAMES, ContactDialog, LogDialog, RecapDialog, StageDialog

ICONS = {"meeting": "◆", "stage": "→"}  # interactions: a dot and their kind in words


class AccountScreen(Screen[None]):
    CSS_PATH = "accounts.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    BINDINGS = [
        Binding("l", "log", N_("Log"), tooltip=N_("Log a call, e-mail, offer or note"), id="account.log"),
        Binding("p", "prepare", N_("Prepare"), tooltip=N_("Prepare the next meeting"), id="account.prepare"),
        Binding("n", "meeting", N_("Meeting"), tooltip=N_("Start a meeting with this account, from what is open"),
                id="account.meeting"),
        Binding("r", "recap", N_("Last recap"), tooltip=N_("The customer recap of the last meeting"), id="account.recap"),
        Binding("s", "stage", N_("Stage"), tooltip=N_("Move the account in the funnel, with a reason"), id="account.stage"),
        Binding("c", "contact", N_("Person"), tooltip=N_("Add a person and their role in the decision"), id="account.contact"),
        Binding("space", "done", N_("Done"), show=False, tooltip=N_("Tick the highlighted action or follow-up done"),
                id="account.done"),
        Binding("escape", "back", N_("Back"), id="account.back"),
    ]

    def __init__(self, book: AccountBook, account_id: int) -> None:
        super().__init__()
        self.book = book
        self.account_id = account_id
        self.shown: Timeline | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="account-facts")
        with Horizontal(id="account-body"):
            with Vertical(id="account-left"):
                yield OptionList(id="people")
                yield OptionList(id="open-items")
            yield OptionList(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#people").border_title = _("People (c)")
        self.query_one("#open-items").border_title = _("Open across meetings (space: done)")
        self.query_one("#timeline").border_title = _("Timeline, newest first (l: log)")
        self.refresh_all()
        self.query_one("#timeline", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def refresh_all(self) -> None:
        try:
            account = self.book.get(self.account_id)
        except AccountError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.shown = shown = timeline(self.book, account)
        self.app.title = plain(account.name)
        self.app.sub_title = _("Account · {stage}").format(stage=stage_name(account.stage))
        facts = Text()
        facts.append_text(safe(account.name, "bold", one_line=True))
        parts = [stage_name(account.stage)]
        if account.buying_stage:
            parts.append(_("buying: {stage}").format(stage=buying_stage_name(account.buying_stage)))
        if account.value is not None:
            parts.append(_("{value} a year").format(value=number(account.value)))
        if account.need:
            parts.append(_("need: {need}").format(need=plain(account.need)))
        if account.effort:
            parts.append(_("effort: {effort}").format(effort=account.effort))
        facts.append("  " + "  ·  ".join(parts), style="dim")
        self.query_one("#account-facts", Static).update(facts)
        self._people(shown)
        self._open_items(shown)
        self._timeline(shown)
        if hasattr(self.app, "report_damage"):
            self.app.report_damage()

    def _people(self, shown: Timeline) -> None:
        people = self.query_one("#people", OptionList)
        people.clear_options()
        for contact in shown.contacts:
            role = _(ROLE_NAMES[contact.role]) if contact.role in ROLE_NAMES else _("role not known")
            line = safe(contact.name, "bold", one_line=True)
            line.append_text(safe(f"  {role}" + (f", {contact.title}" if contact.title else ""), "dim", one_line=True))
            people.add_option(Option(line, id=f"contact:{contact.id}"))
        roles = {c.role for c in shown.contacts}
        for role in ("decision_maker", "champion"):
            if role not in roles:
                people.add_option(Option(Text(_("? no {role} known yet").format(role=_(ROLE_NAMES[role]).lower()), style="yellow"),
                                         disabled=True))

    def _open_items(self, shown: Timeline) -> None:
        listing = self.query_one("#open-items", OptionList)
        listing.clear_options()
        today = datetime.fromtimestamp(self.book.clock()).strftime("%Y-%m-%d")
        for item in shown.open_objections:
            listing.add_option(Option(hanging(Text("!", style="bold yellow"),
                                              safe(_("{category} ({status}): “{text}”").format(category=objection_name(self.app.playbook, item.detail), status=status_name(item.status), text=item.text))), disabled=True))
        for item in shown.open_actions:
            late = item.due and item.due < today
            line = Text.assemble(safe(item.due or _("no date"), "bold red" if late else "cyan"),
                                 safe(f"  {item.text}" + (f" ({item.detail})" if item.detail else "")))
            listing.add_option(Option(hanging("☐", line), id=f"A:{item.session_id}#{item.number}"))
        for follow in shown.follow_ups:
            late = follow.due < today
            line = Text.assemble(safe(follow.due, "bold red" if late else "cyan"), safe("  " + _("{label}: {text}").format(label=_(KIND_LABELS[follow.kind]), text=follow.text)))
            listing.add_option(Option(hanging("☐", line), id=f"F:{follow.id}"))
        if not listing.option_count:
            listing.add_option(Option(Text(_("nothing open"), style="dim"), disabled=True))

    def _timeline(self, shown: Timeline) -> None:
        listing = self.query_one("#timeline", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for entry in shown.entries:
            when = datetime.fromtimestamp(entry.at).strftime("%Y-%m-%d %H:%M")
            head = Text()
            head.append(when + "  ", style="dim")
            if entry.kind in KIND_LABELS and entry.kind not in ICONS:
                head.append(_("{label}: ").format(label=_(KIND_LABELS[entry.kind])), style="italic")
            head.append_text(safe(entry.text.split("\n")[0], "bold" if entry.kind == "meeting" else "", one_line=True))
            lines = [head]
            if entry.detail:
                lines.append(safe(entry.detail, "dim"))
            listing.add_option(Option(hanging(ICONS.get(entry.kind, "•"), *lines),
                                      id=entry.ref if entry.kind == "meeting" else None))
        if not listing.option_count:
            listing.add_option(Option(Text(_("nothing yet: l logs a call or an e-mail, n starts a meeting"), style="dim"),
                                      disabled=True))
        elif highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted

    # -- actions --------------------------------------------------------------------------------

    def _run(self, intent, *args) -> str | None:
        try:
            intent(*args)
        except (AccountError, SessionError, StoreError) as error:
            return str(error)
        self.refresh_all()
        return None

    def action_log(self) -> None:
        account = self.book.get(self.account_id)
        language = getattr(getattr(self.app, "playbook", None), "language", "en")
        check = lambda kind, text, due: self._run(self.book.log, account, kind, text, due, language)  # noqa: E731
        self.app.push_screen(LogDialog(account.name, check), lambda done: done and self.notify(_("Logged"), timeout=2))

    def action_stage(self) -> None:
        account = self.book.get(self.account_id)
        check = lambda stage, reason: self._run(self.book.set_stage, account, stage, reason)  # noqa: E731
        self.app.push_screen(StageDialog(account.name, account.stage, check))

    def action_contact(self) -> None:
        account = self.book.get(self.account_id)
        check = lambda name, role, title: self._run(self.book.add_contact, account, name, role, title)  # noqa: E731
        self.app.push_screen(ContactDialog(account.name, check))

    def action_done(self) -> None:
        listing = self.query_one("#open-items", OptionList)
        if listing.highlighted is None:
            return
        ref = listing.get_option_at_index(listing.highlighted).id
        if not ref:
            return
        refusal = self._run(complete, self.book, ref)
        self.notify(refusal or _("Done"), severity="warning" if refusal else "information", timeout=3, markup=False)

    def action_recap(self, session_id: str | None = None) -> None:
        session_id = session_id or (self.shown.last_meeting if self.shown else None)
        if not session_id:
            self.notify(_("No meeting with this account yet."), markup=False)
            return
        try:
            title, markdown = customer_recap(self.book, session_id)
        except (SessionError, StoreError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.app.push_screen(RecapDialog(title, markdown))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "timeline" and event.option.id:
            self.action_recap(event.option.id)
        elif event.option_list.id == "open-items":
            self.action_done()

    def action_prepare(self) -> None:
        from .prepare import PrepareScreen

        self.app.push_screen(PrepareScreen(self.book, self.account_id))

    def action_meeting(self) -> None:
        start = getattr(self.app, "start_account_meeting", None)
        if start is not None:
            start(self.book.get(self.account_id))

    def action_back(self) -> None:
        self.app.pop_screen()
