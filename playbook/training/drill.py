"""Drill: quick practice. The app says an objection; the trainee names its category, then
picks (or types) a response. Deterministic for a seed; the CLI adds the timing."""

from __future__ import annotations

import random
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..model import Playbook, Response
from ..meeting.wording import filled_response
from ..matching.textnorm import normalise

CATEGORY_POINTS, RESPONSE_POINTS = 2, 1


@dataclass(frozen=True)
class DrillRound:
    number: int
    phrasing: str
    objection: str  # the right category
    responses: tuple[tuple[Response, str], ...]  # four candidates, with the category each belongs to


@dataclass(frozen=True)
class Verdict:
    correct: bool
    points: int
    explanation: str


class Drill:
    def __init__(self, playbook: Playbook, seed: int = 0) -> None:
        if not playbook.objections:
            raise ValueError("this playbook has no objections to drill")
        self.playbook = playbook
        self.rng = random.Random(seed)
        self.score = 0
        self.played = 0
        self._technique_matcher = None

    def rounds(self, count: int):
        pool = [(o.id, p) for o in self.playbook.objections for p in o.phrasings if len(p.split()) >= 3]
        for number, (objection_id, phrasing) in enumerate(self.rng.sample(pool, min(count, len(pool))), 1):
            objection = self.playbook.objection(objection_id)
            own = [(filled_response(r, self.playbook), objection_id)
                   for r in self.rng.sample(list(objection.responses), min(3, len(objection.responses)))]
            others = [o for o in self.playbook.objections if o.id != objection_id]
            decoy = []
            if others:
                other = self.rng.choice(others)
                decoy = [(filled_response(self.rng.choice(other.responses), self.playbook), other.id)]
            candidates = own + decoy
            self.rng.shuffle(candidates)
            yield DrillRound(number, phrasing, objection_id, tuple(candidates))

    def categories(self) -> list[tuple[str, str]]:
        return [(o.id, o.title) for o in self.playbook.objections]

    def name_category(self, round_: DrillRound, answer: str) -> Verdict:
        """The trainee names the category: its number in the list, its id or its title (typos allowed)."""
        self.played += 1
        chosen = self._category_from(answer)
        right = self.playbook.objection(round_.objection)
        if chosen == round_.objection:
            self.score += CATEGORY_POINTS
            return Verdict(True, CATEGORY_POINTS, f"Yes: {right.title}.")
        wrong = self.playbook.objection(chosen) if chosen else None
        said = f"not {wrong.title}" if wrong else "not recognised"
        return Verdict(False, 0, f"No ({said}): it is {right.title}. {right.description}".strip())

    def pick_response(self, round_: DrillRound, answer: str) -> Verdict:
        """A response by its number, or the trainee's own words (their technique is recognised)."""
        right = self.playbook.objection(round_.objection)
        fitting = {r.technique for r in right.responses}
        answer = answer.strip()
        if answer.isdigit() and 1 <= int(answer) <= len(round_.responses):
            response, belongs = round_.responses[int(answer) - 1]
            if belongs == round_.objection:
                self.score += RESPONSE_POINTS
                return Verdict(True, RESPONSE_POINTS, f"Good: {self._technique(response.technique)} fits this objection ({right.title}).")
            return Verdict(False, 0, f"That answer belongs to another objection. Fitting techniques here: {', '.join(map(self._technique, sorted(fitting)))}.")
        technique = self._recognise(answer)
        if technique in fitting:
            self.score += RESPONSE_POINTS
            return Verdict(True, RESPONSE_POINTS, f"Good: that is {self._technique(technique)}, which fits.")
        heard = f"that sounds like {self._technique(technique)}" if technique else "no technique recognised"
        return Verdict(False, 0, f"Not quite ({heard}). Fitting here: {', '.join(map(self._technique, sorted(fitting)))}.")

    def _category_from(self, answer: str) -> str | None:
        answer = answer.strip()
        ids = [o.id for o in self.playbook.objections]
        if answer.isdigit():
            index = int(answer) - 1
            return ids[index] if 0 <= index < len(ids) else None
        names = {o.id: normalise(f"{o.title} {o.id.replace('_', ' ')}") for o in self.playbook.objections}
        best = process.extractOne(normalise(answer), names, scorer=fuzz.partial_ratio, processor=None, score_cutoff=75)
        return best[2] if best else None

    def _technique(self, technique_id: str) -> str:
        technique = self.playbook.technique(technique_id)
        return technique.name if technique else technique_id

    def _recognise(self, text: str) -> str:
        if self._technique_matcher is None:
            from .roleplay import technique_matcher

            self._technique_matcher = technique_matcher(self.playbook)
        found = self._technique_matcher.scores(text, top=1)
        from .roleplay import TECHNIQUE_MIN_SCORE

        return found[0].objection if found and found[0].score >= TECHNIQUE_MIN_SCORE else ""
