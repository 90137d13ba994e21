"""Where a store lives: a SQLite file path or a PostgreSQL connection string, and how either is
shown to a person.

A connection string can carry a password (`postgresql://rep:secret@host/db`, or `password=` in
its query). `shown` is the one function every message, log line and status uses to print one:
the password becomes `***`, whatever else the string holds. `scrub` removes the password from any
text a driver produced about the connection (its error messages may quote the string).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql://", "postgres://")
HIDDEN = "***"
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def is_server(location: str | os.PathLike | None) -> bool:
    """Whether the location names a PostgreSQL server rather than a SQLite file."""
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


def default_location() -> str | Path:
    """$PLAYBOOK_DB (a path or a postgresql:// string), else the SQLite file in the user's data folder."""
    value = os.environ.get("PLAYBOOK_DB")
    if value:
        return value if is_server(value) else Path(value)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "playbook" / "sessions.db"


def resolve(location: str | os.PathLike | None) -> str | Path:
    """A location given on the command line (or None) as a server string or a Path."""
    if location is None or location == "":
        return default_location()
    return location if is_server(location) else Path(location)


def exists(location: str | Path) -> bool:
    """Whether there may be sessions there (a server always may; a file must exist)."""
    return is_server(location) or Path(location).exists()


def _password(location: str) -> str | None:
    try:
        parts = urlsplit(location.strip())
        if parts.password:
            return parts.password
        for key, value in parse_qsl(parts.query):
            if key.lower() == "password" and value:
                return value
    except ValueError:
        return None
    return None


def shown(location: str | os.PathLike | None) -> str:
    """The location as it may be printed: a server string without its password."""
    if location is None:
        location = default_location()
    if not is_server(location):
        return str(location)
    text = str(location).strip()
    try:
        parts = urlsplit(text)
        netloc = parts.netloc
        if "@" in netloc:
            user, _, host = netloc.rpartition("@")
            if ":" in user:
                user = user.split(":", 1)[0] + ":" + HIDDEN
            netloc = f"{user}@{host}"
        query = parts.query
        if query:
            pairs = [(k, HIDDEN if k.lower() == "password" else v) for k, v in parse_qsl(query, keep_blank_values=True)]
            query = urlencode(pairs, safe="/*")
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        # Not even a well-formed URL: show only its scheme, never guess where a password might be.
        return text.split("://", 1)[0] + "://" + HIDDEN


def scrub(text: str, location: str | os.PathLike | None) -> str:
    """`text` with the location's password (and any `password=...`) replaced by ***."""
    if is_server(location):
        secret = _password(str(location))
        if secret:
            text = text.replace(secret, HIDDEN).replace(quote(secret, safe=""), HIDDEN)
        text = text.replace(str(location), shown(location))
    return _KEYWORD_PASSWORD.sub(lambda m: m.group(1) + HIDDEN, text)
