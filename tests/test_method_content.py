"""The built-in libraries say what the method says: closing conditions the engine checks, the
techniques named as the method names them, its objection sub-cases, and the same content in
French as in English."""

from __future__ import annotations

import pytest

from playbook.format import load_playbook

LIBRARY = load_playbook(None)
FRENCH = load_playbook("builtin:fr")
BOTH = pytest.mark.parametrize("library", [LIBRARY, FRENCH], ids=["en", "fr"])


@BOTH
def test_every_closing_condition_is_checked_by_the_engine(library) -> None:
    for closing in library.closings:
        assert closing.avoids and len(closing.avoids) == len(closing.avoid_when), closing.id
        assert closing.fits and len(closing.fits) == len(closing.fits_when), closing.id


@BOTH
def test_techniques_are_labelled_as_the_method_names_them(library) -> None:
    """Seed 000: price "Half way: neither you nor me"; "Limitation for financial possibility:
    simplify product"; indirect negation: "say to client this is partially right"; superior
    benefit: "bring when client finds a missing benefit"."""
    technique = {(o.id, r.id): r.technique for o in library.objections for r in o.responses}
    assert technique["price", "meet_half_way"] == "concession"
    assert technique["price", "simplify_offer"] == "simplify"
    assert technique["authority", "equip_champion"] == "internal_case"
    assert technique["product", "correct_fact"] == "indirect_denial"
    product = library.objection("product")
    missing = next(s for s in product.situations if s.id == "missing_benefit")
    assert technique["product", missing.prefer[0]] == "superior_benefit"


@BOTH
def test_the_method_s_objection_sub_cases_are_situations_of_the_nine_categories(library) -> None:
    """Seed 000, transaction phase: need ("If client doesn't need product, nothing to do / If it
    is strategy"), product ("positioning", "unpopular", "not good according to actual users"),
    price (limit, impulse, half way), time ("short time to analyse", "later higher price, brand
    notoriety")."""
    assert [o.id for o in library.objections] == [
        "price", "timing", "need", "product", "messenger", "authority", "competitor", "brush_off", "risk"]
    situations = {o.id: {s.id for s in o.situations} for o in library.objections}
    assert situations["need"] == {"no_real_need", "negotiating"}
    assert {"positioning", "unpopular", "bad_reviews", "missing_benefit"} <= situations["product"]
    assert situations["price"] == {"financial_limit", "impulse", "half_way"}
    assert situations["timing"] == {"analyse", "no_urgency", "wait_and_see"}
    timing = library.objection("timing")
    assert {"later_price", "brand_notoriety"} <= {r.id for r in timing.responses}
    assert timing.response("later_price").caution  # pressure wording: say it early, never as a surprise


def test_the_french_playbook_has_the_same_method_in_french() -> None:
    for section in ("stages", "questions", "techniques", "objections", "closings", "rules", "signals"):
        assert sorted(x.id for x in getattr(FRENCH, section)) == sorted(x.id for x in getattr(LIBRARY, section)), section
    for english in LIBRARY.objections:
        french = FRENCH.objection(english.id)
        assert [(r.id, r.technique) for r in french.responses] == [(r.id, r.technique) for r in english.responses]
        assert [(s.id, s.prefer) for s in french.situations] == [(s.id, s.prefer) for s in english.situations]
        assert len(french.follow_up) == len(english.follow_up)
        for response in english.responses:
            assert french.response(response.id).text != response.text
            assert bool(french.response(response.id).caution) == bool(response.caution)
    hold_the_price = FRENCH.objection("price").response("hold_the_price").text
    assert "reprenons les bénéfices" in hold_the_price.lower()  # "go through superior benefits again"
    for english in LIBRARY.closings:
        french = FRENCH.closing(english.id)
        assert [c.when for c in french.avoids] == [c.when for c in english.avoids]
        assert [c.when for c in french.fits] == [c.when for c in english.fits]
        assert french.example != english.example and bool(french.caution) == bool(english.caution)
    for english in LIBRARY.rules:
        french = next(r for r in FRENCH.rules if r.id == english.id)
        assert (french.when, french.then.hold_all_closings, french.then.hold_closings) == (
            english.when, english.then.hold_all_closings, english.then.hold_closings)
        assert french.then.text != english.then.text and french.description != english.description
    for english in LIBRARY.questions:
        french = FRENCH.question(english.id)
        assert french.text != english.text and (french.weight, french.commitment) == (english.weight, english.commitment)
        assert bool(french.blank) == bool(english.blank)


@BOTH
def test_the_opening_and_discovery_carry_the_consulting_posture(library) -> None:
    """Seed 001: "the first 20 seconds are crucial ... about your company, then about your own
    role"; "stop asking them what they want, ask them why"; "make the customer aware of his or
    her needs, often expressed implicitly, and to formalize them into explicit requirements";
    "put a value on the cost of the current situation"; the expert delivers "a point of view"."""
    assert {"why_it_matters", "must_haves", "cost_estimate", "expert_view"} <= {q.id for q in library.questions}
    assert any("20" in goal for goal in library.stage("opening").goals)
    assert "first_twenty_seconds" in {r.id for r in library.rules}
    assert {"presentation_informative", "presentation_persuasive", "presentation_reminding"} <= {r.id for r in library.rules}
