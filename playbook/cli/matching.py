"""`playbook match`: recognise objections in a line of text or in stdin, line by line."""

from __future__ import annotations

import argparse
import sys

from ..textsafety import dumps
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, PLAYBOOK_HELP, at_least_one, load_or_report


def register(commands: argparse._SubParsersAction) -> None:
    match = commands.add_parser("match", help="recognise objections in what the customer said (TEXT, or stdin line by line)")
    match.add_argument("text", nargs="*", metavar="TEXT", help="what the customer said; without it, read stdin line by line")
    match.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    match.add_argument("--top", type=at_least_one, default=3, metavar="N", help="how many objections to list (default: 3)")
    match.add_argument("--format", choices=("text", "json", "jsonl"), default="text", help="output format (default: text)")
    match.add_argument("--explain", action="store_true", help="say which channels (lexical, semantic) answered, with their evidence")
    match.add_argument("--heard", action="store_true",
                       help="judge lines as heard in a transcript, not typed: fewer false alarms, more misses")
    match.add_argument("--semantic", action=argparse.BooleanOptionalAction, default=None,
                       help="use the semantic channel too, or not (needs the 'semantic' extra; on by default for "
                            "English and French playbooks: see the README)")
    match.set_defaults(func=cmd_match)


def _match_result(recogniser, text: str, top: int, explain: bool = False, heard: bool = False) -> dict:
    """Objections only in `matches`, best first; a buying signal, when one fits, under `signal`."""
    explanation = recogniser.explain(text, top=top, strict=heard)
    result: dict = {"text": text, "matches": [m.to_json() for m in explanation.matches]}
    if not explanation.matches:
        signal = recogniser.signal(text)
        if signal is not None:
            result["signal"] = signal
    if explain:
        result["explain"] = {"channels": list(recogniser.channels), **explanation.to_json()}
    return result


def _explain_text(result: dict, semantic_off: str) -> str:
    """`semantic_off`: why the recogniser has no semantic channel (said when it has none)."""
    explain = result["explain"]
    answered = " and ".join(explain["answered_by"]) or "no channel"
    lexical = ", ".join(f"{m['objection']} {m['score']:.0f}" for m in explain["lexical"]) or "nothing"
    lines = [f"  answered by: {answered}", f"  lexical: {lexical}"]
    if "gate" in explain:
        gate = explain["gate"]
        verdict = "an objection" if gate["probability"] >= gate["cut"] else "ordinary talk"
        lines.append(f"  gate: {gate['probability']:.2f} that this is an objection (needs {gate['cut']:.2f}): {verdict}")
    if explain["semantic"]:
        lines.append("  semantic (nearest cosine): " + ", ".join(f"{label} {value:.2f}" for label, value in list(explain["semantic"].items())[:4]))
    elif "semantic" in explain["channels"]:
        lines.append("  semantic: on, not needed for this line (one or two words are judged by the lexical channel alone,"
                     " and a line that rules an objection out needs no channel)")
    else:
        lines.append(f"  semantic: not used ({semantic_off})")
    return "\n".join(lines)


def _match_text(playbook, result: dict) -> str:
    """For people: the top objection, its score, and its first two responses."""
    if not result["matches"]:
        return "no objection recognised" + (f" (buying signal: {result['signal']})" if result.get("signal") else "")
    best = result["matches"][0]
    objection = playbook.objection(best["objection"])
    lines = [f"{objection.title} ({objection.id})  score {best['score']:.0f}  ~ \"{best['phrase']}\""]
    from ..meeting.wording import fill

    for response in objection.responses[:2]:
        technique = playbook.technique(response.technique)
        lines.append(f"  [{technique.name if technique else response.technique}] {' '.join(fill(response.text, playbook).text.split())}")
    others = [f"{m['objection']} {m['score']:.0f}" for m in result["matches"][1:]]
    if others:
        lines.append("  also: " + ", ".join(others))
    return "\n".join(lines)


def cmd_match(args: argparse.Namespace) -> int:
    from ..matching.fused import recogniser_for, why_semantic_off

    playbook = load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    matcher = recogniser_for(playbook, semantic=args.semantic)
    semantic_off = why_semantic_off(playbook.language, args.semantic)
    top = max(1, args.top)
    if args.text:
        result = _match_result(matcher, " ".join(args.text), top, args.explain, args.heard)
        if args.format == "text":
            print(_match_text(playbook, result))
            if args.explain:
                print(_explain_text(result, semantic_off))
        else:
            print(dumps(result, indent=2 if args.format == "json" else None))
        return EXIT_OK
    if sys.stdin is None or sys.stdin.closed:
        print("playbook match: no TEXT and no standard input to read lines from", file=sys.stderr)
        return EXIT_USAGE
    # stdin: one result per input line, in order; undecodable bytes never stop the stream.
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    lines = (raw.decode("utf-8", errors="replace") for raw in stream) if stream is not None else iter(sys.stdin)
    for line in lines:
        text = line.rstrip("\r\n")
        result = _match_result(matcher, text, top, args.explain, args.heard)
        if args.format == "text":
            best = result["matches"][0] if result["matches"] else None
            shown = f"{best['objection']} {best['score']:.0f}" if best else "-"
            print(f"{shown}\t{text}", flush=True)
            if args.explain:
                print(_explain_text(result, semantic_off), flush=True)
        else:
            print(dumps(result), flush=True)
    return EXIT_OK
