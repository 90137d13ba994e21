"""`playbook run`: the meeting app. Textual is imported only once the playbook and store are open."""

from __future__ import annotations

import argparse
import sys

from pathlib import Path

from .common import EXIT_PROBLEMS, EXIT_USAGE, PLAYBOOK_HELP, add_language_option, load_or_report, with_db


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="open the meeting app")
    run.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP + "; with --resume, the one the meeting recorded")
    run.add_argument("--resume", metavar="ID", help="resume an unfinished meeting (an id or a unique prefix; see `playbook sessions list`)")
    with_db(run)
    run.add_argument("--rep", metavar="NAME", help="who holds the meetings (default: $PLAYBOOK_REP, else `rep` in ~/.config/playbook/config.toml)")
    run.add_argument("--export-dir", metavar="DIR",
                     help="where the summary screen saves documents (default: $PLAYBOOK_EXPORTS or ~/Documents/playbook)")
    add_language_option(run)
    run.add_argument("--transcript", metavar="PATH",
                     help="follow a live transcript a speech-to-text tool writes (JSON Lines schema 1, WebVTT or SRT; "
                          "see `playbook transcript convert`): cards for what the customer says")
    run.add_argument("--replay", action="store_true", help="with --transcript: read the transcript from its start (default: its end)")
    run.add_argument("--early", action="store_true",
                     help="with --transcript: a partial line may raise a card once its objection is sure over two updates")
    run.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    if not _rep_known(args.rep):
        return EXIT_PROBLEMS
    from ..meeting.origin import canonical_spec, playbook_for_session
    from ..meeting.session import SessionError
    from ..store.sqlite import Store

    playbook, spec, notices = None, "", ()
    if (args.replay or args.early) and not args.transcript:
        print("error: --replay and --early go with --transcript PATH", file=sys.stderr)
        return EXIT_USAGE
    following = None
    if args.transcript:
        from ..transcript.live import Following

        path = Path(args.transcript).expanduser().absolute()
        if path.is_dir():
            print(f"error: {path}: is a directory; --transcript takes the transcript file", file=sys.stderr)
            return EXIT_PROBLEMS
        following = Following(path, args.replay, args.early)
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
                                   following=following, language=args.lang))
    finally:
        store.close()


def _rep_known(explicit: str | None) -> bool:
    """Check who holds the meetings before the app opens (a broken config file is said here, in
    one line); `--rep` holds for this run, the way every front end reads it (store/identity.py)."""
    import os

    from ..store.identity import ENV_VAR, IdentityError, clean_name, current_rep

    try:
        current_rep(explicit)
    except IdentityError as error:
        print(f"error: {error}", file=sys.stderr)
        return False
    if explicit is not None and clean_name(explicit):
        os.environ[ENV_VAR] = clean_name(explicit)
    return True
