"""Role-play: the app plays a customer from a scenario; the trainee sells; a scorecard explains.

Deterministic for a given seed. What the trainee types is classified as a question (matched
to the playbook's qualification questions, which reveal the scenario's hidden facts), an
answer to the open objection (its handling technique recognised from the playbook's
responses and cue words), a close attempt (its method recognised from the closing methods'
wording), or a pitch. The customer raises objections when the scenario says: on entering a
stage, or in reaction to a premature pitch or close.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Literal

from ..model.events import ScorecardRecorded, TurnTaken
from ..matching.matcher import Matcher
from ..model import Playbook, Scenario, ScenarioObjection
from ..matching.textnorm import normalise
from ..meeting.state import MeetingState
from ..meeting.wording import fill, without_placeholders

Speaker = Literal["customer", "trainee", "coach"]
QUESTION_WORDS = ("who", "what", "when", "where", "why", "how", "which", "is", "are", "do", "does", "did", "can", "could",
                  "would", "will", "have", "has", "should", "tell me")
CLOSE_CUES = ("shall we", "go ahead", "sign", "ready to", "get started", "start with", "place the order", "do we have a deal",
              "would you rather", "which would you", "can we agree", "move forward", "put it in place", "how would you like to pay")
PITCH_CUES = ("our product", "our solution", "our tool", "our software", "we offer", "we provide", "let me show", "let me present",
              "it can", "it will", "feature", "we can help", "our platform", "the system")
FACT_POINTS, OBJECTION_POINTS, DISCIPLINE_POINTS, CLOSING_POINTS = 35.0, 30.0, 10.0, 25.0
HINT_COST = 3.0
TECHNIQUE_MIN_SCORE = 60.0  # clear answers score 70-99; "trust me" or "ok" score below 60
PREMATURE_PENALTY = 10.0
PUSHBACK = ("That doesn't really answer my concern.", "Hm. I'm not convinced.", "You're not hearing me.")
ACKNOWLEDGE = ("Fair enough.", "Alright, that makes sense.", "OK, I can see that.")
DEFAULT_DEFLECTIONS = ("I'd rather not get into that.", "Why do you ask?")


def technique_matcher(playbook: Playbook) -> Matcher:
    """Recognises the handling technique in what a trainee says, from the playbook's responses and cue words."""
    responses_by_technique: dict[str, list[str]] = {}
    for objection in playbook.objections:
        for response in objection.responses:
            responses_by_technique.setdefault(response.technique, []).append(without_placeholders(response.text))
    return Matcher(
        [(t.id, t.name, [*responses_by_technique.get(t.id, []), *t.cues, t.description], t.cues) for t in playbook.techniques],
        threshold=0,
    )


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    text: str
    kind: str = "talk"  # question, fact, deflection, objection, response, pitch, close, signal, won, hint, stage, talk


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
        self._deflection = 0
        self._questions = Matcher(
            [(q.id, "", [q.text, *q.ask_also], [q.topic] if q.topic else []) for q in self.playbook.questions],
            threshold=20,
        )
        self._techniques = technique_matcher(self.playbook)
        self._closings = Matcher(
            [(c.id, c.name, [without_placeholders(c.example), c.description, *c.fits_when], []) for c in self.playbook.closings],
            threshold=0,
        )
        self._say("customer", self.scenario.persona.opening)
        self._raise_when(self.stage)

    # -- the trainee's moves ----------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.ended is not None

    def say(self, text: str) -> list[Turn]:
        """Whatever the trainee types: classified, then answered by the customer."""
        text = " ".join(text.split())
        if not text or self.finished:
            return []
        lowered = normalise(text)
        if self.open_objection() is not None and not self._is_close(lowered):
            return self.respond(text)
        if self._is_close(lowered):
            return self.close(text)
        if text.endswith("?") or lowered.startswith(QUESTION_WORDS):
            return self.ask(text)
        return self.pitch(text)

    def ask(self, text: str) -> list[Turn]:
        mark = len(self.transcript)
        self._say("trainee", text, "question")
        fact = self._fact_asked(text)
        if fact is None:
            deflections = self.scenario.persona.deflections or DEFAULT_DEFLECTIONS
            self._say("customer", deflections[self._deflection % len(deflections)], "deflection")
            self._deflection += 1
        else:
            self.revealed.add(fact.question)
            self._say("customer", fact.says, "fact")
        return self.transcript[mark:]

    def pitch(self, text: str) -> list[Turn]:
        mark = len(self.transcript)
        self._say("trainee", text, "pitch")
        if not self._need_known() and not any(p.ref == "rule:no_pitch_before_need" for p in self.premature):
            self.premature.append(ScoreLine("discipline", -PREMATURE_PENALTY, 0.0,
                                            "Pitched before the need was known: ask and confirm the need first.", "rule:no_pitch_before_need",
                                            self.stage))
            if not self._raise_when("premature_pitch"):
                self._say("customer", "Hold on, you don't even know what we need yet.", "talk")
        else:
            self._say("customer", self.rng.choice(("I see.", "Go on.", "Interesting.", "OK.")), "talk")
        return self.transcript[mark:]

    def respond(self, text: str, technique: str | None = None) -> list[Turn]:
        """An answer to the open objection; the technique is recognised unless given."""
        mark = len(self.transcript)
        raised = self.open_objection()
        self._say("trainee", text, "response")
        if raised is None:
            return self.transcript[mark:]
        used = technique or self.recognise_technique(text)
        raised.attempts += 1
        if used in raised.spec.accepts:
            raised.settled_with = used
            fact = self._fact_asked(text) if used == "question" else None
            if fact is not None:  # a question that answers the objection also gets its answer
                self.revealed.add(fact.question)
                self._say("customer", fact.says, "fact")
            else:
                self._say("customer", self.rng.choice(ACKNOWLEDGE), "talk")
            self._after_settled()
        else:
            self._say("customer", self.rng.choice(PUSHBACK), "talk")
        return self.transcript[mark:]

    def close(self, text: str, method: str | None = None) -> list[Turn]:
        mark = len(self.transcript)
        self._say("trainee", text, "close")
        method = method or self.recognise_closing(text)
        missing = [q for q in self.scenario.requires if q not in self.revealed]
        unresolved = [r for r in self.raised if r.open]
        fits = method in self.scenario.closes_with
        success = not missing and not unresolved and fits
        self.close_attempts.append((method, success))
        if success:
            self.won_with = method
            self._say("customer", self.scenario.won or "Alright, let's do it.", "won")
            self.ended = self.clock()
            return self.transcript[mark:]
        if missing or unresolved:
            if not any(p.ref == "rule:settle_objections_before_closing" for p in self.premature):
                why = "objections still open" if unresolved else f"not yet known: {', '.join(missing)}"
                self.premature.append(ScoreLine("discipline", -PREMATURE_PENALTY, 0.0,
                                                f"Tried to close too early ({why}).", "rule:settle_objections_before_closing", self.stage))
            if not self._raise_when("premature_close"):
                self._say("customer", "I'm not ready to decide anything yet.", "talk")
        else:
            self._say("customer", "No, not like that.", "talk")
        return self.transcript[mark:]

    def next_stage(self) -> list[Turn]:
        mark = len(self.transcript)
        index = self.playbook.stage_index(self.stage)
        if index < len(self.playbook.stages) - 1:
            self.stage = self.playbook.stages[index + 1].id
            self._say("coach", f"Stage: {self.playbook.stages[index + 1].title}", "stage")
            self._raise_when(self.stage)
        return self.transcript[mark:]

    def hint(self) -> Turn:
        """Advice from the coach, at a cost of HINT_COST points."""
        self.hints += 1
        raised = self.open_objection()
        if raised is not None:
            technique = self.playbook.technique(raised.spec.accepts[0])
            text = f"Answer the {raised.spec.objection} objection with a technique such as {technique.name if technique else raised.spec.accepts[0]}."
        elif not self._need_known():
            question = next((q for q in self.playbook.questions if q.id == "problem_to_solve"), None)
            text = f"Ask about the need first, e.g. \"{question.text if question else 'What problem do you want to solve?'}\""
        elif missing := [q for q in self.scenario.requires if q not in self.revealed]:
            question = self.playbook.question(missing[0])
            text = f"You still need to know this before closing: \"{question.text if question else missing[0]}\""
        else:
            closing = self.playbook.closing(self.scenario.closes_with[0])
            learned = MeetingState(answers={f.question: f.answer for f in self.scenario.facts if f.question in self.revealed})
            example = fill(closing.example, self.playbook, learned).text if closing else "Shall we go ahead?"
            text = f"Time to close. Try: \"{example}\""
        turn = Turn("coach", f"Hint (-{HINT_COST:g} points): {text}", "hint")
        self.transcript.append(turn)
        return turn

    def end(self) -> Scorecard:
        if self.ended is None:
            self.ended = self.clock()
        return self.scorecard()

    # -- recognition -------------------------------------------------------------------------

    def recognise_technique(self, text: str) -> str:
        """The handling technique the words use, or '' when none stands out (empty talk is no answer)."""
        found = self._techniques.scores(text, top=1)
        return found[0].objection if found and found[0].score >= TECHNIQUE_MIN_SCORE else ""

    def recognise_closing(self, text: str) -> str:
        found = self._closings.scores(text, top=1)
        return found[0].objection if found else "direct"

    def open_objection(self) -> _Raised | None:
        return next((r for r in self.raised if r.open), None)

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
                lines.append(ScoreLine("qualification", share, share, f"Uncovered: {label}", f"question:{fact.question}", stage))
            else:
                why = f" ({question.why})" if question and question.why else ""
                lines.append(ScoreLine("qualification", 0.0, share, f"Never asked: {label}{why}", f"question:{fact.question}", stage))
        raised_specs = self.raised
        never_raised = [o for o in self.scenario.objections if o.when not in ("premature_pitch", "premature_close")
                        and not any(r.spec is o for r in self.raised)]
        counted = [*raised_specs, *(_Raised(o, "", o.when) for o in never_raised)]
        share = OBJECTION_POINTS / max(1, len(counted))
        for raised in counted:
            accepted = ", ".join(self._technique_name(t) for t in raised.spec.accepts)
            if raised.settled_with and raised.attempts == 1:
                lines.append(ScoreLine("objections", share, share, f"{raised.spec.objection}: settled at once with {self._technique_name(raised.settled_with)}",
                                       f"objection:{raised.spec.objection}", raised.stage))
            elif raised.settled_with:
                lines.append(ScoreLine("objections", share / 2, share,
                                       f"{raised.spec.objection}: settled after {raised.attempts} tries; fitting first time: {accepted}",
                                       f"objection:{raised.spec.objection}", raised.stage))
            elif raised.text:
                lines.append(ScoreLine("objections", 0.0, share, f"{raised.spec.objection}: left unanswered; it called for {accepted}",
                                       f"objection:{raised.spec.objection}", raised.stage))
            else:
                lines.append(ScoreLine("objections", 0.0, share, f"{raised.spec.objection}: never reached (the meeting did not get that far)",
                                       f"objection:{raised.spec.objection}", raised.stage))
        if self.premature:
            lines.extend(self.premature)
            lines.append(ScoreLine("discipline", DISCIPLINE_POINTS, DISCIPLINE_POINTS, "Discipline base", ""))
        else:
            lines.append(ScoreLine("discipline", DISCIPLINE_POINTS, DISCIPLINE_POINTS, "Qualified before pitching and closing", "rule:no_pitch_before_need"))
        if self.won_with:
            name = self.playbook.closing(self.won_with).name if self.playbook.closing(self.won_with) else self.won_with
            lines.append(ScoreLine("closing", CLOSING_POINTS, CLOSING_POINTS, f"Closed with {name}, a method that fits this customer",
                                   f"closing:{self.won_with}", self._closing_stage()))
        else:
            fits = ", ".join(self.playbook.closing(c).name if self.playbook.closing(c) else c for c in self.scenario.closes_with)
            tried = ", ".join(m for m, _ in self.close_attempts) or "no close attempted"
            lines.append(ScoreLine("closing", 0.0, CLOSING_POINTS, f"Not closed ({tried}); this customer responds to: {fits}", "closing",
                                   self._closing_stage()))
        if self.hints:
            lines.append(ScoreLine("hints", -HINT_COST * self.hints, 0.0, f"{self.hints} hint{'s' if self.hints > 1 else ''} used", ""))
        total = max(0.0, min(100.0, sum(line.points for line in lines)))
        seconds = (self.ended or self.clock()) - self.started
        return Scorecard(self.scenario.id, self.scenario.title, round(total, 1), "won" if self.won_with else "not won", tuple(lines),
                         len(self.revealed & {f.question for f in facts}), len(facts), seconds)

    # -- helpers -----------------------------------------------------------------------------

    def _closing_stage(self) -> str:
        return next((s.id for s in self.playbook.stages if s.kind == "closing"), "")

    def _fact_asked(self, text: str):
        found = self._questions.match(text, top=1)
        return self.scenario.fact(found[0].objection) if found else None

    def _technique_name(self, technique_id: str) -> str:
        technique = self.playbook.technique(technique_id)
        return technique.name if technique else technique_id

    def _say(self, speaker: Speaker, text: str, kind: str = "talk") -> None:
        self.transcript.append(Turn(speaker, text, kind))

    def _need_known(self) -> bool:
        return bool({"problem_to_solve", "need_confirmed"} & self.revealed)

    def _is_close(self, lowered: str) -> bool:
        return any(re.search(rf"\b{re.escape(cue)}\b", lowered) for cue in CLOSE_CUES)

    def _raise_when(self, when: str) -> bool:
        raised_any = False
        for spec in self.scenario.objections:
            if spec.when == when and not any(r.spec is spec for r in self.raised):
                text = spec.says or self._draw_phrasing(spec.objection)
                self.raised.append(_Raised(spec, text, self.stage))
                self._say("customer", text, "objection")
                raised_any = True
        return raised_any

    def _draw_phrasing(self, objection_id: str) -> str:
        objection = self.playbook.objection(objection_id)
        full = [p for p in objection.phrasings if len(p.split()) >= 4] if objection else []
        return self.rng.choice(full or list(objection.phrasings)) if objection else "I'm not sure about this."

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


def scorecard_markdown(card: Scorecard, transcript: list[Turn] | None = None) -> str:
    """The scorecard for the trainee: totals per area, then every point with its reason."""
    minutes, seconds = divmod(int(card.seconds), 60)
    lines = [f"# Scorecard: {card.title}", "",
             f"**{card.total:.0f}/100**, {card.outcome}, {card.facts_uncovered}/{card.facts_total} facts uncovered, {minutes}m{seconds:02d}s", ""]
    lines += ["| area | points |", "|---|---|"]
    for area, (got, most) in card.by_area().items():
        lines.append(f"| {area} | {got:+.1f}" + (f" / {most:.0f}" if most else "") + " |")
    lines += ["", "| stage | points |", "|---|---|"]
    for stage, (got, most) in card.by_stage().items():
        lines.append(f"| {stage.replace('_', ' ')} | {got:+.1f}" + (f" / {most:.0f}" if most else "") + " |")
    lines += ["", "## Why", ""]
    for line in card.lines:
        ref = f" `{line.ref}`" if line.ref else ""
        lines.append(f"- {'✓' if line.points > 0 else '✗' if line.points < 0 or line.max_points else '·'} {line.reason} ({line.points:+.1f}){ref}")
    if transcript:
        lines += ["", "## Transcript", ""]
        lines += [f"- **{t.speaker}**: {t.text}" for t in transcript]
    return "\n".join(lines) + "\n"


def recorded_markdown(title: str, records) -> str:
    """A stored role-play (its events) as Markdown: the scorecard's lines, then the transcript."""
    card = next((r.event for r in reversed(records) if isinstance(r.event, ScorecardRecorded)), None)
    lines = [f"# Role-play: {title}", ""]
    if card is None:
        lines.append("Not finished: no scorecard yet.")
    else:
        lines.append(f"**{card.total:.0f}/100**, {card.outcome}")
        lines += ["", "## Why", ""]
        lines += [f"- {line['reason']} ({line['points']:+.1f})" + (f" `{line['ref']}`" if line.get("ref") else "") for line in card.lines]
    lines += ["", "## Transcript", ""]
    lines += [f"- **{r.event.speaker}**: {r.event.text}" for r in records if isinstance(r.event, TurnTaken)]
    return "\n".join(lines) + "\n"
