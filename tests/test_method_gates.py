"""The closing gates of the method, each played through `MeetingSession` on both built-in
playbooks: which closing methods are suggested and which are not, and the "why" for both.

Each test quotes, in its docstring, the passage of the method (../shared/seeds/) it follows.
The reasons are compared with the playbook's own wording (a rule's description, a closing
method's `avoid_when` text), so the same tests hold for the English and the French library.
"""

from __future__ import annotations

from typing import Callable

import pytest

from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.model import Playbook

LIBRARIES = {"en": load_playbook(None), "fr": load_playbook("builtin:fr")}
ORDER_ASKING = ("synthesis_of_benefits", "assumptive", "concession", "single_problem", "limited_choice", "direct")


class Clock:
    def __init__(self) -> None:
        self.now = 1_767_261_600.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=sorted(LIBRARIES))
def library(request: pytest.FixtureRequest) -> Playbook:
    return LIBRARIES[request.param]


def meeting(library: Playbook, *steps: Callable[[MeetingSession], object]) -> MeetingSession:
    session = MeetingSession.start(library, prospect="Anna", company="Dupont", clock=Clock())
    for step in steps:
        step(session)
    return session


def qualified(session: MeetingSession) -> None:
    """A meeting where the need is confirmed and the contact decides: nothing else holds a close back."""
    session.answer("need_confirmed", "yes")
    session.answer("decision_maker", "contact")


def suggested(session: MeetingSession) -> set[str]:
    """Closing methods the rep is offered: in the closing list and in the guidance."""
    offered = {closing.id for closing, _, _ in session.closing_advice()}
    in_guidance = {g.closing for g in session.guidance() if g.kind == "close"}
    assert in_guidance <= offered, "the guidance never suggests a closing the review holds back"
    return offered


def held(session: MeetingSession, closing_id: str) -> tuple[str, ...]:
    return next(r.held for r in session.closing_review() if r.closing.id == closing_id)


def rule_reason(library: Playbook, rule_id: str) -> str:
    rule = next(r for r in library.rules if r.id == rule_id)
    return f"rule {rule.id}: {rule.description}"


def avoid_reason(library: Playbook, closing_id: str, index: int) -> str:
    return f"avoid: {library.closing(closing_id).avoids[index].text}"


def guidance_sources(session: MeetingSession) -> list[str]:
    return [g.source for g in session.guidance()]


def test_a_two_objections_open_at_the_close(library: Playbook) -> None:
    """Seed 000, factors of help to get the contract: "Negotiate difficult points before trying
    to close" and "Avoid to surprise client in this phase".

    Before: the engine said "settle them" and suggested a direct close in the same breath."""
    session = meeting(library, qualified, lambda s: s.set_stage("closing"),
                      lambda s: s.observe_signal("positive_agreement"), lambda s: s.observe_signal("asks_delivery"),
                      lambda s: s.raise_objection("too expensive", "price"), lambda s: s.raise_objection("too risky", "risk"))
    assert suggested(session) == set()
    gate = rule_reason(library, "settle_objections_before_closing")
    for review in session.closing_review():
        assert gate in review.held
    assert guidance_sources(session)[0] == "rule:settle_objections_before_closing"
    # One difficult point settled: now the method is to isolate the last one and close on it.
    session.settle_objection(2, "resolved")
    assert suggested(session) == {"single_problem"}
    close = next(g for g in session.guidance() if g.kind == "close")
    assert (close.source, close.closing) == ("rule:close_on_single_problem", "single_problem")
    assert avoid_reason(library, "direct", 2) in held(session, "direct")  # an objection is still open


def test_b_price_asked_at_the_opening(library: Playbook) -> None:
    """Seed 000: "Don't recommend product without knowing customer need"; the concession close
    ("additional element, payment fraction") comes at the transaction, and "Avoid to surprise
    client in this phase".

    Before: at the opening, "how much?" brought up "If we sign this week..." despite its own avoid_when."""
    session = meeting(library, lambda s: s.observe_signal("asks_price"))
    assert session.state.stage == "opening"
    assert "concession" not in suggested(session)
    reasons = held(session, "concession")
    assert avoid_reason(library, "concession", 0) in reasons  # no agreement on value yet
    assert rule_reason(library, "forget_closing_while_discovering") in reasons
    item = next(g for g in session.guidance() if g.source == "rule:price_question_before_need")
    assert (item.kind, item.question) == ("ask", "problem_to_solve")
    assert library.closing("concession").caution  # the pressure wording carries its caution


def test_c_no_go_verdict(library: Playbook) -> None:
    """Seed 001, Go / No Go: "A No Go will enable you to avoid spending unnecessary time and
    commercial energy on a deal that has little chance of succeeding".

    Before: with the verdict No-Go, the assumptive and direct closes were still suggested."""
    buying = (qualified, lambda s: s.set_stage("closing"), lambda s: s.observe_signal("asks_payment_terms"),
              lambda s: s.observe_signal("asks_delivery"), lambda s: s.observe_signal("positive_agreement"))
    control = meeting(library, *buying, lambda s: s.answer("budget", "approved"))
    assert {"assumptive", "direct"} <= suggested(control)
    session = meeting(library, *buying, lambda s: s.answer("budget", "none"))
    assert session.qualification().verdict == "no_go"
    assert suggested(session) == set()
    for closing_id in ("assumptive", "direct"):
        assert rule_reason(library, "no_go_qualification") in held(session, closing_id)
    assert "rule:no_go_qualification" in guidance_sources(session)
    assert not any(g.kind == "close" for g in session.guidance())


def test_d_contact_is_not_the_decision_maker(library: Playbook) -> None:
    """Seed 001, identify decision-makers: the salesperson "needs to identify the people involved
    in the decision ... and begin to commit all parties to the decision".

    Before: closes were suggested to a contact who cannot decide, without a word about who does."""
    buying = (lambda s: s.answer("need_confirmed", "yes"), lambda s: s.set_stage("closing"),
              lambda s: s.observe_signal("asks_delivery"), lambda s: s.observe_signal("positive_agreement"))
    control = meeting(library, *buying, lambda s: s.answer("decision_maker", "contact"))
    assert "direct" in suggested(control)
    session = meeting(library, *buying, lambda s: s.answer("decision_maker", "other"))
    assert suggested(session).isdisjoint(ORDER_ASKING)
    for closing_id in ORDER_ASKING:
        assert rule_reason(library, "involve_the_decision_maker") in held(session, closing_id)
    instead = next(g for g in session.guidance() if g.source == "rule:involve_the_decision_maker")
    assert instead.kind == "next_step" and instead.why == next(r for r in library.rules if r.id == "involve_the_decision_maker").description


def test_e_no_need_is_not_a_single_problem_to_close_on(library: Playbook) -> None:
    """Seed 000, objection related to product need: "If client doesn't need product, nothing to
    do. If it is strategy: demonstrate product is good investment; present a trial".

    Before: any first objection, even "we don't need this", brought "one objection is left ...
    then close on it"."""
    session = meeting(library, qualified, lambda s: s.set_stage("objections"),
                      lambda s: s.raise_objection("we don't need this", "need"))
    assert suggested(session) == set()
    assert "rule:close_on_single_problem" not in guidance_sources(session)
    assert avoid_reason(library, "single_problem", 3) in held(session, "single_problem")  # not a problem to solve
    sources = guidance_sources(session)
    assert "rule:need_real_or_strategy" in sources  # first find out which case it is
    respond = next(g for g in session.guidance() if g.kind == "respond")
    assert respond.response == "explore_need"

    session.classify_objection(1, "no_real_need")
    assert suggested(session) == set()
    assert rule_reason(library, "no_real_need_end_gracefully") in held(session, "single_problem")
    graceful = next(g for g in session.guidance() if g.source == "rule:no_real_need_end_gracefully")
    assert graceful.kind == "next_step"
    assert [r.id for r, _ in session.responses(1)][0] == "leave_door_open"

    strategy = meeting(library, qualified, lambda s: s.set_stage("objections"),
                       lambda s: s.raise_objection("we don't need this", "need"), lambda s: s.classify_objection(1, "negotiating"))
    assert [r.id for r, _ in strategy.responses(1)][:2] == ["investment_case", "need_trial"]
    assert "rule:no_real_need_end_gracefully" not in guidance_sources(strategy)
    assert suggested(strategy) == set()


def test_f_direct_close_only_after_clear_interest(library: Playbook) -> None:
    """Seed 000, methods to close a contract: "Direct closing (only after clear interest on product)".

    Before: a nod ("that makes sense") was enough to suggest asking plainly for the order."""
    session = meeting(library, qualified, lambda s: s.set_stage("closing"), lambda s: s.observe_signal("positive_agreement"))
    assert "direct" not in suggested(session)
    assert held(session, "direct") == (avoid_reason(library, "direct", 0),)
    assert "synthesis_of_benefits" in suggested(session)  # sum up the benefits they agreed with instead
    close = next(g for g in session.guidance() if g.closing == "synthesis_of_benefits")
    assert library.signal("positive_agreement").name in close.why
    session.observe_signal("asks_delivery")  # "how soon could we start?": clear interest in the product
    assert "direct" in suggested(session)
    assert held(session, "direct") == ()


def test_g_forget_closing_while_discovering_the_need(library: Playbook) -> None:
    """Seed 001, the consulting posture: "The salesperson must mentally forget about closing, and
    set the sole aim of initiating a quality relationship, based above all on trust", and "to
    forget about closing and the desire to 'land an order'".

    Before: in discovery, one "sounds good" ranked two closing methods above the discovery questions."""
    session = meeting(library, lambda s: s.set_stage("discovery"), lambda s: s.observe_signal("positive_agreement"))
    assert suggested(session) == set()
    items = session.guidance()
    assert not any(g.kind == "close" for g in items)
    asks = [i for i, g in enumerate(items) if g.source.startswith("question:")]
    gate = next(i for i, g in enumerate(items) if g.source == "rule:forget_closing_while_discovering")
    assert asks and max(asks[:3]) < gate  # the questions come first; the reminder last
    for review in session.closing_review():
        assert rule_reason(library, "forget_closing_while_discovering") in review.held
    # Once the customer confirms the need, the gate opens.
    session.answer("need_confirmed", "yes")
    assert "rule:forget_closing_while_discovering" not in guidance_sources(session)


def test_every_suggestion_says_where_it_comes_from(library: Playbook) -> None:
    """Guidance stays explainable: every item names its rule, question, objection or closing
    method, and gives a reason."""
    session = meeting(library, qualified, lambda s: s.set_stage("closing"), lambda s: s.observe_signal("asks_delivery"),
                      lambda s: s.observe_signal("positive_agreement"), lambda s: s.raise_objection("too expensive", "price"))
    for item in session.guidance():
        assert item.source.split(":")[0] in {"rule", "question", "objection", "closing"}
        assert item.why
