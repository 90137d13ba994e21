"""The Textual application: global bindings and routing. Screens live in tui/screens/."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from playbook.model import Playbook


class PlaybookApp(App[None]):
    """The meeting companion. For now it shows what the loaded playbook holds."""

    TITLE = "playbook"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, playbook: Playbook) -> None:
        super().__init__()
        self.playbook = playbook

    def compose(self) -> ComposeResult:
        yield Header()
        counts = self.playbook.counts()
        summary = "\n".join(f"  {n:>4}  {name}" for name, n in counts.items())
        yield Static(f"[b]{self.playbook.name}[/b]\n\n{summary}", id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.playbook.name
