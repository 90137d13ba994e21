"""The qualification score and the Go / No-Go / Not yet verdict, with the reasons behind them.

The score is the weighted average of what the answers are worth (each answer's score, 0-100,
weighted by its question); coverage is how much of the total weight is known. A single
answer whose meaning is No-Go makes the verdict No-Go; Go needs enough known and good.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping

from ..model import Playbook, Question

VerdictName = Literal["go", "no_go", "not_yet"]
GO_MIN_COVERAGE = 60.0
GO_MIN_SCORE = 60.0


@dataclass(frozen=True)
class AnswerValue:
    """What one given answer is worth and means."""

    question: Question
    value: str | float
    label: str
    score: float
    means: str
    verdict: str | None


@dataclass(frozen=True)
class Qualification:
    score: float | None  # None while nothing is answered
    coverage: float  # percent of the questions' total weight that is answered
    verdict: VerdictName
    reasons: tuple[str, ...]
    answers: tuple[AnswerValue, ...]


def answer_value(question: Question, value: str | float) -> AnswerValue:
    if question.type == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return AnswerValue(question, value, str(value), 0.0, "", None)
        band = question.band_for(number)
        label = f"{number:g} {question.unit}".strip()
        if band is None:
            return AnswerValue(question, value, label, 0.0, "", None)
        return AnswerValue(question, value, label, band.score, band.means, band.verdict)
    if question.type == "text":
        text = str(value).strip()
        return AnswerValue(question, value, text, 100.0 if text else 0.0, "", None)
    meaning = question.answer(str(value))
    if meaning is None:
        return AnswerValue(question, value, str(value), 0.0, "", None)
    return AnswerValue(question, value, meaning.label, meaning.score, meaning.means, meaning.verdict)


def qualify(playbook: Playbook, answers: Mapping[str, str | float]) -> Qualification:
    total_weight = sum(q.weight for q in playbook.questions) or 1.0
    values = [answer_value(q, answers[q.id]) for q in playbook.questions if q.id in answers]
    known_weight = sum(v.question.weight for v in values)
    coverage = 100.0 * known_weight / total_weight
    score = sum(v.score * v.question.weight for v in values) / known_weight if known_weight else None
    no_go = [v for v in values if v.verdict == "no_go"]
    if no_go:
        reasons = tuple(f"{v.question.topic or v.question.id}: {v.label}. {v.means}".strip() for v in no_go)
        return Qualification(score, coverage, "no_go", reasons, tuple(values))
    if score is not None and coverage >= GO_MIN_COVERAGE and score >= GO_MIN_SCORE:
        goes = [v for v in values if v.verdict == "go"]
        reasons = tuple(f"{v.question.topic or v.question.id}: {v.label}" for v in goes) or (f"score {score:.0f} with {coverage:.0f}% known",)
        return Qualification(score, coverage, "go", reasons, tuple(values))
    reasons: list[str] = []
    if coverage < GO_MIN_COVERAGE:
        # Each topic once, and only topics nothing is known about yet (heaviest first).
        known = {q.topic or q.id for q in playbook.questions if q.id in answers}
        unknown = sorted((q for q in playbook.questions if q.id not in answers), key=lambda q: -q.weight)
        missing = [t for t in dict.fromkeys(q.topic or q.id for q in unknown) if t not in known][:3]
        reasons.append(f"only {coverage:.0f}% known; still to learn: " + ", ".join(missing))
    if score is not None and score < GO_MIN_SCORE:
        weakest = sorted(values, key=lambda v: v.score)[:2]
        reasons.append(f"score {score:.0f} is low: " + "; ".join(f"{v.question.topic or v.question.id} {v.label}" for v in weakest))
    return Qualification(score, coverage, "not_yet", tuple(reasons), tuple(values))
