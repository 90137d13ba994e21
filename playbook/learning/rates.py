"""Rates with honest intervals: "8 of 10" means little on its own, "80%" even less.

A rate is shown as a percentage only with its Wilson score interval (95%), and only from
MIN_FOR_PERCENT + 1 tries: with 3 or fewer, counts are all there is to say. Wilson rather than
the textbook interval because it stays inside 0-100% and is honest at 0 of n and n of n, which
small teams see all the time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
MIN_FOR_PERCENT = 3  # "never a bare percentage over 3 uses": 3 tries or fewer get counts only


def wilson(hits: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of hits/total, as fractions (0.0-1.0); (0, 1) when total is 0."""
    if total <= 0:
        return 0.0, 1.0
    p = hits / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    """`hits` of `total`, with its 95% Wilson interval."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.hits, self.total)

    @property
    def shows_percent(self) -> bool:
        return self.total > MIN_FOR_PERCENT

    def words(self) -> str:
        """'8 of 10 (80%, 95% interval 49-94%)', or '2 of 3' when there are too few to say more."""
        if not self.shows_percent:
            return f"{self.hits} of {self.total}"
        low, high = self.interval
        return f"{self.hits} of {self.total} ({100 * self.value:.0f}%, 95% interval {100 * low:.0f}-{100 * high:.0f}%)"

    def short(self) -> str:
        """'80% (49-94)' for a table cell, '2 of 3' when there are too few."""
        if not self.shows_percent:
            return f"{self.hits} of {self.total}" if self.total else "-"
        low, high = self.interval
        return f"{100 * self.value:.0f}% ({100 * low:.0f}-{100 * high:.0f})"

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"hits": self.hits, "total": self.total}
        if self.shows_percent:
            low, high = self.interval
            out.update(rate=round(self.value, 4), low=round(low, 4), high=round(high, 4))
        return out
