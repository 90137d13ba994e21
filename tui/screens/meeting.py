"""The meeting screen: everything the rep needs during the meeting, one key away.

The screen holds the MeetingSession. Widgets report the rep's intents as messages; the
screen calls the session, then re-renders every panel from the new state. Nothing here
decides anything about selling: that is the engine's job.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList
from textual.widgets.option_list import Option

from playbook.meeting import MeetingSession, SessionError
from playbook.store import StoreError

from ..widgets.checklist import Checklist
from ..widgets.guidance_panel import GuidancePanel
from ..widgets.objection_panel import ObjectionPanel, ResponseList
from ..widgets.plan_panel import ClosingList, PlanView
from ..widgets.stage_bar import StageBar
from .dialogs import ActionDialog, AnswerDialog, CloseDialog, Dialog, InfoDialog, SignalDialog, TextDialog, why_text


class CategoryDialog(Dialog):
    """When the matcher recognises nothing: which objection is it?"""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        from textual.widgets import Label

        with Vertical(classes="dialog"):
            yield Label("Which objection is it?", classes="title")
            yield OptionList(*[Option(title, id=ident) for ident, title in self.choices], id="categories")

    def on_mount(self) -> None:
        self.query_one("#categories", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class MeetingScreen(Screen[None]):
    BINDINGS = [
        Binding("o", "focus_says", "Customer says", id="meeting.says"),
        Binding("k", "focus_checklist", "Questions", id="meeting.questions"),
        Binding("g", "focus_guidance", "Guidance", id="meeting.guidance"),
        Binding("c", "focus_closing", "Close", id="meeting.closing"),
        Binding("right_square_bracket", "stage(1)", "Next stage", key_display="]", id="meeting.next_stage"),
        Binding("left_square_bracket", "stage(-1)", "Prev stage", key_display="[", show=False, id="meeting.previous_stage"),
        Binding("s", "signals", "Signals", id="meeting.signals"),
        Binding("a", "add_action", "Action", id="meeting.action"),
        Binding("m", "add_note", "Note (memo)", show=False, id="meeting.note"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="meeting.undo"),
        Binding("e", "summary", "End/summary", id="meeting.summary"),
        Binding("escape", "leave_input", "Leave box", show=False, id="meeting.leave_input"),
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self.playbook = session.playbook

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield StageBar(self.playbook.stages, id="stages")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ObjectionPanel(self.playbook, id="objection")
                yield Checklist(self.playbook, id="checklist")
            with Vertical(id="right"):
                yield GuidancePanel(id="guidance")
                yield ClosingList(id="closing")
                with VerticalScroll(id="plan-box"):
                    yield PlanView(id="plan")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#objection").border_title = "Customer says  (o)"
        self.query_one("#checklist").border_title = "Qualification  (k)"
        self.query_one("#guidance").border_title = "Guidance  (g, w: why?)"
        self.query_one("#closing").border_title = "Closing  (c)"
        self.query_one("#plan-box").border_title = "Action plan and notes  (a, m)"
        self.refresh_all()
        self.query_one(Checklist).focus_list()  # a meeting opens with questions; `o` jumps to the box

    def use_playbook(self, playbook) -> None:
        """A new version of the playbook was loaded: every panel shows it from now on."""
        self.session.replace_playbook(playbook)
        self.playbook = playbook
        for widget in (self.query_one(ObjectionPanel), self.query_one(Checklist)):
            widget.playbook = playbook
        self.query_one(Checklist)._shown = ()
        self.query_one(ObjectionPanel)._shown = []
        self.query_one(StageBar).stages = playbook.stages
        self.query_one(StageBar).refresh()
        self.refresh_all()

    # -- rendering --------------------------------------------------------------------------

    def refresh_all(self) -> None:
        """Re-render every panel from the session's state."""
        session, state = self.session, self.session.state
        qualification = session.qualification()
        stage = self.playbook.stage(state.stage) if state.stage else None
        bar = self.query_one(StageBar)
        bar.current = state.stage
        suggested = session.suggested_stage()
        self.app.title = f"{state.prospect}" + (f" · {state.company}" if state.company else "")
        hint = ""
        if suggested:
            next_stage = self.playbook.stage(suggested)
            hint = f"  ·  all asked: move on to {next_stage.title if next_stage else suggested} with ]"
        self.app.sub_title = (stage.title if stage else "") + hint + ("  ·  ENDED" if state.ended else "")
        self.query_one(Checklist).show(state.stage, state.answers, qualification)
        guidance = session.guidance()
        self.query_one(GuidancePanel).show(guidance)
        warnings = [g.text for g in guidance if g.kind == "warn"] if stage and stage.kind in ("objections", "closing") else []
        self.query_one(ClosingList).show(session.closing_advice(), self.playbook.closings, warnings)
        self.query_one(PlanView).show(state.actions, state.notes)
        says = self.query_one("#says", Input)
        if not says.value.strip():
            self._show_current_objection()

    def _show_current_objection(self) -> None:
        open_objections = self.session.state.open_objections()
        latest = open_objections[-1] if open_objections else (self.session.state.objections[-1] if self.session.state.objections else None)
        panel = self.query_one(ObjectionPanel)
        panel.show_current(latest, self.session.responses(latest.number) if latest else [])

    def _do(self, intent: Callable[..., Any], *args: Any, done: str = "") -> Any:
        """Run one intent on the session; report refusals and failed saves; re-render."""
        try:
            result = intent(*args)
        except SessionError as error:
            self.notify(str(error), severity="warning")
            return None
        except StoreError as error:
            self.notify(f"NOT SAVED: {error}", severity="error", timeout=10)
            return None
        if done:
            self.notify(done, timeout=2)
        self.refresh_all()
        return result

    # -- customer says ----------------------------------------------------------------------

    @on(ObjectionPanel.Typed)
    def live_match(self, event: ObjectionPanel.Typed) -> None:
        if event.text.strip():
            self.query_one(ObjectionPanel).show_live(self.session.recognise(event.text))
        else:
            self._show_current_objection()

    @on(ObjectionPanel.Submitted)
    def record_objection(self, event: ObjectionPanel.Submitted) -> None:
        if self.session.recognise(event.text, top=1):
            self._recorded(self._do(self.session.raise_objection, event.text))
            return
        choices = [(o.id, o.title) for o in self.playbook.objections]

        def chosen(category: str | None) -> None:
            if category:
                self._recorded(self._do(self.session.raise_objection, event.text, category))

        self.app.push_screen(CategoryDialog(choices), chosen)

    def _recorded(self, raised) -> None:
        if raised is None:
            return
        says = self.query_one("#says", Input)
        says.value = ""
        self._show_current_objection()
        self.query_one(ResponseList).focus()

    @on(ObjectionPanel.ResponseChosen)
    def response_used(self, event: ObjectionPanel.ResponseChosen) -> None:
        self._do(self.session.use_response, event.number, event.response, done="Response noted")

    @on(ObjectionPanel.OutcomeChosen)
    def objection_settled(self, event: ObjectionPanel.OutcomeChosen) -> None:
        self._do(self.session.settle_objection, event.number, event.outcome, done=f"Objection {event.outcome}")

    # -- questions --------------------------------------------------------------------------

    @on(Checklist.QuickAnswer)
    def quick_answer(self, event: Checklist.QuickAnswer) -> None:
        self._do(self.session.answer, event.question, event.value)

    @on(Checklist.ClearAnswer)
    def clear_answer(self, event: Checklist.ClearAnswer) -> None:
        self._do(self.session.clear_answer, event.question)

    @on(Checklist.AnswerRequested)
    def answer_requested(self, event: Checklist.AnswerRequested) -> None:
        self.ask(event.question)

    def ask(self, question_id: str) -> None:
        question = self.playbook.question(question_id)
        if question is None:
            return

        def answered(value: str | None) -> None:
            if value is not None:
                self._do(self.session.answer, question_id, value)

        self.app.push_screen(AnswerDialog(question, self.session.state.answers.get(question_id)), answered)

    # -- guidance and closing ---------------------------------------------------------------

    @on(GuidancePanel.WhyRequested)
    def why(self, event: GuidancePanel.WhyRequested) -> None:
        self.app.push_screen(InfoDialog("Why am I seeing this?", why_text(event.item)))

    @on(GuidancePanel.Chosen)
    def act_on_guidance(self, event: GuidancePanel.Chosen) -> None:
        item = event.item
        if item.question:
            self.ask(item.question)
        elif item.closing:
            self.attempt(item.closing)
        elif item.kind == "respond":
            self.query_one(ResponseList).focus()
        elif item.kind == "next_step":
            self.action_add_action()
        else:
            self.app.push_screen(InfoDialog("Why am I seeing this?", why_text(item)))

    @on(ClosingList.Attempt)
    def closing_attempt(self, event: ClosingList.Attempt) -> None:
        self.attempt(event.closing)

    def attempt(self, closing_id: str) -> None:
        closing = self.playbook.closing(closing_id)
        if closing is None:
            return

        def result(agreed: bool | None) -> None:
            if agreed is not None:
                self._do(self.session.attempt_close, closing_id, agreed, done="Deal agreed!" if agreed else "Noted: not yet")

        self.app.push_screen(CloseDialog(closing), result)

    # -- actions ----------------------------------------------------------------------------

    def action_focus_says(self) -> None:
        self.query_one(ObjectionPanel).focus_input()

    def action_focus_checklist(self) -> None:
        self.query_one(Checklist).focus_list()

    def action_focus_guidance(self) -> None:
        self.query_one(GuidancePanel).focus()

    def action_focus_closing(self) -> None:
        self.query_one(ClosingList).focus()

    def action_leave_input(self) -> None:
        says = self.query_one("#says", Input)
        if says.has_focus:
            says.value = ""
            self._show_current_objection()
            self.query_one(GuidancePanel).focus()

    def action_stage(self, step: int) -> None:
        self._do(self.session.move_stage, step)

    def action_signals(self) -> None:
        def observed(signals: frozenset[str] | None) -> None:
            if signals is None:
                return
            for signal in self.playbook.signals:
                if (signal.id in signals) != (signal.id in self.session.state.signals):
                    self._do(self.session.observe_signal, signal.id, signal.id in signals)

        self.app.push_screen(SignalDialog(self.playbook.signals, self.session.state.signals), observed)

    def action_add_action(self) -> None:
        def added(result: tuple[str, str, str] | None) -> None:
            if result:
                self._do(self.session.add_action, *result, done="Action added")

        self.app.push_screen(ActionDialog(), added)

    def action_add_note(self) -> None:
        def added(text: str | None) -> None:
            if text:
                self._do(self.session.note, text, done="Note saved")

        self.app.push_screen(TextDialog("Note", "anything worth remembering"), added)

    def action_undo(self) -> None:
        undone = self._do(self.session.undo)
        if undone is not None:
            self.notify(f"Undone: {undone.type.replace('_', ' ')}", timeout=2)

    def action_summary(self) -> None:
        from .summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.session, getattr(self.app, "export_dir", None)))
