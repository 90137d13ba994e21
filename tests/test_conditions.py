"""Conditions compile at load time with located errors, and evaluate without eval."""

from __future__ import annotations

import pytest

from playbook.model.conditions import (
    BOOL,
    NUMBER,
    All,
    AnyOf,
    FactType,
    Leaf,
    Not,
    compile_condition,
    fact_catalogue,
)

FACTS = fact_catalogue(
    stages=["opening", "discovery", "closing"],
    stage_kinds=["opening", "discovery", "closing"],
    questions={"budget": FactType("enum", ("approved", "limited", "none")), "volume": NUMBER},
    objections={"price": ["financial_limit"], "timing": []},
    signals=["asks_price"],
)


def compiled(raw):
    condition, errors = compile_condition(raw, FACTS)
    assert errors == [], errors
    return condition


def test_catalogue_has_the_facts_rules_rely_on() -> None:
    for name in ("stage", "answer.budget", "objection.price.count", "objection.any.unresolved", "signal.asks_price",
                 "score.qualification", "verdict", "elapsed_minutes", "objection.price.situation"):
        assert name in FACTS
    assert FACTS["signal.asks_price"] == BOOL


@pytest.mark.parametrize(
    ("raw", "facts", "expected"),
    [
        ({"fact": "stage", "op": "eq", "value": "closing"}, {"stage": "closing"}, True),
        ({"fact": "stage", "op": "ne", "value": "closing"}, {"stage": "closing"}, False),
        ({"fact": "answer.volume", "op": "ge", "value": 10}, {"answer.volume": 10}, True),
        ({"fact": "answer.volume", "op": "lt", "value": 10}, {}, False),  # unknown is never less than
        ({"fact": "answer.budget", "op": "in", "value": ["limited", "none"]}, {"answer.budget": "none"}, True),
        ({"fact": "answer.budget", "op": "not_in", "value": ["limited"]}, {"answer.budget": "approved"}, True),
        ({"fact": "answer.budget", "op": "exists", "value": False}, {}, True),
        ({"fact": "answer.budget", "op": "exists", "value": True}, {"answer.budget": "none"}, True),
        ({"fact": "answer.budget", "op": "eq", "value": "none"}, {}, False),
        ({"fact": "answer.budget", "op": "ne", "value": "none"}, {}, True),
        ({"not": {"fact": "signal.asks_price", "op": "eq", "value": True}}, {"signal.asks_price": False}, True),
        (
            {"all": [{"fact": "stage", "op": "eq", "value": "closing"}, {"fact": "objection.any.unresolved", "op": "gt", "value": 0}]},
            {"stage": "closing", "objection.any.unresolved": 2},
            True,
        ),
        (
            {"any": [{"fact": "stage", "op": "eq", "value": "opening"}, {"fact": "verdict", "op": "eq", "value": "go"}]},
            {"stage": "closing", "verdict": "no_go"},
            False,
        ),
    ],
)
def test_evaluation(raw, facts, expected) -> None:
    assert compiled(raw).evaluate(facts) is expected


def test_short_circuit_stops_at_first_deciding_item() -> None:
    class Exploding:
        def evaluate(self, facts):
            raise AssertionError("evaluated a branch that short-circuiting should skip")

    false_leaf = Leaf("stage", "eq", "x")
    true_leaf = Leaf("stage", "ne", "x")
    assert All((false_leaf, Exploding())).evaluate({}) is False
    assert AnyOf((true_leaf, Exploding())).evaluate({}) is True
    assert Not(true_leaf).evaluate({}) is False


def test_compiled_condition_round_trips_to_its_yaml_shape() -> None:
    raw = {"all": [{"fact": "stage", "op": "eq", "value": "closing"}, {"not": {"fact": "answer.budget", "op": "in", "value": ["none"]}}]}
    assert compiled(raw).to_json() == raw


@pytest.mark.parametrize(
    ("raw", "path", "code", "message"),
    [
        ({"fact": "answer.budjet", "op": "eq", "value": "none"}, ("fact",), "condition-fact", "unknown fact 'answer.budjet' (did you mean 'answer.budget'?)"),
        ({"fact": "nonsense", "op": "eq", "value": 1}, ("fact",), "condition-fact", "unknown fact 'nonsense'"),
        ({"fact": "stage", "op": "gt", "value": 1}, ("op",), "condition-op", "gt compares numbers; stage is one of opening, discovery, closing"),
        ({"fact": "score.qualification", "op": "ge", "value": "high"}, ("value",), "condition-type", "score.qualification is a number; 'high' is text"),
        ({"fact": "signal.asks_price", "op": "eq", "value": "yes"}, ("value",), "condition-type", "signal.asks_price is true or false; 'yes' is text"),
        ({"fact": "answer.budget", "op": "eq", "value": "limted"}, ("value",), "condition-value",
         "answer.budget is never 'limted' (did you mean 'limited'?) (it is one of approved, limited, none)"),
        ({"fact": "answer.budget", "op": "exists", "value": "yes"}, ("value",), "condition-type", "exists takes true or false, not 'yes'"),
        ({"fact": "answer.budget", "op": "in", "value": "none"}, ("value",), "condition-type", "in takes a non-empty list of values"),
        ({"fact": "answer.budget", "op": "in", "value": ["none", "lots"]}, ("value", 1), "condition-value",
         "answer.budget is never 'lots' (it is one of approved, limited, none)"),
        ({"fact": "answer.volume", "op": "eq", "value": True}, ("value",), "condition-type", "answer.volume is a number; True is true/false"),
        ({"fact": "objection.timing.situation", "op": "eq", "value": "x"}, ("value",), "condition-value",
         "objection.timing.situation is never 'x' (it is one of )"),
    ],
)
def test_every_compile_error_has_a_place_and_a_message(raw, path, code, message) -> None:
    condition, errors = compile_condition({"all": [raw]}, FACTS, ("rules", 0, "when"))
    assert condition is None
    assert [(e.path, e.code, e.message) for e in errors] == [(("rules", 0, "when", "all", 0) + path, code, message)]


def test_errors_in_several_branches_are_all_reported() -> None:
    raw = {"any": [{"fact": "x", "op": "eq", "value": 1}, {"not": {"fact": "y", "op": "eq", "value": 1}}]}
    _, errors = compile_condition(raw, FACTS)
    assert [e.path for e in errors] == [("any", 0, "fact"), ("any", 1, "not", "fact")]
