"""Running a playbook's `tests:` through the matcher: accuracy, confusions, pass or fail."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .fused import Recogniser
from .matcher import Matcher
from ..model import MatchTest, Playbook

NONE = "none"
NARROW = 0.03  # a recognised case whose gate probability is this close to the cut passes only just


@dataclass(frozen=True)
class CaseResult:
    test: MatchTest
    got: str
    score: float
    gate: tuple[float, float] | None = None  # (probability that the line is an objection, the cut), when gated

    @property
    def passed(self) -> bool:
        return self.got == self.test.expect

    @property
    def narrow(self) -> bool:
        """Passed, as an objection, within NARROW of the gate's cut: the next phrasings added to the
        library may tip it over (they shift every category's evidence a little)."""
        return self.passed and self.got != NONE and self.gate is not None and self.gate[0] - self.gate[1] < NARROW


@dataclass(frozen=True)
class TestReport:
    results: tuple[CaseResult, ...]
    required: float  # percent of cases that must pass
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def passed_count(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def accuracy(self) -> float:
        return 100.0 * self.passed_count / len(self.results) if self.results else 100.0

    @property
    def ok(self) -> bool:
        return self.accuracy >= self.required

    def false_alarms(self) -> int:
        return sum(1 for r in self.results if r.test.expect == NONE and r.got != NONE)

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]

    def narrow(self) -> list[CaseResult]:
        return [r for r in self.results if r.narrow]


def run_tests(playbook: Playbook, matcher: Matcher | Recogniser | None = None, required: float | None = None) -> TestReport:
    """`matcher`: the lexical matcher (built from the playbook when None), or a recogniser
    (`fused.recogniser_for`) to test what a meeting would show."""
    recogniser = matcher if isinstance(matcher, Recogniser) else Recogniser(matcher or Matcher.from_playbook(playbook))
    results = []
    confusions: Counter[tuple[str, str]] = Counter()
    for test in playbook.tests:
        explained = recogniser.explain(test.say, top=1)
        found = explained.matches
        got, score = (found[0].objection, found[0].score) if found else (NONE, 0.0)
        result = CaseResult(test, got, score, explained.gate)
        if not result.passed:
            confusions[(test.expect, got)] += 1
        results.append(result)
    return TestReport(tuple(results), playbook.test_pass_rate if required is None else required, confusions)
