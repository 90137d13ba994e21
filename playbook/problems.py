"""Problems found in a playbook: one place, one stable code, one message.

Every check in the loader and validator returns a list of these rather than raising,
so an author sees all their mistakes at once, each at `path:line:col`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from .textsafety import dumps


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake in a playbook file, located to the line and column (both 1-based)."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: {self.message}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    ordered = sorted(problems)
    if fmt == "json":
        return dumps([p.to_json() for p in ordered], indent=2)
    return "\n".join(p.format() for p in ordered)


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as an author would type it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, a link loop, a vanished working directory
        return str(path)


def key_path(parts: Sequence[str | int]) -> str:
    """Render ('objections', 3, 'responses', 0, 'technique') as objections[3].responses[0].technique."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class PlaybookError(Exception):
    """Raised by load_playbook when a playbook has errors; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(sorted(problems))
        super().__init__(format_problems(self.problems))


def suggest(word: str, known: Iterable[str]) -> str:
    """' (did you mean X?)' when a known name is close enough to be the intended one."""
    # Edit-distance similarity: a "did you mean" is about typos, not about shared substrings.
    best = process.extractOne(word, list(known), scorer=fuzz.ratio, processor=None, score_cutoff=66)
    return f" (did you mean '{best[0]}'?)" if best else ""
