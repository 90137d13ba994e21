"""The meeting app served to a browser with textual-serve: one `playbook run` process per tab.

What this adds to textual-serve's `Server`:
- the page is our own template: the terminal font comes from textual-serve's static folder, and
  nothing is fetched from outside the machine (its stock page asks Google Fonts for it);
- every app process is known to the server. A closed tab asks its app to quit; Ctrl+C or SIGTERM
  stops listening, asks every app to quit, and ends whatever has not within a few seconds, so no
  app process outlives the server (and an app whose server was killed outright quits on its own:
  see `PlaybookApp.check_server`). Nothing is lost either way: every event of a meeting is
  committed when it happens and what is half typed is kept as a draft when the app quits;
- a tab whose app ended (a crash) is closed, so the page says so instead of sitting still.

textual-serve is pinned to 1.1.x: the page template and the few private attributes used here
(`AppService._process`, `_task`) follow that version.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import Any, Callable

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from playbook.i18n import _, language

TEMPLATES = Path(__file__).parent / "templates"
QUIT_GRACE_SECONDS = 3.0  # how long an app is given to quit (it commits nothing slow) before it is ended


def app_command(db: str | None, playbook: str | None, python: str = sys.executable) -> str:
    """The shell command textual-serve runs for each tab. `exec`: the app is the server's own child,
    not a shell's, so it can be signalled and waited for, and it sees the server go."""
    words = [python, "-m", "playbook", "run"]
    if playbook:
        words += ["--playbook", playbook]
    if db:
        words += ["--db", db]
    return "exec " + shlex.join(words)


PRODUCT = "playbook"  # the product's name, the page's title in every language


class PlaybookServer(Server):
    """textual-serve's server with our page, tracked app processes and a clean stop."""

    def __init__(self, command: str, host: str, port: int, public_url: str | None = None,
                 announce: Callable[[], None] | None = None) -> None:
        super().__init__(command, host=host, port=port, title=PRODUCT, public_url=public_url, templates_path=TEMPLATES)
        self.announce = announce
        self.services: set[AppService] = set()
        self.sockets: set[web.WebSocketResponse] = set()

    # -- the page ---------------------------------------------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        static = f"{self.public_url}{request.app.router['static'].url_for(filename='/')}".rstrip("/") + "/"
        websocket = f"{self.public_url}{request.app.router['websocket'].url_for()}"
        scheme, rest = websocket.split(":", 1)
        return {
            "lang": language(),
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "static_url": static,
            "websocket_url": ("wss:" if scheme == "https" else "ws:") + rest,
            "text": {
                "title": PRODUCT,
                "opening": _("Opening playbook…"),
                "ended": _("This window's app has closed. Every meeting is saved."),
                "again": _("Open playbook again"),
            },
        }

    # -- one app process per tab ----------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """As textual-serve's, but the app process is tracked, and the tab is closed when its app ends."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            service = AppService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                 close=websocket.close, download_manager=self.download_manager, debug=self.debug)
            self.services.add(service)
            await service.start(width, height)
            service._task.add_done_callback(lambda _task: asyncio.ensure_future(websocket.close()))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken connection: the app is ended below all the same
            logging.getLogger("textual-serve").warning("tab closed: %s", error)
        finally:
            if service is not None:
                await end_app(service)
                self.services.discard(service)
            self.sockets.discard(websocket)
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        if self.announce is not None:  # said once the port is listened on
            self.announce()

    async def on_shutdown(self, app: web.Application) -> None:
        """Every app is asked to quit (and ended if it does not), then every tab is closed."""
        await asyncio.gather(*(end_app(service) for service in list(self.services)))
        await asyncio.gather(*(socket.close(code=WSCloseCode.GOING_AWAY) for socket in list(self.sockets)))

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM. A port that cannot be listened on raises OSError."""
        self.debug = debug
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, self.request_exit)
        try:
            web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                        print=None, access_log=None, shutdown_timeout=2 * QUIT_GRACE_SECONDS)
        finally:
            for service in list(self.services):  # only after an error inside aiohttp's own shutdown
                kill_now(service)
            loop.close()


async def end_app(service: AppService) -> None:
    """Ask the app to quit (as a closed tab does); SIGTERM it, then SIGKILL it, if it lingers."""
    process = service._process
    if process is None:
        return
    if process.returncode is None:
        await service.send_meta({"type": "quit"})
        for stop in (None, process.terminate, process.kill):
            if stop is not None and process.returncode is None:
                try:
                    stop()
                except ProcessLookupError:
                    pass
            try:
                await asyncio.wait_for(process.wait(), QUIT_GRACE_SECONDS)
                break
            except asyncio.TimeoutError:
                continue
    if service._task is not None:
        await service._task  # reads the app's last output, then ends at end of file


def kill_now(service: AppService) -> None:
    process = service._process
    if process is not None and process.returncode is None:
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
