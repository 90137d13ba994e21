"""The report's role-play section: points won per scorecard area, month by month, checked against
the scorecards the role-plays themselves returned."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from playbook.format import load_playbook
from playbook.learning.report import Filters, build_report
from playbook.store import Store
from playbook.training.roleplay import RecordedRolePlay


def play(store: Store, playbook, trainee: str, when: datetime, questions: list[str], seed: int):
    """A role-play on the bakery owner: ask some questions, answer the objection, close; its scorecard."""
    moment = [when.timestamp()]

    def clock() -> float:
        moment[0] += 20
        return moment[0]

    scenario = playbook.scenario("price_sensitive_owner")
    session = RecordedRolePlay(playbook, scenario, store, trainee, seed, clock)
    for text in questions:
        session.ask(text)
    session.next_stage()
    session.next_stage()
    if session.open_objection() is not None:
        session.respond("What would it cost you to keep throwing bread away every evening?", "question")
    session.close("Shall we start with the two shops in town?", "assumptive")
    return session.end()


def test_roleplay_scores_per_area_over_time(tmp_path: Path, cli) -> None:
    playbook = load_playbook(None)
    asks = ["What problem do you want to solve?", "Who decides on this?", "What budget have you set aside?",
            "Why are you interested in this now?", "How much does it cost you today?"]
    plays = [("Tom", datetime(2025, 3, 3), asks[:1]), ("Tom", datetime(2025, 3, 20), asks[:2]),
             ("Tom", datetime(2025, 4, 7), asks), ("Ana", datetime(2025, 4, 9), asks[:3])]
    expected: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    with Store.open(tmp_path / "s.db") as store:
        for seed, (trainee, when, questions) in enumerate(plays):
            card = play(store, playbook, trainee, when, questions, seed)
            for area, (got, most) in card.by_area().items():
                if most > 0:
                    cell = expected[(area, when.strftime("%Y-%m"))]
                    cell[0] += max(0.0, got)
                    cell[1] += most
                    cell[2] += 1
        report = build_report(store, playbook)
        toms = build_report(store, playbook, Filters(rep="Tom"))
    assert report.meetings == 0  # role-plays are not meetings
    got = {(line.area, line.month): [line.points, line.most, line.sessions] for line in report.roleplay}
    assert got == {key: [round(p, 1), round(m, 1), n] for key, (p, m, n) in expected.items()}
    march, april = (next(l for l in report.roleplay if l.area == "qualification" and l.month == m) for m in ("2025-03", "2025-04"))
    assert april.percent > march.percent  # asking more questions shows
    assert {line.sessions for line in toms.roleplay if line.month == "2025-04"} == {1}
    text = cli("report", "--db", str(tmp_path / "s.db")).out
    assert "Role-play: points won per area and session, month by month" in text and "2025-03" in text and "2025-04" in text
    assert not re.findall(r"\d+%(?! \(\d+-\d+\)| interval)", text)  # scores are points, not bare percentages
