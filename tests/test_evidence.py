"""Evidence in the meeting: the team's record moves a response with a clearly better record up,
leaves one with 2 uses where the playbook put it, says so in the why-view, and a playbook can
turn it off."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from playbook.format import load_playbook
from playbook.learning.evidence import MIN_USES, Record, blend, describe
from playbook.meeting import MeetingSession
from playbook.store import Store

MARCH = datetime(2025, 3, 10, 10, 0).timestamp()
# price's responses, in the playbook's order:
# value_reframe, clarify_compared, simplify_offer, peer_roi, hold_the_price, meet_half_way
# A team average of 50%: were 2 of 2 counted, meet_half_way would pass hold_the_price.
RECORD = {"value_reframe": (2, 10), "clarify_compared": (2, 10), "peer_roi": (15, 20), "meet_half_way": (2, 2)}


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 30
        return self.now


@pytest.fixture(scope="module")
def playbook():
    return load_playbook(None)


@pytest.fixture
def team_store(tmp_path: Path, playbook):
    """A store where the team used price's responses with the record above, from March on."""
    store = Store.open(tmp_path / "team.db")
    clock = Clock(MARCH)
    for response, (resolved, uses) in RECORD.items():
        for i in range(uses):
            session = MeetingSession.start(playbook, store, "Prospect", clock=clock, rep="Alice")
            raised = session.raise_objection("that is too expensive", "price")
            session.use_response(raised.number, response)
            session.settle_objection(raised.number, "resolved" if i < resolved else "unresolved")
            session.end()
    yield store
    store.close()


def order(session: MeetingSession, number: int) -> list[str]:
    return [response.id for response, _ in session.responses(number)]


def test_a_clearly_better_record_moves_up_and_two_uses_move_nothing(team_store, playbook) -> None:
    without = MeetingSession.start(playbook, None, "Lea")  # no store: the playbook's order
    playbook_order = order(without, without.raise_objection("too expensive", "price").number)
    assert playbook_order.index("peer_roi") == 3 and playbook_order.index("meet_half_way") == 5

    session = MeetingSession.start(playbook, team_store, "Lea", clock=Clock(MARCH + 90 * 86400))
    number = session.raise_objection("too expensive", "price").number
    ranked = order(session, number)
    assert ranked[0] == "peer_roi"  # 15 of 20 against a team average of 50%: first
    assert ranked.index("meet_half_way") == playbook_order.index("meet_half_way")  # 2 of 2 is no evidence
    assert sorted(ranked) == sorted(playbook_order)

    why = dict((response.id, reason) for response, reason in session.responses(number))
    assert "resolved 15 of 20 times in this team (since March)" in why["peer_roi"]
    assert "resolved 2 of 2 times in this team (since March); too few uses to change the order" in why["meet_half_way"]
    assert why["simplify_offer"] == ""  # never used: nothing to say

    respond = next(g for g in session.guidance() if g.kind == "respond")
    assert respond.response == "peer_roi" and "Resolved 15 of 20 times in this team (since March)." in respond.why


def test_the_meeting_in_progress_is_not_its_own_evidence(team_store, playbook) -> None:
    session = MeetingSession.start(playbook, team_store, "Lea", clock=Clock(MARCH + 90 * 86400))
    number = session.raise_objection("too expensive", "price").number
    session.use_response(number, "hold_the_price")
    session.settle_objection(number, "resolved")
    assert "hold_the_price" not in session.evidence().of("price")


def test_a_playbook_can_turn_evidence_off(team_store, tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "playbook.yaml").write_text("playbook:\n  id: team\n  name: Team\n  extends: builtin\n  evidence: false\n")
    playbook = load_playbook(team)
    assert playbook.evidence is False
    session = MeetingSession.start(playbook, team_store, "Lea")
    number = session.raise_objection("too expensive", "price").number
    ranked = session.responses(number)
    assert [r.id for r, _ in ranked][:4] == ["value_reframe", "clarify_compared", "simplify_offer", "peer_roi"]
    assert not any("in this team" in reason for _, reason in ranked)
    assert session.evidence() is None


def test_blend_keeps_the_playbook_order_without_a_record_that_counts() -> None:
    order_ = ["a", "b", "c", "d"]
    assert [r.response for r in blend(order_, {})] == order_
    thin = {"d": Record(MIN_USES - 1, MIN_USES - 1, MARCH), "a": Record(1, 0, MARCH)}
    assert [r.response for r in blend(order_, thin)] == order_
    # a better record must beat the 5-point step per place: 2 places up needs 10 points more
    close = {"a": Record(40, 28, MARCH), "c": Record(40, 30, MARCH)}  # 70% against 75%
    assert [r.response for r in blend(order_, close)] == order_
    clear = {"a": Record(40, 16, MARCH), "c": Record(40, 36, MARCH)}  # 40% against 90%
    assert [r.response for r in blend(order_, clear)][0] == "c"


def test_describe_in_words() -> None:
    now = datetime(2025, 9, 1).timestamp()
    assert describe(Record(10, 8, MARCH), now) == "resolved 8 of 10 times in this team (since March)"
    assert describe(Record(1, 1, datetime(2024, 11, 2).timestamp()), now) == (
        f"resolved 1 of 1 time in this team (since November 2024); too few uses to change the order (it takes {MIN_USES})")
    assert describe(None) == ""
