"""The wrap-up of a meeting: what was learned (a reformulation), objections and outcomes, the
qualification, and the shared action plan, as data and as Markdown or JSON for a CRM note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..model import Objection, Playbook
from ..textsafety import dumps
from .qualification import Qualification, qualify
from .state import Action, MeetingState
from .wording import fill

VERDICT_LABELS = {"go": "Go", "no_go": "No-Go", "not_yet": "Not yet"}
OUTCOME_LABELS = {"open": "still open", "resolved": "resolved", "parked": "parked", "unresolved": "unresolved"}


@dataclass(frozen=True)
class LearnedFact:
    topic: str
    question: str
    answer: str
    means: str


@dataclass(frozen=True)
class ObjectionLine:
    said: str
    category: str
    situation: str
    responses: tuple[str, ...]
    outcome: str


@dataclass(frozen=True)
class Summary:
    session_id: str
    prospect: str
    company: str
    playbook: str
    started_at: float | None
    ended_at: float | None
    stage: str
    learned: tuple[LearnedFact, ...]
    objections: tuple[ObjectionLine, ...]
    signals: tuple[str, ...]
    closings: tuple[str, ...]
    qualification: Qualification
    actions: tuple[Action, ...]
    proposed_actions: tuple[str, ...]
    notes: tuple[str, ...]


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _response_label(playbook: Playbook, objection: Objection | None, response_id: str) -> str:
    response = objection.response(response_id) if objection else None
    if response is None:
        return response_id
    technique = playbook.technique(response.technique)
    return f"{technique.name if technique else response.technique} ({response.id})"


def proposed_actions(playbook: Playbook, state: MeetingState) -> tuple[str, ...]:
    """A draft of the shared action plan from what is still open: the rep edits it with the customer."""
    drafts = []
    decision = state.answers.get("decision_maker")
    if decision in ("other", "shared", "unknown") or ("decision_maker" not in state.answers and playbook.question("decision_maker")):
        drafts.append("Set up a meeting with the people who decide")
    for raised in state.open_objections():
        objection = playbook.objection(raised.objection)
        follow_up = fill(objection.follow_up[0], playbook, state).text if objection and objection.follow_up else ""
        drafts.append(f"Come back on the {objection.title.lower() if objection else raised.objection} objection" + (f": {follow_up}" if follow_up else ""))
    for raised in state.objections:
        if raised.outcome == "parked":
            drafts.append(f"Settle the parked point: \"{raised.text}\"")
    drafts.append("Send the meeting summary the same day")
    drafts.append("Agree the date of the next meeting")
    return tuple(dict.fromkeys(drafts))


def summarise(playbook: Playbook, state: MeetingState, session_id: str = "") -> Summary:
    qualification = qualify(playbook, state.answers)
    learned = tuple(
        LearnedFact(v.question.topic or v.question.id, v.question.text, v.label, v.means) for v in qualification.answers
    )
    objections = []
    for raised in state.objections:
        objection = playbook.objection(raised.objection)
        situation = next((s.title for s in objection.situations if s.id == raised.situation), "") if objection else ""
        responses = tuple(_response_label(playbook, objection, rid) for rid in raised.responses)
        objections.append(ObjectionLine(raised.text, objection.title if objection else raised.objection, situation, responses, raised.outcome))
    signals = tuple((playbook.signal(s).name if playbook.signal(s) else s) for s in sorted(state.signals))
    closings = tuple(f"{(playbook.closing(c.closing).name if playbook.closing(c.closing) else c.closing)}: {c.result}" for c in state.closings)
    stage = playbook.stage(state.stage).title if state.stage and playbook.stage(state.stage) else (state.stage or "")
    return Summary(
        session_id, state.prospect, state.company, playbook.name, state.started_at, state.ended_at, stage, learned,
        tuple(objections), signals, closings, qualification, state.actions,
        () if state.actions else proposed_actions(playbook, state), tuple(n.text for n in state.notes),
    )


def to_markdown(summary: Summary) -> str:
    """A meeting summary to paste into a CRM note or send by email."""
    q = summary.qualification
    who = summary.prospect + (f", {summary.company}" if summary.company else "")
    lines = [f"# Meeting summary: {who}", ""]
    when = _when(summary.started_at)
    if when:
        lines.append(f"- Date: {when}" + (f" to {_when(summary.ended_at)[11:]}" if summary.ended_at else " (in progress)"))
    lines.append(f"- Playbook: {summary.playbook}")
    lines.append(f"- Reached stage: {summary.stage}")
    score = f"{q.score:.0f}/100" if q.score is not None else "no answers yet"
    lines.append(f"- Qualification: {score} ({q.coverage:.0f}% known), verdict **{VERDICT_LABELS[q.verdict]}**")
    lines += ["", "## What we learned", ""]
    if summary.learned:
        for fact in summary.learned:
            lines.append(f"- **{fact.topic.capitalize()}**: {fact.answer}" + (f". {fact.means}" if fact.means else ""))
    else:
        lines.append("- Nothing recorded yet.")
    if q.reasons:
        lines += ["", "Why " + VERDICT_LABELS[q.verdict] + ":"]
        lines += [f"- {reason}" for reason in q.reasons]
    lines += ["", "## Objections", ""]
    if summary.objections:
        for o in summary.objections:
            situation = f" ({o.situation})" if o.situation else ""
            answered = f"; answered with {', '.join(o.responses)}" if o.responses else ""
            lines.append(f"- {o.category}{situation}: \"{o.said}\"{answered}. **{OUTCOME_LABELS.get(o.outcome, o.outcome)}**")
    else:
        lines.append("- None raised.")
    if summary.signals or summary.closings:
        lines += ["", "## Buying signals and closing", ""]
        lines += [f"- Signal: {s}" for s in summary.signals]
        lines += [f"- Close attempted: {c}" for c in summary.closings]
    lines += ["", "## Action plan", ""]
    if summary.actions:
        for action in summary.actions:
            owner = f" ({action.owner})" if action.owner else ""
            due = f", by {action.due}" if action.due else ""
            lines.append(f"- [ ] {action.text}{owner}{due}")
    else:
        lines.append("No actions agreed yet. Proposed:")
        lines += [f"- [ ] {text}" for text in summary.proposed_actions]
    if summary.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in summary.notes]
    return "\n".join(lines) + "\n"


def to_json(summary: Summary) -> str:
    q = summary.qualification
    data: dict[str, Any] = {
        "session": summary.session_id,
        "prospect": summary.prospect,
        "company": summary.company,
        "playbook": summary.playbook,
        "started_at": _when(summary.started_at) or None,
        "ended_at": _when(summary.ended_at) or None,
        "stage": summary.stage,
        "qualification": {"score": None if q.score is None else round(q.score, 1), "coverage": round(q.coverage, 1),
                          "verdict": q.verdict, "reasons": list(q.reasons)},
        "learned": [fact.__dict__ for fact in summary.learned],
        "objections": [{**o.__dict__, "responses": list(o.responses)} for o in summary.objections],
        "signals": list(summary.signals),
        "closings": list(summary.closings),
        "actions": [a.__dict__ for a in summary.actions],
        "proposed_actions": list(summary.proposed_actions),
        "notes": list(summary.notes),
    }
    return dumps(data, indent=2) + "\n"
