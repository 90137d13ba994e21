"""The wrap-up of a meeting: what was learned (a reformulation), objections and outcomes, the
qualification, and the shared action plan, as data; as the rep's internal notes (Markdown) and
JSON. The customer recap lives in recap.py.

Everything people typed (names, answers, objections, actions, notes) is data: in Markdown it is
escaped so that it shows as typed and never becomes a link, an image, HTML or formatting.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..i18n import N_, _
from ..model import Objection, Playbook
from ..textsafety import dumps, printable
from .dates import shown as shown_date
from .qualification import Qualification, qualify
from .state import Action, MeetingState, Objective
from .wording import fill

# Labels are marked here and translated where they are written (the language is set by then).
VERDICT_LABELS = {"go": N_("Go"), "no_go": N_("No-Go"), "not_yet": N_("Not yet")}
OUTCOME_LABELS = {"open": N_("still open"), "resolved": N_("resolved"), "parked": N_("parked"), "unresolved": N_("unresolved")}
MEETING_OUTCOME_LABELS = {"won": N_("Won"), "lost": N_("Lost"), "next_meeting": N_("Next meeting"), "no_decision": N_("No decision")}
_MD_INLINE = re.compile(r"([\\`*_\[\]~|])")
_MD_LINE_START = re.compile(r"^(\s*|\s*\d+)([#>+\-=.)])")


def md(text: str) -> str:
    """Text shown as typed in Markdown (CommonMark and GitHub's): control characters visible, HTML
    and entities escaped, and no character that would start emphasis, code, a link or a table."""
    text = html.escape(printable(str(text)), quote=False)
    text = _MD_INLINE.sub(r"\\\1", text)
    return "\n".join(_MD_LINE_START.sub(r"\1\\\2", line) for line in text.split("\n"))


def md_lines(text: str, indent: str = "  ") -> str:
    """A multi-line text (a note) inside a list item: each line escaped and indented under it."""
    return ("\n" + indent).join(md(line) for line in str(text).split("\n"))


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
    outcome: str = ""  # won, lost, next_meeting, no_decision or ""
    outcome_note: str = ""
    answer_types: tuple[str, ...] = ()  # the question type of each learned fact (text answers are the customer's words)
    objectives: tuple[Objective, ...] = ()  # what the rep set out to achieve, each checked off or not

    @property
    def outcome_label(self) -> str:
        return _(MEETING_OUTCOME_LABELS.get(self.outcome, N_("not recorded yet")))


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _response_label(playbook: Playbook, objection: Objection | None, response_id: str) -> str:
    response = objection.response(response_id) if objection else None
    if response is None:
        return response_id
    technique = playbook.technique(response.technique)
    return technique.name if technique else response.technique


def proposed_actions(playbook: Playbook, state: MeetingState) -> tuple[str, ...]:
    """A draft of the shared action plan from what is still open: the rep edits it with the customer."""
    drafts = []
    decision = state.answers.get("decision_maker")
    if decision in ("other", "shared", "unknown") or ("decision_maker" not in state.answers and playbook.question("decision_maker")):
        drafts.append(_("Set up a meeting with the people who decide"))
    for raised in state.open_objections():
        objection = playbook.objection(raised.objection)
        follow_up = fill(objection.follow_up[0], playbook, state).text if objection and objection.follow_up else ""
        title = objection.title.lower() if objection else raised.objection
        drafts.append(_("Come back on the {objection} objection: {follow_up}").format(objection=title, follow_up=follow_up) if follow_up
                      else _("Come back on the {objection} objection").format(objection=title))
    for raised in state.objections:
        if raised.outcome == "parked":
            drafts.append(_("Settle the parked point: \"{said}\"").format(said=raised.text))
    drafts.append(_("Send the meeting summary the same day"))
    drafts.append(_("Agree the date of the next meeting"))
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
        state.outcome, state.outcome_note or state.end_note, tuple(v.question.type for v in qualification.answers),
        state.objectives,
    )


def action_line(action: Action) -> str:
    """An action-plan item in Markdown: what, who, by when (escaped), ticked when done."""
    owner = f" ({md(action.owner)})" if action.owner else ""
    due = _(", by {date}").format(date=md(shown_date(action.due))) if action.due else ""
    return f"- [{'x' if action.done else ' '}] {md(action.text)}{owner}{due}"


def to_markdown(summary: Summary) -> str:
    """The rep's internal notes: everything, coaching and qualification included (not for the customer)."""
    q = summary.qualification
    who = md(summary.prospect) + (f", {md(summary.company)}" if summary.company else "")
    lines = ["# " + _("Meeting notes (internal): {who}").format(who=who), ""]
    outcome = "- " + _("Outcome: {outcome}").format(outcome=f"**{summary.outcome_label}**")
    lines.append(outcome + (f" ({md(summary.outcome_note)})" if summary.outcome_note else ""))
    when = _when(summary.started_at)
    if when:
        until = _(" to {time}").format(time=_when(summary.ended_at)[11:]) if summary.ended_at else _(" (in progress)")
        lines.append("- " + _("Date: {date}").format(date=when) + until)
    lines.append("- " + _("Playbook: {name}").format(name=md(summary.playbook)))
    lines.append("- " + _("Reached stage: {stage}").format(stage=md(summary.stage)))
    score = _("{score:.0f}/100 on what is known").format(score=q.score) if q.score is not None else _("nothing known yet")
    lines.append("- " + _("Qualification: {coverage:.0f}% known, {score}; verdict {verdict}").format(
        coverage=q.coverage, score=score, verdict=f"**{_(VERDICT_LABELS[q.verdict])}**"))
    if summary.objectives:
        met = sum(o.met for o in summary.objectives)
        lines += ["", "## " + _("Objectives ({met} of {total} met)").format(met=met, total=len(summary.objectives)), ""]
        lines += [f"- [{'x' if o.met else ' '}] {md(o.text)}" for o in summary.objectives]
    lines += ["", "## " + _("What we learned"), ""]
    if summary.learned:
        for fact in summary.learned:
            fact_line = _("{topic}: {answer}").format(topic=f"**{md(fact.topic.capitalize())}**", answer=md(fact.answer))
            lines.append("- " + fact_line + (f". {md(fact.means)}" if fact.means else ""))
    else:
        lines.append("- " + _("Nothing recorded yet."))
    if q.reasons:
        lines += ["", _("Why {verdict}:").format(verdict=_(VERDICT_LABELS[q.verdict]))]
        lines += [f"- {md(reason)}" for reason in q.reasons]
    lines += ["", "## " + _("Objections"), ""]
    if summary.objections:
        for o in summary.objections:
            situation = f" ({md(o.situation)})" if o.situation else ""
            answered = _("; answered with {responses}").format(responses=", ".join(md(r) for r in o.responses)) if o.responses else ""
            outcome_word = _(OUTCOME_LABELS.get(o.outcome, o.outcome))
            lines.append(f"- {md(o.category)}{situation}: \"{md(o.said)}\"{answered}. **{outcome_word}**")
    else:
        lines.append("- " + _("None raised."))
    if summary.signals or summary.closings:
        lines += ["", "## " + _("Buying signals and closing"), ""]
        lines += ["- " + _("Signal: {signal}").format(signal=md(s)) for s in summary.signals]
        lines += ["- " + _("Close attempted: {closing}").format(closing=md(c)) for c in summary.closings]
    lines += ["", "## " + _("Action plan"), ""]
    if summary.actions:
        lines += [action_line(action) for action in summary.actions]
    else:
        lines.append(_("No actions agreed yet. Proposed:"))
        lines += [f"- [ ] {md(text)}" for text in summary.proposed_actions]
    if summary.notes:
        lines += ["", "## " + _("Notes"), ""]
        lines += [f"- {md_lines(note)}" for note in summary.notes]
    return "\n".join(lines) + "\n"


def to_json(summary: Summary) -> str:
    q = summary.qualification
    data: dict[str, Any] = {
        "session": summary.session_id,
        "prospect": summary.prospect,
        "company": summary.company,
        "playbook": summary.playbook,
        "outcome": summary.outcome or None,
        "outcome_note": summary.outcome_note,
        "started_at": _when(summary.started_at) or None,
        "ended_at": _when(summary.ended_at) or None,
        "stage": summary.stage,
        "qualification": {"score": None if q.score is None else round(q.score, 1), "coverage": round(q.coverage, 1),
                          "verdict": q.verdict, "reasons": list(q.reasons)},
        "learned": [fact.__dict__ for fact in summary.learned],
        "objections": [{**o.__dict__, "responses": list(o.responses)} for o in summary.objections],
        "signals": list(summary.signals),
        "closings": list(summary.closings),
        "actions": [{"number": a.number, "text": a.text, "owner": a.owner, "due": a.due, "done": a.done} for a in summary.actions],
        "objectives": [o.__dict__ for o in summary.objectives],
        "proposed_actions": list(summary.proposed_actions),
        "notes": list(summary.notes),
    }
    return dumps(data, indent=2) + "\n"
