"""`playbook sessions list|show|export`: recorded meetings and role-play sessions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..i18n import N_, _, pgettext
from ..textsafety import dumps
from .common import (EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, PLAYBOOK_HELP, add_language_option, at_least_one, load_or_report,
                     reading_store, use_language, with_db)


PLAYBOOK_RECORDED_HELP = "show it with this playbook (default: the one the session recorded)"
OUTCOME_WORDS = {"won": N_("won"), "lost": N_("lost"), "next_meeting": N_("next meeting"), "no_decision": N_("no decision")}


def register(commands: argparse._SubParsersAction) -> None:
    sessions = commands.add_parser("sessions", help="list, show and export recorded meetings")
    sessions_commands = sessions.add_subparsers(dest="sessions_command", metavar="ACTION")

    listing = with_db(sessions_commands.add_parser("list", help="recorded sessions, most recent first"))
    listing.add_argument("--roleplay", action="store_true", help="role-play sessions instead of meetings")
    listing.add_argument("--all", action="store_true", help="meetings and role-play sessions")
    listing.add_argument("--limit", type=at_least_one, metavar="N", help="at most N sessions")
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_language_option(listing)
    listing.set_defaults(func=cmd_sessions_list)
    showing = with_db(sessions_commands.add_parser("show", help="a session's summary, or its event log"))
    showing.add_argument("id", metavar="ID", help="a session id or a unique prefix of one")
    showing.add_argument("--events", action="store_true", help="print the event log instead of the summary")
    showing.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_RECORDED_HELP)
    add_language_option(showing)
    showing.set_defaults(func=cmd_sessions_show)
    exporting = with_db(sessions_commands.add_parser(
        "export", help="a meeting's customer recap (for an e-mail or a CRM note), the rep's internal notes, or JSON"))
    exporting.add_argument("id", metavar="ID", help="a session id or a unique prefix of one")
    exporting.add_argument("--document", choices=("recap", "notes"), default="recap",
                           help="recap: for the customer (default); notes: the rep's internal notes")
    exporting.add_argument("--format", choices=("md", "html", "json"), default="md",
                           help="md (default), html (the recap only) or json (everything, for tools)")
    exporting.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    exporting.add_argument("--force", action="store_true", help="replace FILE if it exists")
    exporting.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_RECORDED_HELP)
    add_language_option(exporting)
    exporting.set_defaults(func=cmd_sessions_export)
    sessions.set_defaults(func=lambda args: (sessions.print_help(), EXIT_USAGE)[1])


def _when(timestamp: float | None) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M") if timestamp else ""


def _session_for(args: argparse.Namespace, store, info=None):
    """The session with the playbook it recorded (or --playbook), notes on stderr; None after
    printing why it cannot be shown."""
    from ..meeting.origin import playbook_for_session
    from ..meeting.session import MeetingSession, SessionError

    info = info or store.info(store.resolve(args.id))
    try:
        found = playbook_for_session(info, args.playbook)
    except SessionError as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    for notice in found.notices:
        print(f"note: {notice}", file=sys.stderr)
    use_language(args, found.playbook)  # the summary and recap in the language of the playbook it ran on
    return MeetingSession.resume(found.playbook, store, info.id, spec=found.spec)


def _recorded_playbook(info):
    """The playbook a session ran on, or None when it cannot be loaded (then English, or --lang)."""
    from ..meeting.origin import playbook_for_session
    from ..meeting.session import SessionError

    try:
        return playbook_for_session(info).playbook
    except SessionError:
        return None


def cmd_sessions_list(args: argparse.Namespace) -> int:
    from ..store.location import exists, resolve

    use_language(args)  # sessions may come from playbooks in several languages: English unless --lang
    if not exists(resolve(args.db)):
        print(_("no sessions yet"))
        return EXIT_OK
    with reading_store(args) as store:
        sessions = store.sessions(kind="roleplay" if args.roleplay else None if args.all else "meeting", limit=args.limit)
        if args.roleplay and args.format == "text":
            from ..training.progress import trend_section  # progress per area, as a chart under the list

            trend = trend_section(store, sessions)
    if args.format == "json":
        print(dumps([s.__dict__ for s in sessions], indent=2))
        return EXIT_OK
    if not sessions:
        print(_("no sessions yet"))
        return EXIT_OK
    head = (_("id"), _("last activity"), _("status"), _("outcome"), _("score"), _("events"), _("prospect"))
    print(f"{head[0]:12}  {head[1]:16}  {head[2]:8}  {head[3]:12}  {head[4]:>5}  {head[5]:>6}  {head[6]}")
    for s in sessions:
        status = pgettext("session status", "done") if s.finished else pgettext("session status", "open")
        score = f"{s.score:.0f}" if s.score is not None else "-"
        outcome = _(OUTCOME_WORDS[s.outcome]) if s.outcome in OUTCOME_WORDS else "-"
        who = s.prospect + (f", {s.company}" if s.company else "")
        print(f"{s.id:12}  {_when(s.updated_at):16}  {status:8}  {outcome:12}  {score:>5}  {s.events:>6}  {who}")
    if args.roleplay and trend:
        print("\n" + trend)
    return EXIT_OK


def cmd_sessions_show(args: argparse.Namespace) -> int:
    from ..model.events import event_to_json

    with reading_store(args) as store:
        info = store.info(store.resolve(args.id))
        if info.kind == "roleplay" and not args.events:
            from ..training.roleplay import recorded_markdown

            use_language(args, _recorded_playbook(info))
            print(recorded_markdown(info.company, store.events(info.id)), end="")
            return EXIT_OK
        session = _session_for(args, store, info)
        if session is None:
            return EXIT_PROBLEMS
        if args.events:
            for record in session.records:
                payload = event_to_json(record.event)
                print(f"{record.seq:4}  {_when(record.at)}  {payload['type']:22}  {dumps(payload['data'])}")
            return EXIT_OK
        from ..meeting.summary import to_markdown

        print(to_markdown(session.summary()), end="")
    return EXIT_OK


def cmd_sessions_export(args: argparse.Namespace) -> int:
    from ..files import WriteError, write_text
    from ..meeting.recap import render

    if args.format == "html" and args.document != "recap":
        print("error: --format html is for the customer recap (--document recap)", file=sys.stderr)
        return EXIT_USAGE
    document = "json" if args.format == "json" else "recap-html" if args.format == "html" else args.document
    with reading_store(args) as store:
        session = _session_for(args, store)
        if session is None:
            return EXIT_PROBLEMS
        text = render(session.summary(), document)
    if args.out:
        try:
            write_text(args.out, text, force=args.force)
        except WriteError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(_("wrote {file}").format(file=args.out))
    else:
        print(text, end="")
    return EXIT_OK
