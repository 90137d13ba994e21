"""`playbook serve` in a real browser: Debian's Chromium, driven by Playwright (pytest-playwright's
fixtures), never a browser downloaded by Playwright. Skipped, with one line in the summary, where
/usr/bin/chromium is missing (`.ci/run` installs it, so CI always runs these).

The tests wait on what the app draws (PAGE_PROBE in bench/browser.py watches the page's WebSocket)
and check the store through `playbook sessions`, the way a user would.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench.browser import (CHROMIUM, CHROMIUM_ARGS, PAGE_PROBE, chromium_present, forget_screen, served, wait_for_quiet,
                           wait_for_text, wait_until)

pytestmark = pytest.mark.skipif(not chromium_present(), reason=f"no Chromium at {CHROMIUM}")

KEY_DELAY_MS = 15  # a fast typist; keys still arrive one by one, as from a keyboard


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def server(tmp_path: Path):
    with served(tmp_path / "sessions.db") as running:
        yield running
        assert running.process.poll() is None, "the server ended by itself"
    assert running.process.returncode == 0


def open_app(context, url: str, requests: list[str] | None = None):
    """A new tab on the served app, once the app has drawn its start screen. Any request that would
    leave this machine is refused and noted in `requests` (with every other request)."""
    page = context.new_page()
    page.add_init_script(PAGE_PROBE)
    seen = requests if requests is not None else []
    page.on("request", lambda request: seen.append(request.url))
    page.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", "localhost"), lambda route: route.abort())
    page.goto(url)
    wait_for_text(page, "New meeting")
    return page


def start_meeting(page, prospect: str, company: str) -> None:
    """Typed as a rep types it: no click first (the page gives the app the keyboard)."""
    forget_screen(page)
    page.keyboard.type(prospect, delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")
    page.keyboard.type(company, delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")
    wait_for_text(page, "Customer says")


def say(page, text: str) -> None:
    """The customer's words into the 'customer says' box, recorded with Enter."""
    forget_screen(page)
    page.keyboard.press("o")
    wait_for_text(page, "Record objection")  # the footer once the box has the keyboard
    page.keyboard.type(text, delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")


def sessions(cli, db: Path) -> list[dict]:
    result = cli("sessions", "list", "--db", str(db), "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def objections_of(cli, db: Path, session_id: str) -> list[str]:
    result = cli("sessions", "show", session_id, "--db", str(db), "--events")
    assert result.code == 0, result.err
    return [line for line in result.out.splitlines() if "objection" in line.lower()]


def screen_colours(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours) if colours is not None else 1 << 20


def test_a_meeting_typed_in_chromium_is_recorded(page, server, cli, tmp_path: Path, output_path: str) -> None:
    db = tmp_path / "sessions.db"
    requests: list[str] = []
    page.close()  # the fixture's page carries no probe: open the app in a tab that has one
    tab = open_app(page.context, server.url, requests)
    assert len(server.app_processes()) == 1
    start_meeting(tab, "Anna Martin", "Dupont")
    say(tab, "honestly it is too expensive for us")
    wait_until(lambda: any("price" in line for line in objections_of(cli, db, sessions(cli, db)[0]["id"])),
               what="the objection in the store")
    wait_for_text(tab, "Price")  # the screen shows what was recorded
    wait_for_quiet(tab, 400)  # below the cursor's blink: the box no longer has the keyboard

    shot = Path(output_path) / "meeting-in-chromium.png"
    tab.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert screen_colours(shot) > 16, "the screenshot is blank"

    tab.close()
    wait_until(lambda: server.app_processes() == [], what="the tab's app to quit")

    [meeting] = sessions(cli, db)
    assert (meeting["prospect"], meeting["company"], meeting["ended_at"]) == ("Anna Martin", "Dupont", None)
    shown = cli("sessions", "show", meeting["id"], "--db", str(db))
    assert shown.code == 0
    assert "Anna Martin, Dupont" in shown.out and "Price" in shown.out
    assert any("price" in line for line in objections_of(cli, db, meeting["id"]))
    # Nothing came from outside this machine: only the server's page, script, style and font.
    assert requests and all(urlparse(url).hostname == "127.0.0.1" for url in requests), requests
    assert any(url.endswith(".ttf") for url in requests)


def test_two_tabs_at_once_each_record_their_meeting(page, server, cli, tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    page.close()
    first = open_app(page.context, server.url)
    second = open_app(page.context.browser.new_context(viewport={"width": 1100, "height": 700}), server.url)
    assert len(server.app_processes()) == 2
    start_meeting(first, "Anna Martin", "Dupont")
    start_meeting(second, "Bruno Keller", "Acme")
    lines = {first: ["this is too expensive", "we already work with a competitor", "my boss decides"],
             second: ["not now maybe next quarter", "send me a brochure", "the price is too high"]}
    for turn in range(3):  # the two tabs take turns while both apps are running
        for tab, said in lines.items():
            say(tab, said[turn])
    by_prospect = {}
    wait_until(lambda: len(sessions(cli, db)) == 2 and all(
        len(objections_of(cli, db, s["id"])) >= 3 for s in sessions(cli, db)), what="both meetings' objections")
    for meeting in sessions(cli, db):
        by_prospect[meeting["prospect"]] = objections_of(cli, db, meeting["id"])
    assert set(by_prospect) == {"Anna Martin", "Bruno Keller"}
    assert all(len(found) == 3 for found in by_prospect.values()), by_prospect
    for tab in lines:
        tab.close()
    wait_until(lambda: server.app_processes() == [], what="both apps to quit")
    events = cli("sessions", "show", sessions(cli, db)[0]["id"], "--db", str(db), "--events")
    assert events.code == 0 and events.err == ""  # no damaged row skipped


def test_a_refreshed_tab_offers_the_last_meeting_and_loses_nothing(page, server, cli, tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    page.close()
    tab = open_app(page.context, server.url)
    start_meeting(tab, "Anna Martin", "Dupont")
    say(tab, "it is too expensive for us")
    wait_until(lambda: len(objections_of(cli, db, sessions(cli, db)[0]["id"])) == 1, what="the objection in the store")
    forget_screen(tab)
    tab.reload()
    wait_for_text(tab, "Enter resumes your last meeting, with Anna Martin, Dupont · Tab: a new meeting")
    forget_screen(tab)
    tab.keyboard.press("Enter")
    wait_for_text(tab, "Customer says")
    say(tab, "and my boss decides anyway")
    wait_until(lambda: len(objections_of(cli, db, sessions(cli, db)[0]["id"])) == 2, what="the second objection")
    tab.close()
    wait_until(lambda: server.app_processes() == [], what="the tab's app to quit")
    [meeting] = sessions(cli, db)  # resumed, not a second meeting
    assert meeting["prospect"] == "Anna Martin"


def test_a_tab_closed_mid_sentence_keeps_the_text_as_a_draft(page, server, cli, tmp_path: Path) -> None:
    """Closed before the draft timer fires: the app quits on the server's word and keeps the text.
    The tab closes once the app has drawn the last key: keys the browser had not yet sent when its
    tab went away are the browser's to lose (closed at once, the last two were, on a quiet machine)."""
    from playbook.store import Store

    db = tmp_path / "sessions.db"
    page.close()
    tab = open_app(page.context, server.url)
    start_meeting(tab, "Anna Martin", "Dupont")
    forget_screen(tab)
    tab.keyboard.press("o")
    wait_for_text(tab, "Record objection")
    tab.keyboard.type("we have no budget left", delay=KEY_DELAY_MS)
    wait_for_text(tab, "we have no budget left")  # in the app: well within the draft timer's 0.8 s
    tab.close()
    wait_until(lambda: server.app_processes() == [], what="the tab's app to quit")
    [meeting] = sessions(cli, db)
    with Store.open(db, readonly=True) as store:
        assert store.drafts(meeting["id"]) == {"says": "we have no budget left"}
    again = open_app(tab.context, server.url)  # and the resumed meeting brings it back in the box
    forget_screen(again)
    again.keyboard.press("Enter")
    wait_for_text(again, "we have no budget left")
    again.close()
