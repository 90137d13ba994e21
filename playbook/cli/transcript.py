"""`playbook transcript convert|show`: a speech-to-text tool's live output as canonical transcript
lines, and the transcript kept with a meeting."""

from __future__ import annotations

import argparse
import sys

from ..i18n import _
from .common import EXIT_OK, EXIT_PROBLEMS, reading_store, with_db

FORMATS = ("vosk", "whisper-stream", "whisper-streaming", "whisperlive", "pocketsphinx")


def register(commands: argparse._SubParsersAction) -> None:
    transcript = commands.add_parser("transcript", help="convert a speech-to-text tool's live output; show a meeting's transcript")
    actions = transcript.add_subparsers(dest="transcript_command", metavar="ACTION")
    convert = actions.add_parser(
        "convert", help="read a speech-to-text tool's live output on stdin, write transcript lines (JSON Lines, schema 1)",
        description="Reads what a local speech-to-text tool prints, as it prints it, and writes one canonical transcript "
                    "line per update to stdout, or appends them to --out FILE for `playbook run --transcript FILE`.")
    convert.add_argument("--from", dest="source", required=True, choices=FORMATS, help="the tool whose output comes in")
    convert.add_argument("--out", metavar="FILE", help="append the lines to FILE (made if missing) instead of writing them to stdout")
    convert.add_argument("--speaker", metavar="NAME", default="", help="the speaker label of every line (one tool per channel)")
    convert.add_argument("--role", choices=("customer", "rep"), help="who speaks on this channel: every line carries the role")
    convert.add_argument("--id-prefix", metavar="TEXT",
                         help="prefix of the utterance ids (default: the speaker, role or tool, then the time: new each run)")
    convert.set_defaults(func=cmd_convert)
    show = actions.add_parser("show", help="the transcript kept with a meeting")
    show.add_argument("id", metavar="ID", help="a session id or a unique prefix of one")
    with_db(show)
    show.set_defaults(func=cmd_show)
    transcript.set_defaults(func=lambda args: (transcript.print_help(), EXIT_PROBLEMS)[1])


def cmd_convert(args: argparse.Namespace) -> int:
    from ..transcript.converters import CONVERTERS

    converter = CONVERTERS[args.source](args.speaker, args.role, args.id_prefix)
    out = sys.stdout
    if args.out:
        try:
            out = open(args.out, "a", encoding="utf-8")
        except OSError as error:
            print(_("error: {path}: cannot be written: {reason}").format(path=args.out, reason=error.strerror or error),
                  file=sys.stderr)
            return EXIT_PROBLEMS
    try:
        try:
            while line := sys.stdin.readline():
                _write(out, converter.feed(line.rstrip("\n")))
        except KeyboardInterrupt:
            pass
        _write(out, converter.finish())
    except OSError as error:
        if out is sys.stdout:
            raise
        print(_("error: {path}: cannot be written: {reason}").format(path=args.out, reason=error.strerror or error),
              file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        if out is not sys.stdout:
            out.close()
    return EXIT_OK


def _write(out, lines) -> None:
    """Each line whole, then flushed: a follower never waits for a buffer to fill."""
    for line in lines:
        out.write(line.dumps() + "\n")
        out.flush()


def cmd_show(args: argparse.Namespace) -> int:
    with reading_store(args) as store:
        session_id = store.resolve(args.id)
        lines = store.transcript(session_id)
        if not lines:
            print(_("No transcript kept with this meeting."))
            return EXIT_OK
        for line in lines:
            print(transcript_line(line))
    return EXIT_OK


def transcript_line(line: dict) -> str:
    """`[mm:ss] speaker (role): text`, with `…` for a line that never became final."""
    stamp = ""
    if line.get("t0") is not None:
        minutes, secs = divmod(int(line["t0"]), 60)
        stamp = f"[{minutes:02d}:{secs:02d}] "
    who = line.get("speaker") or _("unknown speaker")
    role = f" ({_(line['role'])})" if line.get("role") else ""
    tail = "" if line.get("final") else " …"
    return f"{stamp}{who}{role}: {line['text']}{tail}"
