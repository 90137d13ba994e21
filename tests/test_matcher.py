"""The objection matcher, unit by unit: typos, prefixes, shorthand, negation, thresholds, quiet categories."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from rapidfuzz import fuzz

from playbook.format import load_playbook
from playbook.matching import Matcher
from playbook.model import Playbook
from playbook.matching.textnorm import normalise

CATEGORIES = [
    ("price", "Price", ["it is too expensive", "we can't afford it", "over our budget", "the price is too high"], ["expensive", "budget", "afford"]),
    ("timing", "Timing", ["not the right time", "call me next quarter", "we are too busy right now", "maybe next year"], ["later", "busy"]),
    ("authority", "Authority", ["my boss decides", "i need to ask my manager", "the board must approve"], ["boss", "approve"]),
    ("brush_off", "Brush-off", ["send me a brochure", "email me the information", "we will call you if we are interested"], ["brochure", "email"]),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(CATEGORIES, synonyms={"expensive": ["pricey", "costly"]}, threshold=25,
                   quiet={"neutral": ["hello nice to meet you", "that is interesting", "how are you"],
                          "signal:asks_price": ["how much does it cost", "what is the price"]})


@pytest.fixture(scope="module")
def library() -> Playbook:
    return load_playbook(None)


def top(matcher: Matcher, text: str) -> str:
    found = matcher.match(text, top=1)
    return found[0].objection if found else "none"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("too expensive", "price"),
        ("TOO EXPENSIVE!!!", "price"),
        ("too expnsive", "price"),  # a missing letter
        ("too epxensive", "price"),  # swapped letters
        ("budgt", "price"),  # typo in a keyword
        ("pricey", "price"),  # a synonym from the playbook
        ("my bos decides", "authority"),
        ("send me a brochure", "brush_off"),
        ("call me next quarter", "timing"),
        ("call me in q3", "timing"),  # shorthand
    ],
)
def test_recognises_typos_shorthand_and_synonyms(matcher: Matcher, text: str, expected: str) -> None:
    assert top(matcher, text) == expected


@pytest.mark.parametrize(("partial", "expected"), [("expens", "price"), ("too exp", "price"), ("broch", "brush_off"), ("my bo", "authority")])
def test_prefix_of_the_word_being_typed(matcher: Matcher, partial: str, expected: str) -> None:
    assert top(matcher, partial) == expected


def test_prefix_is_only_completed_while_typing(matcher: Matcher) -> None:
    typing = matcher.query_vector("broch")[0]
    finished = matcher.query_vector("broch.")[0]
    assert "brochur" in typing
    assert "brochur" not in finished


@pytest.mark.parametrize(
    "text",
    ["the price is not a problem", "price isn't an issue", "budget is no concern", "no problem with the price",
     "le prix n'est pas un problème", "el precio no es un problema"],
)
def test_negated_problem_is_not_an_objection(matcher: Matcher, text: str) -> None:
    assert matcher.match(text) == []


def test_negated_word_is_its_own_term(library: Playbook) -> None:
    # The library's brush-off says "not interested"; "interested" alone must not carry that term.
    matcher = Matcher.from_playbook(library)
    assert "not interest" in matcher.query_vector("not interested")[0]
    assert "not interest" not in matcher.query_vector("interested")[0]


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "مرحبا بك", "\x00\x01\x02", "x" * 100_000, "?!?!"])
def test_bad_input_gives_an_empty_result(matcher: Matcher, text: str) -> None:
    assert matcher.match(text) == []


def test_quiet_categories_silence_small_talk_and_signals(matcher: Matcher) -> None:
    assert matcher.match("hello, nice to meet you") == []
    assert matcher.match("how much does it cost?") == []
    assert matcher.signal("how much does it cost?") == "asks_price"
    assert matcher.signal("it is too expensive") is None
    assert all(m.objection in {c[0] for c in CATEGORIES} for m in matcher.scores("hello how are you", top=10))


def test_threshold_filters_weak_matches() -> None:
    text = "i need to ask about a brochure"
    score = Matcher(CATEGORIES, threshold=0).scores(text)[0].score
    assert 0 < score < 100
    assert Matcher(CATEGORIES, threshold=score + 0.1).match(text) == []
    assert Matcher(CATEGORIES, threshold=score).match(text)[0].score == score


def test_scores_are_ranked_bounded_and_stable(matcher: Matcher) -> None:
    results = matcher.scores("the price is too high and my boss decides", top=4)
    scores = [m.score for m in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert {m.objection for m in results[:2]} == {"price", "authority"}
    assert matcher.scores("the price is too high and my boss decides", top=4) == results


def test_best_phrase_is_the_nearest_by_rapidfuzz(matcher: Matcher) -> None:
    text = "the price is way too high"
    best = matcher.match(text)[0]
    phrasings = CATEGORIES[0][2]
    expected = max(phrasings, key=lambda p: fuzz.token_sort_ratio(normalise(text), normalise(p)))
    assert best.phrase == expected


@pytest.fixture(scope="module")
def library_matcher(library: Playbook) -> Matcher:
    return Matcher.from_playbook(library)


@pytest.mark.parametrize("shortlist", [None, 64], ids=["every-phrasing", "shortlist"])
@pytest.mark.parametrize("with_numpy", [True, False], ids=["numpy", "pure-python"])
def test_rank_many_ranks_each_text_as_ranked_does(library: Playbook, library_matcher: Matcher, with_numpy: bool,
                                                  shortlist: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint ranks every phrasing at once (`rank_many`); each result must be `ranked`'s, to the last
    float and phrase, with numpy or without it (an install without the semantic extra), with the
    nearest-phrasing shortlist or without it. A change to `_rank` that `_evidence` or `_combine`
    do not follow fails here."""
    monkeypatch.setattr("playbook.matching.matcher.NEAREST_SHORTLIST", shortlist)
    monkeypatch.setattr("playbook.matching.matcher.CDIST_ROWS", 97)  # several blocks per category
    texts = [p for o in library.objections for p in o.phrasings[::9]] + list(library.neutral[::40])
    texts += [t.say for t in library.tests] + [s for sig in library.signals for s in sig.phrasings[:2]]
    texts += ["too exp", "we dont hav the budgt", "price is not an issue", "", "!!!", "zzqx", texts[0], texts[0].upper()]
    if with_numpy:
        pytest.importorskip("numpy")
    expected = [library_matcher.ranked(text) for text in texts]
    if not with_numpy:
        monkeypatch.setattr("playbook.matching.matcher._numpy", lambda: None)
    ranked = library_matcher.rank_many(texts)
    assert ranked == expected
    assert sum(1 for r in ranked if r) > 0.9 * len(texts)


def test_with_a_shortlist_the_nearest_phrasing_shares_a_telling_word_with_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a shortlist rapidfuzz compares a line with every phrasing of each candidate; with
    NEAREST_SHORTLIST set (the default), only with those closest to it by words: a phrasing nearer
    by characters alone, sharing no word with the line even once its typos are repaired, is then
    never shown."""
    monkeypatch.setattr("playbook.matching.matcher.NEAREST_SHORTLIST", None)
    phrasings = ["zee prize iss tu hie", "that price kills our budget"]
    matcher = Matcher([("price", "Price", phrasings, []), ("timing", "Timing", ["call me next quarter", "maybe next year"], [])],
                      threshold=0)
    line = "the price is too high"
    assert max(phrasings, key=lambda p: fuzz.token_sort_ratio(line, p)) == "zee prize iss tu hie"
    assert {m.objection: m.phrase for m in matcher.ranked(line)}["price"] == "zee prize iss tu hie"
    monkeypatch.setattr("playbook.matching.matcher.NEAREST_SHORTLIST", 64)
    assert {m.objection: m.phrase for m in matcher.ranked(line)}["price"] == "that price kills our budget"


def test_with_a_shortlist_a_line_sharing_no_telling_word_is_compared_with_every_phrasing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line whose words are all too common (or negated) to shortlist any phrasing still finds
    its candidate's nearest phrasing by characters, as without a shortlist: otherwise "not sure
    the quality is there" would lose its phrase evidence and fall under the gate."""
    monkeypatch.setattr("playbook.matching.matcher.NEAREST_SHORTLIST", 64)
    matcher = Matcher([("product", "Product", ["the quality isnt there", "missing the features we need"], []),
                       ("timing", "Timing", ["call me next quarter", "maybe next year"], [])], threshold=0)
    line = "not sure the quality is there"
    found = matcher._evidence(line)
    assert found is not None and found.ranked and not any(found.shortlists)  # nothing shortlisted
    assert {m.objection: m.phrase for m in matcher.ranked(line)}["product"] == "the quality isnt there"


def test_rank_many_on_a_small_matcher(matcher: Matcher) -> None:
    texts = ["too expensive", "it is too expensive", "my bos decides", "expens", "hello nice to meet you", "how much is it", ""]
    assert matcher.rank_many(texts) == [matcher.ranked(text) for text in texts]


def test_filler_words_do_not_drive_the_score(matcher: Matcher) -> None:
    weights = matcher.query_vector("we really the expensive")[0]
    assert weights["expensiv"] > 10 * weights["we"]
    assert weights["expensiv"] > 10 * weights["the"]


def test_unknown_words_dilute_the_evidence(matcher: Matcher) -> None:
    plain = matcher.scores("afford")[0].score
    diluted = matcher.scores("afford zebra giraffe elephant walrus")[0].score
    assert diluted < plain


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_valid_result(matcher: Matcher, text: str) -> None:
    for m in matcher.match(text):
        assert m.objection in {c[0] for c in CATEGORIES}
        assert 0 <= m.score <= 100


def test_from_playbook_uses_its_threshold_synonyms_and_quiet_phrasings(library: Playbook) -> None:
    matcher = Matcher.from_playbook(library)
    from playbook.matching.matcher import DEFAULT_THRESHOLD

    assert matcher.threshold == DEFAULT_THRESHOLD  # the library sets none of its own
    assert top(matcher, "too exp") == "price"  # 'exp' is a synonym of expensive in the library
    assert matcher.signal("can we pay monthly?") == "asks_payment_terms"
    assert matcher.match("hello, welcome") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("c'est trop cher", "price"), ("trop chère", "price"), ("es demasiado caro", "price")],
)
def test_accent_folding_makes_french_and_spanish_match(text: str, expected: str) -> None:
    matcher = Matcher([("price", "Prix", ["c'est trop cher", "trop chère pour nous", "es muy caro", "demasiado caro"], []),
                       ("timing", "Moment", ["pas maintenant", "ce n'est pas le moment", "ahora no", "más tarde"], [])])
    assert top(matcher, text) == expected


def test_library_tests_pass_at_the_required_rate(library: Playbook) -> None:
    from playbook.matching.evaluation import run_tests

    report = run_tests(library)
    assert report.ok, f"{report.accuracy:.1f}% < {report.required}%"
    assert report.false_alarms() <= 3


def test_a_typo_equally_close_to_two_words_is_evidence_for_both() -> None:
    """"decdes" is one letter from "decides" and from "decades": each gets half the typo's weight,
    whatever the alphabet says (taking the first in alphabetical order once turned a trainee's
    "who decdes" into small talk, when the customers' talk brought "decades" into the vocabulary)."""
    matcher = Matcher([
        ("authority", "", ["the board decides", "my boss decides", "who decides here", "she decides alone"], []),
        ("need", "", ["we have done it this way for decades"], []),
    ])
    assert matcher.vocab.repair("decdes", typing=False) == [("decad", 0.425), ("decid", 0.425)]
    assert matcher.vocab.repair("decidse", typing=False) == [("decid", 0.85)]  # one word that close: the whole weight
    assert matcher.match("who decdes")[0].objection == "authority"


@pytest.mark.parametrize(("text", "signal"), [
    ("what would per head pricing be for 200 users?", "asks_price"),
    ("per head pricing gets silly at 200 users", None),  # the same words, pushing back
    ("the price for 200 users is ridiculous", None),
    ("we don't pay monthly", None),
])
def test_a_line_that_pushes_back_is_not_a_buying_signal(matcher: Matcher, text: str, signal: str | None) -> None:
    assert matcher.signal(text) == signal


@pytest.mark.parametrize(("text", "phrase", "opposite"), [
    ("i'm the one who signs", "i'm not the one who signs", True),
    ("we have the budget for it", "we don't have the budget for this", True),
    ("we do need this", "we don't need this", True),
    ("on en a besoin", "on n'en a pas besoin", True),  # the elided "ne" is set aside too
    ("we're good thanks bye", "no we're good, thanks", False),  # a leading "no" answers, it does not negate
    ("no budget left", "no budget", False),  # the line negates too
    ("budget", "no budget", False),  # one word: a rep's shorthand for the objection
    ("we have the budget but it's tight", "we don't have the budget", False),  # the line doubts
    ("who did you say you were with again", "who did you say you were with again, never heard of them", False),
    ("why would i change anything", "i dont see why we'd change anything", False),  # another way to object
    ("c'est mon chef qui decide", "ce n'est pas moi qui décide", False),  # about someone else
])
def test_a_line_spelling_out_a_negating_phrasing_without_its_negation_says_the_opposite(
        text: str, phrase: str, opposite: bool) -> None:
    from playbook.matching.matcher import says_the_opposite
    from playbook.matching.textnorm import words

    assert says_the_opposite(text, words(text), phrase) is opposite


def test_the_opposite_of_an_objection_is_not_recognised_as_one(library: Playbook) -> None:
    matcher = Matcher.from_playbook(library)
    for statement, objection, category in [("i'm the one who signs", "i'm not the one who signs", "authority"),
                                           ("we have the budget for it", "we don't have the budget for it", "price"),
                                           ("we are interested", "we are not interested", "brush_off")]:
        assert matcher.match(objection, top=1)[0].objection == category
        assert matcher.match(statement) == []
