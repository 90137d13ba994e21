"""Composition: a team playbook `extends` a base and `includes` more files of its own.

Works on the parsed, schema-checked source, before compilation, so every item keeps the file
and position it was written at: errors and `show --resolved` say where each item came from.

- Items whose id is new are added; an item with a base id replaces the base item, or, for
  objections marked `extend: true`, adds its phrasings, keywords, follow-ups, responses and
  situations to the base category (responses and situations with a base id replace it).
- `remove:` takes base items away by id, and phrasings or responses within a category.
- Stages, `preparation:`, `neutral:` and `synonyms:` are inherited unless the playbook gives its own;
  meeting types are added or replaced by id like the other items;
  `tests:` are never inherited: each playbook tests itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .library import BUILTIN_NAME, builtin_path, inside, resolve_playbook_path, resolved
from .compiler import SECTIONS, MergedSource
from ..problems import Problem, suggest
from .yamlsource import ComposedDocument, SourceDocument

Entry = tuple[SourceDocument, int, Any]

BY_ID = ("meeting_types", "questions", "techniques", "objections", "signals", "closings", "rules", "scenarios")
LIST_FIELDS = ("phrasings", "keywords", "follow_up", "boundaries")
ID_LIST_FIELDS = ("responses", "situations", "families")


def _at(doc: SourceDocument, path: tuple[str | int, ...], code: str, message: str, key: bool = False) -> Problem:
    line, col = doc.position(path, key=key)
    return Problem(doc.display, line, col, code, message)


def include_paths(root: Path, meta_doc: SourceDocument, includes: list[str]) -> tuple[list[Path], list[Problem]]:
    """The included files, each inside the playbook's directory and existing."""
    base = root if root.is_dir() else root.parent
    paths, problems = [], []
    for index, name in enumerate(includes):
        at = ("playbook", "includes", index)
        target = resolved(base / name)
        if target is None:
            problems.append(_at(meta_doc, at, "include-missing", f"'{name}' cannot be followed (a link loop, or a character no file name holds)"))
        elif not inside(target, base):
            problems.append(_at(meta_doc, at, "include-outside", f"'{name}' is outside the playbook's directory; includes stay inside it"))
        elif not target.is_file():
            problems.append(_at(meta_doc, at, "include-missing", f"'{name}' does not exist"))
        else:
            paths.append(target)
    return paths, problems


def extends_path(root: Path, spec: str) -> Path | None:
    """The base a playbook names: `builtin`, `builtin:NAME` (inside the built-in library), or a
    path relative to the playbook's directory; None when it cannot be followed."""
    if spec == BUILTIN_NAME or spec.startswith(BUILTIN_NAME + ":"):
        target = resolve_playbook_path(spec)
        return resolved(target) if inside(target, builtin_path()) else None
    base = root if root.is_dir() else root.parent
    return resolved(base / spec)


def overlay(base: MergedSource, team: MergedSource) -> tuple[MergedSource, list[Problem]]:
    """The team's playbook on top of its base."""
    problems: list[Problem] = []
    sections: dict[str, list[tuple[SourceDocument, int, Any]]] = {}
    for name in SECTIONS:
        team_entries = team.sections[name]
        if name == "tests":
            sections[name] = list(team_entries)
            continue
        if name == "stages":
            sections[name] = list(team_entries or base.sections[name])
            continue
        merged: dict[str, tuple[SourceDocument, int, Any]] = {entry[2]["id"]: entry for entry in base.sections[name]}
        for doc, index, data in team_entries:
            ident = data["id"]
            if data.get("extend"):
                if ident not in merged:
                    problems.append(_at(doc, (name, index, "id"), "extend-unknown",
                                        f"'{ident}' extends nothing: the base has no {name[:-1]} of that id{suggest(ident, merged)}"))
                    continue
                merged[ident] = _extended(name, merged[ident], (doc, index, data))
            else:
                merged[ident] = (doc, index, data)
        sections[name] = list(merged.values())
    for doc in team.docs:
        problems += _remove(doc, sections)
    synonyms = {word: (doc, word, eq) for doc, word, eq in base.synonyms}
    synonyms.update({word: (doc, word, eq) for doc, word, eq in team.synonyms})
    combined = MergedSource(
        [*base.docs, *team.docs], team.meta, sections, list(synonyms.values()), team.neutral or base.neutral,
        team.preparation or base.preparation, team.neutral_at if team.neutral else base.neutral_at,
    )
    return combined, problems


def _extended(section: str, base: Entry, extra: Entry) -> Entry:
    """A base item with a team's `extend: true` additions; every part keeps the place it was
    written at, so a mistake in the team's part is reported in the team's file."""
    base_doc, base_index, base_data = base
    team_doc, team_index, team_data = extra
    here, there = (section, base_index), (section, team_index)
    out = dict(base_data)
    routes: dict[tuple[str | int, ...], tuple[SourceDocument, tuple[str | int, ...]]] = {}
    for key, value in team_data.items():
        if key in ("id", "extend"):
            continue
        if key in LIST_FIELDS:
            kept = base_data.get(key, [])
            added = [(j, v) for j, v in enumerate(value) if v not in kept]
            out[key] = [*kept, *(v for _, v in added)]
            for k, (j, _) in enumerate(added, start=len(kept)):
                routes[here + (key, k)] = (team_doc, there + (key, j))
        elif key in ID_LIST_FIELDS:
            by_id: dict[str, tuple[SourceDocument, tuple[str | int, ...], Any]] = {}
            for i, item in enumerate(base_data.get(key, [])):
                by_id[item["id"]] = (base_doc, here + (key, i), item)
            for j, item in enumerate(value):
                by_id[item["id"]] = (team_doc, there + (key, j), item)
            out[key] = [item for _, _, item in by_id.values()]
            for k, (doc, path, _) in enumerate(by_id.values()):
                routes[here + (key, k)] = (doc, path)
        else:
            out[key] = value
            routes[here + (key,)] = (team_doc, there + (key,))
    return ComposedDocument.over(base_doc, routes), base_index, out


def _remove(doc: SourceDocument, sections: dict[str, list[tuple[SourceDocument, int, Any]]]) -> list[Problem]:
    removal = doc.data.get("remove") or {}
    problems: list[Problem] = []
    for name in BY_ID:
        for index, ident in enumerate(removal.get(name, [])):
            known = [entry[2]["id"] for entry in sections[name]]
            if ident not in known:
                problems.append(_at(doc, ("remove", name, index), "remove-unknown",
                                    f"cannot remove {name[:-1]} '{ident}': there is none{suggest(ident, known)}"))
                continue
            sections[name] = [entry for entry in sections[name] if entry[2]["id"] != ident]
    objections = {entry[2]["id"]: i for i, entry in enumerate(sections["objections"])}
    for field, key in (("phrasings", None), ("responses", "id")):
        for category, values in (removal.get(field) or {}).items():
            if category not in objections:
                problems.append(_at(doc, ("remove", field, category), "remove-unknown",
                                    f"cannot remove {field} from '{category}': no such objection{suggest(category, objections)}", key=True))
                continue
            position = objections[category]
            entry_doc, entry_index, data = sections["objections"][position]
            present = [item if key is None else item[key] for item in data.get(field, [])]
            for index, value in enumerate(values):
                if value not in present:
                    problems.append(_at(doc, ("remove", field, category, index), "remove-unknown",
                                        f"'{value}' is not among the {field} of '{category}'"))
            kept = [(i, item) for i, item in enumerate(data.get(field, [])) if (item if key is None else item[key]) not in values]
            # What stays moves up the list: each part still points at where it was written.
            routes = {("objections", entry_index, field, k): (entry_doc, ("objections", entry_index, field, i))
                      for k, (i, _) in enumerate(kept)}
            sections["objections"][position] = (ComposedDocument.over(entry_doc, routes), entry_index,
                                                 {**data, field: [item for _, item in kept]})
    return problems
