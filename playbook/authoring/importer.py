"""Turning a spreadsheet of objections (phrasing, category) into a playbook directory.

Sales teams keep their objection lists in spreadsheets; this gives them a valid playbook to
complete by hand: every category with its phrasings, a placeholder response to rewrite, and
the standard stages and techniques.
"""

from __future__ import annotations

import csv
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..files import WriteError, write_files
from ..format.library import builtin_path
from ..matching.textnorm import fold, normalise
from ..textsafety import first_unsafe, printable


class ImportProblem(Exception):
    """A spreadsheet that cannot be imported, with the place to look."""


@dataclass(frozen=True)
class ImportResult:
    directory: Path
    categories: int
    phrasings: int
    skipped: int


def slug(name: str) -> str:
    """'Price / Budget' -> 'price_budget': an id the schema accepts."""
    text = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")
    if not text or not text[0].isalpha():
        text = f"category_{text}" if text else "category"
    return text


def read_rows(path: Path) -> tuple[list[tuple[int, str, str]], int]:
    """(line, phrasing, category) rows and how many blank or incomplete rows were skipped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"{path}:1:1: cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        raise ImportProblem(f"{path}:{line}:{col}: not UTF-8 text; save the spreadsheet as UTF-8 CSV") from None
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    rows: list[tuple[int, str, str]] = []
    skipped = 0
    for number, row in enumerate(_rows(reader, path), 1):
        cells = [c.strip() for c in row]
        for col, cell in enumerate(cells[:2], 1):
            if (index := first_unsafe(cell)) is not None:
                raise ImportProblem(f"{path}:{number}:{col}: control character U+{ord(cell[index]):04X} in a cell; remove it")
        if number == 1 and len(cells) >= 2 and {fold(cells[0]), fold(cells[1])} & {"phrasing", "text", "objection", "category", "label", "sentence"}:
            if fold(cells[0]) in ("category", "label"):
                raise ImportProblem(f"{path}:1:1: put the phrasing first and the category second (found '{cells[0]}, {cells[1]}')")
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            skipped += 1
            continue
        rows.append((number, cells[0], cells[1]))
    if not rows:
        raise ImportProblem(f"{path}:1:1: no rows of the form phrasing{delimiter}category")
    return rows, skipped


def group_rows(rows: list[tuple[int, str, str]]) -> OrderedDict[str, dict]:
    """Phrasings by category id, in the sheet's order, each said once: a phrasing whose normalised
    words (case, accents, punctuation, shorthand) repeat an earlier one of its category is dropped.
    One set lookup per row, so a sheet of 40,000 rows takes no longer per row than one of 400."""
    categories: OrderedDict[str, dict] = OrderedDict()
    seen: dict[str, set[str]] = {}
    for _, phrasing, category in rows:
        ident = slug(category)
        entry = categories.setdefault(ident, {"title": category, "phrasings": []})
        key = normalise(phrasing) or phrasing
        if key not in seen.setdefault(ident, set()):
            seen[ident].add(key)
            entry["phrasings"].append(phrasing)
    return categories


def _rows(reader, path: Path):
    """The reader's rows; a row the csv module refuses (a cell over its 128 KB limit) is one line."""
    try:
        yield from reader
    except csv.Error as exc:
        limit = csv.field_size_limit()
        reason = f"a cell is over {limit:,} characters; a phrasing is one sentence" if "field larger" in str(exc) else str(exc)
        raise ImportProblem(f"{path}:{reader.line_num}:1: {reason}") from None


def import_spreadsheet(source: Path, out: Path, force: bool = False) -> ImportResult:
    if out.exists() and not out.is_dir():
        raise ImportProblem(f"{out}: exists and is not a directory; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ImportProblem(f"{out}: directory is not empty; choose another --out, or --force to add files to it")
    rows, skipped = read_rows(source)
    categories = group_rows(rows)
    base = yaml.safe_load((builtin_path() / "playbook.yaml").read_text(encoding="utf-8"))
    techniques = yaml.safe_load((builtin_path() / "techniques.yaml").read_text(encoding="utf-8"))
    name = source.stem.replace("_", " ").replace("-", " ").strip() or "Imported"
    header = "# yaml-language-server: $schema={schema}\n# Imported from {source}. Complete the responses by hand, then run `playbook validate` and `playbook test`.\n\n"
    from ..format.schema_check import schema_path

    texts: dict[str, str] = {}

    def write(filename: str, data: dict) -> None:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        texts[filename] = header.format(schema=schema_path(), source=printable(source.name, one_line=True)) + text

    write("playbook.yaml", {"playbook": {"id": slug(name), "name": name.capitalize(), "language": "en"}, "stages": base["stages"]})
    write("techniques.yaml", techniques)
    objections = [
        {
            "id": ident,
            "title": entry["title"],
            "phrasings": entry["phrasings"],
            "responses": [{"id": "clarify", "technique": "question", "text": "TODO: what makes you say that? Replace with your team's best answer."}],
        }
        for ident, entry in categories.items()
    ]
    write("objections.yaml", {"objections": objections})
    try:
        write_files(out, texts, force=force)  # all three files or none: never half a playbook
    except WriteError as error:
        raise ImportProblem(str(error)) from None
    return ImportResult(out, len(categories), sum(len(e["phrasings"]) for e in categories.values()), skipped)
