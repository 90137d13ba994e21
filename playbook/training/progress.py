"""A trainee's progress over role-plays: the share of points won in each scoring area, session
after session, as a small terminal chart (plotext) and one line per area from first to last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..model.events import ScorecardRecorded
from ..textsafety import printable
from . import messages as say_

AREAS = ("qualification", "objections", "discipline", "closing")
MARKERS = {"qualification": "q", "objections": "o", "discipline": "d", "closing": "c"}
CHART_WIDTH, CHART_HEIGHT = 72, 14


@dataclass(frozen=True)
class ScoredPlay:
    at: float
    shares: dict[str, float]  # area -> 0-100


def area_shares(lines) -> dict[str, float]:
    """Points won over points available, per area, from a stored scorecard's lines (0-100)."""
    got: dict[str, float] = {}
    most: dict[str, float] = {}
    for line in lines:
        area = line["area"]
        got[area] = got.get(area, 0.0) + line["points"]
        most[area] = most.get(area, 0.0) + line["max_points"]
    return {area: max(0.0, min(100.0, 100.0 * got[area] / most[area])) for area in AREAS if most.get(area)}


def progress_by_trainee(store, sessions) -> dict[str, list[ScoredPlay]]:
    """The scored role-plays among `sessions`, oldest first, per trainee."""
    plays: dict[str, list[ScoredPlay]] = {}
    for info in sorted(sessions, key=lambda s: s.updated_at or 0):
        if info.kind != "roleplay" or info.score is None:
            continue
        card = next((r.event for r in reversed(store.events(info.id)) if isinstance(r.event, ScorecardRecorded)), None)
        if card is not None:
            plays.setdefault(info.prospect, []).append(ScoredPlay(info.updated_at or 0, area_shares(card.lines)))
    return plays


def trend_chart(trainee: str, plays: list[ScoredPlay], width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> str:
    """One trainee's chart (plain text, no colour codes), then each area from first to last."""
    if len(plays) < 2:
        return say_.TREND_FEW.format(trainee=trainee)
    import plotext  # imported only when a trend is drawn

    figure = plotext.figure
    figure.clear()
    figure.theme("colorless")
    figure.plot_size(width, height)
    xs = list(range(1, len(plays) + 1))
    for area in AREAS:
        points = [(x, play.shares[area]) for x, play in zip(xs, plays) if area in play.shares]
        if points:
            signal = figure.signal([x for x, _ in points], [y for _, y in points], marker=MARKERS[area])
            signal.lines()
            figure.draw(signal)
    figure.legend(False)
    figure.ruler("y").lim(0, 100)
    figure.ruler("y").ticks([0, 50, 100])
    shown = _spread(xs, max(2, width // 12))
    figure.ruler("x").ticks(shown, [datetime.fromtimestamp(plays[x - 1].at).strftime("%m-%d") for x in shown])
    figure.title(say_.TREND_TITLE.format(trainee=trainee))
    chart = plotext.uncolorize(figure.build()).rstrip()
    rows = [say_.TREND_LINE.format(area=say_.word(say_.AREA_WORDS, area), first=first, last=last, change=last - first)
            for area in AREAS
            if (first := next((p.shares[area] for p in plays if area in p.shares), None)) is not None
            and (last := next((p.shares[area] for p in reversed(plays) if area in p.shares), None)) is not None]
    return "\n".join([chart, "  " + say_.TREND_LEGEND, *rows])


def trend_section(store, sessions) -> str:
    """The charts printed under `playbook sessions list --roleplay`: one per trainee, most played
    first. Trainee names are data: control characters in them are shown, not sent."""
    plays = progress_by_trainee(store, sessions)
    ordered = sorted(plays, key=lambda trainee: (-len(plays[trainee]), trainee))
    return "\n\n".join(trend_chart(printable(trainee, one_line=True), plays[trainee]) for trainee in ordered)


def _spread(xs: list[int], count: int) -> list[int]:
    """At most `count` of `xs`, evenly spread, first and last included."""
    if len(xs) <= count:
        return xs
    step = (len(xs) - 1) / (count - 1)
    return sorted({xs[round(i * step)] for i in range(count)})
