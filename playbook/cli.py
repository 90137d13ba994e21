"""The `playbook` command: a thin layer over the engine. Textual is imported only by `run`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
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
    from .outline import render_outline, render_resolved

    playbook = _load_or_report(args.path)
    if playbook is None:
        return EXIT_PROBLEMS
    if args.resolved:
        print(render_resolved(playbook))
    elif args.format == "json":
        print(json.dumps(to_jsonable(playbook), indent=2, ensure_ascii=False))
    else:
        print(render_outline(playbook))
    return EXIT_OK


def _match_result(matcher, text: str, top: int) -> dict:
    return {"text": text, "matches": [m.to_json() for m in matcher.match(text, top=top)]}


def _match_text(playbook, result: dict) -> str:
    """For people: the top objection, its score, and its first two responses."""
    if not result["matches"]:
        return "no objection recognised"
    best = result["matches"][0]
    objection = playbook.objection(best["objection"])
    lines = [f"{objection.title} ({objection.id})  score {best['score']:.0f}  ~ \"{best['phrase']}\""]
    for response in objection.responses[:2]:
        technique = playbook.technique(response.technique)
        lines.append(f"  [{technique.name if technique else response.technique}] {' '.join(response.text.split())}")
    others = [f"{m['objection']} {m['score']:.0f}" for m in result["matches"][1:]]
    if others:
        lines.append("  also: " + ", ".join(others))
    return "\n".join(lines)


def cmd_match(args: argparse.Namespace) -> int:
    from .matcher import Matcher

    playbook = _load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    matcher = Matcher.from_playbook(playbook)
    top = max(1, args.top)
    if args.text:
        result = _match_result(matcher, " ".join(args.text), top)
        if args.format == "text":
            print(_match_text(playbook, result))
        else:
            print(json.dumps(result, ensure_ascii=False, indent=2 if args.format == "json" else None))
        return EXIT_OK
    # stdin: one result per input line, in order; undecodable bytes never stop the stream.
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    lines = (raw.decode("utf-8", errors="replace") for raw in stream) if stream is not None else iter(sys.stdin)
    for line in lines:
        text = line.rstrip("\r\n")
        result = _match_result(matcher, text, top)
        if args.format == "text":
            best = result["matches"][0] if result["matches"] else None
            shown = f"{best['objection']} {best['score']:.0f}" if best else "-"
            print(f"{shown}\t{text}", flush=True)
        else:
            print(json.dumps(result, ensure_ascii=False), flush=True)
    return EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    from .testing import run_tests

    playbook = _load_or_report(args.path)
    if playbook is None:
        return EXIT_PROBLEMS
    if not playbook.tests:
        print("no tests: add a tests: section of {say: ..., expect: ...} cases")
        return EXIT_OK
    report = run_tests(playbook, required=args.min)
    if args.format == "json":
        print(json.dumps({
            "ok": report.ok, "accuracy": round(report.accuracy, 1), "required": report.required,
            "passed": report.passed_count, "total": len(report.results),
            "failures": [{"say": r.test.say, "expect": r.test.expect, "got": r.got, "score": r.score,
                          "at": str(r.test.origin) if r.test.origin else None} for r in report.failures()],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK if report.ok else EXIT_PROBLEMS
    for result in report.failures() if args.verbose or len(report.failures()) <= 40 else report.failures()[:40]:
        where = f"{result.test.origin}: " if result.test.origin else ""
        print(f"{where}expected {result.test.expect}, got {result.got}: {result.test.say!r}")
    if report.failures():
        print()
        print("confusions (expected -> got):")
        for (expected, got), count in report.confusions.most_common():
            print(f"  {expected} -> {got}: {count}")
    verdict = "ok" if report.ok else "FAILED"
    print(f"{verdict}: {report.passed_count}/{len(report.results)} passed ({report.accuracy:.1f}%, required {report.required:g}%), "
          f"false alarms on none: {report.false_alarms()}")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import ImportProblem, import_spreadsheet

    try:
        result = import_spreadsheet(Path(args.file), Path(args.out), force=args.force)
    except ImportProblem as problem:
        print(str(problem), file=sys.stderr)
        return EXIT_PROBLEMS
    skipped = f", skipped {result.skipped} incomplete rows" if result.skipped else ""
    print(f"wrote {result.directory}: {result.categories} categories, {result.phrasings} phrasings{skipped}")
    return EXIT_OK


def _open_store(args: argparse.Namespace, create: bool = False):
    from .store import Store

    return Store.open(args.db, create=create)


def _when(timestamp: float | None) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M") if timestamp else ""


def cmd_sessions_list(args: argparse.Namespace) -> int:
    from .store import default_db_path

    if not (Path(args.db) if args.db else default_db_path()).exists():
        print("no sessions yet")
        return EXIT_OK
    with _open_store(args) as store:
        sessions = store.sessions(kind="roleplay" if args.roleplay else None if args.all else "meeting", limit=args.limit)
    if args.format == "json":
        print(json.dumps([s.__dict__ for s in sessions], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not sessions:
        print("no sessions yet")
        return EXIT_OK
    print(f"{'id':12}  {'last activity':16}  {'status':8}  {'score':>5}  {'events':>6}  prospect")
    for s in sessions:
        status = "done" if s.finished else "open"
        score = f"{s.score:.0f}" if s.score is not None else "-"
        who = s.prospect + (f", {s.company}" if s.company else "")
        print(f"{s.id:12}  {_when(s.updated_at):16}  {status:8}  {score:>5}  {s.events:>6}  {who}")
    return EXIT_OK


def _session_for(args: argparse.Namespace, store, info=None):
    from .session import MeetingSession

    info = info or store.info(store.resolve(args.id))
    session_id = info.id
    playbook = _load_or_report(args.playbook)
    if playbook is None:
        return None
    if playbook.id != info.playbook:
        print(f"note: session {session_id} was recorded with playbook '{info.playbook}', shown with '{playbook.id}'", file=sys.stderr)
    return MeetingSession.resume(playbook, store, session_id)


def cmd_sessions_show(args: argparse.Namespace) -> int:
    from .events import event_to_json

    with _open_store(args) as store:
        info = store.info(store.resolve(args.id))
        if info.kind == "roleplay" and not args.events:
            from .roleplay import recorded_markdown

            print(recorded_markdown(info.company, store.events(info.id)), end="")
            return EXIT_OK
        session = _session_for(args, store, info)
        if session is None:
            return EXIT_PROBLEMS
        if args.events:
            for record in session.records:
                payload = event_to_json(record.event)
                print(f"{record.seq:4}  {_when(record.at)}  {payload['type']:22}  {json.dumps(payload['data'], ensure_ascii=False)}")
            return EXIT_OK
        from .summary import to_markdown

        print(to_markdown(session.summary()), end="")
    return EXIT_OK


def cmd_sessions_export(args: argparse.Namespace) -> int:
    from .summary import to_json, to_markdown

    with _open_store(args) as store:
        session = _session_for(args, store)
        if session is None:
            return EXIT_PROBLEMS
        text = to_markdown(session.summary()) if args.format == "md" else to_json(session.summary())
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.out}: cannot write: {exc.strerror}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    from .lint import lint
    from .problems import format_problems

    playbook = _load_or_report(args.path, args.format)
    if playbook is None:
        return EXIT_PROBLEMS
    warnings = lint(playbook)
    if args.format == "json":
        print(format_problems(warnings, "json"))
    else:
        if warnings:
            print(format_problems(warnings))
        codes: dict[str, int] = {}
        for warning in warnings:
            codes[warning.code] = codes.get(warning.code, 0) + 1
        summary = ", ".join(f"{n} {code}" for code, n in sorted(codes.items())) or "no warnings"
        print(f"{len(warnings)} warning(s): {summary}" if warnings else "ok: no warnings")
    return EXIT_PROBLEMS if args.strict and warnings else EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    from .loader import resolve_playbook_path

    root = resolve_playbook_path(args.path)
    if not root.exists():
        print(f"{root}: no such playbook (create one with `playbook new DIR`)", file=sys.stderr)
        return EXIT_PROBLEMS
    from .loader import check_playbook, load_playbook

    playbook, _ = check_playbook(args.path)  # the editor opens broken playbooks too: that is what it is for
    from tui.app import PlaybookApp  # Textual is imported only here.

    PlaybookApp(playbook or load_playbook(None), store=None, edit=args.path, editing=True).run()
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(Path(args.directory))
    except (ScaffoldError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"created {args.directory}: " + ", ".join(p.name for p in written))
    print(f"next: playbook validate {args.directory} && playbook test {args.directory} && playbook run --playbook {args.directory}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    playbook = _load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    from .store import Store

    store = Store.open(args.db)  # a StoreError here is reported by main() with a clear message
    try:
        resume = store.resolve(args.resume) if args.resume else None
        from tui.app import PlaybookApp  # Textual is imported only here.

        PlaybookApp(playbook, store, resume, watch=args.playbook or "builtin").run()
    finally:
        store.close()
    return EXIT_OK


def cmd_roleplay(args: argparse.Namespace) -> int:
    import random

    from .roleplay import RecordedRolePlay
    from .store import Store

    playbook = _load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    if not playbook.scenarios:
        print(f"{playbook.source}: this playbook has no scenarios: section", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.list:
        for scenario in playbook.scenarios:
            print(f"{scenario.id:28} {scenario.difficulty:7} {scenario.title}")
        return EXIT_OK
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    if args.scenario:
        scenario = playbook.scenario(args.scenario)
        if scenario is None:
            from .conditions import suggest

            known = [s.id for s in playbook.scenarios]
            print(f"no scenario '{args.scenario}'{suggest(args.scenario, known)} (known: {', '.join(known)})", file=sys.stderr)
            return EXIT_PROBLEMS
    else:
        scenario = random.Random(seed).choice(playbook.scenarios)
    store = Store.open(args.db)
    try:
        play = RecordedRolePlay(playbook, scenario, store, args.trainee, seed)
        from tui.app import PlaybookApp  # Textual is imported only here.

        PlaybookApp(playbook, store, roleplay=play).run()
        if play.finished or play.transcript:
            card = play.end()
            print(f"{scenario.title}: {card.total:.0f}/100 ({card.outcome}); session {play.session_id} (playbook sessions show {play.session_id})")
    finally:
        store.close()
    return EXIT_OK


def cmd_drill(args: argparse.Namespace) -> int:
    import random
    import time

    from .drill import Drill

    playbook = _load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    drill = Drill(playbook, seed)
    categories = drill.categories()
    print(f"Drill: {args.rounds} objections (seed {seed}). Name the category, then pick or type a response. Ctrl+D stops.")
    print("Categories: " + "  ".join(f"{i}) {title}" for i, (_, title) in enumerate(categories, 1)))

    def ask(prompt: str) -> str | None:
        try:
            return input(prompt)
        except EOFError:
            return None

    times = []
    for round_ in drill.rounds(args.rounds):
        print(f"\n[{round_.number}/{args.rounds}] Customer: \"{round_.phrasing}\"")
        start = time.perf_counter()
        answer = ask("Which objection? ")
        if answer is None:
            break
        verdict = drill.name_category(round_, answer)
        print(("  ✓ " if verdict.correct else "  ✗ ") + verdict.explanation)
        for i, (response, _) in enumerate(round_.responses, 1):
            print(f"  {i}) {' '.join(response.text.split())}")
        answer = ask("Your answer (a number, or your own words)? ")
        if answer is None:
            break
        verdict = drill.pick_response(round_, answer)
        times.append(time.perf_counter() - start)
        print(("  ✓ " if verdict.correct else "  ✗ ") + verdict.explanation)
        print(f"  score {drill.score}/{drill.played * 3}, {times[-1]:.1f} s")
    if drill.played:
        average = sum(times) / len(times) if times else 0.0
        print(f"\nDone: {drill.score}/{drill.played * 3} points over {drill.played} objections, {average:.1f} s per objection.")
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
    show.add_argument("--resolved", action="store_true", help="every item after extends/includes, with the file it came from")
    show.set_defaults(func=cmd_show)

    linting = commands.add_parser("lint", help="warnings for what validates but hurts (ambiguous phrasings, thin categories...)")
    linting.add_argument("path", nargs="?", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    linting.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    linting.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    linting.set_defaults(func=cmd_lint)

    edit = commands.add_parser("edit", help="edit a playbook with errors, lint warnings and a try-it box as you type")
    edit.add_argument("path", nargs="?", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    edit.set_defaults(func=cmd_edit)

    new = commands.add_parser("new", help="scaffold a team playbook that extends the built-in one")
    new.add_argument("directory", metavar="DIR", help="the directory to create")
    new.set_defaults(func=cmd_new)

    match = commands.add_parser("match", help="recognise objections in what the customer said (TEXT, or stdin line by line)")
    match.add_argument("text", nargs="*", metavar="TEXT", help="what the customer said; without it, read stdin line by line")
    match.add_argument("--playbook", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    match.add_argument("--top", type=int, default=3, metavar="N", help="how many objections to list (default: 3)")
    match.add_argument("--format", choices=("text", "json", "jsonl"), default="text", help="output format (default: text)")
    match.set_defaults(func=cmd_match)

    test = commands.add_parser("test", help="run a playbook's tests: cases through the matcher")
    test.add_argument("path", nargs="?", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    test.add_argument("--min", type=float, metavar="PERCENT", help="required pass rate (default: the playbook's test_pass_rate, else 100)")
    test.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    test.add_argument("-v", "--verbose", action="store_true", help="list every failing case")
    test.set_defaults(func=cmd_test)

    importer = commands.add_parser("import", help="turn a phrasing,category spreadsheet (CSV or TSV) into a playbook directory")
    importer.add_argument("file", metavar="FILE", help="a .csv or .tsv file of phrasing,category rows")
    importer.add_argument("--out", required=True, metavar="DIR", help="the directory to write the playbook to")
    importer.add_argument("--force", action="store_true", help="write into a directory that is not empty")
    importer.set_defaults(func=cmd_import)

    sessions = commands.add_parser("sessions", help="list, show and export recorded meetings")
    sessions_commands = sessions.add_subparsers(dest="sessions_command", metavar="ACTION")

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", metavar="PATH", help="the session database (default: $PLAYBOOK_DB or ~/.local/share/playbook/sessions.db)")
        return p

    listing = with_db(sessions_commands.add_parser("list", help="recorded sessions, most recent first"))
    listing.add_argument("--roleplay", action="store_true", help="role-play sessions instead of meetings")
    listing.add_argument("--all", action="store_true", help="meetings and role-play sessions")
    listing.add_argument("--limit", type=int, metavar="N", help="at most N sessions")
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    listing.set_defaults(func=cmd_sessions_list)
    showing = with_db(sessions_commands.add_parser("show", help="a session's summary, or its event log"))
    showing.add_argument("id", metavar="ID", help="a session id or a unique prefix of one")
    showing.add_argument("--events", action="store_true", help="print the event log instead of the summary")
    showing.add_argument("--playbook", metavar="PATH", help="the playbook the session used (default: the built-in library)")
    showing.set_defaults(func=cmd_sessions_show)
    exporting = with_db(sessions_commands.add_parser("export", help="a session's summary as Markdown (for a CRM note) or JSON"))
    exporting.add_argument("id", metavar="ID", help="a session id or a unique prefix of one")
    exporting.add_argument("--format", choices=("md", "json"), default="md", help="output format (default: md)")
    exporting.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    exporting.add_argument("--playbook", metavar="PATH", help="the playbook the session used (default: the built-in library)")
    exporting.set_defaults(func=cmd_sessions_export)
    sessions.set_defaults(func=lambda args: (sessions.print_help(), EXIT_USAGE)[1])

    roleplay = commands.add_parser("roleplay", help="train: the app plays a customer, you sell, and get a scorecard")
    roleplay.add_argument("--scenario", metavar="ID", help="the scenario to play (default: one at random; see --list)")
    roleplay.add_argument("--seed", type=int, metavar="N", help="the same seed plays the same customer the same way")
    roleplay.add_argument("--trainee", default="Trainee", metavar="NAME", help="your name, for the progress list")
    roleplay.add_argument("--list", action="store_true", help="list the scenarios and exit")
    roleplay.add_argument("--playbook", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    roleplay.add_argument("--db", metavar="PATH", help="the session database (default: $PLAYBOOK_DB or ~/.local/share/playbook/sessions.db)")
    roleplay.set_defaults(func=cmd_roleplay)

    drill = commands.add_parser("drill", help="quick practice: name the objection and pick a response, timed")
    drill.add_argument("--rounds", type=int, default=10, metavar="N", help="how many objections (default: 10)")
    drill.add_argument("--seed", type=int, metavar="N", help="the same seed gives the same drill")
    drill.add_argument("--playbook", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    drill.set_defaults(func=cmd_drill)

    run = commands.add_parser("run", help="open the meeting app")
    run.add_argument("--playbook", metavar="PATH", help="a playbook directory or file (default: the built-in library)")
    run.add_argument("--resume", metavar="ID", help="resume an unfinished meeting (an id or a unique prefix; see `playbook sessions list`)")
    run.add_argument("--db", metavar="PATH", help="the session database (default: $PLAYBOOK_DB or ~/.local/share/playbook/sessions.db)")
    run.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    from .store import StoreError

    try:
        return handler(args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
