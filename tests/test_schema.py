"""The JSON Schema is the definition of the format: valid, strict, and self-documenting."""

from __future__ import annotations

from typing import Any, Iterator

from jsonschema import Draft202012Validator

from playbook.format.schema_check import schema


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _objects(node: Any, path: str = "#") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}/{i}")


def test_every_object_is_closed_against_typos() -> None:
    open_objects = [path for path, node in _objects(schema()) if node.get("additionalProperties") is not False]
    assert open_objects == []


def test_every_property_has_a_description_for_editors() -> None:
    missing = [
        f"{path}/properties/{name}"
        for path, node in _objects(schema())
        for name, prop in node["properties"].items()
        if isinstance(prop, dict) and "description" not in prop
    ]
    assert missing == []
