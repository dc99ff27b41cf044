"""Can a reader schema read what a writer schema wrote? Avro's schema-resolution rules as findings.

`check` follows the "Schema Resolution" section of the Avro specification:

* records match by unqualified name (or a reader alias naming the writer's full name); fields
  match by name or reader field alias, in any order; a writer field the reader lacks is skipped;
  a reader field the writer lacks takes its default, and is an error without one;
* enums match by name; a writer symbol the reader lacks is an error unless the reader enum has a
  default; fixed types match by name and size; arrays and maps match item and value types;
* primitives match themselves or by promotion: int → long, float, double; long → float, double;
  float → double; string ↔ bytes;
* unions: every branch the writer may write must be readable, by the first reader branch of the
  same type (then the first one it promotes to) when the reader is a union, else by the reader.

Beyond the specification (each finding marked † in `rules.RULES`, each difference from Apache
Avro's checker shown by a case in README.md): a default that does not match its field's type (for a
union, its first branch) is an error when the reader needs it, and logical types are compared:
a changed logical type, a changed decimal scale or a narrower decimal precision is breaking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from steward.contracts.avro import rules
from steward.contracts.avro.parse import (
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Fixed,
    Logical,
    Named,
    Record,
    Ref,
    UnionType,
    parse,
)
from steward.contracts.findings import ContractFinding

#: (writer kind, reader kind) pairs the specification allows by promotion.
PROMOTIONS = frozenset(
    {
        ("int", "long"),
        ("int", "float"),
        ("int", "double"),
        ("long", "float"),
        ("long", "double"),
        ("float", "double"),
        ("string", "bytes"),
        ("bytes", "string"),
    }
)
_INT_RANGES = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True, slots=True)
class Site:
    """Where an element is written: a file and a JSON pointer in it."""

    file: str
    pointer: str


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding before it is placed: the rule, the message, and the element on each side."""

    rule: str
    message: str
    reader: Site
    writer: Site


def check(
    writer_text: str, reader_text: str, *, path: str = "", locate: str = "reader"
) -> list[ContractFinding]:
    """Findings for reading data written with ``writer_text`` using ``reader_text``.

    Both texts are versions of the schema file ``path``. ``locate`` says which one the findings'
    locations and lines point into: ``"reader"`` (default) or ``"writer"``. An element that only
    the other side has is located at its nearest counterpart (a removed field at its record).
    Raises `InvalidSchema` when either text is not a valid Avro schema.
    """
    writer = parse(writer_text, path=path)
    reader = parse(reader_text, path=path)
    return check_schemas(writer, reader, locate=locate)


def check_schemas(
    writer: AvroSchema, reader: AvroSchema, *, locate: str = "reader"
) -> list[ContractFinding]:
    """`check` for schemas already parsed (for instance with `parse_set`)."""
    if locate not in ("reader", "writer"):
        raise ValueError(f"locate must be 'reader' or 'writer', not {locate!r}")
    return [_place(issue, writer, reader, locate) for issue in issues(writer, reader)]


def compatible(writer: AvroSchema, reader: AvroSchema) -> bool:
    """True when ``reader`` can read everything ``writer`` may write, with no breaking finding."""
    return not any(_BREAKING[issue.rule] for issue in issues(writer, reader))


def issues(writer: AvroSchema, reader: AvroSchema) -> list[Issue]:
    """Every issue of the pair, in schema order, before placement into a file and line."""
    checker = _Checker(writer, reader)
    checker.compare(reader.root, writer.root, reader.path, writer.path, "")
    return checker.found


def valid_default(schema: AvroSchema, node: AvroType, value: Any) -> bool:
    """True when ``value`` (JSON) is a valid default for ``node``; a union's is its first branch's."""
    node = schema.resolve(node)
    kind = node.kind
    if kind in _SCALAR_CHECKS:
        return _SCALAR_CHECKS[kind](value)
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        return _is_int(value) and low <= value <= high
    if isinstance(node, Fixed):
        return _is_bytes(value) and len(value) == node.size
    if isinstance(node, Enum):
        return isinstance(value, str) and value in node.symbols
    if isinstance(node, UnionType):
        return bool(node.branches) and valid_default(schema, node.branches[0], value)
    if isinstance(node, Record):
        return isinstance(value, dict) and all(
            valid_default(schema, f.type, value[f.name]) if f.name in value else f.has_default
            for f in node.fields
        )
    if node.kind == "array":
        items = node.items  # type: ignore[union-attr]
        return isinstance(value, list) and all(valid_default(schema, items, v) for v in value)
    values = node.values  # type: ignore[union-attr]
    return isinstance(value, dict) and all(valid_default(schema, values, v) for v in value.values())


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_bytes(value: Any) -> bool:
    return isinstance(value, str) and all(ord(c) < 256 for c in value)


_SCALAR_CHECKS = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "double": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "bytes": _is_bytes,
}
_BREAKING = {rule.id: "INFO" not in rule.categories for rule in rules.RULES.values()}


def _place(issue: Issue, writer: AvroSchema, reader: AvroSchema, locate: str) -> ContractFinding:
    schema, site = (reader, issue.reader) if locate == "reader" else (writer, issue.writer)
    rule = rules.RULES[issue.rule]
    return ContractFinding(
        rule=rule.id,
        path=site.file,
        line=schema.line(site.file, site.pointer),
        location=site.pointer,
        message=issue.message,
        breaking=_BREAKING[rule.id],
        categories=rule.categories,
    )


def _describe(node: AvroType) -> str:
    if isinstance(node, UnionType):
        first = _describe(node.branches[0]) if node.branches else "nothing"
        return f"union (whose first branch, {first}, the default must match)"
    if isinstance(node, Ref):
        return node.fullname
    if isinstance(node, Record | Enum | Fixed):
        return f"{node.kind} {node.fullname}"
    logical = getattr(node, "logical", None)
    return f"{node.kind} ({logical})" if logical else node.kind


def _names_match(reader: Named, writer: Named) -> bool:
    return reader.name == writer.name or writer.fullname in reader.aliases


class _Checker:
    def __init__(self, writer: AvroSchema, reader: AvroSchema) -> None:
        self.writer = writer
        self.reader = reader
        self.found: list[Issue] = []
        self.visited: set[tuple[str, str]] = set()

    def report(self, rule: str, message: str, r: Site, w: Site) -> None:
        self.found.append(Issue(rule, message, r, w))

    def compare(self, r: AvroType, w: AvroType, rfile: str, wfile: str, label: str) -> None:
        r, rfile = self._resolve(self.reader, r, rfile)
        w, wfile = self._resolve(self.writer, w, wfile)
        rsite, wsite = Site(rfile, r.pointer), Site(wfile, w.pointer)
        if isinstance(w, UnionType):
            self._writer_union(r, w, rfile, wfile, label)
        elif isinstance(r, UnionType):
            self._reader_union(r, w, rfile, wfile, label)
        elif r.kind == w.kind:
            self._same_kind(r, w, rsite, wsite, label)
        elif (w.kind, r.kind) in PROMOTIONS:
            where = _where(label)
            self.report(rules.TYPE_PROMOTED, f"{where}: {w.kind} is read as {r.kind}", rsite, wsite)
            self._logical(r, w, rsite, wsite, label)
        else:
            message = f"{_where(label)}: the reader's {_describe(r)} cannot read the writer's {_describe(w)}"
            self.report(rules.TYPE_MISMATCH, message, rsite, wsite)

    def _resolve(self, schema: AvroSchema, node: AvroType, file: str) -> tuple[AvroType, str]:
        if isinstance(node, Ref):
            named = schema.names[node.fullname]
            return named, named.file
        return node, file

    def _writer_union(self, r: AvroType, w: UnionType, rfile: str, wfile: str, label: str) -> None:
        for branch in w.branches:
            if not isinstance(r, UnionType):
                resolved, _ = self._resolve(self.writer, branch, wfile)
                if not self._matches(r, resolved):
                    rsite, wsite = Site(rfile, r.pointer), Site(wfile, branch.pointer)
                    message = f"{_where(label)}: the writer's union may write {_describe(resolved)}, which the reader's {_describe(r)} cannot read"
                    self.report(rules.WRITER_UNION_BRANCH_UNREADABLE, message, rsite, wsite)
                    continue
                self.compare(r, branch, rfile, wfile, label)
            else:
                self._reader_union(r, branch, rfile, wfile, label)

    def _reader_union(self, r: UnionType, w: AvroType, rfile: str, wfile: str, label: str) -> None:
        w, wfile = self._resolve(self.writer, w, wfile)
        chosen = self._branch(r, w)
        if chosen is None:
            message = f"{_where(label)}: no branch of the reader's union can read the writer's {_describe(w)}"
            self.report(
                rules.READER_UNION_MISSING_BRANCH,
                message,
                Site(rfile, r.pointer),
                Site(wfile, w.pointer),
            )
            return
        self.compare(chosen, w, rfile, wfile, label)

    def _branch(self, r: UnionType, w: AvroType) -> AvroType | None:
        promoted = None
        for branch in r.branches:
            resolved, _ = self._resolve(self.reader, branch, "")
            match = self._matches(resolved, w)
            if match == 2:
                return branch
            if match == 1 and promoted is None:
                promoted = branch
        return promoted

    def _matches(self, r: AvroType, w: AvroType) -> int:
        """2: same type (and name); 1: by promotion; 0: no match."""
        if r.kind != w.kind:
            return 1 if (w.kind, r.kind) in PROMOTIONS else 0
        if isinstance(r, Record | Enum | Fixed):
            return 2 if _names_match(r, w) else 0  # type: ignore[arg-type]
        return 2

    def _same_kind(self, r: AvroType, w: AvroType, rsite: Site, wsite: Site, label: str) -> None:
        if isinstance(r, Record | Enum | Fixed):
            self._named(r, w, rsite, wsite)  # type: ignore[arg-type]
        elif r.kind == "array":
            self.compare(r.items, w.items, rsite.file, wsite.file, f"{label}[]")  # type: ignore[union-attr]
        elif r.kind == "map":
            self.compare(r.values, w.values, rsite.file, wsite.file, f"{label}{{}}")  # type: ignore[union-attr]
        else:
            self._logical(r, w, rsite, wsite, label)

    def _named(self, r: Named, w: Named, rsite: Site, wsite: Site) -> None:
        key = (r.fullname, w.fullname)
        if key in self.visited:
            return
        self.visited.add(key)
        if not _names_match(r, w):
            message = f"the reader's {r.kind} {r.fullname} does not match the writer's {w.fullname} (names differ and no reader alias names it)"
            self.report(rules.NAME_MISMATCH, message, rsite, wsite)
        elif isinstance(r, Record):
            self._record(r, w, rsite, wsite)  # type: ignore[arg-type]
        elif isinstance(r, Enum):
            self._enum(r, w, rsite, wsite)  # type: ignore[arg-type]
        else:
            self._fixed(r, w, rsite, wsite)  # type: ignore[arg-type]

    def _record(self, r: Record, w: Record, rsite: Site, wsite: Site) -> None:
        by_name = {f.name: f for f in w.fields}
        used: set[str] = set()
        for field in r.fields:
            match = _writer_field(field, by_name)
            label = f"{r.name}.{field.name}"
            if match is None:
                self._missing(field, r, rsite, wsite, label)
                continue
            used.add(match.name)
            self.compare(field.type, match.type, r.file, w.file, label)
        for field in w.fields:
            if field.name not in used:
                message = f"field {w.name}.{field.name}: the writer's field is not read (no reader field or alias)"
                self.report(rules.WRITER_FIELD_IGNORED, message, rsite, Site(w.file, field.pointer))

    def _missing(self, field: Field, r: Record, rsite: Site, wsite: Site, label: str) -> None:
        site = Site(r.file, field.pointer)
        if not field.has_default:
            message = f"field {label}: the writer has no such field and the reader's has no default"
            self.report(rules.READER_FIELD_WITHOUT_DEFAULT, message, site, wsite)
        elif not valid_default(self.reader, field.type, field.default):
            message = f"field {label}: the writer has no such field and the reader's default {field.default!r} is not a valid {_describe(self.reader.resolve(field.type))}"
            self.report(rules.READER_FIELD_INVALID_DEFAULT, message, site, wsite)
        else:
            message = f"field {label}: the writer has no such field; the reader uses its default"
            self.report(rules.READER_FIELD_DEFAULT_USED, message, site, wsite)

    def _enum(self, r: Enum, w: Enum, rsite: Site, wsite: Site) -> None:
        missing = [s for s in w.symbols if s not in r.symbols]
        if not missing:
            return
        names = ", ".join(missing)
        if r.default is not None:
            message = (
                f"enum {r.fullname}: the writer may write {names}, read as the default {r.default}"
            )
            self.report(rules.ENUM_SYMBOL_DEFAULTED, message, rsite, wsite)
        else:
            message = f"enum {r.fullname}: the writer may write {names}, which the reader lacks (and it has no default)"
            self.report(rules.ENUM_SYMBOL_MISSING, message, rsite, wsite)

    def _fixed(self, r: Fixed, w: Fixed, rsite: Site, wsite: Site) -> None:
        if r.size != w.size:
            message = (
                f"fixed {r.fullname}: the reader's size {r.size} differs from the writer's {w.size}"
            )
            self.report(rules.FIXED_SIZE_MISMATCH, message, rsite, wsite)
        else:
            self._logical(r, w, rsite, wsite, r.fullname)

    def _logical(self, r: AvroType, w: AvroType, rsite: Site, wsite: Site, label: str) -> None:
        rl: Logical | None = getattr(r, "logical", None)
        wl: Logical | None = getattr(w, "logical", None)
        if rl == wl:
            return
        where = _where(label)
        if rl is None or wl is None:
            message = f"{where}: the logical type {wl or 'none'} becomes {rl or 'none'}"
            self.report(rules.LOGICAL_TYPE_ADDED_OR_REMOVED, message, rsite, wsite)
        elif rl.name != wl.name:
            message = f"{where}: the writer's {wl} values are read as {rl}"
            self.report(rules.LOGICAL_TYPE_CHANGED, message, rsite, wsite)
        else:
            self._decimal(rl, wl, rsite, wsite, where)

    def _decimal(self, rl: Logical, wl: Logical, rsite: Site, wsite: Site, where: str) -> None:
        if rl.scale != wl.scale:
            message = f"{where}: the writer's {wl} values are read with scale {rl.scale}"
            self.report(rules.DECIMAL_SCALE_CHANGED, message, rsite, wsite)
        if rl.precision < wl.precision:
            message = f"{where}: the writer's {wl} values may not fit the reader's {rl}"
            self.report(rules.DECIMAL_PRECISION_NARROWED, message, rsite, wsite)


def _writer_field(field: Field, by_name: dict[str, Field]) -> Field | None:
    found = by_name.get(field.name)
    if found is not None:
        return found
    for alias in field.aliases:
        if alias in by_name:
            return by_name[alias]
    return None


def _where(label: str) -> str:
    return f"field {label}" if label else "the root type"


__all__ = [
    "PROMOTIONS",
    "Issue",
    "Site",
    "check",
    "check_schemas",
    "compatible",
    "issues",
    "valid_default",
]
