"""The objection gate: is this line an objection at all, before which one?

Ranking the categories is the easy half (on the development split the right category is first
for about 80% of objections); the hard half is telling an objection from ordinary meeting talk
that reuses its words. The gate is a small logistic model over what the channels measured (the
best objection's and the best small talk's confidence, the semantic cosines when that channel
runs) and the speaker's stance (stance.py). Its weights and cuts were fitted by
`python -m bench.fit_gate` on the development split only (bench/dev/), pooled over English and
French; the held-out split never saw them.

Two operating points, because a false alarm costs differently:
- typed (`cut`): the rep typed the line, nearly always because the customer pushed back, and an
  objection left unrecognised costs them the most; the cut maximises lines recognised right
  minus false alarms on the development split. The fused gate's typed cut is set per playbook
  language (`language_cuts`) where the fused recogniser raises as many false alarms on that
  language's development lines as the lexical one: the two are compared at equal false alarms;
- heard (`strict_cut`): every line of a live transcript is a candidate, most of it small talk; the
  cut lets through 5% of the development split's ordinary lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .stance import cues

LEXICAL_FEATURES = ("top_objection", "second_objection", "top_quiet", "quiet_first",
                    "objection_phrase", "quiet_phrase", "negates", "doubts", "welcomes", "asks", "length",
                    "negation_missing")
SEMANTIC_FEATURES = ("objection_cosine", "quiet_cosine", "cosine_lead", "objection_neighbours")


@dataclass(frozen=True)
class Gate:
    """A logistic model: weights by feature name, a bias, and the probability a line needs, typed
    (`cut`) or heard in a transcript (`strict_cut`)."""

    weights: Mapping[str, float]
    bias: float
    cut: float
    strict_cut: float
    language_cuts: Mapping[str, float] = field(default_factory=dict)  # a typed cut of its own for a playbook language

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(weight * features.get(name, 0.0) for name, weight in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def cut_for(self, strict: bool = False, language: str | None = None) -> float:
        return self.strict_cut if strict else self.language_cuts.get(language or "", self.cut)

    def passes(self, features: Mapping[str, float], strict: bool = False, language: str | None = None) -> bool:
        return self.probability(features) >= self.cut_for(strict, language)


def lexical_features(text: str, surface: Sequence[str], objections: Sequence[float], quiet: Sequence[float],
                     quiet_first: bool, objection_phrase: float, quiet_phrase: float,
                     phrase_negates: bool = False) -> dict[str, float]:
    """objections / quiet: the lexical confidences (0-100) of the objection and quiet candidates, best
    first; *_phrase: how nearly (0-1) the line spells out the best of each's nearest phrasing;
    phrase_negates: that nearest objection phrasing negates ("i'm not the one who signs"), so a line
    spelling it out without the negation ("i'm the one who signs") says the opposite."""
    negates, doubts, welcomes, asks, length = cues(text, surface)
    return {
        "top_objection": objections[0] / 100.0 if objections else 0.0,
        "second_objection": objections[1] / 100.0 if len(objections) > 1 else 0.0,
        "top_quiet": quiet[0] / 100.0 if quiet else 0.0,
        "quiet_first": float(quiet_first),
        "objection_phrase": objection_phrase, "quiet_phrase": quiet_phrase,
        "negates": negates, "doubts": doubts, "welcomes": welcomes, "asks": asks, "length": length,
        "negation_missing": float(phrase_negates and not negates),
    }


def semantic_features(objection_cosine: float, quiet_cosine: float, objection_neighbours: float) -> dict[str, float]:
    """The nearest objection phrasing's and the nearest quiet phrasing's cosines, and the share of
    objections among the nearest phrasings of all."""
    return {"objection_cosine": objection_cosine, "quiet_cosine": quiet_cosine,
            "cosine_lead": objection_cosine - quiet_cosine, "objection_neighbours": objection_neighbours}


# Fitted on the development split (see the module's docstring): `python -m bench.fit_gate --write`.
# -- fitted by bench/fit_gate.py: begin
LEXICAL_GATE = Gate(
    weights={
        "top_objection": 9.5703,
        "second_objection": 8.5818,
        "top_quiet": -8.4308,
        "quiet_first": -0.9413,
        "objection_phrase": -2.0088,
        "quiet_phrase": 1.219,
        "negates": 1.3332,
        "doubts": 0.9575,
        "welcomes": -0.4518,
        "asks": -1.2979,
        "length": 4.8448,
        "negation_missing": -0.3702,
    },
    bias=-2.9445, cut=0.7705, strict_cut=0.7705,
)
FUSED_GATE = Gate(
    weights={
        "top_objection": 7.9221,
        "second_objection": 5.6602,
        "top_quiet": -5.1641,
        "quiet_first": -0.8001,
        "objection_phrase": -3.3155,
        "quiet_phrase": 0.2877,
        "negates": 1.089,
        "doubts": 0.9184,
        "welcomes": -0.5067,
        "asks": -0.822,
        "length": 4.8702,
        "negation_missing": -0.303,
        "objection_cosine": 2.2961,
        "quiet_cosine": -0.8164,
        "cosine_lead": 2.4692,
        "objection_neighbours": 2.8971,
    },
    bias=-4.2166, cut=0.5067, strict_cut=0.7648,
    language_cuts={"en": 0.7452, "fr": 0.7648},
)
# -- fitted by bench/fit_gate.py: end

# Gates kept for a playbook language, with the library they were fitted with, when a held-out
# round ships a refit for one language only (round 14 kept French's gates of round 12 this way).
# Since round 15 (bench/dev/heldout-round15/README.md) both languages use the latest refit, round
# 16's since it shipped (bench/dev/heldout-round16/README.md).
KEPT_GATES: Mapping[str, tuple[Gate, Gate]] = {}


def gates_for(language: str | None) -> tuple[Gate, Gate]:
    """(the lexical gate, the fused gate) for a playbook in `language`."""
    return KEPT_GATES.get(language or "", (LEXICAL_GATE, FUSED_GATE))
