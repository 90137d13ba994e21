"""Where the value is: accounts grouped by funnel stage, by need, or by value (the 80/20 of seed
002: most of the business comes from a few accounts), with counts, value and share, and a bar
chart drawn by plotext for the terminal."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..i18n import _
from ..model.accounts import FUNNEL_STAGES
from .book import AccountBook
from .labels import stage_name

BY = ("stage", "need", "value")
PARETO_SHARE = 80.0  # "80% of the value comes from N accounts"
VALUE_BANDS = ((0.2, "top_20"), (0.5, "next_30"), (1.0, "bottom_50"))  # shares of the accounts that have a value
MOST_NEEDS = 8  # more needs than this are shown as the biggest ones and "other"


@dataclass(frozen=True)
class Segment:
    key: str  # a stage, a need, or a value band
    label: str
    accounts: int
    value: float
    share: float  # percent of the total value (or of the accounts, by stage when no value is known)


@dataclass(frozen=True)
class Segments:
    by: str
    segments: tuple[Segment, ...]
    accounts: int
    value: float
    pareto: tuple[int, int] | None = None  # (accounts making 80% of the value, accounts with a value)

    def pareto_line(self) -> str:
        if not self.pareto:
            return _("No account has a value yet: `playbook accounts set ACCOUNT --value N` gives one.")
        few, valued = self.pareto
        # Percentages as format specs ({share:.0%}): a literal "% o" would read to gettext as a C format.
        return _("{share:.0%} of the value comes from {few} of {valued} accounts with a value ({pct:.0%}).").format(
            share=PARETO_SHARE / 100, few=few, valued=valued, pct=few / valued)


def segments(book: AccountBook, by: str) -> Segments:
    if by not in BY:
        raise ValueError(by)
    values = book.tables.values()
    total = sum(v for _i, _n, v in values if v is not None)
    pareto = _pareto([v for _i, _n, v in values if v is not None])
    if by == "value":
        rows = _value_bands([v for _i, _n, v in values if v is not None], total)
        unknown = sum(1 for _i, _n, v in values if v is None)
        if unknown:
            rows.append(Segment("unknown", _("no value known"), unknown, 0.0, 0.0))
        return Segments(by, tuple(rows), len(values), total, pareto)
    groups = {g: (n, v) for g, n, v in book.tables.values_by(by)}
    count = sum(n for n, _v in groups.values())
    if by == "stage":
        keys = [s for s in FUNNEL_STAGES] + sorted(k for k in groups if k not in FUNNEL_STAGES)
        rows = [Segment(k, stage_name(k), groups.get(k, (0, 0.0))[0], groups.get(k, (0, 0.0))[1], _share(groups.get(k, (0, 0.0)), total, count))
                for k in keys]
    else:
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
        named = [(k, nv) for k, nv in ordered if k]
        rows = [Segment(k, k, n, v, _share((n, v), total, count)) for k, (n, v) in named[:MOST_NEEDS]]
        rest = named[MOST_NEEDS:]
        if rest:
            n, v = sum(nv[0] for _k, nv in rest), sum(nv[1] for _k, nv in rest)
            rows.append(Segment("other", _("other needs"), n, v, _share((n, v), total, count)))
        if "" in groups:
            rows.append(Segment("", _("need not known"), groups[""][0], groups[""][1], _share(groups[""], total, count)))
    return Segments(by, tuple(rows), count, total, pareto)


def _share(group: tuple[int, float], total: float, count: int) -> float:
    n, v = group
    if total > 0:
        return 100.0 * v / total
    return 100.0 * n / count if count else 0.0


def _pareto(values: list[float]) -> tuple[int, int] | None:
    """How few accounts (highest value first) make PARETO_SHARE of the value."""
    ordered = sorted((v for v in values if v > 0), reverse=True)
    total = sum(ordered)
    if not total:
        return None
    running = 0.0
    for count, value in enumerate(ordered, start=1):
        running += value
        if running >= total * PARETO_SHARE / 100.0 - 1e-9:
            return count, len(ordered)
    return len(ordered), len(ordered)


def _value_bands(values: list[float], total: float) -> list[Segment]:
    ordered = sorted(values, reverse=True)
    labels = {"top_20": _("top 20%"), "next_30": _("next 30%"), "bottom_50": _("bottom 50%")}
    out, start = [], 0
    for fraction, key in VALUE_BANDS:
        end = max(start, math.ceil(len(ordered) * fraction - 1e-9)) if key != "bottom_50" else len(ordered)
        band = ordered[start:end]
        value = sum(band)
        out.append(Segment(key, labels[key], len(band), value, 100.0 * value / total if total else 0.0))
        start = end
    return out


def chart(view: Segments, width: int = 72, height: int = 14) -> str:
    """A bar chart of the segments (plain text, no colour codes): the share of the value, or the
    number of accounts by stage when no value is known."""
    import plotext  # imported only when a chart is drawn

    rows = [s for s in view.segments if s.key not in ("unknown", "")] or list(view.segments)
    if not rows:
        return ""
    by_count = view.by == "stage" or view.value == 0
    figure = plotext.figure
    figure.clear()
    figure.theme("colorless")
    figure.plot_size(width, height)
    heights = [float(s.accounts) if by_count else round(s.share, 1) for s in rows]
    labels = [_short(s.label, max(4, (width - 8) // len(rows) - 2)) for s in rows]
    figure.draw(figure.bar(labels, heights, width=0.6))
    top = max(heights) if heights else 1
    if by_count:
        figure.ruler("y").lim(0, max(1.0, top))
        figure.title(_("Accounts by {by}").format(by=_by_word(view.by)))
    else:
        figure.ruler("y").lim(0, 100)
        figure.ruler("y").ticks([0, 25, 50, 75, 100])
        figure.title(_("Share of the value (%) by {by}").format(by=_by_word(view.by)))
    return plotext.uncolorize(figure.build()).rstrip()


def _by_word(by: str) -> str:
    return {"stage": _("funnel stage"), "need": _("need"), "value": _("value")}[by]


def _short(label: str, room: int) -> str:
    return label if len(label) <= room else label[: max(1, room - 1)] + "…"
