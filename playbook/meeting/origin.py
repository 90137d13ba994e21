"""Which playbook a meeting ran on, and finding it again when the meeting is resumed or shown.

A session records the playbook's spec (`builtin`, `builtin:NAME` or an absolute path) and the
hash of its files (`Playbook.digest`). Resuming needs nothing but the session: the recorded
playbook is loaded again, and the rep is told in words when its files moved or changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..format.cache import load_cached
from ..format.library import BUILTIN_NAME
from ..model import Playbook
from .session import SessionError, canonical_spec


@dataclass(frozen=True)
class SessionPlaybook:
    playbook: Playbook
    spec: str
    notices: tuple[str, ...] = ()  # what the rep should know: moved, changed, shown with another one


def is_spec(value: str) -> bool:
    """Whether a session's `playbook` column holds a spec (sessions before version 2 hold an id)."""
    return value == BUILTIN_NAME or value.startswith(BUILTIN_NAME + ":") or Path(value).is_absolute()


def load_spec(spec: str) -> Playbook:
    """The playbook a spec names; SessionError (in one line) when it is not there or has errors."""
    if not spec.startswith(BUILTIN_NAME) and not Path(spec).exists():
        raise SessionError(f"playbook {spec} is not there any more (moved or deleted)")
    playbook, problems = load_cached(spec)
    if playbook is None:
        first = problems[0].format() if problems else "it cannot be read"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise SessionError(f"playbook {spec} has errors: {first}{more}")
    return playbook


def playbook_for_session(info, explicit: str | Path | None = None) -> SessionPlaybook:
    """The playbook to resume or show a session with (`info`: its SessionInfo).

    Without `explicit`, the playbook the session recorded; with it, that one, noting the
    difference. A session recorded before playbooks were remembered uses `explicit` or the
    built-in one, and says so."""
    recorded, digest = info.playbook or "", info.playbook_hash or ""
    known = bool(digest) and is_spec(recorded)
    if explicit is not None:
        spec = canonical_spec(explicit)
        playbook = load_spec(spec)
        notices = []
        if known and spec != recorded:
            notices.append(f"session {info.id} ran on playbook {recorded}; shown with {spec}")
        elif known and playbook.digest != digest:
            notices.append(f"playbook {spec} changed since session {info.id} was recorded; shown with its current version")
        return SessionPlaybook(playbook, spec, tuple(notices))
    if not known:
        # Recorded before playbooks were remembered: the id of a built-in one names it
        # ("builtin", "builtin_fr"); anything else falls back to the built-in one, and says so.
        spec = _builtin_spec_for_id(recorded) or BUILTIN_NAME
        playbook = load_spec(spec)
        note = (f"session {info.id} does not record where its playbook ('{recorded}') is; shown with the built-in one"
                f" (give --playbook PATH to choose)")
        return SessionPlaybook(playbook, spec, () if recorded == playbook.id else (note,))
    try:
        playbook = load_spec(recorded)
    except SessionError as error:
        raise SessionError(f"session {info.id}: {error}; give its new place with --playbook PATH") from None
    notices = ()
    if playbook.digest != digest:
        notices = (f"playbook {recorded} changed since session {info.id} started; continuing with its current version",)
    return SessionPlaybook(playbook, recorded, notices)


def _builtin_spec_for_id(playbook_id: str) -> str | None:
    from ..format.library import builtin_path

    if playbook_id == BUILTIN_NAME:
        return BUILTIN_NAME
    name = playbook_id.removeprefix(BUILTIN_NAME + "_")
    if name != playbook_id and name.isidentifier() and (builtin_path() / name).is_dir():
        return f"{BUILTIN_NAME}:{name}"
    return None
