"""Hostile input in the app: a file rewritten during a meeting, a damaged store, text that looks
like markup or holds control characters, keys that arrive together, and a crash."""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import CommandList
from textual.widgets import Input, OptionList

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
from tui.app import Palette, PlaybookApp
from tui.screens.meeting import MeetingScreen
from tui.screens.start import StartScreen

from conftest import MINIMAL

LIBRARY = load_playbook(None)
SIZE = (120, 40)


def recording(app: PlaybookApp) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []

    def notify(message: str, **options) -> None:
        assert options.get("markup") is False, message  # what a notice quotes is never read as markup
        notes.append((message, options.get("severity", "information")))

    app.notify = notify  # type: ignore[method-assign]
    return notes


async def test_a_hostile_playbook_written_during_a_meeting_leaves_it_running(tmp_path: Path) -> None:
    """C1: a 300-deep `not` saved while the meeting runs: one notice, the last good playbook."""
    shutil.copytree(MINIMAL, tmp_path / "pb")
    file = tmp_path / "pb" / "playbook.yaml"
    playbook = load_playbook(tmp_path / "pb")
    deep = "{not: " * 300 + "{fact: answer.budget, op: eq, value: none}" + "}" * 300
    with Store.open(tmp_path / "s.db") as store:
        session = MeetingSession.start(playbook, store, "Anna", spec=str(tmp_path / "pb"))
        app = PlaybookApp(playbook, store, resume=session.id, watch=tmp_path / "pb", spec=str(tmp_path / "pb"))
        async with app.run_test(size=SIZE) as pilot:
            notes = recording(app)
            screen = app.screen
            time.sleep(0.01)
            file.write_text(file.read_text().replace("when: {fact: answer.budget, op: eq, value: none}", f"when: {deep}"))
            app.check_playbook_files()
            await app.workers.wait_for_complete()
            await pilot.pause()
            # One notice, on the meeting's notice line (issue 11: no toast over the meeting).
            notice = screen.query_one("#notice")
            assert notes == [] and notice.display
            assert "condition-too-deep" in str(notice.render()) and str(notice.render()).count("\n") == 0
            shown = str(notice.render())
            app.check_playbook_files()  # nothing changed since: no second notice
            await app.workers.wait_for_complete()
            assert notes == [] and str(notice.render()) == shown
            assert app.screen is screen and screen.session.playbook is playbook
            screen.session.note("still recording")
            assert app.return_code is None  # still running (a crash sets 1)
        assert [r.event.text for r in store.events(session.id) if hasattr(r.event, "text")][-1] == "still recording"


async def test_page_up_with_the_palette_opening_does_not_crash(tmp_path: Path) -> None:
    """C3: ctrl+p and PageUp together reached the command list before its first layout (KeyError: 0)."""
    with Store.open(tmp_path / "s.db") as store:
        app = PlaybookApp(LIBRARY, store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, Palette)
            commands = app.screen.query_one(CommandList)
            commands.styles.height = 0  # as it is between getting its commands and its first layout
            await pilot.pause()
            await pilot.press("pageup", "pagedown")
            await pilot.pause()
            assert isinstance(app.screen, Palette) and app.return_code is None
            await pilot.press("escape")


CRASHING = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import tui.app
    from playbook.format import load_playbook
    from playbook.meeting import MeetingSession
    from playbook.store import Store
    from tui.app import PlaybookApp, run_app

    class Crashing(PlaybookApp):
        CSS_PATH = str(Path(tui.app.__file__).with_name("app.tcss"))

        def on_ready(self) -> None:
            self.set_timer(0.2, self.fail)

        def fail(self) -> None:
            raise KeyError(0)  # any bug at all, in any screen

    store = Store.open(sys.argv[1])
    session = MeetingSession.start(load_playbook(None), store, "Anna", "Acme")
    session.note("said before the crash")
    sys.exit(run_app(Crashing(load_playbook(None), store, resume=session.id), headless=True))
    """
)


def test_a_crash_exits_1_says_where_the_log_is_and_the_meeting_is_saved(tmp_path: Path) -> None:
    """C3: any crash: exit status 1, one line naming the log and how to resume; nothing lost."""
    db = tmp_path / "s.db"
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", CRASHING, str(db)], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    with Store.open(db) as store:
        [info] = store.sessions()
        assert [r.event.text for r in store.events(info.id) if hasattr(r.event, "text")] == ["said before the crash"]
    [log] = (tmp_path / "state" / "playbook" / "logs").iterdir()
    assert line == (f"playbook app: unexpected error (KeyError); details in {log}; "
                    f"the meeting is saved: resume it with `playbook run --resume {info.id}`")
    assert "Traceback" in log.read_text() and "in fail\nKeyError: 0" in log.read_text()


def damage(db: Path, *statements: str) -> None:
    connection = sqlite3.connect(db)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


async def test_resuming_a_session_with_a_damaged_event(tmp_path: Path) -> None:
    """C4: `run --resume` of a session with a damaged event: the rest is shown, one notice."""
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        session = MeetingSession.start(LIBRARY, store, "Anna", "Acme")
        session.note("first")
        session.note("second")
    damage(db, f"UPDATE events SET data = '{{broken' WHERE session_id = '{session.id}' AND seq = 2")
    with Store.open(db) as store:
        app = PlaybookApp(LIBRARY, store, resume=session.id)
        notes = recording(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, MeetingScreen)
            assert [note.text for note in app.screen.session.state.notes] == ["second"]
            assert notes == [(f"{db}: session {session.id}, event row 2: its data cannot be read; skipped", "warning")]
            app.screen.session.note("third")  # the meeting goes on, numbered after the damaged row
            assert app.return_code is None


async def test_start_screen_survives_a_damaged_session_row(tmp_path: Path) -> None:
    """C4: a non-numeric updated_at crashed the start screen (TypeError)."""
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        good = MeetingSession.start(LIBRARY, store, "Anna", "Acme")
        bad = MeetingSession.start(LIBRARY, store, "Bob", "Bolt")
    damage(db, f"UPDATE sessions SET updated_at = 'last week' WHERE id = '{bad.id}'")
    with Store.open(db) as store:
        app = PlaybookApp(LIBRARY, store)
        notes = recording(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            listed = app.screen.query_one("#unfinished", OptionList)
            assert [listed.get_option_at_index(i).id for i in range(listed.option_count)] == [good.id]
            assert notes == [(f"{db}: session {bad.id} (sessions row 2): updated_at holds text, not a time; skipped", "warning")]
            assert app.return_code is None


async def test_names_on_the_start_screen_are_shown_as_typed(tmp_path: Path) -> None:
    """S1: a prospect's name is data: markup shows as typed, control characters visibly."""
    with Store.open(tmp_path / "s.db") as store:
        MeetingSession.start(LIBRARY, store, "Ann\x1b]0;pwned\x07 [bold]Lee[/]", "Acme \x9b2J [link=x]")
        app = PlaybookApp(LIBRARY, store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            listed = app.screen.query_one("#unfinished", OptionList)
            shown = str(listed.get_option_at_index(0).prompt)
            assert shown.startswith("Ann^[]0;pwned^G [bold]Lee[/], Acme M-^[2J [link=x]")
            assert "\x1b" not in shown and "\x9b" not in shown


async def test_roleplay_lines_are_shown_as_typed(tmp_path: Path) -> None:
    """S1: what the trainee types is shown as typed: no markup, no control characters."""
    from playbook.training.roleplay import RecordedRolePlay
    from tui.screens.roleplay import RolePlayScreen

    with Store.open(tmp_path / "s.db") as store:
        game = RecordedRolePlay(LIBRARY, LIBRARY.scenario("price_sensitive_owner"), store, "Sam", seed=1)
        app = PlaybookApp(LIBRARY, store, roleplay=game)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, RolePlayScreen)
            app.screen.query_one("#line", Input).value = "Hello [bold]there[/] \x1b[2J friend"
            await pilot.press("enter")
            await pilot.pause()
            [said] = app.screen.query(".trainee")
            console = Console(width=100, record=True, file=io.StringIO())
            console.print(said.content)
            shown = console.export_text()
            assert "You: Hello [bold]there[/] ^[[2J friend" in shown
            assert "\x1b" not in shown
