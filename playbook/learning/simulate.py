"""Simulated meetings: reps with their own habits selling to the role-play scenarios' customers,
recorded through `MeetingSession` like real meetings. For tests and benchmarks of what the team
learns (the report, the evidence, `learn`): deterministic for a seed.

The simulated market has a truth the reps do not see: each objection gives way to some
techniques (a scenario's `accepts`, or MARKET_ACCEPTS for the objections a customer raises
on top of the scenario's), with RESOLVES_FITTING chances against RESOLVES_OTHER for the rest.
Customers say the scenario's lines or field words (customer_words.py); the rep types them, keeps
the matcher's guess when it is right and picks the category by hand when it is not. Each customer
is more or less keen (hidden): keen ones commit (time, data, a next step of their own) and buy
more often; the least keen have no budget at all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Sequence

from ..matching.matcher import Matcher
from ..meeting.session import MeetingSession
from ..model import Playbook, Scenario
from .customer_words import spoken

MARKET_ACCEPTS: dict[str, tuple[str, ...]] = {
    "price": ("third_party", "simplify"),
    "timing": ("trial_offer", "question"),
    "need": ("question",),
    "product": ("demonstration", "trial_offer"),
    "messenger": ("third_party", "trial_offer"),
    "authority": ("internal_case", "question"),
    "competitor": ("question", "demonstration"),
    "brush_off": ("question",),
    "risk": ("trial_offer", "third_party"),
}
RESOLVES_FITTING, RESOLVES_OTHER = 0.8, 0.25
EXTRA_OBJECTION = 0.5  # chance that a customer raises one objection more than the scenario's
NAME_IN_WORDS = 0.04  # chance that a customer's words name their own company
CLOSE_WORKS = 0.75
START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc).timestamp()
SPAN_DAYS = 270
STEP_SECONDS = 40.0

FIRST_NAMES = ("Marc", "Julie", "Sophie", "Thomas", "Nadia", "Karim", "Elena", "Paul", "Ines", "Hugo", "Lea", "Omar",
               "Clara", "Victor", "Amel", "Jonas", "Rita", "Bastien", "Yuki", "Greta")
LAST_NAMES = ("Dubois", "Perrin", "Laurent", "Girard", "Benali", "Moreau", "Fontaine", "Kowalski", "Haddad", "Lindqvist",
              "Okafor", "Varga", "Brennan", "Castellano", "Nakamura", "Schmitt", "Delacroix", "Ferreira", "Quist", "Rousset")
COMPANY_KINDS = ("Bakeries", "Engineering", "Distribution", "Agency", "Clinics", "Logistics", "Foods", "Printing", "Robotics",
                 "Textiles")


@dataclass(frozen=True)
class Rep:
    """A simulated rep's habits."""

    name: str
    asks: float  # share of the customer's facts the rep asks about
    picks: str  # which response: "top" (the first offered), "technique:<id>" (a favourite), "random"
    persistence: int  # responses tried on one objection before giving up
    closes: str  # "fit" (the methods the guidance offers) or "direct"
    own_words: float  # share of objections the customer says in field words rather than the scenario's line
    weight: float = 1.0  # how many meetings the rep holds, relatively


REPS: tuple[Rep, ...] = (
    Rep("Alice Martin", asks=0.95, picks="top", persistence=2, closes="fit", own_words=0.6, weight=1.3),
    Rep("Bruno Keller", asks=0.45, picks="top", persistence=1, closes="direct", own_words=0.6, weight=1.0),
    Rep("Chloe Dubreuil", asks=0.75, picks="technique:question", persistence=2, closes="fit", own_words=0.7),
    Rep("Dev Patel", asks=0.65, picks="random", persistence=3, closes="fit", own_words=0.8, weight=0.8),
)


@dataclass
class Simulation:
    """What was simulated, counted as it happened (tests check reports against other counts)."""

    sessions: list[str] = field(default_factory=list)
    by_rep: dict[str, int] = field(default_factory=dict)
    rep_of: dict[str, str] = field(default_factory=dict)  # session id -> rep
    typed: list[tuple[str, str]] = field(default_factory=list)  # (text, objection) the reps recorded
    prospects: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)


def simulate(store, playbook: Playbook, meetings: int = 2000, seed: int = 7, reps: Sequence[Rep] = REPS,
             start: float = START, span_days: float = SPAN_DAYS, matcher: Matcher | None = None) -> Simulation:
    """Record `meetings` simulated meetings in `store` (deterministic for `seed`)."""
    rng = random.Random(seed)
    matcher = matcher or Matcher.from_playbook(playbook)
    scenarios = [s for s in playbook.scenarios if s.objections]
    if not scenarios:
        raise ValueError("the playbook has no scenarios to simulate customers from")
    out = Simulation()
    spacing = span_days * 86400.0 / max(1, meetings)
    for index in range(meetings):
        rep = rng.choices(list(reps), weights=[r.weight for r in reps])[0]
        scenario = rng.choice(scenarios)
        meeting = _Meeting(playbook, store, matcher, rep, scenario, rng, start + index * spacing, out)
        meeting.play()
        out.sessions.append(meeting.session.id)
        out.by_rep[rep.name] = out.by_rep.get(rep.name, 0) + 1
        out.rep_of[meeting.session.id] = rep.name
    return out


class _Meeting:
    def __init__(self, playbook: Playbook, store, matcher: Matcher, rep: Rep, scenario: Scenario, rng: random.Random,
                 begins: float, out: Simulation) -> None:
        self.playbook, self.rep, self.scenario, self.rng, self.out = playbook, rep, scenario, rng, out
        self.now = begins
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        self.company = f"{rng.choice(LAST_NAMES)} {rng.choice(COMPANY_KINDS)}"
        prospect = f"{first} {last}"
        out.prospects.add(prospect)
        out.companies.add(self.company)
        self.session = MeetingSession.start(playbook, store, prospect, self.company, clock=self._clock, matcher=matcher,
                                            rep=rep.name)
        self.raised_specs: set[int] = set()
        self.keen = rng.random()
        self.won = False

    def _clock(self) -> float:
        self.now += STEP_SECONDS
        return self.now

    # -- the meeting ---------------------------------------------------------------------------

    def play(self) -> None:
        session, scenario = self.session, self.scenario
        extra_stage = self.rng.choice([s.id for s in self.playbook.stages[1:4]]) if self.rng.random() < EXTRA_OBJECTION else None
        for stage in self.playbook.stages:
            session.set_stage(stage.id)
            for question in [q for q in self.playbook.questions if q.stage == stage.id]:
                answer = self._answer(question)
                if answer is not None and self.rng.random() < self.rep.asks:
                    session.answer(question.id, answer)
            for index, spec in enumerate(scenario.objections):
                if spec.when == stage.id:
                    self._objection(index)
            if stage.id == extra_stage:
                self._extra_objection()
            if stage.kind == "closing":
                self._close()
        self._finish()

    def _answer(self, question) -> str | float | None:
        """What the customer answers: the scenario's fact, or their commitment (from how keen they are)."""
        if question.id == "budget" and self.keen < 0.1:
            return "none"
        fact = self.scenario.fact(question.id)
        if fact is not None:
            return fact.answer
        if question.commitment and question.type == "yesno":
            return "yes" if self.keen > 0.3 else "no"
        if question.commitment and question.answer("concrete"):
            return "concrete" if self.keen > 0.6 else "vague" if self.keen > 0.3 else "nothing"
        if question.type == "yesno":
            return "yes" if self.keen > 0.4 else "no"
        if question.type == "choice" and question.answers:
            # the answer worth about as much as the customer is keen (never a No-Go from here)
            fair = [a for a in question.answers if a.verdict != "no_go"] or list(question.answers)
            return min(fair, key=lambda a: abs(a.score - 100 * self.keen)).key
        if question.type == "number":
            return 5
        if question.type == "text":
            return "Told us in their own words"
        return None

    def _objection(self, index: int) -> None:
        if index in self.raised_specs:
            return
        self.raised_specs.add(index)
        spec = self.scenario.objections[index]
        words = spoken(spec.objection)
        text = spec.says if spec.says and (self.rng.random() >= self.rep.own_words or not words) else self.rng.choice(words or (spec.objection,))
        self._handle(text, spec.objection, spec.accepts, spec.situation)

    def _extra_objection(self) -> None:
        objection = self.rng.choice([o for o in MARKET_ACCEPTS if self.playbook.objection(o)])
        words = spoken(objection)
        if words:
            self._handle(self.rng.choice(words), objection, MARKET_ACCEPTS[objection], None)

    def _handle(self, text: str, objection: str, accepts: Sequence[str], situation: str | None) -> None:
        session = self.session
        if self.rng.random() < NAME_IN_WORDS:
            text = f"{text}, for {self.company}"
        found = session.recognise(text, top=1)
        if found and found[0].objection == objection:
            raised = session.raise_objection(text)
        else:
            raised = session.raise_objection(text, objection)  # the picker: the rep names the category
        self.out.typed.append((text, objection))
        if situation:
            session.classify_objection(raised.number, situation)
        for attempt in range(self.rep.persistence):
            response = self._pick(raised.number, attempt)
            if response is None:
                break
            session.use_response(raised.number, response.id)
            chance = RESOLVES_FITTING if response.technique in accepts else RESOLVES_OTHER
            if self.rng.random() < chance:
                session.settle_objection(raised.number, "resolved")
                self._signals()
                return
        session.settle_objection(raised.number, self.rng.choice(("parked", "unresolved")))

    def _pick(self, number: int, attempt: int):
        used = set(self.session.state.objection(number).responses)
        offered = [r for r, _ in self.session.responses(number) if r.id not in used]
        if not offered:
            return None
        if self.rep.picks == "random":
            return self.rng.choice(offered)
        if self.rep.picks.startswith("technique:"):
            favourite = self.rep.picks.split(":", 1)[1]
            return next((r for r in offered if r.technique == favourite), offered[0])
        return offered[0]

    def _signals(self) -> None:
        if not self.session.state.open_objections():
            for signal in self.scenario.signals:
                if self.playbook.signal(signal):
                    self.session.observe_signal(signal)

    def _close(self) -> None:
        session, scenario = self.session, self.scenario
        for _ in range(2):
            if self.rep.closes == "direct" or not session.closing_advice():
                method = "direct"
            else:
                method = session.closing_advice()[0][0].id
            missing = [q for q in scenario.requires if q not in session.state.answers]
            if missing or session.state.open_objections():
                for index, spec in enumerate(scenario.objections):
                    if spec.when == "premature_close":
                        self._objection(index)
            fits = method in scenario.closes_with and not missing and not session.state.open_objections()
            success = fits and self.keen >= 0.1 and self.rng.random() < CLOSE_WORKS * (0.4 + 0.6 * self.keen)
            if self.playbook.closing(method):
                session.attempt_close(method, success)
            if success:
                self.won = True
                return
        self.won = False

    def _finish(self) -> None:
        session = self.session
        if self.won:
            outcome = "won"
        elif self.keen < 0.3 or any(o.outcome == "unresolved" for o in session.state.objections):
            outcome = self.rng.choice(("lost", "lost", "no_decision"))
        else:
            outcome = self.rng.choice(("next_meeting", "next_meeting", "lost", "no_decision"))
        session.record_outcome(outcome)
        session.end()
