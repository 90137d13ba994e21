"""`playbook serve` without a browser: where it listens, how it stops, and the store under many writers.

The server is the real command in a subprocess; its tabs are opened with aiohttp's WebSocket client,
speaking the protocol textual-serve's page speaks (tests/test_serve_browser.py opens them in Chromium).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import socket
import sqlite3
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from bench.browser import alive, children, served, wait_until
from playbook.cli.main import build_parser
from playbook.cli.serve import bind_problem, is_loopback
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store, StoreError
from tui.app import PlaybookApp
from tui.screens.meeting import MeetingScreen
from tui.screens.start import StartScreen

LIBRARY = load_playbook(None)


# -- where it listens ---------------------------------------------------------------------------


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on `port`, read from /proc/net/tcp and tcp6."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word in host order (little-endian here)
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, words))
    return found


def test_the_default_address_is_loopback() -> None:
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_served_by_default_it_listens_on_loopback_only(tmp_path: Path) -> None:
    with served(tmp_path / "s.db") as server:
        assert listening_addresses(server.port) == {"127.0.0.1"}
        said = server.process.stdout.readline()
    assert said == f"Serving the meeting app at http://127.0.0.1:{server.port} (Ctrl+C stops)\n"


def test_ipv6_loopback_listens_there_only(tmp_path: Path) -> None:
    with served(tmp_path / "s.db", "--host", "[::1]", connect="::1") as server:
        assert listening_addresses(server.port) == {"::1"}
        said = server.process.stdout.readline()
    assert said == f"Serving the meeting app at http://[::1]:{server.port} (Ctrl+C stops)\n"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "playbook.example.com"])
def test_any_other_address_without_public_is_refused(cli, tmp_path: Path, host: str) -> None:
    db = tmp_path / "s.db"
    result = cli("serve", "--host", host, "--db", str(db))
    assert result.code == 2
    assert result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith(f"playbook serve: error: refusing to listen on {host}:") and "--public" in line
    assert not db.exists()  # refused before anything was made


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_addresses_need_no_public(host: str) -> None:
    assert is_loopback(host)
    assert bind_problem(host, public=False) is None


def test_public_allows_another_address(cli, tmp_path: Path) -> None:
    assert bind_problem("0.0.0.0", public=True) is None
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")


def test_public_warns_once_and_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    """Listening on every address while the port is taken on loopback fails: nothing ever listens
    beyond this machine, yet the warning for a public address is seen, once."""
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "playbook", "serve", "--host", "0.0.0.0", "--public", "--port", str(port),
                                 "--db", str(tmp_path / "s.db")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len([line for line in lines if "reverse proxy" in line]) == 1, result.stderr
    assert lines[0].startswith("warning: listening on 0.0.0.0, reachable from other machines")
    assert lines[-1].startswith(f"playbook serve: error: cannot listen on 0.0.0.0:{port}: ")
    assert len(lines) == 2 and "Traceback" not in result.stderr


def test_a_broken_playbook_is_said_once_before_serving(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("stages: [\n")
    result = cli("serve", "--playbook", str(broken), "--db", str(tmp_path / "s.db"), "--port", "1")
    assert result.code == 1
    assert str(broken) in result.err and "Serving" not in result.out


def test_without_the_serve_extra_it_says_what_to_install(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if textual-serve were not installed
    monkeypatch.delitem(sys.modules, "tui.serve", raising=False)
    result = cli("serve", "--db", str(tmp_path / "s.db"))
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith("playbook serve: error: ") and line.endswith("install the serve extra: pip install 'playbook[serve]'")


# -- tabs and stopping ------------------------------------------------------------------------


async def open_tab(session: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    """A tab as the page opens it: the WebSocket, then wait for the app's first screen."""
    socket_ = await session.ws_connect(url.replace("http:", "ws:") + "ws?width=100&height=30")
    drawn = b""
    while b"New meeting" not in drawn:
        message = await asyncio.wait_for(socket_.receive(), 30)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        drawn += message.data
    return socket_


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
async def test_a_signal_stops_the_server_and_every_app(tmp_path: Path, stop: signal.Signals) -> None:
    with served(tmp_path / "s.db") as server:
        async with aiohttp.ClientSession() as session:
            tabs = [await open_tab(session, server.url) for _ in range(3)]
            apps = server.app_processes()
            assert len(apps) == 3
            server.process.send_signal(stop)  # to the server alone, not its process group
            started = time.monotonic()
            while server.process.poll() is None and time.monotonic() - started < 20:
                await asyncio.sleep(0.05)
            assert server.process.returncode == 0, server.process.stderr.read()
            assert [pid for pid in apps if alive(pid)] == []
            for tab in tabs:  # every tab was told, none left hanging
                message = await asyncio.wait_for(tab.receive(), 5)
                while message.type == aiohttp.WSMsgType.BINARY:
                    message = await asyncio.wait_for(tab.receive(), 5)
                assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
        assert "Traceback" not in server.process.stderr.read()


async def test_a_closed_tab_ends_its_app_and_the_server_goes_on(tmp_path: Path) -> None:
    with served(tmp_path / "s.db") as server:
        async with aiohttp.ClientSession() as session:
            first = await open_tab(session, server.url)
            second = await open_tab(session, server.url)
            apps = server.app_processes()
            assert len(apps) == 2
            await first.close()
            started = time.monotonic()
            while len(server.app_processes()) > 1 and time.monotonic() - started < 10:
                await asyncio.sleep(0.05)
            assert len(server.app_processes()) == 1
            assert server.process.poll() is None
            third = await open_tab(session, server.url)  # and new tabs still open
            assert len(server.app_processes()) == 2
            await second.close()
            await third.close()


async def test_apps_quit_on_their_own_when_the_server_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves the server no time to end its apps: each notices and quits within seconds."""
    with served(tmp_path / "s.db") as server:
        async with aiohttp.ClientSession() as session:
            tabs = [await open_tab(session, server.url) for _ in range(2)]
            apps = server.app_processes()
            server.process.kill()
            server.process.wait()
            started = time.monotonic()
            while any(alive(pid) for pid in apps) and time.monotonic() - started < 10:
                await asyncio.sleep(0.1)
            assert [pid for pid in apps if alive(pid)] == []
            for tab in tabs:
                await tab.close()


# -- a refreshed or closed tab: the start screen offers the last meeting -------------------------


@pytest.fixture
def served_app(monkeypatch: pytest.MonkeyPatch):
    """The app as textual-serve runs it: its web driver says `is_web`; everything else is the real app."""
    monkeypatch.setattr(PlaybookApp, "is_web", True)
    return PlaybookApp


async def test_served_start_screen_resumes_the_last_meeting_with_enter(served_app, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    older = MeetingSession.start(LIBRARY, store, "Older Prospect", "Old Co", clock=lambda: 1000.0)
    last = MeetingSession.start(LIBRARY, store, "Anna Martin", "Dupont", clock=lambda: 2000.0)
    last.raise_objection("it is too expensive for us")
    app = served_app(LIBRARY, store, spec="builtin")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert "Anna Martin, Dupont" in str(screen.query_one("#resume-last").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.session.id == last.id != older.id
        assert [o.objection for o in app.screen.session.state.objections] == ["price"]


async def test_served_start_screen_tab_goes_to_a_new_meeting(served_app, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    MeetingSession.start(LIBRARY, store, "Anna Martin", "Dupont")
    app = served_app(LIBRARY, store, spec="builtin")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab", *"Bea", "enter", *"Acme", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.session.state.prospect == "Bea"
    assert len(store.sessions()) == 2


async def test_in_a_terminal_the_start_screen_is_unchanged(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    MeetingSession.start(LIBRARY, store, "Anna Martin", "Dupont")
    app = PlaybookApp(LIBRARY, store, spec="builtin")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#resume-last")
        assert app.screen.focused.id == "prospect"


async def test_served_start_screen_with_nothing_to_resume(served_app, tmp_path: Path) -> None:
    app = served_app(LIBRARY, Store.open(tmp_path / "s.db"), spec="builtin")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#resume-last")
        assert app.screen.focused.id == "prospect"


async def test_an_app_told_to_quit_keeps_what_was_half_typed(tmp_path: Path) -> None:
    """A closed tab, SIGTERM or a vanished server end the app with ExitApp, not ctrl+q: the text in
    the box is kept all the same, even before the pause that saves a draft."""
    from textual import messages

    store = Store.open(tmp_path / "s.db")
    session = MeetingSession.start(LIBRARY, store, "Anna Martin")
    app = PlaybookApp(LIBRARY, store, resume=session.id, spec="builtin")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o", *"we have no budget")
        app.post_message(messages.ExitApp())  # what textual-serve's "quit" becomes in the app
        await pilot.pause()
    assert store.drafts(session.id) == {"says": "we have no budget"}


# -- many writers on one store ------------------------------------------------------------------


def _write_meeting(db: str, name: str, count: int, ready, go) -> None:
    """One tab's app, reduced to its writes: a meeting, then `count` notes as fast as it can."""
    store = Store.open(db)
    session = MeetingSession.start(LIBRARY, store, name)
    ready.put(session.id)
    go.wait()
    for number in range(count):
        session.note(f"{name} note {number}")
        if number % 10 == 0:
            session.save_draft("says", f"{name} typing {number}")
    store.close()


def test_many_processes_write_one_store_without_losing_or_corrupting_events(tmp_path: Path) -> None:
    """Six processes append to the same SQLite file at once (WAL, BEGIN IMMEDIATE, a busy timeout):
    every event is there once, in order, and the file passes SQLite's integrity check."""
    db = str(tmp_path / "shared.db")
    Store.open(db).close()
    context = multiprocessing.get_context("spawn")
    ready, go = context.Queue(), context.Event()
    writers, count = 6, 150
    processes = [context.Process(target=_write_meeting, args=(db, f"Tab{n}", count, ready, go)) for n in range(writers)]
    for process in processes:
        process.start()
    ids = [ready.get(timeout=60) for _ in processes]
    go.set()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    with Store.open(db) as store:
        for session_id in ids:
            records = store.events(session_id)
            assert [r.seq for r in records] == list(range(1, count + 2))  # the start, then every note
            name = store.info(session_id).prospect
            assert [r.event.text for r in records[1:]] == [f"{name} note {n}" for n in range(count)]
            assert store.drafts(session_id)["says"] == f"{name} typing {(count - 1) // 10 * 10}"
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_one_meeting_open_in_two_tabs_refuses_the_second_writer(tmp_path: Path) -> None:
    """The same meeting resumed in two tabs: what one records first is kept; the other is told its
    event was not saved (the screen says NOT SAVED), and nothing in the file is damaged."""
    db = tmp_path / "s.db"
    first_store, second_store = Store.open(db), Store.open(db)
    first = MeetingSession.start(LIBRARY, first_store, "Anna Martin")
    second = MeetingSession.resume(LIBRARY, second_store, first.id)
    first.note("from the first tab")
    with pytest.raises(StoreError, match="already saved by another program"):
        second.note("from the second tab")
    assert second.state.notes == ()
    with Store.open(db) as store:
        assert [r.event.text for r in store.events(first.id)[1:]] == ["from the first tab"]
    resumed = MeetingSession.resume(LIBRARY, second_store, first.id)  # reopening shows what was kept
    resumed.note("after reopening")
    assert [n.text for n in resumed.state.notes] == ["from the first tab", "after reopening"]
