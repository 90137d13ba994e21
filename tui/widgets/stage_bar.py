"""The meeting's stages in a row, the current one highlighted, and the meeting clock at the right."""

from __future__ import annotations

import time
from typing import Callable

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from playbook.i18n import _
from playbook.model import Stage

from .text import plain


def clock_text(elapsed: float, planned_minutes: int) -> Text:
    """"⏱ 12:05 / 45 min": elapsed time, and the planned length when one was set (red once over)."""
    seconds = max(0, int(elapsed))
    hours, rest = divmod(seconds, 3600)
    shown = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    text = Text(f"⏱ {shown}")
    if planned_minutes:
        over = seconds > planned_minutes * 60
        text.append(" / " + _("{minutes} min").format(minutes=planned_minutes), style="bold red" if over else "dim")
    return text


class StageBar(Widget):
    """opening › discovery › presentation › ...: where the meeting is, and for how long."""

    DEFAULT_CSS = """
    StageBar { height: 1; padding: 0 1; }
    """

    current: reactive[str | None] = reactive(None)

    def __init__(self, stages: tuple[Stage, ...], started_at: float | None = None, planned_minutes: int = 0,
                 clock: Callable[[], float] = time.time, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stages = stages
        self.started_at = started_at
        self.planned_minutes = planned_minutes
        self.clock = clock

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def render(self) -> Text:
        clock = clock_text(self.clock() - self.started_at, self.planned_minutes) if self.started_at else Text()
        room = max(0, self.size.width - clock.cell_len - 2)
        text = Text(no_wrap=True, overflow="ellipsis")
        index = next((i for i, s in enumerate(self.stages) if s.id == self.current), 0)
        for i, stage in enumerate(self.stages):
            if i:
                text.append(" › ", style="dim")
            if stage.id == self.current:
                text.append(f" {i + 1} {plain(stage.title)} ", style="bold reverse")
            else:
                # Other stages by their first word, so the whole meeting fits on one line.
                text.append(f"{i + 1} {plain(stage.title).split()[0] if stage.title.split() else ''}", style="dim" if i < index else "")
        text.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(text, "  ", clock)
