"""The account screens driven through Pilot: the accounts list and its segments, one account,
preparing a meeting and starting it, the agenda, the overdue reminder, and a new meeting's
company matched to its account. Every change is checked in the store, where it must land."""

from __future__ import annotations

import runpy
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from playbook.accounts import AccountBook
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
from tui.app import PlaybookApp
from tui.screens.account import AccountScreen
from tui.screens.account_dialogs import ContactDialog, LineDialog, LogDialog, ObjectivesDialog, RecapDialog, StageDialog
from tui.screens.accounts import AccountsScreen
from tui.screens.agenda import AgendaScreen
from tui.screens.dialogs import ChoiceDialog
from tui.screens.meeting import MeetingScreen
from tui.screens.prepare import PrepareScreen
from tui.screens.start import StartScreen
from tui.screens.summary import SummaryScreen

ROOT = Path(__file__).parent.parent
LIBRARY = load_playbook(None)
REVIEW = load_playbook("builtin:review")
SIZE = (120, 40)
APRIL_20 = 1_776_679_200.0  # 2026-04-20 10:00 UTC, after the example's review
RELEASE_DB = Path(__file__).parent / "data" / "sessions-schema2.db"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture(scope="module")
def life_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's account life (Dupont Logistics, Globex, Initech), written once."""
    db = tmp_path_factory.mktemp("life") / "life.db"
    live = runpy.run_path(str(ROOT / "examples" / "account_life.py"))["live"]
    with Store.open(db) as store:
        live(store)
    return db


@pytest.fixture
def store(life_db: Path, tmp_path: Path):
    copy = tmp_path / "life.db"
    shutil.copy(life_db, copy)
    with Store.open(copy) as store:
        yield store


def app_for(store: Store, playbook=LIBRARY, now: float = APRIL_20) -> PlaybookApp:
    return PlaybookApp(playbook, store, export_dir=Path("/tmp"), spec="builtin" if playbook is LIBRARY else "builtin:review",
                       clock=lambda: now)


def rows(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def options(listing: OptionList) -> list[str]:
    """Each option's words: a plain line, or a marker and its lines (a hanging table)."""
    from rich.table import Table
    from rich.text import Text

    def words(cell) -> str:
        return cell.plain if isinstance(cell, Text) else str(cell)

    out = []
    for i in range(listing.option_count):
        prompt = listing.get_option_at_index(i).prompt
        if isinstance(prompt, Table):
            cells = [words(column._cells[0]) for column in prompt.columns]
            out.append(" ".join(cells).replace("\n", " / "))
        else:
            out.append(words(prompt))
    return out


async def test_the_start_screen_reminds_of_overdue_follow_ups(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        reminder = app.screen.query_one("#overdue", Static)
        assert "2 follow-ups overdue" in str(reminder.render())
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)


async def test_accounts_are_listed_found_by_typing_and_opened(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        table = screen.query_one("#accounts", DataTable)
        assert rows(table)[0] == "Dupont Logistics" and set(rows(table)) == {"Dupont Logistics", "Globex", "Initech"}
        await pilot.press("slash", *"glbx")
        await pilot.pause()
        assert rows(table) == ["Globex"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen) and app.title == "Globex"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        await pilot.press("escape", "escape")  # clear the box, leave it
        await pilot.press("n", *"Umbrella Corp", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen) and app.title == "Umbrella Corp"
    assert AccountBook(store).find("umbrella").stage == "prospect"


async def test_segments_show_where_the_value_is(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "v")
        await pilot.pause()
        shown = str(app.screen.query_one("#segments", Static).render())
        assert "Accounts by funnel stage" in shown and "customer" in shown
        await pilot.press("v", "v")
        await pilot.pause()
        shown = str(app.screen.query_one("#segments", Static).render())
        assert "80% of the value comes from 2 of 3 accounts" in shown and "top 20%  " in shown
        await pilot.press("v")
        await pilot.pause()
        assert not app.screen.query_one("#segments-box").display


async def open_account(pilot, app: PlaybookApp, name: str = "dupont") -> AccountScreen:
    await pilot.press("f2", "slash", *name, "enter")
    await pilot.pause()
    assert isinstance(app.screen, AccountScreen)
    return app.screen


async def test_the_account_shows_people_open_items_and_its_timeline(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(pilot, app)
        people = options(screen.query_one("#people", OptionList))
        assert people[0].startswith("Anna Martin  Champion") and people[1].startswith("Paul Durand  Decision-maker")
        open_items = options(screen.query_one("#open-items", OptionList))
        assert [line.split("  ")[0] for line in open_items] == ["☐ 2026-02-02", "☐ 2026-04-20", "☐ 2026-01-15"]
        assert "call: Anna: Paul is away until the 15th" in open_items[2]
        timeline = options(screen.query_one("#timeline", OptionList))
        assert timeline[0] == "◆ 2026-04-18 10:00  Account review with Anna Martin / next meeting agreed, 2 actions, 0 done"
        assert any("prospect → customer" in line for line in timeline)


async def test_logging_moving_adding_a_person_and_ticking_from_the_account(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(pilot, app)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogDialog)
        await pilot.press("2", "enter", *"Sent the training dates", "tab", *"2026-04-24", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StageDialog)
        await pilot.press("4", "enter", "enter")  # lost, and no reason: refused, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, StageDialog)
        await pilot.press(*"moved to a competitor", "enter")
        await pilot.pause()
        await pilot.press("c", *"Lea Roux", "tab", "4", "tab", *"Accountant", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen) and not isinstance(app.screen, ContactDialog)
        listing = screen.query_one("#open-items", OptionList)
        listing.focus()
        listing.highlighted = 0
        await pilot.press("space")
        await pilot.pause()
    book = AccountBook(store)
    dupont = book.find("dupont")
    logged = book.tables.interactions(dupont.id)[0]
    assert (logged.kind, logged.text, logged.due) == ("email", "Sent the training dates", "2026-04-24")
    assert (dupont.stage, book.tables.stage_changes(dupont.id)[0].reason) == ("lost", "moved to a competitor")
    assert [(c.name, c.role, c.title) for c in book.contacts(dupont)][-1] == ("Lea Roux", "user", "Accountant")
    assert [i.text for i in book.tables.items(dupont.id) if i.kind == "action"] == ["Train the two new accountants"]


async def test_the_last_meetings_customer_recap_is_one_key_away(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(pilot, app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RecapDialog)
        assert app.screen.title_text == "Customer recap of 2026-04-18 (Anna Martin)"
        assert "Meeting recap: Anna Martin, Dupont Logistics" in app.screen.markdown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)


async def test_preparing_sets_objectives_the_meeting_then_shows_and_checks_off(store: Store) -> None:
    book = AccountBook(store)
    globex = book.find("globex")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(pilot, app, "globex")
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PrepareScreen) and screen.sheet.meeting_type == ""
        listing = screen.query_one("#prep", OptionList)
        first_idea = screen.sheet.suggestions[0]
        assert listing.get_option_at_index(listing.highlighted).id == "idea:0"
        await pilot.press("enter")  # takes the highlighted idea
        await pilot.press("o", *"Meet the fleet manager", "enter")
        await pilot.pause()
        assert screen.sheet.objectives == (first_idea, "Meet the fleet manager")
        listing.highlighted = next(i for i in range(listing.option_count) if listing.get_option_at_index(i).id == "check:0")
        await pilot.press("space")
        listing.highlighted = next(i for i in range(listing.option_count) if listing.get_option_at_index(i).id == "research:news")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LineDialog)
        await pilot.press(*"Won a tender for 40 trucks", "enter")
        await pilot.pause()
        assert screen.sheet.checklist[0][1] and dict((p.id, f) for p, f in screen.sheet.research)["news"] == "Won a tender for 40 trucks"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        session = app.screen.session
        assert [o.text for o in session.state.objectives] == [first_idea, "Meet the fleet manager"]
        plan = options(app.screen.query_one("#plan", OptionList))
        assert plan[:3] == ["Objectives", f"◎ {first_idea}", "◎ Meet the fleet manager"]
        await pilot.press("l")
        plan_list = app.screen.query_one("#plan", OptionList)
        plan_list.highlighted = 2
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("e", "o")
        await pilot.pause()
        assert isinstance(app.screen, ObjectivesDialog)
        await pilot.press("space", "enter")  # the first one too
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    again = MeetingSession.resume(LIBRARY, store, session.id)
    assert [o.met for o in again.state.objectives] == [True, True]
    assert store.info(session.id).account_id == globex.id
    assert book.tables.open_preparation(globex.id) is None


async def test_a_review_is_prepared_for_a_customer_and_the_type_can_be_changed(store: Store) -> None:
    app = app_for(store, REVIEW)
    async with app.run_test(size=SIZE) as pilot:
        await open_account(pilot, app)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert screen.sheet.meeting_type == "review"
        assert "Preparing: Account review with Dupont Logistics" in str(screen.query_one("#prepare-head", Static).render())
        await pilot.press("t")
        await pilot.pause()
        assert screen.sheet.meeting_type == ""
        await pilot.press("t", "n")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.screen.session.state.meeting_type == "review"
        assert [s.id for s in app.screen.session.playbook.stages][1] == "satisfaction"


async def test_the_agenda_ticks_follow_ups_and_opens_their_account(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        listing = screen.query_one("#agenda", OptionList)
        shown = options(listing)
        assert shown[0] == "Overdue (2)" and "call: Anna: Paul is away" in shown[1] and "Kick-off with the finance team" in shown[2]
        assert shown[3] == "Today (1)" and "Train the two new accountants" in shown[4]
        await pilot.press("r")  # a logged call has no meeting, so no recap
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("down", "r")
        await pilot.pause()
        assert isinstance(app.screen, RecapDialog)
        await pilot.press("escape", "space")
        await pilot.pause()
        assert options(listing)[0] == "Overdue (1)"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen) and app.title == "Dupont Logistics"


async def test_a_new_meetings_company_is_matched_to_its_account(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Hank", "enter", *"globex", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        exact = app.screen.session
    assert store.info(exact.id).account_id == AccountBook(store).find("globex").id
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Bill", "enter", *"Initech Labs", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert [label for _id, label in app.screen.choices][-2:] == ["A new account: Initech Labs", "No account for this meeting"]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        chosen = app.screen.session
    assert store.info(chosen.id).account_id == AccountBook(store).find("initech").id


async def test_earlier_meetings_close_to_another_account_are_asked_about_at_start(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(RELEASE_DB, db)
    with Store.open(db) as store:
        app = PlaybookApp(LIBRARY, store, export_dir=tmp_path, clock=lambda: 1_768_903_200.0)  # 2026-01-20
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            assert app.screen.choices[0][1] == "Same account as Initech"
            await pilot.press("2")  # a new account
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            assert "1 follow-up overdue" in str(app.screen.query_one("#overdue", Static).render())
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT a.name FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.company = 'Initech Labs'"
                       ).fetchone() == ("Initech Labs",)
