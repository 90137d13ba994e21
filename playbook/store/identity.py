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
TEAM_ENV_VAR = "PLAYBOOK_TEAM"
TEAM_DB_ENV_VAR = "PLAYBOOK_TEAM_DB"
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


def _config(path: Path) -> dict:
    """The config file's table ({} when there is none); an IdentityError when it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentityError(f"{path}: cannot read the config file: {getattr(exc, 'strerror', None) or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise IdentityError(f"{path}: not valid TOML: {exc}") from None


def _text(path: Path, key: str, what: str, example: str) -> str:
    value = _config(path).get(key, "")
    if not isinstance(value, str):
        raise IdentityError(f"{path}: `{key}` must be {what} in quotes, e.g. {key} = \"{example}\"")
    return value


def configured_rep(path: Path | None = None) -> str:
    """The `rep` of the config file, "" when there is no file or no such key."""
    return clean_name(_text(path or config_path(), "rep", "a name", "Alice Martin"))


def configured_team(path: Path | None = None) -> str:
    """The `team` of the config file (`team = "East"`), "" when none; a team is just a name that
    reps who work together write the same way, stamped on each session like the rep."""
    try:
        return clean_name(_text(path or config_path(), "team", "a name", "East"))
    except IdentityError:
        return ""  # said by configured_rep, which every command asks first


def current_team() -> str:
    """The team: $PLAYBOOK_TEAM, else the config file's `team`, else ""."""
    if clean_name(os.environ.get(TEAM_ENV_VAR, "")):
        return clean_name(os.environ[TEAM_ENV_VAR])
    return configured_team()


def configured_team_db(path: Path | None = None) -> str:
    """The team's database (`team_db = "postgresql://..."`), "" when none; $PLAYBOOK_TEAM_DB first."""
    if os.environ.get(TEAM_DB_ENV_VAR, "").strip():
        return os.environ[TEAM_DB_ENV_VAR].strip()
    return _text(path or config_path(), "team_db", "a connection string", "postgresql://USER@HOST/DB").strip()


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
