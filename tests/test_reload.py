"""Live reload: the running app follows its playbook's files, and survives a broken edit."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
from playbook.format.watch import PlaybookWatcher
from tui.app import PlaybookApp
from tui.screens.meeting import MeetingScreen

from conftest import MINIMAL


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    time.sleep(0.01)  # a new mtime even on coarse file systems
    path.write_text(text.replace(old, new))


def test_watcher_notices_changes_and_keeps_the_last_good_version(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "pb")
    file = tmp_path / "pb" / "playbook.yaml"
    watcher = PlaybookWatcher(tmp_path / "pb", good=load_playbook(tmp_path / "pb"))
    assert not watcher.changed()
    edit(file, "title: Price", "title: Cost")
    assert watcher.changed() and not watcher.changed()
    playbook, problems = watcher.reload()
    assert problems == [] and playbook.objection("price").title == "Cost"
    edit(file, "technique: question\n        text", "technique: flattery\n        text")
    assert watcher.changed()
    playbook, problems = watcher.reload()
    assert playbook is None and problems[0].code == "unknown-technique"
    assert watcher.good.objection("price").title == "Cost"


async def test_app_reloads_valid_then_keeps_running_on_invalid_then_recovers(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "pb")
    file = tmp_path / "pb" / "playbook.yaml"
    playbook = load_playbook(tmp_path / "pb")
    notes: list[tuple[str, str]] = []
    with Store.open(tmp_path / "s.db") as store:
        session = MeetingSession.start(playbook, store, "Anna")
        session.answer("budget", "approved")
        app = PlaybookApp(playbook, store, resume=session.id, watch=tmp_path / "pb")
        async with app.run_test(size=(120, 40)) as pilot:
            app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "information")))  # type: ignore[method-assign]
            screen = app.screen
            assert isinstance(screen, MeetingScreen)

            edit(file, "title: Price", "title: Cost")
            app.check_playbook_files()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.session.playbook.objection("price").title == "Cost"
            assert notes[-1][0].startswith("Playbook reloaded")

            edit(file, "technique: question\n        text", "technique: flattery\n        text")
            app.check_playbook_files()
            await app.workers.wait_for_complete()
            await pilot.pause()
            notice = str(screen.query_one("#notice").render())
            assert screen.query_one("#notice").display and "unknown-technique" in notice
            assert screen.session.playbook.objection("price").title == "Cost"  # the last good version
            assert screen.session.state.answers == {"budget": "approved"}  # the meeting goes on

            edit(file, "technique: flattery\n        text", "technique: question\n        text")
            edit(file, "title: Cost", "title: Budget")
            app.check_playbook_files()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.session.playbook.objection("price").title == "Budget"
            await pilot.press("o", *"too expensive")
            await app.workers.wait_for_complete()  # recognition runs in a worker, beside the keys
            await pilot.pause()
            assert str(screen.query_one("#match").render()).startswith("Budget")
