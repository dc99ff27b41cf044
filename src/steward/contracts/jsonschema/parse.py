"""JSON Schema text → a parsed document with its draft, local ``$ref`` resolution and lines.

Supported: draft 7 (and 6) and 2020-12 (and 2019-09), told apart by ``$schema`` (2020-12 when
absent). References resolve inside the document: JSON pointers (``#/$defs/Address``,
``#/definitions/Address``, percent- and ``~``-escaped), plain-name anchors (``$anchor``, or a
draft-7 ``$id`` of the form ``#name``) and the root (``#``), also when prefixed by the root's
``$id``. Any other reference is *external*: kept as written and compared as text.

In draft 7 a ``$ref`` replaces its sibling keywords; in 2020-12 the siblings still apply, and are
laid over the referenced schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from steward.contracts.findings import Deprecation, InvalidSchema, load_json
from steward.contracts.jsonpos import child, line_of, pointer_lines

DRAFT7 = "draft7"
DRAFT2020 = "2020-12"
#: Keywords that hold one subschema, a list of them, or a name → subschema object.
SINGLE = (
    "additionalProperties",
    "items",
    "additionalItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
)
LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


@dataclass(frozen=True, slots=True)
class JsonSchema:
    """A parsed JSON Schema document: the JSON value, its draft, its path and source text."""

    document: Any
    draft: str
    path: str
    text: str
    anchors: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def at(self, pointer: str) -> Any:
        """The value at a JSON pointer; raises `KeyError` when there is none."""
        node = self.document
        for token in pointer.split("/")[1:] if pointer else []:
            token = token.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (IndexError, ValueError, TypeError) as error:
                raise KeyError(pointer) from error
        return node

    def target(self, ref: str) -> str | None:
        """The JSON pointer a ``$ref`` points to, or None for an external reference."""
        base = self.document.get("$id", "") if isinstance(self.document, dict) else ""
        if isinstance(base, str) and base and ref.startswith(base.split("#")[0] + "#"):
            ref = ref[len(base.split("#")[0]) :]
        if not ref.startswith("#"):
            return None
        fragment = unquote(ref[1:])
        if fragment == "" or fragment.startswith("/"):
            return fragment
        return self.anchors.get(fragment)

    def line(self, pointer: str) -> int:
        """The 1-based line of ``pointer`` (or of its nearest ancestor)."""
        if not self._lines:
            self._lines.update(pointer_lines(self.text))
        return line_of(self._lines, pointer)


def parse(text: str, *, path: str = "") -> JsonSchema:
    """Parse a JSON Schema text; raises `InvalidSchema` for bad JSON, a non-schema root, or a
    local ``$ref`` that points nowhere."""
    document = load_json(text, path)
    if not isinstance(document, dict | bool):
        raise InvalidSchema("a JSON Schema must be an object or a boolean", path=path, line=1)
    schema = JsonSchema(document, _draft(document), path, text)
    _check_keywords(schema)
    schema.anchors.update(_anchors(schema))
    _check_refs(schema)
    return schema


def subschemas(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """Every subschema directly inside ``node`` (an object schema), with its pointer."""
    if not isinstance(node, dict):
        return
    for key in SINGLE:
        if isinstance(node.get(key), dict | bool):
            yield child(pointer, key), node[key]
    for key in LISTS:
        if isinstance(node.get(key), list):
            base = child(pointer, key)
            yield from ((child(base, i), s) for i, s in enumerate(node[key]))
    for key in MAPS:
        if isinstance(node.get(key), dict):
            base = child(pointer, key)
            yield from ((child(base, k), s) for k, s in node[key].items())


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """``node`` and every subschema below it, depth first, with their pointers."""
    yield pointer, node
    for sub_pointer, sub in subschemas(node, pointer):
        yield from walk(sub, sub_pointer)


def deprecations(text: str, *, path: str = "") -> list[Deprecation]:
    """Every subschema marked ``"deprecated": true``, noted by its description or title."""
    schema = parse(text, path=path)
    found = []
    for pointer, node in walk(schema.document):
        if isinstance(node, dict) and node.get("deprecated") is True:
            note = node.get("description") or node.get("title") or "deprecated"
            found.append(Deprecation(pointer, schema.line(pointer), str(note)))
    return found


_NUMBERS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_COUNTS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")


def _keyword_problem(node: dict[str, Any], key: str) -> str | None:
    """Why ``node[key]`` is not a valid value for that keyword, or None when it is."""
    value = node[key]
    if (
        key in SINGLE
        and not isinstance(value, dict | bool)
        and not (key == "items" and isinstance(value, list))
    ):
        return "must be a schema"
    if key in LISTS and key != "items" and not isinstance(value, list):
        return "must be an array of schemas"
    if key in MAPS and not isinstance(value, dict):
        return "must be an object of schemas"
    if key == "type" and not (
        isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(t, str) for t in value))
    ):
        return "must be a type name or an array of them"
    if key == "required" and not (
        isinstance(value, list) and all(isinstance(n, str) for n in value)
    ):
        return "must be an array of property names"
    if key == "enum" and not isinstance(value, list):
        return "must be an array"
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if (
        key in _NUMBERS
        and not number
        and not (key.startswith("exclusive") and isinstance(value, bool))
    ):
        return "must be a number"
    if key in _COUNTS and not (number and value >= 0):
        return "must be a non-negative number"
    if key in ("pattern", "format", "$ref") and not isinstance(value, str):
        return "must be a string"
    return None


def _check_keywords(schema: JsonSchema) -> None:
    for pointer, node in walk(schema.document):
        if not isinstance(node, dict | bool):
            raise InvalidSchema(
                "a schema must be an object or a boolean",
                path=schema.path,
                line=schema.line(pointer),
            )
        if isinstance(node, bool):
            continue
        for key in node:
            problem = _keyword_problem(node, key)
            if problem:
                line = schema.line(child(pointer, key))
                raise InvalidSchema(f"{key} {problem}", path=schema.path, line=line)


def _draft(document: Any) -> str:
    uri = document.get("$schema", "") if isinstance(document, dict) else ""
    old = ("draft-07", "draft-06", "draft-04")
    return DRAFT7 if isinstance(uri, str) and any(d in uri for d in old) else DRAFT2020


def _anchors(schema: JsonSchema) -> dict[str, str]:
    anchors = {}
    for pointer, node in walk(schema.document):
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("$anchor"), str):
            anchors[node["$anchor"]] = pointer
        identifier = node.get("$id")
        if isinstance(identifier, str) and identifier.startswith("#") and len(identifier) > 1:
            anchors[identifier[1:]] = pointer
    return anchors


def _check_refs(schema: JsonSchema) -> None:
    for pointer, node in walk(schema.document):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str):
            continue
        target = schema.target(ref)
        if target is None:
            continue
        try:
            schema.at(target)
        except KeyError:
            line = schema.line(child(pointer, "$ref"))
            raise InvalidSchema(
                f"$ref {ref!r} points nowhere", path=schema.path, line=line
            ) from None
