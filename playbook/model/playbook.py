"""The playbook model: immutable, typed, built once by the loader and shared by every front end.

The YAML shape is defined by the JSON Schema in playbook/schema; these classes mirror it.
Tuples rather than lists keep every object hashable and safe to share.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .conditions import Condition

StageKind = Literal["opening", "discovery", "presentation", "objections", "closing", "next_steps"]
STAGE_KIND_ORDER: tuple[str, ...] = ("opening", "discovery", "presentation", "objections", "closing", "next_steps")
AnswerType = Literal["yesno", "choice", "number", "text"]
Verdict = Literal["go", "no_go"]
SuggestionKind = Literal["ask", "warn", "respond", "close", "next_step"]


@dataclass(frozen=True)
class Origin:
    """Where an item is written, for messages and 'why am I seeing this?'."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    goals: tuple[str, ...]
    tips: tuple[str, ...] = ()
    kind: StageKind | None = None
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class AnswerMeaning:
    """What one answer to a question means: its score (0-100), a sentence, and a Go/No-Go verdict."""

    key: str
    score: float
    label: str
    means: str = ""
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Band:
    """Numeric answers from `at_least` up to the next band."""

    at_least: float
    score: float
    means: str = ""
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Question:
    id: str
    stage: str
    text: str
    type: AnswerType
    weight: float
    topic: str = ""
    why: str = ""
    ask_also: tuple[str, ...] = ()
    unit: str = ""
    answers: tuple[AnswerMeaning, ...] = ()
    bands: tuple[Band, ...] = ()
    origin: Origin | None = field(default=None, compare=False)
    blank: str = ""  # how the answer reads as a blank to fill in a response ("the cost you estimated")
    commitment: bool = False  # the answer measures the customer's willingness to work together

    def answer(self, key: str) -> AnswerMeaning | None:
        return next((a for a in self.answers if a.key == key), None)

    def band_for(self, value: float) -> Band | None:
        """The highest band whose lower bound the value reaches."""
        fitting = [b for b in self.bands if value >= b.at_least]
        return max(fitting, key=lambda b: b.at_least) if fitting else None


@dataclass(frozen=True)
class Technique:
    id: str
    name: str
    description: str
    use_when: str = ""
    cues: tuple[str, ...] = ()
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Response:
    id: str
    technique: str
    text: str  # may hold {placeholders}, filled from the meeting (see meeting.wording)
    caution: str = ""  # when the wording is fair to use, and how to say it without surprising the customer


@dataclass(frozen=True)
class Situation:
    id: str
    title: str
    prefer: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Family:
    """A group of phrasings that say the same thing in different words (e.g. timing: "after an event")."""

    id: str
    title: str
    phrasings: tuple[str, ...]


@dataclass(frozen=True)
class Boundary:
    """Where a category ends: what sounds like it but belongs to the neighbour `objection`."""

    objection: str
    text: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Objection:
    id: str
    title: str
    phrasings: tuple[str, ...]  # every phrasing, those of the families included
    responses: tuple[Response, ...]
    description: str = ""
    keywords: tuple[str, ...] = ()
    situations: tuple[Situation, ...] = ()
    follow_up: tuple[str, ...] = ()
    origin: Origin | None = field(default=None, compare=False)
    definition: str = ""
    boundaries: tuple[Boundary, ...] = ()
    families: tuple[Family, ...] = ()
    # Where each phrasing is written, in the order of `phrasings` (empty for a playbook built in
    # memory; a phrasing added in memory has none): lint points at the phrasing itself.
    phrasing_origins: tuple[Origin, ...] = field(default=(), compare=False, repr=False)

    def response(self, response_id: str) -> Response | None:
        return next((r for r in self.responses if r.id == response_id), None)


@dataclass(frozen=True)
class Signal:
    id: str
    name: str
    description: str = ""
    phrasings: tuple[str, ...] = ()
    origin: Origin | None = field(default=None, compare=False)
    phrasing_origins: tuple[Origin, ...] = field(default=(), compare=False, repr=False)  # as Objection's


@dataclass(frozen=True)
class ClosingCheck:
    """One `fits_when` / `avoid_when` entry the engine evaluates: the words the rep reads, and the condition."""

    text: str
    when: Condition


@dataclass(frozen=True)
class Closing:
    """A closing method. `fits_when` / `avoid_when` hold every entry's words (for display); the
    entries written with a condition are also in `fits` / `avoids`, which the engine evaluates."""

    id: str
    name: str
    description: str
    fits_when: tuple[str, ...]
    example: str
    avoid_when: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    say_also: tuple[str, ...] = ()  # other wordings of this close, so role-play recognises it
    origin: Origin | None = field(default=None, compare=False)
    fits: tuple[ClosingCheck, ...] = ()
    avoids: tuple[ClosingCheck, ...] = ()
    caution: str = ""


@dataclass(frozen=True)
class Suggestion:
    """What a rule suggests when it fires."""

    kind: SuggestionKind
    text: str
    priority: int = 50
    question: str | None = None
    closing: str | None = None
    objection: str | None = None
    response: str | None = None
    hold_all_closings: bool = False  # while the rule fires, no closing method is suggested
    hold_closings: tuple[str, ...] = ()  # ... or none of these


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition
    then: Suggestion
    description: str = ""
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MatchTest:
    say: str
    expect: str  # an objection id, or "none"
    note: str = ""
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Persona:
    name: str
    role: str
    company: str
    temperament: str
    opening: str
    deflections: tuple[str, ...] = ()


@dataclass(frozen=True)
class HiddenFact:
    question: str
    answer: str | float
    says: str


@dataclass(frozen=True)
class ScenarioObjection:
    objection: str
    when: str  # a stage id, "premature_pitch" or "premature_close"
    says: str = ""
    situation: str | None = None
    accepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    difficulty: str
    persona: Persona
    facts: tuple[HiddenFact, ...]
    objections: tuple[ScenarioObjection, ...]
    closes_with: tuple[str, ...]
    brief: str = ""
    signals: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    won: str = ""
    origin: Origin | None = field(default=None, compare=False)

    def fact(self, question_id: str) -> HiddenFact | None:
        return next((f for f in self.facts if f.question == question_id), None)


@dataclass(frozen=True)
class Synonym:
    """A canonical word and the words the matcher treats as the same."""

    word: str
    equivalents: tuple[str, ...]


@dataclass(frozen=True)
class ResearchPrompt:
    """Something to find out before the meeting; what the rep found is kept under its id."""

    id: str
    prompt: str


@dataclass(frozen=True)
class Preparation:
    """How to prepare a meeting: what to do and find out before it, objectives to pick from, and the
    opening's first 20 seconds (seed 001: the main problem is lack of preparation)."""

    checklist: tuple[str, ...] = ()
    research: tuple[ResearchPrompt, ...] = ()
    objectives: tuple[str, ...] = ()
    opening: tuple[str, ...] = ()
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MeetingType:
    """A meeting other than the sales meeting (an account review, a renewal, an after-sale call):
    its own stages, the accounts it suits, and how to prepare it."""

    id: str
    title: str
    stages: tuple[Stage, ...]
    description: str = ""
    accounts: tuple[str, ...] = ()  # funnel stages (suspect, prospect, customer, lost) it suits
    preparation: Preparation | None = None
    origin: Origin | None = field(default=None, compare=False)


SALES_MEETING = ""  # the meeting type of `stages:` (the sales meeting every playbook has)


class UnknownMeetingType(KeyError):
    """A meeting type the playbook does not define."""


@dataclass(frozen=True)
class Playbook:
    id: str
    name: str
    stages: tuple[Stage, ...]
    questions: tuple[Question, ...] = ()
    techniques: tuple[Technique, ...] = ()
    objections: tuple[Objection, ...] = ()
    signals: tuple[Signal, ...] = ()
    closings: tuple[Closing, ...] = ()
    rules: tuple[Rule, ...] = ()
    synonyms: tuple[Synonym, ...] = ()
    neutral: tuple[str, ...] = ()
    neutral_origins: tuple[Origin, ...] = field(default=(), compare=False, repr=False)  # where each neutral line is written
    scenarios: tuple[Scenario, ...] = ()
    tests: tuple[MatchTest, ...] = ()
    language: str = "en"
    version: str = ""
    description: str = ""
    match_threshold: float | None = None
    card_cooldown: float | None = None  # seconds between two transcript cards for one objection; None: the default
    test_pass_rate: float = 100.0
    evidence: bool = True  # the meeting blends the team's record with each response into their order
    source: str = ""
    digest: str = ""  # sha256 over the text of every file it was compiled from (base and includes too)
    meeting_types: tuple[MeetingType, ...] = ()
    preparation: Preparation | None = None
    default_meeting_type: str = SALES_MEETING  # the `meeting_type:` a new meeting is unless the rep picks another
    # None: the playbook as loaded (every question of every meeting type); else the view one
    # meeting type runs on (see for_meeting), with `whole` the playbook it was cut from.
    meeting_type: str | None = None
    whole: "Playbook | None" = field(default=None, compare=False, repr=False)

    def meeting_type_of(self, type_id: str) -> MeetingType | None:
        return next((t for t in (self.whole or self).meeting_types if t.id == type_id), None)

    def for_meeting(self, type_id: str = SALES_MEETING) -> "Playbook":
        """The playbook as one kind of meeting runs it: that type's stages, only the questions asked
        in them, and its preparation. The sales meeting ("") runs on `stages:`. A playbook without
        meeting types is its own sales meeting. UnknownMeetingType for a type it does not define."""
        whole = self.whole or self
        if type_id == SALES_MEETING and not whole.meeting_types:
            return whole
        if type_id == self.meeting_type:
            return self
        if type_id == SALES_MEETING:
            stages, preparation = whole.stages, whole.preparation
        else:
            kind = whole.meeting_type_of(type_id)
            if kind is None:
                raise UnknownMeetingType(type_id)
            stages, preparation = kind.stages, kind.preparation or whole.preparation
        ids = {s.id for s in stages}
        return replace(whole, stages=stages, questions=tuple(q for q in whole.questions if q.stage in ids),
                       preparation=preparation, meeting_type=type_id, whole=whole)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def technique(self, technique_id: str) -> Technique | None:
        return next((t for t in self.techniques if t.id == technique_id), None)

    def objection(self, objection_id: str) -> Objection | None:
        return next((o for o in self.objections if o.id == objection_id), None)

    def closing(self, closing_id: str) -> Closing | None:
        return next((c for c in self.closings if c.id == closing_id), None)

    def signal(self, signal_id: str) -> Signal | None:
        return next((s for s in self.signals if s.id == signal_id), None)

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def stage_index(self, stage_id: str) -> int:
        return next((i for i, s in enumerate(self.stages) if s.id == stage_id), -1)

    def counts(self) -> dict[str, int]:
        return {
            "stages": len(self.stages),
            "questions": len(self.questions),
            "techniques": len(self.techniques),
            "objections": len(self.objections),
            "phrasings": sum(len(o.phrasings) for o in self.objections),
            "responses": sum(len(o.responses) for o in self.objections),
            "signals": len(self.signals),
            "closings": len(self.closings),
            "rules": len(self.rules),
            "scenarios": len(self.scenarios),
            "tests": len(self.tests),
        }


def to_jsonable(value: Any) -> Any:
    """The whole model as plain JSON data (for `playbook show --format json`)."""
    from dataclasses import fields, is_dataclass

    if hasattr(value, "to_json"):
        return value.to_json()
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if f.name == "whole" or f.name.endswith("_origins"):
                continue
            if f.name == "origin":
                out[f.name] = str(item) if item else None
            else:
                out[f.name] = to_jsonable(item)
        return out
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value
