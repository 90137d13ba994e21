"""Loading a playbook: find its files, parse them safely, validate in two passes, build the model.

A playbook is a directory of YAML files (its top level only, so that a language variant can
live in a subdirectory) or a single file. Problems from every file and both passes are
collected and returned together; a playbook with any error is never half-loaded.
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

from .library import BUILTIN_NAME, builtin_path, inside, resolve_playbook_path
from .compiler import SECTIONS, MergedSource, compile_playbook
from ..model import Playbook
from ..problems import PlaybookError, Problem, display_path
from .schema_check import check_schema
from .yamlsource import MAX_FILE_BYTES, SourceDocument, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")


def playbook_files(path: Path) -> tuple[list[Path], list[Problem]]:
    """The YAML files of a playbook: the file itself, or the top level of its directory. A file of
    the directory is read only if it resolves inside it: a link to a file elsewhere is refused,
    and nothing of that file is read."""
    shown = display_path(path)
    try:
        is_dir = stat.S_ISDIR(path.stat().st_mode)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "no such file or directory"
        return [], [Problem(shown, 1, 1, "not-found", reason[:1].lower() + reason[1:])]
    if not is_dir:
        return [path], []
    try:
        found = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
    except OSError as exc:
        return [], [Problem(shown, 1, 1, "file-unreadable", f"cannot read the directory: {exc.strerror or exc}")]
    if not found:
        return [], [Problem(shown, 1, 1, "no-files", "no .yaml files in this directory")]
    outside = [p for p in found if not inside(p, path)]
    problems = [Problem(str(Path(shown) / p.name), 1, 1, "file-outside",
                        "a link to a file outside the playbook's directory; a playbook reads only its own files") for p in outside]
    return [p for p in found if p not in outside], problems


def source_files(root: Path) -> list[Path]:
    """Every YAML file a playbook's directory holds, subdirectories included (its includes live
    there), that resolves inside it: what the editor opens and the watcher stats."""
    if not root.is_dir():
        return [root] if root.is_file() else []
    try:
        return sorted(p for p in root.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file() and inside(p, root))
    except OSError:
        return []


def looks_like_playbook(root: Path) -> bool:
    """Whether a folder or file named as a base (`extends:`) is a playbook at all: one of its
    files has a top-level `playbook:` section. Decided before any of its problems are reported,
    so that naming some other YAML file as a base echoes nothing of its content."""
    paths, _ = playbook_files(root)
    for file in paths:
        try:
            if not file.is_file():  # a device or a pipe named as a base is read no further
                continue
            with file.open("rb") as handle:
                text = handle.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
        if re.search(r"^[\"']?playbook[\"']?[ \t]*:", text, re.MULTILINE):
            return True
    return False


def _merge(docs: list[SourceDocument]) -> tuple[MergedSource, list[Problem]]:
    problems: list[Problem] = []
    meta: tuple[SourceDocument, dict[str, Any]] | None = None
    sections: dict[str, list[tuple[SourceDocument, int, Any]]] = {name: [] for name in SECTIONS}
    stage_file: SourceDocument | None = None
    preparation: tuple[SourceDocument, dict[str, Any]] | None = None
    synonyms: list[tuple[SourceDocument, str, list[str]]] = []
    seen_words: dict[str, SourceDocument] = {}
    for doc in docs:
        data = doc.data
        if "playbook" in data:
            if meta is not None:
                line, col = doc.position(("playbook",), key=True)
                first = meta[0]
                problems.append(
                    Problem(doc.display, line, col, "duplicate-playbook", f"a second playbook: section (the first is in {first.display}); one file holds it")
                )
            else:
                meta = (doc, data["playbook"])
        if "stages" in data:
            if stage_file is not None:
                line, col = doc.position(("stages",), key=True)
                problems.append(
                    Problem(doc.display, line, col, "stages-split", f"stages are also defined in {stage_file.display}; keep them in one file so their order is clear")
                )
            stage_file = doc
        if "preparation" in data:
            if preparation is not None:
                line, col = doc.position(("preparation",), key=True)
                problems.append(Problem(doc.display, line, col, "duplicate-preparation",
                                        f"a second preparation: section (the first is in {preparation[0].display}); one file holds it"))
            else:
                preparation = (doc, data["preparation"])
        for name in SECTIONS:
            for index, entry in enumerate(data.get(name) or []):
                sections[name].append((doc, index, entry))
        for word, equivalents in (data.get("synonyms") or {}).items():
            if word in seen_words:
                line, col = doc.position(("synonyms", word), key=True)
                problems.append(Problem(doc.display, line, col, "duplicate-synonym", f"synonyms for '{word}' are also given in {seen_words[word].display}"))
                continue
            seen_words[word] = doc
            synonyms.append((doc, word, equivalents))
    if meta is None and docs:
        problems.append(
            Problem(docs[0].display, 1, 1, "missing-playbook", "no file holds the playbook: section (with at least id and name)")
        )
    neutral_at = [(doc, i) for doc in docs for i, _ in enumerate(doc.data.get("neutral") or [])]
    neutral = [doc.data["neutral"][i] for doc, i in neutral_at]
    return MergedSource(docs, meta, sections, synonyms, neutral, preparation, neutral_at), problems


Overrides = dict[Path, str]


def _read_checked(file: Path, problems: list[Problem], overrides: Overrides | None = None) -> SourceDocument | None:
    doc, file_problems = read_yaml(file, display_path(file), (overrides or {}).get(file.resolve()))
    problems += file_problems
    if doc is None:
        return None
    schema_problems = check_schema(doc)
    problems += schema_problems
    return None if schema_problems else doc


def load_source(root: Path, chain: tuple[Path, ...] = (), overrides: Overrides | None = None) -> tuple[MergedSource | None, list[Problem]]:
    """A playbook's files, its includes and its base (recursively), merged but not yet compiled.
    `overrides` gives unsaved text for some files (the editor's buffers)."""
    from .compose import extends_path, include_paths, overlay

    paths, problems = playbook_files(root)
    docs = [doc for file in paths if (doc := _read_checked(file, problems, overrides)) is not None]
    if problems:
        return None, problems
    meta_doc = next((d for d in docs if "playbook" in d.data), None)
    if meta_doc is not None and meta_doc.data["playbook"].get("includes"):
        included, include_problems = include_paths(root, meta_doc, meta_doc.data["playbook"]["includes"])
        problems += include_problems
        known = {d.path.resolve() for d in docs}
        docs += [doc for file in included if file not in known and (doc := _read_checked(file, problems, overrides)) is not None]
        if problems:
            return None, problems
    merged, problems = _merge(docs)
    if problems or merged.meta is None:
        return None, problems
    spec = merged.meta[1].get("extends")
    if not spec:
        return merged, []
    meta_doc = merged.meta[0]
    at = meta_doc.position(("playbook", "extends"))
    base_root = extends_path(root, spec)
    here = root.resolve()
    if base_root is None or not base_root.exists():
        return None, [Problem(meta_doc.display, *at, "extends-missing", f"extends '{spec}': no such playbook")]
    if not looks_like_playbook(base_root):
        return None, [Problem(meta_doc.display, *at, "extends-not-playbook",
                              f"extends '{spec}': not a playbook (none of its files has a playbook: section)")]
    if base_root.resolve() in (*chain, here):
        cycle = " -> ".join(display_path(p) for p in (*chain, here, base_root.resolve()))
        return None, [Problem(meta_doc.display, *at, "extends-cycle", f"extends '{spec}' makes a cycle: {cycle}")]
    base, base_problems = load_source(base_root, (*chain, here), overrides)
    if base is None:
        note = Problem(meta_doc.display, *at, "extends-invalid", f"extends '{spec}', which has {len(base_problems)} problem(s) listed here")
        return None, [note, *base_problems]
    return overlay(base, merged)


def check_playbook(path: str | Path | None, overrides: Overrides | None = None,
                   read: list[Path] | None = None) -> tuple[Playbook | None, list[Problem]]:
    """Load and validate; return the playbook (or None) and every problem found. `overrides`
    maps resolved file paths to unsaved text, so an editor can check what is on screen; `read`,
    when given, receives the path of every file the playbook was compiled from."""
    root = resolve_playbook_path(path)
    merged, problems = load_source(root, overrides=overrides)
    if merged is None or problems:
        return None, sorted(problems)
    if read is not None:
        read.extend(doc.path for doc in merged.docs)
    playbook, problems = compile_playbook(merged, source=display_path(root))
    if problems:
        return None, sorted(problems)
    return replace(playbook, digest=playbook_digest(merged.docs)), []


def playbook_digest(docs: list[SourceDocument]) -> str:
    """One hash for the exact text a playbook was compiled from, in the order it was read."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(doc.digest.encode("ascii"))
    return digest.hexdigest()


def load_playbook(path: str | Path | None = None) -> Playbook:
    """Load a playbook or raise PlaybookError with every problem found."""
    playbook, problems = check_playbook(path)
    if playbook is None:
        raise PlaybookError(problems)
    return playbook
