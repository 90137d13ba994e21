"""Small rendering helpers shared by the widgets."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


def hanging(marker: str | Text, *lines: Text) -> Table:
    """An option whose wrapped lines hang under its first line, not under the marker."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(marker, Text("\n").join(lines))
    return grid
