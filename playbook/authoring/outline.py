"""A readable text outline of a playbook, for `playbook show`."""

from __future__ import annotations

import textwrap

from ..model import Playbook, Question

WIDTH = 88


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def _answers(question: Question) -> str:
    if question.type == "number":
        return ", ".join(f">={b.at_least:g}: {b.score:g}" for b in question.bands)
    return ", ".join(f"{a.key}: {a.score:g}" + (f" ({a.verdict})" if a.verdict else "") for a in question.answers)


def render_outline(playbook: Playbook) -> str:
    techniques = {t.id: t.name for t in playbook.techniques}
    lines = [f"{playbook.name}  [{playbook.id}, {playbook.language}]", ""]
    lines.append("STAGES")
    for number, stage in enumerate(playbook.stages, 1):
        lines.append(f"  {number}. {stage.title} ({stage.id})")
        lines.extend(_wrap(f"- {goal}", "       ") for goal in stage.goals)
        questions = [q for q in playbook.questions if q.stage == stage.id]
        for q in sorted(questions, key=lambda q: -q.weight):
            scoring = _answers(q)
            lines.append(f"     ? {q.text}  [{q.id}, {q.type}, weight {q.weight:g}]")
            if scoring:
                lines.append(f"         {scoring}")
    lines += ["", "OBJECTIONS"]
    for objection in playbook.objections:
        lines.append(f"  {objection.title} ({objection.id}): {len(objection.phrasings)} phrasings")
        lines.append(f"     e.g. " + " / ".join(f'"{p}"' for p in objection.phrasings[:3]))
        for response in objection.responses:
            lines.append(f"     > [{techniques.get(response.technique, response.technique)}] ({response.id})")
            lines.append(_wrap(response.text, "         "))
        for question in objection.follow_up:
            lines.append(f"     then ask: {question}")
    lines += ["", "TECHNIQUES"]
    lines.extend(f"  {t.name} ({t.id}): {t.description}" for t in playbook.techniques)
    lines += ["", "CLOSING METHODS"]
    for closing in playbook.closings:
        lines.append(f"  {closing.name} ({closing.id})")
        lines.extend(_wrap(f"fits when: {when}", "     ") for when in closing.fits_when)
        lines.extend(_wrap(f"avoid when: {when}", "     ") for when in closing.avoid_when)
        lines.append(_wrap(f'e.g. "{closing.example}"', "     "))
    lines += ["", "RULES"]
    for rule in playbook.rules:
        holds = " holds all closings" if rule.then.hold_all_closings else (
            f" holds {', '.join(rule.then.hold_closings)}" if rule.then.hold_closings else "")
        lines.append(f"  {rule.id} [{rule.then.kind}, priority {rule.then.priority}]{holds}")
        lines.append(_wrap(rule.then.text, "     "))
    return "\n".join(lines)


def render_resolved(playbook: Playbook) -> str:
    """Every item of a composed playbook with the file and place it comes from."""
    lines = [f"{playbook.name}  [{playbook.id}]", ""]
    sections = (("stages", playbook.stages), ("questions", playbook.questions), ("techniques", playbook.techniques),
                ("objections", playbook.objections), ("signals", playbook.signals), ("closings", playbook.closings),
                ("rules", playbook.rules), ("scenarios", playbook.scenarios))
    for name, items in sections:
        lines.append(f"{name.upper()} ({len(items)})")
        for item in items:
            extra = f"  {len(item.phrasings)} phrasings, {len(item.responses)} responses" if name == "objections" else ""
            lines.append(f"  {item.id:32} {item.origin}{extra}")
        lines.append("")
    return "\n".join(lines).rstrip()
