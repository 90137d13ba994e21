"""The `playbook` command: a thin layer over the engine, one module per command group.

Each group's module registers its sub-commands and imports the engine only inside the handlers,
so `playbook --help` starts fast and imports neither Textual nor jsonschema.

Every command's output goes through one `SafeStream`: text from playbooks, sessions and imports
is data, and control characters in it are shown (`^[`), never sent to the terminal. Whatever goes
wrong ends in one line on stderr and exit status 1 (2 for a command line that cannot be parsed):
a usage mistake, an output that cannot be written (a full disk, /dev/full), a store error, and, as
the last resort, an unexpected error, whose traceback goes to a log file named in that line.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Callable, Sequence

from .. import __version__
from ..textsafety import SafeStream
from . import accounts, followup, learning, matching, meeting, playbooks, serve, sessions, team, training, transcript
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

GROUPS = (playbooks, matching, sessions, training, meeting, serve, learning, accounts, followup, team, transcript)


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake said in one line (the usage itself is one --help away)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


class OutputFailed(Exception):
    """Standard output or error could not be written (a full disk, /dev/full, a closed pipe)."""

    def __init__(self, error: OSError, stream: Any) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error
        self.stream = stream


class _Output(SafeStream):
    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as error:
            raise OutputFailed(error, self.stream) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as error:
            raise OutputFailed(error, self.stream) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="playbook",
        description="Sales playbooks: validate them, match objections, and run meetings and role-play.",
    )
    parser.add_argument("--version", action="version", version=f"playbook {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = _Output(sys.stdout)  # type: ignore[assignment]
    if sys.stderr is not None:
        sys.stderr = _Output(sys.stderr)  # type: ignore[assignment]
    if sys.stdin is not None and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # an undecodable byte typed or piped is shown, never fatal
    try:
        code = _run(argv)
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except OutputFailed as failure:
        return _output_failed(failure, saved[1])
    finally:
        sys.stdout, sys.stderr = saved


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except OutputFailed:
        raise
    except Exception as exc:
        # The store is imported only by the commands that use it, so only they can raise its error.
        store = sys.modules.get("playbook.store.sqlite")
        if store is not None and isinstance(exc, store.StoreError):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        from ..logs import crash_line

        print(crash_line(exc, f"playbook {args.command}"), file=sys.stderr)
        return EXIT_PROBLEMS


def _output_failed(failure: OutputFailed, stderr: Any) -> int:
    """A reader that went away (`| head`) is not an error; anything else is said on stderr, once.
    The broken stream is pointed at /dev/null so that Python's own flush at exit stays quiet."""
    error = failure.error
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, failure.stream.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass  # not a real file (a test's capture): nothing will flush it at exit
    if isinstance(error, BrokenPipeError) or failure.stream is stderr:
        return EXIT_OK if isinstance(error, BrokenPipeError) else EXIT_PROBLEMS
    try:
        print(f"playbook: cannot write the output: {error.strerror or error}", file=stderr)
        stderr.flush()
    except (OSError, AttributeError):
        pass
    return EXIT_PROBLEMS
