"""Practice commands: `playbook roleplay` (opens the chat screen) and `playbook drill` (in the terminal)."""

from __future__ import annotations

import argparse
import sys

from .common import DB_HELP, EXIT_OK, EXIT_PROBLEMS, PLAYBOOK_HELP, at_least_one, load_or_report


def register(commands: argparse._SubParsersAction) -> None:
    roleplay = commands.add_parser("roleplay", help="train: the app plays a customer, you sell, and get a scorecard")
    roleplay.add_argument("--scenario", metavar="ID", help="the scenario to play (default: one at random; see --list)")
    roleplay.add_argument("--seed", type=int, metavar="N", help="the same seed plays the same customer the same way")
    roleplay.add_argument("--trainee", default="Trainee", metavar="NAME", help="your name, for the progress list")
    roleplay.add_argument("--list", action="store_true", help="list the scenarios and exit")
    roleplay.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    roleplay.add_argument("--db", metavar="PATH", help=DB_HELP)
    roleplay.set_defaults(func=cmd_roleplay)

    drill = commands.add_parser("drill", help="quick practice: name the objection and pick a response, timed")
    drill.add_argument("--rounds", type=at_least_one, default=10, metavar="N", help="how many objections (default: 10)")
    drill.add_argument("--seed", type=int, metavar="N", help="the same seed gives the same drill")
    drill.add_argument("--playbook", metavar="PATH", help=PLAYBOOK_HELP)
    drill.set_defaults(func=cmd_drill)


def cmd_roleplay(args: argparse.Namespace) -> int:
    import random

    from ..training.roleplay import RecordedRolePlay
    from ..store.sqlite import Store

    playbook = load_or_report(args.playbook)
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

        code = run_app(PlaybookApp(playbook, store, roleplay=play))
        if code:
            return code
        if play.finished or play.transcript:
            card = play.end()
            print(f"{scenario.title}: {card.total:.0f}/100 ({card.outcome}); session {play.session_id} (playbook sessions show {play.session_id})")
    finally:
        store.close()
    return EXIT_OK


def cmd_drill(args: argparse.Namespace) -> int:
    import random
    import time

    from ..training.drill import Drill

    playbook = load_or_report(args.playbook)
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
