"""The Textual application: global keys, the command palette, and routing between screens."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from playbook.model import Playbook
from playbook.session import MeetingSession
from playbook.store import Store, StoreError

from playbook.roleplay import RolePlay

from .screens.help import HelpScreen
from .screens.roleplay import RolePlayScreen
from .screens.meeting import MeetingScreen
from .screens.start import StartScreen

UNFINISHED_SHOWN = 8


class PlaybookApp(App[None]):
    """The meeting companion: start or resume a meeting, then walk through it."""

    TITLE = "playbook"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("t", "toggle_theme", "Theme", show=False, id="app.theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, playbook: Playbook, store: Store, resume: str | None = None, export_dir: Path | None = None,
                 roleplay: RolePlay | None = None) -> None:
        super().__init__()
        self.playbook = playbook
        self.store = store
        self.resume = resume
        self.export_dir = export_dir
        self.roleplay = roleplay

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self.roleplay is not None:
            self.push_screen(RolePlayScreen(self.roleplay))
            return
        if self.resume:
            self.open_meeting(MeetingSession.resume(self.playbook, self.store, self.resume))
            return
        unfinished = [s for s in self.store.sessions(kind="meeting", limit=50) if not s.finished][:UNFINISHED_SHOWN]
        self.push_screen(StartScreen(unfinished, self.playbook.name))

    def open_meeting(self, session: MeetingSession) -> None:
        self.push_screen(MeetingScreen(session))

    def on_start_screen_new_meeting(self, event: StartScreen.NewMeeting) -> None:
        try:
            session = MeetingSession.start(self.playbook, self.store, event.prospect, event.company)
        except StoreError as error:
            self.notify(f"NOT SAVED: {error}", severity="error", timeout=10)
            return
        self.switch_screen(MeetingScreen(session))

    def on_start_screen_resume(self, event: StartScreen.Resume) -> None:
        try:
            session = MeetingSession.resume(self.playbook, self.store, event.session_id)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.switch_screen(MeetingScreen(session))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the current screen in the command palette, under its key's description."""
        yield from super().get_system_commands(screen)
        seen = set()
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description and binding.action not in seen:
                seen.add(binding.action)
                keys = binding.key_display or binding.key
                yield SystemCommand(binding.description, f"key: {keys}", lambda action=binding.action: screen.run_action(action))
        yield SystemCommand("Help", "every key, key: ?", self.action_help)
