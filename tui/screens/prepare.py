"""The Prepare screen: before the next meeting with an account, what is known and what is not,
next to the playbook's preparation; the rep sets the meeting's objectives (picked from the ideas
or typed), ticks the checklist, notes what the research found, then starts the meeting, which
carries the objectives and the open items of the meetings before it."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from playbook.accounts import AccountBook, AccountError, PrepSheet, prepare, save_preparation
from playbook.accounts.labels import objection_name, stage_name, status_name
from playbook.i18n import N_, _
from playbook.model import SALES_MEETING

from ..widgets.footer import Footer
from ..widgets.layout import hanging
from ..widgets.text import plain, safe
from .account_dialogs import ROLE_NAMES, LineDialog

UNANSWERED_SHOWN = 6


class PrepareScreen(Screen[None]):
    CSS_PATH = "accounts.tcss"
    BINDINGS = [
        Binding("o", "add_objective", N_("Objective"), tooltip=N_("Add an objective of your own"), id="prepare.objective"),
        Binding("enter", "choose", N_("Pick/tick"), tooltip=N_("Take the highlighted idea as an objective, tick, or note research"),
                id="prepare.choose"),
        Binding("space", "choose", N_("Tick"), show=False, id="prepare.tick"),
        Binding("delete", "remove", N_("Remove"), show=False, tooltip=N_("Remove the highlighted objective"), id="prepare.remove"),
        Binding("t", "meeting_type", N_("Type"), tooltip=N_("The kind of meeting: sales meeting, account review..."),
                id="prepare.type"),
        Binding("n", "start", N_("Start meeting"), id="prepare.start"),
        Binding("escape", "back", N_("Back"), id="prepare.back"),
    ]

    def __init__(self, book: AccountBook, account_id: int, meeting_type: str | None = None) -> None:
        super().__init__()
        self.book = book
        self.account_id = account_id
        self.meeting_type = meeting_type
        self.sheet: PrepSheet | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="prepare-head")
        yield OptionList(id="prep")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#prep", OptionList).focus()

    @property
    def playbook(self):
        return self.app.playbook  # type: ignore[attr-defined]

    def load(self, sheet: PrepSheet | None = None) -> None:
        try:
            self.sheet = sheet or prepare(self.book, self.playbook, self.book.get(self.account_id), self.meeting_type)
        except AccountError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.meeting_type = self.sheet.meeting_type
        self.render_sheet()

    def _title(self, type_id: str) -> str:
        kind = self.playbook.meeting_type_of(type_id) if type_id else None
        return kind.title if kind else _("Sales meeting")

    def render_sheet(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        account = sheet.account
        self.app.title = plain(account.name)
        self.app.sub_title = _("Prepare: {meeting}").format(meeting=self._title(sheet.meeting_type))
        head = Text()
        head.append_text(safe(_("Preparing: {meeting} with {name}").format(meeting=self._title(sheet.meeting_type),
                                                                          name=account.name), "bold"))
        head.append(f"  ({stage_name(account.stage)})", style="dim")
        self.query_one("#prepare-head", Static).update(head)
        listing = self.query_one("#prep", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()

        def heading(text: str) -> None:
            listing.add_option(Option(Text(text, style="bold underline"), disabled=True))

        def note(text: str, style: str = "dim") -> None:
            listing.add_option(Option(hanging(" ", safe(text, style)), disabled=True))

        heading(_("Objectives for this meeting"))
        for index, objective in enumerate(sheet.objectives):
            listing.add_option(Option(hanging(Text("◎", style="bold green"), safe(objective)), id=f"objective:{index}"))
        if not sheet.objectives:
            note(_("none yet: pick ideas below with Enter, or o to type your own"))
        if sheet.suggestions:
            heading(_("Ideas for objectives (Enter takes one)"))
            for index, idea in enumerate(sheet.suggestions):
                listing.add_option(Option(hanging("+", safe(idea)), id=f"idea:{index}"))
        heading(_("Left open by earlier meetings"))
        today = datetime.fromtimestamp(self.book.clock()).strftime("%Y-%m-%d")
        opened = 0
        for item in (*sheet.open_objections, *sheet.parked_objections):
            note(_("objection ({category}, {status}): “{text}”").format(category=objection_name(self.app.playbook, item.detail), status=status_name(item.status), text=item.text),
                 "yellow")
            opened += 1
        for item in (*sheet.overdue_actions, *sheet.due_actions):
            late = item.due and item.due < today
            note((_("OVERDUE {due}: {text}") if late else _("due {due}: {text}")).format(due=item.due or "-", text=item.text),
                 "bold red" if late else "")
            opened += 1
        for due, text in sheet.follow_ups:
            note(_("follow up {due}: {text}").format(due=due, text=text.split("\n")[0]), "bold red" if due < today else "")
            opened += 1
        if not opened:
            note(_("nothing: no earlier meeting left anything open"))
        heading(_("Who decides (gaps in yellow)"))
        for role, people in sheet.decision_map:
            names = ", ".join(c.name for c in people)
            note(f"{_(ROLE_NAMES[role]):15} {names or '?'}", "" if names else "yellow")
        for gap in sheet.gaps:
            note("! " + gap, "yellow")
        heading(_("Known from earlier meetings"))
        for known in sheet.known:
            note(_("{topic}: {answer}").format(topic=known.question, answer=known.answer), "")
        if not sheet.known:
            note(_("nothing yet"))
        heading(_("Not known yet: ask in the meeting"))
        for question in sheet.unanswered[:UNANSWERED_SHOWN]:
            note(question.text, "")
        if len(sheet.unanswered) > UNANSWERED_SHOWN:
            note(_("... and {n} more").format(n=len(sheet.unanswered) - UNANSWERED_SHOWN))
        if sheet.research:
            heading(_("Research (Enter to note what you found)"))
            for prompt, found in sheet.research:
                lines = [safe(prompt.prompt, "dim" if found else "")]
                if found:
                    lines.append(safe(found, "green"))
                listing.add_option(Option(hanging("✓" if found else "?", *lines), id=f"research:{prompt.id}"))
        if sheet.checklist:
            heading(_("Checklist (space ticks)"))
            for index, (item, done) in enumerate(sheet.checklist):
                listing.add_option(Option(hanging("☑" if done else "☐", safe(item, "dim" if done else "")), id=f"check:{index}"))
        if sheet.opening:
            heading(_("The first 20 seconds"))
            for number, line in enumerate(sheet.opening, 1):
                note(f"{number}. {line}", "")
        enabled = [i for i in range(listing.option_count) if not listing.get_option_at_index(i).disabled]
        if enabled:
            listing.highlighted = highlighted if highlighted in enabled else enabled[0]
            if highlighted is None:
                listing.scroll_home(animate=False)

    # -- intents ---------------------------------------------------------------------------------

    def _save(self, **changes) -> str | None:
        if self.sheet is None:
            return None
        try:
            self.load(save_preparation(self.book, self.sheet, **changes))
        except AccountError as error:
            return str(error)
        return None

    def _highlighted(self) -> str:
        listing = self.query_one("#prep", OptionList)
        if listing.highlighted is None:
            return ""
        return listing.get_option_at_index(listing.highlighted).id or ""

    def action_add_objective(self) -> None:
        def check(text: str) -> str | None:
            if not text.strip():
                return _("an objective needs words")
            return self._save(objectives=[*self.sheet.objectives, text])

        self.app.push_screen(LineDialog(_("An objective for this meeting"), placeholder=_("e.g. meet the CFO and agree a pilot"),
                                        check=check))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        ident = self._highlighted()
        sheet = self.sheet
        if sheet is None or not ident:
            return
        kind, _sep, key = ident.partition(":")
        refusal = None
        if kind == "idea":
            refusal = self._save(objectives=[*sheet.objectives, sheet.suggestions[int(key)]])
        elif kind == "check":
            item, done = sheet.checklist[int(key)]
            ticked = [i for i, d in sheet.checklist if d and i != item] + ([] if done else [item])
            refusal = self._save(checked=ticked)
        elif kind == "research":
            prompt, found = next((p, f) for p, f in sheet.research if p.id == key)
            self.app.push_screen(LineDialog(prompt.prompt, found, placeholder=_("what you found"),
                                            check=lambda text: self._save(research={key: text})))
        elif kind == "objective":
            self.notify(_("Delete removes this objective; o adds another."), timeout=3, markup=False)
        if refusal:
            self.notify(refusal, severity="warning", markup=False)

    def action_remove(self) -> None:
        ident = self._highlighted()
        if self.sheet is not None and ident.startswith("objective:"):
            index = int(ident.split(":")[1])
            refusal = self._save(objectives=[o for i, o in enumerate(self.sheet.objectives) if i != index])
            if refusal:
                self.notify(refusal, severity="warning", markup=False)

    def action_meeting_type(self) -> None:
        whole = self.playbook
        types = [SALES_MEETING, *(t.id for t in whole.meeting_types)]
        if len(types) == 1:
            self.notify(_("This playbook has only the sales meeting (builtin:review adds the account review)."), markup=False)
            return
        current = types.index(self.meeting_type) if self.meeting_type in types else 0
        self.meeting_type = types[(current + 1) % len(types)]
        self.sheet = None
        self.load()
        if self.sheet is not None:
            self._save(meeting_type=self.meeting_type)

    def action_start(self) -> None:
        start = getattr(self.app, "start_account_meeting", None)
        if start is not None:
            start(self.book.get(self.account_id), self.meeting_type)

    def action_back(self) -> None:
        self.app.pop_screen()
