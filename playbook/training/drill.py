"""Drill: quick practice. The app says an objection; the trainee names its category, then picks
(or types) a response. Deterministic for a seed.

`run_drill` plays the rounds through two functions the front end gives (ask for a line, show a
line) and a clock, so a time limit per round is real in the terminal and testable with a fake
clock: when the time runs out, the round counts as missed, the drill says so and moves on.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, Iterator

from rapidfuzz import fuzz, process

from ..matching import normalise
from ..model import Playbook, Response
from ..meeting.wording import filled_response
from . import messages as say_
from .recognition import TraineeRecogniser

CATEGORY_POINTS, RESPONSE_POINTS = 2, 1
ROUND_POINTS = CATEGORY_POINTS + RESPONSE_POINTS


class _TimedOut:
    def __repr__(self) -> str:
        return "TIMED_OUT"


TIMED_OUT = _TimedOut()  # what an `ask` function returns when its timeout passed with no answer
Ask = Callable[[str, "float | None"], "str | None | _TimedOut"]  # (prompt, seconds left) -> line, None at end of input


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
    ask_again: bool = False  # the answer was not one of the choices: nothing is counted, the question stands


class Drill:
    def __init__(self, playbook: Playbook, seed: int = 0) -> None:
        if not playbook.objections:
            raise ValueError("this playbook has no objections to drill")
        self.playbook = playbook
        self.rng = random.Random(seed)
        self.score = 0
        self.played = 0
        self.missed = 0  # rounds lost to the time limit
        self._recogniser: TraineeRecogniser | None = None

    def rounds(self, count: int) -> Iterator[DrillRound]:
        pool = [(o.id, p) for o in self.playbook.objections for p in o.phrasings if len(p.split()) >= 3]
        for number, (objection_id, phrasing) in enumerate(self.rng.sample(pool, min(count, len(pool))), 1):
            objection = self.playbook.objection(objection_id)
            own = [(filled_response(r, self.playbook), objection_id)
                   for r in self.rng.sample(list(objection.responses), min(3, len(objection.responses)))]
            others = [o for o in self.playbook.objections if o.id != objection_id and o.responses]
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
        """The trainee names the category: its number in the list, its id or its title (typos allowed).
        A number outside the list asks again."""
        answer = answer.strip()
        if answer.isdigit() and not 1 <= int(answer) <= len(self.playbook.objections):
            return Verdict(False, 0, say_.DRILL_PICK_NUMBER.format(count=len(self.playbook.objections)), ask_again=True)
        self.played += 1
        chosen = self._category_from(answer)
        right = self.playbook.objection(round_.objection)
        if chosen == round_.objection:
            self.score += CATEGORY_POINTS
            return Verdict(True, CATEGORY_POINTS, say_.DRILL_CATEGORY_RIGHT.format(objection=right.title))
        wrong = self.playbook.objection(chosen) if chosen else None
        said = say_.DRILL_CATEGORY_NOT.format(objection=wrong.title) if wrong else say_.DRILL_NOT_RECOGNISED
        return Verdict(False, 0, say_.DRILL_CATEGORY_WRONG.format(said=said, objection=right.title, description=right.description).strip())

    def pick_response(self, round_: DrillRound, answer: str) -> Verdict:
        """A response by its number, or the trainee's own words (their technique is recognised).
        A number that is not one of the choices asks again."""
        right = self.playbook.objection(round_.objection)
        fitting = {r.technique for r in right.responses}
        fitting_names = ", ".join(map(self._technique, sorted(fitting)))
        answer = answer.strip()
        if answer.isdigit():
            if not 1 <= int(answer) <= len(round_.responses):
                return Verdict(False, 0, say_.DRILL_PICK_NUMBER.format(count=len(round_.responses)), ask_again=True)
            response, belongs = round_.responses[int(answer) - 1]
            if belongs == round_.objection:
                self.score += RESPONSE_POINTS
                return Verdict(True, RESPONSE_POINTS, say_.DRILL_RESPONSE_FITS.format(technique=self._technique(response.technique),
                                                                                     objection=right.title))
            return Verdict(False, 0, say_.DRILL_RESPONSE_OTHER.format(fitting=fitting_names))
        technique = self.recognise(answer)
        if technique in fitting:
            self.score += RESPONSE_POINTS
            return Verdict(True, RESPONSE_POINTS, say_.DRILL_OWN_WORDS_FIT.format(technique=self._technique(technique)))
        heard = say_.DRILL_SOUNDS_LIKE.format(technique=self._technique(technique)) if technique else say_.DRILL_NO_TECHNIQUE
        return Verdict(False, 0, say_.DRILL_OWN_WORDS_MISS.format(heard=heard, fitting=fitting_names))

    def time_out(self, score_before: int, played_before: int) -> None:
        """The round ran out of time: it counts as played and missed, and scores nothing."""
        self.score = score_before
        self.played = played_before + 1
        self.missed += 1

    def recognise(self, text: str) -> str:
        """The handling technique in the trainee's own words, or '' when none stands out."""
        if self._recogniser is None:
            self._recogniser = TraineeRecogniser(self.playbook)
        return self._recogniser.technique(text).item

    def _category_from(self, answer: str) -> str | None:
        ids = [o.id for o in self.playbook.objections]
        if answer.isdigit():
            return ids[int(answer) - 1]
        names = {o.id: normalise(f"{o.title} {o.id.replace('_', ' ')}") for o in self.playbook.objections}
        best = process.extractOne(normalise(answer), names, scorer=fuzz.partial_ratio, processor=None, score_cutoff=75)
        return best[2] if best else None

    def _technique(self, technique_id: str) -> str:
        technique = self.playbook.technique(technique_id)
        return technique.name if technique else technique_id


@dataclass(frozen=True)
class DrillResult:
    score: int
    played: int
    missed: int
    seconds: tuple[float, ...]  # time taken per answered round

    @property
    def most(self) -> int:
        return self.played * ROUND_POINTS


def run_drill(drill: Drill, rounds: int, ask: Ask, show: Callable[[str], None], seconds: float | None = None,
              clock: Callable[[], float] = time.monotonic) -> DrillResult:
    """Play `rounds` rounds. `ask(prompt, seconds_left)` returns the trainee's line, None at the
    end of input (the drill stops), or TIMED_OUT; an answer that comes after the deadline by
    `clock` is late all the same."""
    times: list[float] = []
    categories = "  ".join(f"{i}) {title}" for i, (_, title) in enumerate(drill.categories(), 1))
    show(say_.DRILL_CATEGORIES.format(categories=categories))
    for round_ in drill.rounds(rounds):
        show("")
        show(say_.DRILL_ROUND.format(number=round_.number, rounds=rounds, phrasing=round_.phrasing))
        score_before, played_before = drill.score, drill.played
        start = clock()
        deadline = start + seconds if seconds else None

        def answer(prompt: str, judge: Callable[[str], Verdict]) -> Verdict | None | _TimedOut:
            while True:
                left = None if deadline is None else deadline - clock()
                if left is not None and left <= 0:
                    return TIMED_OUT
                line = ask(prompt, left)
                if line is None or line is TIMED_OUT:
                    return line
                if deadline is not None and clock() > deadline:
                    return TIMED_OUT
                verdict = judge(line)
                show(("  ✓ " if verdict.correct else "  ? " if verdict.ask_again else "  ✗ ") + verdict.explanation)
                if not verdict.ask_again:
                    return verdict

        verdict = answer(say_.DRILL_ASK_CATEGORY, lambda line: drill.name_category(round_, line))
        if verdict is None:
            break
        if verdict is not TIMED_OUT:
            for i, (response, _) in enumerate(round_.responses, 1):
                show(f"  {i}) {' '.join(response.text.split())}")
            verdict = answer(say_.DRILL_ASK_RESPONSE, lambda line: drill.pick_response(round_, line))
            if verdict is None:
                break
        if verdict is TIMED_OUT:
            drill.time_out(score_before, played_before)
            show("  ⏱ " + say_.DRILL_TIME_UP.format(seconds=seconds, objection=drill.playbook.objection(round_.objection).title))
            continue
        times.append(clock() - start)
        show("  " + say_.DRILL_SCORE.format(score=drill.score, most=drill.played * ROUND_POINTS, seconds=times[-1]))
    return DrillResult(drill.score, drill.played, drill.missed, tuple(times))


def done_line(result: DrillResult) -> str:
    average = sum(result.seconds) / len(result.seconds) if result.seconds else 0.0
    missed = say_.DRILL_MISSED.format(count=result.missed) if result.missed else ""
    return say_.DRILL_DONE.format(score=result.score, most=result.most, played=result.played, average=average, missed=missed)
