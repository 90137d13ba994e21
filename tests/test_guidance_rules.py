"""Every rule of the built-in library, on a hand-built meeting where it must fire and a near miss where it must not."""

from __future__ import annotations

from typing import Callable

import pytest

from playbook.format import load_playbook
from playbook.meeting import MeetingSession

LIBRARY = load_playbook(None)
Setup = Callable[[MeetingSession], None]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_767_261_600.0

    def __call__(self) -> float:
        return self.now


def stage(name: str) -> Setup:
    return lambda s: s.set_stage(name)


def answer(question: str, value) -> Setup:
    return lambda s: s.answer(question, value)


def objection(category: str, text: str = "said so") -> Setup:
    return lambda s: s.raise_objection(text, category)


def signal(name: str) -> Setup:
    return lambda s: s.observe_signal(name)


def settle_all(outcome: str) -> Setup:
    return lambda s: [s.settle_objection(o.number, outcome) for o in s.state.objections]


def minutes(n: float) -> Setup:
    def move(s: MeetingSession) -> None:
        s.clock.now += 60 * n  # type: ignore[attr-defined]
    return move


def answers(**values) -> list[Setup]:
    return [answer(q, v) for q, v in values.items()]


CONFIRMED = answer("need_confirmed", "yes")  # closing rules only speak once the need is confirmed


# rule id -> (steps where it fires, steps of a near miss where it must not)
SCENARIOS: dict[str, tuple[list[Setup], list[Setup]]] = {
    "no_pitch_before_need": ([stage("presentation")], [answer("need_confirmed", "yes"), stage("presentation")]),
    "reformulate_after_discovery": (
        [stage("discovery"), *answers(problem_to_solve="x", budget="approved", timeline="now", current_supplier="in_house")],
        [stage("discovery"), *answers(problem_to_solve="x", budget="approved", timeline="now", current_supplier="in_house", need_confirmed="yes")],
    ),
    "find_the_decision_maker": ([stage("closing")], [answer("decision_maker", "contact"), stage("closing")]),
    "settle_objections_before_closing": (
        [objection("price"), objection("risk"), stage("closing")],
        [objection("price"), objection("risk"), settle_all("resolved"), stage("closing")],
    ),
    "close_on_single_problem": (
        [CONFIRMED, stage("objections"), objection("timing")],
        [CONFIRMED, stage("objections"), objection("need")],
    ),
    "price_from_real_budget_limit": (
        [answer("budget", "limited"), objection("price")],
        [answer("budget", "approved"), objection("price")],
    ),
    "price_as_reflex": (
        [objection("price"), lambda s: s.classify_objection(1, "impulse")],
        [objection("price"), lambda s: s.classify_objection(1, "half_way")],
    ),
    "brush_off_needs_a_date": ([objection("brush_off")], [objection("timing")]),
    "limited_choice_when_hesitating": (
        [CONFIRMED, stage("presentation"), signal("compares_options")],
        [CONFIRMED, stage("presentation"), signal("compares_options"), objection("need")],
    ),
    "assumptive_on_payment_terms": (
        [CONFIRMED, stage("closing"), signal("asks_payment_terms")],
        [CONFIRMED, stage("closing"), signal("asks_payment_terms"), lambda s: s.attempt_close("direct", False)],
    ),
    "reveal_will_during_demo": (
        [CONFIRMED, stage("presentation"), signal("talks_ownership")],
        [CONFIRMED, stage("discovery"), signal("talks_ownership")],
    ),
    "ask_again_after_no": (
        [CONFIRMED, stage("closing"), lambda s: s.attempt_close("direct", False)],
        [CONFIRMED, stage("closing"), lambda s: s.attempt_close("direct", True)],
    ),
    "no_go_qualification": ([answer("budget", "none")], [answer("budget", "planned")]),
    "shared_action_plan": ([stage("next_steps")], [stage("next_steps"), lambda s: s.add_action("Send summary", "Rep")]),
    "dissatisfaction_with_competitor": (
        [answer("current_supplier", "competitor")],
        [answer("current_supplier", "competitor"), answer("supplier_satisfaction", "happy")],
    ),
    "need_real_or_strategy": (
        [objection("need")],
        [objection("need"), lambda s: s.classify_objection(1, "negotiating")],
    ),
    "no_real_need_end_gracefully": (
        [answer("cost_of_problem", "none"), objection("need")],
        [answer("cost_of_problem", "high"), objection("need")],
    ),
    "involve_the_decision_maker": (
        [answer("decision_maker", "other"), stage("closing")],
        [answer("decision_maker", "contact"), stage("closing")],
    ),
    "forget_closing_while_discovering": (
        [stage("discovery"), signal("positive_agreement")],
        [stage("discovery"), CONFIRMED, signal("positive_agreement")],
    ),
    "price_question_before_need": ([signal("asks_price")], [CONFIRMED, signal("asks_price")]),
    "first_twenty_seconds": ([], [minutes(3)]),
    "presentation_reminding": (
        [answer("existing_customer", "customer"), stage("presentation")],
        [answer("existing_customer", "referral"), stage("presentation")],
    ),
    "presentation_persuasive": (
        [answer("current_supplier", "competitor"), stage("presentation")],
        [answer("current_supplier", "nothing"), stage("presentation")],
    ),
    "presentation_informative": (
        [answer("current_supplier", "nothing"), stage("presentation")],
        [answer("current_supplier", "nothing"), answer("existing_customer", "customer"), stage("presentation")],
    ),
    "discovery_running_long": ([stage("discovery"), minutes(45)], [stage("discovery"), minutes(30)]),
}


def play(steps: list[Setup]) -> MeetingSession:
    session = MeetingSession.start(LIBRARY, prospect="Test", clock=FakeClock())
    for step in steps:
        step(session)
    return session


def fired(session: MeetingSession) -> set[str]:
    return {g.source.removeprefix("rule:") for g in session.guidance() if g.source.startswith("rule:")}


def test_every_rule_has_a_scenario() -> None:
    assert set(SCENARIOS) == {r.id for r in LIBRARY.rules}


@pytest.mark.parametrize("rule_id", sorted(SCENARIOS))
def test_rule_fires_in_its_scenario(rule_id: str) -> None:
    fires, _ = SCENARIOS[rule_id]
    session = play(fires)
    assert rule_id in fired(session)
    rule = next(r for r in LIBRARY.rules if r.id == rule_id)
    item = next(g for g in session.guidance() if g.source == f"rule:{rule_id}")
    assert (item.kind, item.text, item.priority, item.why) == (rule.then.kind, rule.then.text, rule.then.priority, rule.description)


@pytest.mark.parametrize("rule_id", sorted(SCENARIOS))
def test_rule_stays_quiet_in_the_near_miss(rule_id: str) -> None:
    _, near_miss = SCENARIOS[rule_id]
    assert rule_id not in fired(play(near_miss))
