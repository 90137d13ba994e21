"""What customers really say, turned into a playbook overlay a team reviews in git.

A candidate is an objection text a rep recorded that the playbook does not recognise well: its
matcher puts another category (or none) first, so the rep had to pick the category by hand, or
it guesses right with a confidence under LOW_CONFIDENCE. (In the built-in tests, 1 guess in 6
under 60 is wrong, 1 in 90 above it.) Texts are grouped as the matcher normalises them; a
phrasing is learned when it was seen at least `min_count` times and recorded under the same
category at least 2 times in 3.

Then it must do no harm. A phrasing is refused when lint would complain about the overlay
because of it (lint itself is run on the overlay: ambiguous between categories, closer to
another category's phrasings than to its own, a duplicate or near-duplicate...), or when it
makes the overlay take one of the base playbook's passing test cases for another category. (Cases
that passed right at the recognition threshold may fall under it: more phrasings spread a
category's vocabulary. They are listed, not blamed on one phrasing.)

Names of prospects and companies are taken out of every phrasing unless `with_names`.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from rapidfuzz import fuzz

from ..authoring.lint import lint
from ..matching.matcher import Matcher
from ..matching.textnorm import normalise
from ..model import Playbook
from .privacy import names_redactor
from .report import Filters

if TYPE_CHECKING:
    from ..store.sqlite import Store

LOW_CONFIDENCE = 60.0
AGREEMENT = 2 / 3
MIN_WORDS = 2
MAX_ROUNDS = 12
PHRASING_CODES = ("ambiguous-phrasing", "duplicate-phrasing", "near-duplicate-phrasing")


@dataclass(frozen=True)
class Candidate:
    text: str  # as most often typed (names taken out unless asked)
    objection: str
    seen: int
    by_hand: int  # times the matcher put another category (or none) first
    unsure: int  # times it guessed right but under LOW_CONFIDENCE

    def comment(self) -> str:
        how = []
        if self.by_hand:
            how.append(f"picked by hand {self.by_hand}")
        if self.unsure:
            how.append(f"recognised with low confidence {self.unsure}")
        times = "time" if self.seen == 1 else "times"
        return f"seen {self.seen} {times}" + (f" ({', '.join(how)})" if how else "")


@dataclass(frozen=True)
class Refusal:
    candidate: Candidate
    reason: str


@dataclass(frozen=True)
class Learned:
    phrasings: tuple[Candidate, ...]
    refused: tuple[Refusal, ...]
    objections_read: int  # objection texts recorded in the meetings read
    meetings: int
    candidates: int  # distinct texts the playbook does not recognise well
    too_rare: int  # of which seen fewer than min_count times
    weakened: tuple[str, ...] = ()  # base test cases that passed and now fall under the recognition threshold

    def by_objection(self) -> dict[str, list[Candidate]]:
        out: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in self.phrasings:
            out[candidate.objection].append(candidate)
        return out


def learn(store: "Store", base: Playbook, filters: Filters = Filters(), min_count: int = 2, with_names: bool = False,
          matcher: Matcher | None = None) -> Learned:
    """The phrasings to add to `base`, and those refused, from the store's meetings."""
    matcher = matcher or Matcher.from_playbook(base)
    where, params = filters.where("s")
    meeting_where = "s.kind = 'meeting'" + (f" AND {where}" if where else "")
    rows = store.read(f"SELECT o.objection, o.text, count(*) FROM learning_objections o JOIN sessions s ON s.id = o.session_id"
                      f" WHERE {meeting_where} GROUP BY o.objection, o.text", params)
    meetings = sum(n for (n,) in store.read(f"SELECT count(*) FROM sessions s WHERE {meeting_where}", params))
    if with_names:
        redact = lambda text: text  # noqa: E731
    else:
        redactor = names_redactor(store, base)
        redact = lambda text: redactor(text, "")  # noqa: E731
    known = {objection.id for objection in base.objections}
    verdicts: dict[tuple[str, str], tuple[bool, bool]] = {}  # (text, objection) -> (by hand, unsure)
    groups: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)  # normalised -> (objection, text) -> times
    how: dict[str, Counter[str]] = defaultdict(Counter)
    for objection, raw, times in rows:
        if objection not in known or not isinstance(raw, str):
            continue
        text = redact(" ".join(str(raw).split()))
        key = normalise(text)
        if len(key.split()) < MIN_WORDS:
            continue
        if (key, objection) not in verdicts:
            found = matcher.match(text, top=1)
            by_hand = not found or found[0].objection != objection
            verdicts[(key, objection)] = (by_hand, not by_hand and found[0].score < LOW_CONFIDENCE)
        by_hand, unsure = verdicts[(key, objection)]
        if by_hand or unsure:
            groups[key][(objection, text)] += times
            how[key]["by_hand" if by_hand else "unsure"] += times
    candidates, refused, too_rare = [], [], 0
    for key, counts in groups.items():
        per_objection: Counter[str] = Counter()
        for (objection, _), n in counts.items():
            per_objection[objection] += n
        seen = sum(per_objection.values())
        if seen < min_count:
            too_rare += 1
            continue
        objection, agreeing = per_objection.most_common(1)[0]
        text = max((t for (o, t) in counts if o == objection), key=lambda t: (counts[(objection, t)], t))
        candidate = Candidate(text, objection, seen, how[key]["by_hand"], how[key]["unsure"])
        if agreeing < AGREEMENT * seen:
            split = ", ".join(f"{o} {n}" for o, n in per_objection.most_common())
            refused.append(Refusal(candidate, f"the reps did not agree on its category ({split})"))
            continue
        candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.seen, c.objection, c.text))
    accepted, more_refused, weakened = _harmless(base, candidates)
    return Learned(tuple(accepted), tuple(refused + more_refused), sum(row[2] for row in rows), int(meetings), len(groups), too_rare, weakened)


def extended(base: Playbook, phrasings: list[Candidate] | tuple[Candidate, ...]) -> Playbook:
    """`base` with the phrasings added to their categories, as the overlay composes it (tests are
    never inherited: an overlay tests itself)."""
    extra: dict[str, list[str]] = defaultdict(list)
    for candidate in phrasings:
        extra[candidate.objection].append(candidate.text)
    objections = tuple(replace(o, phrasings=o.phrasings + tuple(p for p in extra.get(o.id, ()) if p not in o.phrasings))
                       for o in base.objections)
    return replace(base, objections=objections, tests=())


def _harmless(base: Playbook, candidates: list[Candidate]) -> tuple[list[Candidate], list[Refusal], tuple[str, ...]]:
    """The candidates lint has nothing to say about once added and that confuse none of the
    base's passing test cases with another category; why the others are refused; and the test
    cases that now fall under the recognition threshold (more phrasings spread a category's
    vocabulary: cases that passed right at the threshold drop under it; no one phrasing is to blame).

    Lint itself is the judge: each round lints the overlay, and every warning the base does not
    have is laid at the door of the learned phrasing it quotes (or, when it quotes only base
    phrasings, of the learned phrasing most like them), which is refused; until lint is quiet."""
    refused: list[Refusal] = []
    accepted: list[Candidate] = []
    existing = {normalise(p): o.id for o in base.objections for p in o.phrasings}
    for candidate in candidates:  # most seen first: of two near-duplicates, the more common stays
        where = existing.get(normalise(candidate.text))
        if where is not None:
            refused.append(Refusal(candidate, "already a phrasing of it" if where == candidate.objection else f"already a phrasing of {where}"))
        else:
            accepted.append(candidate)
    if not accepted:
        return [], refused, ()  # nothing is added: the playbook, its lint and its tests are as they were
    before = {_lint_key(w) for w in _linted(base)}
    base_matcher = Matcher.from_playbook(base)
    passing = [t for t in base.tests if _guess(base_matcher, t.say) == t.expect]
    matcher = base_matcher
    for _ in range(MAX_ROUNDS):
        playbook = extended(base, accepted)
        matcher = Matcher.from_playbook(playbook)
        blamed: dict[int, str] = {}
        learned_texts = {c.text for c in accepted}
        fresh = [w for w in _linted(base, accepted, playbook, matcher) if _lint_key(w) not in before]
        fresh.sort(key=lambda w: QUOTED.findall(w.message)[:1] != [] and QUOTED.findall(w.message)[0] not in learned_texts)
        for warning in fresh:  # a warning about a learned phrasing itself says best why it goes
            culprit = _quoted_culprit(accepted, warning.message)
            if culprit is not None and culprit not in blamed:
                blamed[culprit] = f"lint would warn: {warning.code}: {warning.message}"
        for test in passing:
            got = _guess(matcher, test.say)
            if got not in (test.expect, "none"):
                # Taken for another category: the learned phrasing of that category most like it.
                culprit = _closest(accepted, got, test.say)
                if culprit is not None and culprit not in blamed:
                    blamed[culprit] = f"it would break the base's test \"{test.say}\" (expects {test.expect}, would get {got})"
        if not blamed:
            break
        refused += [Refusal(accepted[i], reason) for i, reason in sorted(blamed.items())]
        accepted = [c for i, c in enumerate(accepted) if i not in blamed]
    else:
        matcher = Matcher.from_playbook(extended(base, accepted))
    weakened = tuple(t.say for t in passing if t.expect != "none" and _guess(matcher, t.say) == "none")
    return accepted, refused, weakened


QUOTED = re.compile(r'"([^"]*)"')
_LINTED: dict[tuple, list] = {}  # (base playbook, phrasings added to it) -> its lint


def _linted(base: Playbook, added: Sequence[Candidate] = (), playbook: Playbook | None = None,
            matcher: Matcher | None = None) -> list:
    """lint of `base` without its tests, or of `base` extended by `added`: the same question is
    asked more than once by one learn (the base before, the overlay last checked then written),
    and lint of the built-in library takes seconds."""
    key = (base, tuple((c.objection, c.text) for c in added))  # the playbook itself: equal content, same lint
    if key not in _LINTED:
        if len(_LINTED) >= 8:
            _LINTED.clear()
        playbook = playbook or (extended(base, added) if added else replace(base, tests=()))
        _LINTED[key] = lint(playbook, matcher)
    return _LINTED[key]


def _lint_key(problem) -> tuple:
    """A warning, known again when only its figures changed: its code and the texts it quotes."""
    return (problem.code, tuple(QUOTED.findall(problem.message)))


def _quoted_culprit(accepted: list[Candidate], message: str) -> int | None:
    """The learned phrasing a warning quotes (the least seen, of two); else the one most like what it quotes."""
    quoted = QUOTED.findall(message)
    index = {c.text: i for i, c in enumerate(accepted)}
    named = [index[q] for q in quoted if q in index]
    if named:
        return max(named)  # accepted runs from most to least seen
    scored = [(fuzz.token_set_ratio(normalise(c.text), normalise(q)), i) for i, c in enumerate(accepted) for q in quoted]
    return max(scored)[1] if scored else None


def _guess(matcher: Matcher, text: str) -> str:
    found = matcher.match(text, top=1)
    return found[0].objection if found else "none"


def _closest(accepted: list[Candidate], objection: str, text: str) -> int | None:
    """The learned phrasing of `objection` most like `text`: the likeliest cause of a new confusion."""
    scored = [(fuzz.token_set_ratio(normalise(c.text), normalise(text)), i) for i, c in enumerate(accepted) if c.objection == objection]
    return max(scored)[1] if scored else None


# -- the overlay ------------------------------------------------------------------------------

class OverlayError(Exception):
    """The overlay could not be written, or would not lint clean; the message says why."""


def extends_value(base_spec: str, out: Path) -> str:
    """What the overlay's `extends:` says: builtin or builtin:NAME as given, else the base's
    path relative to the overlay (so the pair moves together in git)."""
    if base_spec == "builtin" or base_spec.startswith("builtin:"):
        return base_spec
    base = Path(base_spec).resolve()
    try:
        return os.path.relpath(base, out.resolve())
    except ValueError:  # another drive (Windows)
        return str(base)


def overlay_files(learned: Learned, base: Playbook, base_spec: str, out: Path, source: str, now: float | None = None,
                  min_count: int = 2) -> dict[str, str]:
    """The overlay's files (name -> text): playbook.yaml (what it is, what it extends) and
    objections.yaml (the `extend: true` entries, each phrasing commented with how often it was seen)."""
    from ..format.schema_check import schema_path

    schema = schema_path()
    day = datetime.fromtimestamp(now).date().isoformat() if now is not None else datetime.now().date().isoformat()
    ident = (base.id + "_learned")[:60]
    header = (
        f"# yaml-language-server: $schema={schema}\n#\n"
        f"# What customers really said in {learned.meetings:,} meetings ({source}), learned on {day} by\n"
        "# `playbook learn`: phrasings the playbook did not recognise (the rep picked the category by\n"
        f"# hand) or recognised with low confidence, seen at least {min_count} time{'s' if min_count > 1 else ''}. Review them like any change:\n"
        "# keep what reads right, delete what does not, then `playbook lint` and `playbook test`.\n"
    )
    meta = header + "\nplaybook:\n" + "\n".join([
        f"  id: {ident}",
        f"  name: {json.dumps(base.name + ' (with phrasings learned from the field)', ensure_ascii=False)}",
        f"  language: {base.language}",
        f"  extends: {json.dumps(extends_value(base_spec, out))}",
    ]) + "\n"
    body = [f"# yaml-language-server: $schema={schema}\n#\n# Phrasings learned from the field ({len(learned.phrasings)}).\n", "objections:"]
    for objection, phrasings in sorted(learned.by_objection().items(), key=lambda item: [o.id for o in base.objections].index(item[0])):
        body += [f"  - id: {objection}", "    extend: true", "    phrasings:"]
        for candidate in phrasings:
            body.append(f"      # {candidate.comment()}")
            body.append(f"      - {json.dumps(candidate.text, ensure_ascii=False)}")
    return {"playbook.yaml": meta, "objections.yaml": "\n".join(body) + "\n"}


def check_overlay(base: Playbook, learned: Learned) -> list[str]:
    """What lint says about the overlay that it does not say about the base: [] when clean."""
    before = {(w.code, w.message) for w in _linted(base)}
    after = _linted(base, learned.phrasings)
    return [w.format() for w in after if (w.code, w.message) not in before]
