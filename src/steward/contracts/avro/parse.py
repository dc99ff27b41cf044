"""Avro schema text (``.avsc``) → an immutable schema tree with resolved names.

What is read, after the Avro specification:

* every primitive and complex type, in string, object and array (union) form;
* named types (record, error, enum, fixed) with namespaces: a dotted name is a full name, otherwise
  the ``namespace`` attribute applies, otherwise the enclosing named type's namespace; unqualified
  references and aliases are qualified the same way, then looked up as written in the null
  namespace;
* references to named types defined earlier in the file, or in other files (`parse_set`);
* aliases of named types and of fields, field defaults (kept as JSON, checked by the compatibility
  rules), enum defaults;
* logical types: ``decimal`` (bytes, fixed), ``uuid`` (string, fixed 16), ``date``, ``time-millis``
  (int), ``time-micros`` and the ``timestamp-*`` / ``local-timestamp-*`` family (long),
  ``duration`` (fixed 12). As the specification requires, an invalid logical type (a decimal
  whose scale exceeds its precision, ``date`` on a long) is ignored and the underlying type used;
* deprecation markers: ``"deprecated": true`` (or a string note) on a named type or a field, and a
  ``doc`` that starts with "Deprecated".

Named types are stored once, in `AvroSchema.names`; the tree refers to them with `Ref` nodes, so
recursive types stay finite and every node is a frozen dataclass. Each node carries the JSON
pointer where it is written, and named types the file that defines them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from steward.contracts.findings import Deprecation, InvalidSchema, load_json
from steward.contracts.jsonpos import child, line_of, pointer_lines

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LOGICAL_BASES: dict[str, frozenset[str]] = {
    "date": frozenset({"int"}),
    "time-millis": frozenset({"int"}),
    "time-micros": frozenset({"long"}),
    "timestamp-millis": frozenset({"long"}),
    "timestamp-micros": frozenset({"long"}),
    "timestamp-nanos": frozenset({"long"}),
    "local-timestamp-millis": frozenset({"long"}),
    "local-timestamp-micros": frozenset({"long"}),
    "local-timestamp-nanos": frozenset({"long"}),
    "uuid": frozenset({"string", "fixed"}),
    "decimal": frozenset({"bytes", "fixed"}),
    "duration": frozenset({"fixed"}),
}


class _NoDefault:
    """The type of `NO_DEFAULT`: a field declares no default (``null`` is a real default)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


@dataclass(frozen=True, slots=True)
class Logical:
    """A logical type annotation; ``precision`` and ``scale`` are only set for ``decimal``."""

    name: str
    precision: int = 0
    scale: int = 0

    def __str__(self) -> str:
        return f"decimal({self.precision},{self.scale})" if self.name == "decimal" else self.name


@dataclass(frozen=True, slots=True)
class Primitive:
    """``null``, ``boolean``, ``int``, ``long``, ``float``, ``double``, ``bytes`` or ``string``."""

    kind: str
    pointer: str
    logical: Logical | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """A use of a named type by its full name; look it up in `AvroSchema.names`."""

    fullname: str
    pointer: str
    kind: str = "ref"


@dataclass(frozen=True, slots=True)
class ArrayType:
    """``{"type": "array", "items": ...}``."""

    items: AvroType
    pointer: str
    kind: str = "array"


@dataclass(frozen=True, slots=True)
class MapType:
    """``{"type": "map", "values": ...}``."""

    values: AvroType
    pointer: str
    kind: str = "map"


@dataclass(frozen=True, slots=True)
class UnionType:
    """A JSON array of branches; never directly contains another union."""

    branches: tuple[AvroType, ...]
    pointer: str
    kind: str = "union"


@dataclass(frozen=True, slots=True)
class Field:
    """One record field; ``default`` is the JSON value, or `NO_DEFAULT`."""

    name: str
    type: AvroType
    pointer: str
    default: Any = NO_DEFAULT
    aliases: tuple[str, ...] = ()

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT


@dataclass(frozen=True, slots=True)
class Record:
    """A record (or ``error``) with its full name, qualified aliases and fields."""

    fullname: str
    fields: tuple[Field, ...]
    pointer: str
    file: str
    aliases: frozenset[str] = frozenset()
    kind: str = "record"

    @property
    def name(self) -> str:
        return self.fullname.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class Enum:
    """An enum with its symbols in order and the reader-side ``default`` symbol, if any."""

    fullname: str
    symbols: tuple[str, ...]
    pointer: str
    file: str
    aliases: frozenset[str] = frozenset()
    default: str | None = None
    kind: str = "enum"

    @property
    def name(self) -> str:
        return self.fullname.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class Fixed:
    """A fixed-size byte string, possibly a ``decimal``, ``uuid`` or ``duration``."""

    fullname: str
    size: int
    pointer: str
    file: str
    aliases: frozenset[str] = frozenset()
    logical: Logical | None = None
    kind: str = "fixed"

    @property
    def name(self) -> str:
        return self.fullname.rsplit(".", 1)[-1]


Named = Record | Enum | Fixed
AvroType = Primitive | Ref | ArrayType | MapType | UnionType | Record | Enum | Fixed


@dataclass(frozen=True, slots=True)
class Marker:
    """A deprecation marker found while parsing: the file, the JSON pointer and the note."""

    file: str
    pointer: str
    note: str


@dataclass(frozen=True, slots=True)
class AvroSchema:
    """A parsed schema: its root type, every named type it can see, and its source texts."""

    root: AvroType
    names: Mapping[str, Named]
    path: str
    texts: Mapping[str, str]
    markers: tuple[Marker, ...] = ()
    _lines: dict[str, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)

    def resolve(self, node: AvroType) -> AvroType:
        """``node`` itself, or the named type a `Ref` stands for."""
        return self.names[node.fullname] if isinstance(node, Ref) else node

    def line(self, file: str, pointer: str) -> int:
        """The 1-based line of ``pointer`` in ``file`` (its nearest known ancestor; 0 if none)."""
        if file not in self._lines:
            text = self.texts.get(file)
            self._lines[file] = pointer_lines(text) if text is not None else {}
        return line_of(self._lines[file], pointer)


def parse(
    text: str, *, path: str = "", references: Iterable[AvroSchema] = (), namespace: str = ""
) -> AvroSchema:
    """Parse one ``.avsc`` text; ``references`` are parsed schemas whose named types it may use.

    Raises `InvalidSchema` for text that is not JSON or not a valid Avro schema.
    """
    known: dict[str, Named] = {}
    texts: dict[str, str] = {}
    for ref in references:
        known.update(ref.names)
        texts.update(ref.texts)
    return _parse_one(text, path, known, texts, namespace)


def parse_set(files: Mapping[str, str]) -> dict[str, AvroSchema]:
    """Parse several ``.avsc`` files that may use each other's named types, in any order.

    Returns each file's schema by path. Raises `InvalidSchema` for an invalid file or for names
    that no file defines (or that refer to each other in a cycle across files).
    """
    pending = dict(files)
    done: dict[str, AvroSchema] = {}
    while pending:
        errors: dict[str, InvalidSchema] = {}
        for file, text in sorted(pending.items()):
            try:
                done[file] = parse(text, path=file, references=done.values())
            except _UnknownName as error:
                errors[file] = error
        if len(errors) == len(pending):
            raise next(iter(errors.values()))
        pending = {file: files[file] for file in errors}
    return {file: done[file] for file in files}


def deprecations(text: str, *, path: str = "") -> list[Deprecation]:
    """Every deprecated named type and field in ``text``, with its pointer, line and note.

    Named types used from other files are not visited; call this on each file.
    """
    schema = _parse_one(text, path, {}, {}, "", lenient=True)
    return [
        Deprecation(m.pointer, schema.line(m.file, m.pointer), m.note)
        for m in schema.markers
        if m.file == path
    ]


class _UnknownName(InvalidSchema):
    """A reference to a named type that is not (yet) defined."""


def _parse_one(
    text: str,
    path: str,
    known: dict[str, Named],
    texts: dict[str, str],
    namespace: str,
    *,
    lenient: bool = False,
) -> AvroSchema:
    document = load_json(text, path)
    parser = _Parser(path, text, known, lenient)
    root = parser.type(document, "", namespace)
    return AvroSchema(
        root=root,
        names={**known, **parser.defined},
        path=path,
        texts={**texts, path: text},
        markers=tuple(parser.markers),
    )


class _Parser:
    def __init__(self, path: str, text: str, known: Mapping[str, Named], lenient: bool) -> None:
        self.path = path
        self.text = text
        self.known = known
        self.lenient = lenient
        self.defined: dict[str, Named] = {}
        self.declared: set[str] = set()
        self.markers: list[Marker] = []
        self._lines: dict[str, int] | None = None

    def fail(self, message: str, pointer: str, error: type[InvalidSchema] = InvalidSchema) -> Any:
        if self._lines is None:
            self._lines = pointer_lines(self.text)
        raise error(message, path=self.path, line=line_of(self._lines, pointer))

    def type(self, node: Any, pointer: str, namespace: str) -> AvroType:
        if isinstance(node, str):
            return self.named_or_primitive(node, pointer, namespace)
        if isinstance(node, list):
            return self.union(node, pointer, namespace)
        if isinstance(node, dict):
            return self.object(node, pointer, namespace)
        return self.fail(f"a schema must be a string, an object or an array, not {node!r}", pointer)  # type: ignore[no-any-return]

    def named_or_primitive(self, name: str, pointer: str, namespace: str) -> AvroType:
        if name in PRIMITIVES:
            return Primitive(name, pointer)
        for candidate in _candidates(name, namespace):
            if candidate in self.defined or candidate in self.known or candidate in self.declared:
                return Ref(candidate, pointer)
        if self.lenient:
            return Ref(_qualify(name, namespace), pointer)
        tried = " or ".join(_candidates(name, namespace))
        return self.fail(f"unknown type {name!r} (no {tried} is defined)", pointer, _UnknownName)  # type: ignore[no-any-return]

    def union(self, node: list[Any], pointer: str, namespace: str) -> UnionType:
        branches = tuple(self.type(b, child(pointer, i), namespace) for i, b in enumerate(node))
        seen: set[str] = set()
        for index, branch in enumerate(branches):
            if isinstance(branch, UnionType):
                self.fail("a union may not directly contain another union", child(pointer, index))
            key = _branch_key(branch)
            if key in seen:
                self.fail(f"the union has two branches of type {key}", child(pointer, index))
            seen.add(key)
        return UnionType(branches, pointer)

    def object(self, node: dict[str, Any], pointer: str, namespace: str) -> AvroType:
        kind = node.get("type")
        if isinstance(kind, list | dict):
            return self.type(kind, child(pointer, "type"), namespace)
        if not isinstance(kind, str):
            return self.fail('a schema object needs a "type" name', pointer)  # type: ignore[no-any-return]
        if kind in ("record", "error"):
            return self.record(node, pointer, namespace)
        if kind == "enum":
            return self.enum(node, pointer, namespace)
        if kind == "fixed":
            return self.fixed(node, pointer, namespace)
        if kind == "array":
            items = self.required(node, "items", pointer)
            return ArrayType(self.type(items, child(pointer, "items"), namespace), pointer)
        if kind == "map":
            values = self.required(node, "values", pointer)
            return MapType(self.type(values, child(pointer, "values"), namespace), pointer)
        if kind in PRIMITIVES:
            return Primitive(kind, pointer, _logical(node, kind))
        return self.named_or_primitive(kind, child(pointer, "type"), namespace)

    def required(self, node: dict[str, Any], key: str, pointer: str) -> Any:
        if key not in node:
            self.fail(f'missing "{key}"', pointer)
        return node[key]

    def define(self, node: dict[str, Any], pointer: str, namespace: str) -> tuple[str, str]:
        """Declare a named type; returns its full name and its own namespace."""
        name = self.required(node, "name", pointer)
        if not isinstance(name, str):
            self.fail("a name must be a string", child(pointer, "name"))
        explicit = node.get("namespace")
        if explicit is not None and not isinstance(explicit, str):
            self.fail("a namespace must be a string", child(pointer, "namespace"))
        fullname = _qualify(name, explicit if explicit is not None else namespace)
        self.check_fullname(fullname, child(pointer, "name"))
        if fullname in self.defined or fullname in self.known or fullname in self.declared:
            self.fail(f"{fullname} is defined twice", pointer)
        self.declared.add(fullname)
        self.mark(node, pointer, fullname)
        return fullname, fullname.rpartition(".")[0]

    def check_fullname(self, fullname: str, pointer: str) -> None:
        parts = fullname.split(".")
        if not all(_NAME.fullmatch(part) for part in parts):
            self.fail(f"{fullname!r} is not a valid Avro name", pointer)
        if fullname in PRIMITIVES:
            self.fail(f"{fullname!r} is a primitive type name", pointer)

    def aliases(self, node: dict[str, Any], pointer: str, namespace: str) -> frozenset[str]:
        return frozenset(_qualify(a, namespace) for a in self.alias_list(node, pointer))

    def alias_list(self, node: dict[str, Any], pointer: str) -> list[str]:
        raw = node.get("aliases", [])
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            self.fail("aliases must be an array of strings", child(pointer, "aliases"))
        return list(raw)

    def mark(self, node: dict[str, Any], pointer: str, what: str) -> None:
        flag = node.get("deprecated")
        doc = node.get("doc")
        if flag is True or (isinstance(flag, str) and flag):
            note = flag if isinstance(flag, str) else (doc if isinstance(doc, str) else "")
            self.markers.append(Marker(self.path, pointer, note or f"{what} is deprecated"))
        elif isinstance(doc, str) and doc.lstrip().lower().startswith("deprecated"):
            self.markers.append(Marker(self.path, pointer, doc.strip()))

    def record(self, node: dict[str, Any], pointer: str, namespace: str) -> Ref:
        fullname, own = self.define(node, pointer, namespace)
        raw = self.required(node, "fields", pointer)
        if not isinstance(raw, list):
            self.fail('"fields" must be an array', child(pointer, "fields"))
        base = child(pointer, "fields")
        fields = tuple(self.field(f, child(base, i), own, fullname) for i, f in enumerate(raw))
        names = [f.name for f in fields]
        for index, name in enumerate(names):
            if name in names[:index]:
                self.fail(f"field {name!r} is declared twice", child(base, index))
        aliases = self.aliases(node, pointer, own)
        self.defined[fullname] = Record(fullname, fields, pointer, self.path, aliases)
        return Ref(fullname, pointer)

    def field(self, node: Any, pointer: str, namespace: str, owner: str) -> Field:
        if not isinstance(node, dict):
            return self.fail("a field must be an object", pointer)  # type: ignore[no-any-return]
        name = self.required(node, "name", pointer)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            self.fail(f"{name!r} is not a valid field name", child(pointer, "name"))
        ftype = self.type(self.required(node, "type", pointer), child(pointer, "type"), namespace)
        self.mark(node, pointer, f"field {owner}.{name}")
        aliases = tuple(self.alias_list(node, pointer))
        return Field(name, ftype, pointer, node.get("default", NO_DEFAULT), aliases)

    def enum(self, node: dict[str, Any], pointer: str, namespace: str) -> Ref:
        fullname, own = self.define(node, pointer, namespace)
        symbols = self.required(node, "symbols", pointer)
        if not isinstance(symbols, list) or not all(
            isinstance(s, str) and _NAME.fullmatch(s) for s in symbols
        ):
            self.fail("symbols must be an array of valid names", child(pointer, "symbols"))
        if len(set(symbols)) != len(symbols):
            self.fail("an enum symbol is declared twice", child(pointer, "symbols"))
        default = node.get("default")
        if default is not None and default not in symbols:
            self.fail(f"the enum default {default!r} is not a symbol", child(pointer, "default"))
        aliases = self.aliases(node, pointer, own)
        enum = Enum(fullname, tuple(symbols), pointer, self.path, aliases, default)
        self.defined[fullname] = enum
        return Ref(fullname, pointer)

    def fixed(self, node: dict[str, Any], pointer: str, namespace: str) -> Ref:
        fullname, own = self.define(node, pointer, namespace)
        size = self.required(node, "size", pointer)
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            self.fail("size must be a non-negative integer", child(pointer, "size"))
        logical = _logical(node, "fixed", size)
        aliases = self.aliases(node, pointer, own)
        self.defined[fullname] = Fixed(fullname, size, pointer, self.path, aliases, logical)
        return Ref(fullname, pointer)


def _qualify(name: str, namespace: str) -> str:
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _candidates(name: str, namespace: str) -> tuple[str, ...]:
    qualified = _qualify(name, namespace)
    return (qualified,) if qualified == name else (qualified, name)


def _branch_key(branch: AvroType) -> str:
    return branch.fullname if isinstance(branch, Ref) else branch.kind


def _logical(node: Mapping[str, Any], base: str, size: int = 0) -> Logical | None:
    name = node.get("logicalType")
    if not isinstance(name, str) or base not in _LOGICAL_BASES.get(name, frozenset()):
        return None
    if name == "decimal":
        return _decimal(node, base, size)
    if name == "duration" and size != 12:
        return None
    if name == "uuid" and base == "fixed" and size != 16:
        return None
    return Logical(name)


def _decimal(node: Mapping[str, Any], base: str, size: int) -> Logical | None:
    precision, scale = node.get("precision"), node.get("scale", 0)
    if not isinstance(precision, int) or not isinstance(scale, int):
        return None
    if isinstance(precision, bool) or isinstance(scale, bool):
        return None
    if precision <= 0 or scale < 0 or scale > precision:
        return None
    if base == "fixed" and precision > _max_digits(size):
        return None
    return Logical("decimal", precision, scale)


def _max_digits(size: int) -> int:
    """Decimal digits a two's-complement fixed of ``size`` bytes can always hold."""
    return len(str(2 ** (8 * size - 1) - 1)) - 1 if size > 0 else 0
