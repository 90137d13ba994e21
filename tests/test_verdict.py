"""Go / No-Go as the consulting posture defines it: willingness to work together and the effort
the customer commits to, next to budget, need and solvency.

Seed 001: "very often, a blockage of this kind is a sign of a lack of desire to work together.
The question then arises as to whether or not to continue discussions with the customer. In
other words: Go / No Go?" and "The level of effort the customer puts into this process is the
best indicator of their level of commitment to you."
"""

from __future__ import annotations


import pytest

from conftest import MINIMAL
from playbook.format import load_playbook
from playbook.meeting import MeetingSession
from playbook.meeting.qualification import qualify
from playbook.meeting.summary import to_markdown

LIBRARY = load_playbook(None)
FRENCH = load_playbook("builtin:fr")
# Enough known and good for Go on budget, need, authority and urgency alone.
GOOD = {"problem_to_solve": "x", "need_confirmed": "yes", "decision_maker": "contact", "budget": "approved",
        "timeline": "now", "cost_of_problem": "high", "approval_process": "known", "current_supplier": "nothing",
        "success_criteria": "x", "cost_estimate": "x", "why_it_matters": "x", "must_haves": "x", "others_involved": "x"}


def explained(question_id: str, key: str, library=LIBRARY) -> str:
    question = library.question(question_id)
    meaning = question.answer(key)
    return f"{question.topic}: {meaning.label}. {meaning.means}"


def test_the_library_measures_time_information_access_and_a_next_step() -> None:
    for library in (LIBRARY, FRENCH):
        assert {q.id for q in library.questions if q.commitment} == {"gives_time", "shares_data", "opens_doors", "own_next_step"}


def test_go_needs_a_sign_of_commitment() -> None:
    without = qualify(LIBRARY, GOOD)
    assert without.coverage >= 60 and without.score >= 60
    assert without.verdict == "not_yet"
    assert without.reasons == (
        "no sign of commitment yet: still to learn: information shared, access to the people who decide, time given, their next step",
    )
    committed = qualify(LIBRARY, {**GOOD, "own_next_step": "concrete"})
    assert committed.verdict == "go"
    assert "their next step: A concrete task with a date" in committed.reasons


def test_a_vague_promise_is_not_commitment() -> None:
    q = qualify(LIBRARY, {**GOOD, "own_next_step": "vague"})
    assert q.verdict == "not_yet"
    assert q.reasons[0] == "no sign of commitment yet: still to learn: information shared, access to the people who decide, time given"


def test_two_refusals_to_work_together_make_no_go_with_their_reasons() -> None:
    q = qualify(LIBRARY, {**GOOD, "gives_time": "no", "shares_data": "no"})
    assert q.verdict == "no_go"
    assert q.reasons == (explained("shares_data", "no"), explained("gives_time", "no"))


def test_one_refusal_is_a_reason_to_look_into_not_a_verdict() -> None:
    q = qualify(LIBRARY, {**GOOD, "shares_data": "no", "opens_doors": "yes"})
    assert q.verdict == "go"
    assert explained("shares_data", "no") in q.reasons
    alone = qualify(LIBRARY, {**GOOD, "shares_data": "no"})
    assert alone.verdict == "not_yet" and explained("shares_data", "no") in alone.reasons


def test_refusals_outweighed_by_commitments_are_not_no_go() -> None:
    q = qualify(LIBRARY, {**GOOD, "gives_time": "no", "shares_data": "no", "opens_doors": "yes", "own_next_step": "concrete"})
    assert q.verdict == "go"
    assert q.reasons[-2:] == (explained("shares_data", "no"), explained("gives_time", "no"))


def test_budget_need_and_solvency_still_decide_no_go_alone() -> None:
    q = qualify(LIBRARY, {**GOOD, "own_next_step": "concrete", "solvency": "doubtful"})
    assert q.verdict == "no_go" and q.reasons == (explained("solvency", "doubtful"),)


def test_a_playbook_without_commitment_questions_keeps_its_verdict() -> None:
    minimal = load_playbook(MINIMAL)
    assert qualify(minimal, {"budget": "approved"}).verdict == "go"


def test_french_verdict_reasons_in_french() -> None:
    q = qualify(FRENCH, {**GOOD, "gives_time": "no", "own_next_step": "nothing"})
    assert q.verdict == "no_go"
    assert q.reasons == (explained("gives_time", "no", FRENCH), explained("own_next_step", "nothing", FRENCH))


def test_refusing_to_work_together_stops_the_closing_and_shows_in_the_summary() -> None:
    session = MeetingSession.start(LIBRARY, prospect="Anna", company="Dupont")
    for question, value in GOOD.items():
        session.answer(question, value)
    session.set_stage("closing")
    session.observe_signal("asks_delivery")
    assert "direct" in {c.id for c, _, _ in session.closing_advice()}
    session.answer("opens_doors", "no")
    session.answer("own_next_step", "nothing")
    assert session.qualification().verdict == "no_go"
    assert session.closing_advice() == []
    assert session.guidance()[0].source == "rule:no_go_qualification"
    markdown = to_markdown(session.summary())
    assert "verdict **No-Go**" in markdown
    assert f"- {explained('opens_doors', 'no')}" in markdown


@pytest.mark.parametrize("library", [LIBRARY, FRENCH], ids=["en", "fr"])
def test_the_next_steps_stage_asks_what_the_customer_will_do(library) -> None:
    session = MeetingSession.start(library, prospect="Anna")
    session.set_stage("next_steps")
    assert [q.id for q in session.next_questions(2)] == ["own_next_step", "gives_time"]
