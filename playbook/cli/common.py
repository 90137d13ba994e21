"""What every command shares: exit codes, printing problems, loading the playbook, opening the store."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from typing import Iterator, Sequence

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
PLAYBOOK_HELP = "a playbook directory or file (default: the built-in library)"
DB_HELP = "the session database (default: $PLAYBOOK_DB or ~/.local/share/playbook/sessions.db)"


def at_least_one(text: str) -> int:
    """An argparse type: a whole number of 1 or more (a count of rounds, results, sessions)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value}")
    return value


def interface_language(text: str) -> str:
    """An argparse type: a language the interface has a catalogue for ('fr', 'fr_FR' and 'FR' alike)."""
    from ..i18n import available_languages, normalised

    code = normalised(text)
    if code not in available_languages():
        raise argparse.ArgumentTypeError(f"no interface in {text!r} (available: {', '.join(available_languages())})")
    return code


def with_db(parser: argparse.ArgumentParser, help: str = DB_HELP) -> argparse.ArgumentParser:
    """`--db PATH`: the session database every store command takes; returns the parser."""
    parser.add_argument("--db", metavar="PATH", help=help)
    return parser


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """`--lang CODE`: the interface's language, instead of the playbook's own."""
    parser.add_argument("--lang", type=interface_language, metavar="CODE",
                        help="the interface's language (default: the playbook's own `language`), e.g. en or fr")


def use_language(args: argparse.Namespace, playbook=None) -> str:
    """Set the interface's language: --lang, else the playbook's, else English; returns it."""
    from ..i18n import language, set_language

    set_language(getattr(args, "lang", None) or (playbook.language if playbook is not None else None))
    return language()


def print_problems(problems: Sequence, fmt: str) -> None:
    from ..problems import format_problems

    print(format_problems(problems, fmt), file=sys.stdout if fmt == "json" else sys.stderr)


def load_or_report(path: str | None, fmt: str = "text"):
    """The playbook (from the compiled cache when its files are unchanged), or None after
    printing its problems."""
    from ..format.cache import load_cached

    playbook, problems = load_cached(path)
    if playbook is None:
        print_problems(problems, fmt)
    return playbook


@contextmanager
def reading_store(args: argparse.Namespace) -> Iterator:
    """The session store opened read-only (nothing created, migrated or written); the damaged rows
    a command skipped are said on stderr, one line each, once it is done."""
    from ..store.sqlite import Store

    store = Store.open(args.db, readonly=True)
    try:
        yield store
    finally:
        for line in store.damaged:
            print(f"warning: {line}", file=sys.stderr)
        store.close()
