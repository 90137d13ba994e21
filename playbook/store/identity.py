"""Who is recording: the rep's name, kept on every session so a team can see its own record.

The name comes from, in order: the `--rep NAME` option, `$PLAYBOOK_REP`, then `rep = "NAME"` in
the user's config file (`$XDG_CONFIG_HOME/playbook/config.toml`, else
`~/.config/playbook/config.toml`, read with tomllib). No name anywhere is fine: the session's rep
is then unknown (empty). A config file that cannot be read is an IdentityError in one line, so a
typo there is said, not silently ignored. The meeting app, the CLI and the team store (later)
all ask this module, so the same person is the same name everywhere.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ENV_VAR = "PLAYBOOK_REP"
MAX_NAME = 100


class IdentityError(ValueError):
    """The config file is there but cannot be read; the message says where and why."""


def config_path() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "playbook" / "config.toml"


def clean_name(name: str) -> str:
    """A rep's name on one line: whitespace folded, control characters dropped, at most 100 characters."""
    text = "".join(ch for ch in str(name) if ch.isprintable() or ch.isspace())
    return " ".join(text.split())[:MAX_NAME]


def configured_rep(path: Path | None = None) -> str:
    """The `rep` of the config file, "" when there is no file or no such key."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentityError(f"{path}: cannot read the config file: {getattr(exc, 'strerror', None) or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise IdentityError(f"{path}: not valid TOML: {exc}") from None
    value = data.get("rep", "")
    if not isinstance(value, str):
        raise IdentityError(f"{path}: `rep` must be a name in quotes, e.g. rep = \"Alice Martin\"")
    return clean_name(value)


def current_rep(explicit: str | None = None, *, strict: bool = True) -> str:
    """The rep's name: `explicit`, else $PLAYBOOK_REP, else the config file, else "".
    With `strict=False` an unreadable config file counts as no name (for the meeting app, which
    must never fail to start a meeting over it; the CLI checks strictly first)."""
    if explicit is not None and clean_name(explicit):
        return clean_name(explicit)
    if clean_name(os.environ.get(ENV_VAR, "")):
        return clean_name(os.environ[ENV_VAR])
    try:
        return configured_rep()
    except IdentityError:
        if strict:
            raise
        return ""
