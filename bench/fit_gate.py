"""Fit the objection gate (playbook/matching/gate.py) on the development split, and print it.

`python -m bench.fit_gate` computes, for every development line (bench/dev/, English and French
pooled), read by the library without that line's development set (the sets' lines are in the
library too, bench/heard.py: cross-fitting), what the gate weighs: the lexical ranking's
confidences, the semantic cosines when the extra is installed, and the stance cues. It fits a
logistic model (objection or not) by gradient descent with a light L2 penalty on standardised
features, folds the standardisation back into the weights, and sets two cuts (gate.py says
why): `cut`, the probability that maximises objections recognised with the right first category
minus false alarms (both as shares of their lines; for the fused gate, per playbook language, the one raising no more false alarms than the lexical
recogniser on any of that language's recent development sets: RECENT_SETS says why), and
`strict_cut`, the one that lets through STRICT_FALSE_ALARMS of the development negatives. It
prints the fitted `LEXICAL_GATE` (and `FUSED_GATE` with the semantic extra); `--write` puts them
in gate.py itself, between its "fitted" markers. `--measure FILE` writes instead the typed false
alarms the recogniser as now shipped raises on each recent set, and `--hold FILE` sets a refit's
typed cuts to raise no more than those (a change to the matcher judged at the shipped false
alarms, as round 13 asked). The held-out split (bench/heldout/) is never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Sequence

import numpy

from bench.heard import key
from bench.matcher import HERE, OOS_LABELS, PLAYBOOKS, SPLITS, read_csv, split_rows
from playbook.format import load_playbook
from playbook.matching import Matcher
from playbook.matching import gate as gate_module
from playbook.matching.fused import Recogniser
from playbook.matching.gate import LEXICAL_FEATURES, SEMANTIC_FEATURES, Gate
from playbook.matching.matcher import is_quiet
from playbook.matching.semantic import available, build_channel
from playbook.model import Playbook

STRICT_FALSE_ALARMS = 0.05
TIE = 0.005  # cuts whose recognised-minus-false-alarms is this close to the best count as equal
L2 = 1e-3
STEPS = 4000


class RememberingEncoder:
    """The default encoder, remembering every text it encoded: the cross-fitted channels (one per
    development set) share all but a few hundred texts."""

    def __init__(self) -> None:
        from playbook.matching.semantic import default_encoder

        self.encoder = default_encoder()
        self.name, self.version = self.encoder.name, self.encoder.version
        self.known: dict[str, numpy.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> numpy.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.known]
        if new:
            self.known.update(zip(new, self.encoder.encode(new)))
        return numpy.stack([self.known[t] for t in texts]) if texts else numpy.zeros((0, 1), dtype=numpy.float32)


def development_sets(language: str) -> dict[str, tuple[list[tuple[str, set[str]]], list[str]]]:
    """The language's development split, one entry per set (a folder of bench/dev/, or a file of
    bench/): (objections with their acceptable labels, negatives)."""
    objection_files, negative_files = SPLITS["dev"][language]
    sets: dict[str, tuple[list[tuple[str, set[str]]], list[str]]] = {}
    for file in objection_files:
        objections, _ = sets.setdefault(str(Path(file).parent), ([], []))
        objections += [(t, set(label.split("|"))) for t, label in read_csv(HERE / file) if label not in OOS_LABELS]
    for file in negative_files:
        _, negatives = sets.setdefault(str(Path(file).parent), ([], []))
        negatives += [t for t, label in read_csv(HERE / file) if label in OOS_LABELS]
    return sets


def without_lines(playbook: Playbook, texts: Sequence[str]) -> Playbook:
    """The playbook without the phrasings and small-talk lines the matcher would read as one of
    `texts`: a development set's lines are in the library (bench/heard.py), and its features must
    come from the library without them (cross-fitting), as a new line's would."""
    drop = {key(t) for t in texts}
    objections = tuple(replace(o, phrasings=tuple(p for p in o.phrasings if key(p) not in drop)) for o in playbook.objections)
    return replace(playbook, objections=objections, neutral=tuple(n for n in playbook.neutral if key(n) not in drop), digest="")


def cross_fitted(language: str, semantic: bool, encoder: "RememberingEncoder | None" = None,
                 only: Sequence[str] | None = None):
    """Per development set (of `only`, when given): (its lines, a matcher and a fused recogniser or
    None, both built on the library without that set's lines)."""
    playbook = load_playbook(PLAYBOOKS[language])
    for name, (objections, negatives) in development_sets(language).items():
        if only is not None and name not in only:
            continue
        held = without_lines(playbook, [t for t, _ in objections] + negatives)
        matcher = Matcher.from_playbook(held)
        recogniser = Recogniser(matcher, build_channel(held, encoder, use_cache=False), language) if semantic else None
        yield name, objections, negatives, matcher, recogniser


def dev_features(semantic: bool) -> tuple[list[dict[str, float]], list[int], list[bool]]:
    """Per development line: the gate's features (cross-fitted: `without_lines`), 1 for an
    objection (0 for ordinary talk), and whether the ranking puts an acceptable category first."""
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    right: list[bool] = []
    encoder = RememberingEncoder() if semantic else None
    for language in PLAYBOOKS:
        if split_rows("dev", language) is None:
            sys.exit(f"the development split for {language} is missing")
        for _, objections, negatives, matcher, recogniser in cross_fitted(language, semantic, encoder):
            for text, accepted in [(t, a) for t, a in objections] + [(t, set()) for t in negatives]:
                ranked = matcher.ranked(text)
                if recogniser is not None:
                    evidence = recogniser.evidence(text, ranked)
                    features, scores = evidence.features, evidence.blended
                else:
                    features = matcher.gate_features(text, ranked)
                    scores = {m.objection: m.score / 100.0 for m in ranked if not is_quiet(m)}
                rows.append(features)
                labels.append(1 if accepted else 0)
                right.append(bool(scores) and max(scores, key=lambda label: (scores[label], label)) in accepted)
    return rows, labels, right


def fit(rows: Sequence[dict[str, float]], labels: Sequence[int], right: Sequence[bool], names: Sequence[str]) -> Gate:
    x = numpy.array([[row.get(n, 0.0) for n in names] for row in rows])
    y = numpy.array(labels, dtype=float)
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / spread
    w = numpy.zeros(len(names))
    b = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + numpy.exp(-(z @ w + b)))
        w -= 0.5 * (z.T @ (p - y) / len(y) + L2 * w)
        b -= 0.5 * float((p - y).mean())
    weights = w / spread
    bias = b - float((w * mean / spread).sum())
    scores = 1.0 / (1.0 + numpy.exp(-(x @ weights + bias)))
    negatives = numpy.sort(scores[y == 0])
    strict = float(negatives[min(len(negatives) - 1, int(len(negatives) * (1 - STRICT_FALSE_ALARMS)))]) + 1e-4
    good = scores[(y == 1) & numpy.array(right)]
    candidates = numpy.unique(numpy.round(scores, 4))
    gain = [(good >= c).sum() / max(1, (y == 1).sum()) - (negatives >= c).sum() / max(1, len(negatives)) for c in candidates]
    # The objective is flat near its top: among cuts within TIE of the best, the most lenient, since
    # a typed objection left unrecognised costs the rep most (and a refit should not swing the cut).
    best = max(gain)
    lenient = min(float(c) for c, g in zip(candidates, gain) if g >= best - TIE)
    cut = min(lenient, strict)  # typed is never stricter than heard
    return Gate({n: round(float(v), 4) for n, v in zip(names, weights)}, round(bias, 4), round(cut, 4), round(strict, 4))


def render(name: str, gate: Gate) -> str:
    weights = "".join(f'        "{feature}": {weight},\n' for feature, weight in gate.weights.items())
    cuts = ", ".join(f'"{language}": {cut}' for language, cut in gate.language_cuts.items())
    languages = f"    language_cuts={{{cuts}}},\n" if cuts else ""
    return (f"{name} = Gate(\n    weights={{\n{weights}    }},\n    bias={gate.bias}, cut={gate.cut}, strict_cut={gate.strict_cut},\n"
            f"{languages})\n")


BEGIN, END = "# -- fitted by bench/fit_gate.py: begin\n", "# -- fitted by bench/fit_gate.py: end\n"


# The development sets written most recently by a writer who saw only the seeds (former held-out
# sets): the fused gate's typed cut is matched on their negatives, the lines most like the next
# writer's. Leaving one writer's set out of dev at a time, a cut matched on the whole rest let the
# fused recogniser raise more false alarms than the lexical one on the left-out set (rounds 3 and 4:
# 12.9 against 10.2% and 20.2 against 15.5%, English); matched on the newest other set, fewer
# (9.8 against 10.2%, 13.7 against 15.5%), still 5.9 and 2.6 points of top-1 ahead.
# Round 7's lines (from realistic meetings, many short replies among the negatives) joined the fit
# after round 8 had measured it (a refit with them had made four built-in English tests fall under
# the cut; phrasings for those lines came with the refit).
# One cut matched on the recent sets pooled still let the English fused recogniser raise more
# false alarms than the lexical one on the next writer's lines (round 9: 18.4 against 14.1%); the
# cut matched on each recent set alone, the strictest of them taken, would have raised 15.2%
# (English) and 10.9% (French, against 14.3%). So each recent set is matched alone, and the
# strictest cut wins: no more false alarms than the lexical recogniser on any recent writer's lines.
# The three newest sets, rounds 16-18 since round 18 joined dev; each is read, like every dev set,
# by the library without its own lines (`cross_fitted`).
RECENT_SETS = ("dev/heldout-round16", "dev/heldout-round17", "dev/heldout-round18")


def typed_alarms(readings: Sequence[tuple[float, tuple[str, ...]]], cut: float) -> int:
    """How many of these negatives' readings (`bench.matcher.gate_readings`) pass `cut` offering something."""
    return sum(1 for probability, offered in readings if offered and probability >= cut)


def cut_for_alarms(readings: Sequence[tuple[float, tuple[str, ...]]], alarms: int) -> float:
    """The lowest cut (to 1e-4) at which at most `alarms` of these negatives' readings pass."""
    ranked = sorted((p for p, offered in readings if offered), reverse=True)
    return ranked[alarms] + 1e-4 if len(ranked) > alarms else 0.0


def matched_cuts(lexical: Gate, fused: Gate) -> dict[str, float]:
    """Per playbook language, the fused gate's typed cut at which the fused recogniser raises no
    more false alarms than the lexical recogniser does at `lexical.cut` on any of that language's
    recent development sets (RECENT_SETS): the cut matched on each set alone, the strictest of
    them. Counted end to end (a line under the lexical threshold never reaches the lexical gate,
    and may reach the fused one)."""
    from bench.matcher import gate_readings

    cuts = {}
    encoder = RememberingEncoder()
    for language in PLAYBOOKS:
        matched = []
        for name, _, negatives, matcher, both in cross_fitted(language, True, encoder, RECENT_SETS):
            matcher.gate, both.fused_gate = lexical, fused  # the gates being fitted, not a kept one (gate.py)
            alarms = typed_alarms(gate_readings(Recogniser(matcher), negatives), lexical.cut)
            matched.append(cut_for_alarms(gate_readings(both, negatives), alarms))
        cuts[language] = round(min(max(matched), fused.strict_cut), 4)
    return cuts


def shipped_alarms() -> dict[str, dict[str, list[int]]]:
    """Per playbook language and recent development set (RECENT_SETS): [lexical, fused] typed false
    alarms of the recogniser as the code now ships it (its matcher, its gates: `gates_for`), each
    set read cross-fitted. What `--hold` keeps a refit (or a changed matcher) to."""
    from bench.matcher import gate_readings

    encoder = RememberingEncoder()
    alarms: dict[str, dict[str, list[int]]] = {}
    for language in PLAYBOOKS:
        for name, _, negatives, matcher, both in cross_fitted(language, True, encoder, RECENT_SETS):
            lexical = typed_alarms(gate_readings(Recogniser(matcher), negatives), matcher.gate.cut)
            fused = typed_alarms(gate_readings(both, negatives), both.fused_gate.cut_for(False, language))
            alarms.setdefault(language, {})[name] = [lexical, fused]
    return alarms


def held_cuts(lexical: Gate, fused: Gate, alarms: dict[str, dict[str, list[int]]]) -> tuple[Gate, Gate]:
    """The gates with their typed cuts moved to raise no more false alarms than `alarms` (from
    `shipped_alarms`, measured before the change) on any recent development set: the cut matched
    on each set alone, the strictest taken; the lexical cut is one for both languages (the lexical
    matcher does not know its playbook's language), the fused one per language. Never stricter than
    the heard cut."""
    from bench.matcher import gate_readings

    encoder = RememberingEncoder()
    lexical_cuts, fused_cuts = [], {}
    for language in PLAYBOOKS:
        matched = []
        for name, _, negatives, matcher, both in cross_fitted(language, True, encoder, RECENT_SETS):
            matcher.gate, both.fused_gate = lexical, fused  # read by the gates being fitted
            lexical_alarms, fused_alarms = alarms[language][name]
            lexical_cuts.append(cut_for_alarms(gate_readings(Recogniser(matcher), negatives), lexical_alarms))
            matched.append(cut_for_alarms(gate_readings(both, negatives), fused_alarms))
        fused_cuts[language] = round(min(max(matched), fused.strict_cut), 4)
    lexical = replace(lexical, cut=round(min(max(lexical_cuts), lexical.strict_cut), 4))
    return lexical, replace(fused, language_cuts=fused_cuts)


def main(write: bool, hold: Path | None = None) -> None:
    lexical = fit(*dev_features(semantic=False), LEXICAL_FEATURES)
    fused = None
    if available():
        # The fused gate's typed cut raises as many false alarms as the lexical default (on the
        # recent development sets): the two recognisers are compared at equal false alarms, and in
        # round 3 the fused gate's own best point let through twice as many fresh negatives as on dev.
        fused = fit(*dev_features(semantic=True), LEXICAL_FEATURES + SEMANTIC_FEATURES)
        if hold is None:
            fused = replace(fused, language_cuts=matched_cuts(lexical, fused))
        else:
            lexical, fused = held_cuts(lexical, fused, json.loads(hold.read_text(encoding="utf-8")))
    elif hold is not None:
        sys.exit("--hold needs the semantic extra (pip install '.[semantic]')")
    fitted = render("LEXICAL_GATE", lexical)
    if fused is not None:
        fitted += render("FUSED_GATE", fused)
    print(fitted, end="")
    if write:
        path = Path(gate_module.__file__)
        text = path.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        path.write_text(head + BEGIN + fitted + END + rest.split(END, 1)[1], encoding="utf-8")
        print(f"written to {path}")


def arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fit_gate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="put the fitted gates in gate.py")
    parser.add_argument("--measure", type=Path, metavar="JSON",
                        help="only write the shipped recogniser's false alarms on the recent sets to JSON")
    parser.add_argument("--hold", type=Path, metavar="JSON",
                        help="set the typed cuts to raise no more false alarms than JSON (from --measure)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    options = arguments(sys.argv[1:])
    if options.measure is not None:
        measured = shipped_alarms()
        options.measure.write_text(json.dumps(measured, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(json.dumps(measured, sort_keys=True))
    else:
        main(options.write, options.hold)
