"""The meeting app in a browser (`playbook serve`): keystroke to screen in Chromium, beside the same
keys in the terminal app, measured in the same run.

- browser: Playwright types into the 'customer says' box of a meeting in Debian's Chromium; each
  figure runs from the key going down in the page to the browser frame painted after the app's
  output showing the box's new text arrived (see PAGE_PROBE in bench/browser.py). The key travels
  page -> WebSocket -> server -> the app's stdin, and the screen update all the way back.
- terminal: bench/tui.py's figure for the same keys (key event posted -> next frame rendered by
  Textual, inside the app), built-in library.
The same 100 keys both ways: the first 100 characters of bench/tui.py's phrases, the box cleared
between phrases (untimed). Each key is typed once the previous one is on screen. The ratio says
what serving costs a keystroke; a frame is 16 ms.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, PAGE_PROBE, chromium_present, served, wait_for_quiet, wait_for_text
from bench.timing import median, ms, p99, table
from bench.tui import PHRASES, keystrokes

KEYS = 100


def phrases_for(count: int) -> list[str]:
    """bench/tui.py's phrases, in its order, cut to `count` characters in all."""
    out, left = [], count
    for phrase in PHRASES * 4:
        if left <= 0:
            break
        out.append(phrase[:left])
        left -= len(out[-1])
    return out


def browser_keystrokes(tmp: Path, count: int = KEYS) -> list[float]:
    """Seconds per key, key down in Chromium to the painted frame showing it."""
    from playwright.sync_api import sync_playwright

    latencies: list[float] = []
    with served(tmp / "serve-bench.db") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(PAGE_PROBE)
            page.goto(server.url)
            wait_for_text(page, "New meeting")
            page.keyboard.type("Bench", delay=10)
            page.keyboard.press("Enter")
            page.keyboard.press("Enter")
            wait_for_text(page, "Customer says")
            page.keyboard.press("o")
            wait_for_text(page, "Record objection")
            time.sleep(2)  # the meeting screen's worker builds the matcher meanwhile (well under a second)
            for phrase in phrases_for(count):
                for typed in range(1, len(phrase) + 1):
                    shown = phrase[:typed][-12:]  # the box's text as drawn after this key
                    page.evaluate("(text) => window.__probe.expect(text)", shown)
                    page.keyboard.type(phrase[typed - 1])
                    page.wait_for_function("(n) => window.__probe.latencies.length >= n", arg=len(latencies) + 1,
                                           timeout=10000)
                    latencies.append(page.evaluate(f"window.__probe.latencies[{len(latencies)}]") / 1000)
                page.keyboard.press("Control+u")  # clear the box: Textual's Input deletes to its start
                wait_for_quiet(page, 200)
        finally:
            browser.close()
    return latencies


def run() -> str:
    if not chromium_present():
        return f"Served app: skipped, no Chromium at {CHROMIUM} (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        _, frames = keystrokes(None, tmp_path)
        terminal = frames[:KEYS]
        browser = browser_keystrokes(tmp_path)
    rows = [
        ["terminal (Textual, in the app)", len(terminal), ms(median(terminal)), ms(p99(terminal)), ms(max(terminal)), "1.0x"],
        ["browser (Chromium via playbook serve)", len(browser), ms(median(browser)), ms(p99(browser)), ms(max(browser)),
         f"{median(browser) / median(terminal):.1f}x"],
    ]
    headers = ["keystroke to screen, 'customer says' box, built-in library", "keys", "median", "p99", "max", "vs terminal"]
    return "Served app (baseline: the same keys in the terminal app, same run)\n" + table(headers, rows)


if __name__ == "__main__":
    print(run())
