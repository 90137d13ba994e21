"""The built-in library validates and holds what the method requires."""

from __future__ import annotations

import pytest

from playbook.format import builtin_path, load_playbook
from playbook.model import STAGE_KIND_ORDER, Playbook

REQUIRED_OBJECTIONS = ("price", "timing", "need", "product", "messenger", "authority", "competitor", "brush_off", "risk")
REQUIRED_TECHNIQUES = ("direct_denial", "indirect_denial", "question", "superior_benefit", "demonstration", "trial_offer", "third_party")


@pytest.fixture(scope="module")
def library() -> Playbook:
    return load_playbook(None)


def test_builtin_library_is_the_rules_directory(library: Playbook) -> None:
    assert (builtin_path() / "objections.yaml").is_file()
    assert library.id == "builtin"


def test_stages_cover_a_whole_meeting_in_order(library: Playbook) -> None:
    assert tuple(s.kind for s in library.stages) == STAGE_KIND_ORDER


def test_at_least_15_weighted_questions_with_go_no_go_meaning(library: Playbook) -> None:
    assert len(library.questions) >= 15
    assert all(q.weight > 0 for q in library.questions)
    topics = {q.topic for q in library.questions}
    assert {"authority", "budget", "urgency", "need", "competition", "volume", "interest"} <= topics
    verdicts = {a.verdict for q in library.questions for a in q.answers} | {b.verdict for q in library.questions for b in q.bands}
    assert {"go", "no_go"} <= verdicts


def test_the_seven_handling_techniques(library: Playbook) -> None:
    assert set(REQUIRED_TECHNIQUES) <= {t.id for t in library.techniques}


@pytest.mark.parametrize("objection_id", REQUIRED_OBJECTIONS)
def test_required_objection_is_complete(library: Playbook, objection_id: str) -> None:
    objection = library.objection(objection_id)
    assert objection is not None
    assert len(set(objection.phrasings)) >= 15
    assert len(objection.responses) >= 3
    assert len({r.technique for r in objection.responses}) >= 3, "responses should use varied techniques"
    assert objection.follow_up


def test_every_technique_is_used_by_some_response(library: Playbook) -> None:
    used = {r.technique for o in library.objections for r in o.responses}
    assert used == {t.id for t in library.techniques}


def test_price_objection_splits_into_the_three_situations(library: Playbook) -> None:
    price = library.objection("price")
    assert {s.id for s in price.situations} == {"financial_limit", "impulse", "half_way"}
    limit = next(s for s in price.situations if s.id == "financial_limit")
    assert limit.prefer[0] == "simplify_offer"


def test_closing_methods(library: Playbook) -> None:
    ids = {c.id for c in library.closings}
    assert len(ids) >= 7
    assert {"reveal_will_to_buy", "synthesis_of_benefits", "assumptive", "concession", "single_problem", "limited_choice", "direct"} <= ids
    assert all(c.fits_when and c.example for c in library.closings)


def test_guidance_rules(library: Playbook) -> None:
    assert len(library.rules) >= 10
    ids = {r.id for r in library.rules}
    assert {"no_pitch_before_need", "settle_objections_before_closing", "price_from_real_budget_limit",
            "find_the_decision_maker", "shared_action_plan"} <= ids


def test_at_least_150_matcher_tests_with_30_none(library: Playbook) -> None:
    assert len(library.tests) >= 150
    assert sum(t.expect == "none" for t in library.tests) >= 30
    phrasings = {p.lower() for o in library.objections for p in o.phrasings}
    copied = [t.say for t in library.tests if t.say.lower() in phrasings]
    assert copied == [], "tests must be written apart from the phrasings"


def test_signals_have_phrasings_and_neutral_talk_exists(library: Playbook) -> None:
    assert all(len(s.phrasings) >= 5 for s in library.signals)
    assert len(library.neutral) >= 40


def test_french_playbook_is_complete_and_passes_its_tests() -> None:
    from playbook.matching.evaluation import run_tests

    french = load_playbook("builtin:fr")
    assert french.language == "fr"
    english = load_playbook(None)
    assert [o.id for o in french.objections] == [o.id for o in english.objections]
    assert all(len(o.phrasings) >= 14 and len(o.responses) >= 3 for o in french.objections)
    assert french.question("budget").text == "Un budget est-il prévu pour ce projet ?"
    assert french.question("budget").weight == english.question("budget").weight
    assert french.rules[0].when == english.rules[0].when and french.rules[0].then.text != english.rules[0].then.text
    assert set(french.neutral) & set(english.neutral) <= {"ok"}  # the one word both languages say
    report = run_tests(french)
    assert len(french.tests) >= 50 and sum(t.expect == "none" for t in french.tests) >= 10
    assert report.ok and report.false_alarms() <= 1
    accents_missing = [t for t in french.tests if t.say.isascii() and t.expect != "none"]
    assert accents_missing and all(r.passed for r in report.results if r.test in accents_missing[:5])
