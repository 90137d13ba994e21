"""Put the development sets' lines into the built-in libraries, as heard in meetings.

The development sets (bench/dev/, former held-out sets among them) are lines written the way reps
type what customers say, by writers who never saw the library. Measured on a later writer's lines,
the library with them recognises more and raises fewer false alarms than without (the README's
round 11). `python -m bench.heard --write` copies them in: each objection line with one label
into its category's `heard_in_meetings` family (objections.yaml), each ordinary line into
`neutral` (neutral.yaml), between markers, replacing what an earlier run put there. A line
already in the library, or given two different labels by two sets, is left out. Without
`--write` it prints the counts. A line that is one of the library's tests (tests.yaml) is left
out too: the tests are written apart from the phrasings.

The gate is fitted on the same lines (bench/fit_gate.py), so it takes each set's features from
the library without that set's lines (cross-fitting): otherwise every development line would
find itself in the library, and the gate would learn from scores no new line ever gets.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import yaml

from playbook.matching.textnorm import words

from bench.matcher import HERE, OOS_LABELS, SPLITS, read_csv

RULES = HERE.parent / "rules"
LIBRARIES = {"en": RULES, "fr": RULES / "fr"}
FAMILY = "heard_in_meetings"
TITLES = {
    "en": "Heard in meetings: lines as reps typed them (from the development sets, bench/dev/)",
    "fr": "Entendu en rendez-vous : phrases telles que les commerciaux les ont tapées (jeux de développement, bench/dev/)",
}
NEUTRAL_BEGIN = "  # -- heard in meetings (bench/heard.py, from bench/dev/): begin\n"
NEUTRAL_END = "  # -- heard in meetings: end\n"


def development_lines(language: str) -> tuple[dict[str, list[str]], list[str]]:
    """(objection lines by category, ordinary lines) of the language's development sets, in file
    order, each once; lines with two labels, or labelled differently by two sets, left out."""
    objection_files, negative_files = SPLITS["dev"][language]
    labels: dict[str, set[str]] = defaultdict(set)
    order: list[str] = []
    for file in dict.fromkeys((*objection_files, *negative_files)):
        for text, label in read_csv(HERE / file):
            text = " ".join(text.split())
            if not text:
                continue
            if text not in labels:
                order.append(text)
            labels[text].add("none" if label in OOS_LABELS else label)
    by_category: dict[str, list[str]] = defaultdict(list)
    ordinary: list[str] = []
    for text in order:
        (label,) = labels[text] if len(labels[text]) == 1 else ("?",)
        if label == "none":
            ordinary.append(text)
        elif label != "?" and "|" not in label:
            by_category[label].append(text)
    return by_category, ordinary


def library_lines(folder: Path) -> set[str]:
    """Every phrasing, neutral line and test line the library holds outside the heard-in-meetings
    blocks, by `key`."""
    objections = yaml.safe_load((folder / "objections.yaml").read_text(encoding="utf-8"))["objections"]
    neutral = yaml.safe_load(_without_neutral_block((folder / "neutral.yaml").read_text(encoding="utf-8")))["neutral"]
    tests = yaml.safe_load((folder / "tests.yaml").read_text(encoding="utf-8"))["tests"]
    known = set(neutral) | {test["say"] for test in tests}  # a library's tests are written apart from it
    for objection in objections:
        known.update(objection.get("phrasings", ()))
        for family in objection.get("families", ()):
            if family["id"] != FAMILY:
                known.update(family.get("phrasings", ()))
    return {key(t) for t in known}


def key(text: str) -> str:
    """Two lines the matcher cannot tell apart (case, punctuation, spacing) have the same key."""
    return " ".join(words(text)) or text.lower()


def _scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=10_000, default_style=None).removesuffix("\n...\n").rstrip("\n")


def _family_block(language: str, lines: list[str]) -> list[str]:
    out = [f"      - id: {FAMILY}\n", f"        title: {_scalar(TITLES[language])}\n", "        phrasings:\n"]
    return out + [f"          - {_scalar(line)}\n" for line in lines]


def _without_family(lines: list[str]) -> list[str]:
    """objections.yaml's lines without any heard-in-meetings family."""
    out, skipping = [], False
    for line in lines:
        if line == f"      - id: {FAMILY}\n":
            skipping = True
            continue
        if skipping and (line.startswith("      - ") or (line.strip() and len(line) - len(line.lstrip()) <= 4)):
            skipping = False
        if not skipping:
            out.append(line)
    return out


def write_objections(path: Path, language: str, by_category: dict[str, list[str]]) -> None:
    """Each category's family list gains the heard-in-meetings family, last."""
    lines = _without_family(path.read_text(encoding="utf-8").splitlines(keepends=True))
    out: list[str] = []
    category, in_families = None, False
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if in_families and line.strip() and indent <= 4 and not line.lstrip().startswith("#"):
            if by_category.get(category):
                blank = []
                while out and not out[-1].strip():
                    blank.append(out.pop())
                out += _family_block(language, by_category[category]) + blank
            in_families = False
        if line.startswith("  - id: "):
            category = line.split(":", 1)[1].strip()
        if line == "    families:\n":
            in_families = True
        out.append(line)
    path.write_text("".join(out), encoding="utf-8")


def _without_neutral_block(text: str) -> str:
    if NEUTRAL_BEGIN in text:
        head, rest = text.split(NEUTRAL_BEGIN, 1)
        text = head + rest.split(NEUTRAL_END, 1)[1]
    return text


def write_neutral(path: Path, ordinary: list[str]) -> None:
    text = _without_neutral_block(path.read_text(encoding="utf-8"))
    head, sep, tail = text.partition("\nsynonyms:") if "\nsynonyms:" in text else (text, "", "")
    block = NEUTRAL_BEGIN + "".join(f"  - {_scalar(line)}\n" for line in ordinary) + NEUTRAL_END
    path.write_text(head.rstrip("\n") + "\n" + block + (sep + tail if sep else ""), encoding="utf-8")


# What lint finds wrong with a heard line leaves it out: a typo (the library's own spelling is
# never repaired, so a typo there only ever matches itself), a line another category or small
# talk already says, a duplicate. The lines were written the way reps type, typos included.
LINT_CODES = {"likely-typo", "misplaced-phrasing", "duplicate-phrasing", "near-duplicate-phrasing", "ambiguous-phrasing"}


def flagged_lines(language: str, lines: set[str]) -> set[str]:
    """Those of `lines` that lint quotes in a problem about phrasings, in the written library."""
    from playbook.authoring.lint import lint
    from playbook.format import load_playbook

    problems = lint(load_playbook(None if language == "en" else f"builtin:{language}"))
    messages = "\n".join(p.message for p in problems if p.code in LINT_CODES)
    return {line for line in lines if f'"{line}"' in messages}


def main(write: bool) -> None:
    for language, folder in LIBRARIES.items():
        by_category, ordinary = development_lines(language)
        known = library_lines(folder)
        left_out: set[str] = set()
        for attempt in range(12):
            kept = {c: [t for t in lines if key(t) not in known | left_out] for c, lines in by_category.items()}
            kept_ordinary = [t for t in ordinary if key(t) not in known | left_out]
            if not write:
                break
            write_objections(folder / "objections.yaml", language, kept)
            write_neutral(folder / "neutral.yaml", kept_ordinary)
            heard = set(kept_ordinary) | {t for lines in kept.values() for t in lines}
            newly = flagged_lines(language, heard)
            if not newly:
                break
            left_out |= {key(t) for t in newly}
        counts = ", ".join(f"{c} {len(v)}" for c, v in sorted(kept.items()))
        print(f"{language}: {sum(map(len, kept.values()))} objection lines ({counts}); {len(kept_ordinary)} ordinary lines; "
              f"{len(left_out)} left out for lint")


if __name__ == "__main__":
    main("--write" in sys.argv[1:])
