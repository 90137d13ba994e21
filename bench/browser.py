"""The served app driven from Debian's Chromium: shared by the browser tests and `bench/serve.py`.

- `served(...)` starts the real `playbook serve` on a free loopback port and stops it with SIGTERM;
- `CHROMIUM` and `CHROMIUM_ARGS` launch the system's browser (never one downloaded by Playwright);
- `PAGE_PROBE`, added to the page before textual-serve's script runs, watches the app's output on
  the page's WebSocket: `window.__probe.screen` is the text drawn so far (escape sequences left
  out), so a test can wait for a label to be on screen; after `__probe.expect(text)`, the next key
  typed adds to `__probe.latencies` the milliseconds from the key going down in the page to the
  browser frame painted after the app's output showing `text` arrived.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

CHROMIUM = os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium")  # Debian's; another path for other systems
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_SECONDS = 30.0

PAGE_PROBE = r"""
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  const controls = /\x1b(\[[0-9;?<>=!]*[ -\/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])/g;
  const probe = window.__probe = {screen: "", messages: 0, last: 0, pending: null, latencies: []};
  // expect(text): the next key typed should bring `text` on screen; its latency is then recorded.
  probe.expect = (text) => { probe.pending = {text: text, at: null}; };
  window.addEventListener("keydown", () => {
    if (probe.pending && probe.pending.at === null) probe.pending.at = performance.now();
  }, true);
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data === "string") return;
        const text = decoder.decode(event.data, {stream: true}).replace(controls, "");
        probe.screen += text;
        probe.messages += 1;
        probe.last = performance.now();
        const pending = probe.pending;
        if (pending && pending.at !== null && text.includes(pending.text)) {
          probe.pending = null;
          // The terminal parses the output in a task of its own, then paints on the next frame.
          setTimeout(() => requestAnimationFrame(() => probe.latencies.push(performance.now() - pending.at)));
        }
      });
    }
  }
  window.WebSocket = Watched;
})();
"""


def chromium_present() -> bool:
    return os.access(CHROMIUM, os.X_OK)


@dataclass
class Served:
    process: subprocess.Popen
    url: str
    port: int

    def app_processes(self) -> list[int]:
        """The ids of the app processes the server runs now (one per open tab)."""
        return children(self.process.pid)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(db: Path, *extra: str, env: dict[str, str] | None = None, connect: str = "127.0.0.1") -> Iterator[Served]:
    """`playbook serve --db DB` on a free port, listening (at `connect`) when entered, stopped
    (SIGTERM) on exit."""
    port = free_port()
    command = [sys.executable, "-m", "playbook", "serve", "--port", str(port), "--db", str(db), *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    try:
        wait_listening(process, port, connect)
        yield Served(process, f"http://{connect if ':' not in connect else f'[{connect}]'}:{port}/", port)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def wait_listening(process: subprocess.Popen, port: int, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"playbook serve ended with status {process.returncode}: {process.stderr.read()}")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"playbook serve did not listen on port {port} within {START_SECONDS:.0f} s")


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition, seconds: float = 45.0, what: str = "the condition") -> None:
    """Poll until `condition()` holds; the bound is generous (a loaded CI machine builds the matcher
    slowly) and costs nothing when it holds sooner."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.05)


def wait_for_text(page, text: str, timeout_ms: float = 45000) -> None:
    """Wait until the app has drawn `text` in the page (see PAGE_PROBE)."""
    page.wait_for_function("(text) => window.__probe.screen.includes(text)", arg=text, timeout=timeout_ms)


def wait_for_quiet(page, quiet_ms: float = 500, timeout_ms: float = 20000) -> None:
    """Wait until the app has drawn nothing for `quiet_ms` (and the browser has painted it): a frame
    arrives in several messages, and a screenshot taken between them shows half an update."""
    page.wait_for_function("(quiet) => performance.now() - window.__probe.last > quiet", arg=quiet_ms, timeout=timeout_ms)


def forget_screen(page) -> None:
    """Start watching afresh: later waits see only what is drawn from now on."""
    page.evaluate("window.__probe.screen = ''")
