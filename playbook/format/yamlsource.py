"""Hardened YAML reading that remembers where every value came from.

PyYAML composes a node tree (with marks); we build plain Python data from it ourselves so
that we can record each node's position in a side table keyed by its path, and refuse what
has no place in a hand-written playbook: duplicate keys, aliases (the alias-bomb vector),
YAML 1.1 booleans such as `no` (Norway), timestamps, non-string keys and oversized files.
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import Problem
from ..textsafety import first_unsafe

MAX_FILE_BYTES = 4 * 1024 * 1024
# Limits checked while the file is read, before the schema and the compiler (both recursive) see
# it: no playbook comes near them, and a file that does is refused at the place it goes too deep.
MAX_NESTING = 64
MAX_CONDITION_DEPTH = 16
CONDITION_KEYS = ("all", "any", "not")

Path_ = tuple[str | int, ...]

try:  # libyaml's parser is several times faster; marks are the same.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml.parser import Parser as _ParserBase
    from yaml.reader import Reader
    from yaml.scanner import Scanner
    from yaml.composer import Composer

    class _Parser(Reader, Scanner, _ParserBase, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _ParserBase.__init__(self)
            Composer.__init__(self)


class _StrictResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-ish scalars: only true/false are booleans, no timestamps, no sexagesimals."""


_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_StrictResolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|)$"), ["~", "n", ""])


class _NodeLoader(_Parser, _StrictResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _StrictResolver.__init__(self)


@dataclass
class SourceDocument:
    """One parsed YAML file: its data and where each value (and each mapping key) starts."""

    path: Path
    display: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    digest: str = ""  # sha256 of the text, so a compiled playbook can name exactly what it was built from

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where `path` is written; the key rather than its value if asked; else the nearest parent."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def locate(self, path: Path_, *, key: bool = False) -> Place:
        """The file, line, column and key path where `path` was written. For a plain file that is
        here; a composed item (see `ComposedDocument`) sends each part to the file it came from."""
        return Place(self.display, *self.position(path, key=key), tuple(path))


@dataclass(frozen=True)
class Place:
    display: str
    line: int
    col: int
    path: Path_


@dataclass
class ComposedDocument(SourceDocument):
    """An item assembled from several files (a base objection that a team's `extend: true` adds
    to, or that `remove:` thins): positions are the first file's, except under the paths in
    `routes`, each of which is sent to the file and path where that part was written."""

    inner: SourceDocument | None = None
    routes: dict[Path_, tuple[SourceDocument, Path_]] = field(default_factory=dict)

    @classmethod
    def over(cls, doc: SourceDocument, routes: dict[Path_, tuple[SourceDocument, Path_]]) -> "ComposedDocument":
        return cls(doc.path, doc.display, doc.data, doc.positions, doc.key_positions, doc.digest, inner=doc, routes=routes)

    def locate(self, path: Path_, *, key: bool = False) -> Place:
        path = tuple(path)
        for size in range(len(path), 0, -1):
            route = self.routes.get(path[:size])
            if route is not None:
                doc, there = route
                return doc.locate(there + path[size:], key=key)
        assert self.inner is not None
        return self.inner.locate(path, key=key)


class _Builder:
    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def problem(self, mark: yaml.Mark, code: str, message: str) -> None:
        self.problems.append(Problem(self.doc.display, mark.line + 1, mark.column + 1, code, message))

    def build(self, node: yaml.Node, path: Path_, conditions: int = 0) -> Any:
        if len(path) > MAX_NESTING:
            self.problem(node.start_mark, "yaml-too-deep", f"nested more than {MAX_NESTING} levels deep; a playbook never needs that")
            return None
        if id(node) in self.seen:
            line, col = self.doc.key_positions.get(path, (node.start_mark.line + 1, node.start_mark.column + 1))
            self.problems.append(
                Problem(self.doc.display, line, col, "yaml-alias", "aliases (*name) are not allowed in a playbook; write the value out")
            )
            return None
        self.doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path, conditions)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), conditions) for i, item in enumerate(node.value)]
        return self.build_scalar(node)

    def build_mapping(self, node: yaml.MappingNode, path: Path_, conditions: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or (isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and not key_node.style):
                self.problem(key_node.start_mark, "yaml-merge", "merge keys (<<) are not allowed in a playbook")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node.start_mark, "yaml-key", "mapping keys must be plain words")
                continue
            key = key_node.value
            if not self.printable(key_node):
                continue
            if key in out:
                first = self.doc.key_positions[path + (key,)]
                self.problem(
                    key_node.start_mark,
                    "yaml-duplicate-key",
                    f"duplicate key '{key}' (first defined at line {first[0]})",
                )
                continue
            self.doc.key_positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            depth = conditions + (key in CONDITION_KEYS)
            if depth > MAX_CONDITION_DEPTH:
                self.problem(key_node.start_mark, "condition-too-deep",
                             f"conditions nest at most {MAX_CONDITION_DEPTH} levels of all/any/not; this one goes deeper")
                out[key] = None
                continue
            out[key] = self.build(value_node, path + (key,), depth)
        return out

    def printable(self, node: yaml.ScalarNode) -> bool:
        """Text shown on terminals holds no control characters: refused where it is written."""
        index = first_unsafe(node.value)
        if index is None:
            return True
        self.problem(node.start_mark, "control-character", _control_message(node.value[index]))
        return False

    def build_scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if not self.printable(node):
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value == "true"
        if tag == "tag:yaml.org,2002:int":
            return int(value)
        if tag == "tag:yaml.org,2002:float":
            return float(value)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag in ("tag:yaml.org,2002:str", "!"):
            return value
        self.problem(node.start_mark, "yaml-tag", f"the tag {tag} is not allowed in a playbook")
        return value


def read_source(path: Path, display: str) -> tuple[str, None] | tuple[None, Problem]:
    """A playbook file's text, or the problem that stops it being read (too large, unreadable,
    not UTF-8 at `line:col`). The editor opens files through this too."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # /dev/zero or a pipe would be read for ever
            return None, Problem(display, 1, 1, "file-unreadable", "not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            return None, Problem(display, 1, 1, "file-too-large", f"file is {info.st_size:,} bytes; a playbook file may be at most {MAX_FILE_BYTES:,}")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:  # it grew since
            return None, Problem(display, 1, 1, "file-too-large", f"file is over {MAX_FILE_BYTES:,} bytes; a playbook file may be at most that")
    except OSError as exc:
        return None, Problem(display, 1, 1, "file-unreadable", f"cannot read file: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(display, line, col, "file-encoding", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
    problem = check_characters(text, display)
    return (text, None) if problem is None else (None, problem)


def check_characters(text: str, display: str) -> Problem | None:
    """A binary file, or a control character written raw in the text (a terminal showing the
    file, the editor included, would obey it), at its `line:col`."""
    if "\x00" in text:
        return Problem(display, 1, 1, "file-encoding", "file contains NUL bytes; is it a binary file?")
    index = first_unsafe(text.replace("\r", " "))  # CR of CRLF line ends is a line end, not a control
    if index is None:
        return None
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem(display, line, col, "control-character", _control_message(text[index]))


def _control_message(char: str) -> str:
    return f"control character U+{ord(char):04X} in text; remove it (shown on a terminal, it could take it over)"


def read_yaml(path: Path, display: str, text: str | None = None) -> tuple[SourceDocument | None, list[Problem]]:
    """Parse one file (or `text` standing for its unsaved content); return its document, or None
    and the problems that stopped it."""

    def fail(code: str, message: str, line: int = 1, col: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(display, line, col, code, message)]

    if text is None:
        text, problem = read_source(path, display)
        if text is None:
            return None, [problem]
    elif len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return fail("file-too-large", f"text is over {MAX_FILE_BYTES:,} bytes; a playbook file may be at most that")
    problem = check_characters(text, display)
    if problem is not None:
        return None, [problem]
    doc = SourceDocument(path=path, display=display, data=None, digest=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    try:
        loader = _NodeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{exc.context}, {message}"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return fail("yaml-syntax", f"YAML syntax error: {message}", line, col)
    except yaml.YAMLError as exc:
        return fail("yaml-syntax", f"YAML syntax error: {str(exc).splitlines()[0]}")
    except RecursionError:
        return fail("yaml-too-deep", "the file is nested too deeply to be a playbook")
    if node is None:
        return fail("file-empty", "file is empty; a playbook file holds a mapping of sections (stages:, objections:, ...)")
    builder = _Builder(doc)
    try:
        doc.data = builder.build(node, ())
    except RecursionError:
        return fail("yaml-too-deep", "the file is nested too deeply to be a playbook")
    except ValueError as exc:
        return fail("yaml-value", f"cannot read value: {exc}")
    if builder.problems:
        return None, builder.problems
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        return fail("file-not-mapping", f"file holds {kind}; a playbook file holds a mapping of sections (stages:, objections:, ...)")
    return doc, []
