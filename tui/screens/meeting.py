"""The meeting screen: everything the rep needs during the meeting, one key away.

The screen holds the MeetingSession. Widgets report the rep's intents as messages; the
screen calls the session, then re-renders every panel from the new state. Nothing here
decides anything about selling: that is the engine's job.

Nothing typed is lost: the "customer says" box and the note, answer and action dialogs keep
their text as drafts in the store (saved a moment after the rep stops typing, on Escape and on
quitting), and a resumed meeting brings them back. The matcher is built in a worker when the
screen opens (and by the reload worker after a playbook change), so no keystroke waits for it;
the live match of what is being typed runs in a worker too, so no keystroke waits for a
recognition either.
Some keys act on the rep's intent directly (priority bindings, actions on this screen) rather
than through a message: the keys typed right after them must find the box or dialog they open.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from playbook.i18n import N_, _
from playbook.matching.fused import recognisers_for
from playbook.matching.matcher import Matcher
from playbook.meeting import MeetingSession, SessionError
from playbook.meeting.guidance import Guidance
from playbook.meeting.session import OUTCOME_LABELS
from playbook.model import Playbook
from playbook.store import StoreError
from playbook.transcript.follower import Follower, Notice, Position
from playbook.transcript.lines import Line
from playbook.transcript.live import POLL_SECONDS, Following, Heard, Listener, LiveTranscript, on_screen, resume_position

from ..widgets.checklist import Checklist, QuestionList
from ..widgets.footer import Footer
from ..widgets.guidance_panel import GuidancePanel
from ..widgets.objection_panel import STATE_WORDS, ObjectionList, ObjectionPanel, ResponseList, SaysInput
from ..widgets.plan_panel import ClosingList, PlanList
from ..widgets.stage_bar import StageBar
from ..widgets.stage_tips import StageTips
from ..widgets.text import plain, safe
from ..widgets.transcript_pane import CardStrip, TranscriptPane
from .dialogs import (
    DRAFT_SAVE_SECONDS,
    ActionDialog,
    AnswerDialog,
    CategoryDialog,
    CloseDialog,
    InfoDialog,
    NoteDialog,
    SignalDialog,
    category_dialog,
    outcome_dialog,
    situation_dialog,
    why_text,
)

TIPS_OPEN_MIN_HEIGHT = 32  # shorter terminals start with the stage tips folded
UNDONE_WORDS = {  # what ctrl+z took back, by event type
    "prospect_updated": N_("prospect updated"), "note_added": N_("note added"), "stage_changed": N_("stage changed"),
    "question_answered": N_("question answered"), "answer_cleared": N_("answer cleared"),
    "objection_raised": N_("objection raised"), "objection_classified": N_("objection classified"),
    "response_used": N_("response used"), "objection_settled": N_("objection settled"),
    "signal_observed": N_("signal observed"), "closing_attempted": N_("closing attempted"),
    "action_added": N_("action added"), "action_removed": N_("action removed"), "action_done": N_("action done"),
    "outcome_recorded": N_("outcome recorded"), "meeting_ended": N_("meeting ended"),
    "objective_set": N_("objective set"), "objective_met": N_("objective checked"),
    "speaker_marked": N_("speaker marked"), "question_asked": N_("question marked asked"),
    "card_dismissed": N_("card dismissed"),
}
TRANSCRIPT_LINES = 6  # lines of the transcript pane on a tall terminal (3 on a short one)

__all__ = ["CategoryDialog", "MeetingScreen"]


class MeetingScreen(Screen[None]):
    # A meeting opens on its questions, from the first frame: focusing them later (after the box,
    # Textual's first focusable widget, had the keyboard for a moment) let keys typed at once land
    # in the wrong place.
    AUTO_FOCUS = "#questions"
    # The keys that open a text box, a dialog or another panel act the moment they arrive
    # (priority), before the keys sent with them are handed out: `o` then the customer's words in
    # one burst (tmux send-keys, a macro, a fast typist while the app is busy) went to the questions
    # list, which still had the keyboard, and from there to the hotkeys, instead of into the box.
    # The same for Enter on a question, a guidance item, a closing or an action (see their lists).
    # A letter typed in a box is the box's all the same (BurstTyping hands it over first).
    BINDINGS = [
        Binding("o", "focus_says", N_("Customer says"), priority=True, id="meeting.says"),
        Binding("j", "focus_objections", N_("Objections"), tooltip=N_("Objections of the meeting: pick, answer, settle, reopen"),
                priority=True, id="meeting.objections"),
        Binding("k", "focus_checklist", N_("Questions"), priority=True, id="meeting.questions"),
        Binding("g", "focus_guidance", N_("Guidance"), priority=True, id="meeting.guidance"),
        Binding("c", "focus_closing", N_("Close"), tooltip=N_("Closing methods that fit now"), priority=True, id="meeting.closing"),
        Binding("l", "focus_plan", N_("Plan"), tooltip=N_("Action plan: edit, tick done, delete actions"), priority=True, id="meeting.plan"),
        Binding("right_square_bracket", "stage(1)", N_("Next stage"), key_display="]", id="meeting.next_stage"),
        Binding("left_square_bracket", "stage(-1)", N_("Prev stage"), key_display="[", show=False, id="meeting.previous_stage"),
        Binding("s", "signals", N_("Signals"), tooltip=N_("Buying signals observed"), priority=True, id="meeting.signals"),
        Binding("a", "add_action", N_("Action"), tooltip=N_("Add an action: who does what by when"), priority=True, id="meeting.action"),
        Binding("m", "add_note", N_("Note"), show=False, tooltip=N_("Add a note (memo)"), priority=True, id="meeting.note"),
        Binding("d", "outcome", N_("Outcome"), tooltip=N_("Outcome of the meeting: won, lost, next meeting, no decision"),
                priority=True, id="meeting.outcome"),
        Binding("h", "toggle_tips", N_("Tips"), show=False, tooltip=N_("Show or fold the stage's goals and tips"), id="meeting.tips"),
        Binding("ctrl+z", "undo", N_("Undo"), show=False, tooltip=N_("Undo the last thing recorded"), id="meeting.undo"),
        Binding("e", "summary", N_("End/summary"), tooltip=N_("Summary, outcome, export"), priority=True, id="meeting.summary"),
        Binding("v", "accept_card", N_("Accept card"), tooltip=N_("The card is right: record the objection"), id="meeting.card_accept"),
        Binding("z", "dismiss_card", N_("Dismiss card"), tooltip=N_("The card is wrong: not an objection"), id="meeting.card_dismiss"),
        Binding("b", "customer_speaker", N_("Customer speaks"), show=False,
                tooltip=N_("The card's speaker (else the latest line's) is the customer; again: the rep"),
                id="meeting.customer_speaker"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (78, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def __init__(self, session: MeetingSession, clock: Callable[[], float] | None = None,
                 following: Following | None = None) -> None:
        super().__init__()
        self.following = following
        self.live = LiveTranscript(session, following.early) if following else None
        self._unsaved: list[Heard] = []  # transcript lines read but not saved yet (a store error): tried again
        self.session = session
        self.playbook = session.playbook
        self.clock = clock or session.clock
        self._draft_timer: Timer | None = None
        self._waiting: list[str] = []  # lines entered before recognition was ready: recorded once it is
        self._live_text: str | None = None  # the box's text whose matches the panel is to show
        self._recognising = False  # a worker is recognising the box's text (one at a time)
        self._selected: int | None = None  # the objection being worked on; None: the latest open one

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        state = self.session.state
        yield Header()
        yield StageBar(self.playbook.stages, state.started_at, state.planned_minutes, self.clock, id="stages")
        yield Static(id="notice")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                if self.live is not None:
                    yield CardStrip(id="card")
                yield ObjectionPanel(self.playbook, self.worded, id="objection")
                yield Checklist(self.playbook, id="checklist")
            with Vertical(id="right"):
                if self.live is not None:
                    yield TranscriptPane(id="transcript")
                yield StageTips(collapsed=self.app.size.height < TIPS_OPEN_MIN_HEIGHT, id="tips")
                yield GuidancePanel(id="guidance")
                yield ClosingList(self.worded, id="closing")
                yield PlanList(id="plan")
        yield Footer()

    def worded(self, text: str) -> str:
        """A playbook text as the rep reads it now: placeholders filled from the meeting, or blanks."""
        return self.session.wording(text).text

    def on_mount(self) -> None:
        self.query_one("#objection").border_title = _("Customer says  (o, j)")
        self.query_one("#checklist").border_title = _("Qualification  (k)")
        self.query_one("#guidance").border_title = _("Guidance  (g, w: why?)")
        self.query_one("#closing").border_title = _("Closing  (c)")
        self.query_one("#plan").border_title = _("Action plan and notes  (l, a, m)")
        self.query_one("#notice").display = False
        if self.live is not None:
            self.query_one("#transcript").border_title = _("Transcript  (b: customer speaks)")
            self.query_one(CardStrip).show(None, self.playbook)
            self._show_transcript()
        # Kept, not queried, for the draft saved on unmount: the screen's children are gone by then.
        self._says = self.query_one(SaysInput)
        draft = self.session.draft("says")
        if draft:
            self._says.set_text(draft)
        self.refresh_all()
        if not self.session.matcher_ready:
            self.build_matcher(self.playbook)
        if self.following is not None:
            self.run_worker(self.follow_transcript, thread=True, exclusive=True, group="transcript")

    def build_matcher(self, playbook: Playbook) -> None:
        """Build the matcher off the UI thread; the first keystroke then costs only the match. The
        lexical one is handed over first, the one fused with the semantic channel (seconds more)
        when it is ready."""

        def work() -> None:
            for matcher in recognisers_for(playbook):
                self.app.call_from_thread(self._matcher_built, playbook, matcher)

        self.run_worker(work, thread=True, exclusive=True, group="matcher")

    def _matcher_built(self, playbook: Playbook, matcher: Matcher) -> None:
        self.session.use_matcher(matcher, playbook)
        if not self.session.matcher_ready:
            return
        waiting, self._waiting = self._waiting, []
        for text in waiting:
            self._submit(text, taken=True)
        if waiting:
            self.flush_drafts()
            self.refresh_all()  # the last line recorded is the one shown, unless the rep is typing
        if self._says.value.strip():
            self.live_match(ObjectionPanel.Typed(self._says.value))

    def use_playbook(self, playbook: Playbook, matcher: Matcher | None = None) -> None:
        """A new version of the playbook was loaded: every panel shows it from now on."""
        self.session.replace_playbook(playbook, matcher)
        playbook = self.session.playbook  # as this kind of meeting runs it
        self.playbook = playbook
        for widget in (self.query_one(ObjectionPanel), self.query_one(Checklist)):
            widget.playbook = playbook
        self.query_one(Checklist)._shown = ()
        self.query_one(ObjectionPanel)._shown = []
        self.query_one(ObjectionPanel)._listed = []
        self.query_one(StageBar).stages = playbook.stages
        self.query_one(StageBar).refresh()
        self.show_notice("")
        self.refresh_all()
        if matcher is None:
            self.build_matcher(playbook)

    def show_notice(self, text: str) -> None:
        """A one-line notice above the panels (a playbook reload problem); never takes the focus."""
        notice = self.query_one("#notice", Static)
        notice.update(safe(text, one_line=True))
        notice.display = bool(text)

    # -- the live transcript ------------------------------------------------------------------

    def follow_transcript(self) -> None:
        """Off the UI thread: read what the transcript file gained every POLL_SECONDS, recognise
        it, and hand it to the screen. The file is only ever read."""
        assert self.following is not None
        worker = get_current_worker()
        follower = Follower(self.following.path, self.following.replay, resume_position(self.session, self.following.path))
        listener: Listener | None = None
        try:
            while not worker.is_cancelled:
                if self.session.matcher_ready:
                    matcher, playbook = self.session.matcher, self.session.playbook
                    if listener is None or listener.matcher is not matcher:
                        listener = Listener(playbook, matcher)
                    updates = follower.poll()
                    if updates:
                        heard = [listener.hear(u) if isinstance(u, Line) else u for u in updates]
                        try:
                            self.app.call_from_thread(self.transcript_heard, heard, follower.position)
                        except RuntimeError:  # the app is closing: what was not saved is read again on resume
                            return
                time.sleep(POLL_SECONDS)
        finally:
            follower.close()

    def transcript_heard(self, updates: list[Heard | Notice], position: Position) -> None:
        """New transcript lines: saved first (with where following stopped), then shown and acted on."""
        assert self.live is not None
        for notice in (u for u in updates if isinstance(u, Notice)):
            self.notify(plain(notice.text), severity="information" if notice.severity == "information" else "warning",
                        timeout=6, markup=False)
        heard = self._unsaved + [u for u in updates if isinstance(u, Heard)]
        shown = on_screen(self.session, self._current_number()) if any(h.matches for h in heard) else ()
        try:
            taken = self.live.take(heard, position, shown)
        except StoreError as error:
            self._unsaved = heard
            self.notify(_("Transcript NOT SAVED: {error}").format(error=error), severity="error", timeout=10, markup=False)
            return
        except SessionError as error:
            self.notify(str(error), severity="warning", markup=False)
            taken = None
        self._unsaved = []
        self._show_transcript()
        if taken is not None and taken.asked:
            for question_id in taken.asked:
                question = self.playbook.question(question_id)
                self.notify(_("Heard asked: {question}").format(question=plain(question.text if question else question_id)),
                            timeout=4, markup=False)
            self.refresh_all()

    def _current_number(self) -> int | None:
        current = self._current()
        return current.number if current else None

    def _show_transcript(self) -> None:
        if self.live is None:
            return
        count = TRANSCRIPT_LINES if self.app.size.height >= TIPS_OPEN_MIN_HEIGHT else TRANSCRIPT_LINES // 2
        waiting = _("Following {path}: nothing said yet.").format(path=plain(self.following.path)) if self.following else ""
        self.query_one(TranscriptPane).show(self.live.recent(count), waiting)
        self.query_one(CardStrip).show(self.live.card, self.playbook)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_highlighted":  # Enter on the questions list (else Enter is not taken)
            return self._highlighted_question() is not None
        if action == "act_on_guidance":  # Enter on the guidance
            return isinstance(self.focused, GuidancePanel) and self.focused.current() is not None
        if action == "attempt_highlighted":  # Enter on the closings
            return isinstance(self.focused, ClosingList) and self.focused.highlighted_closing() is not None
        if action == "edit_highlighted":  # Enter on the plan
            return isinstance(self.focused, PlanList) and self.focused.highlighted_number() is not None
        if action == "situation":  # i on the objections or the responses
            return self.query_one(ObjectionPanel).current is not None
        if action == "why":  # w on the guidance
            return self.query_one(GuidancePanel).current() is not None
        if action in ("accept_card", "dismiss_card", "customer_speaker") and self.live is None:
            return False  # not following a transcript: the keys are not offered
        return True

    def action_accept_card(self) -> None:
        if self.live is None or self.live.card is None:
            self.notify(_("No card to accept."), markup=False)
            return
        raised = self._do(self.live.accept)
        if raised not in (None, True):
            self._selected = raised.number
            self._show_transcript()
            self._show_current_objection()

    def action_dismiss_card(self) -> None:
        if self.live is None or self.live.card is None:
            self.notify(_("No card to dismiss."), markup=False)
            return
        if self._do(self.live.dismiss, done=_("Dismissed: not an objection")):
            self._show_transcript()

    def action_customer_speaker(self) -> None:
        """b: the card's speaker (else the latest line's) is the customer; pressed again, the rep."""
        if self.live is None:
            return
        if self.live.candidate() is None:
            self.notify(_("No transcript line with a speaker label yet."), markup=False)
            return
        done = self._do(self.live.toggle_customer)
        if done not in (None, True):
            speaker, role = done
            text = (_("{speaker} is the customer (b again: the rep; ctrl+z undoes)") if role == "customer"
                    else _("{speaker} is the rep (b again: the customer)"))
            self.notify(text.format(speaker=plain(speaker)), timeout=4, markup=False)
            self._show_transcript()

    def on_descendant_focus(self, event) -> None:
        # On a narrow terminal one column shows at a time: the one the rep works in.
        right = self.query_one("#right")
        self.set_class(right in event.widget.ancestors_with_self, "-right")
        if isinstance(event.widget, SaysInput) and event.widget.value.strip():
            self.live_match(ObjectionPanel.Typed(event.widget.value))  # back in the box: the draft's matches

    # -- rendering --------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # The summary (and the other screens pushed over the meeting) write their own title: coming
        # back with Escape must not leave "Summary" over the meeting.
        self.show_titles()

    def show_titles(self) -> None:
        """The header: who the meeting is with, its outcome, the stage and the hint to move on."""
        session, state = self.session, self.session.state
        stage = self.playbook.stage(state.stage) if state.stage else None
        suggested = session.suggested_stage()
        outcome = f"  ·  {_(OUTCOME_LABELS[state.outcome])}" if state.outcome else ""
        self.app.title = plain(state.prospect) + (f" · {plain(state.company)}" if state.company else "") + outcome
        hint = ""
        if suggested:
            next_stage = self.playbook.stage(suggested)
            hint = "  ·  " + _("all asked: move on to {stage} with ]").format(stage=plain(next_stage.title if next_stage else suggested))
        self.app.sub_title = (plain(stage.title) if stage else "") + hint + ("  ·  " + _("ENDED") if state.ended else "")

    def refresh_all(self) -> None:
        """Re-render every panel from the session's state."""
        session, state = self.session, self.session.state
        qualification = session.qualification()
        stage = self.playbook.stage(state.stage) if state.stage else None
        bar = self.query_one(StageBar)
        bar.current = state.stage
        self.show_titles()
        self.query_one(Checklist).show(state.stage, state.answers, qualification, state.asked)
        self.query_one(StageTips).show(stage)
        guidance = session.guidance()
        self.query_one(GuidancePanel).show(guidance)
        warnings = [g.text for g in guidance if g.kind == "warn"] if stage and stage.kind in ("objections", "closing") else []
        self.query_one(ClosingList).show(session.closing_advice(), self.playbook.closings, warnings)
        self.query_one(PlanList).show(state.actions, state.notes, state.objectives)
        if self.live is not None:
            self._show_transcript()
        says = self.query_one(SaysInput)
        if not (says.has_focus and says.value.strip()):
            self._show_current_objection()

    def _current(self):
        state = self.session.state
        if self._selected is not None and state.objection(self._selected) is not None:
            return state.objection(self._selected)
        open_objections = state.open_objections()
        return open_objections[-1] if open_objections else (state.objections[-1] if state.objections else None)

    def _show_current_objection(self) -> None:
        self._live_text = None  # a live match arriving later is not shown over it
        current = self._current()
        panel = self.query_one(ObjectionPanel)
        panel.show_current(current, self.session.responses(current.number) if current else [], self.session.state.objections)

    def _do(self, intent: Callable[..., Any], *args: Any, done: str = "") -> Any:
        """Run one intent on the session; report refusals and failed saves; re-render."""
        try:
            result = intent(*args)
        except SessionError as error:
            self.notify(str(error), severity="warning", markup=False)
            return None
        except StoreError as error:
            self.notify(_("NOT SAVED: {error}").format(error=error), severity="error", timeout=10, markup=False)
            return None
        if done:
            self.notify(done, timeout=2, markup=False)
        self.refresh_all()
        return True if result is None else result  # None means refused or not saved

    def _check(self, intent: Callable[..., Any], *args: Any) -> str | None:
        """Run an intent for a dialog that stays open when it is refused: the refusal, or None."""
        try:
            intent(*args)
        except SessionError as error:
            return str(error)
        except StoreError as error:
            return _("NOT SAVED: {error}").format(error=error)
        self.refresh_all()
        return None

    # -- customer says ----------------------------------------------------------------------

    @on(ObjectionPanel.Typed)
    def live_match(self, event: ObjectionPanel.Typed) -> None:
        self._schedule_draft()
        panel = self.query_one(ObjectionPanel)
        if not self.session.matcher_ready and (event.text.strip() or self._waiting):
            panel.show_waiting()
        elif not event.text.strip():
            self._show_current_objection()
        else:
            self._live_text = event.text
            if not self._recognising:
                self._recognising = True
                self.run_worker(partial(self._recognise, event.text, self.session.matcher), thread=True, group="live-match")

    def _recognise(self, text: str, matcher: Matcher) -> None:
        """Off the UI thread, so that the keys typed meanwhile reach the box at once (the semantic
        channel takes milliseconds to tens of them per line): the box's text, then its latest text,
        until the matches are for what the box says."""
        while True:
            matches = matcher.match(text)
            signal = None if matches else matcher.signal(text)
            try:
                following = self.app.call_from_thread(self._recognised, text, matcher, matches, signal)
            except RuntimeError:  # the app is closing
                return
            if following is None:
                return
            text, matcher = following

    def _recognised(self, text: str, matcher: Matcher, matches: list, signal: str | None) -> tuple[str, Matcher] | None:
        """On the UI thread: show the matches if they are for the box's text now, with the session's
        recogniser; else what to recognise next (None: nothing, the box was left or emptied)."""
        ready = self.session.matcher_ready  # not while a reloaded playbook's recogniser is built
        if ready and self._live_text == text and matcher is self.session.matcher:
            try:
                self.query_one(ObjectionPanel).show_live(matches, signal)
            except NoMatches:  # the screen is closing
                pass
        elif ready and self._live_text is not None:
            return self._live_text, self.session.matcher
        self._recognising = False
        return None

    def _schedule_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_SAVE_SECONDS, self.flush_drafts)

    def flush_drafts(self) -> None:
        """Save what is in the box now (on a pause in typing, Escape, quitting)."""
        self._keep_draft("says", " ".join(t for t in (*self._waiting, self._says.value) if t))

    def on_unmount(self) -> None:
        # A closed browser tab quits the app this way, right behind the last keys: the box has
        # taken them all by now (a widget handles what it was sent before it is removed).
        try:
            self.flush_drafts()
        except Exception:  # the store may already be closed when the app ends
            pass

    @on(SaysInput.Left)
    def leave_box(self, event: SaysInput.Left) -> None:
        self.flush_drafts()
        self._show_current_objection()
        self.set_focus(self.query_one(GuidancePanel))

    @on(ObjectionPanel.Submitted)
    def record_objection(self, event: ObjectionPanel.Submitted) -> None:
        if not self.session.matcher_ready:
            # Recognition is not ready (the semantic channel loads for seconds): the line is taken
            # now, as a recorded one is, and recorded once it is ready. The keys typed meanwhile go
            # where they go after a recorded line (`o` opens an empty box), not into this line.
            self._waiting.append(event.text)
            self._says.set_text("")
            self.query_one(ObjectionPanel).show_waiting()
            self.set_focus(self.query_one(ResponseList))
            return
        self._submit(event.text)

    def _submit(self, text: str, taken: bool = False) -> None:
        """Record the line entered; `taken`: entered before recognition was ready, the box is no longer its."""
        if self.session.recognise(text, top=1):
            self._recorded(self._do(self.session.raise_objection, text), text, taken)
            return
        signal_id = self.session.matcher.signal(text)

        def chosen(choice: str | None) -> None:
            if not choice:
                self._line_done(text, False, taken)
            elif choice.startswith("signal:"):
                done = self._do(self.session.observe_signal, choice.removeprefix("signal:"), done=_("Buying signal recorded"))
                self._line_done(text, bool(done), taken)
            elif choice == "none":
                done = self._do(self.session.note, _("Customer said: {text}").format(text=text), done=_("Kept as a note"))
                self._line_done(text, bool(done), taken)
            else:
                self._recorded(self._do(self.session.raise_objection, text, choice), text, taken)

        self.app.push_screen(category_dialog(self.playbook.objections, self.playbook.signal(signal_id) if signal_id else None), chosen)

    def _clear_box(self) -> None:
        self.query_one(SaysInput).set_text("")
        self.flush_drafts()
        self._show_current_objection()

    def _line_done(self, text: str, done: bool, taken: bool) -> None:
        """The line entered was recorded (done) or not: the box is cleared, or keeps it. A line
        taken before recognition was ready is not in the box: given back to it if not recorded."""
        if not taken:
            if done:
                self._clear_box()
        elif not done:
            self._says.set_text(" ".join(t for t in (text, self._says.value) if t))
            self.flush_drafts()

    def _recorded(self, raised, text: str, taken: bool = False) -> None:
        if raised is not None:
            self._selected = raised.number
        self._line_done(text, raised is not None, taken)
        if raised is not None and not taken:  # a line taken earlier: the keyboard moved on when it was
            self.set_focus(self.query_one(ResponseList))

    @on(ObjectionPanel.Selected)
    def objection_selected(self, event: ObjectionPanel.Selected) -> None:
        self._selected = event.number
        self._show_current_objection()

    @on(ObjectionPanel.ResponseChosen)
    def response_used(self, event: ObjectionPanel.ResponseChosen) -> None:
        self._do(self.session.use_response, event.number, event.response, done=_("Response noted"))

    @on(ObjectionPanel.OutcomeChosen)
    def objection_settled(self, event: ObjectionPanel.OutcomeChosen) -> None:
        self._selected = event.number
        if event.outcome == "open":
            self._do(self.session.reopen_objection, event.number, done=_("Objection #{number} reopened").format(number=event.number))
        else:
            self._do(self.session.settle_objection, event.number, event.outcome, done=_("Objection #{number} {outcome}").format(number=event.number, outcome=_(STATE_WORDS.get(event.outcome, event.outcome))))

    def action_situation(self) -> None:
        """i on the objections or the responses: the selected objection's situation."""
        raised = self.query_one(ObjectionPanel).current
        objection = self.playbook.objection(raised.objection) if raised else None
        if objection is None or not objection.situations:
            self.notify(_("The {objection} objection has no situations in this playbook.").format(objection=plain(objection.title if objection else "")),
                        severity="warning", markup=False)
            return

        def chosen(situation: str | None) -> None:
            if situation:
                self._do(self.session.classify_objection, raised.number, situation)

        self.app.push_screen(situation_dialog(objection, raised.situation), chosen)

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

    def _highlighted_question(self) -> str | None:
        questions = self.focused
        if not isinstance(questions, QuestionList):
            return None
        option = questions.highlighted_option
        return option.id if option is not None and option.id and not option.disabled else None

    def action_answer_highlighted(self) -> None:
        question_id = self._highlighted_question()
        if question_id is not None:
            self.ask(question_id)

    def ask(self, question_id: str) -> None:
        question = self.playbook.question(question_id)
        if question is None:
            return
        check = lambda value: self._check(self.session.answer, question_id, value)  # noqa: E731
        box = f"answer:{question_id}"
        self.app.push_screen(AnswerDialog(question, self.session.state.answers.get(question_id), check,
                                          self.session.draft(box), lambda text: self._keep_draft(box, text)))

    def _keep_draft(self, box: str, text: str) -> None:
        """Save a box's draft (the says box, a dialog's); a failed save is said, the text stays on screen."""
        try:
            self.session.save_draft(box, text)
        except StoreError as error:
            self.notify(_("Draft NOT SAVED: {error}").format(error=error), severity="error", timeout=10, markup=False)

    # -- guidance and closing ---------------------------------------------------------------

    def action_why(self) -> None:
        """w on the guidance: why the highlighted item is there."""
        if (item := self.query_one(GuidancePanel).current()) is not None:
            self.app.push_screen(InfoDialog(_("Why am I seeing this?"), why_text(item)))

    @on(GuidancePanel.Chosen)
    def guidance_chosen(self, event: GuidancePanel.Chosen) -> None:  # a click
        self._act_on(event.item)

    def action_act_on_guidance(self) -> None:  # Enter
        if isinstance(self.focused, GuidancePanel) and (item := self.focused.current()) is not None:
            self._act_on(item)

    def _act_on(self, item: Guidance) -> None:
        if item.question:
            self.ask(item.question)
        elif item.closing:
            self.attempt(item.closing)
        elif item.kind == "respond":
            self.set_focus(self.query_one(ResponseList))
        elif item.kind == "next_step":
            self.action_add_action()
        else:
            self.app.push_screen(InfoDialog(_("Why am I seeing this?"), why_text(item)))

    @on(ClosingList.Attempt)
    def closing_attempt(self, event: ClosingList.Attempt) -> None:  # a click
        self.attempt(event.closing)

    def action_attempt_highlighted(self) -> None:  # Enter
        if isinstance(self.focused, ClosingList) and (closing_id := self.focused.highlighted_closing()) is not None:
            self.attempt(closing_id)

    def attempt(self, closing_id: str) -> None:
        closing = self.playbook.closing(closing_id)
        if closing is None:
            return

        def result(agreed: bool | None) -> None:
            if agreed is None:
                return
            if self._do(self.session.attempt_close, closing_id, agreed, done="" if agreed else _("Noted: not yet")) is None:
                return
            if agreed:  # the customer said yes: the deal is won
                self._do(self.session.record_outcome, "won", done=_("Deal agreed: outcome Won (d changes it)"))

        self.app.push_screen(CloseDialog(closing, self.session.wording(closing.example).text), result)

    # -- the plan ---------------------------------------------------------------------------

    @on(PlanList.Edit)
    def edit_action(self, event: PlanList.Edit) -> None:  # a click
        self.edit(event.number)

    def action_edit_highlighted(self) -> None:  # Enter
        if isinstance(self.focused, PlanList) and (number := self.focused.highlighted_number()) is not None:
            self.edit(number)

    def edit(self, number: int) -> None:
        action = next((a for a in self.session.state.actions if a.number == number), None)
        if action is None:
            return
        check = lambda what, who, when: self._check(self.session.edit_action, number, what, who, when)  # noqa: E731
        self.app.push_screen(ActionDialog(action.text, action.owner, action.due, check, title=_("Action {number}").format(number=action.number)))

    @on(PlanList.Done)
    def action_done(self, event: PlanList.Done) -> None:
        action = next((a for a in self.session.state.actions if a.number == event.number), None)
        if action is not None:
            self._do(self.session.set_action_done, event.number, not action.done)

    @on(PlanList.ObjectiveMet)
    def objective_met(self, event: PlanList.ObjectiveMet) -> None:
        objective = next((o for o in self.session.state.objectives if o.number == event.number), None)
        if objective is not None:
            self._do(self.session.set_objective_met, event.number, not objective.met)

    @on(PlanList.Remove)
    def remove_action(self, event: PlanList.Remove) -> None:
        self._do(self.session.remove_action, event.number, done=_("Action {number} deleted (ctrl+z brings it back)").format(number=event.number))

    # -- actions ----------------------------------------------------------------------------

    def action_focus_says(self) -> None:
        self.query_one(ObjectionPanel).focus_input()

    def action_focus_objections(self) -> None:
        listing = self.query_one(ObjectionList)
        if listing.option_count > 1:
            self.set_focus(listing)
        elif listing.option_count:
            self.set_focus(self.query_one(ResponseList))
        else:
            self.notify(_("No objection yet: press o and type what the customer says."), markup=False)

    def action_focus_checklist(self) -> None:
        self.query_one(Checklist).focus_list()

    def action_focus_guidance(self) -> None:
        self.set_focus(self.query_one(GuidancePanel))

    def action_focus_closing(self) -> None:
        self.set_focus(self.query_one(ClosingList))

    def action_focus_plan(self) -> None:
        self.set_focus(self.query_one(PlanList))

    def action_toggle_tips(self) -> None:
        self._tips_chosen = True
        self.query_one(StageTips).toggle()

    def on_resize(self, event) -> None:
        if not getattr(self, "_tips_chosen", False):  # until the rep chooses, the tips follow the room there is
            self.query_one(StageTips).collapsed = event.size.height < TIPS_OPEN_MIN_HEIGHT

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
        check = lambda what, who, when: self._check(self.session.add_action, what, who, when)  # noqa: E731
        what, who, when = (self.session.draft("action").split("\n") + ["", "", ""])[:3]
        self.app.push_screen(ActionDialog(what, who, when, check=check, on_draft=lambda text: self._keep_draft("action", text)))

    def action_add_note(self) -> None:
        def check(text: str) -> str | None:
            refusal = self._check(self.session.note, text)
            if refusal is None:
                self.notify(_("Note saved"), timeout=2, markup=False)
            return refusal

        self.app.push_screen(NoteDialog(self.session.draft("note"), check, lambda text: self._keep_draft("note", text)))

    def action_outcome(self) -> None:
        def chosen(outcome: str | None) -> None:
            if outcome:
                self._do(self.session.record_outcome, outcome, done=_("Outcome: {outcome}").format(outcome=_(OUTCOME_LABELS[outcome])))

        self.app.push_screen(outcome_dialog(self.session.state.outcome), chosen)

    def action_undo(self) -> None:
        undone = self._do(self.session.undo)
        if undone not in (None, True):
            self.notify(_("Undone: {what}").format(what=_(UNDONE_WORDS.get(undone.type, undone.type.replace("_", " ")))), timeout=2, markup=False)

    def action_summary(self) -> None:
        from .summary import SummaryScreen

        self.flush_drafts()
        self.app.push_screen(SummaryScreen(self.session, getattr(self.app, "export_dir", None)))

    def palette_widgets(self) -> list[Widget]:
        """Widgets whose keys the command palette offers too (acting on what they highlight)."""
        return [self.query_one(ObjectionList), self.query_one(ResponseList), *self.query("QuestionList"),
                self.query_one(GuidancePanel), self.query_one(PlanList), self.query_one(SaysInput)]
