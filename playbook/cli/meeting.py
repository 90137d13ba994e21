"""`playbook run`: the meeting app. Textual is imported only once the playbook and store are open."""

from __future__ import annotations

import argparse
import sys

from .common import DB_HELP, EXIT_PROBLEMS, PLAYBOOK_HELP, add_language_option, load_or_report


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="open the meeting app")
    run.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP + "; with --resume, the one the meeting recorded")
    run.add_argument("--resume", metavar="ID", help="resume an unfinished meeting (an id or a unique prefix; see `playbook sessions list`)")
    run.add_argument("--db", metavar="PATH", help=DB_HELP)
    run.add_argument("--export-dir", metavar="DIR",
                     help="where the summary screen saves documents (default: $PLAYBOOK_EXPORTS or ~/Documents/playbook)")
    add_language_option(run)
    run.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..meeting.origin import canonical_spec, playbook_for_session
    from ..meeting.session import SessionError
    from ..store.sqlite import Store

    playbook, spec, notices = None, "", ()
    if not args.resume:  # a broken playbook is reported before any database is made
        playbook = load_or_report(args.playbook)
        if playbook is None:
            return EXIT_PROBLEMS
        spec = canonical_spec(args.playbook)
    store = Store.open(args.db)  # a StoreError here is reported by main() with a clear message
    try:
        resume = store.resolve(args.resume) if args.resume else None
        if resume:
            # Resuming needs nothing but the session: the playbook it ran on comes back with it.
            try:
                found = playbook_for_session(store.info(resume), args.playbook)
            except SessionError as error:
                print(f"error: {error}", file=sys.stderr)
                return EXIT_PROBLEMS
            playbook, spec, notices = found.playbook, found.spec, found.notices
        from tui.app import PlaybookApp, run_app  # Textual is imported only here.

        export_dir = Path(args.export_dir).expanduser() if args.export_dir else None
        return run_app(PlaybookApp(playbook, store, resume, export_dir=export_dir, watch=spec, spec=spec, notices=notices,
                                   language=args.lang))
    finally:
        store.close()
