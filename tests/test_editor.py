"""The playbook editor through Pilot: errors as you type, try-it on unsaved text, save, files, quit guard."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, OptionList, Static, TextArea

from playbook.format import load_playbook
from playbook.store import Store
from tui.app import PlaybookApp
from tui.screens.editor import EditorScreen

from conftest import MINIMAL


async def settle(app, pilot) -> None:
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause()


def problems(screen: EditorScreen) -> list[str]:
    panel = screen.query_one("#problems", OptionList)
    return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]


async def test_errors_appear_as_you_type_and_try_it_uses_the_unsaved_text(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "pb")
    file = tmp_path / "pb" / "playbook.yaml"
    original = file.read_text()
    with Store.open(tmp_path / "s.db") as store:
        app = PlaybookApp(load_playbook(None), store, edit=tmp_path / "pb", editing=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, EditorScreen)
            assert screen.last.errors == []
            area = screen.query_one("#yaml", TextArea)
            area.text = original.replace("technique: question", "technique: flattery")
            await settle(app, pilot)
            listed = problems(screen)
            assert listed[0].startswith("32:20 error[unknown-technique]") and "'flattery' is not a known technique" in listed[0]
            assert file.read_text() == original  # nothing saved yet

            area.text = original.replace("phrasings: [too expensive, over our budget]", "phrasings: [too expensive, over our budget, the licence is steep]")
            await settle(app, pilot)
            await pilot.press("ctrl+t", *"licence is steep")
            await pilot.pause()
            assert str(screen.query_one("#try-result", Static).render()).startswith("price")
            assert screen.unsaved() == [file.resolve()]

            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "the licence is steep" in file.read_text()
            assert screen.unsaved() == []


async def test_problems_at_the_same_place_and_jump_to_line(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "pb")
    with Store.open(tmp_path / "s.db") as store:
        app = PlaybookApp(load_playbook(None), store, edit=tmp_path / "pb", editing=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            area = screen.query_one("#yaml", TextArea)
            area.text = area.text.replace("  - id: price\n    title: Price\n", "  - id: price\n")  # two problems at one place
            await settle(app, pilot)
            assert len(screen.last.errors) >= 1 and len(problems(screen)) == len(screen.last.errors) + len(screen.last.warnings)
            await pilot.press("ctrl+r", "enter")
            await pilot.pause()
            first = screen.last.errors[0]
            assert area.cursor_location == (first.line - 1, first.col - 1)


async def test_switching_files_keeps_edits_and_quit_warns_first(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "pb")
    (tmp_path / "pb" / "more.yaml").write_text("signals:\n  - {id: nods, name: Nods}\n")
    with Store.open(tmp_path / "s.db") as store:
        app = PlaybookApp(load_playbook(None), store, edit=tmp_path / "pb", editing=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            area = screen.query_one("#yaml", TextArea)
            assert screen.current.name == "more.yaml"
            area.text = area.text.replace("Nods", "Nods along")
            await pilot.press("ctrl+o", "down", "enter")
            await pilot.pause()
            assert screen.current.name == "playbook.yaml"
            await pilot.press("ctrl+o", "up", "enter")
            await pilot.pause()
            assert "Nods along" in area.text  # the unsaved buffer came back
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert app.is_running  # first press warns about more.yaml
            await pilot.press("ctrl+q")
            await pilot.pause()
        assert (tmp_path / "pb" / "more.yaml").read_text() == "signals:\n  - {id: nods, name: Nods}\n"


def test_edit_cli_refuses_a_missing_playbook(cli, tmp_path: Path) -> None:
    result = cli("edit", str(tmp_path / "nothing"))
    assert result.code == 1 and "no such playbook" in result.err
