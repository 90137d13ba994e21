"""The qualification checklist of the current stage, with the score and Go / No-Go always visible.

Keys on the highlighted question: y / n answer a yes/no question, 1-9 pick a choice, Enter
opens the answer dialog (numbers and text), Delete clears an answer.
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

from playbook.model import Playbook, Question
from playbook.meeting.qualification import Qualification, answer_value

from .layout import hanging

VERDICT_STYLE = {"go": ("GO", "bold green"), "no_go": ("NO-GO", "bold red"), "not_yet": ("NOT YET", "bold yellow")}


class QuestionList(OptionList):
    BINDINGS = [
        Binding("y", "quick('yes')", "Yes", show=False, id="checklist.yes"),
        Binding("n", "quick('no')", "No", show=False, id="checklist.no"),
        *[Binding(str(i), f"pick({i})", f"Choice {i}", show=False, id=f"checklist.choice{i}") for i in range(1, 10)],
        Binding("delete", "clear", "Clear answer", show=False, id="checklist.clear"),
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

    def compose(self) -> ComposeResult:
        yield Static(id="score")
        yield QuestionList(id="questions")

    def show(self, stage: str | None, answers: dict[str, str | float], qualification: Qualification) -> None:
        score = self.query_one("#score", Static)
        verdict, style = VERDICT_STYLE[qualification.verdict]
        line = Text()
        line.append("Score ", style="bold")
        line.append(f"{qualification.score:.0f}" if qualification.score is not None else "–", style="bold")
        line.append(f"/100 · {qualification.coverage:.0f}% known · ")
        line.append(verdict, style=style)
        if qualification.reasons:
            line.append(f"\n{qualification.reasons[0]}", style="dim")
        score.update(line)
        questions = [q for q in self.playbook.questions if q.stage == stage]
        others = [q for q in self.playbook.questions if q.stage != stage and q.weight >= 10 and q.id not in answers]
        key = (stage, tuple(sorted((k, str(v)) for k, v in answers.items())))
        if key == self._shown:
            return
        self._shown = key
        options = self.query_one("#questions", QuestionList)
        highlighted = options.highlighted
        options.clear_options()
        for question in [*questions, *others]:
            options.add_option(Option(self._prompt(question, answers, question.stage != stage), id=question.id))
        if options.option_count:
            options.highlighted = min(highlighted or 0, options.option_count - 1)

    def _prompt(self, question: Question, answers: dict[str, str | float], elsewhere: bool) -> Table:
        answered = question.id in answers
        title = Text(question.text, style="dim" if elsewhere else "")
        if answered:
            value = answer_value(question, answers[question.id])
            style = "bold green" if value.verdict == "go" else "bold red" if value.verdict == "no_go" else "bold"
            hint = Text(f"→ {value.label}", style=style)
        elif question.type == "yesno":
            hint = Text("y / n", style="dim")
        elif question.type == "choice":
            hint = Text("  ".join(f"{i} {a.label}" for i, a in enumerate(question.answers, 1)), style="dim")
        else:
            hint = Text(f"Enter to answer ({question.unit or question.type})", style="dim")
        marker = Text("✓" if answered else "·", style="green" if answered else "dim")
        return hanging(marker, title, hint)

    def focus_list(self) -> None:
        self.query_one("#questions", QuestionList).focus()

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
        if value.startswith("#"):
            if question.type != "choice":
                return
            index = int(value[1:]) - 1
            if not 0 <= index < len(question.answers):
                return
            value = question.answers[index].key
        elif question.type != "yesno":
            return
        self.post_message(self.QuickAnswer(event.question, value))

    def on_question_list_clear(self, event: QuestionList.Clear) -> None:
        event.stop()
        self.post_message(self.ClearAnswer(event.question))
