"""Start-up: `playbook run` to its first screen and `playbook match "too expensive"` from a fresh
process, before and after the engine was reorganised (issue 10), measured in the same run.

"Before" is the last commit with the flat layout, exported from git into a temporary folder and
run with the same interpreter and dependencies; it is skipped outside a git checkout. Runs of the
two versions alternate, so a busy machine slows both alike. `match` is measured with an empty
compiled-playbook cache (the first run after an edit) and with a warm one (every run after).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from bench.timing import median, ms, p99, table

BEFORE_COMMIT = "bcf2e42"  # "Move the shared hanging-indent helper...": the flat layout, last seen
ROOT = Path(__file__).resolve().parent.parent
RUNS = 10

FIRST_SCREEN = (
    "import time, sys; t = time.perf_counter()\n"
    "from playbook.cli import main\n"
    "from tui.app import PlaybookApp\n"
    "PlaybookApp.on_ready = lambda self: (print(time.perf_counter() - t, file=sys.__stdout__, flush=True), self.exit())\n"
    "main(['run', '--db', sys.argv[1]])\n"
)


def export_before(into: Path) -> Path | None:
    """The old tree from git, or None when there is no repository to read it from."""
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE_COMMIT, "playbook", "tui", "rules"],
                                 capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    # The old package found its library as `playbook.builtin` through packaging; give it the same.
    (into / "rules").rename(into / "playbook" / "builtin")
    return into


def _env(source: Path, cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(source), "TEXTUAL_HEADLESS": "1", "XDG_CACHE_HOME": str(cache)}


def first_screen(source: Path, cache: Path, tmp: Path, i: int) -> float:
    result = subprocess.run([sys.executable, "-c", FIRST_SCREEN, str(tmp / f"s{i}.db")], capture_output=True, text=True,
                            env=_env(source, cache), timeout=60, cwd=tmp)
    return float(result.stdout.strip().splitlines()[-1])


def match(source: Path, cache: Path, tmp: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "playbook", "match", "too expensive"], capture_output=True, check=True,
                   env=_env(source, cache), timeout=60, cwd=tmp)
    return time.perf_counter() - start


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        versions = {"after": ROOT}
        before = export_before(tmp / "before")
        if before is not None:
            versions["before"] = before
        times: dict[tuple[str, str], list[float]] = {}
        (tmp / "run").mkdir()
        for name, source in versions.items():  # the app's everyday start: its playbook compiled before
            first_screen(source, tmp / f"cache-{name}", tmp / "run", -1)
        for i in range(RUNS):
            for name, source in versions.items():
                work = tmp / f"{name}-{i}"
                work.mkdir()
                times.setdefault(("playbook run -> first screen", name), []).append(
                    first_screen(source, tmp / f"cache-{name}", tmp / "run", i))
                cache = work / "cache"
                times.setdefault(("playbook match, empty cache", name), []).append(match(source, cache, work))
                times.setdefault(("playbook match, warm cache", name), []).append(match(source, cache, work))
    rows = []
    for label in ("playbook run -> first screen", "playbook match, empty cache", "playbook match, warm cache"):
        after = times[(label, "after")]
        old = times.get((label, "before"))
        rows.append([label, ms(median(old)) if old else "-", ms(p99(old)) if old else "-", ms(median(after)), ms(p99(after)),
                     f"{median(after) / median(old):.2f}x" if old else "-"])
    headers = ["start-up (fresh process)", "before median", "before p99", "after median", "after p99", "after/before"]
    note = "" if before is not None else f"\n(before: commit {BEFORE_COMMIT} not available outside a git checkout)"
    return (f"Start-up before/after the sub-package layout (before = {BEFORE_COMMIT}, same run, {RUNS} runs each; "
            f"`run` with its cache warm; the old layout has no cache, so its two match rows do the same work)\n" + table(headers, rows) + note)


if __name__ == "__main__":
    print(run())
