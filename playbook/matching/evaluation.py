"""Running a playbook's `tests:` through the matcher: accuracy, confusions, pass or fail."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .matcher import Matcher
from ..model import MatchTest, Playbook

NONE = "none"


@dataclass(frozen=True)
class CaseResult:
    test: MatchTest
    got: str
    score: float

    @property
    def passed(self) -> bool:
        return self.got == self.test.expect


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


def run_tests(playbook: Playbook, matcher: Matcher | None = None, required: float | None = None) -> TestReport:
    matcher = matcher or Matcher.from_playbook(playbook)
    results = []
    confusions: Counter[tuple[str, str]] = Counter()
    for test in playbook.tests:
        found = matcher.match(test.say, top=1)
        got, score = (found[0].objection, found[0].score) if found else (NONE, 0.0)
        result = CaseResult(test, got, score)
        if not result.passed:
            confusions[(test.expect, got)] += 1
        results.append(result)
    return TestReport(tuple(results), playbook.test_pass_rate if required is None else required, confusions)
