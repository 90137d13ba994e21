"""The qualification score and the Go / No-Go / Not yet verdict, with the reasons behind them.

The score is the weighted average of what the answers are worth (each answer's score, 0-100,
weighted by its question); coverage is how much of the total weight is known.

The verdict follows the consulting posture: the real No-Go is a customer who does not want to
work with you, and the effort they commit to is the best measure of their commitment. So:
- No-Go: an answer whose meaning is No-Go, or a customer who refused at least two of the
  `commitment:` questions (time, information, access to the people who decide, a next step of
  their own) and agreed to fewer than they refused;
- Go: enough known and good, and, when the playbook measures commitment, at least one sign of it;
- Not yet: everything else, with what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping

from ..i18n import _
from ..model import Playbook, Question

VerdictName = Literal["go", "no_go", "not_yet"]
GO_MIN_COVERAGE = 60.0
GO_MIN_SCORE = 60.0
COMMITTED_MIN_SCORE = 60.0  # a commitment answer scoring this or more is a sign of willingness
REFUSED_MAX_SCORE = 20.0  # ... and this or less a refusal
NO_GO_REFUSALS = 2


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
    commitment = [v for v in values if v.question.commitment]
    committed = [v for v in commitment if v.score >= COMMITTED_MIN_SCORE]
    refused = [v for v in commitment if v.score <= REFUSED_MAX_SCORE]
    no_go = [v for v in values if v.verdict == "no_go"]
    if len(refused) >= NO_GO_REFUSALS and len(refused) > len(committed):
        no_go += [v for v in refused if v not in no_go]
    if no_go:
        reasons = tuple(_explained(v) for v in no_go)
        return Qualification(score, coverage, "no_go", reasons, tuple(values))
    measures_commitment = any(q.commitment for q in playbook.questions)
    good = score is not None and coverage >= GO_MIN_COVERAGE and score >= GO_MIN_SCORE
    if good and (committed or not measures_commitment):
        goes = [v for v in values if v.verdict == "go"] + committed
        reasons = tuple(f"{v.question.topic or v.question.id}: {v.label}" for v in goes) or (
            _("score {score:.0f} with {coverage:.0f}% known").format(score=score, coverage=coverage),)
        return Qualification(score, coverage, "go", reasons + tuple(_explained(v) for v in refused), tuple(values))
    reasons: list[str] = []
    if coverage < GO_MIN_COVERAGE:
        # Each topic once, and only topics nothing is known about yet (heaviest first).
        known = {q.topic or q.id for q in playbook.questions if q.id in answers}
        unknown = sorted((q for q in playbook.questions if q.id not in answers), key=lambda q: -q.weight)
        missing = [t for t in dict.fromkeys(q.topic or q.id for q in unknown) if t not in known][:3]
        reasons.append(_("only {coverage:.0f}% known; still to learn: {topics}").format(coverage=coverage, topics=", ".join(missing)))
    if score is not None and score < GO_MIN_SCORE:
        weakest = sorted(values, key=lambda v: v.score)[:2]
        low = "; ".join(f"{v.question.topic or v.question.id} {v.label}" for v in weakest)
        reasons.append(_("score {score:.0f} is low: {answers}").format(score=score, answers=low))
    if measures_commitment and not committed:
        asked = {v.question.id for v in commitment}
        still = [q.topic or q.id for q in playbook.questions if q.commitment and q.id not in asked]
        reasons.append(_("no sign of commitment yet: still to learn: {topics}").format(topics=", ".join(still)) if still
                       else _("no sign of commitment yet"))
    reasons += [_explained(v) for v in refused]
    return Qualification(score, coverage, "not_yet", tuple(reasons), tuple(values))


def _explained(value: AnswerValue) -> str:
    return f"{value.question.topic or value.question.id}: {value.label}. {value.means}".strip()
