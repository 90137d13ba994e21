"""`playbook run`: the meeting app. Textual is imported only once the playbook and store are open."""

from __future__ import annotations

import argparse

from .common import DB_HELP, EXIT_PROBLEMS, PLAYBOOK_HELP, load_or_report


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="open the meeting app")
    run.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    run.add_argument("--resume", metavar="ID", help="resume an unfinished meeting (an id or a unique prefix; see `playbook sessions list`)")
    run.add_argument("--db", metavar="PATH", help=DB_HELP)
    run.add_argument("--rep", metavar="NAME", help="who holds the meetings (default: $PLAYBOOK_REP, else `rep` in ~/.config/playbook/config.toml)")
    run.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    if not _rep_known(args.rep):
        return EXIT_PROBLEMS
    playbook = load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    from ..store.sqlite import Store

    store = Store.open(args.db)  # a StoreError here is reported by main() with a clear message
    try:
        resume = store.resolve(args.resume) if args.resume else None
        from tui.app import PlaybookApp, run_app  # Textual is imported only here.

        return run_app(PlaybookApp(playbook, store, resume, watch=args.playbook or "builtin"))
    finally:
        store.close()


def _rep_known(explicit: str | None) -> bool:
    """Check who holds the meetings before the app opens (a broken config file is said here, in
    one line); `--rep` holds for this run, the way every front end reads it (store/identity.py)."""
    import os
    import sys

    from ..store.identity import ENV_VAR, IdentityError, clean_name, current_rep

    try:
        current_rep(explicit)
    except IdentityError as error:
        print(f"error: {error}", file=sys.stderr)
        return False
    if explicit is not None and clean_name(explicit):
        os.environ[ENV_VAR] = clean_name(explicit)
    return True
