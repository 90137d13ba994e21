"""`playbook report` over 2,000 simulated meetings, every number checked against counts made here
independently: a walk over the raw event rows (straight SQL, json.loads, our own bookkeeping of
stages, undo and which response came last), not the learning tables the report reads."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.learning.rates import Rate, wilson
from playbook.learning.report import Filters, build_report
from playbook.meeting.qualification import qualify
from playbook.store import Store

from conftest import SIMULATED_MEETINGS

OUTCOMES = ("won", "next_meeting", "no_decision", "lost")


@dataclass
class Walked:
    """What the raw events say, counted by hand."""

    meetings: int = 0
    finished: int = 0
    objections: Counter = field(default_factory=Counter)
    by_stage: Counter = field(default_factory=Counter)  # (objection, stage)
    objection_outcomes: Counter = field(default_factory=Counter)  # (objection, outcome)
    response_uses: Counter = field(default_factory=Counter)  # (objection, response): every use
    response_known: Counter = field(default_factory=Counter)  # uses whose result is known
    response_resolved: Counter = field(default_factory=Counter)
    closing_tries: Counter = field(default_factory=Counter)
    closing_worked: Counter = field(default_factory=Counter)
    answered_when_finished: Counter = field(default_factory=Counter)  # question -> finished meetings with an answer
    verdict_outcome: Counter = field(default_factory=Counter)  # (verdict, outcome)
    texts: Counter = field(default_factory=Counter)  # (objection, text)


def walk(path: Path, playbook, only: set[str] | None = None) -> Walked:
    db = sqlite3.connect(path)
    kinds = dict(db.execute("SELECT id, kind FROM sessions"))
    events: dict[str, list[tuple[int, str, dict]]] = defaultdict(list)
    for session_id, seq, kind, data in db.execute("SELECT session_id, seq, type, data FROM events ORDER BY session_id, seq"):
        events[session_id].append((seq, kind, json.loads(data)))
    db.close()
    out = Walked()
    first_stage = playbook.stages[0].id
    for session_id, log in events.items():
        if kinds[session_id] != "meeting" or (only is not None and session_id not in only):
            continue
        undone = {data["seq"] for _, kind, data in log if kind == "undone"}
        stage, raised, closings, answers, ended, outcome = first_stage, {}, [], {}, False, ""
        for seq, kind, data in log:
            if seq in undone or kind == "undone":
                continue
            if kind == "stage_changed":
                stage = data["stage"]
            elif kind == "objection_raised":
                raised[data["number"]] = {"objection": data["objection"], "stage": stage, "responses": [], "outcome": "open",
                                          "text": data["text"]}
            elif kind == "response_used":
                raised[data["number"]]["responses"].append(data["response"])
            elif kind == "objection_settled":
                raised[data["number"]]["outcome"] = data["outcome"]
            elif kind == "closing_attempted":
                closings.append((data["closing"], data["result"]))
            elif kind == "question_answered":
                answers[data["question"]] = data["value"]
            elif kind == "answer_cleared":
                answers.pop(data["question"], None)
            elif kind == "outcome_recorded":
                outcome = data["outcome"]
            elif kind == "meeting_ended":
                ended = True
                outcome = outcome or data.get("outcome", "")
        out.meetings += 1
        out.finished += ended
        for item in raised.values():
            o = item["objection"]
            out.objections[o] += 1
            out.by_stage[(o, item["stage"])] += 1
            out.objection_outcomes[(o, item["outcome"])] += 1
            out.texts[(o, item["text"])] += 1
            for position, response in enumerate(item["responses"]):
                out.response_uses[(o, response)] += 1
                last = position == len(item["responses"]) - 1
                if not last or item["outcome"] in ("resolved", "parked", "unresolved"):
                    out.response_known[(o, response)] += 1
                if last and item["outcome"] == "resolved":
                    out.response_resolved[(o, response)] += 1
        for closing, result in closings:
            out.closing_tries[closing] += 1
            out.closing_worked[closing] += result == "success"
        if ended:
            for question in answers:
                out.answered_when_finished[question] += 1
        if outcome in OUTCOMES:
            out.verdict_outcome[(qualify(playbook, answers).verdict, outcome)] += 1
    return out


@pytest.fixture(scope="module")
def playbook():
    return load_playbook(None)


@pytest.fixture(scope="module")
def walked(simulated, playbook) -> Walked:
    return walk(simulated[0], playbook)


@pytest.fixture(scope="module")
def report(simulated, playbook):
    with Store.open(simulated[0]) as store:
        return build_report(store, playbook)


def test_the_simulation_is_varied_enough_to_test_anything(simulated, walked) -> None:
    _, simulation = simulated
    assert walked.meetings == SIMULATED_MEETINGS
    assert len(simulation.by_rep) == 4 and min(simulation.by_rep.values()) > 250
    assert len(walked.objections) == 9  # every category comes up
    assert sum(walked.objections.values()) > 3000
    assert len(walked.closing_tries) >= 5
    assert len(simulation.typed) == sum(walked.objections.values())


def test_meetings_and_reps_match_the_simulation(report, simulated, walked) -> None:
    _, simulation = simulated
    assert report.meetings == walked.meetings == SIMULATED_MEETINGS
    assert report.finished == walked.finished
    assert dict(report.reps) == simulation.by_rep


def test_objections_by_frequency_stage_and_outcome(report, walked) -> None:
    assert {o.objection: o.count for o in report.objections} == dict(walked.objections)
    counts = [o.count for o in report.objections]
    assert counts == sorted(counts, reverse=True)
    for line in report.objections:
        assert line.by_stage == {stage: n for (o, stage), n in walked.by_stage.items() if o == line.objection}
        assert line.outcomes == {outcome: n for (o, outcome), n in walked.objection_outcomes.items() if o == line.objection}
        settled = sum(n for (o, outcome), n in walked.objection_outcomes.items() if o == line.objection and outcome != "open")
        assert line.resolved == Rate(walked.objection_outcomes[(line.objection, "resolved")], settled)


def test_every_response_record_and_its_interval(report, walked) -> None:
    assert {(r.objection, r.response) for r in report.responses} == set(walked.response_uses)
    for line in report.responses:
        key = (line.objection, line.response)
        assert line.uses == walked.response_uses[key]
        assert line.record == Rate(walked.response_resolved[key], walked.response_known[key])
    well_used = [r for r in report.responses if r.record.total > 30]
    assert well_used
    for line in well_used:
        low, high = line.record.interval
        assert low < line.record.value < high
        assert (low, high) == wilson(line.record.hits, line.record.total)


def test_closing_methods_tried_and_their_success(report, walked) -> None:
    assert {c.closing: (c.record.hits, c.record.total) for c in report.closings} == {
        closing: (walked.closing_worked[closing], n) for closing, n in walked.closing_tries.items()}


def test_questions_left_unanswered(report, walked, playbook) -> None:
    expected = {q.id: walked.finished - walked.answered_when_finished[q.id] for q in playbook.questions if q.weight > 0}
    assert {q.question: q.unanswered.hits for q in report.questions} == expected
    assert all(q.unanswered.total == walked.finished for q in report.questions)
    assert [q.unanswered.hits for q in report.questions] == sorted(expected.values(), reverse=True)


def test_verdict_against_the_outcome(report, walked) -> None:
    table = {v.verdict: v.outcomes for v in report.verdicts}
    expected: dict[str, dict[str, int]] = defaultdict(dict)
    for (verdict, outcome), n in walked.verdict_outcome.items():
        expected[verdict][outcome] = n
    assert table == dict(expected)
    go, others = report.go_predicts
    assert go.hits == walked.verdict_outcome[("go", "won")]
    assert others.total == sum(n for (v, _), n in walked.verdict_outcome.items() if v != "go")
    assert go.value > others.value  # in this market, Go does predict a win


def test_the_rep_and_since_filters(simulated, playbook) -> None:
    path, simulation = simulated
    with Store.open(path) as store:
        created = dict(store.read("SELECT id, created_at FROM sessions"))
        since = datetime(2025, 6, 1).timestamp()
        alice = build_report(store, playbook, Filters(rep="Alice Martin"))
        recent = build_report(store, playbook, Filters(since=since))
    mine = {sid for sid, rep in simulation.rep_of.items() if rep == "Alice Martin"}
    assert alice.meetings == len(mine) == simulation.by_rep["Alice Martin"]
    assert {o.objection: o.count for o in alice.objections} == dict(walk(path, playbook, mine).objections)
    later = {sid for sid in simulation.sessions if created[sid] >= since}
    assert 0 < recent.meetings == len(later) < SIMULATED_MEETINGS
    assert {(r.objection, r.response): r.record for r in recent.responses} == {
        key: Rate(w.response_resolved[key], w.response_known[key]) for w in [walk(path, playbook, later)] for key in w.response_uses}


def test_json_and_csv_carry_the_same_numbers(simulated, walked, cli) -> None:
    path, _ = simulated
    result = cli("report", "--db", str(path), "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert {o["objection"]: o["raised"] for o in data["objections"]} == dict(walked.objections)
    for item in data["responses"]:
        key = (item["objection"], item["response"])
        assert (item["resolved"]["hits"], item["resolved"]["total"]) == (walked.response_resolved[key], walked.response_known[key])
        assert ("rate" in item["resolved"]) == (item["resolved"]["total"] > 3)  # never a bare percentage at 3 or fewer
    result = cli("report", "--db", str(path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    closings = {r["key"]: (int(r["count"]), int(r["total"])) for r in rows if r["section"] == "closings"}
    assert closings == {c: (walked.closing_worked[c], n) for c, n in walked.closing_tries.items()}
    assert all(r["rate"] for r in rows if r["section"] == "responses" and int(r["total"]) > 3)
    last_days = list(csv.DictReader(io.StringIO(cli("report", "--db", str(path), "--format", "csv", "--since", "2025-09-25").out)))
    few = [r for r in last_days if r["section"] == "responses" and int(r["total"]) <= 3]
    assert few and all(r["rate"] == r["low"] == r["high"] == "" for r in few)


def test_the_text_report_has_tables_and_charts(simulated, walked, cli) -> None:
    path, _ = simulated
    result = cli("report", "--db", str(path))
    assert result.code == 0, result.err
    out = result.out
    for heading in ("Objections by frequency and stage", "Responses: how often each resolved", "Closing methods tried",
                    "Questions most often left unanswered", "Objections raised"):
        assert heading in out
    assert "\x1b" not in out  # not a terminal: no colour codes
    chart = [line for line in out.split("Objections raised", 1)[1].splitlines()[:14] if "┤" in line]
    (top, count), = walked.objections.most_common(1)
    assert len(chart) == 9
    assert chart[0].strip().startswith(load_playbook(None).objection(top).title) and f"  {count:,}┤█" in chart[0]
    assert all("█" in line for line in chart)
    # a chart of rates is drawn on a 0-100 axis: about 30% fills about 30% of the plot
    section = out.split("Left unanswered, %", 1)[1].splitlines()
    room = len(next(line for line in section if "┌" in line).strip()) - 2
    rows = [line for line in section[:16] if "┤" in line]
    cells = [(line.split("┤")[1].count("█"), int(re.search(r"(\d+)% \(\d+-\d+\)┤", line).group(1))) for line in rows]
    assert cells and all(abs(n - room * percent / 100) <= 2 for n, percent in cells), (room, cells)
    # every percentage in the report comes with its 95% interval
    assert re.findall(r"\d+%", out)
    assert not re.findall(r"(?<![-\d])\d+%(?! \(\d+-\d+\)| interval|, 95% interval \d+-\d+%)", out)
