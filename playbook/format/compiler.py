"""Pass 2 of validation: what the schema cannot say, then construction of the frozen model.

Checks ids for uniqueness across files, resolves every reference (a response's technique, a
question's stage, a rule's facts, the closings a rule holds...), orders stage kinds, and compiles
rule and closing conditions. Every problem is collected; the model is built only when there are none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model.conditions import NUMBER, TEXT, FactType, compile_condition, fact_catalogue
from ..model import (
    STAGE_KIND_ORDER,
    AnswerMeaning,
    Band,
    Boundary,
    Closing,
    ClosingCheck,
    Family,
    MatchTest,
    MeetingType,
    Objection,
    Origin,
    Playbook,
    HiddenFact,
    Persona,
    Preparation,
    Question,
    ResearchPrompt,
    Response,
    Scenario,
    ScenarioObjection,
    Rule,
    Signal,
    Situation,
    Stage,
    Suggestion,
    Synonym,
    Technique,
)
from ..problems import Problem, key_path, suggest
from .yamlsource import SourceDocument

SECTIONS = ("stages", "meeting_types", "questions", "techniques", "objections", "signals", "closings", "rules", "scenarios", "tests")
SINGULAR = {
    "stages": "stage",
    "meeting_types": "meeting type",
    "questions": "question",
    "techniques": "technique",
    "objections": "objection",
    "signals": "signal",
    "closings": "closing method",
    "rules": "rule",
    "scenarios": "scenario",
}
NONE_EXPECTED = "none"

Entry = tuple[SourceDocument, int, Any]


@dataclass
class MergedSource:
    """The sections of every file side by side, each entry remembering where it was written."""

    docs: list[SourceDocument]
    meta: tuple[SourceDocument, dict[str, Any]] | None
    sections: dict[str, list[Entry]]
    synonyms: list[tuple[SourceDocument, str, list[str]]]
    neutral: list[str]
    preparation: tuple[SourceDocument, dict[str, Any]] | None = None
    neutral_at: list[tuple[SourceDocument, int]] = field(default_factory=list)  # each neutral line's file and index


def _known(names: Iterable[str], limit: int = 8) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (", ..." if len(names) > limit else "")


class _Compiler:
    def __init__(self, merged: MergedSource) -> None:
        self.merged = merged
        self.problems: list[Problem] = []

    # -- reporting --------------------------------------------------------------------------

    def report(self, doc: SourceDocument, path: tuple[str | int, ...], code: str, message: str, *, key: bool = False) -> None:
        place = doc.locate(path, key=key)  # the file the problem is written in, for composed items too
        self.problems.append(Problem(place.display, place.line, place.col, code, f"{key_path(place.path)}: {message}"))

    def origin(self, doc: SourceDocument, path: tuple[str | int, ...]) -> Origin:
        place = doc.locate(path)
        return Origin(place.display, place.line, place.col)

    def check_reference(
        self, doc: SourceDocument, path: tuple[str | int, ...], value: str, known: Iterable[str], what: str
    ) -> bool:
        known = list(known)
        if value in known:
            return True
        self.report(
            doc, path, f"unknown-{what.replace(' ', '-')}", f"'{value}' is not a known {what}{suggest(value, known)} (known: {_known(known)})"
        )
        return False

    def unique_ids(self, section: str) -> dict[str, Entry]:
        """Entries by id; a repeated id is reported where it is repeated, naming the first."""
        seen: dict[str, Entry] = {}
        for entry in self.merged.sections[section]:
            doc, index, data = entry
            ident = data["id"]
            if ident in seen:
                first_doc, first_index, _ = seen[ident]
                line, col = first_doc.position((section, first_index, "id"))
                self.report(
                    doc, (section, index, "id"), "duplicate-id",
                    f"duplicate {SINGULAR[section]} id '{ident}' (first defined at {first_doc.display}:{line}:{col})",
                )
                continue
            seen[ident] = entry
        return seen

    # -- sections ---------------------------------------------------------------------------

    def stages(self) -> tuple[Stage, ...]:
        entries = self.unique_ids("stages")
        out = self.stage_list([(doc, ("stages", index), data) for _, (doc, index, data) in entries.items()])
        if not out and self.merged.docs:
            meta_doc = self.merged.meta[0] if self.merged.meta else self.merged.docs[0]
            self.problems.append(Problem(meta_doc.display, 1, 1, "no-stages", "the playbook defines no stages: a meeting needs at least one"))
        return out

    def stage_list(self, entries: list[tuple[SourceDocument, tuple[str | int, ...], dict[str, Any]]]) -> tuple[Stage, ...]:
        """One meeting's stages, in order, their kinds checked against the method's order."""
        out: list[Stage] = []
        last_kind: tuple[int, str, str] | None = None
        kinds_seen: dict[str, str] = {}
        for doc, at, data in entries:
            ident, kind = data["id"], data.get("kind")
            if kind is not None:
                rank = STAGE_KIND_ORDER.index(kind)
                if kind in kinds_seen:
                    self.report(doc, at + ("kind",), "stage-kind-repeated", f"stage '{ident}' repeats kind {kind} (already stage '{kinds_seen[kind]}')")
                elif last_kind is not None and rank < last_kind[0]:
                    self.report(
                        doc, at + ("kind",), "stage-order",
                        f"stage '{ident}' ({kind}) comes after stage '{last_kind[2]}' ({last_kind[1]}); "
                        f"order the stages {', '.join(STAGE_KIND_ORDER)}",
                    )
                kinds_seen.setdefault(kind, ident)
                last_kind = (rank, kind, ident)
            out.append(Stage(ident, data["title"], tuple(data["goals"]), tuple(data.get("tips", ())), kind, self.origin(doc, at)))
        return tuple(out)

    def meeting_types(self, sales_stages: tuple[Stage, ...]) -> tuple[MeetingType, ...]:
        """Meetings beyond the sales one, each with its own stages; a stage id names one stage in
        the whole playbook, so that a question's `stage:` says which meeting asks it."""
        seen: dict[str, str] = {s.id: "the sales meeting" for s in sales_stages}
        out = []
        for ident, (doc, index, data) in self.unique_ids("meeting_types").items():
            at = ("meeting_types", index)
            entries = []
            for s_index, stage in enumerate(data["stages"]):
                where = seen.get(stage["id"])
                if where is not None:
                    self.report(doc, at + ("stages", s_index, "id"), "duplicate-id",
                                f"duplicate stage id '{stage['id']}' (also a stage of {where}); stage ids are unique across meeting types")
                    continue
                seen[stage["id"]] = f"meeting type '{ident}'"
                entries.append((doc, at + ("stages", s_index), stage))
            preparation = self.preparation(doc, at + ("preparation",), data["preparation"]) if "preparation" in data else None
            out.append(MeetingType(ident, data["title"], self.stage_list(entries), data.get("description", ""),
                                   tuple(data.get("accounts", ())), preparation, self.origin(doc, at)))
        meta = self.merged.meta
        default = meta[1].get("meeting_type") if meta else None
        if default is not None:
            self.check_reference(meta[0], ("playbook", "meeting_type"), default, [t.id for t in out], "meeting type")
        return tuple(out)

    def preparation(self, doc: SourceDocument, at: tuple[str | int, ...], data: dict[str, Any]) -> Preparation:
        research: list[ResearchPrompt] = []
        for r_index, item in enumerate(data.get("research", ())):
            if item["id"] in {r.id for r in research}:
                self.report(doc, at + ("research", r_index, "id"), "duplicate-id", f"duplicate research id '{item['id']}'")
                continue
            research.append(ResearchPrompt(item["id"], item["prompt"]))
        return Preparation(tuple(data.get("checklist", ())), tuple(research), tuple(data.get("objectives", ())),
                           tuple(data.get("opening", ())), self.origin(doc, at))

    def questions(self, stage_ids: list[str]) -> tuple[Question, ...]:
        out = []
        for ident, (doc, index, data) in self.unique_ids("questions").items():
            at = ("questions", index)
            self.check_reference(doc, at + ("stage",), data["stage"], stage_ids, "stage")
            answers = tuple(
                AnswerMeaning(key, float(a["score"]), a.get("label", key.replace("_", " ")), a.get("means", ""), a.get("verdict"))
                for key, a in (data.get("answers") or {}).items()
            )
            bands = tuple(Band(float(b["at_least"]), float(b["score"]), b.get("means", ""), b.get("verdict")) for b in data.get("bands", ()))
            lows = [b.at_least for b in bands]
            if lows != sorted(lows) or len(set(lows)) != len(lows):
                self.report(doc, at + ("bands",), "bands-order", "bands must be listed lowest first, each with its own at_least")
            out.append(
                Question(
                    ident, data["stage"], data["text"], data["type"], float(data["weight"]),
                    data.get("topic", ""), data.get("why", ""), tuple(data.get("ask_also", ())), data.get("unit", ""),
                    answers, bands, self.origin(doc, at), data.get("blank", ""), bool(data.get("commitment", False)),
                )
            )
        return tuple(out)

    def techniques(self) -> tuple[Technique, ...]:
        return tuple(
            Technique(ident, d["name"], d["description"], d.get("use_when", ""), tuple(d.get("cues", ())), self.origin(doc, ("techniques", i)))
            for ident, (doc, i, d) in self.unique_ids("techniques").items()
        )

    def objections(self, technique_ids: list[str]) -> tuple[Objection, ...]:
        out = []
        for ident, (doc, index, data) in self.unique_ids("objections").items():
            at = ("objections", index)
            for needed in ("title", "phrasings", "responses"):
                if needed == "phrasings" and any(f.get("phrasings") for f in data.get("families", ())):
                    continue
                if not data.get(needed):
                    self.report(doc, at, "objection-incomplete", f"objection '{ident}' has no {needed} left")
            if not data.get("title") or not data.get("responses"):
                continue
            responses: list[Response] = []
            response_ids: set[str] = set()
            for r_index, r in enumerate(data["responses"]):
                r_at = at + ("responses", r_index)
                if r["id"] in response_ids:
                    self.report(doc, r_at + ("id",), "duplicate-id", f"duplicate response id '{r['id']}' in objection '{ident}'")
                    continue
                response_ids.add(r["id"])
                self.check_reference(doc, r_at + ("technique",), r["technique"], technique_ids, "technique")
                responses.append(Response(r["id"], r["technique"], r["text"], r.get("caution", "")))
            situations: list[Situation] = []
            situation_ids: set[str] = set()
            for s_index, s in enumerate(data.get("situations", ())):
                s_at = at + ("situations", s_index)
                if s["id"] in situation_ids:
                    self.report(doc, s_at + ("id",), "duplicate-id", f"duplicate situation id '{s['id']}' in objection '{ident}'")
                    continue
                situation_ids.add(s["id"])
                for p_index, ref in enumerate(s["prefer"]):
                    self.check_reference(doc, s_at + ("prefer", p_index), ref, [r.id for r in responses], "response")
                situations.append(Situation(s["id"], s["title"], tuple(s["prefer"]), s.get("description", "")))
            kept, boundaries = self.families(doc, at, ident, data), self.boundaries(data)
            families = tuple(family for _, family in kept)
            # Families first, then the plain list, so that a team's `extend: true` phrasings come last.
            phrasings = (*(p for family in families for p in family.phrasings), *data.get("phrasings", ()))
            out.append(
                Objection(
                    ident, data["title"], phrasings, tuple(responses), data.get("description", ""),
                    tuple(data.get("keywords", ())), tuple(situations), tuple(data.get("follow_up", ())), self.origin(doc, at),
                    data.get("definition", ""), boundaries, families, self.phrasing_origins(doc, at, kept, data),
                )
            )
        return tuple(out)

    def phrasing_origins(self, doc: SourceDocument, at: tuple[str | int, ...], kept: tuple[tuple[int, Family], ...],
                         data: dict[str, Any]) -> tuple[Origin, ...]:
        """Where each of an objection's phrasings is written, in the order of its `phrasings`: those
        of the families kept (`families`, with their places), then its plain list."""
        places = [at + ("families", f_index, "phrasings", i) for f_index, family in kept for i in range(len(family.phrasings))]
        places += [at + ("phrasings", i) for i in range(len(data.get("phrasings", ())))]
        return tuple(self.origin(doc, place) for place in places)

    def families(self, doc: SourceDocument, at: tuple[str | int, ...], ident: str, data: dict[str, Any]) -> tuple[tuple[int, Family], ...]:
        """The objection's families, each with its index in the file (a repeated id is reported and left out)."""
        out: list[tuple[int, Family]] = []
        for f_index, f in enumerate(data.get("families", ())):
            if f["id"] in {family.id for _, family in out}:
                self.report(doc, at + ("families", f_index, "id"), "duplicate-id", f"duplicate family id '{f['id']}' in objection '{ident}'")
                continue
            out.append((f_index, Family(f["id"], f.get("title", f["id"].replace("_", " ")), tuple(f["phrasings"]))))
        return tuple(out)

    def boundaries(self, data: dict[str, Any]) -> tuple[Boundary, ...]:
        # A boundary names a neighbour for the author; one whose neighbour a team removed is not an
        # error (lint reports boundaries that name no category).
        out = [Boundary(b["objection"], b["text"], tuple(b.get("examples", ()))) for b in data.get("boundaries", ())]
        return tuple(out)

    def signals(self) -> tuple[Signal, ...]:
        return tuple(
            Signal(ident, d["name"], d.get("description", ""), tuple(d.get("phrasings", ())), self.origin(doc, ("signals", i)),
                   tuple(self.origin(doc, ("signals", i, "phrasings", p)) for p in range(len(d.get("phrasings", ())))))
            for ident, (doc, i, d) in self.unique_ids("signals").items()
        )

    def closing_checks(self, doc: SourceDocument, at: tuple[str | int, ...], entries: list[Any],
                       facts: dict[str, FactType]) -> tuple[tuple[str, ...], tuple[ClosingCheck, ...]]:
        """A `fits_when` / `avoid_when` list: every entry's words, and the entries with a condition compiled.
        A plain string is a note for the rep that the engine cannot check."""
        texts: list[str] = []
        checks: list[ClosingCheck] = []
        for e_index, entry in enumerate(entries):
            if isinstance(entry, str):
                texts.append(entry)
                continue
            texts.append(entry["text"])
            condition, errors = compile_condition(entry["when"], facts, at + (e_index, "when"))
            for error in errors:
                self.report(doc, error.path, error.code, error.message)
            if condition is not None:
                checks.append(ClosingCheck(entry["text"], condition))
        return tuple(texts), tuple(checks)

    def closings(self, signal_ids: list[str], facts: dict[str, FactType]) -> tuple[Closing, ...]:
        out = []
        for ident, (doc, index, d) in self.unique_ids("closings").items():
            at = ("closings", index)
            for s_index, ref in enumerate(d.get("signals", ())):
                self.check_reference(doc, at + ("signals", s_index), ref, signal_ids, "signal")
            fits_when, fits = self.closing_checks(doc, at + ("fits_when",), d["fits_when"], facts)
            avoid_when, avoids = self.closing_checks(doc, at + ("avoid_when",), d.get("avoid_when", []), facts)
            out.append(
                Closing(
                    ident, d["name"], d["description"], fits_when, d["example"],
                    avoid_when, tuple(d.get("signals", ())), tuple(d.get("say_also", ())), self.origin(doc, at),
                    fits, avoids, d.get("caution", ""),
                )
            )
        return tuple(out)

    def rules(self, playbook_parts: dict[str, Any], facts: dict[str, FactType]) -> tuple[Rule, ...]:
        questions: tuple[Question, ...] = playbook_parts["questions"]
        objections: tuple[Objection, ...] = playbook_parts["objections"]
        out = []
        for ident, (doc, index, d) in self.unique_ids("rules").items():
            at = ("rules", index)
            condition, errors = compile_condition(d["when"], facts, at + ("when",))
            for error in errors:
                self.report(doc, error.path, error.code, error.message)
            then = d["then"]
            t_at = at + ("then",)
            refs = {
                "question": [q.id for q in questions],
                "closing": [c.id for c in playbook_parts["closings"]],
                "objection": [o.id for o in objections],
            }
            for field, known in refs.items():
                if field in then:
                    self.check_reference(doc, t_at + (field,), then[field], known, "closing method" if field == "closing" else field)
            if "response" in then:
                objection = next((o for o in objections if o.id == then.get("objection")), None)
                if objection is None:
                    self.report(doc, t_at + ("response",), "response-without-objection", "response needs an objection: name the category it belongs to")
                else:
                    self.check_reference(doc, t_at + ("response",), then["response"], [r.id for r in objection.responses], "response")
            held = then.get("hold_closings", False)
            for h_index, ref in enumerate(held if isinstance(held, list) else ()):
                self.check_reference(doc, t_at + ("hold_closings", h_index), ref, refs["closing"], "closing method")
            if condition is None:
                continue
            suggestion = Suggestion(
                then["kind"], then["text"], int(then.get("priority", 50)), then.get("question"), then.get("closing"),
                then.get("objection"), then.get("response"), held is True, tuple(held) if isinstance(held, list) else (),
            )
            out.append(Rule(ident, condition, suggestion, d.get("description", ""), self.origin(doc, at)))
        return tuple(out)

    def scenarios(self, parts: dict[str, Any]) -> tuple[Scenario, ...]:
        questions = {q.id: q for q in parts["questions"]}
        objections = {o.id: o for o in parts["objections"]}
        stage_ids = [s.id for s in parts["stages"]]
        techniques = [t.id for t in parts["techniques"]]
        out = []
        for ident, (doc, index, d) in self.unique_ids("scenarios").items():
            at = ("scenarios", index)
            facts = []
            for question_id, fact in d["facts"].items():
                f_at = at + ("facts", question_id)
                if not self.check_reference(doc, f_at, question_id, questions, "question"):
                    continue
                question = questions[question_id]
                keys = [a.key for a in question.answers]
                if question.type in ("yesno", "choice") and fact["answer"] not in keys:
                    self.report(doc, f_at + ("answer",), "unknown-answer",
                                f"{fact['answer']!r} is not an answer to {question_id}{suggest(str(fact['answer']), keys)} (one of {', '.join(keys)})")
                if question.type == "number" and not isinstance(fact["answer"], (int, float)):
                    self.report(doc, f_at + ("answer",), "condition-type", f"{question_id} takes a number, not {fact['answer']!r}")
                facts.append(HiddenFact(question_id, fact["answer"], fact["says"]))
            raised = []
            for o_index, o in enumerate(d["objections"]):
                o_at = at + ("objections", o_index)
                if not self.check_reference(doc, o_at + ("objection",), o["objection"], objections, "objection"):
                    continue
                if o["when"] not in ("premature_pitch", "premature_close"):
                    self.check_reference(doc, o_at + ("when",), o["when"], [*stage_ids, "premature_pitch", "premature_close"], "stage")
                category = objections[o["objection"]]
                if "situation" in o:
                    self.check_reference(doc, o_at + ("situation",), o["situation"], [s.id for s in category.situations], "situation")
                for t_index, technique in enumerate(o.get("accepts", ())):
                    self.check_reference(doc, o_at + ("accepts", t_index), technique, techniques, "technique")
                accepts = tuple(o.get("accepts", ())) or tuple(dict.fromkeys(r.technique for r in category.responses))
                raised.append(ScenarioObjection(o["objection"], o["when"], o.get("says", ""), o.get("situation"), accepts))
            for s_index, signal in enumerate(d.get("signals", ())):
                self.check_reference(doc, at + ("signals", s_index), signal, [s.id for s in parts["signals"]], "signal")
            for c_index, closing in enumerate(d["closes_with"]):
                self.check_reference(doc, at + ("closes_with", c_index), closing, [c.id for c in parts["closings"]], "closing method")
            for r_index, question_id in enumerate(d.get("requires", ())):
                if self.check_reference(doc, at + ("requires", r_index), question_id, questions, "question") and question_id not in d["facts"]:
                    self.report(doc, at + ("requires", r_index), "requires-unknown-fact", f"'{question_id}' is required but the scenario has no fact for it")
            p = d["persona"]
            persona = Persona(p["name"], p["role"], p["company"], p["temperament"], p["opening"], tuple(p.get("deflections", ())))
            out.append(Scenario(ident, d["title"], d["difficulty"], persona, tuple(facts), tuple(raised), tuple(d["closes_with"]),
                                d.get("brief", ""), tuple(d.get("signals", ())), tuple(d.get("requires", ())), d.get("won", ""),
                                self.origin(doc, at)))
        return tuple(out)

    def tests(self, objection_ids: list[str]) -> tuple[MatchTest, ...]:
        out = []
        for doc, index, d in self.merged.sections["tests"]:
            at = ("tests", index)
            if d["expect"] != NONE_EXPECTED:
                self.check_reference(doc, at + ("expect",), d["expect"], [*objection_ids, NONE_EXPECTED], "objection")
            out.append(MatchTest(d["say"], d["expect"], d.get("note", ""), self.origin(doc, at)))
        return tuple(out)

    # -- whole ------------------------------------------------------------------------------

    def compile(self, source: str) -> Playbook | None:
        parts: dict[str, Any] = {}
        parts["stages"] = self.stages()
        parts["meeting_types"] = self.meeting_types(parts["stages"])
        every_stage = [s.id for s in parts["stages"]] + [s.id for kind in parts["meeting_types"] for s in kind.stages]
        parts["questions"] = self.questions(every_stage)
        parts["techniques"] = self.techniques()
        parts["objections"] = self.objections([t.id for t in parts["techniques"]])
        parts["signals"] = self.signals()
        facts = fact_catalogue(
            stages=every_stage,
            meeting_types=["meeting", *(kind.id for kind in parts["meeting_types"])],
            stage_kinds=STAGE_KIND_ORDER,
            questions={q.id: _answer_type(q) for q in parts["questions"]},
            objections={o.id: [s.id for s in o.situations] for o in parts["objections"]},
            signals=[s.id for s in parts["signals"]],
        )
        parts["closings"] = self.closings([s.id for s in parts["signals"]], facts)
        parts["rules"] = self.rules(parts, facts)
        parts["scenarios"] = self.scenarios(parts)
        parts["tests"] = self.tests([o.id for o in parts["objections"]])
        preparation = None
        if self.merged.preparation is not None:
            doc, data = self.merged.preparation
            preparation = self.preparation(doc, ("preparation",), data)
        if self.problems or self.merged.meta is None:
            return None
        meta = self.merged.meta[1]
        return Playbook(
            id=meta["id"],
            name=meta["name"],
            language=meta.get("language", "en"),
            version=str(meta.get("version", "")),
            description=meta.get("description", ""),
            match_threshold=meta.get("match_threshold"),
            card_cooldown=meta.get("card_cooldown"),
            test_pass_rate=float(meta.get("test_pass_rate", 100.0)),
            evidence=bool(meta.get("evidence", True)),
            synonyms=tuple(Synonym(word, tuple(eq)) for _, word, eq in self.merged.synonyms),
            neutral=tuple(self.merged.neutral),
            neutral_origins=tuple(self.origin(doc, ("neutral", i)) for doc, i in self.merged.neutral_at),
            source=source,
            preparation=preparation,
            default_meeting_type=meta.get("meeting_type", ""),
            **parts,
        )


def _answer_type(question: Question) -> FactType:
    if question.type == "number":
        return NUMBER
    if question.type == "text":
        return TEXT
    if question.type == "yesno":
        return FactType("enum", ("yes", "no"))
    return FactType("enum", tuple(a.key for a in question.answers))


def compile_playbook(merged: MergedSource, source: str = "") -> tuple[Playbook | None, list[Problem]]:
    compiler = _Compiler(merged)
    playbook = compiler.compile(source)
    return playbook, compiler.problems



