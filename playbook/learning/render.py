"""The report as text (tables and bar charts drawn by plotext), JSON, CSV, or one self-contained
HTML file (tables and inline SVG charts, one bar per item, no script, nothing fetched).

Every text that comes from the store or a playbook is data: made printable for a terminal
(textsafety), escaped for HTML, quoted for CSV. A rate is a percentage only with its 95%
interval, and only above 3 tries (rates.py).
"""

from __future__ import annotations

import csv
import html
import io
import math
from datetime import datetime
from typing import Any, Iterable, Sequence

from ..textsafety import dumps, printable
from .rates import Rate
from .report import OUTCOMES, Report

OUTCOME_WORDS = {"won": "won", "next_meeting": "next meeting", "no_decision": "no decision", "lost": "lost"}
VERDICT_WORDS = {"go": "Go", "not_yet": "Not yet", "no_go": "No-Go"}
CHART_ITEMS = 12  # a terminal chart shows the first 12; the tables (and the HTML) show every item
RESPONSES_CHARTED = 15


# -- shared wording -------------------------------------------------------------------------

def _when(moment: float | None) -> str:
    return datetime.fromtimestamp(moment).strftime("%Y-%m-%d") if moment else ""


def _headline(report: Report) -> str:
    parts = [f"{report.meetings:,} meeting{'s' if report.meetings != 1 else ''} ({report.finished:,} finished)"]
    filters = report.filters.to_json()
    if filters["since"]:
        parts.append(f"since {filters['since']}")
    if filters["rep"]:
        parts.append(f"rep {filters['rep']}")
    if filters.get("team"):
        parts.append(f"team {filters['team']}")
    if filters["playbook"]:
        parts.append(f"playbook {filters['playbook'][0]}")
    return ", ".join(parts)


def _prediction(report: Report) -> str:
    pair = report.go_predicts
    if pair is None:
        return ""
    go, others = pair
    return f"Did Go predict a win? Go: won {go.words()}; other verdicts: won {others.words()}."


def _responses_charted(report: Report) -> list:
    """The responses with enough uses to chart a rate (more than 3), best known first."""
    shown = [r for r in report.responses if r.record.shows_percent]
    return sorted(shown, key=lambda r: (-r.record.total, r.objection, r.response))[:RESPONSES_CHARTED]


def _title_of(report: Report, objection: str) -> str:
    return next((o.title for o in report.objections if o.objection == objection), objection)


# -- text -----------------------------------------------------------------------------------

def to_text(report: Report, width: int = 100) -> str:
    """The report for a terminal: each section a table, most with a bar chart."""
    safe = lambda text: printable(str(text), one_line=True)  # noqa: E731
    out = [safe(f"Team report: {_headline(report)}")]
    if report.reps:
        out.append("Reps: " + ", ".join(safe(f"{rep or '(unknown)'} {n:,}") for rep, n in report.reps))
    out += [safe(note) for note in report.notes]
    if not report.meetings:
        out.append("No meetings recorded here yet: hold one with `playbook run`, and the report fills in.")
    if report.objections:
        stages = list(report.stages)
        rows = [[o.title, f"{o.count:,}", o.resolved.short(), *[str(o.by_stage.get(s, "")) for s in stages]] for o in report.objections]
        out += ["", "Objections by frequency and stage", _table(["objection", "raised", "resolved (95% interval)", *stages], rows, safe)]
        out.append(_bars("Objections raised", [o.title for o in report.objections], [o.count for o in report.objections],
                         [f"{o.count:,}" for o in report.objections], width))
        said = [(o.title, text, n) for o in report.objections for text, n in o.examples]
        if said:
            out += ["", "What customers say most often" + ("" if report.with_names else " (names replaced)")]
            out += [safe(f"  {title}: \"{text}\" ({n}x)") for title, text, n in said]
    if report.responses:
        rows = [[_title_of(report, r.objection), r.response, r.technique, f"{r.uses:,}", r.record.short()] for r in report.responses]
        out += ["", "Responses: how often each resolved its objection (as the last response tried)",
                _table(["objection", "response", "technique", "used", "resolved (95% interval)"], rows, safe)]
        charted = _responses_charted(report)
        if charted:
            out.append(_bars("Resolved, % (responses used more than 3 times)", [f"{r.objection}/{r.response}" for r in charted],
                             [100 * r.record.value for r in charted], [r.record.short() for r in charted], width, 100))
    if report.closings:
        rows = [[c.name, f"{c.record.total:,}", c.record.short()] for c in report.closings]
        out += ["", "Closing methods tried", _table(["method", "tried", "worked (95% interval)"], rows, safe)]
        charted = [c for c in report.closings if c.record.shows_percent]
        if charted:
            out.append(_bars("Worked, % (methods tried more than 3 times)", [c.name for c in charted],
                             [100 * c.record.value for c in charted], [c.record.short() for c in charted], width, 100))
    if report.verdicts:
        rows = [[VERDICT_WORDS.get(v.verdict, v.verdict), str(sum(v.outcomes.values())),
                 *[str(v.outcomes.get(o, 0)) for o in OUTCOMES], v.won.short()] for v in report.verdicts]
        out += ["", f"Qualification verdict against the outcome ({report.with_outcome:,} meetings with an outcome)",
                _table(["verdict", "meetings", *[OUTCOME_WORDS[o] for o in OUTCOMES], "won (95% interval)"], rows, safe),
                safe(_prediction(report))]
        out.append(_bars("Won, % by verdict", [VERDICT_WORDS.get(v.verdict, v.verdict) for v in report.verdicts],
                         [100 * (v.won.value or 0) for v in report.verdicts], [v.won.short() for v in report.verdicts], width, 100))
    if report.surprises:
        rows = [[s.when, s.rep, s.prospect, s.company, VERDICT_WORDS.get(s.verdict, s.verdict), OUTCOME_WORDS.get(s.outcome, s.outcome)]
                for s in report.surprises]
        out += ["", "Verdicts the outcome contradicted (latest first)", _table(["date", "rep", "prospect", "company", "verdict", "outcome"], rows, safe)]
    if report.questions:
        top = report.questions[:CHART_ITEMS]
        rows = [[q.question, q.stage, q.unanswered.short(), q.text] for q in top]
        out += ["", f"Questions most often left unanswered (of {report.finished:,} finished meetings)",
                _table(["question", "stage", "unanswered (95% interval)", "text"], rows, safe)]
        out.append(_bars("Left unanswered, %", [q.question for q in top], [100 * (q.unanswered.value or 0) for q in top],
                         [q.unanswered.short() for q in top], width, 100))
    if report.roleplay:
        months = sorted({line.month for line in report.roleplay})
        areas = list(dict.fromkeys(line.area for line in report.roleplay))
        cells = {(line.area, line.month): line for line in report.roleplay}
        rows = [[area, *[_points(cells[(area, m)]) if (area, m) in cells else "" for m in months]] for area in areas]
        out += ["", "Role-play: points won per area and session, month by month (sessions in brackets)", _table(["area", *months], rows, safe)]
        latest = months[-1]
        shown = [cells[(a, latest)] for a in areas if (a, latest) in cells]
        out.append(_bars(f"Role-play points won ({latest})", [line.area for line in shown], [line.percent for line in shown],
                         [_points(line) for line in shown], width, 100))
    return "\n".join(part for part in out if part is not None) + "\n"


def _points(line) -> str:
    """A role-play area's month as points per session: '21 of 35 (2)' (a score, not a rate: no percentage)."""
    return f"{line.points / line.sessions:.0f} of {line.most / line.sessions:.0f} ({line.sessions})"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], safe) -> str:
    cells = [[safe(h) for h in headers]] + [[safe(c) for c in row] for row in rows]
    widths = [min(48, max(len(row[i]) for row in cells)) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        fitted = [(c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(row, widths)]
        lines.append("  " + "  ".join(fitted).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _bars(title: str, labels: Sequence[str], values: Sequence[float], words: Sequence[str], width: int,
          scale: float | None = None) -> str:
    """A horizontal bar chart drawn by plotext, one row per item, each labelled with its words
    ("Risk  870", "tailor_it  81% (71-89)"). With `scale` (100 for percentages) the axis runs
    from 0 to the scale, so a short bar reads as short; otherwise to the largest value."""
    import plotext  # only the text report pays for it

    shown = [(printable(str(label), one_line=True)[:32], max(0.0, float(value)), printable(str(word), one_line=True))
             for label, value, word in list(zip(labels, values, words))[:CHART_ITEMS]]
    if not shown:
        return ""
    figure = plotext.figure
    figure.clear()
    figure.theme("colorless")
    ticks = [f"{label}  {word}" for label, _, word in shown]
    # Listed bottom-up; a bar at most half a row thick, so that no bar spills into the next row.
    figure.draw(figure.bar(ticks[::-1], [value for _, value, _ in shown][::-1], orientation="h", width=0.4))
    top = scale or max(value for _, value, _ in shown) or 1.0
    if scale:
        figure.ruler("x").lim(0, top)
        figure.ruler("x").ticks([0, scale / 2, scale])
    else:  # counts: whole-number ticks, never "0.17 meetings"
        whole = math.ceil(top)
        step = max(1, math.ceil(whole / 5))
        figure.ruler("x").lim(0, whole)
        figure.ruler("x").ticks(list(range(0, whole + 1, step)))
    figure.plot_size(max(50, width - 2), len(shown) + 4)
    figure.title(title)
    return "\n" + plotext.uncolorize(figure.build()).rstrip()


# -- JSON -----------------------------------------------------------------------------------

def to_data(report: Report) -> dict[str, Any]:
    """The report as plain data (what `--format json` prints)."""
    data: dict[str, Any] = {
        "generated_at": datetime.fromtimestamp(report.generated_at).isoformat(timespec="seconds"),
        "filters": report.filters.to_json(),
        "meetings": report.meetings,
        "finished": report.finished,
        "with_outcome": report.with_outcome,
        "reps": [{"rep": rep or None, "meetings": n} for rep, n in report.reps],
        "notes": list(report.notes),
        "objections": [{"objection": o.objection, "title": o.title, "raised": o.count, "by_stage": o.by_stage,
                        "outcomes": o.outcomes, "resolved": o.resolved.to_json(),
                        "customers_say": [{"text": t, "times": n} for t, n in o.examples]} for o in report.objections],
        "responses": [{"objection": r.objection, "response": r.response, "technique": r.technique, "used": r.uses,
                       "resolved": r.record.to_json(), "since": _when(r.since) or None} for r in report.responses],
        "closings": [{"closing": c.closing, "name": c.name, "worked": c.record.to_json()} for c in report.closings],
        "verdicts": [{"verdict": v.verdict, "outcomes": v.outcomes, "won": v.won.to_json()} for v in report.verdicts],
        "unanswered": [{"question": q.question, "stage": q.stage, "text": q.text, "unanswered": q.unanswered.to_json()}
                       for q in report.questions],
        "roleplay": [{"area": line.area, "month": line.month, "sessions": line.sessions, "points": line.points, "most": line.most}
                     for line in report.roleplay],
        "names_included": report.with_names,
    }
    pair = report.go_predicts
    if pair is not None:
        data["go_predicts_win"] = {"go": pair[0].to_json(), "others": pair[1].to_json()}
    if report.with_names:
        data["surprises"] = [s.__dict__ for s in report.surprises]
    return data


def to_json(report: Report) -> str:
    return dumps(to_data(report), indent=2) + "\n"


# -- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = ("section", "key", "detail", "count", "total", "rate", "low", "high")


def to_csv(report: Report) -> str:
    """Every number of the report in one long table: a row per item, `section` saying which
    table it belongs to; rate, low and high (the 95% interval) are left empty at 3 tries or fewer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(report):
        writer.writerow(row)
    return buffer.getvalue()


def _rate_cells(rate: Rate) -> list[Any]:
    if not rate.shows_percent:
        return [rate.hits, rate.total, "", "", ""]
    low, high = rate.interval
    return [rate.hits, rate.total, f"{rate.value:.4f}", f"{low:.4f}", f"{high:.4f}"]


def _csv_rows(report: Report) -> Iterable[list[Any]]:
    yield ["meetings", "all", "", report.meetings, "", "", "", ""]
    yield ["meetings", "finished", "", report.finished, report.meetings, "", "", ""]
    for rep, n in report.reps:
        yield ["reps", rep, "", n, report.meetings, "", "", ""]
    for o in report.objections:
        yield ["objections", o.objection, "", o.count, "", "", "", ""]
        for stage, n in o.by_stage.items():
            yield ["objections_by_stage", o.objection, stage, n, o.count, "", "", ""]
        yield ["objections_resolved", o.objection, "", *_rate_cells(o.resolved)]
        for text, n in o.examples:
            yield ["customers_say", o.objection, text, n, "", "", "", ""]
    for r in report.responses:
        yield ["responses", r.objection, r.response, *_rate_cells(r.record)]
    for c in report.closings:
        yield ["closings", c.closing, "", *_rate_cells(c.record)]
    for v in report.verdicts:
        for outcome in OUTCOMES:
            yield ["verdict_outcome", v.verdict, outcome, v.outcomes.get(outcome, 0), sum(v.outcomes.values()), "", "", ""]
        yield ["verdict_won", v.verdict, "", *_rate_cells(v.won)]
    for q in report.questions:
        yield ["unanswered", q.question, q.stage, *_rate_cells(q.unanswered)]
    for line in report.roleplay:
        yield ["roleplay", line.area, line.month, line.sessions, "", f"{line.points / line.most:.4f}" if line.most else "", "", ""]
    for s in report.surprises:
        yield ["surprises", f"{s.prospect}, {s.company}", f"{s.when} {s.rep}: {s.verdict} but {s.outcome}", 1, "", "", "", ""]


# -- HTML -----------------------------------------------------------------------------------

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d232b; margin: 2rem auto; max-width: 1100px; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2.4rem; border-bottom: 1px solid #d8dee6; padding-bottom: .3rem; }
p.meta { color: #5b6573; margin-top: 0; } p.note { color: #5b6573; font-size: .9rem; }
table { border-collapse: collapse; margin: .8rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .7rem; text-align: left; border-bottom: 1px solid #eef1f5; vertical-align: top; }
th { background: #f5f7fa; font-weight: 600; } td.n { text-align: right; }
svg.chart { display: block; margin: .6rem 0 1rem; } svg.chart text { font: 12px system-ui, sans-serif; fill: #1d232b; }
svg.chart rect.bar { fill: #3b7dd8; } svg.chart line.interval { stroke: #1d232b; stroke-width: 1.5; }
svg.chart line.axis { stroke: #aab3bf; } svg.chart line.grid { stroke: #e3e8ee; stroke-dasharray: 3 3; }
svg.chart text.value { fill: #3d4652; }
blockquote { margin: .2rem 0 .2rem 1rem; color: #3d4652; }
"""


def to_html(report: Report) -> str:
    """One self-contained page: the same tables and charts, for a manager's browser."""
    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    body = [f"<h1>Team report</h1><p class=\"meta\">{e(_headline(report))}; made {e(_when(report.generated_at))}</p>"]
    if report.reps:
        body.append("<p>Reps: " + ", ".join(e(f"{rep or '(unknown)'} ({n:,})") for rep, n in report.reps) + "</p>")
    body += [f"<p class=\"note\">{e(note)}</p>" for note in report.notes]
    if not report.meetings:
        body.append("<p>No meetings recorded here yet.</p>")
    if report.objections:
        stages = list(report.stages)
        body.append("<section id=\"objections\"><h2>Objections by frequency and stage</h2>")
        body.append(_svg_bars("objections", [o.title for o in report.objections], [o.count for o in report.objections],
                              [f"{o.count:,}" for o in report.objections]))
        body.append(_html_table(["objection", "raised", "resolved (95% interval)", *stages],
                                [[o.title, o.count, o.resolved.short(), *[o.by_stage.get(s, "") for s in stages]] for o in report.objections]))
        said = [(o.title, t, n) for o in report.objections for t, n in o.examples]
        if said:
            body.append("<h3>What customers say most often" + ("" if report.with_names else " (names replaced)") + "</h3>")
            body += [f"<blockquote><b>{e(title)}</b>: “{e(text)}” ({n}×)</blockquote>" for title, text, n in said]
        body.append("</section>")
    if report.responses:
        charted = _responses_charted(report)
        body.append("<section id=\"responses\"><h2>Responses: how often each resolved its objection</h2>"
                    "<p class=\"note\">As the last response tried on the objection; bars for responses used more than 3 times, "
                    "with their 95% interval.</p>")
        if charted:
            body.append(_svg_bars("responses", [f"{_title_of(report, r.objection)}: {r.response}" for r in charted],
                                  [100 * r.record.value for r in charted], [r.record.short() for r in charted],
                                  intervals=[r.record.interval for r in charted], scale=100))
        body.append(_html_table(["objection", "response", "technique", "used", "resolved (95% interval)", "since"],
                                [[_title_of(report, r.objection), r.response, r.technique, r.uses, r.record.short(), _when(r.since)]
                                 for r in report.responses]))
        body.append("</section>")
    if report.closings:
        charted = [c for c in report.closings if c.record.shows_percent]
        body.append("<section id=\"closings\"><h2>Closing methods tried</h2>")
        if charted:
            body.append(_svg_bars("closings", [c.name for c in charted], [100 * c.record.value for c in charted],
                                  [c.record.short() for c in charted], intervals=[c.record.interval for c in charted], scale=100))
        body.append(_html_table(["method", "tried", "worked (95% interval)"], [[c.name, c.record.total, c.record.short()] for c in report.closings]))
        body.append("</section>")
    if report.verdicts:
        body.append(f"<section id=\"verdicts\"><h2>Qualification verdict against the outcome</h2><p>{e(_prediction(report))}</p>")
        body.append(_svg_bars("verdicts", [VERDICT_WORDS.get(v.verdict, v.verdict) for v in report.verdicts],
                              [100 * (v.won.value or 0) for v in report.verdicts], [v.won.short() for v in report.verdicts],
                              intervals=[v.won.interval for v in report.verdicts], scale=100))
        body.append(_html_table(["verdict", "meetings", *[OUTCOME_WORDS[o] for o in OUTCOMES], "won (95% interval)"],
                                [[VERDICT_WORDS.get(v.verdict, v.verdict), sum(v.outcomes.values()),
                                  *[v.outcomes.get(o, 0) for o in OUTCOMES], v.won.short()] for v in report.verdicts]))
        if report.surprises:
            body.append("<h3>Verdicts the outcome contradicted</h3>")
            body.append(_html_table(["date", "rep", "prospect", "company", "verdict", "outcome"],
                                    [[s.when, s.rep, s.prospect, s.company, VERDICT_WORDS.get(s.verdict, s.verdict),
                                      OUTCOME_WORDS.get(s.outcome, s.outcome)] for s in report.surprises]))
        body.append("</section>")
    if report.questions:
        body.append(f"<section id=\"questions\"><h2>Questions most often left unanswered</h2>"
                    f"<p class=\"note\">Of {report.finished:,} finished meetings.</p>")
        body.append(_svg_bars("questions", [q.question for q in report.questions], [100 * (q.unanswered.value or 0) for q in report.questions],
                              [q.unanswered.short() for q in report.questions], intervals=[q.unanswered.interval for q in report.questions],
                              scale=100))
        body.append(_html_table(["question", "stage", "unanswered (95% interval)", "text"],
                                [[q.question, q.stage, q.unanswered.short(), q.text] for q in report.questions]))
        body.append("</section>")
    if report.roleplay:
        months = sorted({line.month for line in report.roleplay})
        areas = list(dict.fromkeys(line.area for line in report.roleplay))
        cells = {(line.area, line.month): line for line in report.roleplay}
        body.append("<section id=\"roleplay\"><h2>Role-play: points won per area and session, month by month</h2>"
                    "<p class=\"note\">Points won of the points there were, per session (sessions in brackets).</p>")
        for area in areas:
            lines = [cells[(area, m)] for m in months if (area, m) in cells]
            body.append(f"<h3>{e(area)}</h3>")
            body.append(_svg_bars(f"roleplay-{area}", [line.month for line in lines], [line.percent for line in lines],
                                  [_points(line) for line in lines],
                                  scale=100))
        body.append(_html_table(["area", *months], [[area, *[_points(cells[(area, m)]) if (area, m) in cells else "" for m in months]]
                                                    for area in areas]))
        body.append("</section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Team report</title><style>{STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td class=\"n\">{e(f'{c:,}')}</td>" if isinstance(c, int) else f"<td>{e(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _svg_bars(name: str, labels: Sequence[str], values: Sequence[float], words: Sequence[str],
              intervals: Sequence[tuple[float, float]] | None = None, scale: float | None = None) -> str:
    """A horizontal bar chart as inline SVG: one <rect class="bar"> per item, its label, its value
    in words, and (for rates) a line across its 95% interval."""
    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    label_width, plot_width, value_width, row = 260, 520, 170, 24
    top = max([float(v) for v in values] + [scale or 0.0, 1e-9])
    height = row * len(labels) + 8
    parts = [f"<svg class=\"chart\" data-chart=\"{e(name)}\" data-items=\"{len(labels)}\" role=\"img\" "
             f"width=\"{label_width + plot_width + value_width}\" height=\"{height}\" "
             f"viewBox=\"0 0 {label_width + plot_width + value_width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">"]
    parts.append(f"<line class=\"axis\" x1=\"{label_width}\" y1=\"0\" x2=\"{label_width}\" y2=\"{height}\"/>")
    if scale:  # percentages: faint lines at 50% and 100%, so a short bar reads as short
        for share in (0.5, 1.0):
            x = label_width + plot_width * scale * share / top
            parts.append(f"<line class=\"grid\" x1=\"{x:.1f}\" y1=\"0\" x2=\"{x:.1f}\" y2=\"{height}\"/>")
    for index, (label, value, word) in enumerate(zip(labels, values, words)):
        y = 4 + index * row
        length = plot_width * max(0.0, float(value)) / top
        shown = label if len(label) <= 38 else label[:37] + "…"
        parts.append(f"<text x=\"{label_width - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{e(shown)}</text>")
        parts.append(f"<rect class=\"bar\" x=\"{label_width}\" y=\"{y + 3}\" width=\"{length:.1f}\" height=\"{row - 8}\">"
                     f"<title>{e(label)}: {e(word)}</title></rect>")
        if intervals is not None:
            low, high = intervals[index]
            x1, x2 = label_width + plot_width * 100 * low / top, label_width + plot_width * 100 * high / top
            parts.append(f"<line class=\"interval\" x1=\"{x1:.1f}\" y1=\"{y + row / 2}\" x2=\"{x2:.1f}\" y2=\"{y + row / 2}\"/>")
        parts.append(f"<text class=\"value\" x=\"{label_width + plot_width + 8}\" y=\"{y + 15}\">{e(word)}</text>")
    parts.append("</svg>")
    return "".join(parts)
