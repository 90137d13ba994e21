"""Role-play: the app plays a customer from a scenario; the trainee sells; a scorecard explains.

Deterministic for a given seed. What the trainee types is heard (recognition.py) as one of the
playbook's qualification questions (which reveal the scenario's hidden facts), an answer
technique (to the open objection), a closing method, small talk, or nothing the playbook
knows (a pitch); after each turn the coach says in one line what was heard, so the trainee
learns and the scorecard can be trusted. The customer raises objections when the scenario
says (on entering a stage, or in reaction to a premature pitch or close), and behaves as hard
as the scenario's difficulty (difficulty.py): patience, extra objections, harder situations.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable, Literal

from ..i18n import _
from ..model.events import ScorecardRecorded, TurnTaken
from ..model import HiddenFact, Playbook, Scenario, ScenarioObjection
from ..meeting.state import MeetingState
from ..meeting.wording import fill
from . import messages as say_
from .difficulty import Behaviour, behaviour, extra_objections
from .recognition import Heard, TraineeRecogniser, is_interrogative

Speaker = Literal["customer", "trainee", "coach"]
FACT_POINTS, OBJECTION_POINTS, DISCIPLINE_POINTS, CLOSING_POINTS = 35.0, 30.0, 10.0, 25.0
HINT_COST = 3.0
PREMATURE_PENALTY = 10.0
QUESTION_TECHNIQUE = "question"  # turning an objection into a question: any qualification question does it
NEED_QUESTIONS = ("problem_to_solve", "need_confirmed")  # known need: one of these facts is uncovered
# Questions a trainee cannot tell apart, answered with the same fact: "what does this problem cost
# you?" (cost_of_problem) and "can we put a figure on it, roughly how much a month?" (cost_estimate,
# which issue 12 added for the consulting posture). A scenario keys its fact on one of them.
SAME_FACT = (frozenset({"cost_of_problem", "cost_estimate"}),)


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    text: str
    kind: str = "talk"  # question, fact, deflection, objection, response, pitch, close, signal, won, hint, stage, heard, talk, left


@dataclass(frozen=True)
class ScoreLine:
    area: str
    points: float
    max_points: float
    reason: str
    ref: str = ""
    stage: str = ""  # the meeting stage the point belongs to


@dataclass(frozen=True)
class Scorecard:
    scenario: str
    title: str
    total: float
    outcome: str  # won, not won
    lines: tuple[ScoreLine, ...]
    facts_uncovered: int
    facts_total: int
    seconds: float

    def by_area(self) -> dict[str, tuple[float, float]]:
        return self._totals("area")

    def by_stage(self) -> dict[str, tuple[float, float]]:
        return self._totals("stage")

    def _totals(self, key: str) -> dict[str, tuple[float, float]]:
        totals: dict[str, tuple[float, float]] = {}
        for line in self.lines:
            name = getattr(line, key) or "overall"
            got, most = totals.get(name, (0.0, 0.0))
            totals[name] = (got + line.points, most + line.max_points)
        return totals


@dataclass
class _Raised:
    spec: ScenarioObjection
    text: str
    stage: str = ""
    attempts: int = 0
    settled_with: str | None = None

    @property
    def open(self) -> bool:
        return self.settled_with is None


@dataclass
class RolePlay:
    playbook: Playbook
    scenario: Scenario
    seed: int = 0
    clock: Callable[[], float] = time.time
    transcript: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.started = self.clock()
        self.ended: float | None = None
        self.stage = self.playbook.stages[0].id
        self.revealed: set[str] = set()
        self.raised: list[_Raised] = []
        self.premature: list[ScoreLine] = []
        self.signals_given = False
        self.won_with: str | None = None
        self.close_attempts: list[tuple[str, bool]] = []
        self.hints = 0
        self.heard: list[Heard] = []  # what was heard in each of the trainee's turns
        self.behaviour: Behaviour = behaviour(self.scenario.difficulty)
        self.patience = self.behaviour.patience
        self.unhelpful = 0  # turns that did not help, in all
        self.left = False  # the customer ended the meeting
        self.lines = say_.customer_lines(self.playbook.language)
        self._deflection = 0
        self.recogniser = TraineeRecogniser(self.playbook)
        self.objections: tuple[ScenarioObjection, ...] = (*self.scenario.objections,
                                                          *extra_objections(self.playbook, self.scenario, self.rng))
        self._say("customer", self.scenario.persona.opening)
        self._raise_when(self.stage)

    # -- the trainee's moves ----------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.ended is not None

    def say(self, text: str) -> list[Turn]:
        """Whatever the trainee types: heard, then answered by the customer."""
        text = " ".join(text.split())
        if not text or self.finished:
            return []
        heard = self.recogniser.hear(text)
        if heard.kind == "close":
            return self.close(text, heard=heard)
        if self.open_objection() is not None:
            return self.respond(text, heard=heard)
        if heard.kind == "question" or (heard.kind == "nothing" and is_interrogative(text)):
            return self.ask(text, heard=heard)
        return self.pitch(text, heard=heard)

    def ask(self, text: str, heard: Heard | None = None) -> list[Turn]:
        mark = len(self.transcript)
        heard = heard or self.recogniser.hear(text)
        self._say("trainee", text, "question")
        question = self.playbook.question(heard.item) if heard.kind == "question" else None
        self._heard(heard, say_.HEARD_QUESTION.format(question=question.text) if question else say_.HEARD_NOTHING_QUESTION)
        fact = self._fact(question.id) if question else None
        if fact is not None:
            self.revealed.add(fact.question)
            self._say("customer", fact.says, "fact")
            self._helped()
        else:
            if question is not None:  # a real question, but not one this customer has an answer to
                self._say("customer", self.lines.not_my_concern, "deflection")
            else:
                deflections = self.scenario.persona.deflections or self.lines.deflections
                self._say("customer", deflections[self._deflection % len(deflections)], "deflection")
                self._deflection += 1
            self._did_not_help()
        return self.transcript[mark:]

    def pitch(self, text: str, heard: Heard | None = None) -> list[Turn]:
        mark = len(self.transcript)
        heard = heard or self.recogniser.hear(text)
        if heard.kind == "small_talk":
            self._say("trainee", text, "talk")
            self._heard(heard, say_.HEARD_SMALL_TALK)
            self._say("customer", self.rng.choice(self.lines.small_talk), "talk")
            return self.transcript[mark:]
        self._say("trainee", text, "pitch")
        if heard.kind == "technique":
            self._heard(heard, say_.HEARD_TECHNIQUE_NO_OBJECTION.format(technique=self._technique_name(heard.item)))
        else:
            self._heard(heard, say_.HEARD_NOTHING_PITCH)
        if not self._need_known() and not any(p.ref == "rule:no_pitch_before_need" for p in self.premature):
            self.premature.append(ScoreLine("discipline", -PREMATURE_PENALTY, 0.0, say_.PITCHED_EARLY, "rule:no_pitch_before_need",
                                            self.stage))
            if not self._raise_when("premature_pitch"):
                self._say("customer", self.lines.no_need_known, "talk")
            self._did_not_help()
        else:
            self._say("customer", self.rng.choice(self.lines.listening), "talk")
        return self.transcript[mark:]

    def respond(self, text: str, technique: str | None = None, heard: Heard | None = None) -> list[Turn]:
        """An answer to the open objection; the technique is recognised unless given."""
        mark = len(self.transcript)
        self._say("trainee", text, "response")
        if self.open_objection() is None:
            return self.transcript[mark:]
        fact = None
        if technique is None:
            heard = heard or self.recogniser.hear(text)
            if heard.kind == "question" and self.playbook.technique(QUESTION_TECHNIQUE) is not None:
                technique = QUESTION_TECHNIQUE
                fact = self._fact(heard.item)
                question = self.playbook.question(heard.item)
                self._heard(heard, say_.HEARD_QUESTION_AS_ANSWER.format(question=question.text if question else heard.item,
                                                                       technique=self._technique_name(technique)))
            else:
                if heard.kind != "technique":
                    heard = self.recogniser.technique(text)
                technique = heard.item
                self._heard(heard, say_.HEARD_TECHNIQUE.format(technique=self._technique_name(technique)) if technique
                            else say_.HEARD_NOTHING_ANSWER)
        raised = self._answered(technique)
        raised.attempts += 1
        if technique and technique in raised.spec.accepts:
            raised.settled_with = technique
            if fact is not None:  # a question that answers the objection also gets its answer
                self.revealed.add(fact.question)
                self._say("customer", fact.says, "fact")
            else:
                self._say("customer", self.rng.choice(self.lines.acknowledge), "talk")
            self._helped()
            self._after_settled()
        else:
            self._say("customer", self.rng.choice(self.lines.pushback), "talk")
            self._did_not_help()
        return self.transcript[mark:]

    def close(self, text: str, method: str | None = None, heard: Heard | None = None) -> list[Turn]:
        mark = len(self.transcript)
        self._say("trainee", text, "close")
        if method is None:
            heard = heard or self.recogniser.hear(text)
            method = heard.item if heard.kind == "close" else ""
            closing = self.playbook.closing(method) if method else None
            self._heard(heard, say_.HEARD_CLOSE.format(closing=closing.name) if closing else say_.HEARD_CLOSE_UNKNOWN)
        if self._raise_when(self._closing_stage()):  # asked to decide, the customer brings up what they kept for the end
            return self.transcript[mark:]
        missing = [q for q in self.scenario.requires if q not in self.revealed]
        unresolved = [r for r in self.raised if r.open]
        fits = method in self.scenario.closes_with
        success = not missing and not unresolved and fits
        self.close_attempts.append((method, success))
        if success:
            self.won_with = method
            self._say("customer", self.scenario.won or self.lines.won, "won")
            self.ended = self.clock()
            return self.transcript[mark:]
        if missing or unresolved:
            if not any(p.ref == "rule:settle_objections_before_closing" for p in self.premature):
                why = say_.CLOSED_EARLY_OPEN if unresolved else say_.CLOSED_EARLY_MISSING.format(missing=", ".join(missing))
                self.premature.append(ScoreLine("discipline", -PREMATURE_PENALTY, 0.0, say_.CLOSED_EARLY.format(why=why),
                                                "rule:settle_objections_before_closing", self.stage))
            if not self._raise_when("premature_close"):
                self._say("customer", self.lines.not_ready, "talk")
        else:
            self._say("customer", self.lines.not_like_that, "talk")
        self._did_not_help()
        return self.transcript[mark:]

    def next_stage(self) -> list[Turn]:
        mark = len(self.transcript)
        if self.finished:
            return []
        index = self.playbook.stage_index(self.stage)
        if index < len(self.playbook.stages) - 1:
            self.stage = self.playbook.stages[index + 1].id
            self._say("coach", say_.STAGE.format(stage=self.playbook.stages[index + 1].title), "stage")
            self._raise_when(self.stage)
        return self.transcript[mark:]

    def hint(self) -> Turn:
        """Advice from the coach, at a cost of HINT_COST points."""
        self.hints += 1
        raised = self.open_objection()
        if raised is not None:
            advice = say_.HINT_OBJECTION.format(objection=self._objection_label(raised.spec),
                                                technique=self._technique_name(raised.spec.accepts[0]) if raised.spec.accepts else "?")
        elif not self._need_known():
            question = next((q for q in self.playbook.questions if q.id == NEED_QUESTIONS[0]), None)
            advice = say_.HINT_NEED.format(question=question.text if question else say_.HINT_NEED_DEFAULT)
        elif missing := [q for q in self.scenario.requires if q not in self.revealed]:
            question = self.playbook.question(missing[0])
            advice = say_.HINT_MISSING.format(question=question.text if question else missing[0])
        else:
            closing = self.playbook.closing(self.scenario.closes_with[0])
            learned = MeetingState(answers={f.question: f.answer for f in self.scenario.facts if f.question in self.revealed})
            example = fill(closing.example, self.playbook, learned).text if closing else say_.HINT_CLOSE_DEFAULT
            advice = say_.HINT_CLOSE.format(example=example)
        turn = Turn("coach", say_.HINT.format(cost=HINT_COST, advice=advice), "hint")
        self.transcript.append(turn)
        return turn

    def end(self) -> Scorecard:
        if self.ended is None:
            self.ended = self.clock()
        return self.scorecard()

    # -- recognition -------------------------------------------------------------------------

    def recognise_technique(self, text: str) -> str:
        """The handling technique the words use, or '' when none stands out (empty talk is no answer)."""
        return self.recogniser.technique(text).item

    def recognise_closing(self, text: str) -> str:
        """The closing method the words use, or '' when they are not heard as a close."""
        heard = self.recogniser.hear(text)
        return heard.item if heard.kind == "close" else ""

    def open_objection(self) -> _Raised | None:
        return next((r for r in self.raised if r.open), None)

    def _answered(self, technique: str) -> _Raised:
        """The open objection an answer goes to: the latest one it fits, else the latest one."""
        still_open = [r for r in reversed(self.raised) if r.open]
        return next((r for r in still_open if technique in r.spec.accepts), still_open[0])

    # -- the scorecard -----------------------------------------------------------------------

    def scorecard(self) -> Scorecard:
        lines: list[ScoreLine] = []
        facts = self.scenario.facts
        share = FACT_POINTS / max(1, len(facts))
        for fact in facts:
            question = self.playbook.question(fact.question)
            label = question.text if question else fact.question
            stage = question.stage if question else ""
            if fact.question in self.revealed:
                lines.append(ScoreLine("qualification", share, share, say_.UNCOVERED.format(question=label), f"question:{fact.question}", stage))
            else:
                why = f" ({question.why})" if question and question.why else ""
                lines.append(ScoreLine("qualification", 0.0, share, say_.NEVER_ASKED.format(question=label, why=why),
                                       f"question:{fact.question}", stage))
        never_raised = [o for o in self.objections if o.when not in ("premature_pitch", "premature_close")
                        and not any(r.spec is o for r in self.raised)]
        counted = [*self.raised, *(_Raised(o, "", o.when) for o in never_raised)]
        share = OBJECTION_POINTS / max(1, len(counted))
        for raised in counted:
            spec = raised.spec
            label = self._objection_label(spec)
            accepted = ", ".join(self._technique_name(t) for t in spec.accepts)
            ref = f"objection:{spec.objection}"
            if raised.settled_with and raised.attempts == 1:
                lines.append(ScoreLine("objections", share, share,
                                       say_.SETTLED_AT_ONCE.format(objection=label, technique=self._technique_name(raised.settled_with)),
                                       ref, raised.stage))
            elif raised.settled_with:
                lines.append(ScoreLine("objections", share / 2, share,
                                       say_.SETTLED_AFTER.format(objection=label, attempts=raised.attempts, accepted=accepted), ref, raised.stage))
            elif raised.text:
                lines.append(ScoreLine("objections", 0.0, share, say_.LEFT_UNANSWERED.format(objection=label, accepted=accepted), ref,
                                       raised.stage))
            else:
                lines.append(ScoreLine("objections", 0.0, share, say_.NEVER_REACHED.format(objection=label), ref, raised.stage))
        if self.premature:
            lines.extend(self.premature)
            lines.append(ScoreLine("discipline", DISCIPLINE_POINTS, DISCIPLINE_POINTS, say_.DISCIPLINE_BASE, ""))
        else:
            lines.append(ScoreLine("discipline", DISCIPLINE_POINTS, DISCIPLINE_POINTS, say_.DISCIPLINE_KEPT, "rule:no_pitch_before_need"))
        if self.left:
            lines.append(ScoreLine("discipline", 0.0, 0.0,
                                   say_.OUT_OF_PATIENCE.format(count=self.unhelpful, difficulty=say_.word(say_.DIFFICULTY_WORDS, self.scenario.difficulty),
                                                               patience=self.behaviour.patience),
                                   f"scenario:{self.scenario.id}", self.stage))
        if self.won_with:
            closing = self.playbook.closing(self.won_with)
            lines.append(ScoreLine("closing", CLOSING_POINTS, CLOSING_POINTS, say_.CLOSED_WITH.format(closing=closing.name if closing else self.won_with),
                                   f"closing:{self.won_with}", self._closing_stage()))
        else:
            fits = ", ".join(self._closing_name(c) for c in self.scenario.closes_with)
            tried = ", ".join(self._closing_name(m) if m else say_.UNKNOWN_CLOSE for m, _ in self.close_attempts) or say_.NO_CLOSE_TRIED
            lines.append(ScoreLine("closing", 0.0, CLOSING_POINTS, say_.NOT_CLOSED.format(tried=tried, fits=fits), "closing",
                                   self._closing_stage()))
        if self.hints:
            lines.append(ScoreLine("hints", -HINT_COST * self.hints, 0.0, say_.hints_used(self.hints), ""))
        total = max(0.0, min(100.0, sum(line.points for line in lines)))
        seconds = (self.ended or self.clock()) - self.started
        return Scorecard(self.scenario.id, self.scenario.title, round(total, 1), "won" if self.won_with else "not won", tuple(lines),
                         len(self.revealed & {f.question for f in facts}), len(facts), seconds)

    # -- helpers -----------------------------------------------------------------------------

    def _closing_stage(self) -> str:
        return next((s.id for s in self.playbook.stages if s.kind == "closing"), "")

    def _technique_name(self, technique_id: str) -> str:
        technique = self.playbook.technique(technique_id)
        return technique.name if technique else technique_id

    def _closing_name(self, closing_id: str) -> str:
        closing = self.playbook.closing(closing_id)
        return closing.name if closing else closing_id

    def _objection_label(self, spec: ScenarioObjection) -> str:
        """The objection's id, with its situation when the customer is in one."""
        objection = self.playbook.objection(spec.objection)
        situation = next((s for s in objection.situations if s.id == spec.situation), None) if objection and spec.situation else None
        return say_.IN_SITUATION.format(objection=spec.objection, situation=situation.title.lower()) if situation else spec.objection

    def _say(self, speaker: Speaker, text: str, kind: str = "talk") -> None:
        self.transcript.append(Turn(speaker, text, kind))

    def _heard(self, heard: Heard, line: str) -> None:
        self.heard.append(heard)
        self._say("coach", line, "heard")

    def _helped(self) -> None:
        """A turn that moved the meeting on wins back a little of the customer's patience."""
        self.patience = min(self.behaviour.patience, self.patience + 1)

    def _did_not_help(self) -> None:
        self.unhelpful += 1
        self.patience -= 1
        if self.patience == 1:
            self._say("customer", self.lines.impatient, "talk")
        elif self.patience <= 0 and not self.finished:
            self.left = True
            self._say("customer", self.lines.leaves, "left")
            self._say("coach", say_.PATIENCE_LOST, "left")
            self.ended = self.clock()

    def _fact(self, question_id: str) -> HiddenFact | None:
        """The scenario's fact a question uncovers: its own, or that of a question it cannot be told from."""
        alike = next((same for same in SAME_FACT if question_id in same), frozenset())
        for candidate in (question_id, *sorted(alike - {question_id})):
            if (fact := self.scenario.fact(candidate)) is not None:
                return fact
        return None

    def _need_known(self) -> bool:
        return bool(set(NEED_QUESTIONS) & self.revealed)

    def _raise_when(self, when: str) -> bool:
        raised_any = False
        for spec in self.objections:
            if spec.when == when and not any(r.spec is spec for r in self.raised):
                text = spec.says or self._draw_phrasing(spec.objection)
                self.raised.append(_Raised(spec, text, self.stage))
                self._say("customer", text, "objection")
                raised_any = True
        return raised_any

    def _draw_phrasing(self, objection_id: str) -> str:
        objection = self.playbook.objection(objection_id)
        full = [p for p in objection.phrasings if len(p.split()) >= 5] if objection else []
        return self.rng.choice(full or list(objection.phrasings)) if objection else self.lines.unsure

    def _after_settled(self) -> None:
        if self.open_objection() is None and not self.signals_given and self.scenario.signals:
            self.signals_given = True
            for signal_id in self.scenario.signals:
                signal = self.playbook.signal(signal_id)
                if signal and signal.phrasings:
                    sentences = [p for p in signal.phrasings if len(p.split()) >= 4] or list(signal.phrasings)
                    self._say("customer", self.rng.choice(sentences), "signal")


class RecordedRolePlay(RolePlay):
    """A role-play whose every turn and final scorecard are saved in the session store (kind 'roleplay')."""

    def __init__(self, playbook: Playbook, scenario: Scenario, store, trainee: str = "Trainee", seed: int = 0,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self._seq = 0
        self.session_id = store.create_session(playbook.id, "roleplay", trainee, scenario.title, clock())
        self._saved = 0
        super().__init__(playbook, scenario, seed, clock)
        self._save_new_turns()

    def _record(self, event) -> None:
        self._seq += 1
        ended = isinstance(event, ScorecardRecorded)
        self.store.append(self.session_id, self._seq, self.clock(), event, ended=ended,
                          score=event.total if ended else None)

    def _save_new_turns(self) -> None:
        for turn in self.transcript[self._saved:]:
            self._record(TurnTaken(turn.speaker, turn.text, turn.kind))
        self._saved = len(self.transcript)

    def _say(self, speaker: Speaker, text: str, kind: str = "talk") -> None:
        super()._say(speaker, text, kind)
        self._save_new_turns()

    def hint(self) -> Turn:
        turn = super().hint()
        self._save_new_turns()
        return turn

    def end(self) -> Scorecard:
        card = super().end()
        if not getattr(self, "_scored", False):
            self._scored = True
            self._record(ScorecardRecorded(card.scenario, card.total, card.outcome, tuple(line.__dict__ for line in card.lines)))
        return card


def scorecard_markdown(card: Scorecard, transcript: list[Turn] | None = None, playbook: Playbook | None = None) -> str:
    """The scorecard for the trainee: totals per area, then every point with its reason (stages
    by their titles in `playbook` when given, else by their ids)."""
    minutes, seconds = divmod(int(card.seconds), 60)
    outcome = say_.word(say_.CARD_OUTCOME_WORDS, card.outcome)
    lines = ["# " + _("Scorecard: {title}").format(title=card.title), "",
             _("{total}, {outcome}, {uncovered}/{facts} facts uncovered, {minutes}m{seconds:02d}s").format(
                 total=f"**{card.total:.0f}/100**", outcome=outcome, uncovered=card.facts_uncovered, facts=card.facts_total,
                 minutes=minutes, seconds=seconds), ""]
    lines += ["| " + _("area") + " | " + _("points") + " |", "|---|---|"]
    for area, (got, most) in card.by_area().items():
        lines.append(f"| {say_.word(say_.AREA_WORDS, area)} | {got:+.1f}" + (f" / {most:.0f}" if most else "") + " |")
    lines += ["", "| " + _("stage") + " | " + _("points") + " |", "|---|---|"]
    for stage, (got, most) in card.by_stage().items():
        found = playbook.stage(stage) if playbook is not None else None
        title = found.title if found else _("overall") if stage == "overall" else stage.replace("_", " ")
        lines.append(f"| {title} | {got:+.1f}" + (f" / {most:.0f}" if most else "") + " |")
    lines += ["", "## " + _("Why"), ""]
    for line in card.lines:
        ref = f" `{line.ref}`" if line.ref else ""
        lines.append(f"- {'✓' if line.points > 0 else '✗' if line.points < 0 or line.max_points else '·'} {line.reason} ({line.points:+.1f}){ref}")
    if transcript:
        lines += ["", "## " + _("Transcript"), ""]
        lines += [f"- **{say_.word(say_.SPEAKER_WORDS, t.speaker)}**: {t.text}" for t in transcript]
    return "\n".join(lines) + "\n"


def recorded_markdown(title: str, records) -> str:
    """A stored role-play (its events) as Markdown: the scorecard's lines, then the transcript."""
    card = next((r.event for r in reversed(records) if isinstance(r.event, ScorecardRecorded)), None)
    lines = ["# " + _("Role-play: {title}").format(title=title), ""]
    if card is None:
        lines.append(_("Not finished: no scorecard yet."))
    else:
        lines.append(f"**{card.total:.0f}/100**, {say_.word(say_.CARD_OUTCOME_WORDS, card.outcome)}")
        lines += ["", "## " + _("Why"), ""]
        lines += [f"- {line['reason']} ({line['points']:+.1f})" + (f" `{line['ref']}`" if line.get("ref") else "") for line in card.lines]
    lines += ["", "## " + _("Transcript"), ""]
    lines += [f"- **{say_.word(say_.SPEAKER_WORDS, r.event.speaker)}**: {r.event.text}" for r in records if isinstance(r.event, TurnTaken)]
    return "\n".join(lines) + "\n"
