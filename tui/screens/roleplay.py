"""Role-play: a chat with the customer the app plays, hints on demand, and the scorecard at the end.

The input always has focus (it is a conversation), so the moves are ctrl keys or commands
typed in the box: /next (next stage), /hint, /end. Under each of the trainee's lines, one dim
line says what the app heard. The scorecard opens over the chat: Escape goes back to it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Markdown, Static

from playbook.i18n import N_, _
from playbook.training.messages import DIFFICULTY_WORDS, word
from playbook.training.roleplay import RolePlay, Turn, scorecard_markdown
from playbook.store import StoreError
from playbook.textsafety import printable

from ..widgets.footer import Footer
from ..widgets.stage_bar import StageBar

STYLES = {"customer": ("bold cyan", "◀ "), "trainee": ("bold", "▶ "), "coach": ("italic yellow", "  ")}
HEARD_STYLE = "dim italic"


class RolePlayScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+n", "next_stage", N_("Next stage (/next)"), id="roleplay.next_stage"),
        Binding("ctrl+g", "hint", N_("Hint, costs points (/hint)"), id="roleplay.hint"),
        # Priority: the input would otherwise take ctrl+e as "end of line" (the End key still does that).
        Binding("ctrl+e", "end", N_("End and score (/end)"), priority=True, id="roleplay.end"),
    ]

    def __init__(self, play: RolePlay) -> None:
        super().__init__()
        self.play = play

    def compose(self) -> ComposeResult:
        yield Header()
        yield StageBar(self.play.playbook.stages, id="stages")
        yield VerticalScroll(id="chat")
        yield Input(placeholder=_("Your words to the customer… (questions, answers, closing)"), id="line", max_length=500)
        yield Footer()

    def on_mount(self) -> None:
        persona = self.play.scenario.persona
        self.app.title = printable(_("Role-play: {title}").format(title=self.play.scenario.title), one_line=True)
        self.app.sub_title = printable(f"{persona.name}, {persona.role}, {persona.company} ({word(DIFFICULTY_WORDS, self.play.scenario.difficulty)})",
                                   one_line=True)
        if self.play.scenario.brief:
            self._add(Turn("coach", _("Brief: {brief}").format(brief=self.play.scenario.brief), "talk"))
        for turn in self.play.transcript:
            self._add(turn)
        self.query_one(StageBar).current = self.play.stage
        self.query_one("#line", Input).focus()

    def _add(self, turn: Turn) -> None:
        style, arrow = STYLES[turn.speaker]
        name = self.play.scenario.persona.name if turn.speaker == "customer" else _("You") if turn.speaker == "trainee" else _("Coach")
        # Who speaks in its own column, so wrapped lines hang under the words, not the name.
        line = Table.grid(padding=(0, 1))
        line.add_column(no_wrap=True)
        line.add_column(ratio=1)
        # What was said is data: shown as typed, never read as markup, control characters made visible.
        if turn.kind == "heard":  # under the trainee's words, aligned with them
            line.add_row(Text(" " * len(STYLES["trainee"][1] + _("You") + ":")), Text(printable(turn.text), style=HEARD_STYLE))
        else:
            said = Text(printable(turn.text), style="italic" if turn.speaker == "coach" else "")
            line.add_row(Text(printable(arrow + name + ":", one_line=True), style=style), said)
        chat = self.query_one("#chat", VerticalScroll)
        chat.mount(Static(line, classes=f"turn {turn.speaker} {turn.kind}"))
        chat.scroll_end(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once the role-play is over, only the scorecard and quitting are left (the footer says so)."""
        if action in ("next_stage", "hint") and self.play.finished:
            return False
        return True

    def _run(self, move) -> None:
        if self.play.finished:
            return
        try:
            turns = move()
        except StoreError as error:
            self.notify(printable(_("NOT SAVED: {error}").format(error=error), one_line=True), severity="error", timeout=10, markup=False)
            return
        for turn in turns if isinstance(turns, list) else [turns]:
            self._add(turn)
        self.query_one(StageBar).current = self.play.stage
        if self.play.finished:
            self.action_end()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        commands = {"/next": self.action_next_stage, "/hint": self.action_hint, "/end": self.action_end}
        if text.lower() in commands:
            commands[text.lower()]()
        elif text:
            self._run(lambda: self.play.say(text))

    def action_next_stage(self) -> None:
        self._run(self.play.next_stage)

    def action_hint(self) -> None:
        self._run(self.play.hint)

    def action_end(self) -> None:
        try:
            card = self.play.end()
        except StoreError as error:
            self.notify(printable(_("NOT SAVED: {error}").format(error=error), one_line=True), severity="error", timeout=10, markup=False)
            return
        line = self.query_one("#line", Input)
        line.disabled = True
        line.placeholder = _("The role-play is over. ctrl+e shows the scorecard again; ctrl+q quits.")
        self.refresh_bindings()
        self.app.push_screen(ScorecardScreen(printable(scorecard_markdown(card, self.play.transcript, self.play.playbook))))


class ScorecardScreen(Screen[None]):
    """The scorecard, over the chat: Escape goes back to the transcript, q quits."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back to the transcript"), id="scorecard.back"),
        Binding("q", "app.quit", N_("Quit"), id="scorecard.quit"),
    ]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-box"):
            yield Markdown(self.markdown, id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-box").focus()
