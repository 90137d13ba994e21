"""How a scenario's difficulty shows in the customer's behaviour.

A harder customer has less patience (fewer turns that do not help before they end the meeting),
raises objections the scenario did not script (drawn from the playbook, deterministically for
the seed), and raises them in harder situations: where the playbook describes the situations
of an objection, the customer is in one of them and accepts only the techniques of the
responses that situation calls for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..model import Playbook, Scenario, ScenarioObjection


@dataclass(frozen=True)
class Behaviour:
    patience: int  # turns that do not help (deflected, unconvincing, premature) before the customer leaves
    extra_objections: int  # objections the scenario did not script, raised at the later stages
    situations: bool  # extra objections come in one of the playbook's situations when it has some


BEHAVIOURS: dict[str, Behaviour] = {
    "easy": Behaviour(patience=8, extra_objections=0, situations=False),
    "medium": Behaviour(patience=6, extra_objections=1, situations=False),
    "hard": Behaviour(patience=4, extra_objections=2, situations=True),
}


def behaviour(difficulty: str) -> Behaviour:
    return BEHAVIOURS.get(difficulty, BEHAVIOURS["medium"])


def extra_objections(playbook: Playbook, scenario: Scenario, rng: random.Random) -> tuple[ScenarioObjection, ...]:
    """The objections a customer of this difficulty adds to the scenario's own.

    They come at the objection-handling stage, the second one (hard) at the closing; each
    accepts the techniques of the playbook's responses to it, or, in a situation, of the
    responses the situation prefers.
    """
    wanted = behaviour(scenario.difficulty)
    scripted = {o.objection for o in scenario.objections}
    pool = [o for o in playbook.objections if o.id not in scripted and o.responses]
    stages = [s.id for kind in ("objections", "closing") for s in playbook.stages if s.kind == kind]
    if not pool or not stages or not wanted.extra_objections:
        return ()
    extras = []
    for index, objection in enumerate(rng.sample(pool, min(wanted.extra_objections, len(pool)))):
        situation = rng.choice(objection.situations) if wanted.situations and objection.situations else None
        responses = objection.responses
        if situation is not None:
            preferred = [r for r in objection.responses if r.id in situation.prefer]
            responses = tuple(preferred) or responses
        accepts = tuple(dict.fromkeys(r.technique for r in responses))
        extras.append(ScenarioObjection(objection.id, stages[index % len(stages)], "", situation.id if situation else None, accepts))
    return tuple(extras)
