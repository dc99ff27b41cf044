"""A contract's life from one version to the next: compatibility, deprecation and approval.

`compare` pairs the schema files of two versions of a tree (by path) and checks each pair:

* compatibility, by the format's own rules under the subject's Schema Registry mode
  (`steward.contracts.modes.check_history`; Protobuf is checked by its own package, outside);
* the deprecation lifecycle, against the catalogue's announce and sunset dates and the schema's own
  deprecation markers;
* approvals: every breaking change needs a change request approved by one of the subject's
  approvers within the subject's SLA.

"today" is always a parameter. Everything here is pure: texts and dates in, findings out. Rule IDs
are in `RULES`; they are stable and never reused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from steward.contracts.catalogue import ChangeRequest, Subject
from steward.contracts.findings import (
    ContractFinding,
    Deprecation,
    Rule,
    catalogue,
    load_json,
)
from steward.contracts.jsonpos import child, line_of, pointer_lines
from steward.contracts.schemafile import AVRO, JSONSCHEMA, PROTOBUF, SchemaFile

DEPRECATION_REMOVED_BEFORE_SUNSET = "DEPRECATION_REMOVED_BEFORE_SUNSET"
DEPRECATION_PAST_SUNSET = "DEPRECATION_PAST_SUNSET"
DEPRECATION_WITHOUT_SUNSET = "DEPRECATION_WITHOUT_SUNSET"
REMOVED_WITHOUT_DEPRECATION = "REMOVED_WITHOUT_DEPRECATION"
SAFE_REMOVAL_RESERVED = "SAFE_REMOVAL_RESERVED"
BREAKING_CHANGE_UNAPPROVED_PAST_SLA = "BREAKING_CHANGE_UNAPPROVED_PAST_SLA"
BREAKING_CHANGE_AWAITING_APPROVAL = "BREAKING_CHANGE_AWAITING_APPROVAL"
BREAKING_CHANGE_APPROVED = "BREAKING_CHANGE_APPROVED"
CONTRACT_REMOVED = "CONTRACT_REMOVED"
CONTRACT_ADDED = "CONTRACT_ADDED"
CONTRACT_UNREADABLE = "CONTRACT_UNREADABLE"
CONTRACT_NOT_CHECKED = "CONTRACT_NOT_CHECKED"

RULES = catalogue(
    [
        Rule(
            DEPRECATION_REMOVED_BEFORE_SUNSET,
            "A deprecated element was removed before its sunset date (or without one).",
            ("LIFECYCLE",),
        ),
        Rule(
            DEPRECATION_PAST_SUNSET,
            "A deprecated element is still present after its sunset date.",
            ("LIFECYCLE",),
        ),
        Rule(
            DEPRECATION_WITHOUT_SUNSET,
            "The schema marks an element deprecated; the catalogue records no sunset for it.",
            ("LIFECYCLE", "INFO"),
        ),
        Rule(
            REMOVED_WITHOUT_DEPRECATION,
            "An element was removed without having been deprecated first.",
            ("LIFECYCLE",),
        ),
        Rule(
            SAFE_REMOVAL_RESERVED,
            "A Protobuf field was removed the safe way: its number and name are reserved.",
            ("LIFECYCLE", "INFO"),
        ),
        Rule(
            BREAKING_CHANGE_UNAPPROVED_PAST_SLA,
            "A breaking change has no approval and its approval SLA has passed.",
            ("APPROVAL",),
        ),
        Rule(
            BREAKING_CHANGE_AWAITING_APPROVAL,
            "A breaking change has no approval yet; its SLA is still running (or no change request is recorded).",
            ("APPROVAL",),
        ),
        Rule(
            BREAKING_CHANGE_APPROVED,
            "A breaking change was approved by one of the subject's approvers.",
            ("APPROVAL", "INFO"),
        ),
        Rule(
            CONTRACT_REMOVED,
            "A schema file was deleted: its subject has no contract any more.",
            ("WIRE",),
        ),
        Rule(CONTRACT_ADDED, "A schema file was added.", ("INFO",)),
        Rule(
            CONTRACT_UNREADABLE, "A schema file cannot be read; it was not checked.", ("UNCHECKED",)
        ),
        Rule(
            CONTRACT_NOT_CHECKED,
            "A schema could not be checked (its format's checker is not available).",
            ("UNCHECKED",),
        ),
    ]
)

#: Lifecycle rules that break consumers (the others inform or ask for an action).
BREAKING_RULES = frozenset({DEPRECATION_REMOVED_BEFORE_SUNSET, CONTRACT_REMOVED})


def finding(rule: str, path: str, line: int, location: str, message: str) -> ContractFinding:
    """A finding of one of this module's rules, breaking as `BREAKING_RULES` says."""
    return ContractFinding(
        rule, path, line, location, message, rule in BREAKING_RULES, RULES[rule].categories
    )


# --- elements: the named parts of a schema that can be deprecated and removed ---------------


@dataclass(frozen=True, slots=True)
class Element:
    """A field of a schema: ``Record.field`` (Avro), ``a.b`` (JSON Schema), ``Message.field``
    (Protobuf), with its JSON pointer (or ``#Message.field``) and its 1-based line."""

    name: str
    location: str
    line: int
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Reserved:
    """What a Protobuf message reserves: field numbers (ranges inclusive) and names."""

    ranges: tuple[tuple[int, int], ...] = ()
    names: frozenset[str] = frozenset()

    def holds(self, number: int | None, name: str) -> bool:
        """True when both the number and the name are reserved."""
        number_ok = number is not None and any(lo <= number <= hi for lo, hi in self.ranges)
        return number_ok and name in self.names


@dataclass(frozen=True, slots=True)
class Shape:
    """A schema's elements by name, and (Protobuf) what each message reserves."""

    elements: Mapping[str, Element]
    reserved: Mapping[str, Reserved] = field(default_factory=dict)

    def at(self, location: str) -> Element | None:
        """The element at ``location``, or the innermost one containing it."""
        best: Element | None = None
        for element in self.elements.values():
            inside = location == element.location or location.startswith(element.location + "/")
            if inside and (best is None or len(element.location) > len(best.location)):
                best = element
        return best


def shape(schema: SchemaFile) -> Shape:
    """The elements of ``schema``; raises `InvalidSchema` when its text cannot be read."""
    if schema.format == PROTOBUF:
        return _proto_shape(schema.text)
    document = load_json(schema.text, schema.path)
    lines = pointer_lines(schema.text)
    found: dict[str, Element] = {}
    if schema.format == AVRO:
        _avro_elements(document, "", lines, found)
    else:
        _json_elements(document, "", "", lines, found)
    return Shape(found)


def _avro_elements(
    node: Any, pointer: str, lines: Mapping[str, int], out: dict[str, Element]
) -> None:
    if isinstance(node, list):
        for index, branch in enumerate(node):
            _avro_elements(branch, child(pointer, index), lines, out)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in ("record", "error") and isinstance(node.get("fields"), list):
        record = str(node.get("name", "")).rsplit(".", 1)[-1]
        for index, item in enumerate(node["fields"]):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                at = child(child(pointer, "fields"), index)
                name = f"{record}.{item['name']}"
                out.setdefault(name, Element(name, at, line_of(lines, at)))
                _avro_elements(item.get("type"), child(at, "type"), lines, out)
    elif kind == "array":
        _avro_elements(node.get("items"), child(pointer, "items"), lines, out)
    elif kind == "map":
        _avro_elements(node.get("values"), child(pointer, "values"), lines, out)
    elif isinstance(kind, dict | list):
        _avro_elements(kind, child(pointer, "type"), lines, out)


def _json_elements(
    node: Any, pointer: str, prefix: str, lines: Mapping[str, int], out: dict[str, Element]
) -> None:
    if not isinstance(node, dict):
        return
    properties = node.get("properties")
    if isinstance(properties, dict):
        for key, sub in properties.items():
            at = child(child(pointer, "properties"), key)
            name = prefix + key
            out.setdefault(name, Element(name, at, line_of(lines, at)))
            _json_elements(sub, at, name + ".", lines, out)
    for keyword in ("items", "additionalProperties", "not"):
        _json_elements(node.get(keyword), child(pointer, keyword), prefix, lines, out)
    for keyword in ("allOf", "anyOf", "oneOf", "prefixItems"):
        branches = node.get(keyword)
        if isinstance(branches, list):
            for index, sub in enumerate(branches):
                _json_elements(sub, child(child(pointer, keyword), index), prefix, lines, out)
    for keyword in ("$defs", "definitions"):
        defs = node.get(keyword)
        if isinstance(defs, dict):
            for key, sub in defs.items():
                _json_elements(sub, child(child(pointer, keyword), key), key + ".", lines, out)


_PROTO_TOKEN = re.compile(
    r"(?P<open>\b(?P<kind>message|enum|oneof|service|extend)\s+(?P<name>[\w.]+)\s*\{)"
    r"|(?P<reserved>\breserved\s+(?P<list>[^;]*);)"
    r"|(?P<field>(?:\b(?:optional|required|repeated)\s+)?(?:map\s*<[^>]*>|[A-Za-z_][\w.]*)\s+"
    r"(?P<fname>[A-Za-z_]\w*)\s*=\s*(?P<number>\d+)\s*(?:\[[^\]]*\])?\s*;)"
    r"|(?P<brace>[{}])",
    re.S,
)
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\])*\"", re.S)


def _blank_comments(text: str) -> str:
    """Comments replaced by spaces (newlines kept, so lines still count); strings kept."""

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return token if token.startswith('"') else re.sub(r"[^\n]", " ", token)

    return _COMMENT.sub(blank, text)


def _proto_shape(text: str) -> Shape:
    """Fields and reservations of every message, by a small scanner of ``.proto`` text.

    Enough to say which fields a version has and what it reserves; compatibility itself is left to
    `steward.contracts.protobuf`.
    """
    clean = _blank_comments(text)
    stack: list[tuple[str, str]] = []
    elements: dict[str, Element] = {}
    reserved: dict[str, Reserved] = {}
    for match in _PROTO_TOKEN.finditer(clean):
        message = ".".join(name for kind, name in stack if kind == "message")
        if match.group("open"):
            stack.append((match.group("kind"), match.group("name")))
        elif match.group("brace") == "{":
            stack.append(("block", ""))
        elif match.group("brace") == "}":
            if stack:
                stack.pop()
        elif match.group("reserved") and message and stack[-1][0] == "message":
            reserved[message] = _merge(reserved.get(message, Reserved()), match.group("list"))
        elif match.group("field") and message and stack[-1][0] in ("message", "oneof"):
            name = f"{message}.{match.group('fname')}"
            line = clean.count("\n", 0, match.start("fname")) + 1
            elements[name] = Element(name, f"#{name}", line, int(match.group("number")))
    return Shape(elements, reserved)


def _merge(known: Reserved, listing: str) -> Reserved:
    ranges, names = list(known.ranges), set(known.names)
    for item in (part.strip() for part in listing.split(",")):
        bounds = re.fullmatch(r"(\d+)\s+to\s+(\d+|max)|(\d+)", item)
        if bounds and bounds.group(3):
            ranges.append((int(bounds.group(3)), int(bounds.group(3))))
        elif bounds:
            high = 536_870_911 if bounds.group(2) == "max" else int(bounds.group(2))
            ranges.append((int(bounds.group(1)), high))
        elif item:
            names.add(item.strip("\"'"))
    return Reserved(tuple(ranges), frozenset(names))


# --- deprecation markers ---------------------------------------------------------------------


def marked(current: Shape, markers: Iterable[Deprecation]) -> dict[str, Deprecation]:
    """Deprecation markers by the element they mark.

    Matched by location (a JSON pointer), then by a Protobuf ``file#package.Message.field``
    location ending in the element's name, then by line.
    """
    by_location = {e.location: e for e in current.elements.values()}
    by_line = {e.line: e for e in current.elements.values()}
    found: dict[str, Deprecation] = {}
    for marker in markers:
        element = by_location.get(marker.location) or _by_full_name(current, marker.location)
        element = element or by_line.get(marker.line)
        if element is not None:
            found[element.name] = marker
    return found


def _by_full_name(current: Shape, location: str) -> Element | None:
    full_name = "." + location.rpartition("#")[2]
    matches = [e for e in current.elements.values() if full_name.endswith("." + e.name)]
    return max(matches, key=lambda e: len(e.name)) if matches else None


# --- the lifecycle rules -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Version:
    """One side of a comparison: the schema file, its shape and its deprecation markers."""

    schema: SchemaFile
    shape: Shape
    markers: Mapping[str, Deprecation] = field(default_factory=dict)


def removals(
    before: Version, after: Version, subject: Subject | None, today: date
) -> list[ContractFinding]:
    """Findings for every element of ``before`` that ``after`` no longer has."""
    found: list[ContractFinding] = []
    for name, gone in before.shape.elements.items():
        if name in after.shape.elements:
            continue
        removal = _removal(name, gone, before, after, subject, today)
        if removal is not None:
            found.append(removal)
    return found


def _removal(
    name: str, gone: Element, before: Version, after: Version, subject: Subject | None, today: date
) -> ContractFinding | None:
    path = after.schema.path
    line = _parent_line(after.shape, name) or gone.line
    plan = subject.planned(name) if subject else None
    message_reserved = _reserved_safely(name, gone, after)
    deprecated = plan is not None or name in before.markers
    if deprecated and (plan is None or plan.sunset is None or today < plan.sunset):
        when = (
            f"its sunset is {plan.sunset}" if plan and plan.sunset else "no sunset date is recorded"
        )
        return finding(
            DEPRECATION_REMOVED_BEFORE_SUNSET,
            path,
            line,
            gone.location,
            f"deprecated {name} was removed on {today} but {when}; consumers may still read it",
        )
    if message_reserved:
        return finding(SAFE_REMOVAL_RESERVED, path, line, gone.location, message_reserved)
    if deprecated:
        return None  # removed on schedule (Protobuf numbers left free are the checker's finding)
    return finding(
        REMOVED_WITHOUT_DEPRECATION,
        path,
        line,
        gone.location,
        f"{name} was removed without being deprecated first",
    )


def _reserved_safely(name: str, gone: Element, after: Version) -> str:
    if after.schema.format != PROTOBUF:
        return ""
    message, _, field_name = name.rpartition(".")
    if after.shape.reserved.get(message, Reserved()).holds(gone.number, field_name):
        return f"{name} = {gone.number} was removed and both its number and name are reserved"
    return ""


def _parent_line(current: Shape, name: str) -> int:
    """The line of the nearest surviving sibling (where a removed element used to be)."""
    parent = name.rpartition(".")[0]
    siblings = [e.line for n, e in current.elements.items() if n.rpartition(".")[0] == parent]
    return min(siblings) if siblings else 0


def sunsets(current: Version, subject: Subject | None, today: date) -> list[ContractFinding]:
    """Deprecated elements still present after their sunset, and markers without a sunset."""
    found: list[ContractFinding] = []
    path = current.schema.path
    for name, element in current.shape.elements.items():
        plan = subject.planned(name) if subject else None
        if plan is not None and plan.sunset is not None and plan.sunset < today:
            found.append(
                finding(
                    DEPRECATION_PAST_SUNSET,
                    path,
                    element.line,
                    element.location,
                    f"{name} was to be removed by {plan.sunset} (announced {plan.announced or '?'})"
                    f" and is still here on {today}",
                )
            )
        elif plan is None and name in current.markers:
            found.append(
                finding(
                    DEPRECATION_WITHOUT_SUNSET,
                    path,
                    element.line,
                    element.location,
                    f"{name} is marked deprecated ({current.markers[name].note}) but the catalogue"
                    " records no announce or sunset date",
                )
            )
    return found


# --- approvals -----------------------------------------------------------------------------------


def element_of(finding_: ContractFinding, *shapes: Shape) -> str:
    """The element a finding is about (``""`` when it is about the whole schema)."""
    for current in shapes:
        element = current.at(finding_.location)
        if element is not None:
            return element.name
    return ""


def approvals(
    breaking: Sequence[tuple[ContractFinding, str]], subject: Subject | None, today: date
) -> list[ContractFinding]:
    """One approval finding per change request (or per missing request) the breaking changes need.

    ``breaking`` pairs each breaking finding with the element it is about.
    """
    if not breaking:
        return []
    groups: dict[str, list[tuple[ContractFinding, str]]] = {}
    requests: dict[str, ChangeRequest | None] = {}
    for item in breaking:
        request = _request_for(subject, item[1])
        key = request.id if request else ""
        groups.setdefault(key, []).append(item)
        requests[key] = request
    return [_approval(groups[k], requests[k], subject, today) for k in sorted(groups)]


def _request_for(subject: Subject | None, element: str) -> ChangeRequest | None:
    if subject is None:
        return None
    return next((c for c in subject.changes if c.covers(element)), None)


def _approval(
    items: list[tuple[ContractFinding, str]],
    request: ChangeRequest | None,
    subject: Subject | None,
    today: date,
) -> ContractFinding:
    first = items[0][0]
    what = ", ".join(sorted({element or first.rule for first, element in items}))
    where = (first.path, first.line, first.location)
    if subject is None:
        return finding(
            BREAKING_CHANGE_AWAITING_APPROVAL,
            *where,
            f"breaking change ({what}) to a schema the catalogue does not list: no owner can approve it",
        )
    if request is None:
        due = subject.sla.deadline(today)
        return finding(
            BREAKING_CHANGE_AWAITING_APPROVAL,
            *where,
            f"breaking change ({what}) to {subject.name} has no change request in the catalogue;"
            f" recorded today it would be due by {due} ({subject.sla.text}) from {_approvers(subject)}",
        )
    granted = subject.approvals_of(request.id)
    if granted:
        names = ", ".join(f"{a.by} on {a.at}" for a in granted)
        return finding(
            BREAKING_CHANGE_APPROVED,
            *where,
            f"breaking change {request.id} ({what}) approved by {names}",
        )
    due = subject.sla.deadline(request.requested)
    if due < today:
        return finding(
            BREAKING_CHANGE_UNAPPROVED_PAST_SLA,
            *where,
            f"breaking change {request.id} ({what}) requested {request.requested} has no approval"
            f" from {_approvers(subject)}; its SLA ({subject.sla.text}) ended {due}",
        )
    return finding(
        BREAKING_CHANGE_AWAITING_APPROVAL,
        *where,
        f"breaking change {request.id} ({what}) requested {request.requested} awaits approval"
        f" from {_approvers(subject)} by {due} ({subject.sla.text})",
    )


def _approvers(subject: Subject) -> str:
    return ", ".join(subject.approvers) or subject.owner or "the owners"


def approved(subject: Subject | None, element: str) -> bool:
    """True when a change request covering ``element`` has an approval that counts."""
    request = _request_for(subject, element)
    return bool(subject and request and subject.approvals_of(request.id))


# --- one schema file, before and after ---------------------------------------------------------


def compatibility(before: SchemaFile, after: SchemaFile, mode: str) -> list[ContractFinding]:
    """Avro and JSON Schema findings for ``after`` replacing ``before`` under ``mode``.

    Under BACKWARD ``before`` is the writer and ``after`` the reader; findings point into
    ``after``. Raises `InvalidSchema` or `steward.contracts.modes.InvalidMode`.
    """
    from steward.contracts.modes import check_history

    return check_history(after.format, [before.text, after.text], mode, path=after.path)


def markers_of(schema: SchemaFile) -> list[Deprecation]:
    """The deprecation markers of an Avro or JSON Schema file (Protobuf's come from outside)."""
    from steward.contracts import avro, jsonschema

    if schema.format == AVRO:
        return avro.deprecations(schema.text, path=schema.path)
    if schema.format == JSONSCHEMA:
        return jsonschema.deprecations(schema.text, path=schema.path)
    return []


def version(schema: SchemaFile, markers: Iterable[Deprecation] | None = None) -> Version:
    """``schema`` with its shape and markers (read from the text unless given); may raise
    `InvalidSchema`."""
    current = shape(schema)
    found = markers_of(schema) if markers is None else list(markers)
    return Version(schema, current, marked(current, found))


def compare(
    before: Version | None,
    after: Version | None,
    *,
    subject: Subject | None,
    mode: str,
    today: date,
) -> list[ContractFinding]:
    """Compatibility (not Protobuf's) and lifecycle findings for one schema file's change."""
    if before is None and after is not None:
        return [finding(CONTRACT_ADDED, after.schema.path, 1, "", f"{after.schema.path} is new")]
    if after is None and before is not None:
        subject_name = subject.name if subject else before.schema.path
        return [
            finding(
                CONTRACT_REMOVED,
                before.schema.path,
                0,
                "",
                f"{before.schema.path} was deleted: {subject_name} has no contract any more",
            )
        ]
    if before is None or after is None:
        return []
    found = (
        [] if after.schema.format == PROTOBUF else compatibility(before.schema, after.schema, mode)
    )
    found += removals(before, after, subject, today)
    found += sunsets(after, subject, today)
    return found


def unreadable(path: str, error: Exception) -> ContractFinding:
    """The finding for a schema file that cannot be read."""
    line = getattr(error, "line", 0)
    return finding(CONTRACT_UNREADABLE, path, line if isinstance(line, int) else 0, "", str(error))


def approval_findings(
    findings: Sequence[ContractFinding],
    shapes: Sequence[Shape],
    subject: Subject | None,
    today: date,
) -> list[ContractFinding]:
    """`approvals` for the breaking ones among ``findings`` (elements found in ``shapes``)."""
    breaking = [(f, element_of(f, *shapes)) for f in findings if f.breaking]
    return approvals(breaking, subject, today)


def blocking(
    findings: Sequence[ContractFinding], shapes: Sequence[Shape], subject: Subject | None
) -> list[ContractFinding]:
    """Breaking findings not covered by an approved change request."""
    return [f for f in findings if f.breaking and not approved(subject, element_of(f, *shapes))]
