"""`playbook accounts list|show|add|set|contact|import|export|link` and `playbook log`: the
accounts a rep sells to, on the same store as the meetings.

Commands that only read open the store read-only (nothing migrated or written); commands that
write open it normally and first file the meetings not yet under an account. ACCOUNT is an id or
a name, typed loosely: one clear match is taken, several are listed (the app asks instead).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from ..i18n import _
from ..textsafety import dumps
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, at_least_one, with_db

ACCOUNT_HELP = "an account's id or name (a near miss is found; several matches are listed)"
STAGES = ("suspect", "prospect", "customer", "lost")
KINDS = ("call", "email", "offer", "note")


def register(commands: argparse._SubParsersAction) -> None:
    accounts = commands.add_parser("accounts", help="the accounts you sell to: list, show, add, import, export")
    sub = accounts.add_subparsers(dest="accounts_command", metavar="ACTION")

    listing = with_db(sub.add_parser("list", help="accounts, last contacted first; or segments with --by"))
    listing.add_argument("--by", choices=("value", "need", "stage"),
                         help="group them: where the value is (80/20), by need, or by funnel stage, with a chart")
    listing.add_argument("--stage", choices=STAGES, help="only accounts at this funnel stage")
    listing.add_argument("--sort", choices=("recent", "name", "value"), default="recent", help="order (default: recent)")
    listing.add_argument("--limit", type=at_least_one, metavar="N", help="at most N accounts")
    listing.add_argument("--rep", metavar="NAME", help="only the accounts this rep held a meeting with")
    listing.add_argument("--team", metavar="NAME", help="only the accounts a rep of this team held a meeting with")
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    listing.set_defaults(func=cmd_list)

    showing = with_db(sub.add_parser("show", help="an account: its people, open items and timeline, newest first"))
    showing.add_argument("account", metavar="ACCOUNT", help=ACCOUNT_HELP)
    showing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    showing.set_defaults(func=cmd_show)

    adding = with_db(sub.add_parser("add", help="a new account"))
    adding.add_argument("name", metavar="NAME", help="the company's name")
    adding.add_argument("--stage", choices=STAGES, default="suspect", help="funnel stage (default: suspect)")
    _attribute_options(adding)
    adding.set_defaults(func=cmd_add)

    setting = with_db(sub.add_parser("set", help="change an account: its funnel stage (with a reason), value, need..."))
    setting.add_argument("account", metavar="ACCOUNT", help=ACCOUNT_HELP)
    setting.add_argument("--stage", choices=STAGES, help="move it in the funnel (needs --reason)")
    setting.add_argument("--reason", default="", help="why it moves (kept with the date)")
    setting.add_argument("--name", help="a new name")
    _attribute_options(setting)
    setting.set_defaults(func=cmd_set)

    contact = with_db(sub.add_parser("contact", help="add a person to an account, with their role in the decision"))
    contact.add_argument("account", metavar="ACCOUNT", help=ACCOUNT_HELP)
    contact.add_argument("name", metavar="NAME", help="the person's name")
    contact.add_argument("--role", choices=("decision_maker", "influencer", "user", "champion", "blocker"),
                         help="their role in the decision")
    contact.add_argument("--title", default="", help="their job title")
    contact.add_argument("--email", default="")
    contact.add_argument("--phone", default="")
    contact.set_defaults(func=cmd_contact)

    importing = with_db(sub.add_parser("import", help="import a CRM export (CSV with a header row)"))
    importing.add_argument("file", metavar="FILE.csv", help="columns such as company (required), contact, role, email, phone, stage")
    importing.set_defaults(func=cmd_import)

    exporting = with_db(sub.add_parser("export", help="every account and its people as CSV (one row per person)"))
    exporting.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    exporting.add_argument("--force", action="store_true", help="replace FILE if it exists")
    exporting.set_defaults(func=cmd_export)

    linking = with_db(sub.add_parser("link", help="say which account a meeting belongs to (those left to ask about)"))
    linking.add_argument("session", metavar="SESSION", nargs="?", help="a meeting's id (or a unique prefix)")
    linking.add_argument("account", metavar="ACCOUNT", nargs="?", help=ACCOUNT_HELP)
    linking.add_argument("--new", action="store_true", help="a new account named after the meeting's company")
    linking.add_argument("--none", action="store_true", help="the meeting belongs to no account")
    linking.set_defaults(func=cmd_link)
    accounts.set_defaults(func=lambda args: (accounts.print_help(), EXIT_USAGE)[1])

    log = commands.add_parser("log", help="log a call, e-mail, offer or note against an account")
    log.add_argument("account", metavar="ACCOUNT", help=ACCOUNT_HELP)
    log.add_argument("text", metavar="TEXT", help="what happened")
    log.add_argument("--kind", choices=KINDS, required=True, help="what it was")
    log.add_argument("--due", default="", metavar="WHEN", help="a follow-up date, in words (Friday, in 2 weeks, 2026-03-01)")
    with_db(log)
    log.set_defaults(func=cmd_log)


def _attribute_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--value", metavar="AMOUNT", help="what the account brings in a year")
    p.add_argument("--potential", metavar="AMOUNT", help="what it could bring")
    p.add_argument("--need", help="the need it buys for, a short label (clusters accounts)")
    p.add_argument("--effort", choices=("low", "medium", "high"), help="what it takes to learn its needs")
    p.add_argument("--buying-stage", dest="buying_stage",
                   choices=("research", "gathering_information", "comparing_prices", "qualifying_vendors", "setting_criteria",
                            "budgeting", "approving", "ordering", "reviewing", "trusting"),
                   help="where the customer is in their buying cycle")


# -- opening the book ---------------------------------------------------------------------------


def _shown_db(args: argparse.Namespace) -> str:
    from ..store.location import resolve, shown

    return shown(resolve(args.db))


def _db_exists(args: argparse.Namespace) -> bool:
    from ..store.location import exists, resolve

    return exists(resolve(args.db))


@contextmanager
def reading_book(args: argparse.Namespace, asking: bool = False) -> Iterator:
    """The account book on a store opened read-only; notes on stderr for meetings not yet filed
    under an account (and, with `asking`, for those waiting for the rep to say which account),
    and one warning per damaged row skipped."""
    from ..accounts.book import AccountBook
    from .common import reading_store

    with reading_store(args) as store:
        book = AccountBook(store)
        yield book
        _note_unfiled(book, asking=asking)


@contextmanager
def writing_book(args: argparse.Namespace) -> Iterator:
    """The account book on a store opened to write, meetings not yet under an account filed first."""
    from ..accounts.adopt import adopt_sessions
    from ..accounts.book import AccountBook
    from ..store.sqlite import Store

    store = Store.open(args.db)
    try:
        book = AccountBook(store)
        adoption = adopt_sessions(book)
        if adoption.linked:
            print(_("note: {n} earlier meeting(s) filed under their accounts ({created} new account(s))").format(
                n=adoption.linked, created=adoption.created), file=sys.stderr)
        yield book
    finally:
        for line in store.damaged:
            print(f"warning: {line}", file=sys.stderr)
        store.close()


def _note_unfiled(book, asking: bool) -> None:
    tables = book.tables
    if not tables.available:
        if book.store.sessions(kind="meeting", limit=1):
            print(_("note: this database was written before accounts were kept: its meetings show under accounts, with "
                    "their follow-ups, once a command that writes (playbook run, log, accounts add) has brought it up to date"),
                  file=sys.stderr)
        return
    if count := len(tables.sessions_to_check()):
        print(_("note: {n} meeting(s) not filed under an account yet; a command that writes (playbook run, log, accounts add) "
                "files them").format(n=count), file=sys.stderr)
    asked = tables.sessions_to_ask() if asking else []
    if asked:
        companies = ", ".join(dict.fromkeys(row[2] for row in asked))
        print(_("note: {n} meeting(s) could belong to more than one account ({companies}): see `playbook accounts link`").format(
            n=len(asked), companies=companies), file=sys.stderr)


def find_account(book, query: str):
    """The account `query` names, or None after printing why not (several: the candidates)."""
    from ..accounts.book import AccountError, AmbiguousAccount

    try:
        return book.find(query)
    except AmbiguousAccount as error:
        print(_("error: '{query}' matches several accounts; give more of the name, or the id:").format(query=error.query),
              file=sys.stderr)
        for c in error.candidates:
            print(f"  {c.account_id:>5}  {c.name}", file=sys.stderr)
        return None
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def _day(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d") if timestamp else ""


def _when(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M") if timestamp else ""


def _amount(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


# -- list, show ------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    if not _db_exists(args):
        print(_("no accounts yet"))
        return EXIT_OK
    with reading_book(args, asking=True) as book:
        if args.by:
            return _segments(book, args)
        lines = book.lines(args.sort, args.stage, args.limit, rep=args.rep, team=args.team)
    if args.format == "json":
        print(dumps([{**line.account.__dict__, "interactions": line.interactions, "meetings": line.meetings,
                      "next_due": line.next_due or None} for line in lines], indent=2))
        return EXIT_OK
    if not lines:
        print(_("no accounts yet"))
        return EXIT_OK
    print(f"{_('id'):>5}  {_('company'):28}  {_('stage'):9}  {_('value'):>10}  {_('need'):12}  {_('last contact'):12}  "
          f"{_('next due'):10}  {_('meetings'):>8}  {_('logged'):>6}")
    for line in lines:
        a = line.account
        print(f"{a.id:>5}  {_cut(a.name, 28):28}  {a.stage:9}  {_amount(a.value):>10}  {_cut(a.need, 12):12}  "
              f"{_day(a.last_contact_at):12}  {line.next_due:10}  {line.meetings:>8}  {line.interactions:>6}")
    return EXIT_OK


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _segments(book, args: argparse.Namespace) -> int:
    from ..accounts.segments import chart, segments

    view = segments(book, args.by)
    if args.format == "json":
        print(dumps({"by": view.by, "accounts": view.accounts, "value": view.value,
                     "pareto": {"accounts": view.pareto[0], "of": view.pareto[1]} if view.pareto else None,
                     "segments": [s.__dict__ for s in view.segments]}, indent=2))
        return EXIT_OK
    if not view.accounts:
        print(_("no accounts yet"))
        return EXIT_OK
    print(f"{_(view.by):22}  {_('accounts'):>8}  {_('value'):>12}  {_('share'):>6}")
    for s in view.segments:
        print(f"{_cut(s.label or '-', 22):22}  {s.accounts:>8}  {_amount(s.value):>12}  {s.share:>5.0f}%")
    print()
    print(view.pareto_line())
    drawn = chart(view)
    if drawn:
        print()
        print(drawn)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from ..accounts.timeline import KIND_LABELS, timeline

    if not _db_exists(args):
        print(_("error: no accounts yet in {path}").format(path=_shown_db(args)), file=sys.stderr)
        return EXIT_PROBLEMS
    with reading_book(args) as book:
        account = find_account(book, args.account)
        if account is None:
            return EXIT_PROBLEMS
        shown = timeline(book, account)
    if args.format == "json":
        print(dumps({"account": account.__dict__, "contacts": [c.__dict__ for c in shown.contacts],
                     "open_objections": [i.__dict__ for i in shown.open_objections],
                     "open_actions": [i.__dict__ for i in shown.open_actions],
                     "follow_ups": [i.__dict__ for i in shown.follow_ups],
                     "timeline": [e.__dict__ for e in shown.entries]}, indent=2))
        return EXIT_OK
    a = account
    print(f"{a.name}  (id {a.id})")
    facts = [_("stage: {stage}").format(stage=a.stage)]
    if a.buying_stage:
        facts.append(_("buying cycle: {stage}").format(stage=a.buying_stage.replace("_", " ")))
    if a.value is not None:
        facts.append(_("value: {value} a year").format(value=_amount(a.value)))
    if a.potential is not None:
        facts.append(_("potential: {value}").format(value=_amount(a.potential)))
    if a.need:
        facts.append(_("need: {need}").format(need=a.need))
    if a.effort:
        facts.append(_("effort: {effort}").format(effort=a.effort))
    if a.last_contact_at:
        facts.append(_("last contact: {day}").format(day=_day(a.last_contact_at)))
    print("  " + " · ".join(facts))
    print()
    print(_("People"))
    if not shown.contacts:
        print("  " + _("nobody yet (playbook accounts contact ACCOUNT NAME --role decision_maker)"))
    for c in shown.contacts:
        role = c.role.replace("_", "-") if c.role else _("role not known")
        print(f"  {_cut(c.name, 24):24}  {role:15}  {_cut(c.title, 24):24}  {c.email}")
    today = datetime.fromtimestamp(book.clock()).strftime("%Y-%m-%d")
    if shown.open_objections:
        print()
        print(_("Open objections ({n})").format(n=len(shown.open_objections)))
        for item in shown.open_objections:
            print(f"  {item.detail} ({item.status})  \"{item.text}\"  · {_day(item.at)}, {item.session_id}")
    if shown.open_actions or shown.follow_ups:
        print()
        print(_("To do"))
        for item in shown.open_actions:
            late = _(" (overdue)") if item.due and item.due < today else ""
            owner = f" ({item.detail})" if item.detail else ""
            print(f"  {item.due or _('no date'):10}{late}  {item.text}{owner}  · A:{item.session_id}#{item.number}")
        for follow in shown.follow_ups:
            late = _(" (overdue)") if follow.due < today else ""
            print(f"  {follow.due:10}{late}  {_(KIND_LABELS[follow.kind])}: {_cut(follow.text, 60)}  · F:{follow.id}")
    print()
    print(_("Timeline (newest first)"))
    for entry in shown.entries:
        detail = f" · {entry.detail}" if entry.detail else ""
        ref = f"  [{entry.ref}]" if entry.ref else ""
        text = entry.text.replace("\n", " / ")
        print(f"  {_when(entry.at):16}  {_(KIND_LABELS.get(entry.kind, entry.kind)):8}  {text}{detail}{ref}")
    return EXIT_OK


# -- writing ------------------------------------------------------------------------------------


def _refused(error: Exception) -> int:
    print(f"error: {error}", file=sys.stderr)
    return EXIT_PROBLEMS


def cmd_add(args: argparse.Namespace) -> int:
    from ..accounts.book import AccountError

    with writing_book(args) as book:
        try:
            account = book.add(args.name, args.stage, buying_stage=args.buying_stage or "", value=args.value,
                               potential=args.potential, need=args.need or "", effort=args.effort or "")
        except AccountError as error:
            return _refused(error)
        print(_("added {name} (id {id}), {stage}").format(name=account.name, id=account.id, stage=account.stage))
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    from ..accounts.book import AccountError

    with writing_book(args) as book:
        account = find_account(book, args.account)
        if account is None:
            return EXIT_PROBLEMS
        try:
            if args.stage:
                account = book.set_stage(account, args.stage, args.reason)
            elif args.reason:
                print(_("error: --reason goes with --stage (it says why the account moves)"), file=sys.stderr)
                return EXIT_USAGE
            account = book.update(account, name=args.name, buying_stage=args.buying_stage, value=args.value,
                                  potential=args.potential, need=args.need, effort=args.effort)
        except AccountError as error:
            return _refused(error)
        print(_("{name} (id {id}): {stage}").format(name=account.name, id=account.id, stage=account.stage))
    return EXIT_OK


def cmd_contact(args: argparse.Namespace) -> int:
    from ..accounts.book import AccountError

    with writing_book(args) as book:
        account = find_account(book, args.account)
        if account is None:
            return EXIT_PROBLEMS
        try:
            person = book.add_contact(account, args.name, args.role or "", args.title, args.email, args.phone)
        except AccountError as error:
            return _refused(error)
        print(_("{person} added to {name}").format(person=person.name, name=account.name)
              + (f" ({person.role.replace('_', '-')})" if person.role else ""))
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    from ..accounts.book import AccountError
    from ..i18n import language

    with writing_book(args) as book:
        account = find_account(book, args.account)
        if account is None:
            return EXIT_PROBLEMS
        try:
            logged = book.log(account, args.kind, args.text, args.due, language())
        except AccountError as error:
            return _refused(error)
        follow = _(", follow up by {date} (F:{id})").format(date=logged.due, id=logged.id) if logged.due else ""
        print(_("logged a {kind} with {name}{follow}").format(kind=logged.kind, name=account.name, follow=follow))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from ..accounts.book import AccountError
    from ..accounts.csvio import import_csv
    from ..i18n import language

    path = Path(args.file)
    with writing_book(args) as book:
        try:
            report = import_csv(book, path, language(), shown=args.file)
        except OSError as error:
            print(f"error: {args.file}: {error.strerror or error}", file=sys.stderr)
            return EXIT_PROBLEMS
        except AccountError as error:
            return _refused(error)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.encoding != "utf-8":
        print(_("note: {file} is not UTF-8; read as {encoding}").format(file=args.file, encoding=report.encoding), file=sys.stderr)
    print(_("imported {rows} row(s): {created} new account(s), {updated} updated, {contacts} new contact(s); {skipped} row(s) skipped").format(
        rows=report.rows - len(report.problems), created=report.accounts_created, updated=report.accounts_updated,
        contacts=report.contacts_added, skipped=len(report.problems)))
    return EXIT_PROBLEMS if report.problems else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from ..accounts.csvio import EXPORT_HEADER, export_csv
    from ..files import WriteError, write_text

    if not _db_exists(args):
        text = ",".join(EXPORT_HEADER) + "\n"
    else:
        with reading_book(args) as book:
            text = export_csv(book)
    if args.out:
        try:
            write_text(args.out, text, force=args.force)
        except WriteError as error:
            return _refused(error)
        print(_("wrote {file}").format(file=args.out))
    else:
        print(text, end="")
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    from ..accounts.adopt import open_questions, settle
    from ..accounts.book import AccountError

    with writing_book(args) as book:
        if not args.session:
            questions = open_questions(book)
            if not questions:
                print(_("every meeting is filed under its account (or under none)"))
                return EXIT_OK
            for q in questions:
                close = ", ".join(f"{name} (id {account_id})" for account_id, name in q.candidates)
                print(_("{company}: close to {close}").format(company=q.company, close=close))
                for session_id, prospect, at in q.sessions:
                    print(f"  {session_id}  {_when(at)}  {prospect}")
            print(_("say which with `playbook accounts link SESSION ACCOUNT`, `--new` or `--none`"))
            return EXIT_OK
        if sum(bool(x) for x in (args.account, args.new, args.none)) != 1:
            print(_("error: give an ACCOUNT, --new or --none"), file=sys.stderr)
            return EXIT_USAGE
        session_id = book.store.resolve(args.session)
        account_id = None
        if args.account:
            account = find_account(book, args.account)
            if account is None:
                return EXIT_PROBLEMS
            account_id = account.id
        try:
            account_id = settle(book, [session_id], account_id, new=args.new)
        except AccountError as error:
            return _refused(error)
        if account_id is None:
            print(_("meeting {id} belongs to no account").format(id=session_id))
        else:
            print(_("meeting {id} filed under {name}").format(id=session_id, name=book.get(account_id).name))
    return EXIT_OK
