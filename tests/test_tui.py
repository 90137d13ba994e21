"""The meeting app driven through Pilot, one test per interaction path."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store, StoreError
from tui.app import PlaybookApp
from tui.screens.dialogs import ActionDialog, AnswerDialog, CloseDialog, SignalDialog
from tui.screens.help import HelpScreen
from tui.screens.meeting import CategoryDialog, MeetingScreen
from tui.screens.start import StartScreen
from tui.screens.summary import SummaryScreen
from tui.widgets.checklist import QuestionList
from tui.widgets.objection_panel import ObjectionPanel, ResponseList

LIBRARY = load_playbook(None)
SIZE = (120, 40)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "sessions.db") as store:
        yield store


def meeting_app(store: Store, tmp_path: Path, **answers) -> tuple[PlaybookApp, MeetingSession]:
    session = MeetingSession.start(LIBRARY, store, "Anna Martin", "Dupont")
    for question, value in answers.items():
        session.answer(question, value)
    return PlaybookApp(LIBRARY, store, resume=session.id, export_dir=tmp_path), session


def live(app: PlaybookApp) -> MeetingSession:
    screen = app.screen
    assert isinstance(screen, MeetingScreen)
    return screen.session


async def test_new_meeting_from_the_start_screen(store: Store, tmp_path: Path) -> None:
    app = PlaybookApp(LIBRARY, store, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press(*"Anna Martin", "enter", *"Dupont", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.title == "Anna Martin · Dupont"
    saved = store.sessions()
    assert [(s.prospect, s.company) for s in saved] == [("Anna Martin", "Dupont")]


async def test_start_screen_needs_a_prospect(store: Store, tmp_path: Path) -> None:
    app = PlaybookApp(LIBRARY, store, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
    assert store.sessions() == []


async def test_resume_an_unfinished_meeting_from_the_start_screen(store: Store, tmp_path: Path) -> None:
    earlier = MeetingSession.start(LIBRARY, store, "Bob", "Acme")
    earlier.answer("budget", "approved")
    app = PlaybookApp(LIBRARY, store, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "tab", "tab", "enter")
        await pilot.pause()
        assert live(app).id == earlier.id
        assert live(app).state.answers == {"budget": "approved"}


async def test_quick_answers_in_the_checklist(store: Store, tmp_path: Path) -> None:
    app, session = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        questions = app.screen.query_one(QuestionList)
        assert questions.has_focus  # a meeting opens with questions
        await pilot.press("down", "1")  # existing_customer: choice 1
        await pilot.press("right_square_bracket")  # on to discovery
        await pilot.pause()
        ids = [questions.get_option_at_index(i).id for i in range(questions.option_count)]
        questions.highlighted = ids.index("need_confirmed")
        await pilot.press("y")
        await pilot.pause()
        state = live(app).state
        assert state.answers == {"existing_customer": "customer", "need_confirmed": "yes"}
        assert state.stage == "discovery"
        score = str(app.screen.query_one("#score", Static).render())
        q = live(app).qualification()
        assert score.startswith(f"NOT YET · {q.coverage:.0f}% known, scoring {q.score:.0f}/100 so far")
    reopened = MeetingSession.resume(LIBRARY, store, session.id)
    assert reopened.state.answers == {"existing_customer": "customer", "need_confirmed": "yes"}


async def test_answer_dialog_for_numbers_and_text(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.ask("purchase_volume")
        await pilot.pause()
        assert isinstance(app.screen, AnswerDialog)
        await pilot.press(*"35", "enter")
        await pilot.pause()
        app.screen.ask("problem_to_solve")
        await pilot.pause()
        await pilot.press(*"manual reporting", "enter")
        await pilot.pause()
        app.screen.ask("budget")
        await pilot.pause()
        await pilot.press("2")  # digits pick in the dialog too
        await pilot.pause()
        assert live(app).state.answers == {"purchase_volume": 35, "problem_to_solve": "manual reporting", "budget": "limited"}
        app.screen.ask("purchase_volume")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_type_an_objection_pick_a_response_and_settle_it(store: Store, tmp_path: Path) -> None:
    app, session = meeting_app(store, tmp_path, budget="limited")
    typed: dict[int, ObjectionPanel.Typed] = {}  # a message is seen once per node it bubbles through

    def hook(message) -> None:
        if isinstance(message, ObjectionPanel.Typed):
            typed[id(message)] = message  # holding it keeps its id unique

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.press("o", *"too exp")
        await pilot.pause()
        assert [m.text for m in typed.values()] == ["t", "to", "too", "too ", "too e", "too ex", "too exp"]
        await app.workers.wait_for_complete()  # recognition runs in a worker, beside the keys
        await pilot.pause()
        assert str(app.screen.query_one("#match", Static).render()).startswith("Price")
        await pilot.press("enter")
        await pilot.pause()
        responses = app.screen.query_one(ResponseList)
        assert responses.has_focus
        assert responses.get_option_at_index(0).id == "simplify_offer"  # the budget is a real limit
        await pilot.press("enter", "r")
        await pilot.pause()
        raised = live(app).state.objections[0]
        assert (raised.objection, raised.text, raised.responses, raised.outcome) == ("price", "too exp", ("simplify_offer",), "resolved")
        assert app.screen.query_one("#says", Input).value == ""
    assert MeetingSession.resume(LIBRARY, store, session.id).state.objections[0].outcome == "resolved"


async def test_unrecognised_objection_asks_for_the_category(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o", *"hmm well the weather", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CategoryDialog)
        await pilot.press("down", "down", "enter")  # past "not an objection", the second category
        await pilot.pause()
        assert [(o.objection, o.text) for o in live(app).state.objections] == [(LIBRARY.objections[1].id, "hmm well the weather")]


async def test_stage_moves_change_the_guidance(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert live(app).state.stage == "presentation"
        from tui.widgets.guidance_panel import GuidancePanel

        panel = app.screen.query_one(GuidancePanel)
        assert panel.items == live(app).guidance()
        assert panel.items[0].source == "rule:no_pitch_before_need"
        assert panel.option_count == len(panel.items)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert live(app).state.stage == "discovery"


async def test_why_on_demand(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket", "g", "w")
        await pilot.pause()
        text = str(app.screen.query_one(".dialog").query(Static).last().render()) + " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "rule:no_pitch_before_need" in text
        await pilot.press("escape")


async def test_signals_and_a_closing_attempt(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SignalDialog)
        await pilot.press("space", "enter")
        await pilot.pause()
        assert live(app).state.signals == {LIBRARY.signals[0].id}
        await pilot.press("c", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CloseDialog)
        closing = app.screen.closing.id
        await pilot.press("n")
        await pilot.pause()
        assert [(c.closing, c.result) for c in live(app).state.closings] == [(closing, "failed")]


async def test_action_note_and_undo(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        await pilot.press(*"Send proposal", "tab", *"me", "tab", *"Friday", "enter")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"likes the reporting", "enter")
        await pilot.pause()
        state = live(app).state
        from datetime import date

        from playbook.meeting.dates import parse_due

        friday = parse_due("Friday", "en", date.today()).isoformat()
        assert [(a.text, a.owner, a.due) for a in state.actions] == [("Send proposal", "me", friday)]
        assert [n.text for n in state.notes] == ["likes the reporting"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert live(app).state.notes == ()


async def test_summary_finish_and_export(store: Store, tmp_path: Path) -> None:
    app, session = meeting_app(store, tmp_path, budget="approved")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("f")  # no outcome yet: it is asked first
        await pilot.pause()
        await pilot.press("3", "m", "j")
        await pilot.pause()
        assert live_state_ended(store, session.id)
        notes = list(tmp_path.glob("meeting-*-notes.md"))
        assert len(notes) == 1 and notes[0].read_text().startswith("# Meeting notes (internal): Anna Martin, Dupont")
        assert list(tmp_path.glob("meeting-*-recap.md"))[0].read_text().startswith("# Meeting recap: Anna Martin, Dupont")
        assert len(list(tmp_path.glob("meeting-*.json"))) == 1
        await pilot.press("y", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_back_from_the_summary_the_header_is_the_meetings_again(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        meeting_header = (app.title, app.sub_title)
        assert "Anna Martin" in app.title and "Summary" not in app.sub_title
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and app.sub_title.startswith("Summary")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert (app.title, app.sub_title) == meeting_header


def live_state_ended(store: Store, session_id: str) -> bool:
    return MeetingSession.resume(LIBRARY, store, session_id).state.ended


KILLED_MEETING = textwrap.dedent(
    """
    import sys
    from playbook.format import load_playbook
    from playbook.meeting import MeetingSession
    from playbook.store import Store
    session = MeetingSession.start(load_playbook(None), Store.open(sys.argv[1]), "Killed", "Co")
    session.answer("budget", "limited")
    session.raise_objection("too expensive", "price")
    print(session.id, flush=True)
    import time
    time.sleep(60)
    """
)


async def test_resume_after_the_process_was_killed(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    process = subprocess.Popen([sys.executable, "-c", KILLED_MEETING, str(db)], stdout=subprocess.PIPE, text=True)
    session_id = process.stdout.readline().strip()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    with Store.open(db) as store:
        app = PlaybookApp(LIBRARY, store, resume=session_id[:6], export_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            state = live(app).state
            assert state.answers == {"budget": "limited"}
            assert state.objections[0].objection == "price"
            assert "#1 Price" in str(app.screen.query_one("#match", Static).render())


async def test_help_and_command_palette(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        from tui.screens.help import _bindings_table

        console = Console(width=100, record=True)
        console.print(_bindings_table())
        text = console.export_text()
        for binding in MeetingScreen.BINDINGS + ResponseList.BINDINGS:
            assert binding.description in text
        await pilot.press("escape")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for binding in MeetingScreen.BINDINGS + ResponseList.BINDINGS:
            assert (binding.tooltip or binding.description) in titles


async def test_theme_toggle(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert app.theme == "textual-light"
        await pilot.press("t")
        assert app.theme == "textual-dark"


async def test_very_long_paste_and_small_terminal(store: Store, tmp_path: Path) -> None:
    app, _ = meeting_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        says = app.screen.query_one("#says", Input)
        says.insert_text_at_cursor("too\nexpensive " * 10_000)
        await pilot.pause()
        assert says.value.startswith("too expensive too expensive") and len(says.value) == 500
        await pilot.press("enter")
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert live(app).state.objections[0].objection == "price"


async def test_failed_save_is_reported_and_changes_nothing(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, session = meeting_app(store, tmp_path)
    notes = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        def full(*args, **kwargs):
            raise StoreError("sessions.db: the disk is full; nothing more can be saved until space is freed")

        monkeypatch.setattr(store, "append", full)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append((message, kw.get("severity"))))
        await pilot.press("down", "1")  # existing_customer, first choice
        await pilot.pause()
        assert live(app).state.answers == {}
        assert any(message.startswith("NOT SAVED") and severity == "error" for message, severity in notes)


async def test_keys_in_any_order_never_crash_or_lose_events(store: Store, tmp_path: Path) -> None:
    app, session = meeting_app(store, tmp_path)
    keys = ["o", "k", "g", "c", "s", "a", "m", "n", "e", "escape", "enter", "tab", "up", "down", "right_square_bracket",
            "left_square_bracket", "y", "n", "1", "2", "3", "r", "p", "x", "w", "space", "ctrl+z", "b", "f", "t", "z"]
    rng = random.Random(7)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(300):
            await pilot.press(rng.choice(keys))
        await pilot.pause()
        in_memory = app.screen.session.records if isinstance(app.screen, MeetingScreen) else None
    stored = store.events(session.id)
    if in_memory is not None:
        assert list(in_memory) == stored
    assert MeetingSession.resume(LIBRARY, store, session.id).records == tuple(stored)
