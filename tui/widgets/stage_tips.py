"""The current stage's goals and tips from the playbook (the method's advice at the moment it
matters), in a box that folds to one line with `h`."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Collapsible, Static

from playbook.i18n import N_, _
from playbook.model import Stage

from .text import plain, safe


class StageTips(Collapsible):
    def __init__(self, collapsed: bool = False, **kwargs) -> None:
        super().__init__(Static(id="tips-text"), title=_("Stage goals and tips  (h)"), collapsed=collapsed, **kwargs)
        self._stage: Stage | None = None

    def show(self, stage: Stage | None) -> None:
        if stage == self._stage:
            return
        self._stage = stage
        self.display = bool(stage and (stage.goals or stage.tips))
        if stage is None:
            return
        self.title = _("Goals and tips: {stage}  (h)").format(stage=plain(stage.title))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(ratio=1)
        for heading, items, marker in ((N_("Goals"), stage.goals, "◎"), (N_("Tips"), stage.tips, "»")):
            for index, item in enumerate(items):
                grid.add_row(Text(marker, style="cyan"), Text.assemble(Text(_("{heading}: ").format(heading=_(heading)), style="bold") if not index else "", safe(item)))
        self.query_one("#tips-text", Static).update(grid)

    def toggle(self) -> None:
        self.collapsed = not self.collapsed
