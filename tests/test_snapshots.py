"""Screenshots of the main screens at fixed sizes: they catch layout regressions, not logic."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
from tui.app import PlaybookApp

LIBRARY = load_playbook(None)
SIZES = [(80, 24), (120, 40)]


class FixedClock:
    def __init__(self) -> None:
        self.now = 1_767_261_600.0  # 2026-01-01 10:00 UTC

    def __call__(self) -> float:
        self.now += 30
        return self.now


@pytest.fixture(autouse=True)
def deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    """UTC dates, a fixed session id and the lexical channel, so the screens are the same on every
    machine: the scores on a card depend on the channels (the semantic one is on by default when
    its extra is installed, and is handed over seconds after the lexical one, so a line may be
    scored by either). Recognition with it on is tested elsewhere (test_recognition,
    test_tui_live, test_serve_browser)."""
    import uuid

    monkeypatch.setenv("PLAYBOOK_SEMANTIC", "0")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("playbook.store.sqlite.uuid.uuid4", lambda: uuid.UUID("c0ffee00-0000-4000-8000-000000000001"))


def meeting(tmp_path: Path) -> tuple[Store, str]:
    store = Store.open(tmp_path / "snap.db")
    session = MeetingSession.start(LIBRARY, store, "Anna Martin", "Dupont Logistics", clock=FixedClock(), spec="builtin",
                                   planned_minutes=45)
    session.set_stage("discovery")
    session.answer("problem_to_solve", "Month-end reporting takes two days")
    session.answer("budget", "limited")
    session.answer("need_confirmed", "yes")
    session.set_stage("presentation")
    session.raise_objection("my boss has the final word", "authority")
    session.settle_objection(1, "parked")
    session.raise_objection("honestly that's too expensive for us", "price")
    session.add_action("Send the one-page summary", "Rep", "2026-01-02")
    session.record_outcome("next_meeting", "with the director")
    return store, session.id


def app_for(store: Store, session_id: str, tmp_path: Path) -> PlaybookApp:
    """The meeting app at a fixed moment: 12 minutes into the meeting."""
    return PlaybookApp(LIBRARY, store, resume=session_id, export_dir=Path("/home/rep/Documents/playbook"), spec="builtin",
                       clock=lambda: 1_767_261_600.0 + 12 * 60)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start_screen(snap_compare, tmp_path: Path, size) -> None:
    """With the follow-up the meeting left overdue (its action was due on 2 January) as the first line."""
    store, _ = meeting(tmp_path)
    assert snap_compare(PlaybookApp(LIBRARY, store, export_dir=tmp_path, clock=lambda: 1_767_607_200.0),  # 2026-01-05
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_meeting_screen(snap_compare, tmp_path: Path, size) -> None:
    """The objection list (one parked, one open), the outcome in the title, the stage tips, the clock."""
    store, session_id = meeting(tmp_path)
    assert snap_compare(app_for(store, session_id, tmp_path), terminal_size=size, run_before=_workers_done)


def test_meeting_screen_while_typing(snap_compare, tmp_path: Path) -> None:
    store, session_id = meeting(tmp_path)
    assert snap_compare(app_for(store, session_id, tmp_path), terminal_size=(120, 40), press=["o", *"my boss decid"],
                        run_before=_workers_done)


def test_whole_response_at_80x24(snap_compare, tmp_path: Path) -> None:
    """Working on the responses: the panel grows and the chosen response is shown whole."""
    store, session_id = meeting(tmp_path)
    assert snap_compare(app_for(store, session_id, tmp_path), terminal_size=(80, 24), press=["j", "enter"],
                        run_before=_workers_done)


def test_meeting_screen_60x20(snap_compare, tmp_path: Path) -> None:
    store, session_id = meeting(tmp_path)
    assert snap_compare(app_for(store, session_id, tmp_path), terminal_size=(60, 20), press=["o"], run_before=_workers_done)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary_screen(snap_compare, tmp_path: Path, size) -> None:
    store, session_id = meeting(tmp_path)
    assert snap_compare(app_for(store, session_id, tmp_path), terminal_size=size, press=["e"], run_before=_workers_done)


async def _workers_done(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_roleplay_scorecard(snap_compare, tmp_path: Path) -> None:
    from playbook.training.roleplay import RecordedRolePlay

    store = Store.open(tmp_path / "snap.db")
    game = RecordedRolePlay(LIBRARY, LIBRARY.scenario("price_sensitive_owner"), store, "Sam", seed=1, clock=FixedClock())
    for line in ("What problem would you like this to solve?", "Who will take the final decision on this?"):
        game.say(line)
    game.next_stage()
    game.next_stage()
    app = PlaybookApp(LIBRARY, store, roleplay=game)
    assert snap_compare(app, terminal_size=(120, 40), press=["ctrl+e"])


def test_roleplay_in_french(snap_compare, tmp_path: Path) -> None:
    """A French scenario mid-way: the customer speaks French, and so does the interface (the coach's
    lines, what was heard under each of the trainee's, the footer), as `playbook roleplay` sets it."""
    from playbook.i18n import set_language
    from playbook.training.roleplay import RecordedRolePlay

    french = load_playbook("builtin:fr")
    set_language(french.language)  # as the CLI does before the role-play starts
    store = Store.open(tmp_path / "snap.db")
    game = RecordedRolePlay(french, french.scenario("price_sensitive_owner"), store, "Sam", seed=1, clock=FixedClock())
    for line in ("Bonjour, merci de me recevoir.", "Quel problème voulez-vous résoudre ?", "C'est vous qui décidez ?"):
        game.say(line)
    game.next_stage()
    game.next_stage()
    game.say("On signe ?")
    assert snap_compare(PlaybookApp(french, store, roleplay=game), terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_meeting_following_a_transcript(snap_compare, tmp_path: Path, size) -> None:
    """Issue 20: the transcript pane (the last lines, the customer's label in colour, a partial line
    ending with …) and the card the customer's objection raised, waiting for v or z."""
    from playbook.transcript.lines import Line
    from playbook.transcript.live import Following

    store, session_id = meeting(tmp_path)
    MeetingSession.resume(LIBRARY, store, session_id).mark_speaker("SPEAKER_01")
    path = tmp_path / "call.jsonl"
    path.write_text("".join(line.dumps() + "\n" for line in (
        Line("u1", "So that is the whole picture for month-end reporting.", True, "SPEAKER_00"),
        Line("u2", "Right. To be honest, we are about to sign with another vendor.", True, "SPEAKER_01"),
        Line("u3", "I see. What matters most to you in", False, "SPEAKER_00"),
    )))
    app = PlaybookApp(LIBRARY, store, resume=session_id, export_dir=Path("/home/rep/Documents/playbook"), spec="builtin",
                      clock=lambda: 1_767_261_600.0 + 12 * 60, following=Following(path, replay=True))

    async def card_shown(pilot) -> None:
        from tui.widgets.transcript_pane import CardStrip

        for _ in range(200):
            await pilot.pause(0.05)
            if pilot.app.screen.query(CardStrip) and pilot.app.screen.query_one(CardStrip).display \
                    and "What matters" in str(pilot.app.screen.query_one("#transcript").render()):
                break
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=card_shown)


# -- the account screens ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def account_life(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's account life, written once (its clock is its own: the dates never move)."""
    import os
    import runpy

    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    db = tmp_path_factory.mktemp("life") / "life.db"
    live = runpy.run_path(str(Path(__file__).parent.parent / "examples" / "account_life.py"))["live"]
    try:
        with Store.open(db) as store:
            live(store)
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    return db


def accounts_app(db: Path, tmp_path: Path, playbook=LIBRARY) -> PlaybookApp:
    """The app on the account life, on 2026-04-20, two days after the account review."""
    import shutil

    copy = tmp_path / "life.db"
    shutil.copy(db, copy)
    return PlaybookApp(playbook, Store.open(copy), export_dir=Path("/home/rep/Documents/playbook"),
                       spec="builtin" if playbook is LIBRARY else "builtin:review", clock=lambda: 1_776_679_200.0)


async def _quiet(pilot) -> None:
    """The start-up notice gone, so that it does not cover the screen under test."""
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_accounts_screen(snap_compare, account_life: Path, tmp_path: Path, size) -> None:
    """The list, last contacted first, with the 80/20 chart beside it."""
    assert snap_compare(accounts_app(account_life, tmp_path), terminal_size=size, press=["f2", "v", "v", "v"], run_before=_quiet)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_account_screen(snap_compare, account_life: Path, tmp_path: Path, size) -> None:
    """People and their roles, what is open across meetings, the timeline newest first."""
    assert snap_compare(accounts_app(account_life, tmp_path), terminal_size=size, press=["f2", "enter"], run_before=_quiet)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_prepare_screen(snap_compare, account_life: Path, tmp_path: Path, size) -> None:
    """An account review prepared for the customer: objectives, ideas, what is open, who decides."""
    assert snap_compare(accounts_app(account_life, tmp_path, load_playbook("builtin:review")), terminal_size=size,
                        press=["f2", "enter", "p", "enter"], run_before=_quiet)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_agenda_screen(snap_compare, account_life: Path, tmp_path: Path, size) -> None:
    assert snap_compare(accounts_app(account_life, tmp_path), terminal_size=size, press=["f3"], run_before=_quiet)
