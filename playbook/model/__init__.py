"""The model: frozen types every other part reads. A playbook as compiled from YAML (`playbook`),
its eval-free rule conditions (`conditions`), and the events a meeting or a role-play records
(`events`). Nothing here imports from the rest of the engine but `problems`."""

from .playbook import (
    STAGE_KIND_ORDER,
    AnswerMeaning,
    AnswerType,
    Band,
    Boundary,
    Closing,
    ClosingCheck,
    Family,
    HiddenFact,
    MatchTest,
    Objection,
    Origin,
    Persona,
    Playbook,
    Question,
    Response,
    Rule,
    Scenario,
    ScenarioObjection,
    Signal,
    Situation,
    Stage,
    StageKind,
    Suggestion,
    SuggestionKind,
    Synonym,
    Technique,
    Verdict,
    to_jsonable,
)

__all__ = [
    "STAGE_KIND_ORDER", "AnswerMeaning", "AnswerType", "Band", "Boundary", "Closing", "ClosingCheck", "Family", "HiddenFact",
    "MatchTest", "Objection",
    "Origin", "Persona", "Playbook", "Question", "Response", "Rule", "Scenario", "ScenarioObjection", "Signal",
    "Situation", "Stage", "StageKind", "Suggestion", "SuggestionKind", "Synonym", "Technique", "Verdict",
    "to_jsonable",
]
