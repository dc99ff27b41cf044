"""Two indexed sides → breaking-change findings, rule by rule, as ``buf breaking`` decides them.

Elements are paired the way buf pairs them: files by path, messages and enums by full name (and,
for the per-file deletion rules, by name nested in their file), fields by number, extension fields
by extendee and number, enum values by number, services by full name and RPCs by name. Every
finding points into the *current* side (the ``after`` schema): at the changed element when it is
still there, at its nearest surviving container when it was deleted (line 0 when that is the file
itself or, for a deleted file, the previous file).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, TypeVar

from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FieldDescriptor as FD

from steward.contracts.findings import ContractFinding
from steward.contracts.protobuf import index as ix
from steward.contracts.protobuf.index import Enum, Field, File, Message, Service, Side
from steward.contracts.protobuf.rules import RULES

Check = Callable[[Side, Side], Iterator[ContractFinding]]
CHECKS: dict[str, Check] = {}

_INT_LIKE = {FD.TYPE_INT32: 1, FD.TYPE_INT64: 1, FD.TYPE_UINT32: 1, FD.TYPE_UINT64: 1}
#: Which kinds read each other's binary encoding (protobuf's "Updating a message type" rules).
WIRE_GROUPS: dict[int, int] = {
    **_INT_LIKE,
    FD.TYPE_BOOL: 1,
    FD.TYPE_SINT32: 2,
    FD.TYPE_SINT64: 2,
    FD.TYPE_STRING: 3,
    FD.TYPE_BYTES: 4,
    FD.TYPE_FIXED32: 5,
    FD.TYPE_SFIXED32: 5,
    FD.TYPE_FIXED64: 6,
    FD.TYPE_SFIXED64: 6,
    FD.TYPE_DOUBLE: 7,
    FD.TYPE_FLOAT: 8,
    FD.TYPE_GROUP: 9,
    FD.TYPE_MESSAGE: 10,
    FD.TYPE_ENUM: 11,
}
#: Which kinds read each other's binary *and* JSON encodings.
WIRE_JSON_GROUPS: dict[int, int] = {
    FD.TYPE_INT32: 1,
    FD.TYPE_UINT32: 1,
    FD.TYPE_INT64: 2,
    FD.TYPE_UINT64: 2,
    FD.TYPE_FIXED32: 3,
    FD.TYPE_SFIXED32: 3,
    FD.TYPE_FIXED64: 4,
    FD.TYPE_SFIXED64: 4,
    FD.TYPE_BOOL: 5,
    FD.TYPE_SINT32: 6,
    FD.TYPE_SINT64: 7,
    FD.TYPE_STRING: 8,
    FD.TYPE_BYTES: 9,
    FD.TYPE_DOUBLE: 10,
    FD.TYPE_FLOAT: 11,
    FD.TYPE_GROUP: 12,
    FD.TYPE_MESSAGE: 13,
    FD.TYPE_ENUM: 14,
}
_CARDINALITY_WIRE = {"explicit": 1, "implicit": 1, "required": 2, "repeated": 3, "map": 3}
_CARDINALITY_WIRE_JSON = {"explicit": 1, "implicit": 1, "required": 2, "repeated": 3, "map": 4}
_NAMED_KINDS = (FD.TYPE_ENUM, FD.TYPE_GROUP, FD.TYPE_MESSAGE)
_INT64_KINDS = (FD.TYPE_INT64, FD.TYPE_SINT64, FD.TYPE_UINT64, FD.TYPE_FIXED64, FD.TYPE_SFIXED64)
_ALLOW = 1  # FeatureSet.JsonFormat.ALLOW
_MESSAGE_MAX, _ENUM_MAX = 536_870_911, 2_147_483_647
_T = TypeVar("_T")

_TYPE_NAMES: dict[int, str] = {
    int(number): name[5:].lower()
    for name, number in descriptor_pb2.FieldDescriptorProto.Type.items()
}
_UTF8_NAMES: dict[int, str] = {
    int(number): name for name, number in descriptor_pb2.FeatureSet.Utf8Validation.items()
}


def compare(before: Side, after: Side, rule_ids: Collection[str]) -> list[ContractFinding]:
    """Findings of the rules ``rule_ids`` (plus the informational ones) for ``before`` → ``after``."""
    found: list[ContractFinding] = []
    for rule_id, check in CHECKS.items():
        if rule_id in rule_ids or "INFO" in RULES[rule_id].categories:
            found += check(before, after)
    return sorted(set(found), key=lambda f: (f.path, f.line, f.rule, f.message))


def _rule(rule_id: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        CHECKS[rule_id] = check
        return check

    return register


def _finding(rule_id: str, path: str, line: int, location: str, message: str) -> ContractFinding:
    rule = RULES[rule_id]
    breaking = "INFO" not in rule.categories
    return ContractFinding(rule_id, path, line, location, message, breaking, rule.categories)


# ---------------------------------------------------------------- pairing


def _common(before: Mapping[Any, _T], after: Mapping[Any, _T]) -> Iterator[tuple[_T, _T]]:
    """The (before, after) pairs of elements present on both sides under the same key."""
    for key, previous in before.items():
        if key in after:
            yield previous, after[key]


def _file_pairs(before: Side, after: Side) -> Iterator[tuple[File, File]]:
    return _common(before.files, after.files)


def _message_pairs(before: Side, after: Side) -> Iterator[tuple[Message, Message]]:
    return _common(before.messages, after.messages)


def _enum_pairs(before: Side, after: Side) -> Iterator[tuple[Enum, Enum]]:
    return _common(before.enums, after.enums)


def _service_pairs(before: Side, after: Side) -> Iterator[tuple[Service, Service]]:
    return _common(before.services, after.services)


def _field_pairs(before: Side, after: Side) -> Iterator[tuple[Field, Field]]:
    for previous_message, message in _message_pairs(before, after):
        for number, previous in previous_message.fields.items():
            if number in message.fields:
                yield previous, message.fields[number]
    for extendee, previous_by_number in before.extensions.items():
        current = after.extensions.get(extendee, {})
        for number, previous in previous_by_number.items():
            if number in current:
                yield previous, current[number]


def _method_pairs(
    before: Side, after: Side
) -> Iterator[tuple[Service, descriptor_pb2.MethodDescriptorProto, int, Any]]:
    for previous_service, service in _service_pairs(before, after):
        current = service.methods()
        for name, (_, previous) in previous_service.methods().items():
            if name in current:
                index, method = current[name]
                yield service, previous, index, method


def _describe(field: Field) -> str:
    if field.is_extension:
        return f'extension "{field.proto.number}" ({field.full_name}) of {field.proto.extendee.lstrip(".")}'
    return f'field "{field.proto.number}" ({field.proto.name}) of message {field.parent}'


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _field_finding(rule_id: str, field: Field, line: int, message: str) -> ContractFinding:
    return _finding(rule_id, field.file.name, line, field.full_name, message)


# ---------------------------------------------------------------- deletions per file


def _nested(full_name: str, package: str) -> str:
    return full_name[len(package) + 1 :] if package else full_name


def _container_line(side: Side, file: File, nested_name: str) -> tuple[int, str]:
    """The nearest message of ``file`` still enclosing ``nested_name``: its line and name."""
    parts = nested_name.split(".")
    prefix = f"{file.package}." if file.package else ""
    for end in range(len(parts) - 1, 0, -1):
        message = side.messages.get(prefix + ".".join(parts[:end]))
        if message is not None and message.file is file:
            return message.line(), prefix + ".".join(parts[:end])
    return 0, ""


def _deleted_in_file(
    rule_id: str, kind: str, before: Side, after: Side, names: Callable[[Side, File], set[str]]
) -> Iterator[ContractFinding]:
    for previous, current in _file_pairs(before, after):
        kept = names(after, current)
        for name in sorted(names(before, previous) - kept):
            line, location = _container_line(after, current, name)
            message = f"{kind} {name} was deleted from {current.name}."
            yield _finding(rule_id, current.name, line, location, message)


def _message_names(side: Side, file: File) -> set[str]:
    return {m.nested_name for m in side.in_file(file)[0]}


def _enum_names(side: Side, file: File) -> set[str]:
    return {e.nested_name for e in side.in_file(file)[1]}


def _extension_names(side: Side, file: File) -> set[str]:
    return {_nested(f.full_name, file.package) for f in side.in_file(file)[2]}


@_rule("MESSAGE_NO_DELETE")
def _message_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _deleted_in_file("MESSAGE_NO_DELETE", "Message", before, after, _message_names)


@_rule("ENUM_NO_DELETE")
def _enum_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _deleted_in_file("ENUM_NO_DELETE", "Enum", before, after, _enum_names)


@_rule("EXTENSION_NO_DELETE")
def _extension_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _deleted_in_file("EXTENSION_NO_DELETE", "Extension", before, after, _extension_names)


@_rule("SERVICE_NO_DELETE")
def _service_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _file_pairs(before, after):
        kept = {s.proto.name for s in after.services.values() if s.file is current}
        for service in before.services.values():
            if service.file is previous and service.proto.name not in kept:
                message = f"Service {service.full_name} was deleted from {current.name}."
                yield _finding("SERVICE_NO_DELETE", current.name, 0, service.full_name, message)


@_rule("FILE_NO_DELETE")
def _file_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    for name in sorted(set(before.files) - set(after.files)):
        yield _finding("FILE_NO_DELETE", name, 0, "", f"File {name} was deleted.")


# ---------------------------------------------------------------- deletions per package


def _by_package(side: Side, kind: str) -> dict[str, dict[str, File]]:
    found: dict[str, dict[str, File]] = {}
    for file in side.files.values():
        messages, enums, extensions = side.in_file(file)
        names = {
            "message": [m.nested_name for m in messages],
            "enum": [e.nested_name for e in enums],
            "extension": [_nested(f.full_name, file.package) for f in extensions],
            "service": [s.proto.name for s in side.services.values() if s.file is file],
        }[kind]
        bucket = found.setdefault(file.package, {})
        bucket.update(dict.fromkeys(names, file))
    return found


def _deleted_in_package(
    rule_id: str, kind: str, before: Side, after: Side
) -> Iterator[ContractFinding]:
    current = _by_package(after, kind)
    for package, previous_names in _by_package(before, kind).items():
        if package not in current:
            continue
        for name, previous_file in sorted(previous_names.items()):
            if name in current[package]:
                continue
            file = after.files.get(previous_file.name)
            where = (file.name, *_container_line(after, file, name)) if file else None
            path, line, location = where or (previous_file.name, 0, "")
            message = f"{kind.capitalize()} {name} was deleted from package {package or '(none)'}."
            yield _finding(rule_id, path, line if kind != "service" else 0, location, message)


@_rule("PACKAGE_MESSAGE_NO_DELETE")
def _package_message_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _deleted_in_package("PACKAGE_MESSAGE_NO_DELETE", "message", before, after)


@_rule("PACKAGE_ENUM_NO_DELETE")
def _package_enum_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _deleted_in_package("PACKAGE_ENUM_NO_DELETE", "enum", before, after)


@_rule("PACKAGE_EXTENSION_NO_DELETE")
def _package_extension_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _deleted_in_package("PACKAGE_EXTENSION_NO_DELETE", "extension", before, after)


@_rule("PACKAGE_SERVICE_NO_DELETE")
def _package_service_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _deleted_in_package("PACKAGE_SERVICE_NO_DELETE", "service", before, after)


@_rule("PACKAGE_NO_DELETE")
def _package_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    kept = {file.package for file in after.files.values()}
    previous: dict[str, list[str]] = {}
    for file in before.files.values():
        previous.setdefault(file.package, []).append(file.name)
    for package, names in sorted(previous.items()):
        if package not in kept:
            message = f"Package {package or '(none)'} was deleted."
            yield _finding("PACKAGE_NO_DELETE", sorted(names)[0], 0, package, message)


# ---------------------------------------------------------------- files


def _file_value(file: File, option: str) -> str:
    options = file.proto.options
    value = getattr(options, option)
    if option == "optimize_for":
        return str(descriptor_pb2.FileOptions.OptimizeMode.Name(value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _file_option_rule(rule_id: str, option: str) -> None:
    number = descriptor_pb2.FileOptions.DESCRIPTOR.fields_by_name[option].number

    def check(before: Side, after: Side) -> Iterator[ContractFinding]:
        for previous, current in _file_pairs(before, after):
            old, new = _file_value(previous, option), _file_value(current, option)
            if old != new:
                line = current.line((ix.FILE_OPTIONS, number))
                message = f'File option "{option}" changed from "{old}" to "{new}".'
                yield _finding(rule_id, current.name, line, "", message)

    CHECKS[rule_id] = check


for _option in (
    "cc_enable_arenas",
    "cc_generic_services",
    "csharp_namespace",
    "go_package",
    "java_generic_services",
    "java_multiple_files",
    "java_outer_classname",
    "java_package",
    "objc_class_prefix",
    "optimize_for",
    "php_class_prefix",
    "php_metadata_namespace",
    "php_namespace",
    "py_generic_services",
    "ruby_package",
    "swift_prefix",
):
    _file_option_rule(f"FILE_SAME_{_option.upper()}", _option)


@_rule("FILE_SAME_SYNTAX")
def _file_same_syntax(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _file_pairs(before, after):
        old, new = previous.proto.syntax or "proto2", current.proto.syntax or "proto2"
        if old != new:
            line = current.line((ix.FILE_SYNTAX,), (ix.FILE_EDITION,))
            message = f'File syntax changed from "{old}" to "{new}".'
            yield _finding("FILE_SAME_SYNTAX", current.name, line, "", message)


@_rule("FILE_SAME_PACKAGE")
def _file_same_package(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _file_pairs(before, after):
        if previous.package != current.package:
            line = current.line((ix.FILE_PACKAGE,))
            message = f'File package changed from "{previous.package}" to "{current.package}".'
            yield _finding("FILE_SAME_PACKAGE", current.name, line, current.package, message)


# ---------------------------------------------------------------- messages


def _is_synthetic(message: Message, oneof_index: int) -> bool:
    members = [
        f for f in message.proto.field if f.HasField("oneof_index") and f.oneof_index == oneof_index
    ]
    return bool(members) and all(f.proto3_optional for f in members)


def _oneofs(message: Message) -> set[str]:
    return {
        oneof.name
        for i, oneof in enumerate(message.proto.oneof_decl)
        if not _is_synthetic(message, i)
    }


@_rule("ONEOF_NO_DELETE")
def _oneof_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _message_pairs(before, after):
        for name in sorted(_oneofs(previous) - {o.name for o in current.proto.oneof_decl}):
            message = f'Oneof "{name}" was deleted from message {current.name}.'
            yield _finding(
                "ONEOF_NO_DELETE",
                current.file.name,
                current.line(),
                current.resolved.full_name,
                message,
            )


@_rule("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR")
def _no_standard_descriptor_accessor(before: Side, after: Side) -> Iterator[ContractFinding]:
    rule_id = "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR"
    for previous, current in _message_pairs(before, after):
        if not previous.proto.options.no_standard_descriptor_accessor and (
            current.proto.options.no_standard_descriptor_accessor
        ):
            line = current.file.line((*current.path, ix.MESSAGE_OPTIONS, 2), current.path)
            message = f'Message {current.name} turned "no_standard_descriptor_accessor" on.'
            yield _finding(rule_id, current.file.name, line, current.resolved.full_name, message)


def _json_format(element: Any) -> int:
    return _json_format_or(element, "json_format")


def _json_format_or(element: Any, feature: str) -> int:
    """The resolved editions ``feature`` of a runtime descriptor (syntax defaults applied)."""
    features: Any = element._GetFeatures()
    return int(getattr(features, feature))


@_rule("MESSAGE_SAME_JSON_FORMAT")
def _message_same_json_format(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _message_pairs(before, after):
        if previous.is_map_entry or current.is_map_entry:
            continue
        if _json_format(previous.resolved) == _ALLOW != _json_format(current.resolved):
            message = f"Message {current.name} no longer supports JSON."
            yield _finding(
                "MESSAGE_SAME_JSON_FORMAT",
                current.file.name,
                current.line(),
                current.resolved.full_name,
                message,
            )


@_rule("MESSAGE_SAME_REQUIRED_FIELDS")
def _message_same_required_fields(before: Side, after: Side) -> Iterator[ContractFinding]:
    rule_id = "MESSAGE_SAME_REQUIRED_FIELDS"
    for previous, current in _message_pairs(before, after):
        old = {n for n, f in previous.fields.items() if f.resolved.is_required}
        new = {n for n, f in current.fields.items() if f.resolved.is_required}
        where = current.file.name
        for number in sorted(old - new):
            message = f'Message {current.name} lost required field "{number}".'
            yield _finding(rule_id, where, current.line(), current.resolved.full_name, message)
        for number in sorted(new - old):
            field = current.fields[number]
            message = f'Message {current.name} gained required field "{number}".'
            yield _field_finding(rule_id, field, field.line(), message)


def _ranges(ranges: Any, exclusive_end: bool) -> list[tuple[int, int]]:
    return [(r.start, r.end - 1 if exclusive_end else r.end) for r in ranges]


def _missing(
    previous: list[tuple[int, int]], current: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Each previous range that ``current`` (collapsed) does not cover entirely."""
    merged: list[list[int]] = []
    for start, end in sorted(current):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [
        (start, end)
        for start, end in previous
        if not any(lo <= start and end <= hi for lo, hi in merged)
    ]


def _range_text(start: int, end: int, top: int) -> str:
    return f"{start}" if start == end else f"{start} to {'max' if end >= top else end}"


@_rule("RESERVED_MESSAGE_NO_DELETE")
def _reserved_message_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _message_pairs(before, after):
        old = _ranges(previous.proto.reserved_range, exclusive_end=True)
        new = _ranges(current.proto.reserved_range, exclusive_end=True)
        yield from _reserved(
            "RESERVED_MESSAGE_NO_DELETE",
            f"message {current.name}",
            current,
            _missing(old, new),
            set(previous.proto.reserved_name) - set(current.proto.reserved_name),
            _MESSAGE_MAX,
        )


@_rule("RESERVED_ENUM_NO_DELETE")
def _reserved_enum_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _enum_pairs(before, after):
        old = _ranges(previous.proto.reserved_range, exclusive_end=False)
        new = _ranges(current.proto.reserved_range, exclusive_end=False)
        yield from _reserved(
            "RESERVED_ENUM_NO_DELETE",
            f"enum {current.name}",
            current,
            _missing(old, new),
            set(previous.proto.reserved_name) - set(current.proto.reserved_name),
            _ENUM_MAX,
        )


def _reserved(
    rule_id: str,
    what: str,
    current: Message | Enum,
    ranges: list[tuple[int, int]],
    names: set[str],
    top: int,
) -> Iterator[ContractFinding]:
    where, line, location = current.file.name, current.line(), current.resolved.full_name
    for start, end in ranges:
        message = f"Reserved range {_range_text(start, end, top)} of {what} is no longer reserved entirely."
        yield _finding(rule_id, where, line, location, message)
    for name in sorted(names):
        yield _finding(
            rule_id, where, line, location, f'Reserved name "{name}" of {what} was deleted.'
        )


@_rule("EXTENSION_MESSAGE_NO_DELETE")
def _extension_message_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _message_pairs(before, after):
        old = _ranges(previous.proto.extension_range, exclusive_end=True)
        new = _ranges(current.proto.extension_range, exclusive_end=True)
        for start, end in _missing(old, new):
            message = f"Extension range {_range_text(start, end, _MESSAGE_MAX)} of message {current.name} is no longer covered entirely."
            yield _finding(
                "EXTENSION_MESSAGE_NO_DELETE",
                current.file.name,
                current.line(),
                current.resolved.full_name,
                message,
            )


# ---------------------------------------------------------------- field deletion


def _reserved_number(message: Message, number: int) -> bool:
    return any(r.start <= number < r.end for r in message.proto.reserved_range)


def _field_deletions(
    rule_id: str, before: Side, after: Side, allowed: Callable[[Message, Field], bool], suffix: str
) -> Iterator[ContractFinding]:
    for previous, current in _message_pairs(before, after):
        for number in sorted(set(previous.fields) - set(current.fields)):
            field = previous.fields[number]
            if allowed(current, field):
                continue
            message = f"{_upper(_describe(field))} was deleted{suffix.format(name=field.proto.name, number=number)}."
            yield _finding(
                rule_id, current.file.name, current.line(), current.resolved.full_name, message
            )


@_rule("FIELD_NO_DELETE")
def _field_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _field_deletions("FIELD_NO_DELETE", before, after, lambda m, f: False, "")


@_rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED")
def _field_no_delete_unless_number(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _field_deletions(
        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        before,
        after,
        lambda m, f: _reserved_number(m, f.proto.number),
        ' without reserving the number "{number}"',
    )


@_rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED")
def _field_no_delete_unless_name(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _field_deletions(
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
        before,
        after,
        lambda m, f: f.proto.name in m.proto.reserved_name,
        ' without reserving the name "{name}"',
    )


@_rule("FIELD_DELETED_RESERVED")
def _field_deleted_reserved(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _message_pairs(before, after):
        for number in sorted(set(previous.fields) - set(current.fields)):
            field = previous.fields[number]
            if (
                _reserved_number(current, number)
                and field.proto.name in current.proto.reserved_name
            ):
                message = (
                    f"{_upper(_describe(field))} was deleted with its number and name reserved."
                )
                yield _finding(
                    "FIELD_DELETED_RESERVED",
                    current.file.name,
                    current.line(),
                    field.full_name,
                    message,
                )


# ---------------------------------------------------------------- field pairs


def _cardinality(field: Field) -> str:
    resolved = field.resolved
    if resolved.is_repeated:
        entry = resolved.message_type
        return "map" if entry is not None and entry.GetOptions().map_entry else "repeated"
    if resolved.is_required:
        return "required"
    return "explicit" if resolved.has_presence else "implicit"


def _in_map_entries(previous: Field, current: Field) -> bool:
    def entry(field: Field) -> bool:
        parent = field.resolved.containing_type
        return parent is not None and not field.is_extension and parent.GetOptions().map_entry

    return entry(previous) and entry(current)


def _cardinality_rule(rule_id: str, groups: dict[str, int] | None) -> None:
    def check(before: Side, after: Side) -> Iterator[ContractFinding]:
        for previous, current in _field_pairs(before, after):
            if _in_map_entries(previous, current):
                continue
            old, new = _cardinality(previous), _cardinality(current)
            differs = old != new if groups is None else groups[old] != groups[new]
            if differs:
                message = (
                    f'{_upper(_describe(current))} changed cardinality from "{old}" to "{new}".'
                )
                yield _field_finding(rule_id, current, current.line(ix.FIELD_LABEL), message)

    CHECKS[rule_id] = check


_cardinality_rule("FIELD_SAME_CARDINALITY", None)
_cardinality_rule("FIELD_WIRE_COMPATIBLE_CARDINALITY", _CARDINALITY_WIRE)
_cardinality_rule("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", _CARDINALITY_WIRE_JSON)


def _type_text(field: Field) -> str:
    kind = field.resolved.type
    if kind in _NAMED_KINDS:
        return field.proto.type_name.lstrip(".")
    return _TYPE_NAMES.get(kind, str(kind))


def _type_line(field: Field) -> int:
    if field.resolved.type in _NAMED_KINDS:
        return field.line(ix.FIELD_TYPE_NAME, ix.FIELD_TYPE)
    return field.line(ix.FIELD_TYPE, ix.FIELD_TYPE_NAME)


def _type_changed(rule_id: str, previous: Field, current: Field, note: str = "") -> ContractFinding:
    message = f'{_upper(_describe(current))} changed type from "{_type_text(previous)}" to "{_type_text(current)}".{note}'
    return _field_finding(rule_id, current, _type_line(current), message)


@_rule("FIELD_SAME_TYPE")
def _field_same_type(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _field_pairs(before, after):
        kind = current.resolved.type
        if previous.resolved.type != kind or (
            kind in _NAMED_KINDS and previous.proto.type_name != current.proto.type_name
        ):
            yield _type_changed("FIELD_SAME_TYPE", previous, current)


def _enum_compatible(before: Side, after: Side, previous: Field, current: Field) -> bool:
    old, new = (
        before.enum_named(previous.proto.type_name),
        after.enum_named(current.proto.type_name),
    )
    if old is None or new is None or old.name != new.name:
        return False
    new_values = {(v.name, v.number) for v in new.values}
    return all((v.name, v.number) in new_values for v in old.values)


def _compatible_type_rule(rule_id: str, groups: dict[int, int], json: bool) -> None:
    def check(before: Side, after: Side) -> Iterator[ContractFinding]:
        for previous, current in _field_pairs(before, after):
            old, new = previous.resolved.type, current.resolved.type
            if groups[old] != groups[new]:
                if not json and (old, new) == (FD.TYPE_STRING, FD.TYPE_BYTES):
                    continue
                yield _type_changed(rule_id, previous, current)
            elif previous.proto.type_name != current.proto.type_name:
                if new == FD.TYPE_ENUM and _enum_compatible(before, after, previous, current):
                    continue
                if new in _NAMED_KINDS:
                    yield _type_changed(rule_id, previous, current)

    CHECKS[rule_id] = check


_compatible_type_rule("FIELD_WIRE_COMPATIBLE_TYPE", WIRE_GROUPS, json=False)
_compatible_type_rule("FIELD_WIRE_JSON_COMPATIBLE_TYPE", WIRE_JSON_GROUPS, json=True)


@_rule("FIELD_SAME_NAME")
def _field_same_name(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _field_pairs(before, after):
        attribute = "full_name" if previous.is_extension else "name"
        old, new = getattr(previous.resolved, attribute), getattr(current.resolved, attribute)
        if old != new:
            message = f'{_upper(_describe(current))} changed name from "{old}" to "{new}".'
            yield _field_finding("FIELD_SAME_NAME", current, current.line(ix.FIELD_NAME), message)


@_rule("FIELD_SAME_JSON_NAME")
def _field_same_json_name(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _field_pairs(before, after):
        if previous.is_extension:
            continue
        old, new = previous.resolved.json_name, current.resolved.json_name
        if old != new:
            message = f'{_upper(_describe(current))} changed JSON name from "{old}" to "{new}".'
            yield _field_finding(
                "FIELD_SAME_JSON_NAME", current, current.line(ix.FIELD_JSON_NAME), message
            )


def _oneof_of(field: Field) -> str | None:
    oneof = field.resolved.containing_oneof
    if oneof is None or field.proto.proto3_optional:
        return None
    return str(oneof.name)


@_rule("FIELD_SAME_ONEOF")
def _field_same_oneof(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _field_pairs(before, after):
        if previous.is_extension:
            continue
        old, new = _oneof_of(previous), _oneof_of(current)
        if old == new:
            continue
        if old and new:
            change = f'moved from oneof "{old}" to oneof "{new}"'
        else:
            change = "moved into a oneof" if new else "moved out of a oneof"
        message = f"{_upper(_describe(current))} {change}."
        yield _field_finding("FIELD_SAME_ONEOF", current, current.line(), message)


def _default(field: Field) -> tuple[bool, Any]:
    return field.proto.HasField("default_value"), field.resolved.default_value


@_rule("FIELD_SAME_DEFAULT")
def _field_same_default(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _field_pairs(before, after):
        if any(
            f.resolved.is_repeated or f.resolved.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP)
            for f in (previous, current)
        ):
            continue
        (old_set, old), (new_set, new) = _default(previous), _default(current)
        if not old_set and not new_set:
            continue
        if old != new or type(old) is bool is not type(new):
            message = f'{_upper(_describe(current))} changed default value from "{old}" to "{new}".'
            yield _field_finding(
                "FIELD_SAME_DEFAULT", current, current.line(ix.FIELD_DEFAULT), message
            )


@_rule("FIELD_SAME_JSTYPE")
def _field_same_jstype(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _field_pairs(before, after):
        if previous.proto.type not in _INT64_KINDS or current.proto.type not in _INT64_KINDS:
            continue
        old, new = previous.proto.options.jstype, current.proto.options.jstype
        if old != new:
            name = descriptor_pb2.FieldOptions.JSType.Name
            message = f'{_upper(_describe(current))} changed option "jstype" from "{name(old)}" to "{name(new)}".'
            yield _field_finding(
                "FIELD_SAME_JSTYPE", current, current.line(ix.FIELD_OPTIONS), message
            )


def _cpp_string_type(field: Field) -> str:
    options = field.proto.options
    if options.HasField("ctype"):
        return str(descriptor_pb2.FieldOptions.CType.Name(options.ctype))
    return "STRING"


@_rule("FIELD_SAME_CPP_STRING_TYPE")
def _field_same_cpp_string_type(before: Side, after: Side) -> Iterator[ContractFinding]:
    strings = (FD.TYPE_STRING, FD.TYPE_BYTES)
    for previous, current in _field_pairs(before, after):
        if _in_map_entries(previous, current):
            continue
        if previous.resolved.type not in strings or current.resolved.type not in strings:
            continue
        old, new = _cpp_string_type(previous), _cpp_string_type(current)
        if old != new and (old, new) != ("STRING_PIECE", "STRING"):
            message = (
                f'{_upper(_describe(current))} changed C++ string type from "{old}" to "{new}".'
            )
            yield _field_finding(
                "FIELD_SAME_CPP_STRING_TYPE", current, current.line(ix.FIELD_OPTIONS), message
            )


def _utf8(field: Field) -> int:
    return _json_format_or(field.resolved, "utf8_validation")


def _java_utf8(field: Field) -> int:
    options = field.file.proto.options
    if options.java_string_check_utf8:
        return 2  # FeatureSet.Utf8Validation.VERIFY
    return _utf8(field)


def _utf8_rule(rule_id: str, read: Callable[[Field], int], what: str) -> None:
    def check(before: Side, after: Side) -> Iterator[ContractFinding]:
        for previous, current in _field_pairs(before, after):
            if previous.resolved.type != FD.TYPE_STRING or current.resolved.type != FD.TYPE_STRING:
                continue
            old, new = read(previous), read(current)
            if old != new:
                name = _UTF8_NAMES.get
                message = (
                    f"{_upper(_describe(current))} changed {what} from {name(old)} to {name(new)}."
                )
                yield _field_finding(rule_id, current, current.line(ix.FIELD_OPTIONS), message)

    CHECKS[rule_id] = check


_utf8_rule("FIELD_SAME_UTF8_VALIDATION", _utf8, "UTF-8 validation")
_utf8_rule("FIELD_SAME_JAVA_UTF8_VALIDATION", _java_utf8, "Java UTF-8 validation")


# ---------------------------------------------------------------- enums


@_rule("ENUM_SAME_TYPE")
def _enum_same_type(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _enum_pairs(before, after):
        if previous.resolved.is_closed != current.resolved.is_closed:
            change = "open to closed" if current.resolved.is_closed else "closed to open"
            message = f"Enum {current.name} changed from {change}."
            yield _finding(
                "ENUM_SAME_TYPE",
                current.file.name,
                current.line(),
                current.resolved.full_name,
                message,
            )


@_rule("ENUM_SAME_JSON_FORMAT")
def _enum_same_json_format(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _enum_pairs(before, after):
        if _json_format(previous.resolved) == _ALLOW != _json_format(current.resolved):
            message = f"Enum {current.name} no longer supports JSON."
            yield _finding(
                "ENUM_SAME_JSON_FORMAT",
                current.file.name,
                current.line(),
                current.resolved.full_name,
                message,
            )


def _enum_reserved_number(enum: Enum, number: int) -> bool:
    return any(r.start <= number <= r.end for r in enum.proto.reserved_range)


def _value_deletions(
    rule_id: str,
    before: Side,
    after: Side,
    allowed: Callable[[Enum, int, set[str]], bool],
    suffix: str,
) -> Iterator[ContractFinding]:
    for previous, current in _enum_pairs(before, after):
        kept = current.values()
        for number, names in sorted(previous.values().items()):
            if number in kept or allowed(current, number, set(names)):
                continue
            quoted = ", ".join(f'"{n}"' for n in sorted(names))
            message = f'Enum value "{number}" of enum {current.name} was deleted{suffix.format(number=number, names=quoted)}.'
            yield _finding(
                rule_id, current.file.name, current.line(), current.resolved.full_name, message
            )


@_rule("ENUM_VALUE_NO_DELETE")
def _enum_value_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _value_deletions("ENUM_VALUE_NO_DELETE", before, after, lambda e, n, s: False, "")


@_rule("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED")
def _enum_value_no_delete_unless_number(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _value_deletions(
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        before,
        after,
        lambda e, n, s: _enum_reserved_number(e, n),
        ' without reserving the number "{number}"',
    )


@_rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED")
def _enum_value_no_delete_unless_name(before: Side, after: Side) -> Iterator[ContractFinding]:
    yield from _value_deletions(
        "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
        before,
        after,
        lambda e, n, s: s <= set(e.proto.reserved_name),
        " without reserving the names {names}",
    )


@_rule("ENUM_VALUE_DELETED_RESERVED")
def _enum_value_deleted_reserved(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _enum_pairs(before, after):
        kept = current.values()
        for number, names in sorted(previous.values().items()):
            if (
                number not in kept
                and _enum_reserved_number(current, number)
                and set(names) <= set(current.proto.reserved_name)
            ):
                message = f'Enum value "{number}" of enum {current.name} was deleted with its number and name reserved.'
                yield _finding(
                    "ENUM_VALUE_DELETED_RESERVED",
                    current.file.name,
                    current.line(),
                    current.resolved.full_name,
                    message,
                )


@_rule("ENUM_VALUE_SAME_NAME")
def _enum_value_same_name(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _enum_pairs(before, after):
        old_values = previous.values()
        for number, names in sorted(current.values().items()):
            old = old_values.get(number)
            if old is None or set(names) <= set(old):
                continue
            for name, index in sorted(names.items()):
                line = current.file.line((*current.path, ix.ENUM_VALUE, index, ix.VALUE_NUMBER))
                message = f'Enum value "{number}" of enum {current.name} changed name from {sorted(old)} to {sorted(names)}.'
                yield _finding(
                    "ENUM_VALUE_SAME_NAME",
                    current.file.name,
                    line,
                    f"{current.resolved.full_name}.{name}",
                    message,
                )


# ---------------------------------------------------------------- services


@_rule("RPC_NO_DELETE")
def _rpc_no_delete(before: Side, after: Side) -> Iterator[ContractFinding]:
    for previous, current in _service_pairs(before, after):
        line = current.file.line(current.path)
        for name in sorted(set(previous.methods()) - set(current.methods())):
            message = f'RPC "{name}" was deleted from service {current.proto.name}.'
            yield _finding("RPC_NO_DELETE", current.file.name, line, current.full_name, message)


def _method_rule(rule_id: str, attribute: str, subfield: int, what: str) -> None:
    def check(before: Side, after: Side) -> Iterator[ContractFinding]:
        for service, previous, index, current in _method_pairs(before, after):
            old, new = _method_value(previous, attribute), _method_value(current, attribute)
            if old != new:
                path = (*service.path, ix.SERVICE_METHOD, index)
                line = service.file.line((*path, subfield), path)
                message = f'RPC "{current.name}" of service {service.proto.name} changed {what} from "{old}" to "{new}".'
                yield _finding(
                    rule_id, service.file.name, line, f"{service.full_name}.{current.name}", message
                )

    CHECKS[rule_id] = check


def _method_value(method: descriptor_pb2.MethodDescriptorProto, attribute: str) -> str:
    if attribute == "idempotency_level":
        level = method.options.idempotency_level
        return str(descriptor_pb2.MethodOptions.IdempotencyLevel.Name(level))
    value = getattr(method, attribute)
    return str(value).lower() if isinstance(value, bool) else str(value).lstrip(".")


_method_rule("RPC_SAME_CLIENT_STREAMING", "client_streaming", 5, "client streaming")
_method_rule("RPC_SAME_SERVER_STREAMING", "server_streaming", 6, "server streaming")
_method_rule("RPC_SAME_REQUEST_TYPE", "input_type", ix.METHOD_INPUT, "request type")
_method_rule("RPC_SAME_RESPONSE_TYPE", "output_type", ix.METHOD_OUTPUT, "response type")
_method_rule(
    "RPC_SAME_IDEMPOTENCY_LEVEL",
    "idempotency_level",
    ix.METHOD_OPTIONS,
    'option "idempotency_level"',
)
