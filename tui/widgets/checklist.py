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

from playbook.i18n import N_, _
from playbook.model import Playbook, Question
from playbook.meeting.qualification import Qualification, answer_value

from .layout import hanging
from .text import safe

VERDICT_STYLE = {"go": (N_("GO"), "bold green"), "no_go": (N_("NO-GO"), "bold red"), "not_yet": (N_("NOT YET"), "bold yellow")}
LATER_STAGE_MIN_WEIGHT = 10
# One msgid per digit key: a description is translated where it is shown, without its number filled in later.
CHOICE_WORDS = (
    (N_("Choice 1"), N_("Answer with choice 1")), (N_("Choice 2"), N_("Answer with choice 2")),
    (N_("Choice 3"), N_("Answer with choice 3")), (N_("Choice 4"), N_("Answer with choice 4")),
    (N_("Choice 5"), N_("Answer with choice 5")), (N_("Choice 6"), N_("Answer with choice 6")),
    (N_("Choice 7"), N_("Answer with choice 7")), (N_("Choice 8"), N_("Answer with choice 8")),
    (N_("Choice 9"), N_("Answer with choice 9")),
)


def score_line(qualification: Qualification) -> Text:
    """The verdict, then how much is known and what that much is worth, as one statement."""
    verdict, style = VERDICT_STYLE[qualification.verdict]
    line = Text()
    line.append(_(verdict), style=style)
    if qualification.score is None:
        line.append(" · " + _("nothing known yet"))
    else:
        line.append(" · " + _("{coverage:.0f}% known, scoring {score:.0f}/100 so far").format(coverage=qualification.coverage,
                                                                                          score=qualification.score))
    if qualification.reasons:
        line.append("\n")
        line.append_text(safe(qualification.reasons[0], "dim"))
    return line


def quick_refusal(question: Question, value: str) -> str:
    """Why a quick key does not answer this question, in words; "" when it does."""
    if question.type == "yesno":
        return "" if not value.startswith("#") else _("This is a yes/no question: press y or n.")
    if question.type == "choice":
        count = len(question.answers)
        if not value.startswith("#"):
            choices = ", ".join(f"{i} {a.label}" for i, a in enumerate(question.answers, 1))
            return _("This question takes a choice: press 1-{count} ({choices}).").format(count=count, choices=choices)
        if not 1 <= int(value[1:]) <= count:
            return _("This question has {count} choices: press 1-{count}.").format(count=count)
        return ""
    if question.type == "number":
        kind = _("a number in {unit}").format(unit=question.unit) if question.unit else _("a number")
    else:
        kind = _("a text")
    return _("This question takes {kind}: press Enter to type the answer.").format(kind=kind)


class QuestionList(OptionList):
    BINDINGS = [
        # Enter opens the answer at once (priority, on the screen: it owns the dialogs), before the
        # keys sent with it are handed out: they go into the answer, not to the hotkeys.
        Binding("enter", "screen.answer_highlighted", show=False, priority=True, id="checklist.answer"),
        Binding("y", "quick('yes')", N_("Yes"), tooltip=N_("Answer yes to the highlighted question"), id="checklist.yes"),
        Binding("n", "quick('no')", N_("No"), tooltip=N_("Answer no to the highlighted question"), id="checklist.no"),
        *[Binding(str(i), f"pick({i})", CHOICE_WORDS[i - 1][0], show=False, tooltip=CHOICE_WORDS[i - 1][1],
                  id=f"checklist.choice{i}") for i in range(1, 10)],
        Binding("delete", "clear", N_("Clear"), tooltip=N_("Clear the answer of the highlighted question"), id="checklist.clear"),
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
            options.add_option(Option(Text(_("Still unknown from other stages"), style="bold dim"), disabled=True))
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
            hint = Text(_("y / n"), style="dim")  # the keys are y and n in every language; French says y = oui
        elif question.type == "choice":
            hint = safe("  ".join(f"{i} {a.label}" for i, a in enumerate(question.answers, 1)), "dim")
        else:
            hint = safe(_("Enter to answer ({kind})").format(kind=question.unit or (_("number") if question.type == "number" else _("text"))), "dim")
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
