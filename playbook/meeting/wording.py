"""Wording a rep can read aloud: placeholders filled from what the meeting established, and a
visible blank wherever it has not, so that no sentence states a fact about the customer that
nobody said.

A response, a closing example, a follow-up question or a rule's text may hold placeholders:
- `{<question id>}` quotes the answer to that question ("you estimated {cost_estimate}");
- `{company}` is the customer's company; `{open_objection}` the objection still open.
Unknown, a placeholder shows as `[its blank]`: the question's `blank:` wording, or its id in words.
Nothing else can fill a placeholder; lint flags one that names neither (unknown-placeholder).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Closing, Playbook, Response
from .qualification import answer_value
from .state import MeetingState

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
ANY_BRACES = re.compile(r"\{([^{}]*)\}")
MEETING_PLACEHOLDERS = ("company", "open_objection")
_MEETING_BLANKS = {
    "en": {"company": "your company", "open_objection": "the open objection"},
    "fr": {"company": "votre entreprise", "open_objection": "l'objection ouverte"},
}


@dataclass(frozen=True)
class Wording:
    """A text ready to read: `blanks` names the placeholders still to fill (shown as `[blank]`)."""

    text: str
    blanks: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.blanks


def placeholders(text: str) -> tuple[str, ...]:
    """Every `{...}` in the text, well-formed or not, in order."""
    return tuple(match.group(1) for match in ANY_BRACES.finditer(text))


def fillable(playbook: Playbook) -> frozenset[str]:
    """The placeholder names something in a meeting can fill."""
    return frozenset((*(q.id for q in playbook.questions), *MEETING_PLACEHOLDERS))


def blank(playbook: Playbook, name: str) -> str:
    """How an unknown placeholder shows: a visible blank, in the playbook's language."""
    question = playbook.question(name)
    if question is not None and question.blank:
        label = question.blank
    else:
        labels = _MEETING_BLANKS.get(playbook.language, _MEETING_BLANKS["en"])
        label = labels.get(name, name.replace("_", " "))
    return f"[{label}]"


def _lower_first(label: str) -> str:
    """'Within three months' reads 'within three months' mid-sentence; 'CFO' stays 'CFO'."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def meeting_values(playbook: Playbook, state: MeetingState | None) -> dict[str, str]:
    """What the meeting has established, by placeholder name."""
    if state is None:
        return {}
    values: dict[str, str] = {}
    for question_id, value in state.answers.items():
        question = playbook.question(question_id)
        if question is None:
            continue
        label = answer_value(question, value).label
        if question.type == "text":
            values[question_id] = label.rstrip(" .;,:")  # the sentence around it has its own punctuation
        else:
            values[question_id] = label if question.type == "number" else _lower_first(label)
    if state.company:
        values["company"] = state.company
    open_objections = state.open_objections()
    if open_objections:
        objection = playbook.objection(open_objections[-1].objection)
        values["open_objection"] = _lower_first(objection.title) if objection else open_objections[-1].objection
    return {name: value for name, value in values.items() if value.strip()}


def fill(text: str, playbook: Playbook, state: MeetingState | None = None, values: dict[str, str] | None = None) -> Wording:
    """The text with its placeholders filled from the meeting; without a meeting, every one is a blank.
    `values`: `meeting_values(playbook, state)` when the caller words many texts at once."""
    if "{" not in text:
        return Wording(text)
    if values is None:
        values = meeting_values(playbook, state)
    blanks: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        blanks.append(name)
        return blank(playbook, name)

    return Wording(PLACEHOLDER.sub(one, text), tuple(dict.fromkeys(blanks)))


def without_placeholders(text: str) -> str:
    """The text with its placeholders left out, for matching words rather than reading aloud."""
    return " ".join(PLACEHOLDER.sub(" ", text).split())


def filled_response(response: Response, playbook: Playbook, state: MeetingState | None = None,
                    values: dict[str, str] | None = None) -> Response:
    """The response as the rep reads it in this meeting."""
    if "{" not in response.text:
        return response
    return replace(response, text=fill(response.text, playbook, state, values).text)


def filled_closing(closing: Closing, playbook: Playbook, state: MeetingState | None = None,
                   values: dict[str, str] | None = None) -> Closing:
    """The closing method with its example worded for this meeting."""
    if "{" not in closing.example:
        return closing
    return replace(closing, example=fill(closing.example, playbook, state, values).text)
