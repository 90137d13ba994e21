"""A meeting's state as rows of the learning tables (see store/projection.py): a pure function,
so the rows written live and the rows rebuilt from the events are the same."""

from __future__ import annotations

from ..meeting.state import OPEN, MeetingState
from ..store.projection import SUPERSEDED, Projection


def project(state: MeetingState, verdict: str | None = None) -> Projection:
    """What the team can learn from this meeting so far. A role-play teaches nothing here (its
    scorecard is read from its own events)."""
    if state.kind != "meeting":
        return Projection()
    objections = []
    responses = []
    for raised in state.objections:
        objections.append((raised.number, raised.objection, raised.text, float(raised.score), raised.stage,
                           raised.situation, raised.outcome, raised.at))
        last = len(raised.responses) - 1
        for position, response in enumerate(raised.responses):
            result = (raised.outcome or OPEN) if position == last else SUPERSEDED
            responses.append((raised.number, position, raised.objection, response, result, raised.at))
    closings = tuple((position, c.closing, c.result, c.at) for position, c in enumerate(state.closings))
    answers = tuple(sorted((question, str(value)) for question, value in state.answers.items()))
    return Projection(tuple(objections), tuple(responses), closings, answers, verdict)
