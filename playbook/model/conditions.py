"""Rule conditions: compiled once at load time into small objects, evaluated without eval.

A condition is `all` / `any` / `not` around leaves `{fact, op, value}`. Facts come from one
catalogue (`fact_catalogue`) built from the playbook, so an unknown fact, an unknown answer
key or a number compared with a word is a load-time error with a place, never a surprise
in the middle of a meeting.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Union

from ..problems import suggest

# --- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactType:
    """What values a fact takes: a number, a boolean, free text, or one of `choices`."""

    kind: str  # "number" | "bool" | "text" | "enum"
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(self.choices)
        return {"number": "a number", "bool": "true or false", "text": "text"}[self.kind]


NUMBER = FactType("number")
BOOL = FactType("bool")
TEXT = FactType("text")

OBJECTION_COUNTERS = ("count", "unresolved", "resolved", "parked")
VERDICTS = ("go", "no_go", "not_yet")


def fact_catalogue(
    *,
    stages: Iterable[str],
    stage_kinds: Iterable[str],
    meeting_types: Iterable[str] = ("meeting",),
    questions: Mapping[str, FactType],
    objections: Mapping[str, Iterable[str]],
    signals: Iterable[str],
) -> dict[str, FactType]:
    """Every fact a rule may test, with its type. `objections` maps each category to its situation ids."""
    facts: dict[str, FactType] = {
        "stage": FactType("enum", tuple(stages)),
        "stage.kind": FactType("enum", tuple(stage_kinds)),
        "meeting.type": FactType("enum", tuple(meeting_types)),
        "score.qualification": NUMBER,
        "score.coverage": NUMBER,
        "verdict": FactType("enum", VERDICTS),
        "elapsed_minutes": NUMBER,
        "answered.count": NUMBER,
        "signals.count": NUMBER,
        "closing.tried": NUMBER,
        "closing.failed": NUMBER,
        "actions.count": NUMBER,
        "objection.last": FactType("enum", tuple(objections)),
    }
    for qid, ftype in questions.items():
        facts[f"answer.{qid}"] = ftype
    for oid in ("any", *objections):
        for counter in OBJECTION_COUNTERS:
            facts[f"objection.{oid}.{counter}"] = NUMBER
    for oid, situations in objections.items():
        facts[f"objection.{oid}.situation"] = FactType("enum", tuple(situations))
    for sid in signals:
        facts[f"signal.{sid}"] = BOOL
    return facts


# --- compiled conditions ----------------------------------------------------------------------

Facts = Mapping[str, Any]


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def check(left: Any, right: Any) -> bool:
        return isinstance(left, (int, float)) and not isinstance(left, bool) and compare(left, right)

    return check


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda left, right: left is not None and left == right,
    "ne": lambda left, right: left != right,
    "lt": _ordered(operator.lt),
    "le": _ordered(operator.le),
    "gt": _ordered(operator.gt),
    "ge": _ordered(operator.ge),
    "in": lambda left, right: left is not None and left in right,
    "not_in": lambda left, right: left not in right,
    "exists": lambda left, right: (left is not None) == right,
}
ORDERED_OPS = ("lt", "le", "gt", "ge")


@dataclass(frozen=True)
class Leaf:
    fact: str
    op: str
    value: Any

    def evaluate(self, facts: Facts) -> bool:
        return OPERATORS[self.op](facts.get(self.fact), self.value)

    def facts(self) -> set[str]:
        return {self.fact}

    def to_json(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"fact": self.fact, "op": self.op, "value": value}


@dataclass(frozen=True)
class All:
    items: tuple["Condition", ...]

    def evaluate(self, facts: Facts) -> bool:
        return all(item.evaluate(facts) for item in self.items)

    def facts(self) -> set[str]:
        return set().union(*(item.facts() for item in self.items))

    def to_json(self) -> dict[str, Any]:
        return {"all": [item.to_json() for item in self.items]}


@dataclass(frozen=True)
class AnyOf:
    items: tuple["Condition", ...]

    def evaluate(self, facts: Facts) -> bool:
        return any(item.evaluate(facts) for item in self.items)

    def facts(self) -> set[str]:
        return set().union(*(item.facts() for item in self.items))

    def to_json(self) -> dict[str, Any]:
        return {"any": [item.to_json() for item in self.items]}


@dataclass(frozen=True)
class Not:
    item: "Condition"

    def evaluate(self, facts: Facts) -> bool:
        return not self.item.evaluate(facts)

    def facts(self) -> set[str]:
        return self.item.facts()

    def to_json(self) -> dict[str, Any]:
        return {"not": self.item.to_json()}


Condition = Union[Leaf, All, AnyOf, Not]

# --- compilation ------------------------------------------------------------------------------

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class ConditionError:
    """A mistake in a condition, at `path` below the condition's own key."""

    path: KeyPath
    code: str
    message: str


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list"


def _check_value(ftype: FactType, fact: str, value: Any, at: KeyPath) -> list[ConditionError]:
    if ftype.kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif ftype.kind == "bool":
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        return [ConditionError(at, "condition-type", f"{fact} is {ftype.describe()}; {value!r} is {_type_name(value)}")]
    if ftype.kind == "enum" and value not in ftype.choices:
        return [
            ConditionError(
                at,
                "condition-value",
                f"{fact} is never {value!r}{suggest(value, ftype.choices)} (it is {ftype.describe()})",
            )
        ]
    return []


def compile_condition(raw: Any, facts: Mapping[str, FactType], at: KeyPath = ()) -> tuple[Condition | None, list[ConditionError]]:
    """Turn a schema-valid condition mapping into a Condition, checking facts and value types."""
    if "all" in raw or "any" in raw:
        key = "all" if "all" in raw else "any"
        items, errors = [], []
        for i, item in enumerate(raw[key]):
            compiled, errs = compile_condition(item, facts, at + (key, i))
            errors += errs
            if compiled is not None:
                items.append(compiled)
        if errors:
            return None, errors
        return (All(tuple(items)) if key == "all" else AnyOf(tuple(items))), []
    if "not" in raw:
        inner, errors = compile_condition(raw["not"], facts, at + ("not",))
        return (Not(inner) if inner is not None else None), errors

    fact, op, value = raw["fact"], raw["op"], raw["value"]
    ftype = facts.get(fact)
    if ftype is None:
        return None, [ConditionError(at + ("fact",), "condition-fact", f"unknown fact '{fact}'{suggest(fact, facts)}")]
    vat = at + ("value",)
    if op == "exists":
        if not isinstance(value, bool):
            return None, [ConditionError(vat, "condition-type", f"exists takes true or false, not {value!r}")]
        return Leaf(fact, op, value), []
    if op in ORDERED_OPS:
        if ftype.kind != "number":
            return None, [ConditionError(at + ("op",), "condition-op", f"{op} compares numbers; {fact} is {ftype.describe()}")]
        errors = _check_value(ftype, fact, value, vat)
        return (None, errors) if errors else (Leaf(fact, op, value), [])
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return None, [ConditionError(vat, "condition-type", f"{op} takes a non-empty list of values")]
        errors = [e for i, item in enumerate(value) for e in _check_value(ftype, fact, item, vat + (i,))]
        return (None, errors) if errors else (Leaf(fact, op, tuple(value)), [])
    errors = _check_value(ftype, fact, value, vat)
    return (None, errors) if errors else (Leaf(fact, op, value), [])
