"""`playbook prepare ACCOUNT` and `playbook agenda`: before the next meeting, and after the last ones.

`prepare` prints what is known and what is not about the account, next to the playbook's
preparation (checklist, research, objectives, the first 20 seconds); with `--objective` it keeps
the meeting's objectives, which the next meeting with the account starts with. `agenda` prints
what is overdue, due today and due this week across every account; `--done REF` ticks one off.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from ..i18n import _
from ..textsafety import dumps
from .accounts import ACCOUNT_HELP, _db_exists, _shown_db, find_account, reading_book, writing_book
from .common import EXIT_OK, EXIT_PROBLEMS, PLAYBOOK_HELP, load_or_report, with_db


def register(commands: argparse._SubParsersAction) -> None:
    prepare = commands.add_parser("prepare", help="prepare the next meeting with an account: what is known, what is not")
    prepare.add_argument("account", metavar="ACCOUNT", help=ACCOUNT_HELP)
    prepare.add_argument("--objective", action="append", default=[], metavar="TEXT",
                         help="an objective for the meeting (repeat for several; kept for the next meeting)")
    prepare.add_argument("--clear-objectives", action="store_true", help="forget the objectives set so far")
    prepare.add_argument("--type", dest="meeting_type", metavar="TYPE",
                         help="the kind of meeting (a meeting type of the playbook, e.g. review; 'sales' for the sales meeting)")
    prepare.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    with_db(prepare)
    prepare.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    prepare.set_defaults(func=cmd_prepare)

    agenda = commands.add_parser("agenda", help="follow-ups across accounts: overdue, today, this week")
    agenda.add_argument("--date", metavar="YYYY-MM-DD", help="the agenda as of this day (default: today)")
    agenda.add_argument("--done", metavar="REF", help="tick an item off (its A:... or F:... reference, as listed)")
    agenda.add_argument("--undo", action="store_true", help="with --done: untick it")
    with_db(agenda)
    agenda.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    agenda.set_defaults(func=cmd_agenda)


def _day(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d") if timestamp else ""


# -- prepare ----------------------------------------------------------------------------------------


def cmd_prepare(args: argparse.Namespace) -> int:
    from ..accounts.book import AccountError
    from ..accounts.preparation import prepare, save_preparation

    playbook = load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    meeting_type = None if args.meeting_type is None else ("" if args.meeting_type == "sales" else args.meeting_type)
    if meeting_type and playbook.meeting_type_of(meeting_type) is None:
        known = ", ".join(["sales", *(t.id for t in playbook.meeting_types)])
        print(_("error: playbook {name} has no meeting type '{type}' (known: {known})").format(
            name=playbook.name, type=meeting_type, known=known), file=sys.stderr)
        return EXIT_PROBLEMS
    writes = bool(args.objective or args.clear_objectives)
    if not writes and not _db_exists(args):
        print(_("error: no accounts yet in {path}").format(path=_shown_db(args)), file=sys.stderr)
        return EXIT_PROBLEMS
    with (writing_book(args) if writes else reading_book(args)) as book:
        account = find_account(book, args.account)
        if account is None:
            return EXIT_PROBLEMS
        try:
            sheet = prepare(book, playbook, account, meeting_type)
            if writes:
                kept = [] if args.clear_objectives else list(sheet.objectives)
                sheet = save_preparation(book, sheet, objectives=kept + args.objective, meeting_type=sheet.meeting_type)
        except AccountError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        title = playbook.meeting_type_of(sheet.meeting_type).title if sheet.meeting_type else _("Sales meeting")
    if args.format == "json":
        print(dumps(_sheet_json(sheet, title), indent=2))
    else:
        print(_sheet_text(sheet, title, date.fromtimestamp(book.clock()).isoformat()), end="")
    return EXIT_OK


def _sheet_json(sheet, title: str) -> dict:
    return {
        "account": sheet.account.__dict__, "meeting_type": sheet.meeting_type or "sales", "meeting": title,
        "decision_map": {role: [c.name for c in people] for role, people in sheet.decision_map},
        "gaps": list(sheet.gaps),
        "known": [k.__dict__ for k in sheet.known],
        "unanswered": [{"id": q.id, "text": q.text, "weight": q.weight} for q in sheet.unanswered],
        "open_objections": [i.__dict__ for i in sheet.open_objections],
        "parked_objections": [i.__dict__ for i in sheet.parked_objections],
        "overdue_actions": [i.__dict__ for i in sheet.overdue_actions],
        "due_actions": [i.__dict__ for i in sheet.due_actions],
        "research": [{"id": p.id, "prompt": p.prompt, "found": found} for p, found in sheet.research],
        "checklist": [{"item": item, "done": done} for item, done in sheet.checklist],
        "objectives": list(sheet.objectives), "suggested_objectives": list(sheet.suggestions),
        "opening": list(sheet.opening),
    }


def _sheet_text(sheet, title: str, today: str) -> str:
    a = sheet.account
    out = [_("Preparing: {title} with {name} ({stage})").format(title=title, name=a.name, stage=a.stage), ""]

    def section(heading: str, lines: list[str], empty: str = "") -> None:
        if lines or empty:
            out.append(heading)
            out.extend(f"  {line}" for line in lines) if lines else out.append(f"  {empty}")
            out.append("")

    section(_("Objectives for this meeting"), [f"[ ] {o}" for o in sheet.objectives],
            _("none set yet: playbook prepare ACCOUNT --objective \"...\" (ideas below)"))
    section(_("Left open by earlier meetings"),
            [_("objection ({category}, {status}): \"{text}\"").format(category=i.detail, status=i.status, text=i.text)
             for i in (*sheet.open_objections, *sheet.parked_objections)]
            + [_("OVERDUE since {due}: {text}").format(due=i.due, text=i.text) for i in sheet.overdue_actions]
            + [_("due {due}: {text}").format(due=i.due or _("(no date)"), text=i.text) for i in sheet.due_actions]
            + [_("follow up {due}: {text}").format(due=due, text=text.replace("\n", " / ")) for due, text in sheet.follow_ups],
            _("nothing: no earlier meeting left anything open"))
    people = []
    for role, holders in sheet.decision_map:
        names = ", ".join(c.name + (f" ({c.title})" if c.title else "") for c in holders) or "?"
        people.append(f"{role.replace('_', '-'):15} {names}")
    people += [f"{_('no role yet'):15} {c.name}" for c in sheet.contacts if not c.role]
    section(_("Who decides"), people)
    section(_("Gaps in the decision-maker map"), list(sheet.gaps))
    section(_("Known from earlier meetings"), [f"{k.question}: {k.answer}  ({_day(k.when)})" for k in sheet.known],
            _("nothing yet"))
    section(_("Not known yet (ask in the meeting)"), [f"{q.text}  [{q.weight:g}]" for q in sheet.unanswered[:8]]
            + ([_("... and {n} more").format(n=len(sheet.unanswered) - 8)] if len(sheet.unanswered) > 8 else []))
    section(_("Research before the meeting"),
            [f"{'[x]' if found else '[ ]'} {prompt.prompt}" + (f"\n      {found}" if found else "") for prompt, found in sheet.research])
    section(_("Checklist"), [f"{'[x]' if done else '[ ]'} {item}" for item, done in sheet.checklist])
    section(_("The first 20 seconds"), [f"{n}. {line}" for n, line in enumerate(sheet.opening, 1)])
    section(_("Objectives you could set"), list(sheet.suggestions))
    if sheet.last_meetings:
        from ..accounts.timeline import OUTCOME_WORDS

        section(_("Last meetings"), [f"{_day(m.created_at)}  {m.prospect}  {_(OUTCOME_WORDS.get(m.outcome or '', '-'))}  [{m.id}]"
                                     for m in sheet.last_meetings])
    return "\n".join(out).rstrip("\n") + "\n"


# -- agenda ----------------------------------------------------------------------------------------


def cmd_agenda(args: argparse.Namespace) -> int:
    from ..accounts.agenda import agenda, complete
    from ..accounts.book import AccountError

    try:
        today = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        print(_("error: --date {value} is not a date (YYYY-MM-DD)").format(value=args.date), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.done:
        with writing_book(args) as book:
            try:
                complete(book, args.done, not args.undo)
            except AccountError as error:
                print(f"error: {error}", file=sys.stderr)
                return EXIT_PROBLEMS
        print(_("{ref} ticked {state}").format(ref=args.done, state=_("open again") if args.undo else _("done")))
        return EXIT_OK
    if not _db_exists(args):
        print(_("nothing to follow up"))
        return EXIT_OK
    with reading_book(args, asking=True) as book:
        plan = agenda(book, today)
    if args.format == "json":
        print(dumps({"today": today.isoformat(), "overdue": [f.__dict__ for f in plan.overdue],
                     "today_items": [f.__dict__ for f in plan.due_today], "this_week": [f.__dict__ for f in plan.this_week]},
                    indent=2))
        return EXIT_OK
    if plan.empty:
        print(_("nothing to follow up until {day}").format(day=today.isoformat()))
        return EXIT_OK
    for heading, items in ((_("Overdue"), plan.overdue), (_("Today"), plan.due_today), (_("This week"), plan.this_week)):
        if not items:
            continue
        print(f"{heading} ({len(items)})")
        for f in items:
            owner = f" ({f.owner})" if f.owner else ""
            kind = "" if f.kind == "action" else f"{f.kind}: "
            print(f"  {f.due}  {f.account}: {kind}{f.text.splitlines()[0] if f.text else ''}{owner}  [{f.ref}]")
        print()
    print(_("tick one off with `playbook agenda --done REF`"))
    return EXIT_OK
