"""Practice commands: `playbook roleplay` (opens the chat screen) and `playbook drill` (in the terminal)."""

from __future__ import annotations

import argparse
import sys

from .common import (EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, PLAYBOOK_HELP, add_language_option, at_least_one, load_or_report,
                     use_language, with_db)


def register(commands: argparse._SubParsersAction) -> None:
    roleplay = commands.add_parser("roleplay", help="train: the app plays a customer, you sell, and get a scorecard")
    roleplay.add_argument("--scenario", metavar="ID", help="the scenario to play (default: one at random; see --list)")
    roleplay.add_argument("--seed", type=int, metavar="N", help="the same seed plays the same customer the same way")
    roleplay.add_argument("--trainee", default="Trainee", metavar="NAME", help="your name, for the progress list")
    roleplay.add_argument("--list", action="store_true", help="list the scenarios and exit")
    roleplay.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    with_db(roleplay)
    add_language_option(roleplay)
    roleplay.set_defaults(func=cmd_roleplay)

    drill = commands.add_parser("drill", help="quick practice: name the objection and pick a response")
    drill.add_argument("--rounds", type=at_least_one, default=10, metavar="N", help="how many objections (default: 10)")
    drill.add_argument("--seconds", type=float, metavar="N",
                       help="time limit per objection; when it runs out, the round counts as missed (default: none)")
    drill.add_argument("--seed", type=int, metavar="N", help="the same seed gives the same drill")
    drill.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    add_language_option(drill)
    drill.set_defaults(func=cmd_drill)


def cmd_roleplay(args: argparse.Namespace) -> int:
    import random

    from ..i18n import _
    from ..training import messages
    from ..training.roleplay import RecordedRolePlay
    from ..store.sqlite import Store

    playbook = load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    use_language(args, playbook)
    if not playbook.scenarios:
        print(f"{playbook.source}: this playbook has no scenarios: section", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.list:
        for scenario in playbook.scenarios:
            print(f"{scenario.id:28} {messages.word(messages.DIFFICULTY_WORDS, scenario.difficulty):7} {scenario.title}")
        return EXIT_OK
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    if args.scenario:
        scenario = playbook.scenario(args.scenario)
        if scenario is None:
            from ..problems import suggest

            known = [s.id for s in playbook.scenarios]
            print(f"no scenario '{args.scenario}'{suggest(args.scenario, known)} (known: {', '.join(known)})", file=sys.stderr)
            return EXIT_PROBLEMS
    else:
        scenario = random.Random(seed).choice(playbook.scenarios)
    store = Store.open(args.db)
    try:
        play = RecordedRolePlay(playbook, scenario, store, args.trainee, seed)
        from tui.app import PlaybookApp, run_app  # Textual is imported only here.

        code = run_app(PlaybookApp(playbook, store, roleplay=play, language=args.lang))
        if code:
            return code
        if play.finished or play.transcript:
            card = play.end()
            outcome = messages.word(messages.CARD_OUTCOME_WORDS, card.outcome)
            print(_("{title}: {total:.0f}/100 ({outcome}); session {id} (playbook sessions show {id})").format(
                title=scenario.title, total=card.total, outcome=outcome, id=play.session_id))
    finally:
        store.close()
    return EXIT_OK


def cmd_drill(args: argparse.Namespace) -> int:
    import random

    from ..textsafety import printable
    from ..training import messages
    from ..training.drill import Drill, done_line, run_drill

    if args.rounds < 1 or (args.seconds is not None and args.seconds <= 0):
        print("--rounds and --seconds take a number above zero", file=sys.stderr)
        return EXIT_USAGE
    playbook = load_or_report(args.playbook)
    if playbook is None:
        return EXIT_PROBLEMS
    use_language(args, playbook)
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    drill = Drill(playbook, seed)

    def show(text: str) -> None:
        print(printable(text), flush=True)

    intro = messages.DRILL_INTRO_TIMED if args.seconds else messages.DRILL_INTRO
    show(intro.format(rounds=args.rounds, seed=seed, seconds=args.seconds or 0))
    result = run_drill(drill, args.rounds, _StdinLines() if args.seconds else _ask_plain, show, args.seconds)
    if result.played:
        show("")
        show(done_line(result))
    return EXIT_OK


def _ask_plain(prompt: str, seconds_left: float | None) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


class _StdinLines:
    """Lines from standard input, each awaited at most `seconds_left` (select on the descriptor,
    with a buffer of our own: Python's buffered stdin would hide lines already read from select)."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno()
        self.buffer = b""
        self.ended = False

    def __call__(self, prompt: str, seconds_left: float | None):
        import os
        import select
        import time

        from ..training.drill import TIMED_OUT

        print(prompt, end="", flush=True)
        deadline = None if seconds_left is None else time.monotonic() + seconds_left
        while b"\n" not in self.buffer and not self.ended:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                print(flush=True)
                return TIMED_OUT
            chunk = os.read(self.fd, 4096)
            self.buffer += chunk
            self.ended = not chunk
        if not self.buffer:
            return None
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("utf-8", errors="replace")
