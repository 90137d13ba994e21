"""Commands on playbook files: validate, show, lint, test, new, import, and the editor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..textsafety import dumps
from .common import EXIT_OK, EXIT_PROBLEMS, PLAYBOOK_HELP, add_language_option, load_or_report, print_problems


def register(commands: argparse._SubParsersAction) -> None:
    validate = commands.add_parser("validate", help="check playbooks and report every problem at path:line:col")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="playbook directories or files (default: the built-in library)")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    validate.set_defaults(func=cmd_validate)

    show = commands.add_parser("show", help="print a readable outline of a playbook, or all of it as JSON")
    show.add_argument("path", nargs="?", metavar="PATH", help=PLAYBOOK_HELP)
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    show.add_argument("--resolved", action="store_true", help="every item after extends/includes, with the file it came from")
    show.set_defaults(func=cmd_show)

    linting = commands.add_parser("lint", help="warnings for what validates but hurts (ambiguous phrasings, thin categories...)")
    linting.add_argument("path", nargs="?", metavar="PATH", help=PLAYBOOK_HELP)
    linting.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    linting.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    linting.set_defaults(func=cmd_lint)

    edit = commands.add_parser("edit", help="edit a playbook with errors, lint warnings and a try-it box as you type")
    edit.add_argument("path", nargs="?", metavar="PATH", help=PLAYBOOK_HELP)
    add_language_option(edit)
    edit.set_defaults(func=cmd_edit)

    new = commands.add_parser("new", help="scaffold a team playbook that extends the built-in one")
    new.add_argument("directory", metavar="DIR", help="the directory to create")
    new.set_defaults(func=cmd_new)

    test = commands.add_parser("test", help="run a playbook's tests: cases through the matcher")
    test.add_argument("path", nargs="?", metavar="PATH", help=PLAYBOOK_HELP)
    test.add_argument("--min", type=float, metavar="PERCENT", help="required pass rate (default: the playbook's test_pass_rate, else 100)")
    test.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    test.add_argument("-v", "--verbose", action="store_true", help="list every failing case")
    test.set_defaults(func=cmd_test)

    importer = commands.add_parser("import", help="turn a phrasing,category spreadsheet (CSV or TSV) into a playbook directory")
    importer.add_argument("file", metavar="FILE", help="a .csv or .tsv file of phrasing,category rows")
    importer.add_argument("--out", required=True, metavar="DIR", help="the directory to write the playbook to")
    importer.add_argument("--force", action="store_true", help="write into a directory that is not empty")
    importer.set_defaults(func=cmd_import)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..format.loader import check_playbook

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
        print(dumps({"ok": status == EXIT_OK, "problems": [p.to_json() for p in sorted(all_problems)]}, indent=2))
    elif all_problems:
        print_problems(all_problems, "text")
    return status


def cmd_show(args: argparse.Namespace) -> int:
    from ..model import to_jsonable
    from ..authoring.outline import render_outline, render_resolved

    playbook = load_or_report(args.path)
    if playbook is None:
        return EXIT_PROBLEMS
    if args.resolved:
        print(render_resolved(playbook))
    elif args.format == "json":
        print(dumps(to_jsonable(playbook), indent=2))
    else:
        print(render_outline(playbook))
    return EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    from ..authoring.lint import lint
    from ..matching.cache import cached_matcher
    from ..problems import format_problems

    playbook = load_or_report(args.path, args.format)
    if playbook is None:
        return EXIT_PROBLEMS
    # The playbook as its files say (its digest is theirs): the cached matcher is the one lint would build.
    warnings = lint(playbook, cached_matcher(playbook))
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
    from ..format.loader import check_playbook, load_playbook, resolve_playbook_path, source_files
    from ..format.yamlsource import read_source
    from ..problems import display_path

    root = resolve_playbook_path(args.path)
    if not root.exists():
        print(f"{root}: no such playbook (create one with `playbook new DIR`)", file=sys.stderr)
        return EXIT_PROBLEMS
    # A file the editor cannot show as it is (not UTF-8, too large) is refused before it opens:
    # saving a guess of its text would damage it.
    unreadable = [problem for file in source_files(root) if (problem := read_source(file, display_path(file))[1]) is not None]
    if unreadable:
        print_problems(unreadable, "text")
        return EXIT_PROBLEMS
    playbook, _ = check_playbook(args.path)  # the editor opens broken playbooks too: that is what it is for
    from tui.app import PlaybookApp, run_app  # Textual is imported only here.

    return run_app(PlaybookApp(playbook or load_playbook(None), store=None, edit=args.path, editing=True, language=args.lang))


def cmd_new(args: argparse.Namespace) -> int:
    from ..authoring.scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(Path(args.directory))
    except (ScaffoldError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"created {args.directory}: " + ", ".join(p.name for p in written))
    print(f"next: playbook validate {args.directory} && playbook test {args.directory} && playbook run --playbook {args.directory}")
    return EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    from ..matching.evaluation import run_tests
    from ..matching.fused import recogniser_for

    playbook = load_or_report(args.path)
    if playbook is None:
        return EXIT_PROBLEMS
    if not playbook.tests:
        print("no tests: add a tests: section of {say: ..., expect: ...} cases")
        return EXIT_OK
    report = run_tests(playbook, recogniser_for(playbook), required=args.min)  # what a meeting would show
    if args.format == "json":
        print(dumps({
            "ok": report.ok, "accuracy": round(report.accuracy, 1), "required": report.required,
            "passed": report.passed_count, "total": len(report.results),
            "failures": [{"say": r.test.say, "expect": r.test.expect, "got": r.got, "score": r.score,
                          "at": str(r.test.origin) if r.test.origin else None} for r in report.failures()],
            "narrow": [{"say": r.test.say, "expect": r.test.expect, "gate": round(r.gate[0], 3), "cut": r.gate[1],
                        "at": str(r.test.origin) if r.test.origin else None} for r in report.narrow() if r.gate],
        }, indent=2))
        return EXIT_OK if report.ok else EXIT_PROBLEMS
    for result in report.failures() if args.verbose or len(report.failures()) <= 40 else report.failures()[:40]:
        where = f"{result.test.origin}: " if result.test.origin else ""
        print(f"{where}expected {result.test.expect}, got {result.got}: {result.test.say!r}")
    if report.failures():
        print()
        print("confusions (expected -> got):")
        for (expected, got), count in report.confusions.most_common():
            print(f"  {expected} -> {got}: {count}")
    narrow = report.narrow()
    if narrow and args.verbose:
        print("passing only just (the gate's probability within 0.03 of its cut; new phrasings may tip them):")
        for result in narrow:
            where = f"{result.test.origin}: " if result.test.origin else ""
            print(f"  {where}{result.test.expect} at {result.gate[0]:.3f} against {result.gate[1]:.3f}: {result.test.say!r}")
    elif narrow:
        print(f"{len(narrow)} case(s) pass only just (-v lists them)")
    verdict = "ok" if report.ok else "FAILED"
    print(f"{verdict}: {report.passed_count}/{len(report.results)} passed ({report.accuracy:.1f}%, required {report.required:g}%), "
          f"false alarms on none: {report.false_alarms()}")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_import(args: argparse.Namespace) -> int:
    from ..authoring.importer import ImportProblem, import_spreadsheet

    try:
        result = import_spreadsheet(Path(args.file), Path(args.out), force=args.force)
    except ImportProblem as problem:
        print(str(problem), file=sys.stderr)
        return EXIT_PROBLEMS
    skipped = f", skipped {result.skipped} incomplete rows" if result.skipped else ""
    print(f"wrote {result.directory}: {result.categories} categories, {result.phrasings} phrasings{skipped}")
    return EXIT_OK
