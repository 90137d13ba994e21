"""The Textual application: global keys, the command palette, and routing between screens."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from playbook.i18n import N_, _, set_language
from playbook.logs import crash_line
from playbook.matching.fused import recogniser_for
from playbook.matching.matcher import Matcher
from playbook.model import Playbook
from playbook.meeting import MeetingSession, SessionError
from playbook.store import Store, StoreError
from playbook.textsafety import printable
from playbook.transcript.live import Following

from playbook.format.watch import PlaybookWatcher

from .screens.help import HelpScreen
from .screens.meeting import MeetingScreen
from .screens.start import StartScreen
from .widgets.footer import textual_words
from .widgets.inputs import BurstTyping
from .widgets.text import plain

if TYPE_CHECKING:  # role-play and the editor are imported when opened: most runs are meetings
    from playbook.training.roleplay import RolePlay

UNFINISHED_SHOWN = 8
RELOAD_POLL_SECONDS = 1.0
SERVER_CHECK_SECONDS = 1.0


class Palette(CommandPalette):
    """Textual's command palette, minus a crash: in Textual 8.2 a page key that arrives with the
    key opening the palette (before its list is laid out) raises KeyError in OptionList."""

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            pass  # nothing is laid out to page through yet; the next key press works


class PlaybookApp(BurstTyping, App[None]):
    """The meeting companion: start or resume a meeting, then walk through it."""

    TITLE = "playbook"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "help", N_("Help"), key_display="?", id="app.help"),
        Binding("t", "toggle_theme", N_("Theme"), show=False, id="app.theme"),
        # Shown on the start screen and in the help; the footers keep their room for the screen's own keys.
        Binding("f2", "accounts", N_("Accounts"), show=False, id="app.accounts"),
        Binding("f3", "agenda", N_("Agenda"), show=False, id="app.agenda"),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),  # from a dialog too
    ]

    def __init__(self, playbook: Playbook, store: Store | None, resume: str | None = None, export_dir: Path | None = None,
                 roleplay: RolePlay | None = None, watch: str | Path | None = None, edit: str | Path | None = None,
                 editing: bool = False, spec: str | None = None, notices: tuple[str, ...] = (),
                 clock: Callable[[], float] = time.time, following: Following | None = None, language: str | None = None) -> None:
        set_language(language or playbook.language)  # before any screen exists: every string is in it
        super().__init__()
        self.following = following  # the live transcript the meeting follows (run --transcript)
        self.playbook = playbook
        self.spec = spec  # where `playbook` came from (builtin, builtin:NAME or a path); None: unknown
        self.notices = notices  # said once the first screen is up (e.g. "the playbook changed since")
        self.clock = clock
        self.store = store  # None only when editing a playbook: nothing is recorded then
        self.resume = resume
        self.export_dir = export_dir
        self.roleplay = roleplay
        self.watcher = PlaybookWatcher(watch, good=playbook) if watch is not None else None
        self.editing = editing
        self.edit_path = edit
        self._quit_warned = False
        self.crash: str | None = None  # the one line said after a crash, once the terminal is back
        self._book = None

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self.watcher is not None:
            self.set_interval(RELOAD_POLL_SECONDS, self.check_playbook_files)
        if self.is_web:  # served to a browser tab (`playbook serve`): the app ends with its server
            self._server_pid = os.getppid()
            self.set_interval(SERVER_CHECK_SECONDS, self.check_server)
        if self.roleplay is not None:
            from .screens.roleplay import RolePlayScreen

            self.push_screen(RolePlayScreen(self.roleplay))
            return
        if self.editing:
            from .screens.editor import EditorScreen

            self.push_screen(EditorScreen(self.edit_path))
            return
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        if self.resume:
            self.on_start_screen_resume(StartScreen.Resume(self.resume), switch=False)  # reports damaged rows
            return
        unfinished = [s for s in self.store.sessions(kind="meeting", limit=50) if not s.finished][:UNFINISHED_SHOWN]
        overdue = self.file_meetings()
        # In a browser, a refreshed or closed tab comes back here: its last meeting is the first choice.
        self.push_screen(StartScreen(unfinished, self.playbook.name, overdue, offer_last=self.is_web))
        self.report_damage()  # the overdue follow-ups are the start screen's first line (no toast over the list)
        self.call_later(self.ask_open_questions)

    # -- accounts ---------------------------------------------------------------------------------

    @property
    def book(self):
        """The account book on the app's store (None when editing a playbook: no store)."""
        if self._book is None and self.store is not None:
            from playbook.accounts import AccountBook

            self._book = AccountBook(self.store, self.clock)
        return self._book

    def file_meetings(self) -> int:
        """Meetings not yet under an account are filed; the number of overdue follow-ups."""
        from playbook.accounts import adopt_sessions, overdue_count

        try:
            adopt_sessions(self.book)
            return overdue_count(self.book)
        except StoreError as error:
            self.notify(printable(str(error), one_line=True), severity="error", timeout=10, markup=False)
            return 0

    def ask_open_questions(self) -> None:
        """Earlier meetings whose company is close to more than one account: the rep says which."""
        from playbook.accounts import open_questions, settle

        from .screens.dialogs import ChoiceDialog

        try:
            questions = open_questions(self.book)
        except StoreError:
            return
        if not questions:
            return
        question = questions[0]
        choices = [(str(account_id), _("Same account as {name}").format(name=name)) for account_id, name in question.candidates]
        choices += [("new", _("A new account: {name}").format(name=question.company)), ("none", _("No account"))]
        note = _("{n} earlier meeting(s) with “{company}”, a name close to another account's.").format(
            n=len(question.sessions), company=question.company)

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            try:
                settle(self.book, [s for s, _p, _t in question.sessions], int(choice) if choice.isdigit() else None, choice == "new")
            except Exception as error:  # StoreError, AccountError: said, and asked again next time
                self.notify(printable(str(error), one_line=True), severity="error", markup=False)
                return
            self.call_later(self.ask_open_questions)

        self.push_screen(ChoiceDialog(_("Which account are these meetings with?"), choices, note), chosen)

    def action_accounts(self) -> None:
        from .screens.accounts import AccountsScreen

        if self.book is not None and not isinstance(self.screen, AccountsScreen):
            self.push_screen(AccountsScreen(self.book))

    def action_agenda(self) -> None:
        from .screens.agenda import AgendaScreen

        if self.book is not None and not isinstance(self.screen, AgendaScreen):
            self.push_screen(AgendaScreen(self.book))

    def start_account_meeting(self, account, meeting_type: str | None = None, prospect: str = "", planned_minutes: int = 0,
                              replace: bool = False) -> None:
        """A meeting with an account, from what its earlier meetings left open and what was prepared."""
        from playbook.accounts import AccountError, start_meeting

        try:
            session = start_meeting(self.book, self.playbook, account, prospect, spec=self.spec or "", meeting_type=meeting_type,
                                    planned_minutes=planned_minutes)
        except (StoreError, SessionError, AccountError) as error:
            self.notify(printable(_("NOT SAVED: {error}").format(error=error), one_line=True), severity="error", timeout=10, markup=False)
            return
        if replace:
            self.switch_screen(MeetingScreen(session, self.clock))
        else:
            self.push_screen(MeetingScreen(session, self.clock))

    def report_damage(self) -> None:
        """One notice for each damaged row of the store a screen skipped (the rest is shown)."""
        if self.store is None:
            return
        for line in self.store.damaged:
            self.notify(printable(line, one_line=True), title=_("Damaged row skipped"), severity="warning", timeout=15, markup=False)
        self.store.damaged.clear()

    def check_server(self) -> None:
        """A served app whose server was killed outright (no time to end its apps) quits by itself:
        its parent is then another process. Every event is already committed; drafts are kept."""
        if os.getppid() != self._server_pid:
            self.exit()

    def check_playbook_files(self) -> None:
        """Poll the playbook's files (cheap stats); reload off the UI thread when they changed."""
        if self.watcher is not None and self.watcher.changed():
            self.reload_playbook()

    @work(thread=True, exclusive=True, group="reload")
    def reload_playbook(self) -> None:
        playbook, problems = self.watcher.reload()
        # The new matcher is built here too, off the UI thread: no keystroke waits after a reload.
        matcher = recogniser_for(playbook) if playbook is not None else None
        self.call_from_thread(self._reloaded, playbook, problems, matcher)

    def _reloaded(self, playbook: Playbook | None, problems: list, matcher: Matcher | None = None) -> None:
        meetings = [s for s in self.screen_stack if isinstance(s, MeetingScreen)
                    and (self.spec is None or s.session.spec in ("", self.spec))]
        if playbook is None:
            # A one-line notice above the panels: it neither covers the meeting nor takes the focus.
            first = problems[0].format() if problems else _("it cannot be read")
            more = _(" (and {count} more)").format(count=len(problems) - 1) if len(problems) > 1 else ""
            notice = "⚠ " + _("The playbook has errors; still using the last good version: {problem}").format(problem=first + more)
            for screen in meetings:
                screen.show_notice(notice)
            if not meetings:
                self.notify(notice, severity="error", timeout=8, markup=False)
            return
        self.playbook = playbook
        for screen in meetings:
            screen.use_playbook(playbook, matcher)
        self.notify(_("Playbook reloaded: {name}").format(name=plain(playbook.name)), timeout=3, markup=False)

    def open_meeting(self, session: MeetingSession) -> None:
        self.push_screen(MeetingScreen(session, self.clock, self.following))

    def on_start_screen_new_meeting(self, event: StartScreen.NewMeeting) -> None:
        """A meeting with a company belongs to its account: the one of that name, a new one, or,
        when the name is close to others, the one the rep picks."""
        company = " ".join(event.company.split())
        if company and self.book is not None:
            from playbook.accounts import AccountError

            try:
                account, candidates = self.book.match_company(company)
            except StoreError as error:
                self.notify(printable(_("NOT SAVED: {error}").format(error=error), one_line=True), severity="error", timeout=10, markup=False)
                return
            if account is not None:
                self.start_account_meeting(account, None, event.prospect, event.planned_minutes, replace=True)
                return

            def chosen(choice: str | None) -> None:
                if choice is None:
                    return
                if choice == "none":
                    self._start_without_account(event)
                    return
                try:
                    picked = self.book.get(int(choice)) if choice.isdigit() else self.book.add(
                        company, "prospect", reason=_("first meeting"))
                except (AccountError, StoreError) as error:
                    self.notify(printable(str(error), one_line=True), severity="error", timeout=10, markup=False)
                    return
                self.start_account_meeting(picked, None, event.prospect, event.planned_minutes, replace=True)

            if not candidates:
                chosen("new")
                return
            from .screens.dialogs import ChoiceDialog

            choices = [(str(c.account_id), c.name) for c in candidates]
            choices += [("new", _("A new account: {name}").format(name=company)), ("none", _("No account for this meeting"))]
            self.push_screen(ChoiceDialog(_("Which account is this meeting with?"), choices,
                                          _("“{company}” is close to these accounts.").format(company=company)), chosen)
            return
        self._start_without_account(event)

    def _start_without_account(self, event: StartScreen.NewMeeting) -> None:
        try:
            session = MeetingSession.start(self.playbook, self.store, event.prospect, event.company, clock=self.clock,
                                           spec=self.spec or "", planned_minutes=event.planned_minutes)
        except (StoreError, SessionError) as error:
            self.notify(printable(_("NOT SAVED: {error}").format(error=error), one_line=True), severity="error", timeout=10, markup=False)
            return
        self.switch_screen(MeetingScreen(session, self.clock, self.following))

    def on_start_screen_resume(self, event: StartScreen.Resume, switch: bool = True) -> None:
        """Resume with the playbook the meeting ran on (which may not be the one this app opened)."""
        from playbook.meeting.origin import playbook_for_session

        try:
            info = self.store.info(self.store.resolve(event.session_id))
            playbook, spec, notices = self.playbook, self.spec or "", ()
            if self.spec is None or info.playbook != self.spec:
                found = playbook_for_session(info)
                playbook, spec, notices = found.playbook, found.spec, found.notices
            session = MeetingSession.resume(playbook, self.store, info.id, clock=self.clock, spec=spec)
        except (StoreError, SessionError) as error:
            self.notify(printable(str(error), one_line=True), severity="error", timeout=10, markup=False)
            if not switch:
                self.push_screen(StartScreen([], self.playbook.name))
            return
        finally:
            self.report_damage()
        for notice in notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        if switch:
            self.switch_screen(MeetingScreen(session, self.clock, self.following))
        else:
            self.open_meeting(session)

    def on_exit_app(self) -> None:
        """However the app ends (ctrl+q, a browser tab closed, SIGTERM, its server gone), what is half
        typed in a meeting is kept as a draft: screens are taken apart after this, too late for it."""
        for screen in self.screen_stack:
            if isinstance(screen, MeetingScreen):
                try:
                    screen.flush_drafts()
                except Exception:  # a screen left broken by a crash: its events are committed already
                    pass

    async def action_quit(self) -> None:
        """Quit; with unsaved edits, the first press warns and a second one discards them. What is
        half-typed in a meeting is kept as a draft."""
        for screen in self.screen_stack:
            if isinstance(screen, MeetingScreen):
                screen.flush_drafts()
        unsaved = [f.name for s in self.screen_stack if hasattr(s, "unsaved") for f in s.unsaved()]
        if unsaved and not self._quit_warned:
            self._quit_warned = True
            self.notify(printable(_("Unsaved: {files}. ctrl+s saves; ctrl+q again quits without saving.").format(files=", ".join(unsaved)),
                                  one_line=True),
                        severity="warning", timeout=8, markup=False)
            return
        self.exit()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(placeholder=_("Search for commands…"), id="--command-palette"))

    def _handle_exception(self, error: Exception) -> None:
        """Any crash: the traceback goes to a log file, and the app exits with status 1 and one
        line saying where the log is and how to resume (every event was committed as it happened)."""
        session = next((s.session for s in reversed(self.screen_stack) if isinstance(getattr(s, "session", None), MeetingSession)), None)
        line = crash_line(error, "playbook app")
        if session is not None:
            line += _("; the meeting is saved: resume it with `playbook run --resume {id}`").format(id=session.id)
        self.crash = line
        super()._handle_exception(error)
        self._exit_renderables.clear()  # Textual would print the whole traceback: it is in the log

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the current screen in the command palette, and those of its panels
        (settling an objection, answering the highlighted question...), each under its words."""
        for command in super().get_system_commands(screen):  # Textual's own, in the interface's language
            if command.title == "Keys":
                continue  # its key panel shows the bindings' untranslated words; our help screen lists every key
            yield command._replace(title=textual_words(command.title), help=textual_words(command.help))
        seen = set()
        targets = [screen, *getattr(screen, "palette_widgets", lambda: [])()]
        for target in targets:
            for binding in getattr(target, "BINDINGS", []):
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                title = _(binding.tooltip or binding.description)  # marked with N_ at import time
                if title in seen:  # the objections list and the responses share their keys
                    continue
                seen.add(title)
                keys = binding.key_display or binding.key
                yield SystemCommand(title, _("key: {keys}").format(keys=keys),
                                    lambda action=binding.action, target=target: target.run_action(action))
        yield SystemCommand(_("Help"), _("every key, key: ?"), self.action_help)


def run_app(app: PlaybookApp, **options: Any) -> int:
    """Run the app; after a crash, say so in one line on stderr and return 1 (else 0)."""
    app.run(**options)
    if app.crash is not None:
        print(app.crash, file=sys.stderr)
        return 1
    return app.return_code or 0
