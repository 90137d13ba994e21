"""`playbook report` (what the team's meetings say) and `playbook learn` (what customers really
say, as a playbook overlay). Both read the session store; neither lets a prospect's or a
company's name out unless `--with-names` asks for it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, EXIT_PROBLEMS, at_least_one, load_or_report, with_db

FORMATS = ("text", "json", "csv", "html")


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="what the team's meetings say: objections, responses, closes, verdicts, role-play")
    _filters(report)
    report.add_argument("--playbook", metavar="PATH",
                        help="only meetings held on this playbook, and its names for things (default: every meeting, named by the built-in library)")
    report.add_argument("--format", choices=FORMATS, default="text", help="text (default, with bar charts), json, csv, or html (one self-contained page)")
    report.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    report.add_argument("--force", action="store_true", help="replace FILE if it exists")
    report.set_defaults(func=cmd_report)

    learn = commands.add_parser("learn", help="turn what customers really said into a playbook overlay (phrasings to review in git)")
    _filters(learn)
    learn.add_argument("--out", required=True, metavar="DIR", help="the directory to write the overlay to")
    learn.add_argument("--min-count", type=at_least_one, default=2, metavar="N", help="learn a phrasing once seen N times or more (default: 2)")
    learn.add_argument("--playbook", metavar="PATH", help="the playbook the overlay extends (default: the built-in library)")
    learn.add_argument("--force", action="store_true", help="replace the overlay's files if DIR has them already")
    learn.set_defaults(func=cmd_learn)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="only meetings from this day on (2025-03-01, 2025-03, or words such as \"3 months ago\")")
    parser.add_argument("--rep", metavar="NAME", help="only this rep's meetings")
    parser.add_argument("--team", metavar="NAME", help="only the meetings of this team's reps (the team named in each rep's config)")
    parser.add_argument("--with-names", action="store_true", help="let names of prospects and companies appear (they are replaced otherwise)")
    with_db(parser)


def _open(args: argparse.Namespace):
    """The store read-only, or an empty one in memory when there is no database yet (nothing is
    created). A database from before the learning tables is brought up to date once (its events
    are not touched; the tables reports read are built from them), and the user is told."""
    from ..store.location import exists, resolve, shown
    from ..store.sqlite import LEARNING_VERSION, TEAM_VERSION, Store

    path = resolve(args.db)
    if not exists(path):
        return Store.open(":memory:")
    store = Store.open(path, readonly=True)
    if store.empty or store.version() >= (TEAM_VERSION if getattr(args, "team", None) else LEARNING_VERSION):
        return store
    old = store.version()
    store.close()
    store = Store.open(path)
    print(f"note: {shown(path)} was recorded by an older playbook (schema {old}); brought up to date for reports", file=sys.stderr)
    return store


def _filters_from(args: argparse.Namespace, playbooks: tuple[str, ...] = ()):
    from ..learning.report import Filters, since_timestamp

    since = since_timestamp(args.since) if args.since else None
    return Filters(since, args.rep or None, playbooks, getattr(args, "team", None) or None)


def cmd_report(args: argparse.Namespace) -> int:
    import shutil

    from ..learning.render import to_csv, to_html, to_json, to_text
    from ..learning.report import ReportError, build_report, playbook_values

    playbook = load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    try:
        filters = _filters_from(args, playbook_values(args.playbook, playbook) if args.playbook else ())
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    with _open(args) as store:
        report = build_report(store, playbook, filters, with_names=args.with_names)
    if args.format == "json":
        text = to_json(report)
    elif args.format == "csv":
        text = to_csv(report)
    elif args.format == "html":
        text = to_html(report)
    else:
        text = to_text(report, width=min(140, shutil.get_terminal_size((100, 24)).columns))
    return _emit(text, args.out, args.force)


def _emit(text: str, out: str | None, force: bool) -> int:
    if not out:
        sys.stdout.write(text)
        return EXIT_OK
    from ..files import WriteError, write_text
    from ..textsafety import printable

    try:
        write_text(out, text, force=force)
    except WriteError as error:
        print(f"error: {printable(str(error), one_line=True)}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {printable(out, one_line=True)}")
    return EXIT_OK


def cmd_learn(args: argparse.Namespace) -> int:
    from ..files import WriteError, write_text
    from ..learning.learn import check_overlay, learn, overlay_files
    from ..learning.report import ReportError
    from ..textsafety import printable

    base = load_or_report(args.playbook)
    if base is None:
        return EXIT_PROBLEMS
    try:
        filters = _filters_from(args)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    with _open(args) as store:
        learned = learn(store, base, filters, args.min_count, args.with_names)
        source = printable(str(store.path), one_line=True)
    safe = lambda text: printable(str(text), one_line=True)  # noqa: E731
    for refusal in learned.refused:
        c = refusal.candidate
        print(safe(f"refused \"{c.text}\" ({c.objection}, seen {c.seen}x): {refusal.reason}"))
    if not learned.phrasings:
        rare = f"; {learned.too_rare} seen fewer than {args.min_count} times" if learned.too_rare else ""
        print(f"nothing to learn: {learned.objections_read:,} objections recorded in {learned.meetings:,} meetings, "
              f"{learned.candidates:,} the playbook does not recognise well{rare}{', the others refused' if learned.refused else ''}")
        return EXIT_OK
    problems = check_overlay(base, learned)
    if problems:  # a safety net: the checks above mirror lint, this is lint itself
        print("error: the overlay would not lint clean; nothing written:", file=sys.stderr)
        for problem in problems:
            print(f"  {safe(problem)}", file=sys.stderr)
        return EXIT_PROBLEMS
    out = Path(args.out)
    spec = args.playbook or "builtin"
    files = overlay_files(learned, base, spec, out, source, min_count=args.min_count)
    try:
        if out.exists() and not out.is_dir():
            raise WriteError(f"{out}: is a file, not a directory")
        out.mkdir(parents=True, exist_ok=True)
        if not args.force:
            taken = [name for name in files if (out / name).exists()]
            if taken:
                raise WriteError(f"{out / taken[0]}: already exists (use --force to replace it)")
        for name, text in files.items():
            write_text(out / name, text, force=args.force)
    except (WriteError, OSError) as error:
        reason = error if isinstance(error, WriteError) else f"{out}: cannot write: {error.strerror or error}"
        print(f"error: {safe(reason)}", file=sys.stderr)
        return EXIT_PROBLEMS
    if learned.weakened:
        print(safe(f"note: {len(learned.weakened)} of the base's test cases, recognised right at the threshold, now fall under it: "
                   + "; ".join(f'"{say}"' for say in learned.weakened)))
    counts = ", ".join(f"{objection} {len(items)}" for objection, items in learned.by_objection().items())
    print(safe(f"learned {len(learned.phrasings)} phrasing{'' if len(learned.phrasings) == 1 else 's'} ({counts}) from {learned.objections_read:,} objections "
               f"in {learned.meetings:,} meetings; refused {len(learned.refused)}"))
    print(safe(f"wrote {out / 'playbook.yaml'}, {out / 'objections.yaml'}"))
    print(safe(f"next: review them, then playbook lint {out} && playbook run --playbook {out}"))
    return EXIT_OK
