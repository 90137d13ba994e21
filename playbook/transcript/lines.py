"""Transcript lines: the canonical JSON Lines format (schema version 1), and WebVTT / SRT cues.

The format is defined by `playbook/schema/transcript.schema.json`; `parse_json_line` checks a
line against the same rules by hand (the follower reads a line every few hundred milliseconds
for a whole meeting, and jsonschema is not imported for that), and a test keeps the two in step.

WebVTT and SRT files are read cue by cue: every cue is final; its speaker comes from a
`<v Name>` voice tag or a `[SPEAKER_00]:` / `Name:` prefix made of a speaker-like label.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from ..textsafety import dumps

SCHEMA_VERSION = 1
ROLES = ("customer", "rep")
MAX_ID = 200
MAX_SPEAKER = 200
MAX_TEXT = 5000
Role = Literal["customer", "rep"]
Format = Literal["jsonl", "vtt", "srt"]


class LineError(ValueError):
    """A line that is not a transcript line, in words (the follower adds the line number)."""


@dataclass(frozen=True)
class Line:
    """One update of an utterance. A later Line with the same `id` replaces this one."""

    id: str
    text: str
    final: bool = True
    speaker: str = ""
    role: Role | None = None
    t0: float | None = None
    t1: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The canonical JSON object (schema version 1)."""
        return {"v": SCHEMA_VERSION, "id": self.id, "t0": _rounded(self.t0), "t1": _rounded(self.t1),
                "speaker": self.speaker or None, "role": self.role, "text": self.text, "final": self.final}

    def dumps(self) -> str:
        """The line as written to a transcript file (one line, UTF-8 kept, no trailing newline)."""
        return dumps(self.to_json())


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _reject_constant(name: str) -> float:
    raise LineError(f"{name} is not a number JSON allows")


def parse_json_line(raw: str) -> Line:
    """A canonical line, or LineError saying what is wrong with it."""
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except LineError:
        raise
    except (ValueError, RecursionError) as error:
        raise LineError(f"not JSON ({getattr(error, 'msg', 'too deeply nested')})") from None
    if not isinstance(data, dict):
        raise LineError("not a JSON object")
    if "v" not in data:
        raise LineError('no "v" (the schema version, 1)')
    if data["v"] != SCHEMA_VERSION or isinstance(data["v"], bool):
        raise LineError(f'"v" is {json.dumps(data["v"])[:20]}; this version of playbook reads version {SCHEMA_VERSION}')
    ident = data.get("id")
    if not isinstance(ident, str) or not ident or len(ident) > MAX_ID:
        raise LineError(f'"id" must be a text of 1 to {MAX_ID} characters')
    text = data.get("text")
    if not isinstance(text, str):
        raise LineError('"text" must be a text')
    if len(text) > MAX_TEXT:
        raise LineError(f'"text" is {len(text):,} characters long; at most {MAX_TEXT:,}')
    final = data.get("final")
    if not isinstance(final, bool):
        raise LineError('"final" must be true or false')
    speaker = data.get("speaker")
    if speaker is not None and (not isinstance(speaker, str) or len(speaker) > MAX_SPEAKER):
        raise LineError(f'"speaker" must be a text of at most {MAX_SPEAKER} characters, or null')
    role = data.get("role")
    if role is not None and role not in ROLES:
        raise LineError('"role" must be "customer", "rep" or null')
    times = []
    for name in ("t0", "t1"):
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value) or value < 0):
            raise LineError(f'"{name}" must be a number of seconds (0 or more), or null')
        times.append(None if value is None else float(value))
    return Line(ident, " ".join(text.split()), final, " ".join((speaker or "").split()), role, times[0], times[1])


# -- WebVTT and SRT ----------------------------------------------------------------------------

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
# A speaker prefix: "[SPEAKER_00]: text", "SPEAKER_01: text", "[Anna]: text", "Anna: text".
_PREFIX = re.compile(r"^\s*(?:\[(?P<bracketed>[^\]]{1,60})\]|(?P<label>[A-Z][\w .'-]{0,40}?|SPEAKER_\d+))\s*:\s+(?P<rest>.*)$")


def seconds(stamp: str) -> float:
    """'01:02:03.450', '02:03,450' or '2:03.45' as seconds."""
    parts = stamp.replace(",", ".").split(":")
    value = 0.0
    for part in parts:
        value = value * 60 + float(part)
    return value


def parse_cue(block: list[str], ordinal: int) -> Line | None:
    """One WebVTT or SRT cue block (its lines, without the blank line after it) as a final Line;
    None for a block that is no cue (the WEBVTT header, NOTE, STYLE and REGION blocks)."""
    timing_at = next((i for i, text in enumerate(block) if _TIMING.match(text)), None)
    if timing_at is None or timing_at > 1:
        return None
    match = _TIMING.match(block[timing_at])
    assert match is not None
    identifier = block[0].strip() if timing_at == 1 else ""
    body = [text.strip() for text in block[timing_at + 1:] if text.strip()]
    speaker = ""
    joined = " ".join(body)
    voice = _VOICE.search(joined)
    if voice:
        speaker = voice.group(1).strip()
    text = " ".join(_TAG.sub("", joined).split())
    if not speaker:
        prefixed = _PREFIX.match(text)
        if prefixed:
            speaker = (prefixed.group("bracketed") or prefixed.group("label") or "").strip()
            text = prefixed.group("rest").strip()
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " "), ("&amp;", "&")):
        text = text.replace(entity, char)
    return Line(f"cue-{identifier}" if identifier else f"cue#{ordinal}", text[:MAX_TEXT], True, speaker[:MAX_SPEAKER],
                None, seconds(match.group("start")), seconds(match.group("end")))


def format_of(path: str, head: str = "") -> Format:
    """The transcript format from the file's name, else from how it begins."""
    lowered = path.lower()
    if lowered.endswith(".vtt"):
        return "vtt"
    if lowered.endswith(".srt"):
        return "srt"
    stripped = head.lstrip("\ufeff").lstrip()
    if stripped.startswith("WEBVTT"):
        return "vtt"
    first_lines = stripped.splitlines()[:2]
    if len(first_lines) == 2 and first_lines[0].strip().isdigit() and "-->" in first_lines[1]:
        return "srt"
    return "jsonl"
