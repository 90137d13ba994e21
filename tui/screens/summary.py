"""The end-of-meeting summary: what was learned, objections, score, next steps; export and copy."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

from playbook.meeting import MeetingSession, SessionError
from playbook.store import StoreError
from playbook.meeting.summary import to_json, to_markdown


def export_name(session: MeetingSession, suffix: str) -> str:
    who = re.sub(r"[^a-z0-9]+", "-", f"{session.state.prospect} {session.state.company}".lower()).strip("-") or "meeting"
    day = datetime.fromtimestamp(session.state.started_at or 0).strftime("%Y-%m-%d")
    return f"meeting-{day}-{who}.{suffix}"


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("f", "finish", "Finish meeting", id="summary.finish"),
        Binding("m", "export('md')", "Save .md", id="summary.export_md"),
        Binding("j", "export('json')", "Save .json", id="summary.export_json"),
        Binding("y", "copy", "Copy", id="summary.copy"),
        Binding("escape,b", "back", "Back to meeting", id="summary.back"),
    ]

    def __init__(self, session: MeetingSession, export_dir: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.export_dir = export_dir or Path.cwd()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-box"):
            yield Markdown(id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.render_summary()
        self.query_one("#summary-box").focus()

    def render_summary(self) -> None:
        self.query_one("#summary", Markdown).update(to_markdown(self.session.summary()))

    def action_finish(self) -> None:
        try:
            self.session.end()
        except (SessionError, StoreError) as error:
            self.notify(f"NOT SAVED: {error}", severity="error")
            return
        self.app.sub_title = "Meeting finished"
        self.render_summary()
        self.notify("Meeting finished and saved. Export with m or j, copy with y.", timeout=4)

    def action_export(self, kind: str) -> None:
        text = to_markdown(self.session.summary()) if kind == "md" else to_json(self.session.summary())
        path = self.export_dir / export_name(self.session, kind)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            self.notify(f"Could not write {path}: {error.strerror}", severity="error")
            return
        self.notify(f"Saved {path}", timeout=5)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(to_markdown(self.session.summary()))
        self.notify("Summary copied (if your terminal allows clipboard access)", timeout=3)

    def action_back(self) -> None:
        self.app.pop_screen()
