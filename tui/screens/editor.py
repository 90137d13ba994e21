"""The playbook editor: YAML on the left of the problems, checked as you type, and a try-it box
that matches what a customer might say against the edited, unsaved playbook.

Checking runs in a worker shortly after the last keystroke (errors first, then lint warnings);
stale results are dropped. Every file's buffer is kept while switching files; ctrl+s saves the
current one atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from playbook.authoring.lint import lint
from playbook.files import WriteError, write_text
from playbook.format import check_playbook, resolve_playbook_path
from playbook.format.loader import source_files
from playbook.format.yamlsource import read_source
from playbook.i18n import N_, _, ngettext
from playbook.matching import Matcher
from playbook.model import Playbook
from playbook.problems import Problem, Severity, display_path
from playbook.textsafety import printable

from ..widgets.footer import Footer

DEBOUNCE_SECONDS = 0.15


@dataclass(frozen=True)
class Checked:
    version: int
    playbook: Playbook | None
    errors: list[Problem]
    warnings: list[Problem]


def playbook_sources(root: Path) -> list[Path]:
    """The files the editor opens: the playbook's own (never a link out of its folder)."""
    return [p.resolve() for p in source_files(root)]


class EditorScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="editor.save"),
        Binding("ctrl+t", "focus_try", N_("Try it"), priority=True, id="editor.try"),
        Binding("ctrl+o", "focus_files", N_("Files"), priority=True, id="editor.files"),
        Binding("ctrl+r", "focus_problems", N_("Problems"), priority=True, id="editor.problems"),
    ]

    def __init__(self, path: str | Path | None) -> None:
        super().__init__()
        self.spec = path
        self.root = resolve_playbook_path(path)
        self.buffers: dict[Path, str] = {}
        self.unreadable: list[Problem] = []  # `playbook edit` refuses these first; a file can change meanwhile
        for file in playbook_sources(self.root):
            text, problem = read_source(file, display_path(file))
            if text is None:
                self.unreadable.append(problem)
            else:
                self.buffers[file] = text
        self.files = list(self.buffers)
        self.saved: dict[Path, str] = dict(self.buffers)
        self.current = self.files[0] if self.files else None
        self.version = 0
        self.last: Checked | None = None
        self.matcher: Matcher | None = None
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="editor-body"):
            yield OptionList(*[Option(self._label(f), id=str(f)) for f in self.files], id="files")
            with Vertical(id="editor-main"):
                yield TextArea(self.buffers.get(self.current, "") if self.current else "", id="yaml", show_line_numbers=True, tab_behavior="indent")
                with Horizontal(id="editor-bottom"):
                    yield OptionList(id="problems")
                    with Vertical(id="try-box"):
                        yield Input(placeholder=_("Try it: what might a customer say?"), id="try")
                        yield Static(id="try-result")
        yield Footer()

    def on_mount(self) -> None:
        self.app.title = printable(_("Editing {path}").format(path=self.root), one_line=True)
        self.query_one("#problems").border_title = _("Problems")
        self.query_one("#try-box").border_title = _("Try it (ctrl+t)")
        self.query_one("#files").border_title = _("Files (ctrl+o)")
        self.query_one("#yaml", TextArea).focus()
        for problem in self.unreadable:
            self.notify(_("Not opened: {problem}").format(problem=printable(problem.format(), one_line=True)), severity="error", timeout=15, markup=False)
        self.check_now()

    def _label(self, path: Path) -> Text:
        dirty = "*" if self.buffers.get(path) != self.saved.get(path) else " "
        try:
            name = str(path.relative_to(self.root.resolve() if self.root.is_dir() else self.root.parent.resolve()))
        except ValueError:
            name = path.name
        return Text(printable(f"{dirty} {name}", one_line=True))  # a file name is not markup

    # -- editing ----------------------------------------------------------------------------

    @on(TextArea.Changed, "#yaml")
    def edited(self, event: TextArea.Changed) -> None:
        if self.current is None:
            return
        self.buffers[self.current] = event.text_area.text
        self._relabel(self.current)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self.check_now)

    def _relabel(self, path: Path) -> None:
        files = self.query_one("#files", OptionList)
        index = self.files.index(path)
        files.replace_option_prompt_at_index(index, self._label(path))

    @on(OptionList.OptionSelected, "#files")
    def open_file(self, event: OptionList.OptionSelected) -> None:
        self.current = Path(event.option.id)
        self.query_one("#yaml", TextArea).load_text(self.buffers[self.current])
        self.query_one("#yaml", TextArea).focus()
        self._show_problems()

    @on(OptionList.OptionSelected, "#problems")
    def jump_to_problem(self, event: OptionList.OptionSelected) -> None:
        if not event.option.id:
            return
        path, line, col = event.option.id.split("|", 1)[1].rsplit(":", 2)
        target = Path(path)
        if target != self.current and target in self.buffers:
            self.current = target
            self.query_one("#yaml", TextArea).load_text(self.buffers[target])
        area = self.query_one("#yaml", TextArea)
        area.cursor_location = (int(line) - 1, int(col) - 1)
        area.focus()

    # -- checking ---------------------------------------------------------------------------

    def check_now(self) -> None:
        self.version += 1
        self.check(self.version, dict(self.buffers))

    @work(thread=True, exclusive=True, group="check")
    def check(self, version: int, buffers: dict[Path, str]) -> None:
        worker = get_current_worker()
        playbook, errors = check_playbook(self.spec, buffers)
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._checked, Checked(version, playbook, errors, []))
        if playbook is None:
            return
        matcher = Matcher.from_playbook(playbook)
        warnings = lint(playbook, matcher)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._checked, Checked(version, playbook, errors, warnings), matcher)

    def _checked(self, result: Checked, matcher: Matcher | None = None) -> None:
        if result.version != self.version:
            return  # a newer edit is being checked: drop this stale result
        self.last = result
        if matcher is not None:
            self.matcher = matcher
        self._show_problems()
        self._try(self.query_one("#try", Input).value)

    def _show_problems(self) -> None:
        panel = self.query_one("#problems", OptionList)
        panel.clear_options()
        if self.last is None:
            return
        problems = [*self.last.errors, *self.last.warnings]
        errors = len(self.last.errors)
        counted = (ngettext("{count} error", "{count} errors", errors).format(count=errors),
                   ngettext("{count} warning", "{count} warnings", len(self.last.warnings)).format(count=len(self.last.warnings)))
        panel.border_title = _("Problems: {errors}, {warnings}").format(errors=counted[0], warnings=counted[1])
        if not problems:
            panel.add_option(Option(Text(_("No problems."), style="green"), disabled=True))
        for index, problem in enumerate(problems):
            style = "red" if problem.severity == Severity.ERROR else "yellow"
            here = self.current is not None and Path(problem.path).resolve() == self.current
            text = Text()
            where = f"{problem.line}:{problem.col} " if here else f"{problem.path}:{problem.line}:{problem.col} "
            text.append(printable(where, one_line=True), style="bold" if here else "dim")
            text.append(f"{problem.severity.value}[{problem.code}] ", style=style)
            text.append(printable(problem.message, one_line=True))
            # Several problems can share a place: the index keeps option ids unique.
            panel.add_option(Option(text, id=f"{index}|{Path(problem.path).resolve()}:{problem.line}:{problem.col}"))
        if problems:
            panel.highlighted = 0

    # -- try it -----------------------------------------------------------------------------

    @on(Input.Changed, "#try")
    def try_changed(self, event: Input.Changed) -> None:
        self._try(event.value)

    def _try(self, text: str) -> None:
        result = self.query_one("#try-result", Static)
        if not text.strip():
            result.update(Text(_("Type what a customer might say."), style="dim"))
            return
        if self.matcher is None:
            result.update(Text(_("The playbook has errors; fix them to try it."), style="red"))
            return
        matches = self.matcher.match(text, top=3)
        if not matches:
            result.update(Text(_("No objection recognised."), style="dim"))
            return
        out = Text()
        for match in matches:
            out.append(f"{match.objection} {match.score:.0f}", style="bold")
            out.append(f"  ~ {printable(match.phrase, one_line=True)}\n", style="dim")
        stale = self.last is not None and self.last.playbook is None
        if stale:
            out.append(_("(last valid version: the current text has errors)"), style="italic yellow")
        result.update(out)

    # -- actions ----------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.current is None:
            return
        try:  # beside the file, then renamed over it: a crash never leaves half a file
            write_text(self.current, self.buffers[self.current], force=True)
        except WriteError as error:
            self.notify(printable(_("NOT SAVED: {error}").format(error=error), one_line=True), severity="error", timeout=10, markup=False)
            return
        self.saved[self.current] = self.buffers[self.current]
        self._relabel(self.current)
        errors = len(self.last.errors) if self.last else 0
        saved = printable(_("Saved {file}").format(file=self.current.name), one_line=True)
        remain = " " + ngettext("({count} error remains)", "({count} errors remain)", errors).format(count=errors) if errors else ""
        self.notify(saved + remain, timeout=3, markup=False)

    def unsaved(self) -> list[Path]:
        return [f for f in self.files if self.buffers[f] != self.saved[f]]

    def action_focus_try(self) -> None:
        self.query_one("#try", Input).focus()

    def action_focus_files(self) -> None:
        self.query_one("#files", OptionList).focus()

    def action_focus_problems(self) -> None:
        self.query_one("#problems", OptionList).focus()
