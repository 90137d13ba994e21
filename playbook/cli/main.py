"""The `playbook` command: a thin layer over the engine, one module per command group.

Each group's module registers its sub-commands and imports the engine only inside the handlers,
so `playbook --help` starts fast and imports neither Textual nor jsonschema."""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from .. import __version__
from . import learning, matching, meeting, playbooks, sessions, training
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

GROUPS = (playbooks, matching, sessions, training, meeting, learning)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playbook",
        description="Sales playbooks: validate them, match objections, and run meetings and role-play.",
    )
    parser.add_argument("--version", action="version", version=f"playbook {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        # The store is imported only by the commands that use it, so only they can raise its error.
        store = sys.modules.get("playbook.store.sqlite")
        if store is not None and isinstance(exc, store.StoreError):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        raise
