"""The end-of-meeting summary: the outcome, what was learned, objections, score, next steps;
saving the customer recap and the rep's internal notes, copying the recap."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from playbook.files import WriteError
from playbook.i18n import N_, _
from playbook.meeting import MeetingSession, SessionError
from playbook.meeting.recap import default_export_dir, to_recap_markdown, write_documents
from playbook.meeting.session import OUTCOME_LABELS
from playbook.meeting.summary import to_markdown
from playbook.store import StoreError

from ..widgets.footer import Footer
from .dialogs import outcome_dialog


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("f", "finish", N_("Finish meeting"), id="summary.finish"),
        Binding("d", "outcome", N_("Outcome"), tooltip=N_("Outcome of the meeting: won, lost, next meeting, no decision"),
                id="summary.outcome"),
        Binding("m", "export_markdown", N_("Save recap + notes"), tooltip=N_("Save the customer recap and the internal notes (Markdown)"),
                id="summary.export_md"),
        # h and j are named in the screen's own line about documents (m, h, j); the footer keeps room for Back.
        Binding("h", "export('recap-html')", N_("Save recap .html"), tooltip=N_("Save the customer recap as HTML (for e-mail)"),
                id="summary.export_html", show=False),
        Binding("j", "export('json')", N_("Save .json"), tooltip=N_("Save everything as JSON (for tools)"), id="summary.export_json",
                show=False),
        Binding("y", "copy", N_("Copy recap"), tooltip=N_("Copy the customer recap to the clipboard"), id="summary.copy"),
        Binding("o", "objectives", N_("Objectives"), tooltip=N_("Check off the meeting's objectives"), id="summary.objectives"),
        Binding("escape,b", "back", N_("Back to meeting"), id="summary.back"),
    ]

    def __init__(self, session: MeetingSession, export_dir: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.export_dir = export_dir or default_export_dir()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-box"):
            yield Markdown(id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.render_summary()
        self.query_one("#summary-box").focus()

    def render_summary(self) -> None:
        summary = self.session.summary()
        folder = _("Documents are saved in {folder} (m, h, j); the customer recap is copied with y.").format(folder=self.export_dir)
        self.query_one("#summary", Markdown).update(to_markdown(summary) + "\n---\n\n" + folder.replace("_", "\\_") + "\n")
        outcome = _(OUTCOME_LABELS.get(self.session.state.outcome, ""))
        self.app.sub_title = (_("Meeting finished") if self.session.state.ended else _("Summary")) + (f"  ·  {outcome}" if outcome else "")

    def action_finish(self) -> None:
        if not self.session.state.outcome:
            def chosen(outcome: str | None) -> None:
                if outcome and self._run(self.session.record_outcome, outcome):
                    self.action_finish()

            self.app.push_screen(outcome_dialog(), chosen)
            return
        if self._run(self.session.end):
            self.render_summary()
            self.notify(_("Meeting finished and saved. m saves the recap and notes to {folder}; y copies the recap.").format(folder=self.export_dir),
                        timeout=5, markup=False)

    def action_outcome(self) -> None:
        def chosen(outcome: str | None) -> None:
            if outcome and self._run(self.session.record_outcome, outcome):
                self.render_summary()

        self.app.push_screen(outcome_dialog(self.session.state.outcome), chosen)

    def _run(self, intent, *args) -> bool:
        try:
            intent(*args)
        except (SessionError, StoreError) as error:
            self.notify(_("NOT SAVED: {error}").format(error=error), severity="error", markup=False)
            return False
        return True

    def action_export_markdown(self) -> None:
        self.action_export("recap", "notes")

    def action_export(self, *documents: str) -> None:
        try:
            written = write_documents(self.session.summary(), self.export_dir, documents)
        except WriteError as error:
            self.notify(_("Could not save: {error}").format(error=error), severity="error", timeout=10, markup=False)
            return
        names = {"recap": _("Customer recap"), "recap-html": _("Customer recap (HTML)"), "notes": _("Internal notes"), "json": "JSON"}
        self.notify("\n".join(f"{names[d]}: {p}" for d, p in zip(documents, written)), title=_("Saved"), timeout=8, markup=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(to_recap_markdown(self.session.summary()))
        self.notify(_("Customer recap copied (if your terminal allows clipboard access)"), timeout=3, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`o` (objectives) is shown only for a meeting that has objectives: the footer keeps its
        room for Back."""
        if action == "objectives":
            return bool(self.session.state.objectives)
        return True

    def action_objectives(self) -> None:
        from .account_dialogs import ObjectivesDialog

        objectives = self.session.state.objectives
        if not objectives:
            self.notify(_("This meeting has no objectives (they are set when preparing it)."), markup=False)
            return

        def chosen(met: frozenset[int] | None) -> None:
            if met is None:
                return
            for objective in objectives:
                if (objective.number in met) != objective.met:
                    self._run(self.session.set_objective_met, objective.number, objective.number in met)
            self.render_summary()

        self.app.push_screen(ObjectivesDialog(objectives), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()
