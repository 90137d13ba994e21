"""The qualification checklist of the current stage, with the score and Go / No-Go always visible.

Keys on the highlighted question: y / n answer a yes/no question, 1-9 pick a choice, Enter
opens the answer dialog (numbers and text), Delete clears an answer. A key that does not fit
the question says why. Answered questions stay where they are, shown "✓ → answer", and the
cursor stays on the question it was on: the list never moves under the rep's eyes. Below the
stage's own questions come what is still unknown from earlier stages (and the weightiest of
later ones), so no stage shows an empty list while something is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from playbook.i18n import _
from playbook.model import Playbook, Question
from playbook.meeting.qualification import Qualification, answer_value

from .layout import hanging
from .text import safe

VERDICT_STYLE = {"go": ("GO", "bold green"), "no_go": ("NO-GO", "bold red"), "not_yet": ("NOT YET", "bold yellow")}
LATER_STAGE_MIN_WEIGHT = 10


def score_line(qualification: Qualification) -> Text:
    """The verdict, then how much is known and what that much is worth, as one statement."""
    verdict, style = VERDICT_STYLE[qualification.verdict]
    line = Text()
    line.append(verdict, style=style)
    if qualification.score is None:
        line.append(" · nothing known yet")
    else:
        line.append(f" · {qualification.coverage:.0f}% known, scoring {qualification.score:.0f}/100 so far")
    if qualification.reasons:
        line.append("\n")
        line.append_text(safe(qualification.reasons[0], "dim"))
    return line


def quick_refusal(question: Question, value: str) -> str:
    """Why a quick key does not answer this question, in words; "" when it does."""
    if question.type == "yesno":
        return "" if not value.startswith("#") else "This is a yes/no question: press y or n."
    if question.type == "choice":
        count = len(question.answers)
        if not value.startswith("#"):
            return f"This question takes a choice: press 1-{count} ({', '.join(f'{i} {a.label}' for i, a in enumerate(question.answers, 1))})."
        if not 1 <= int(value[1:]) <= count:
            return f"This question has {count} choices: press 1-{count}."
        return ""
    kind = f"a number in {question.unit}" if question.type == "number" and question.unit else f"a {question.type}"
    return f"This question takes {kind}: press Enter to type the answer."


class QuestionList(OptionList):
    BINDINGS = [
        Binding("y", "quick('yes')", "Yes", tooltip="Answer yes to the highlighted question", id="checklist.yes"),
        Binding("n", "quick('no')", "No", tooltip="Answer no to the highlighted question", id="checklist.no"),
        *[Binding(str(i), f"pick({i})", f"Choice {i}", show=False, tooltip=f"Answer with choice {i}",
                  id=f"checklist.choice{i}") for i in range(1, 10)],
        Binding("delete", "clear", "Clear", tooltip="Clear the answer of the highlighted question", id="checklist.clear"),
    ]

    @dataclass
    class Quick(Message):
        question: str
        value: str

    @dataclass
    class Clear(Message):
        question: str

    def _question(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def action_quick(self, value: str) -> None:
        if (question := self._question()) is not None:
            self.post_message(self.Quick(question, value))

    def action_pick(self, number: int) -> None:
        if (question := self._question()) is not None:
            self.post_message(self.Quick(question, f"#{number}"))

    def action_clear(self) -> None:
        if (question := self._question()) is not None:
            self.post_message(self.Clear(question))


class Checklist(Vertical):
    @dataclass
    class AnswerRequested(Message):
        question: str

    @dataclass
    class QuickAnswer(Message):
        question: str
        value: str

    @dataclass
    class ClearAnswer(Message):
        question: str

    def __init__(self, playbook: Playbook, **kwargs) -> None:
        super().__init__(**kwargs)
        self.playbook = playbook
        self._shown: tuple = ()
        self._listed: list[str] = []  # question ids in the list, in order
        self._listed_stage: str | None = None
        self._asked: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        yield Static(id="score")
        yield QuestionList(id="questions")

    def show(self, stage: str | None, answers: dict[str, str | float], qualification: Qualification,
             asked: frozenset[str] = frozenset()) -> None:
        """`asked`: questions heard asked in a live transcript, shown as waiting for their answer."""
        self.query_one("#score", Static).update(score_line(qualification))
        self._asked = asked
        key = (stage, tuple(sorted((k, str(v)) for k, v in answers.items())), tuple(sorted(asked)))
        if key == self._shown:
            return
        self._shown = key
        here = [q for q in self.playbook.questions if q.stage == stage]
        current = self.playbook.stage_index(stage or "")
        # Still unknown elsewhere: every question of earlier stages, the weightiest of later ones;
        # a question answered while this stage is shown stays in its place.
        kept = set(self._listed) if self._listed_stage == stage else set()
        elsewhere = [
            q for q in self.playbook.questions
            if q.stage != stage and (q.id in kept or (q.id not in answers and (
                self.playbook.stage_index(q.stage) < current or q.weight >= LATER_STAGE_MIN_WEIGHT)))
        ]
        options = self.query_one("#questions", QuestionList)
        was = options.highlighted
        was_id = self._listed[was] if was is not None and was < len(self._listed) and self._listed_stage == stage else None
        options.clear_options()
        listed: list[str] = []
        for question in here:
            options.add_option(Option(self._prompt(question, answers, False), id=question.id))
            listed.append(question.id)
        if elsewhere:
            options.add_option(Option(Text("Still unknown from other stages", style="bold dim"), disabled=True))
            listed.append("")
            for question in elsewhere:
                options.add_option(Option(self._prompt(question, answers, True), id=question.id))
                listed.append(question.id)
        self._listed, self._listed_stage = listed, stage
        if not options.option_count:
            return
        if was_id in listed:
            options.highlighted = listed.index(was_id)
        else:
            options.highlighted = next((i for i, ident in enumerate(listed) if ident), None)

    def _prompt(self, question: Question, answers: dict[str, str | float], elsewhere: bool) -> Table:
        answered = question.id in answers
        title = safe(question.text, "dim" if elsewhere and not answered else "")
        if answered:
            value = answer_value(question, answers[question.id])
            style = "bold green" if value.verdict == "go" else "bold red" if value.verdict == "no_go" else "bold"
            hint = safe(f"→ {value.label}", style)
        elif question.type == "yesno":
            hint = Text("y / n", style="dim")
        elif question.type == "choice":
            hint = safe("  ".join(f"{i} {a.label}" for i, a in enumerate(question.answers, 1)), "dim")
        else:
            hint = safe(f"Enter to answer ({question.unit or question.type})", "dim")
        asked = not answered and question.id in self._asked
        if asked:
            hint = Text.assemble(Text(_("asked, answer: "), style="bold yellow"), hint)
        marker = Text("✓" if answered else "?" if asked else "·", style="green" if answered else "bold yellow" if asked else "dim")
        return hanging(marker, title, hint)

    def focus_list(self) -> None:
        self.screen.set_focus(self.query_one("#questions", QuestionList))  # now: the next key goes there

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.AnswerRequested(event.option.id))

    def on_question_list_quick(self, event: QuestionList.Quick) -> None:
        event.stop()
        question = self.playbook.question(event.question)
        if question is None:
            return
        value = event.value
        refusal = quick_refusal(question, value)
        if refusal:
            self.notify(refusal, severity="warning", markup=False)
            return
        if value.startswith("#"):
            value = question.answers[int(value[1:]) - 1].key
        self.post_message(self.QuickAnswer(event.question, value))

    def on_question_list_clear(self, event: QuestionList.Clear) -> None:
        event.stop()
        self.post_message(self.ClearAnswer(event.question))
