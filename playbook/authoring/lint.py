"""Lint: what validates but hurts. Each warning has a place and a stable code.

Codes:
- ambiguous-phrasing: the matcher assigns a phrasing to another category, or nearly does;
- duplicate-phrasing / near-duplicate-phrasing: the same words twice (across or within categories);
- likely-typo: a word few phrasings (or signal or small-talk lines) use, one typing slip from a word
  many more use: the matcher takes it for a word of its own and stops repairing that typo (spelling.py);
- misplaced-phrasing: a phrasing closer to another category's phrasings (or to small talk) than
  to any of its own;
- unknown-boundary / boundary-example: a boundary that names no other category, or whose example
  the matcher puts somewhere else than the neighbour it names;
- few-phrasings / few-responses: a category too thin to be recognised or answered well;
- unused-technique / unused-signal / unused-question: defined, never referred to (a question
  counts as unused when it weighs 0 and no rule or scenario uses it);
- rule-always-fires / rule-never-fires: a condition that fires at every stage of an empty meeting,
  or that contradicts itself;
- unreachable-stage: a stage no question, rule or scenario refers to;
- unknown-placeholder: a `{name}` in a response, closing example, follow-up or rule text that no
  question of the playbook and no meeting fact can fill (it would only ever show as a blank);
- test-fails: a `tests:` case the matcher gets wrong.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

from rapidfuzz import fuzz

from ..model.conditions import All, AnyOf, Condition, Leaf, Not
from ..meeting.guidance import facts
from ..matching.matcher import Matcher, is_quiet
from ..model import Origin, Playbook
from ..problems import Problem, Severity, suggest
from ..meeting.state import MeetingState
from ..meeting.wording import MEETING_PLACEHOLDERS, fillable, placeholders
from ..matching.evaluation import run_tests
from ..matching.textnorm import normalise, words
from .spelling import likely_typos

MIN_PHRASINGS, MIN_RESPONSES = 8, 2
AMBIGUITY_MARGIN = 10.0
NEAR_DUPLICATE = 95
BUCKET_WORDS = 3  # each phrasing is bucketed under its rarest words
NEIGHBOURS = 5
MISPLACED_AT_LEAST, MISPLACED_MARGIN = 0.6, 0.25  # cosine of the nearest foreign phrasing, and its lead


@dataclass(frozen=True)
class _Where:
    origin: Origin | None

    def problem(self, code: str, message: str) -> Problem:
        origin = self.origin or Origin("?", 1, 1)
        return Problem(origin.path, origin.line, origin.col, code, message, Severity.WARNING)


def lint(playbook: Playbook, matcher: Matcher | None = None) -> list[Problem]:
    matcher = matcher or Matcher.from_playbook(playbook)
    out: list[Problem] = []
    out += _phrasings(playbook, matcher)
    out += _spelling(playbook)
    out += _boundaries(playbook, matcher)
    out += _thin(playbook)
    out += _unused(playbook)
    out += _rules(playbook)
    out += _stages(playbook)
    out += _placeholders(playbook)
    out += _tests(playbook, matcher)
    return sorted(out)


def _phrasings(playbook: Playbook, matcher: Matcher) -> list[Problem]:
    """Duplicates, ambiguity and misplaced phrasings: one matcher ranking per phrasing (all ranked
    at once, `Matcher.rank_many`) and one bucket pass, so the cost grows with the number of
    phrasings, not with its square."""
    out = []
    seen: dict[str, str] = {}
    quiet_labels = {f"signal:{s.id}" for s in playbook.signals} | {"neutral"}
    rankings = iter(matcher.rank_many([p for o in playbook.objections for p in o.phrasings]))
    for objection in playbook.objections:
        where = _Where(objection.origin)
        for phrasing in objection.phrasings:
            text = normalise(phrasing)
            if text in seen:
                out.append(where.problem("duplicate-phrasing", f"{objection.id}: \"{phrasing}\" is also a phrasing of {seen[text]}"))
            seen.setdefault(text, objection.id)
            ranked = [m for m in next(rankings) if not is_quiet(m)][:2]  # matcher.scores(phrasing, top=2)
            if ranked:
                own = next((m.score for m in ranked if m.objection == objection.id), 0.0)
                best = ranked[0]
                if best.objection != objection.id:
                    out.append(where.problem("ambiguous-phrasing",
                                             f"{objection.id}: \"{phrasing}\" is matched to {best.objection} ({best.score:.0f} against {own:.0f})"))
                elif len(ranked) > 1 and own - ranked[1].score < AMBIGUITY_MARGIN:
                    out.append(where.problem("ambiguous-phrasing",
                                             f"{objection.id}: \"{phrasing}\" is nearly matched to {ranked[1].objection} (margin {own - ranked[1].score:.0f})"))
            misplaced = _closer_elsewhere(objection.id, phrasing, matcher, quiet_labels)
            if misplaced:
                out.append(where.problem("misplaced-phrasing", misplaced))
        out += [where.problem("near-duplicate-phrasing", f"{objection.id}: \"{a}\" and \"{b}\" say the same thing")
                for a, b in near_duplicates(objection.phrasings)]
    return out


def _spelling(playbook: Playbook) -> list[Problem]:
    """Likely typos, at each line that uses one (the phrasing itself when its place is known)."""
    lines: list[tuple[str, str, Origin | None]] = []
    for objection in playbook.objections:
        lines += _placed(objection.id, objection.phrasings, objection.phrasing_origins, objection.origin)
    for signal in playbook.signals:
        lines += _placed(f"signal {signal.id}", signal.phrasings, signal.phrasing_origins, signal.origin)
    lines += _placed("small talk", playbook.neutral, playbook.neutral_origins, None)
    surfaces = [words(text) for _, text, _ in lines]
    typos = likely_typos(surfaces, playbook.language)
    out = []
    for (owner, text, origin), surface in zip(lines, surfaces):
        for word in dict.fromkeys(surface):
            typo = typos.get(word)
            if typo is not None:
                lines_using = f"{typo.uses} line{'s' if typo.uses > 1 else ''} against {typo.meant_uses}"
                out.append(_Where(origin).problem(
                    "likely-typo",
                    f"{owner}: \"{text}\": '{word}' looks like a typo of '{typo.meant}' ({lines_using}); "
                    f"a known word is never repaired, so a rep's '{word}' is not read as '{typo.meant}'"))
    return out


def _placed(owner: str, texts: Sequence[str], origins: Sequence[Origin], fallback: Origin | None) -> list[tuple[str, str, Origin | None]]:
    """Each text with where it is written: its own place when known, else its owner's."""
    return [(owner, text, origins[i] if i < len(origins) else fallback) for i, text in enumerate(texts)]


def _closer_elsewhere(category: str, phrasing: str, matcher: Matcher, quiet_labels: set[str]) -> str | None:
    """A message when the phrasing's nearest phrasings belong to another category (or to small talk)
    by a clear margin: it teaches the matcher the wrong thing, or sits in the wrong category."""
    neighbours = matcher.neighbours(phrasing, k=NEIGHBOURS)
    own = max((score for label, score, _ in neighbours if label == category), default=0.0)
    others = [(score, label, text) for label, score, text in neighbours if label != category]
    if not others:
        return None
    score, label, text = max(others)
    if score < MISPLACED_AT_LEAST or score - own < MISPLACED_MARGIN:
        return None
    where = "small talk" if label == "neutral" else f"signal {label.split(':', 1)[1]}" if label in quiet_labels else label
    return (f"{category}: \"{phrasing}\" is closer to {where} (\"{text}\", {score:.2f}) "
            f"than to any other phrasing of {category} ({own:.2f})")


def near_duplicates(phrasings: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of phrasings that say the same thing in nearly the same words (token_sort_ratio >= NEAR_DUPLICATE).

    Bucketed before comparing: two such phrasings share a word that few phrasings use (or all their
    words, when every word is common), and have similar lengths; only those pairs are compared.
    """
    texts = [" ".join(sorted(normalise(p).split())) for p in phrasings]
    frequency: Counter[str] = Counter(w for t in texts for w in set(t.split()))
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(texts):
        tokens = sorted(set(text.split()), key=lambda w: (frequency[w], w))
        # The rarest words: a near-duplicate differs in a letter or two, so it shares at least one.
        for word in tokens[:BUCKET_WORDS] or [text]:
            buckets[word].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if texts[a] != texts[b] and abs(len(texts[a]) - len(texts[b])) <= 0.1 * max(len(texts[a]), len(texts[b])) + 1:
                    pairs.add((a, b))
    return [(phrasings[a], phrasings[b]) for a, b in sorted(pairs)
            if fuzz.ratio(texts[a], texts[b], score_cutoff=NEAR_DUPLICATE)]


def _boundaries(playbook: Playbook, matcher: Matcher) -> list[Problem]:
    """A boundary names an existing neighbour, and the matcher puts its examples there."""
    out = []
    known = {o.id for o in playbook.objections}
    for objection in playbook.objections:
        where = _Where(objection.origin)
        for boundary in objection.boundaries:
            if boundary.objection not in known or boundary.objection == objection.id:
                out.append(where.problem("unknown-boundary", f"{objection.id}: a boundary names '{boundary.objection}', "
                                         f"which is {'this category' if boundary.objection == objection.id else 'no objection category'}"))
                continue
            for example in boundary.examples:
                found = matcher.scores(example, top=1)
                got = found[0].objection if found else "none"
                if got != boundary.objection:
                    out.append(where.problem("boundary-example",
                                             f"{objection.id}: \"{example}\" belongs to {boundary.objection} by its boundary, but is matched to {got}"))
    return out


def _thin(playbook: Playbook) -> list[Problem]:
    out = []
    for objection in playbook.objections:
        where = _Where(objection.origin)
        if len(objection.phrasings) < MIN_PHRASINGS:
            out.append(where.problem("few-phrasings", f"{objection.id}: {len(objection.phrasings)} phrasings; {MIN_PHRASINGS} or more make it recognisable"))
        if len(objection.responses) < MIN_RESPONSES:
            out.append(where.problem("few-responses", f"{objection.id}: {len(objection.responses)} response; give the rep a choice of {MIN_RESPONSES} or more"))
    return out


def _unused(playbook: Playbook) -> list[Problem]:
    out = []
    used_techniques = {r.technique for o in playbook.objections for r in o.responses}
    used_techniques |= {t for s in playbook.scenarios for o in s.objections for t in o.accepts}
    for technique in playbook.techniques:
        if technique.id not in used_techniques:
            out.append(_Where(technique.origin).problem("unused-technique", f"technique '{technique.id}' is used by no response"))
    asked_by_rules = {fact.split(".", 1)[1] for rule in playbook.rules for fact in rule.when.facts() if fact.startswith("answer.")}
    asked_by_rules |= {r.then.question for r in playbook.rules if r.then.question}
    in_scenarios = {f.question for s in playbook.scenarios for f in s.facts}
    for question in playbook.questions:
        if question.weight == 0 and question.id not in asked_by_rules | in_scenarios:
            out.append(_Where(question.origin).problem(
                "unused-question", f"question '{question.id}' weighs 0 and no rule or scenario uses it: it changes nothing"))
    used_signals = {s for c in playbook.closings for s in c.signals} | {s for sc in playbook.scenarios for s in sc.signals}
    used_signals |= {fact.split(".", 1)[1] for rule in playbook.rules for fact in rule.when.facts() if fact.startswith("signal.")}
    for signal in playbook.signals:
        if signal.id not in used_signals:
            out.append(_Where(signal.origin).problem("unused-signal", f"signal '{signal.id}' is used by no closing method, rule or scenario"))
    return out


def _contradicts(condition: Condition) -> bool:
    """An `all` whose leaves on one fact cannot all hold (eq two values, or an empty numeric range)."""
    if isinstance(condition, All):
        leaves = [c for c in condition.items if isinstance(c, Leaf)]
        for a, b in combinations(leaves, 2):
            if a.fact != b.fact:
                continue
            if a.op == b.op == "eq" and a.value != b.value:
                return True
            if {a.op, b.op} == {"exists"} and a.value != b.value:
                return True
            low = [x.value for x in (a, b) if x.op in ("gt", "ge")]
            high = [x.value for x in (a, b) if x.op in ("lt", "le")]
            if low and high and low[0] >= high[0]:
                return True
        return any(_contradicts(c) for c in condition.items)
    if isinstance(condition, AnyOf):
        return all(_contradicts(c) for c in condition.items)
    if isinstance(condition, Not):
        return False
    return False


def _rules(playbook: Playbook) -> list[Problem]:
    out = []
    empty = [MeetingState(stage=s.id, started_at=0.0) for s in playbook.stages]
    for rule in playbook.rules:
        where = _Where(rule.origin)
        if _contradicts(rule.when):
            out.append(where.problem("rule-never-fires", f"rule '{rule.id}': its condition contradicts itself"))
        elif empty and all(rule.when.evaluate(facts(playbook, state, 0.0)) for state in empty):
            out.append(where.problem("rule-always-fires", f"rule '{rule.id}' fires at every stage of an empty meeting"))
    return out


def _stages(playbook: Playbook) -> list[Problem]:
    out = []
    referenced = {q.stage for q in playbook.questions} | {o.when for s in playbook.scenarios for o in s.objections}
    for rule in playbook.rules:
        referenced |= {str(v) for leaf in _leaves(rule.when) if leaf.fact == "stage" for v in _values(leaf)}
    for stage in playbook.stages:
        if stage.id not in referenced and not (stage.kind and _kind_used(playbook, stage.kind)):
            out.append(_Where(stage.origin).problem("unreachable-stage", f"stage '{stage.id}' has no questions and no rule or scenario refers to it"))
    return out


def _kind_used(playbook: Playbook, kind: str) -> bool:
    return any(leaf.fact == "stage.kind" and kind in _values(leaf) for rule in playbook.rules for leaf in _leaves(rule.when))


def _leaves(condition: Condition) -> list[Leaf]:
    if isinstance(condition, Leaf):
        return [condition]
    if isinstance(condition, Not):
        return _leaves(condition.item)
    return [leaf for item in condition.items for leaf in _leaves(item)]


def _values(leaf: Leaf) -> tuple:
    return leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)


def _placeholders(playbook: Playbook) -> list[Problem]:
    """Every text the engine words for a meeting, checked for placeholders nothing can fill."""
    known = fillable(playbook)
    texts: list[tuple[Origin | None, str, str]] = []
    for objection in playbook.objections:
        texts += [(objection.origin, f"{objection.id}.{r.id}", r.text) for r in objection.responses]
        texts += [(objection.origin, f"{objection.id} follow-up", q) for q in objection.follow_up]
    texts += [(c.origin, f"closing {c.id}", c.example) for c in playbook.closings]
    texts += [(r.origin, f"rule {r.id}", r.then.text) for r in playbook.rules]
    meeting = ", ".join(f"{{{name}}}" for name in MEETING_PLACEHOLDERS)
    out = []
    for origin, where, text in texts:
        for name in dict.fromkeys(placeholders(text)):
            if name not in known:
                out.append(_Where(origin).problem(
                    "unknown-placeholder",
                    f"{where}: {{{name}}} names no question of this playbook nor a meeting fact ({meeting}): nothing can fill it{suggest(name, known)}"))
    return out


def _tests(playbook: Playbook, matcher: Matcher) -> list[Problem]:
    report = run_tests(playbook, matcher)
    return [
        _Where(r.test.origin).problem("test-fails", f"\"{r.test.say}\": expected {r.test.expect}, got {r.got}")
        for r in report.failures()
    ]

