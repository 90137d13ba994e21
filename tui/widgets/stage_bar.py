"""The meeting's stages in a row, the current one highlighted, the suggested next one marked."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from playbook.model import Stage


class StageBar(Widget):
    """opening › discovery › presentation › ...: where the meeting is."""

    DEFAULT_CSS = """
    StageBar { height: 1; padding: 0 1; }
    """

    current: reactive[str | None] = reactive(None)

    def __init__(self, stages: tuple[Stage, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.stages = stages

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        index = next((i for i, s in enumerate(self.stages) if s.id == self.current), 0)
        for i, stage in enumerate(self.stages):
            if i:
                text.append(" › ", style="dim")
            if stage.id == self.current:
                text.append(f" {i + 1} {stage.title} ", style="bold reverse")
            else:
                # Other stages by their first word, so the whole meeting fits on one line.
                text.append(f"{i + 1} {stage.title.split()[0]}", style="dim" if i < index else "")
        return text
