"""Can a reader schema accept every document a writer schema allows? JSON Schema as findings.

The question is the one Confluent Schema Registry asks of JSON Schemas: under BACKWARD the new
schema is the reader and must accept whatever the old one allowed; under FORWARD the roles swap. A
change is breaking when the reader may reject a document the writer's schema allows. The rules
(see `rules.RULES` and README.md):

* types: the reader must accept every type the writer allows (``integer`` is a ``number``);
* ``enum`` / ``const``: the reader must allow every value the writer allows;
* numbers, strings, arrays, objects: bounds (``minimum`` … ``maxProperties``, ``multipleOf``,
  ``uniqueItems``) may only be relaxed; ``pattern`` and ``format`` may not be added or changed;
* properties under open (``additionalProperties`` absent or true), closed (false) and partially
  open (a schema) content models: a property the reader adds must accept what the writer's model
  lets through for that name; a property the reader drops must be accepted by the reader's model;
  ``required`` may only shrink;
* ``anyOf`` / ``oneOf``: every writer branch must fit some reader branch; ``allOf`` is flattened;
  tuples (``prefixItems``, draft-7 ``items`` arrays) are compared position by position;
* keywords the checker does not reason about (``not``, ``if``/``then``/``else``,
  ``patternProperties``, ``dependencies`` …) are reported when the reader's differ.

Constraints are only compared where they matter: numeric bounds when the writer may write numbers,
and so on. Annotations (``title``, ``description``, ``default``, ``examples`` …) never matter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from steward.contracts.findings import ContractFinding
from steward.contracts.jsonpos import child
from steward.contracts.jsonschema import rules
from steward.contracts.jsonschema.parse import DRAFT7, JsonSchema, parse

ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "$comment",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$id",
        "$schema",
        "$defs",
        "definitions",
        "$anchor",
        "$vocabulary",
        "contentEncoding",
        "contentMediaType",
    }
)
UNCHECKED = (
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "dependencies",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "$ref",
)
_KINDS = {
    "number": ("number", "integer"),
    "string": ("string",),
    "array": ("array",),
    "object": ("object",),
}


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding before placement: the rule, the message and the pointer on each side."""

    rule: str
    message: str
    reader: str
    writer: str


def check(
    writer_text: str, reader_text: str, *, path: str = "", locate: str = "reader"
) -> list[ContractFinding]:
    """Findings for validating documents allowed by ``writer_text`` with ``reader_text``.

    Both texts are versions of the schema file ``path``; ``locate`` (``"reader"`` or ``"writer"``)
    says which one the findings' locations and lines point into. Raises `InvalidSchema` for text
    that is not a JSON Schema.
    """
    return check_schemas(
        parse(writer_text, path=path), parse(reader_text, path=path), locate=locate
    )


def check_schemas(
    writer: JsonSchema, reader: JsonSchema, *, locate: str = "reader"
) -> list[ContractFinding]:
    """`check` for schemas already parsed."""
    if locate not in ("reader", "writer"):
        raise ValueError(f"locate must be 'reader' or 'writer', not {locate!r}")
    return [_place(issue, writer, reader, locate) for issue in issues(writer, reader)]


def issues(writer: JsonSchema, reader: JsonSchema) -> list[Issue]:
    """Every issue of the pair, in document order, before placement into lines."""
    checker = _Checker(writer, reader, set())
    checker.compare(reader.document, "", writer.document, "", "")
    return checker.found


_BREAKING = {rule.id: "INFO" not in rule.categories for rule in rules.RULES.values()}


def _place(issue: Issue, writer: JsonSchema, reader: JsonSchema, locate: str) -> ContractFinding:
    schema, pointer = (reader, issue.reader) if locate == "reader" else (writer, issue.writer)
    rule = rules.RULES[issue.rule]
    return ContractFinding(
        rule=rule.id,
        path=schema.path,
        line=schema.line(pointer),
        location=pointer,
        message=issue.message,
        breaking=_BREAKING[rule.id],
        categories=rule.categories,
    )


def trivial(node: Any) -> bool:
    """True for a schema that accepts every document (``true``, ``{}``, annotations only)."""
    return node is True or (isinstance(node, dict) and all(k in ANNOTATIONS for k in node))


def _key(value: Any) -> str:
    """A canonical form for JSON equality as JSON Schema means it (1 == 1.0, true != 1)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}[type(value)]


def _allowed_values(node: dict[str, Any]) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    enum = node.get("enum")
    return enum if isinstance(enum, list) else None


def _types(node: dict[str, Any]) -> frozenset[str] | None:
    declared = node.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(t for t in declared if isinstance(t, str))
    values = _allowed_values(node)
    return frozenset(_json_type(v) for v in values) if values is not None else None


def _accepts(types: frozenset[str], kind: str) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def _overlay(base: Any, extra: dict[str, Any]) -> Any:
    """``extra``'s keywords laid over ``base`` (properties merged, required joined)."""
    if base is False or base is True:
        return False if base is False else dict(extra)
    merged = dict(base)
    for key, value in extra.items():
        if key == "properties" and isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
        elif key == "required" and isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = list(dict.fromkeys(merged[key] + value))
        else:
            merged[key] = value
    return merged


def _expand(schema: JsonSchema, node: Any, pointer: str, depth: int = 0) -> tuple[Any, str]:
    """Follow local ``$ref`` and flatten ``allOf``: the schema that applies at ``pointer``.

    ``allOf`` branches that lead back to themselves are flattened 16 levels deep, then left out.
    """
    for _ in range(64):
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            break
        target = schema.target(node["$ref"])
        if target is None:
            break
        siblings = {k: v for k, v in node.items() if k != "$ref" and k not in ANNOTATIONS}
        resolved = schema.at(target)
        if schema.draft == DRAFT7 or not siblings:
            node, pointer = resolved, target
        else:
            node = _overlay(resolved, siblings)
    if isinstance(node, dict) and isinstance(node.get("allOf"), list) and depth < 16:
        merged: Any = {k: v for k, v in node.items() if k != "allOf"}
        for index, branch in enumerate(node["allOf"]):
            sub, _ = _expand(schema, branch, child(child(pointer, "allOf"), index), depth + 1)
            merged = _overlay(sub, merged) if isinstance(sub, dict) else (sub and merged)
        node = merged
    return node, pointer


def _where(label: str) -> str:
    return f"at {label}" if label else "at the root"


def _lower(node: dict[str, Any], inclusive: str, exclusive: str) -> tuple[float, bool] | None:
    bounds = []
    if _number(node.get(inclusive)):
        bounds.append((node[inclusive], False))
    if _number(node.get(exclusive)):
        bounds.append((node[exclusive], True))
    return max(bounds) if bounds else None


def _upper(node: dict[str, Any], inclusive: str, exclusive: str) -> tuple[float, bool] | None:
    bounds = []
    if _number(node.get(inclusive)):
        bounds.append((-node[inclusive], False))
    if _number(node.get(exclusive)):
        bounds.append((-node[exclusive], True))
    if not bounds:
        return None
    value, strict = max(bounds)
    return -value, strict


def _matches(pattern: str, name: str) -> bool:
    """``re.search``, where a pattern Python cannot compile matches nothing."""
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def _properties(node: dict[str, Any]) -> dict[str, Any]:
    found = node.get("properties")
    return found if isinstance(found, dict) else {}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _within(writer: tuple[float, bool] | None, reader: tuple[float, bool], lower: bool) -> bool:
    """True when the writer's bound is at least as tight as the reader's."""
    if writer is None:
        return False
    (wv, wstrict), (rv, rstrict) = writer, reader
    beyond = wv > rv if lower else wv < rv
    return beyond or (wv == rv and (wstrict or not rstrict))


def _divides(reader: Any, writer: Any) -> bool:
    if not _number(writer) or not _number(reader) or reader == 0:
        return False
    return (Fraction(str(writer)) / Fraction(str(reader))).denominator == 1


class _Checker:
    def __init__(
        self, writer: JsonSchema, reader: JsonSchema, visited: set[tuple[str, str]]
    ) -> None:
        self.writer = writer
        self.reader = reader
        self.visited = visited
        self.found: list[Issue] = []

    def report(self, rule: str, message: str, rp: str, wp: str) -> None:
        self.found.append(Issue(rule, message, rp, wp))

    def trial(self, r: Any, rp: str, w: Any, wp: str, label: str) -> _Checker:
        """Compare on the side, with the findings kept apart until the caller adopts them."""
        trial = _Checker(self.writer, self.reader, set(self.visited))
        trial.compare(r, rp, w, wp, label)
        return trial

    def adopt(self, trial: _Checker) -> None:
        self.found.extend(trial.found)
        self.visited.update(trial.visited)

    def compare(self, r: Any, rp: str, w: Any, wp: str, label: str) -> None:
        r, rp = _expand(self.reader, r, rp)
        w, wp = _expand(self.writer, w, wp)
        if w is False or trivial(r):
            return
        if r is False:
            self.report(rules.TYPE_NARROWED, f"{_where(label)}: the reader accepts nothing", rp, wp)
            return
        if (rp, wp) in self.visited:
            return
        self.visited.add((rp, wp))
        w = {} if w is True else w
        if not self._combinations(r, rp, w, wp, label):
            self._base(r, rp, w, wp, label)

    def _combinations(
        self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str
    ) -> bool:
        for key in ("anyOf", "oneOf"):
            if isinstance(w.get(key), list):
                base = {k: v for k, v in w.items() if k != key}
                for index, branch in enumerate(w[key]):
                    bp = child(child(wp, key), index)
                    sub, bp = _expand(self.writer, branch, bp)
                    merged = _overlay(base, sub) if isinstance(sub, dict) else (sub and base)
                    self.compare(r, rp, merged, bp, label)
                return True
        for key in ("anyOf", "oneOf"):
            if isinstance(r.get(key), list):
                self._reader_branches(r, rp, w, wp, label, key)
                return True
        return False

    def _reader_branches(
        self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str, key: str
    ) -> None:
        """Adopt the first reader branch that fits with no finding, else with no breaking one."""
        base = {k: v for k, v in r.items() if k != key}
        fallback: _Checker | None = None
        for index, branch in enumerate(r[key]):
            bp = child(child(rp, key), index)
            sub, bp = _expand(self.reader, branch, bp)
            merged = _overlay(base, sub) if isinstance(sub, dict) else (sub and base)
            trial = self.trial(merged, bp, w, wp, label)
            if not trial.found:
                self.adopt(trial)
                return
            if fallback is None and not any(_BREAKING[i.rule] for i in trial.found):
                fallback = trial
        if fallback is not None:
            self.adopt(fallback)
            return
        message = (
            f"{_where(label)}: a value the writer allows matches no branch of the reader's {key}"
        )
        self.report(rules.COMBINATION_NARROWED, message, child(rp, key), wp)

    def _base(self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str) -> None:
        writes = _types(w)
        self._types(r, rp, w, wp, label, writes)
        self._values(r, rp, w, wp, label)

        def may(kind: str) -> bool:
            return writes is None or any(t in writes for t in _KINDS[kind])

        if may("number"):
            self._numbers(r, rp, w, wp, label)
        if may("string"):
            self._strings(r, rp, w, wp, label)
        if may("array"):
            self._arrays(r, rp, w, wp, label)
        if may("object"):
            self._objects(r, rp, w, wp, label)
        self._unchecked(r, rp, w, wp, label)

    def _types(
        self,
        r: dict[str, Any],
        rp: str,
        w: dict[str, Any],
        wp: str,
        label: str,
        writes: frozenset[str] | None,
    ) -> None:
        reads = _types(r) if "type" in r else None
        where = _where(label)
        if reads is None:
            if writes is not None and "type" in w:
                self.report(
                    rules.TYPE_WIDENED,
                    f"{where}: the reader accepts any type, the writer only {', '.join(sorted(writes))}",
                    rp,
                    child(wp, "type"),
                )
            return
        rtype = child(rp, "type")
        if writes is None:
            self.report(
                rules.TYPE_NARROWED,
                f"{where}: the writer allows any type, the reader only {', '.join(sorted(reads))}",
                rtype,
                wp,
            )
            return
        missing = sorted(t for t in writes if not _accepts(reads, t))
        if missing:
            self.report(
                rules.TYPE_NARROWED,
                f"{where}: the reader no longer accepts {', '.join(missing)}",
                rtype,
                child(wp, "type"),
            )
        extra = sorted(t for t in reads if not _accepts(writes, t))
        if extra and not missing and "type" in w:
            self.report(
                rules.TYPE_WIDENED,
                f"{where}: the reader also accepts {', '.join(extra)}",
                rtype,
                child(wp, "type"),
            )

    def _values(self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str) -> None:
        allowed = _allowed_values(w)
        where = _where(label)
        if "const" in r:
            if allowed is None or any(_key(v) != _key(r["const"]) for v in allowed):
                self.report(
                    rules.CONST_CHANGED,
                    f"{where}: the reader only accepts {_key(r['const'])}",
                    child(rp, "const"),
                    wp,
                )
            return
        if not isinstance(r.get("enum"), list):
            return
        rkeys = {_key(v) for v in r["enum"]}
        rpointer = child(rp, "enum")
        if allowed is None:
            self.report(
                rules.ENUM_VALUE_REMOVED,
                f"{where}: the reader restricts values to an enum; the writer allows any",
                rpointer,
                wp,
            )
            return
        missing = [_key(v) for v in allowed if _key(v) not in rkeys]
        if missing:
            self.report(
                rules.ENUM_VALUE_REMOVED,
                f"{where}: the reader's enum lacks {', '.join(missing)}",
                rpointer,
                wp,
            )
        added = sorted(rkeys - {_key(v) for v in allowed})
        if added:
            self.report(
                rules.ENUM_VALUE_ADDED,
                f"{where}: the reader's enum adds {', '.join(added)}",
                rpointer,
                wp,
            )

    def _numbers(self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str) -> None:
        where = _where(label)
        low = _lower(r, "minimum", "exclusiveMinimum")
        if low is not None and not _within(
            _lower(w, "minimum", "exclusiveMinimum"), low, lower=True
        ):
            self.report(
                rules.NUMBER_RANGE_NARROWED,
                f"{where}: the reader's lower bound {low[0]} rejects numbers the writer allows",
                rp,
                wp,
            )
        high = _upper(r, "maximum", "exclusiveMaximum")
        if high is not None and not _within(
            _upper(w, "maximum", "exclusiveMaximum"), high, lower=False
        ):
            self.report(
                rules.NUMBER_RANGE_NARROWED,
                f"{where}: the reader's upper bound {high[0]} rejects numbers the writer allows",
                rp,
                wp,
            )
        if "multipleOf" in r and not _divides(r["multipleOf"], w.get("multipleOf")):
            self.report(
                rules.NUMBER_RANGE_NARROWED,
                f"{where}: the reader requires multiples of {r['multipleOf']}",
                child(rp, "multipleOf"),
                wp,
            )

    def _range(
        self,
        rule: str,
        keys: tuple[str, str],
        r: dict[str, Any],
        rp: str,
        w: dict[str, Any],
        wp: str,
        label: str,
    ) -> None:
        low_key, high_key = keys
        if _number(r.get(low_key)) and r[low_key] > (
            w.get(low_key) if _number(w.get(low_key)) else 0
        ):
            self.report(
                rule,
                f"{_where(label)}: {low_key} {r[low_key]} is tighter than the writer's",
                child(rp, low_key),
                wp,
            )
        if _number(r.get(high_key)) and (not _number(w.get(high_key)) or r[high_key] < w[high_key]):
            self.report(
                rule,
                f"{_where(label)}: {high_key} {r[high_key]} is tighter than the writer's",
                child(rp, high_key),
                wp,
            )

    def _strings(self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str) -> None:
        self._range(rules.LENGTH_RANGE_NARROWED, ("minLength", "maxLength"), r, rp, w, wp, label)
        for key, rule in (("pattern", rules.PATTERN_CHANGED), ("format", rules.FORMAT_CHANGED)):
            if key in r and r[key] != w.get(key):
                self.report(
                    rule,
                    f"{_where(label)}: the reader's {key} {r[key]!r} differs from the writer's {w.get(key)!r}",
                    child(rp, key),
                    wp,
                )

    def _arrays(self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str) -> None:
        self._range(rules.ITEMS_RANGE_NARROWED, ("minItems", "maxItems"), r, rp, w, wp, label)
        if r.get("uniqueItems") is True and w.get("uniqueItems") is not True:
            self.report(
                rules.ITEMS_RANGE_NARROWED,
                f"{_where(label)}: the reader requires unique items",
                child(rp, "uniqueItems"),
                wp,
            )
        rprefix, rrest = self._tuple(self.reader, r, rp)
        wprefix, wrest = self._tuple(self.writer, w, wp)
        for index in range(max(len(rprefix), len(wprefix))):
            rnode, rpointer = rprefix[index] if index < len(rprefix) else rrest
            wnode, wpointer = wprefix[index] if index < len(wprefix) else wrest
            self.compare(rnode, rpointer, wnode, wpointer, f"{label}[{index}]")
        self.compare(rrest[0], rrest[1], wrest[0], wrest[1], f"{label}[]")

    def _tuple(
        self, schema: JsonSchema, node: dict[str, Any], pointer: str
    ) -> tuple[list[tuple[Any, str]], tuple[Any, str]]:
        """(positional item schemas, the schema of every later item), each with its pointer."""
        if isinstance(node.get("prefixItems"), list):
            prefix, rest_key = node["prefixItems"], "items"
            base = child(pointer, "prefixItems")
        elif isinstance(node.get("items"), list):
            prefix, rest_key = node["items"], "additionalItems"
            base = child(pointer, "items")
        else:
            prefix, rest_key, base = [], "items", pointer
        positions = [(item, child(base, i)) for i, item in enumerate(prefix)]
        rest = node.get(rest_key, True)
        return positions, (rest, child(pointer, rest_key) if rest_key in node else pointer)

    def _objects(self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str) -> None:
        self._range(
            rules.PROPERTIES_RANGE_NARROWED, ("minProperties", "maxProperties"), r, rp, w, wp, label
        )
        rprops, wprops = _properties(r), _properties(w)
        for name, wnode in wprops.items():
            sub = f"{label}.{name}" if label else name
            wpointer = child(child(wp, "properties"), name)
            if name in rprops:
                self.compare(
                    rprops[name], child(child(rp, "properties"), name), wnode, wpointer, sub
                )
            else:
                self._removed(r, rp, name, wnode, wpointer, sub)
        for name, rnode in rprops.items():
            if name not in wprops:
                self._added(
                    rnode,
                    child(child(rp, "properties"), name),
                    w,
                    wp,
                    name,
                    f"{label}.{name}" if label else name,
                )
        self._additional(r, rp, w, wp, label)
        self._required(r, rp, w, wp, label)

    def _model(self, node: dict[str, Any], pointer: str, name: str) -> tuple[Any, str]:
        """The schema a node's content model applies to an undeclared property ``name``."""
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, schema in patterns.items():
                if _matches(pattern, name):
                    return schema, child(child(pointer, "patternProperties"), pattern)
        if "additionalProperties" in node:
            return node["additionalProperties"], child(pointer, "additionalProperties")
        return True, pointer

    def _removed(
        self, r: dict[str, Any], rp: str, name: str, wnode: Any, wpointer: str, label: str
    ) -> None:
        model, mpointer = self._model(r, rp, name)
        if model is False:
            message = f"property {label}: the reader's closed content model rejects it"
            self.report(rules.PROPERTY_REMOVED_FROM_CLOSED_MODEL, message, mpointer, wpointer)
        elif trivial(model):
            message = f"property {label}: the reader no longer declares it; its open content model accepts it"
            self.report(rules.PROPERTY_REMOVED, message, child(rp, "properties"), wpointer)
        else:
            self.compare(model, mpointer, wnode, wpointer, label)

    def _added(
        self, rnode: Any, rpointer: str, w: dict[str, Any], wp: str, name: str, label: str
    ) -> None:
        model, mpointer = self._model(w, wp, name)
        if model is False or trivial(rnode):
            message = f"property {label}: the reader declares it; the writer never writes it with a value the reader rejects"
            self.report(rules.PROPERTY_ADDED, message, rpointer, mpointer)
        elif trivial(model):
            message = f"property {label}: the writer's open content model may write it with any value; the reader constrains it"
            self.report(rules.PROPERTY_ADDED_TO_OPEN_MODEL, message, rpointer, mpointer)
        else:
            self.compare(rnode, rpointer, model, mpointer, label)

    def _additional(
        self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str
    ) -> None:
        radd, wadd = r.get("additionalProperties", True), w.get("additionalProperties", True)
        rpointer, wpointer = child(rp, "additionalProperties"), child(wp, "additionalProperties")
        where = _where(label)
        if wadd is False:
            if radd is not False:
                self.report(
                    rules.ADDITIONAL_PROPERTIES_WIDENED,
                    f"{where}: the reader accepts undeclared properties the writer never writes",
                    rpointer,
                    wpointer,
                )
        elif radd is False or (trivial(wadd) and not trivial(radd)):
            self.report(
                rules.ADDITIONAL_PROPERTIES_NARROWED,
                f"{where}: the reader restricts undeclared properties the writer allows",
                rpointer,
                wp,
            )
        elif trivial(radd):
            if not trivial(wadd):
                self.report(
                    rules.ADDITIONAL_PROPERTIES_WIDENED,
                    f"{where}: the reader accepts any undeclared property",
                    rp,
                    wpointer,
                )
        else:
            self.compare(radd, rpointer, wadd, wpointer, f"{label}.*" if label else "*")

    def _required(self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str) -> None:
        rreq = [n for n in r.get("required", []) if isinstance(n, str)]
        wreq = {n for n in w.get("required", []) if isinstance(n, str)}
        props = _properties(r)
        for index, name in enumerate(rreq):
            if name not in wreq:
                where = (
                    child(child(rp, "properties"), name)
                    if name in props
                    else child(child(rp, "required"), index)
                )
                sub = f"{label}.{name}" if label else name
                self.report(
                    rules.REQUIRED_ADDED,
                    f"property {sub}: the reader requires it; the writer does not",
                    where,
                    wp,
                )
        for name in sorted(wreq - set(rreq)):
            sub = f"{label}.{name}" if label else name
            self.report(
                rules.REQUIRED_REMOVED,
                f"property {sub}: the reader no longer requires it",
                rp,
                child(wp, "required"),
            )

    def _unchecked(
        self, r: dict[str, Any], rp: str, w: dict[str, Any], wp: str, label: str
    ) -> None:
        for key in UNCHECKED:
            if key in r and _key(r[key]) != _key(w.get(key)):
                message = f"{_where(label)}: the reader's {key} changed; compatibility is not checked for it"
                self.report(rules.UNCHECKED_KEYWORD_CHANGED, message, child(rp, key), wp)
