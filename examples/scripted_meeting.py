"""A whole meeting played through the engine, printing the guidance at each step and the summary.

Run: .venv/bin/python examples/scripted_meeting.py [--db PATH]
Without --db the meeting is kept in a temporary database that is deleted at the end.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.store import Store
from playbook.meeting.recap import to_recap_markdown
from playbook.meeting.summary import to_markdown


class Clock:
    """A meeting clock the script moves forward, so the output is the same every run."""

    def __init__(self) -> None:
        self.now = 1_767_261_600.0  # 2026-01-01 10:00 UTC

    def __call__(self) -> float:
        return self.now

    def minutes(self, n: float) -> None:
        self.now += 60 * n


def show(session: MeetingSession, step: str) -> None:
    q = session.qualification()
    score = f"{q.score:.0f}" if q.score is not None else "-"
    print(f"\n== {step}   [stage: {session.state.stage}, score {score}, {q.coverage:.0f}% known, {q.verdict}]")
    for item in session.guidance()[:4]:
        print(f"   {item.kind:9} {item.text}")
        print(f"             why: {item.source}" + (f" ({item.why})" if item.why else ""))


def play(store: Store) -> MeetingSession:
    playbook = load_playbook(None)
    clock = Clock()
    s = MeetingSession.start(playbook, store, "Anna Martin", "Dupont Logistics", clock=clock, spec="builtin",
                             planned_minutes=45)
    show(s, "The meeting opens")

    s.answer("reason_for_interest", "Month-end reporting takes two people two days")
    s.set_stage("discovery")
    clock.minutes(5)
    s.answer("problem_to_solve", "Reporting is manual and error-prone")
    s.answer("budget", "limited")
    s.answer("current_supplier", "in_house")
    show(s, "Discovery: problem, budget and current solution known")

    s.set_stage("presentation")
    show(s, "The rep starts presenting too early")

    s.set_stage("discovery")
    s.answer("need_confirmed", "yes")
    s.answer("success_criteria", "Month-end closed in one day, without errors")
    s.answer("cost_estimate", "two people for two days every month")
    s.answer("decision_maker", "shared")
    s.answer("timeline", "now")
    s.answer("purchase_volume", 35)
    clock.minutes(15)
    s.set_stage("presentation")
    s.observe_signal("talks_ownership")
    show(s, "Presentation, with the need confirmed; the customer talks as an owner")

    raised = s.raise_objection("honestly, that's too expensive for us")
    s.classify_objection(raised.number, "financial_limit")
    s.set_stage("objections")
    show(s, f"Objection: \"{raised.text}\" (recognised as {raised.objection})")
    s.use_response(raised.number, "simplify_offer")
    s.settle_objection(raised.number, "resolved")

    boss = s.raise_objection("I need to run it by my director")
    show(s, f"Objection: \"{boss.text}\" (recognised as {boss.objection})")
    s.use_response(boss.number, "meet_decider")
    s.settle_objection(boss.number, "parked")

    s.set_stage("closing")
    s.observe_signal("asks_payment_terms")
    show(s, "Closing: the customer asks whether they can pay quarterly")
    s.attempt_close("assumptive", success=False)
    clock.minutes(10)
    s.set_stage("next_steps")
    show(s, "Next steps: the close was deferred until the director has seen it")

    s.answer("opens_doors", "yes")
    s.answer("own_next_step", "concrete")
    s.add_action("Send the one-page summary for the director", owner="Rep", due="tomorrow")
    s.add_action("Meeting with Anna and her director", owner="Anna", due="2026-01-09")
    s.record_outcome("next_meeting", "with Anna's director on 9 January")
    s.end()
    return s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="keep the meeting in this session database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(args.db or Path(tmp) / "sessions.db") as store:
            session = play(store)
            print("\n== The customer recap (playbook sessions export " + session.id + ")\n")
            print(to_recap_markdown(session.summary()))
            print("\n== The rep's internal notes (playbook sessions show " + session.id + ")\n")
            print(to_markdown(session.summary()))


if __name__ == "__main__":
    main()
