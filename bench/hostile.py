"""Fuzzing the command line with hostile input: generated playbooks through validate, lint and
show; generated notes, names and damaged rows through a session, export and list.

Each run of a command is in-process, as `playbook ...` with its output captured. A traceback is
any exception that escapes the command, or the one line the command prints for an unexpected
error (the last-resort catch in `playbook.cli.main`). Target: 0 tracebacks and no control
character in any output. `python -m bench hostile` runs 10,000 of each; the test suite runs a
few hundred (tests/test_hostile_properties.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import median, ms, p99, table

MINIMAL = Path(__file__).parent.parent / "tests" / "fixtures" / "valid" / "minimal" / "playbook.yaml"
NASTY = [
    "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\x9b31m", "\x7f", "\x00", "\r", "\u202e", "\u2028", "\ud800",
    "[bold]", "[/]", "[link=x]", "{", "}", "[", "]", ":", "- ", "&a", "*a", "!!python/object:os.system", "<<: ",
    "'", '"', "\\", "#", "\t", "\n", "é", "東京", "\ufeff", "%TAG", "---", "...", "~", "no", "1e308", "-0",
]


def _nasty_text(rng: random.Random, size: int = 8) -> str:
    out = []
    for _ in range(rng.randint(1, size)):
        roll = rng.random()
        if roll < 0.5:
            out.append(rng.choice(NASTY))
        elif roll < 0.8:
            out.append(chr(rng.randint(0, 0x2FFF)))
        else:
            out.append(rng.choice(["too expensive", "budget", "Compared to what?", "id", "stages"]))
    return "".join(out)


def mutate_playbook(base: str, rng: random.Random) -> bytes:
    """One hostile variant of a valid playbook file."""
    text = base
    kind = rng.randrange(9)
    if kind == 0:  # something nasty inserted anywhere
        at = rng.randrange(len(text))
        text = text[:at] + _nasty_text(rng) + text[at:]
    elif kind == 1:  # a value replaced by escaped control characters
        text = text.replace("Compared to what?", '"' + "".join(rng.choice(["\\e", "\\x9b", "\\a", "\\0", "\\u202e", "ok"]) for _ in range(6)) + '"')
    elif kind == 2:  # a condition nested deep
        depth = rng.choice([5, 17, 60, 300, 900])
        op = rng.choice(["not", "all", "any"])
        leaf = "{fact: answer.budget, op: eq, value: none}"
        nested = leaf
        for _ in range(depth):
            nested = f"{{{op}: {nested}}}" if op == "not" else f"{{{op}: [{nested}]}}"
        text = text.replace("when: {fact: answer.budget, op: eq, value: none}", f"when: {nested}")
    elif kind == 3:  # lines cut, doubled or swapped
        lines = text.splitlines()
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        if rng.random() < 0.5:
            lines.insert(i, lines[j])
        text = "\n".join(lines[: rng.randint(1, len(lines))])
    elif kind == 4:  # a huge field
        text = text.replace("No budget.", "No budget " + "x" * rng.choice([1000, 100_000, 1_000_000]))
    elif kind == 5:  # composition pointing somewhere odd
        target = rng.choice(["../secret", "/etc", "builtin:../../..", "loop", "x\\0y", "~/.ssh", "builtin:fr"])
        key = rng.choice(["extends", "includes"])
        value = f"[{target!r}]" if key == "includes" else repr(target)
        text = text.replace("  name: Minimal playbook", f"  name: Minimal playbook\n  {key}: {value}")
    elif kind == 6:  # YAML tricks
        text += rng.choice(["\nx: &a [*a]\n", "\n<<: {a: 1}\n", "\n? [a]\n: b\n", "\n!!binary x\n", "\nplaybook: {}\n"])
    elif kind == 7:  # a type where another is expected
        text = text.replace("weight: 10", f"weight: {rng.choice(['ten', '1e308', '-1', '[]', '{}', 'null', 'true'])}")
    if kind == 8 or rng.random() < 0.05:  # odd encodings
        return text.encode(rng.choice(["latin-1", "utf-16", "utf-8-sig", "cp1252"]), errors="replace")
    return text.encode("utf-8", errors="surrogatepass")


def _run(args: list[str], stdin: str = "") -> tuple[int, str, str, str | None]:
    """`playbook ARGS` in-process: (status, stdout, stderr, the escaping exception if any)."""
    from playbook.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
        escaped = None
    except SystemExit as exit:
        code, escaped = int(exit.code or 0), None
    except BaseException as error:  # noqa: BLE001 - this is what is counted
        code, escaped = -1, f"{type(error).__name__}: {error}"
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue(), escaped


def _check(args: list[str], stdin: str = "") -> tuple[str | None, float]:
    """Run one command; return what went wrong (None if nothing) and how long it took."""
    from playbook.textsafety import is_printable

    start = time.perf_counter()
    code, out, err, escaped = _run(args, stdin)
    took = time.perf_counter() - start
    if escaped:
        return f"playbook {' '.join(args)}: {escaped}", took
    if "unexpected error" in err or "Traceback" in out + err:
        return f"playbook {' '.join(args)}: {err.strip().splitlines()[-1]}", took
    if code not in (0, 1, 2):
        return f"playbook {' '.join(args)}: exit status {code}", took
    if not is_printable((out + err).replace("\r", "")):
        return f"playbook {' '.join(args)}: a control character in the output", took
    return None, took


def fuzz_playbooks(count: int, seed: int = 19) -> tuple[list[str], list[float]]:
    rng = random.Random(seed)
    base = MINIMAL.read_text(encoding="utf-8")
    failures, times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pb"
        folder.mkdir()
        (Path(tmp) / "secret").mkdir()
        (Path(tmp) / "secret" / "config.yaml").write_text("password: hunter2\n")
        os.symlink("loop", folder / "loop")
        for _ in range(count):
            (folder / "playbook.yaml").write_bytes(mutate_playbook(base, rng))
            command = rng.choice([["validate", str(folder)], ["lint", str(folder)], ["show", str(folder)],
                                  ["show", "--format", "json", str(folder)], ["validate", "--format", "json", str(folder)]])
            failure, took = _check(command)
            times.append(took)
            if failure:
                failures.append(failure)
    return failures, times


def fuzz_notes(count: int, seed: int = 19) -> tuple[list[str], list[float]]:
    """Notes, names and actions typed or pasted, some rows then damaged, through the session and
    every command that shows it."""
    from playbook.format import load_playbook
    from playbook.meeting import MeetingSession
    from playbook.store import Store

    rng = random.Random(seed)
    library = load_playbook(None)
    failures, times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        store = Store.open(db)
        session = None
        for n in range(count):
            if session is None or n % 20 == 0:
                session = MeetingSession.start(library, store, _nasty_text(rng).replace("\ud800", ""), _nasty_text(rng).replace("\ud800", ""))
            text = _nasty_text(rng, 30).replace("\ud800", "")
            if rng.random() < 0.01:
                text += "y" * 100_000
            start = time.perf_counter()
            try:
                rng.choice([session.note, lambda t: session.add_action(t, owner=_nasty_text(rng, 3)), lambda t: session.raise_objection(t)])(text)
            except ValueError:
                pass  # the session refused it with a message (e.g. empty text): that is an answer
            except Exception as error:  # noqa: BLE001
                failures.append(f"session: {type(error).__name__}: {error}")
            times.append(time.perf_counter() - start)
            if rng.random() < 0.02:  # a row damaged on disk
                raw = sqlite3.connect(db)
                raw.execute(rng.choice([
                    "UPDATE sessions SET updated_at = 'x' WHERE rowid = (SELECT max(rowid) FROM sessions)",
                    "UPDATE sessions SET company = X'ff' WHERE rowid = (SELECT min(rowid) FROM sessions)",
                    "UPDATE events SET data = '{' WHERE seq = 2",
                    "UPDATE events SET at = 1e308 WHERE seq = 3",
                ]))
                raw.commit()
                raw.close()
            if n % 10 == 0:
                for command in (["sessions", "list", "--all", "--db", str(db)], ["sessions", "list", "--format", "json", "--db", str(db)],
                                ["sessions", "show", session.id, "--db", str(db)], ["sessions", "show", session.id, "--events", "--db", str(db)],
                                ["sessions", "export", session.id, "--db", str(db)],
                                ["sessions", "export", session.id, "--format", "json", "--db", str(db)]):
                    failure, took = _check(command)
                    times.append(took)
                    if failure:
                        failures.append(failure)
        store.close()
    return failures, times


def run(playbooks: int = 10_000, notes: int = 10_000) -> str:
    os.environ["PLAYBOOK_NO_CACHE"] = "1"
    rows = []
    for name, (failures, times), count in (
        ("generated playbooks through validate/lint/show", fuzz_playbooks(playbooks), playbooks),
        ("generated notes through session, show, export, list", fuzz_notes(notes), notes),
    ):
        rows.append([name, f"{count:,}", f"{len(times):,}", len(failures), ms(median(times)), ms(p99(times))])
        for failure in failures[:5]:
            rows.append(["  " + failure[:110], "", "", "", "", ""])
    return "Hostile input (issue 19): target 0 tracebacks\n" + table(
        ["fuzz", "inputs", "runs", "tracebacks", "median", "p99"], rows)


if __name__ == "__main__":
    counts = [int(a) for a in sys.argv[1:3]]
    print(run(*counts))
