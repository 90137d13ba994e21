"""Guidance: from the meeting state to what the rep should do next, each item saying why.

Pure functions of (playbook, state, now). Sources, merged and ordered by priority:
- the playbook's rules, whose conditions are evaluated on the facts below;
- the next qualification questions for the current stage, most valuable first;
- the responses to the latest open objection, ranked for its context, then by the team's
  record with them when there is one that counts (learning/evidence.py);
- the closing methods the signals and the state call for.

Closing is gated, as the method asks: a closing method is never suggested while one of its
`avoid_when` conditions holds, or while a rule that holds closings fires (settle the open
objections first, No-Go, the contact does not decide, no real need, still discovering). The
review of every method (`closing_review`) says what made it fit and what holds it back.
Every text is worded for this meeting (`wording.fill`): no placeholder is ever shown raw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..i18n import _
from ..learning.evidence import Evidence, blend
from ..model import Closing, Playbook, Question, Response, Rule
from .qualification import Qualification, qualify
from .state import MeetingState, RaisedObjection
from .wording import fill, filled_closing, filled_response, meeting_values

GuidanceKind = Literal["ask", "warn", "respond", "close", "next_step"]
KIND_ORDER = {"warn": 0, "respond": 1, "close": 2, "ask": 3, "next_step": 4}
QUESTION_BASE_PRIORITY = 40
RESPOND_FRESH_PRIORITY, RESPOND_PRIORITY = 80, 55


@dataclass(frozen=True)
class Guidance:
    """One suggestion for the rep, with where it comes from ('why am I seeing this?')."""

    kind: GuidanceKind
    text: str
    priority: int
    source: str  # "rule:<id>", "question:<id>", "objection:<id>" or "closing:<id>"
    why: str = ""
    question: str | None = None
    closing: str | None = None
    objection: str | None = None
    response: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def facts(playbook: Playbook, state: MeetingState, now: float, qualification: Qualification | None = None) -> dict[str, Any]:
    """The meeting state as the facts rule conditions test (see conditions.fact_catalogue)."""
    qualification = qualification or qualify(playbook, state.answers)
    stage = playbook.stage(state.stage) if state.stage else None
    out: dict[str, Any] = {
        "stage": state.stage,
        "stage.kind": stage.kind if stage else None,
        "meeting.type": playbook.meeting_type or "meeting",
        "score.qualification": qualification.score,
        "score.coverage": qualification.coverage,
        "verdict": qualification.verdict,
        "elapsed_minutes": (now - state.started_at) / 60.0 if state.started_at else 0.0,
        "answered.count": len(state.answers),
        "signals.count": len(state.signals),
        "closing.tried": len(state.closings),
        "closing.failed": sum(1 for c in state.closings if c.result == "failed"),
        "actions.count": len(state.actions),
        "objection.last": state.objections[-1].objection if state.objections else None,
    }
    for question_id, value in state.answers.items():
        out[f"answer.{question_id}"] = value
    for signal in state.signals:
        out[f"signal.{signal}"] = True
    for signal in playbook.signals:
        out.setdefault(f"signal.{signal.id}", False)
    for key in ("any", *(o.id for o in playbook.objections)):
        raised = [o for o in state.objections if key == "any" or o.objection == key]
        out[f"objection.{key}.count"] = len(raised)
        out[f"objection.{key}.unresolved"] = sum(o.unresolved for o in raised)
        out[f"objection.{key}.resolved"] = sum(o.outcome == "resolved" for o in raised)
        out[f"objection.{key}.parked"] = sum(o.outcome == "parked" for o in raised)
        if key != "any":
            situated = [o.situation for o in raised if o.situation]
            out[f"objection.{key}.situation"] = situated[-1] if situated else None
    return out


def next_questions(playbook: Playbook, state: MeetingState, limit: int = 3) -> list[Question]:
    """Unanswered questions of the current stage, most valuable first; then heavy ones left from earlier stages."""
    stage_index = {stage.id: i for i, stage in enumerate(playbook.stages)}
    current = stage_index.get(state.stage, -1) if state.stage else 0
    unanswered = [q for q in playbook.questions if q.id not in state.answers]
    here = sorted((q for q in unanswered if q.stage == state.stage), key=lambda q: -q.weight)
    earlier = sorted(
        (q for q in unanswered if 0 <= stage_index.get(q.stage, -1) < current and q.weight >= 10), key=lambda q: -q.weight
    )
    return (here + earlier)[:limit]


def ranked_responses(
    playbook: Playbook, state: MeetingState, raised: RaisedObjection, current: dict[str, Any],
    evidence: Evidence | None = None, now: float | None = None,
) -> list[tuple[Response, str]]:
    """The objection's responses ranked for the context (`current`: the facts), each with the reason for its place.

    The situation and the rules come first; among what they leave equal, the playbook's order
    blended with the team's record (`evidence`), whose words join the reason."""
    return [(response, "; ".join(part for part in (why, record) if part))
            for response, why, record in _ranked(playbook, state, raised, current, evidence, now)]


def _ranked(
    playbook: Playbook, state: MeetingState, raised: RaisedObjection, current: dict[str, Any],
    evidence: Evidence | None, now: float | None,
) -> list[tuple[Response, str, str]]:
    """Each response with the reason for its place (rule, situation) and the team's record in words."""
    objection = playbook.objection(raised.objection)
    if objection is None:
        return []
    reasons: dict[str, tuple[int, str]] = {}
    if raised.situation:
        situation = next((s for s in objection.situations if s.id == raised.situation), None)
        if situation:
            for rank, response_id in enumerate(situation.prefer):
                reasons.setdefault(response_id, (10 + rank, _("fits the situation: {situation}").format(situation=situation.title)))
    for rule in playbook.rules:
        if rule.then.objection == objection.id and rule.then.response and rule.when.evaluate(current):
            reasons[rule.then.response] = (0, f"rule {rule.id}: {rule.description or rule.then.text}")
    used = set(raised.responses)
    records = evidence.of(objection.id) if evidence is not None else {}
    blended = blend([r.id for r in objection.responses], records, now)
    order = {item.response: i for i, item in enumerate(blended)}
    record_words = {item.response: item.why for item in blended}

    def rank(response: Response) -> tuple[int, int, int]:
        return (response.id in used, reasons.get(response.id, (100, ""))[0], order[response.id])

    ranked = sorted(objection.responses, key=rank)
    values = meeting_values(playbook, state)
    return [(filled_response(r, playbook, state, values), reasons.get(r.id, (0, _("already used") if r.id in used else ""))[1],
             record_words[r.id]) for r in ranked]


@dataclass(frozen=True)
class ClosingReview:
    """One closing method weighed for this moment: what makes it fit, and what holds it back."""

    closing: Closing  # its example worded for this meeting
    points: int
    reasons: tuple[str, ...]  # why it fits: signals, rules, fits_when conditions that hold
    held: tuple[str, ...]  # why it is not suggested: the gate rules firing, the avoid_when conditions that hold

    @property
    def suggested(self) -> bool:
        return self.points > 0 and not self.held


def _rule_reason(rule: Rule) -> str:
    return f"rule {rule.id}: {rule.description or rule.then.text}"


def closing_review(playbook: Playbook, state: MeetingState, current: dict[str, Any],
                   firing: list[Rule] | None = None) -> list[ClosingReview]:
    """Every closing method, those that may be suggested first and best first (`current`: the facts;
    `firing`: the rules whose condition holds, when the caller has them already)."""
    if firing is None:
        firing = [r for r in playbook.rules if r.when.evaluate(current)]
    values = meeting_values(playbook, state)
    recommended = {r.then.closing: r for r in firing if r.then.closing}
    gates = [r for r in firing if r.then.hold_all_closings or r.then.hold_closings]
    reviews = []
    for closing in playbook.closings:
        reasons: list[str] = []
        points = 0
        for signal_id in closing.signals:
            if signal_id in state.signals:
                signal = playbook.signal(signal_id)
                reasons.append(_("signal: {signal}").format(signal=signal.name if signal else signal_id))
                points += 2
        if closing.id in recommended:
            reasons.append(_rule_reason(recommended[closing.id]))
            points += 3
        for check in closing.fits:
            if check.when.evaluate(current):
                reasons.append(_("fits: {condition}").format(condition=check.text))
                points += 2
        failed = [c for c in state.closings if c.closing == closing.id and c.result == "failed"]
        if failed:
            points -= 2
            reasons.append(_("already tried and failed"))
        held = [_rule_reason(r) for r in gates if r.then.hold_all_closings or closing.id in r.then.hold_closings]
        held += [_("avoid: {condition}").format(condition=check.text) for check in closing.avoids if check.when.evaluate(current)]
        reviews.append(ClosingReview(filled_closing(closing, playbook, state, values), points, tuple(reasons), tuple(held)))
    return sorted(reviews, key=lambda r: (not r.suggested, -r.points))


def closing_fit(playbook: Playbook, state: MeetingState, current: dict[str, Any]) -> list[tuple[Closing, int, tuple[str, ...]]]:
    """The closing methods that may be suggested now, best first, with their reasons."""
    return [(r.closing, r.points, r.reasons) for r in closing_review(playbook, state, current) if r.suggested]


def guidance(playbook: Playbook, state: MeetingState, now: float, qualification: Qualification | None = None,
             evidence: Evidence | None = None) -> list[Guidance]:
    """Everything the rep should consider now, most urgent first (`evidence`: the team's record
    with the responses, see ranked_responses)."""
    qualification = qualification or qualify(playbook, state.answers)
    current = facts(playbook, state, now, qualification)
    firing = [r for r in playbook.rules if r.when.evaluate(current)]
    reviews = closing_review(playbook, state, current, firing)
    held = {r.closing.id for r in reviews if r.held}
    items: list[Guidance] = []
    for rule in firing:
        then = rule.then
        if then.closing in held:
            continue  # the closing review says which gate or condition holds it back
        items.append(Guidance(then.kind, fill(then.text, playbook, state).text, then.priority, f"rule:{rule.id}", rule.description,
                              then.question, then.closing, then.objection, then.response))
    asked_by_rules = {g.question for g in items if g.question}
    for question in next_questions(playbook, state):
        if question.id in asked_by_rules:
            continue
        items.append(Guidance("ask", question.text, QUESTION_BASE_PRIORITY + int(question.weight // 2), f"question:{question.id}",
                              question.why, question=question.id))
    open_objections = state.open_objections()
    if open_objections:
        latest = open_objections[-1]
        ranked = _ranked(playbook, state, latest, current, evidence, now)
        if ranked and not any(g.kind == "respond" and g.objection == latest.objection for g in items):
            response, reason, record = ranked[0]
            technique = playbook.technique(response.technique)
            # A fresh objection is answered before anything else; once answered, it waits its turn.
            priority = RESPOND_FRESH_PRIORITY if not latest.responses else RESPOND_PRIORITY
            why = reason or f"{technique.name if technique else response.technique}: {technique.use_when if technique else ''}".strip()
            if record:
                why = f"{why.rstrip('.')}. {record[0].upper()}{record[1:]}." if why else f"{record[0].upper()}{record[1:]}."
            if response.caution:
                why += " " + _("Caution: {caution}").format(caution=response.caution)
            items.append(Guidance("respond", response.text, priority, f"objection:{latest.objection}", why,
                                  objection=latest.objection, response=response.id))
    recommended = {g.closing for g in items if g.closing}
    for review in [r for r in reviews if r.suggested][:2]:
        closing = review.closing
        if closing.id not in recommended and review.points >= 2:
            why = "; ".join(review.reasons) + (". " + _("Caution: {caution}").format(caution=closing.caution) if closing.caution else "")
            items.append(Guidance("close", f"{closing.name}: \"{closing.example}\"", 45 + 5 * review.points, f"closing:{closing.id}",
                                  why, closing=closing.id))
    return sorted(items, key=lambda g: (-g.priority, KIND_ORDER[g.kind], g.source))
