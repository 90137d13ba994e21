"""The `playbook` command: a thin layer over the engine. Textual is imported only by `run`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, Sequence

from . import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _print_problems(problems: Sequence, fmt: str) -> None:
    from .problems import format_problems

    print(format_problems(problems, fmt), file=sys.stdout if fmt == "json" else sys.stderr)


def _load_or_report(path: str | None, fmt: str = "text"):
    """The playbook, or None after printing its problems."""
    from .loader import check_playbook

    playbook, problems = check_playbook(path)
    if playbook is None:
        _print_problems(problems, fmt)
    return playbook


def cmd_validate(args: argparse.Namespace) -> int:
    from .loader import check_playbook

    paths = args.paths or [None]
    status = EXIT_OK
    all_problems = []
    for path in paths:
        playbook, problems = check_playbook(path)
        all_problems += problems
        if playbook is None:
            status = EXIT_PROBLEMS
            continue
        if args.format == "text":
            counts = ", ".join(f"{n} {name}" for name, n in playbook.counts().items())
            prefix = f"{path}: " if len(paths) > 1 else ""
            print(f"{prefix}ok: {counts}")
    if args.format == "json":
        print(json.dumps({"ok": status == EXIT_OK, "problems": [p.to_json() for p in sorted(all_problems)]}, indent=2))
    elif all_problems:
        _print_problems(all_problems, "text")
    return status


def cmd_show(args: argparse.Namespace) -> int:
    from .model import to_jsonable
    from .outline import render_outline

    playbook = _load_or_report(args.path)
    if playbook is None:
        return EXIT_PROBLEMS
    if args.format == "json":
        print(json.dumps(to_jsonable(playbook), indent=2, ensure_ascii=False))
    else:
        print(render_outline(playbook))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    playbook = _load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    from tui.app import PlaybookApp  # Textual is imported only here.

    PlaybookApp(playbook).run()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playbook",
        description="Sales playbooks: validate them, match objections, and run meetings and role-play.",
    )
    parser.add_argument("--version", action="version", version=f"playbook {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check playbooks and report every problem at path:line:col")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="playbook directories or files (default: the built-in library)")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    validate.set_defaults(func=cmd_validate)

    show = commands.add_parser("show", help="print a readable outline of a playbook, or all of it as JSON")
    show.add_argument("path", nargs="?", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    show.set_defaults(func=cmd_show)

    run = commands.add_parser("run", help="open the meeting app")
    run.add_argument("--playbook", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    run.set_defaults(func=cmd_run)
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


if __name__ == "__main__":
    sys.exit(main())
