"""Lint: one small playbook per warning code, asserting the code, the place and the message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL
from playbook.authoring.lint import lint
from playbook.format import load_playbook

BASE = (MINIMAL / "playbook.yaml").read_text()
PRICE_PHRASINGS = "    phrasings: [too expensive, over our budget]\n"
MANY = ("    phrasings: [too expensive, over our budget, we cannot afford it, the price is too high, costs too much,"
        " way out of our budget, pricey, the quote is steep]\n")


def warnings_for(tmp_path: Path, text: str) -> list:
    (tmp_path / "playbook.yaml").write_text(text)
    return lint(load_playbook(tmp_path))


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_minimal_playbook_is_thin(tmp_path: Path) -> None:
    found = warnings_for(tmp_path, BASE)
    assert [(p.code, p.line, p.col, p.severity.value) for p in found if p.code == "few-phrasings"] == [("few-phrasings", 27, 5, "warning")]
    assert "price: 2 phrasings; 8 or more make it recognisable" in [p.message for p in found]
    assert "few-responses" in codes(found)


def test_duplicate_and_near_duplicate_phrasings(tmp_path: Path) -> None:
    text = BASE.replace(PRICE_PHRASINGS, MANY.replace("pricey,", "pricey, too expensive!, the price is too high!,"))
    found = warnings_for(tmp_path, text)
    assert any(p.code == "duplicate-phrasing" and "\"too expensive!\" is also a phrasing of price" in p.message for p in found)


def test_ambiguous_phrasing(tmp_path: Path) -> None:
    timing = (
        "  - id: timing\n    title: Timing\n"
        "    phrasings: [not now, call me next year, too busy, maybe later, next quarter, after the summer, not the right time,"
        " the price is too high]\n"
        "    responses: [{id: when, technique: question, text: When then?}, {id: why, technique: question, text: Why?}]\n"
    )
    text = BASE.replace(PRICE_PHRASINGS, MANY).replace("rules:\n", timing + "rules:\n")
    found = warnings_for(tmp_path, text)
    assert any(p.code == "ambiguous-phrasing" and p.message.startswith("timing: \"the price is too high\"") for p in found)


def test_unused_technique_and_signal(tmp_path: Path) -> None:
    text = BASE.replace("techniques:\n", "techniques:\n  - {id: flattery, name: Flattery, description: Praise.}\n") + (
        "signals:\n  - {id: nods, name: Nods}\n"
    )
    found = warnings_for(tmp_path, text)
    assert "technique 'flattery' is used by no response" in [p.message for p in found]
    assert "signal 'nods' is used by no closing method, rule or scenario" in [p.message for p in found]


def test_unused_question(tmp_path: Path) -> None:
    text = BASE.replace("questions:\n", "questions:\n  - {id: hobby, stage: discovery, text: Any hobbies?, type: text, weight: 0}\n")
    found = warnings_for(tmp_path, text)
    assert "question 'hobby' weighs 0 and no rule or scenario uses it: it changes nothing" in [p.message for p in found]
    assert not any("'budget'" in p.message for p in found if p.code == "unused-question")


def test_rule_that_never_or_always_fires(tmp_path: Path) -> None:
    text = BASE.replace(
        "  - id: warn_no_budget\n",
        "  - id: impossible\n    when: {all: [{fact: stage, op: eq, value: discovery}, {fact: stage, op: eq, value: closing}]}\n"
        "    then: {kind: warn, text: Never.}\n"
        "  - id: always\n    when: {fact: answer.budget, op: exists, value: false}\n    then: {kind: ask, text: Budget?}\n"
        "  - id: warn_no_budget\n",
    )
    found = warnings_for(tmp_path, text)
    assert "rule 'impossible': its condition contradicts itself" in [p.message for p in found]
    assert "rule 'always' fires at every stage of an empty meeting" in [p.message for p in found]
    assert not any("warn_no_budget" in p.message for p in found)


def test_unreachable_stage(tmp_path: Path) -> None:
    found = warnings_for(tmp_path, BASE)
    messages = [p.message for p in found if p.code == "unreachable-stage"]
    assert messages == ["stage 'closing' has no questions and no rule or scenario refers to it"]  # discovery has a question


def test_failing_test_case(tmp_path: Path) -> None:
    text = BASE.replace("  - say: way too expensive\n    expect: price\n", "  - say: hello there\n    expect: price\n")
    found = warnings_for(tmp_path, text)
    failing = [p for p in found if p.code == "test-fails"]
    assert [(p.line, p.message) for p in failing] == [(39, "\"hello there\": expected price, got none")]


BUDGET_LINES = ["over our budget", "no budget left this year", "the budget is spent", "budget is tight", "our budget is frozen",
                "not in the budget", "the budget holder said no", "budget cuts everywhere", "we blew the budget already",
                "the budget will not stretch", "budget is gone for the quarter"]


def typo_playbook(tmp_path: Path, extra: str) -> tuple[str, list]:
    """A price category with eleven phrasings saying "budget", and one more: `extra`."""
    block = "    phrasings:\n" + "".join(f"      - {line}\n" for line in [*BUDGET_LINES, extra])
    text = BASE.replace(PRICE_PHRASINGS, block)
    return text, [p for p in warnings_for(tmp_path, text) if p.code == "likely-typo"]


def test_likely_typo_is_reported_at_its_phrasing(tmp_path: Path) -> None:
    """"budgett" in one phrasing makes it a known word, so the matcher stops repairing a rep's "budgett"."""
    text, found = typo_playbook(tmp_path, "the budgett is all spoken for")
    line = text.splitlines().index("      - the budgett is all spoken for") + 1
    assert [(p.line, p.col, p.message) for p in found] == [
        (line, 9, "price: \"the budgett is all spoken for\": 'budgett' looks like a typo of 'budget' (1 line against 11); "
                  "a known word is never repaired, so a rep's 'budgett' is not read as 'budget'"),
    ]


def test_likely_typo_in_small_talk_is_reported_at_its_line(tmp_path: Path) -> None:
    block = "    phrasings:\n" + "".join(f"      - {line}\n" for line in BUDGET_LINES)
    text = BASE.replace(PRICE_PHRASINGS, block) + "neutral:\n  - hello there\n  - the budgett review went fine\n"
    found = [p for p in warnings_for(tmp_path, text) if p.code == "likely-typo"]
    line = text.splitlines().index("  - the budgett review went fine") + 1
    assert [(p.line, p.col, p.message.split(":")[0]) for p in found] == [(line, 5, "small talk")]


@pytest.mark.parametrize("extra", ["they will not budge on the price", "the budgets are all spoken for"])
def test_a_rare_real_word_near_a_common_one_is_not_a_typo(tmp_path: Path, extra: str) -> None:
    """"budge" is "budget" less its last letter, a real word; "budgets" is an inflection the matcher
    joins to "budget" already. Neither is a slip (plain edit distance would flag both)."""
    assert typo_playbook(tmp_path, extra)[1] == []


@pytest.mark.parametrize(("word", "known", "language", "slip"), [
    ("contarct", "contract", "en", True),  # two letters swapped
    ("dirctor", "director", "en", True),  # a letter missing inside
    ("allready", "already", "en", True),  # a letter doubled
    ("budgett", "budget", "en", True),
    ("river", "driver", "en", False),  # the first letter: another word
    ("budge", "budget", "en", False),  # the last letter: another word
    ("though", "through", "en", False),  # an r or l missing: often another word
    ("bitter", "better", "en", False),  # a letter changed: most often another word
    ("center", "centre", "en", False),  # a spelling of its own
    ("validee", "valide", "fr", False),  # "validée": a participle, not a doubled e
    ("annule", "annuel", "fr", False),  # "annulé"
    ("coupel", "couple", "en", True),  # in English, the same swap is a slip
])
def test_what_counts_as_a_slip(word: str, known: str, language: str, slip: bool) -> None:
    from playbook.authoring.spelling import is_slip

    assert is_slip(word, known, language) is slip


def test_cli_lint_text_json_and_strict(tmp_path: Path, cli) -> None:
    (tmp_path / "playbook.yaml").write_text(BASE)
    result = cli("lint", str(tmp_path))
    assert result.code == 0
    assert result.out.splitlines()[0].startswith(f"{tmp_path}/playbook.yaml:27:5: warning[few-phrasings]:") or "warning[few-phrasings]" in result.out
    assert result.out.splitlines()[-1] == "3 warning(s): 1 few-phrasings, 1 few-responses, 1 unreachable-stage"
    assert cli("lint", str(tmp_path), "--strict").code == 1
    data = json.loads(cli("lint", str(tmp_path), "--format", "json").out)
    assert {d["code"] for d in data} == {"few-phrasings", "few-responses", "unreachable-stage"}
    assert all(d["severity"] == "warning" for d in data)


def test_builtin_library_lints_without_structural_warnings() -> None:
    found = lint(load_playbook(None))
    assert codes(found) <= {"test-fails"}


def test_cli_lint_reads_the_matcher_from_the_disk_cache(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """`playbook lint` lints the playbook its files say, so the matcher cached under their digest is
    the one it would build: a second lint of unchanged files builds none, and says the same."""
    from playbook.matching import Matcher
    from playbook.matching.cache import entry_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PLAYBOOK_NO_CACHE", raising=False)
    (tmp_path / "pb").mkdir()
    (tmp_path / "pb" / "playbook.yaml").write_text(BASE.replace(PRICE_PHRASINGS, MANY))
    first = cli("lint", str(tmp_path / "pb"))
    assert entry_path(load_playbook(tmp_path / "pb"), None).exists()
    built: list[str] = []
    original = Matcher.from_playbook.__func__
    monkeypatch.setattr(Matcher, "from_playbook", classmethod(lambda cls, *a, **k: built.append("built") or original(cls, *a, **k)))
    assert cli("lint", str(tmp_path / "pb")).out == first.out
    assert built == []
