"""Pass 1 of validation: the JSON Schema, with its errors rewritten for a human at `path:line:col`."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Iterator

from ..problems import Problem, key_path, suggest
from .yamlsource import SourceDocument

if TYPE_CHECKING:  # jsonschema is imported when a file is first checked, not when this module is
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = "playbook.schema.json"
ID_PATTERN = "^[a-z][a-z0-9_]*$"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(files("playbook.schema").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def schema_path() -> str:
    """The schema's location on disk, for editors (`# yaml-language-server: $schema=...`)."""
    return str(files("playbook.schema").joinpath(SCHEMA_FILE))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


JSON_TYPES = {"object": "a mapping", "array": "a list", "string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false", "null": "empty"}


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "empty"
    return "text"


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """Errors under anyOf/oneOf carry their own context; report the most relevant one."""
    if error.context:
        from jsonschema.exceptions import best_match

        yield best_match(error.context)
    else:
        yield error


def check_schema(doc: SourceDocument) -> list[Problem]:
    problems: dict[tuple[int, int, str], Problem] = {}
    for top in _validator().iter_errors(doc.data):
        for error in _leaves(top):
            for path, use_key, code, message in _describe(error, doc.data):
                line, col = doc.position(path, key=use_key)
                where = key_path(path)
                text = f"{where}: {message}" if where else message
                problems.setdefault((line, col, text), Problem(doc.display, line, col, code, text))
    return list(problems.values())


def _lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _describe(error: ValidationError, data: Any) -> list[tuple[tuple[str | int, ...], bool, str, str]]:
    """(key path, point at the key?, code, message) for one schema error."""
    path = tuple(error.absolute_path)
    kind = error.validator
    value = error.validator_value
    instance = error.instance
    if "propertyNames" in error.schema_path and isinstance(instance, str):
        # jsonschema reports a bad key at its parent; point at the key itself.
        allowed = value if kind == "enum" else None
        hint = f"; use {', '.join(map(str, allowed))}" if allowed else ": use lower case letters, digits and underscores"
        return [(path + (instance,), True, "schema-key", f"'{instance}' is not allowed as a key here{hint}")]
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = error.schema.get("properties", {})
        extras = [k for k in instance if k not in allowed]
        return [
            (path + (k,), True, "schema-unknown-key", f"unknown key '{k}'{suggest(k, allowed)} (allowed: {', '.join(allowed)})")
            for k in extras
        ]
    if kind == "required":
        missing = [k for k in value if k not in instance]
        return [(path, False, "schema-missing-key", f"missing required key '{k}'") for k in missing]
    if error.schema is False:
        # jsonschema can leave the property's name off the path here; find it by identity.
        here = _lookup(data, path)
        if here is not instance and isinstance(here, dict):
            key = next((k for k, v in here.items() if v is instance), None)
            if key is not None:
                path = path + (key,)
        key = path[-1] if path else "this"
        parent = _lookup(data, path[:-1])
        context = f" (type: {parent['type']})" if isinstance(parent, dict) and "type" in parent else ""
        return [(path, True, "schema-not-allowed", f"'{key}' does not apply here{context}")]
    if kind == "enum":
        options = [str(v) for v in value]
        hint = suggest(str(instance), options) if isinstance(instance, str) else ""
        return [(path, False, "schema-enum", f"{instance!r} is not allowed{hint}; use one of {', '.join(options)}")]
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        names = " or ".join(JSON_TYPES.get(w, w) for w in wanted)
        return [(path, False, "schema-type", f"expected {names}, got {_kind(instance)}")]
    if kind == "pattern":
        if value == ID_PATTERN:
            return [(path, False, "schema-id", f"{instance!r} is not a valid id: use lower case letters, digits and underscores, starting with a letter")]
        return [(path, False, "schema-pattern", f"{instance!r} does not have the expected form ({value})")]
    if kind == "minItems":
        return [(path, False, "schema-too-few", f"needs at least {value} item{'s' if value != 1 else ''}, has {len(instance)}")]
    if kind == "minLength":
        return [(path, False, "schema-empty", "must not be empty")]
    if kind == "minProperties":
        if value <= 1:
            return [(path, False, "schema-empty", "must not be empty")]
        return [(path, False, "schema-too-few", f"needs at least {value} entries, has {len(instance)}")]
    if kind == "maxProperties" and isinstance(instance, dict):
        return [(path, False, "schema-condition", f"a condition holds exactly one of all, any, not, or a leaf fact/op/value; found {', '.join(instance)}")]
    if kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        return [(path, False, "schema-range", f"must be {word} {value}, got {instance}")]
    return [(path, False, f"schema-{kind or 'invalid'}", error.message)]
