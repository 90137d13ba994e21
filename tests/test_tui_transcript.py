"""The live transcript in the meeting app (issue 20), through Pilot: a transcript file written piece
by piece (half a line, the rest, a partial replaced by its final, truncation, rotation, a malformed
line), the cards it raises, the rep's keys (v accept, z dismiss, b this speaker is the customer),
and a resumed meeting that goes on where it stopped."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.model.events import CardDismissed, ObjectionRaised
from playbook.store import Store
from playbook.transcript.lines import Line
from playbook.transcript.live import Following
from tui.app import PlaybookApp
from tui.screens.meeting import MeetingScreen
from tui.widgets.transcript_pane import CardStrip

from conftest import until
from test_tui_live import collect_notes, flat, panel_text, screen_text

LIBRARY = load_playbook(None)
SIZE = (120, 40)
PRICE = "Honestly, it is way too expensive for us"


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "sessions.db") as store:
        yield store


def app_following(store: Store, path: Path, session_id: str | None = None, **options) -> tuple[PlaybookApp, str]:
    if session_id is None:
        session_id = MeetingSession.start(LIBRARY, store, "Anna Martin", "Dupont", spec="builtin").id
    return PlaybookApp(LIBRARY, store, resume=session_id, spec="builtin", following=Following(path, **options)), session_id


def write(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def say(path: Path, line: Line) -> None:
    """A speech-to-text tool appends one whole line."""
    write(path, line.dumps() + "\n")


def card_text(app: PlaybookApp) -> str:
    strip = app.screen.query_one(CardStrip)
    return flat(panel_text(app, "#card")) if strip.display else ""


def session_of(app: PlaybookApp) -> MeetingSession:
    assert isinstance(app.screen, MeetingScreen)
    return app.screen.session


async def test_half_a_line_then_the_rest_raises_the_card(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    app, _ = app_following(store, path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.session.matcher_ready)
        whole = Line("u1", PRICE, True, "SPEAKER_01").dumps()
        write(path, whole[:30])
        await pilot.pause(0.5)
        assert card_text(app) == "" and "way too expensive" not in flat(panel_text(app, "#transcript"))
        write(path, whole[30:] + "\n")
        await until(pilot, lambda: "Price objection?" in card_text(app))
        assert "way too expensive for us" in card_text(app) and "v accept" in card_text(app)
        assert "SPEAKER_01" in flat(panel_text(app, "#transcript"))


async def test_a_partial_line_is_replaced_by_its_final_and_only_the_final_raises_a_card(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    app, session_id = app_following(store, path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: session_of(app).matcher_ready)
        say(path, Line("u1", "Honestly it is way too expensive", False, "Anna", "customer"))
        await until(pilot, lambda: "too expensive …" in flat(panel_text(app, "#transcript")))
        await pilot.pause(0.4)
        assert card_text(app) == ""  # a partial raises nothing without --early
        say(path, Line("u1", PRICE, True, "Anna", "customer"))
        await until(pilot, lambda: "Price objection?" in card_text(app))
        pane = flat(panel_text(app, "#transcript"))
        assert pane.count("too expensive") == 1 and "…" not in pane  # replaced, not added
    assert [row["final"] for row in store.transcript(session_id)] == [True]


async def test_early_cards_come_from_a_stable_partial(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    app, _ = app_following(store, path, early=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: session_of(app).matcher_ready)
        say(path, Line("u1", "it is way too expensive", False, "Anna", "customer"))
        await pilot.pause(0.4)
        assert card_text(app) == ""
        say(path, Line("u1", "it is way too expensive for", False, "Anna", "customer"))
        await until(pilot, lambda: "Price objection?" in card_text(app))


async def test_truncation_rotation_and_a_malformed_line_keep_the_cards_coming(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text(Line("old", "said before the app started", True).dumps() + "\n")
    app, session_id = app_following(store, path)
    async with app.run_test(size=SIZE) as pilot:
        notes = collect_notes(app)
        await until(pilot, lambda: session_of(app).matcher_ready)
        write(path, '{"v": 1, "id": "broken"\n')
        say(path, Line("u1", PRICE, True, "Anna", "customer"))
        await until(pilot, lambda: "Price objection?" in card_text(app))
        assert any(f"{path}:2:" in note and "following goes on" in note for note in notes), notes
        await pilot.press("z")
        path.write_text(Line("t1", "Not now, maybe next quarter", True, "Anna", "customer").dumps() + "\n")  # truncated
        await until(pilot, lambda: "Timing objection?" in card_text(app))
        await pilot.press("z")
        os.rename(path, tmp_path / "call.jsonl.1")
        path.write_text(Line("r1", "My boss has the final word on this", True, "Anna", "customer").dumps() + "\n")
        await until(pilot, lambda: "objection?" in card_text(app) and "boss" in card_text(app))
        assert "said before" not in flat(screen_text(app))  # the app started at the file's end
    kept = [row["id"] for row in store.transcript(session_id)]
    assert kept == ["u1", "t1", "r1"]


async def test_the_reps_keys_accept_dismiss_and_mark_the_customer(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    app, session_id = app_following(store, path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: session_of(app).matcher_ready)
        say(path, Line("u1", "Thanks for making the time, Anna.", True, "SPEAKER_00"))
        say(path, Line("u2", "Not now, maybe next quarter", True, "SPEAKER_01"))
        await until(pilot, lambda: "Timing objection?" in card_text(app))
        say(path, Line("u2b", "Okay, I see.", True, "SPEAKER_00"))
        await until(pilot, lambda: "I see" in flat(panel_text(app, "#transcript")))
        await pilot.press("b")  # the card's speaker is the customer (not the latest line's)
        await pilot.press("z")
        await until(pilot, lambda: card_text(app) == "")
        assert session_of(app).state.speakers == {"SPEAKER_01": "customer"}
        assert "(customer)" not in flat(panel_text(app, "#transcript"))  # shown by colour, the label stays short
        say(path, Line("u3", "It is way too expensive, I'd say", True, "SPEAKER_00"))  # the rep
        say(path, Line("u4", PRICE, True, "SPEAKER_01"))
        await until(pilot, lambda: "Price objection?" in card_text(app))
        assert "I'd say" not in card_text(app)
        await pilot.press("v")
        await until(pilot, lambda: card_text(app) == "")
        assert "#1 Price" in flat(panel_text(app, "#objection"))
    events = [r.event for r in store.events(session_id)]
    assert [e for e in events if isinstance(e, CardDismissed)][0].objection == "timing"
    assert [e for e in events if isinstance(e, ObjectionRaised)] == [
        ObjectionRaised(1, PRICE, "price", next(e.score for e in events if isinstance(e, ObjectionRaised)))]


async def test_a_resumed_meeting_goes_on_where_it_stopped(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "call.jsonl"
    path.write_text("")
    app, session_id = app_following(store, path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: session_of(app).matcher_ready)
        say(path, Line("u1", "Send me a brochure", True, "Anna", "customer"))
        await until(pilot, lambda: "brochure" in flat(panel_text(app, "#transcript")))
    say(path, Line("u2", PRICE, True, "Anna", "customer"))  # said while the app was closed
    again, _ = app_following(store, path, session_id)
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "Price objection?" in card_text(again))
        pane = flat(panel_text(again, "#transcript"))
        assert "brochure" in pane and pane.count("too expensive") == 1
    assert [row["id"] for row in store.transcript(session_id)] == ["u1", "u2"]
    assert path.read_text().count("\n") == 2  # the app never wrote the file


async def test_without_a_transcript_the_card_keys_are_not_offered(store: Store, tmp_path: Path) -> None:
    session_id = MeetingSession.start(LIBRARY, store, "Anna", spec="builtin").id
    app = PlaybookApp(LIBRARY, store, resume=session_id, spec="builtin")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query("#transcript") and not app.screen.query("#card")
        footer = flat(screen_text(app))
        assert "Accept card" not in footer and "Dismiss card" not in footer
