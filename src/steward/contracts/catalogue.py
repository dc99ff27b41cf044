"""The contracts catalogue (``contracts.yaml``): who owns each subject, who approves its changes.

One entry per subject (a Schema Registry subject, or a topic's contract)::

    approval_sla: 5 business days          # default for every subject
    subjects:
      - subject: payments.captured-value
        topic: payments.captured
        schema: schemas/payments/payment_captured.avsc   # relative to the catalogue's folder
        owner: "@eventshop/payments"
        approvers: ["@eventshop/payments", "@eventshop/platform"]
        approval_sla: 72h                  # "72h", "3 days", "5 business days", "1 week"
        compatibility: BACKWARD            # Schema Registry mode (default BACKWARD)
        producers: [payment-service]
        consumers: [order-service]
        deprecations:
          - element: processor_reference   # a field ("Record.field" or the bare field name)
            announced: 2026-01-15
            sunset: 2027-03-31
            replacement: ""                # optional
        changes:                           # breaking changes asked for, and when
          - id: PAY-142
            requested: 2026-11-20
            elements: [amount]             # which changed elements it covers (none: all)
            description: "sub-cent amounts"
        approvals:
          - change: PAY-142
            by: "@eventshop/platform"
            at: 2026-11-21

The file is read with PyYAML's ``safe_load``; every validation error is an `InvalidCatalogue`
naming the file and the line. Parsing is pure: text in, `Catalogue` out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import yaml

FILENAME = "contracts.yaml"
DEFAULT_SLA = "5 business days"
MODES = (
    "NONE",
    "BACKWARD",
    "FORWARD",
    "FULL",
    "BACKWARD_TRANSITIVE",
    "FORWARD_TRANSITIVE",
    "FULL_TRANSITIVE",
)

Key = tuple[str | int, ...]


class InvalidCatalogue(ValueError):
    """A catalogue that cannot be used; ``path`` and ``line`` (1-based, 0: unknown) say where."""

    def __init__(self, message: str, *, path: str, line: int = 0) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.reason = message


@dataclass(frozen=True, slots=True)
class Sla:
    """An approval deadline: ``amount`` hours, calendar days or business days (Mon–Fri)."""

    text: str
    amount: int
    unit: str  # "hours" | "days" | "business days"

    def deadline(self, requested: date) -> date:
        """The last day an approval is due for a change requested on ``requested``."""
        if self.unit == "hours":
            return requested + timedelta(days=-(-self.amount // 24))
        if self.unit == "days":
            return requested + timedelta(days=self.amount)
        day, left = requested, self.amount
        while left > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day


_SLA = re.compile(
    r"^\s*(\d+)\s*(h|hours?|d|days?|w|weeks?|bd|business\s+days?|working\s+days?)\s*$", re.I
)


def parse_sla(text: str) -> Sla:
    """``"72h"``, ``"3 days"``, ``"5 business days"``, ``"1 week"`` → `Sla`; raises `ValueError`."""
    match = _SLA.match(text)
    if not match:
        raise ValueError(
            f"approval SLA {text!r} is not like '72h', '3 days', '1 week' or '5 business days'"
        )
    amount, unit = int(match.group(1)), match.group(2).lower()
    if unit.startswith("h"):
        return Sla(text, amount, "hours")
    if unit.startswith("w") and not unit.startswith("work"):
        return Sla(text, amount * 7, "days")
    if unit.startswith("d"):
        return Sla(text, amount, "days")
    return Sla(text, amount, "business days")


@dataclass(frozen=True, slots=True)
class PlannedDeprecation:
    """A deprecation as the catalogue records it: the element, when announced, when it goes."""

    element: str
    announced: date | None
    sunset: date | None
    replacement: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    """A breaking change asked for on ``requested``; ``elements`` empty means every element."""

    id: str
    requested: date
    elements: tuple[str, ...] = ()
    description: str = ""
    line: int = 0

    def covers(self, element: str) -> bool:
        """True when this request is about ``element`` (``Record.field`` or a bare name)."""
        return not self.elements or any(same_element(e, element) for e in self.elements)


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved which change request, and when."""

    change: str
    by: str
    at: date
    line: int = 0


@dataclass(frozen=True, slots=True)
class Subject:
    """One catalogue entry: a subject, its schema file, its owners and its lifecycle records."""

    name: str
    schema: str
    topic: str = ""
    owner: str = ""
    approvers: tuple[str, ...] = ()
    sla: Sla = field(default_factory=lambda: parse_sla(DEFAULT_SLA))
    compatibility: str = "BACKWARD"
    producers: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    deprecations: tuple[PlannedDeprecation, ...] = ()
    changes: tuple[ChangeRequest, ...] = ()
    approvals: tuple[Approval, ...] = ()
    line: int = 0

    @property
    def topics(self) -> tuple[str, ...]:
        """Names services use for this subject in ``produces``/``consumes``: topic and subject."""
        return tuple(dict.fromkeys(n for n in (self.topic, self.name) if n))

    def planned(self, element: str) -> PlannedDeprecation | None:
        """The recorded deprecation of ``element``, if any."""
        return next((d for d in self.deprecations if same_element(d.element, element)), None)

    def approvals_of(self, change: str) -> tuple[Approval, ...]:
        """Approvals of change request ``change`` by one of the approvers (anyone if none named)."""
        return tuple(
            a
            for a in self.approvals
            if a.change == change and (not self.approvers or a.by in self.approvers)
        )


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every subject of a catalogue file; ``path`` is the file, schema paths are relative to it."""

    path: str
    subjects: tuple[Subject, ...] = ()

    def for_schema(self, schema: str) -> Subject | None:
        """The subject whose schema is ``schema`` (a POSIX path relative to the catalogue)."""
        return next((s for s in self.subjects if s.schema == schema), None)


def same_element(declared: str, element: str) -> bool:
    """``processor_reference`` names ``PaymentCaptured.processor_reference``; full names match."""
    return declared == element or element.rsplit(".", 1)[-1] == declared


def parse(text: str, *, path: str = FILENAME) -> Catalogue:
    """Read a catalogue's text; raises `InvalidCatalogue` naming ``path`` and the line."""
    try:
        document = yaml.safe_load(text)
        lines = _lines(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InvalidCatalogue(
            f"not valid YAML: {getattr(error, 'problem', error)}",
            path=path,
            line=mark.line + 1 if mark else 0,
        ) from error
    return _Reader(path, lines).catalogue(document)


def _lines(node: yaml.Node | None, key: Key = ()) -> dict[Key, int]:
    """Every key path of a composed YAML document mapped to its 1-based line."""
    if node is None:
        return {}
    found = {key: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            found.update(_lines(value, (*key, str(name.value))))
            found[(*key, str(name.value))] = name.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.update(_lines(item, (*key, index)))
    return found


class _Reader:
    """Validates a loaded catalogue document, naming the line of each problem."""

    def __init__(self, path: str, lines: Mapping[Key, int]) -> None:
        self.path = path
        self.lines = lines

    def fail(self, message: str, key: Key) -> InvalidCatalogue:
        while key and key not in self.lines:
            key = key[:-1]
        return InvalidCatalogue(message, path=self.path, line=self.lines.get(key, 0))

    def table(self, value: Any, key: Key, known: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{_where(key)} must be a mapping", key)
        for name in value:
            if name not in known:
                raise self.fail(f"unknown key {name!r} (known: {', '.join(known)})", (*key, name))
        return value

    def text(
        self, table: Mapping[str, Any], name: str, key: Key, default: str | None = None
    ) -> str:
        value = table.get(name, default)
        if value is None:
            raise self.fail(f"{_where(key)}: {name!r} is required", key)
        if not isinstance(value, str) or (not value.strip() and default is None):
            raise self.fail(f"{name!r} must be a non-empty string", (*key, name))
        return value

    def names(self, table: Mapping[str, Any], name: str, key: Key) -> tuple[str, ...]:
        value = table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{name!r} must be a list of strings", (*key, name))
        return tuple(value)

    def day(self, table: Mapping[str, Any], name: str, key: Key, required: bool) -> date | None:
        value = table.get(name)
        if value is None and not required:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value).date()
            except ValueError:
                pass
        raise self.fail(f"{name!r} must be a date (YYYY-MM-DD), got {value!r}", (*key, name))

    def items(self, table: Mapping[str, Any], name: str, key: Key) -> list[tuple[Key, Any]]:
        value = table.get(name, [])
        if not isinstance(value, list):
            raise self.fail(f"{name!r} must be a list", (*key, name))
        return [((*key, name, i), item) for i, item in enumerate(value)]

    def catalogue(self, document: Any) -> Catalogue:
        if document is None:
            return Catalogue(self.path)
        top = self.table(document, (), ("version", "approval_sla", "subjects"))
        default_sla = self.sla(top.get("approval_sla", DEFAULT_SLA), ("approval_sla",))
        subjects = [
            self.subject(item, key, default_sla) for key, item in self.items(top, "subjects", ())
        ]
        seen: dict[str, Key] = {}
        for key, subject in zip(
            (k for k, _ in self.items(top, "subjects", ())), subjects, strict=True
        ):
            if subject.name in seen:
                raise self.fail(f"subject {subject.name!r} is listed twice", key)
            seen[subject.name] = key
        return Catalogue(self.path, tuple(subjects))

    def sla(self, value: Any, key: Key) -> Sla:
        try:
            return parse_sla(str(value))
        except ValueError as error:
            raise self.fail(str(error), key) from None

    def subject(self, value: Any, key: Key, default_sla: Sla) -> Subject:
        known = (
            "subject",
            "topic",
            "schema",
            "owner",
            "approvers",
            "approval_sla",
            "compatibility",
            "producers",
            "consumers",
            "deprecations",
            "changes",
            "approvals",
        )
        table = self.table(value, key, known)
        mode = self.text(table, "compatibility", key, "BACKWARD").upper()
        if mode not in MODES:
            raise self.fail(
                f"unknown compatibility {mode!r} (known: {', '.join(MODES)})",
                (*key, "compatibility"),
            )
        changes = tuple(self.change(v, k) for k, v in self.items(table, "changes", key))
        approvals = tuple(
            self.approval(v, k, changes) for k, v in self.items(table, "approvals", key)
        )
        return Subject(
            name=self.text(table, "subject", key),
            schema=self.text(table, "schema", key).strip("/"),
            topic=self.text(table, "topic", key, ""),
            owner=self.text(table, "owner", key, ""),
            approvers=self.names(table, "approvers", key),
            sla=self.sla(table["approval_sla"], (*key, "approval_sla"))
            if "approval_sla" in table
            else default_sla,
            compatibility=mode,
            producers=self.names(table, "producers", key),
            consumers=self.names(table, "consumers", key),
            deprecations=tuple(
                self.deprecation(v, k) for k, v in self.items(table, "deprecations", key)
            ),
            changes=changes,
            approvals=approvals,
            line=self.lines.get(key, 0),
        )

    def deprecation(self, value: Any, key: Key) -> PlannedDeprecation:
        table = self.table(value, key, ("element", "announced", "sunset", "replacement", "note"))
        announced = self.day(table, "announced", key, required=False)
        sunset = self.day(table, "sunset", key, required=False)
        if announced and sunset and sunset < announced:
            raise self.fail(
                f"sunset {sunset} is before the announcement {announced}", (*key, "sunset")
            )
        return PlannedDeprecation(
            element=self.text(table, "element", key),
            announced=announced,
            sunset=sunset,
            replacement=self.text(table, "replacement", key, ""),
            line=self.lines.get(key, 0),
        )

    def change(self, value: Any, key: Key) -> ChangeRequest:
        table = self.table(value, key, ("id", "requested", "elements", "description"))
        requested = self.day(table, "requested", key, required=True)
        assert requested is not None  # required=True never returns None
        return ChangeRequest(
            id=str(table.get("id", "")) or self.text(table, "id", key),
            requested=requested,
            elements=self.names(table, "elements", key),
            description=self.text(table, "description", key, ""),
            line=self.lines.get(key, 0),
        )

    def approval(self, value: Any, key: Key, changes: tuple[ChangeRequest, ...]) -> Approval:
        table = self.table(value, key, ("change", "by", "at"))
        change = str(table.get("change", "")) or self.text(table, "change", key)
        if change not in {c.id for c in changes}:
            raise self.fail(f"approval of unknown change {change!r}", (*key, "change"))
        at = self.day(table, "at", key, required=True)
        assert at is not None  # required=True never returns None
        return Approval(change, self.text(table, "by", key), at, self.lines.get(key, 0))


def _where(key: Key) -> str:
    return "/".join(str(k) for k in key) or "the document"
