"""Compiled descriptors → an index of one side of a comparison: every element by name, with lines.

The index walks the ``FileDescriptorProto`` of each target file (the files of the import root,
not what they import) and records every message, field, enum, enum value, oneof, service, RPC and
extension with its *source path* (the descriptor field numbers and indexes protoc uses in
``SourceCodeInfo``), so that any finding can be placed on its line. Semantics that depend on the
syntax or edition (field presence, open or closed enums, delimited encoding, JSON format, UTF-8
validation) are read from a ``DescriptorPool`` built from the same files, which resolves editions
features exactly as the runtime does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from google.protobuf import descriptor, descriptor_pb2, descriptor_pool

SourcePath = tuple[int, ...]

# Field numbers of descriptor.proto, as they appear in source paths.
FILE_PACKAGE, FILE_MESSAGE, FILE_ENUM, FILE_SERVICE, FILE_EXTENSION = 2, 4, 5, 6, 7
FILE_OPTIONS, FILE_SYNTAX, FILE_EDITION = 8, 12, 14
MESSAGE_FIELD, MESSAGE_NESTED, MESSAGE_ENUM, MESSAGE_EXTENSION_RANGE = 2, 3, 4, 5
MESSAGE_EXTENSION, MESSAGE_OPTIONS, MESSAGE_ONEOF = 6, 7, 8
FIELD_NAME, FIELD_NUMBER, FIELD_LABEL, FIELD_TYPE, FIELD_TYPE_NAME = 1, 3, 4, 5, 6
FIELD_DEFAULT, FIELD_OPTIONS, FIELD_JSON_NAME = 7, 8, 10
ENUM_VALUE, ENUM_OPTIONS = 2, 3
VALUE_NUMBER = 2
SERVICE_METHOD = 2
METHOD_INPUT, METHOD_OUTPUT, METHOD_OPTIONS = 2, 3, 4


@dataclass(frozen=True, slots=True)
class File:
    """A target file: its descriptor, and the 1-based start line of every source path in it."""

    name: str
    proto: descriptor_pb2.FileDescriptorProto
    lines: dict[SourcePath, int]

    def line(self, *paths: SourcePath) -> int:
        """The line of the first of ``paths`` the file has a location for (0: none of them)."""
        for path in paths:
            found = self.lines.get(path)
            if found is not None:
                return found
        return 0

    @property
    def package(self) -> str:
        """The file's package (``""``: none)."""
        return self.proto.package


@dataclass(frozen=True, slots=True)
class Field:
    """A field or an extension, with its resolved descriptor."""

    proto: descriptor_pb2.FieldDescriptorProto
    resolved: descriptor.FieldDescriptor
    file: File
    path: SourcePath
    parent: str  # the containing message's short name ("" for a top-level extension)

    @property
    def full_name(self) -> str:
        """The fully qualified name (without a leading dot)."""
        return str(self.resolved.full_name)

    @property
    def is_extension(self) -> bool:
        """True for an extension (``extend`` block) rather than a message field."""
        return bool(self.proto.extendee)

    def line(self, *subfields: int) -> int:
        """The line of the first of ``subfields`` that is written, else of the field itself."""
        return self.file.line(*((*self.path, s) for s in subfields), self.path)


@dataclass(frozen=True, slots=True)
class Message:
    """A message, with its fields by number and its oneofs by name."""

    proto: descriptor_pb2.DescriptorProto
    resolved: descriptor.Descriptor
    file: File
    path: SourcePath
    nested_name: str
    fields: dict[int, Field] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The short name."""
        return self.proto.name

    @property
    def is_map_entry(self) -> bool:
        """True for the synthetic entry message of a ``map<K, V>`` field."""
        return self.proto.options.map_entry

    def line(self) -> int:
        """The line the message is declared on."""
        return self.file.line(self.path)


@dataclass(frozen=True, slots=True)
class Enum:
    """An enum, with its value names by number."""

    proto: descriptor_pb2.EnumDescriptorProto
    resolved: descriptor.EnumDescriptor
    file: File
    path: SourcePath
    nested_name: str

    @property
    def name(self) -> str:
        """The short name."""
        return self.proto.name

    def values(self) -> dict[int, dict[str, int]]:
        """Value names by number (aliases share a number), each with its index."""
        found: dict[int, dict[str, int]] = {}
        for index, value in enumerate(self.proto.value):
            found.setdefault(value.number, {})[value.name] = index
        return found

    def line(self) -> int:
        """The line the enum is declared on."""
        return self.file.line(self.path)


@dataclass(frozen=True, slots=True)
class Service:
    """A service, with its RPCs by name (each with its index)."""

    proto: descriptor_pb2.ServiceDescriptorProto
    file: File
    path: SourcePath
    full_name: str

    def methods(self) -> dict[str, tuple[int, descriptor_pb2.MethodDescriptorProto]]:
        """RPCs by name."""
        return {m.name: (i, m) for i, m in enumerate(self.proto.method)}


@dataclass(slots=True)
class Side:
    """Everything declared in the target files of one side of a comparison."""

    files: dict[str, File] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    enums: dict[str, Enum] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    extensions: dict[str, dict[int, Field]] = field(default_factory=dict)
    pool: descriptor_pool.DescriptorPool = field(default_factory=descriptor_pool.DescriptorPool)

    def in_file(self, file: File) -> tuple[list[Message], list[Enum], list[Field]]:
        """The messages, enums and extensions declared in ``file``."""
        messages = [m for m in self.messages.values() if m.file is file]
        enums = [e for e in self.enums.values() if e.file is file]
        extensions = [f for by in self.extensions.values() for f in by.values() if f.file is file]
        return messages, enums, extensions

    def enum_named(self, full_name: str) -> descriptor.EnumDescriptor | None:
        """The resolved enum called ``full_name`` (leading dot allowed), imports included."""
        try:
            return self.pool.FindEnumTypeByName(full_name.lstrip("."))
        except KeyError:
            return None


def index(files: Iterable[descriptor_pb2.FileDescriptorProto], targets: Iterable[str]) -> Side:
    """Index the ``targets`` among ``files`` (which must include everything they import)."""
    side = Side()
    wanted = set(targets)
    for proto in files:
        side.pool.Add(proto)
    for proto in files:
        if proto.name in wanted:
            _add_file(side, proto)
    return side


def _lines(proto: descriptor_pb2.FileDescriptorProto) -> dict[SourcePath, int]:
    lines: dict[SourcePath, int] = {}
    for location in proto.source_code_info.location:
        lines.setdefault(tuple(location.path), location.span[0] + 1)
    return lines


def _add_file(side: Side, proto: descriptor_pb2.FileDescriptorProto) -> None:
    file = File(proto.name, proto, _lines(proto))
    side.files[file.name] = file
    prefix = f"{proto.package}." if proto.package else ""
    for i, message in enumerate(proto.message_type):
        _add_message(side, file, message, (FILE_MESSAGE, i), prefix, "")
    for i, enum in enumerate(proto.enum_type):
        _add_enum(side, file, enum, (FILE_ENUM, i), prefix, "")
    for i, service in enumerate(proto.service):
        side.services[prefix + service.name] = Service(
            service, file, (FILE_SERVICE, i), prefix + service.name
        )
    for i, extension in enumerate(proto.extension):
        _add_extension(side, file, extension, (FILE_EXTENSION, i), prefix, "")


def _add_message(
    side: Side,
    file: File,
    proto: descriptor_pb2.DescriptorProto,
    path: SourcePath,
    prefix: str,
    outer: str,
) -> None:
    full_name = prefix + proto.name
    resolved = side.pool.FindMessageTypeByName(full_name)
    nested_name = f"{outer}{proto.name}"
    message = Message(proto, resolved, file, path, nested_name)
    side.messages[full_name] = message
    by_name = {f.name: f for f in resolved.fields}
    for i, field_proto in enumerate(proto.field):
        message.fields[field_proto.number] = Field(
            field_proto, by_name[field_proto.name], file, (*path, MESSAGE_FIELD, i), proto.name
        )
    for i, nested in enumerate(proto.nested_type):
        _add_message(
            side, file, nested, (*path, MESSAGE_NESTED, i), full_name + ".", nested_name + "."
        )
    for i, enum in enumerate(proto.enum_type):
        _add_enum(side, file, enum, (*path, MESSAGE_ENUM, i), full_name + ".", nested_name + ".")
    for i, extension in enumerate(proto.extension):
        _add_extension(
            side, file, extension, (*path, MESSAGE_EXTENSION, i), full_name + ".", proto.name
        )


def _add_enum(
    side: Side,
    file: File,
    proto: descriptor_pb2.EnumDescriptorProto,
    path: SourcePath,
    prefix: str,
    outer: str,
) -> None:
    full_name = prefix + proto.name
    resolved = side.pool.FindEnumTypeByName(full_name)
    side.enums[full_name] = Enum(proto, resolved, file, path, f"{outer}{proto.name}")


def _add_extension(
    side: Side,
    file: File,
    proto: descriptor_pb2.FieldDescriptorProto,
    path: SourcePath,
    prefix: str,
    parent: str,
) -> None:
    resolved = side.pool.FindExtensionByName(prefix + proto.name)
    extendee = proto.extendee.lstrip(".")
    side.extensions.setdefault(extendee, {})[proto.number] = Field(
        proto, resolved, file, path, parent
    )
