"""The manager's report: what the team's meetings say, as plain SQL aggregates over the learning
tables (store/projection.py), so 100,000 meetings read in about a second.

What it holds: objections by frequency and by stage; each response's record (times used,
resolved, with a Wilson interval); the closing methods tried and how often they worked; the
qualification verdict against the deal's outcome (did Go predict a win?); the questions most
often left unanswered; role-play scores per area, month by month; and, per objection, what
customers said most often (names replaced unless asked for). `render.py` turns it into text,
JSON, CSV or HTML.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..meeting.qualification import qualify
from ..model import Playbook
from ..store.projection import SUPERSEDED
from .privacy import names_redactor
from .rates import Rate

if TYPE_CHECKING:
    from ..store.sqlite import Store

OUTCOMES = ("won", "next_meeting", "no_decision", "lost")
SETTLED = ("resolved", "parked", "unresolved")
VERDICTS = ("go", "not_yet", "no_go")
EXAMPLES_PER_OBJECTION = 3
MAX_EXAMPLE = 120
SURPRISES_SHOWN = 20


class ReportError(ValueError):
    """A filter that cannot be read (a date in words that is not one); the message says which."""


def since_timestamp(text: str, now: datetime | None = None) -> float:
    """The start of the day `text` names: 2025-03-01, 2025-03 (the month's first day), or words
    ("3 months ago", "March", "1 mars") read by dateparser when it is installed."""
    text = " ".join(text.split())
    for layout in ("%Y-%m-%d", "%Y-%m", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).timestamp()
        except ValueError:
            pass
    try:
        import dateparser  # noqa: PLC0415 (slow to import; only for dates in words)
    except ImportError:
        raise ReportError(f"'{text}' is not a date (write it as 2025-03-01)") from None
    now = now or datetime.now()
    found = dateparser.parse(text, settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": now, "RETURN_AS_TIMEZONE_AWARE": False})
    if found is None:
        raise ReportError(f"'{text}' is not a date (write it as 2025-03-01, or in words such as \"3 months ago\")")
    return datetime(found.year, found.month, found.day).timestamp()


def playbook_values(spec: str, playbook: Playbook) -> tuple[str, ...]:
    """What a session's `playbook` column holds for this playbook: the spec it was loaded from
    (builtin, builtin:NAME, or its absolute path) and, for sessions recorded before specs were,
    its id."""
    from ..meeting.session import canonical_spec

    return tuple(dict.fromkeys((canonical_spec(spec), playbook.id)))


@dataclass(frozen=True)
class Filters:
    """Which meetings the report reads. `playbooks`: the values a session's playbook column may
    hold for the playbook asked for (its spec, and its id for sessions recorded before specs)."""

    since: float | None = None
    rep: str | None = None
    playbooks: tuple[str, ...] = ()

    def where(self, alias: str = "s") -> tuple[str, list[Any]]:
        clauses, params = [], []
        if self.since is not None:
            clauses.append(f"{alias}.created_at >= ?")
            params.append(self.since)
        if self.rep:
            clauses.append(f"{alias}.rep = ?")
            params.append(self.rep)
        if self.playbooks:
            clauses.append(f"{alias}.playbook IN ({', '.join('?' for _ in self.playbooks)})")
            params.extend(self.playbooks)
        return " AND ".join(clauses), params

    def to_json(self) -> dict[str, Any]:
        return {"since": datetime.fromtimestamp(self.since).date().isoformat() if self.since is not None else None,
                "rep": self.rep, "playbook": list(self.playbooks) or None}


@dataclass(frozen=True)
class ObjectionLine:
    objection: str
    title: str
    count: int
    by_stage: dict[str, int]
    outcomes: dict[str, int]  # resolved, parked, unresolved, open
    examples: tuple[tuple[str, int], ...] = ()  # what customers said most often, and how often

    @property
    def resolved(self) -> Rate:
        settled = sum(self.outcomes.get(k, 0) for k in SETTLED)
        return Rate(self.outcomes.get("resolved", 0), settled)


@dataclass(frozen=True)
class ResponseLine:
    objection: str
    response: str
    technique: str
    uses: int  # every use, an objection still open included
    record: Rate  # resolved, of the uses whose result is known
    since: float | None


@dataclass(frozen=True)
class ClosingLine:
    closing: str
    name: str
    record: Rate  # worked, of tries


@dataclass(frozen=True)
class VerdictLine:
    verdict: str
    outcomes: dict[str, int]

    @property
    def won(self) -> Rate:
        return Rate(self.outcomes.get("won", 0), sum(self.outcomes.values()))


@dataclass(frozen=True)
class QuestionLine:
    question: str
    text: str
    stage: str
    unanswered: Rate  # meetings that finished without an answer, of the finished meetings


@dataclass(frozen=True)
class RolePlayLine:
    """An area of the role-play scorecard over one month: points got of the points there were."""

    area: str
    month: str  # YYYY-MM
    sessions: int
    points: float
    most: float

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.most if self.most else 0.0


@dataclass(frozen=True)
class Surprise:
    """A meeting whose verdict and outcome disagree (listed only with names asked for)."""

    when: str
    rep: str
    prospect: str
    company: str
    verdict: str
    outcome: str


@dataclass(frozen=True)
class Report:
    filters: Filters
    generated_at: float
    meetings: int
    finished: int
    with_outcome: int
    reps: tuple[tuple[str, int], ...]
    objections: tuple[ObjectionLine, ...]
    stages: tuple[str, ...]
    responses: tuple[ResponseLine, ...]
    closings: tuple[ClosingLine, ...]
    verdicts: tuple[VerdictLine, ...]
    questions: tuple[QuestionLine, ...]
    roleplay: tuple[RolePlayLine, ...]
    with_names: bool = False
    surprises: tuple[Surprise, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def go_predicts(self) -> tuple[Rate, Rate] | None:
        """Won among Go verdicts, and won among the others (meetings with an outcome)."""
        go = next((v for v in self.verdicts if v.verdict == "go"), None)
        others = [v for v in self.verdicts if v.verdict != "go"]
        if go is None and not others:
            return None
        other_won = sum(v.outcomes.get("won", 0) for v in others)
        other_total = sum(sum(v.outcomes.values()) for v in others)
        return (go.won if go else Rate(0, 0)), Rate(other_won, other_total)


def build_report(store: "Store", playbook: Playbook, filters: Filters = Filters(), with_names: bool = False,
                 now: float | None = None) -> Report:
    """The report over the store's meetings that pass `filters`, labelled from `playbook`."""
    where, params = filters.where("s")
    meeting_where = "s.kind = 'meeting'" + (f" AND {where}" if where else "")
    # The learning tables hold meetings only: without filters, no need to join the sessions.
    chosen = f" WHERE session_id IN (SELECT s.id FROM sessions s WHERE {meeting_where})" if where else ""
    chosen_params = params if where else []
    has_outcome = "outcome" in store.columns("sessions")

    counted = store.read(
        f"SELECT count(*), coalesce(sum(CASE WHEN s.ended_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM sessions s WHERE {meeting_where}",
        params)
    meetings, finished = counted[0] if counted else (0, 0)
    reps = tuple((rep if isinstance(rep, str) else "", n) for rep, n in store.read(
        f"SELECT s.rep, count(*) FROM sessions s WHERE {meeting_where} GROUP BY s.rep ORDER BY count(*) DESC, s.rep", params))

    objections = _objections(store, playbook, chosen, chosen_params, with_names)
    stage_order = [s.id for s in playbook.stages]
    seen_stages = {stage for line in objections for stage in line.by_stage}
    stages = tuple([s for s in stage_order if s in seen_stages] + sorted(seen_stages - set(stage_order)))
    responses = _responses(store, playbook, chosen, chosen_params)
    closings = _closings(store, playbook, chosen, chosen_params)
    verdicts, with_outcome, notes = _verdicts(store, playbook, meeting_where, params, has_outcome)
    questions = _questions(store, playbook, meeting_where, params, finished)
    roleplay = _roleplay(store, filters)
    surprises = _surprises(store, meeting_where, params) if with_names and has_outcome else ()
    return Report(filters, time.time() if now is None else now, int(meetings), int(finished), with_outcome, reps,
                  objections, stages, responses, closings, verdicts, questions, roleplay, with_names, surprises, notes)


def _objections(store: "Store", playbook: Playbook, chosen: str, params: list[Any], with_names: bool) -> tuple[ObjectionLine, ...]:
    counts: Counter[str] = Counter()
    by_stage: dict[str, Counter[str]] = defaultdict(Counter)
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    for objection, stage, outcome, n in store.read(
            f"SELECT objection, stage, outcome, count(*) FROM learning_objections{chosen} GROUP BY objection, stage, outcome", params):
        counts[objection] += n
        by_stage[objection][stage or "(unknown)"] += n
        outcomes[objection][outcome] += n
    examples = _examples(store, playbook, chosen, params, with_names)
    lines = []
    for objection, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        found = playbook.objection(objection)
        lines.append(ObjectionLine(objection, found.title if found else objection, count, dict(by_stage[objection]),
                                   dict(outcomes[objection]), examples.get(objection, ())))
    return tuple(lines)


def _examples(store: "Store", playbook: Playbook, chosen: str, params: list[Any], with_names: bool) -> dict[str, tuple[tuple[str, int], ...]]:
    """What customers said most often for each objection, as the reps typed it."""
    rows = store.read(f"SELECT objection, text, count(*) FROM learning_objections{chosen} GROUP BY objection, text", params)
    redact = (lambda text: text) if with_names else names_redactor(store, playbook)
    # The same words typed with other capitals or spaces count as one, shown as typed most often.
    said: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for objection, text, n in rows:
        if isinstance(text, str):
            said[objection][" ".join(text.lower().split())][text] += n
    out = {}
    for objection, groups in said.items():
        ranked = sorted(groups.values(), key=lambda forms: (-sum(forms.values()), forms.most_common(1)[0][0]))
        shown: dict[str, int] = {}
        for forms in ranked:
            words = redact(" ".join(forms.most_common(1)[0][0].split()))
            words = words if len(words) <= MAX_EXAMPLE else words[: MAX_EXAMPLE - 1] + "…"
            shown[words] = shown.get(words, 0) + sum(forms.values())
            if len(shown) == EXAMPLES_PER_OBJECTION:
                break
        out[objection] = tuple(sorted(shown.items(), key=lambda item: -item[1]))
    return out


def _responses(store: "Store", playbook: Playbook, chosen: str, params: list[Any]) -> tuple[ResponseLine, ...]:
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    since: dict[tuple[str, str], float] = {}
    for objection, response, result, n, first in store.read(
            f"SELECT objection, response, result, count(*), min(at) FROM learning_responses{chosen} GROUP BY objection, response, result",
            params):
        totals[(objection, response)][result] += n
        since[(objection, response)] = min(first, since.get((objection, response), first))
    order = {o.id: (i, {r.id: j for j, r in enumerate(o.responses)}) for i, o in enumerate(playbook.objections)}
    lines = []
    for (objection, response), results in totals.items():
        known = sum(n for result, n in results.items() if result in (*SETTLED, SUPERSEDED))
        found = playbook.objection(objection)
        technique = found.response(response).technique if found and found.response(response) else ""
        lines.append(ResponseLine(objection, response, technique, sum(results.values()), Rate(results.get("resolved", 0), known),
                                  since.get((objection, response))))

    def place(line: ResponseLine) -> tuple:
        objection_place, responses = order.get(line.objection, (len(order), {}))
        return (objection_place, line.objection, responses.get(line.response, len(responses)), line.response)

    return tuple(sorted(lines, key=place))


def _closings(store: "Store", playbook: Playbook, chosen: str, params: list[Any]) -> tuple[ClosingLine, ...]:
    results: dict[str, Counter[str]] = defaultdict(Counter)
    for closing, result, n in store.read(f"SELECT closing, result, count(*) FROM learning_closings{chosen} GROUP BY closing, result", params):
        results[closing][result] += n
    lines = []
    for closing, counts in results.items():
        found = playbook.closing(closing)
        lines.append(ClosingLine(closing, found.name if found else closing, Rate(counts.get("success", 0), sum(counts.values()))))
    return tuple(sorted(lines, key=lambda line: (-line.record.total, line.closing)))


def _verdicts(store: "Store", playbook: Playbook, meeting_where: str, params: list[Any],
              has_outcome: bool) -> tuple[tuple[VerdictLine, ...], int, tuple[str, ...]]:
    if not has_outcome:
        return (), 0, ("no meeting outcomes in this store yet (they are recorded from the meeting's summary)",)
    outcome_known = f"{meeting_where} AND s.outcome IN ({', '.join(repr(o) for o in OUTCOMES)})"
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for verdict, outcome, n in store.read(
            f"SELECT s.verdict, s.outcome, count(*) FROM sessions s WHERE {outcome_known} AND s.verdict IS NOT NULL"
            " GROUP BY s.verdict, s.outcome", params):
        table[verdict][outcome] += n
    # Meetings recorded before verdicts were kept: their verdict from their answers, with this playbook.
    older: dict[str, dict[str, str]] = defaultdict(dict)
    outcomes_of: dict[str, str] = {}
    for session_id, outcome, question, value in store.read(
            f"SELECT s.id, s.outcome, a.question, a.value FROM sessions s LEFT JOIN learning_answers a ON a.session_id = s.id"
            f" WHERE {outcome_known} AND s.verdict IS NULL", params):
        outcomes_of[session_id] = outcome
        if question is not None:
            older[session_id][question] = _answer_value(playbook, question, value)
    for session_id, outcome in outcomes_of.items():
        table[qualify(playbook, older.get(session_id, {})).verdict][outcome] += 1
    lines = tuple(VerdictLine(v, dict(table[v])) for v in VERDICTS if v in table)
    return lines, sum(sum(c.values()) for c in table.values()), ()


def _answer_value(playbook: Playbook, question: str, value: str) -> str | float:
    found = playbook.question(question)
    if found is not None and found.type == "number":
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _questions(store: "Store", playbook: Playbook, meeting_where: str, params: list[Any], finished: int) -> tuple[QuestionLine, ...]:
    if not finished:
        return ()
    if params:  # a share of the meetings: their answers
        answered = Counter(dict(store.read(
            f"SELECT question, count(*) FROM learning_answers WHERE session_id IN"
            f" (SELECT s.id FROM sessions s WHERE {meeting_where} AND s.ended_at IS NOT NULL) GROUP BY question", params)))
    else:  # every meeting: count from the index, less the few meetings still under way
        answered = Counter(dict(store.read("SELECT question, count(*) FROM learning_answers GROUP BY question")))
        answered.subtract(dict(store.read(
            f"SELECT question, count(*) FROM learning_answers WHERE session_id IN"
            f" (SELECT s.id FROM sessions s WHERE {meeting_where} AND s.ended_at IS NULL) GROUP BY question")))
    lines = [QuestionLine(q.id, q.text, q.stage, Rate(finished - int(answered.get(q.id, 0)), finished))
             for q in playbook.questions if q.weight > 0]
    return tuple(sorted(lines, key=lambda line: (-line.unanswered.hits, line.question)))


def _roleplay(store: "Store", filters: Filters) -> tuple[RolePlayLine, ...]:
    clauses, params = ["s.kind = 'roleplay'", "e.type = 'scorecard_recorded'"], []
    if filters.since is not None:
        clauses.append("s.created_at >= ?")
        params.append(filters.since)
    if filters.rep:
        clauses.append("coalesce(s.rep, s.prospect) = ?")  # a role-play records its trainee as its prospect
        params.append(filters.rep)
    if filters.playbooks:
        clauses.append(f"s.playbook IN ({', '.join('?' for _ in filters.playbooks)})")
        params.extend(filters.playbooks)
    got: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for created, data in store.read(
            f"SELECT s.created_at, e.data FROM sessions s JOIN events e ON e.session_id = s.id WHERE {' AND '.join(clauses)}", params):
        month = datetime.fromtimestamp(created).strftime("%Y-%m")
        try:
            lines = json.loads(data).get("lines", [])
        except (ValueError, AttributeError):
            continue
        areas: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for line in lines:
            if isinstance(line, dict) and isinstance(line.get("area"), str):
                areas[line["area"]][0] += float(line.get("points") or 0)
                areas[line["area"]][1] += float(line.get("max_points") or 0)
        for area, (points, most) in areas.items():
            if most > 0:
                bucket = got[(area, month)]
                bucket[0] += max(0.0, points)
                bucket[1] += most
                bucket[2] += 1
    return tuple(RolePlayLine(area, month, int(n), round(points, 1), round(most, 1))
                 for (area, month), (points, most, n) in sorted(got.items()))


def _surprises(store: "Store", meeting_where: str, params: list[Any]) -> tuple[Surprise, ...]:
    rows = store.read(
        f"SELECT s.created_at, coalesce(s.rep, ''), s.prospect, s.company, s.verdict, s.outcome FROM sessions s WHERE {meeting_where}"
        " AND ((s.verdict = 'go' AND s.outcome = 'lost') OR (s.verdict = 'no_go' AND s.outcome = 'won'))"
        f" ORDER BY s.created_at DESC LIMIT {SURPRISES_SHOWN}", params)
    return tuple(Surprise(datetime.fromtimestamp(at).date().isoformat(), rep, prospect, company, verdict, outcome)
                 for at, rep, prospect, company, verdict, outcome in rows)
