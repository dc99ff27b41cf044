"""Deprecation markers in compiled ``.proto`` files: ``deprecated = true`` wherever it can stand.

Files (``option deprecated = true;``), messages, fields and extensions, enums, enum values,
services and RPCs. Each marker becomes a `Deprecation` whose ``location`` is
``<file>#<full name>`` (``<file>#`` for the file itself), whose line is the element's, and whose
note is the element's leading comment (empty when it has none).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from steward.contracts.findings import Deprecation
from steward.contracts.protobuf.index import (
    ENUM_VALUE,
    SERVICE_METHOD,
    File,
    Side,
    SourcePath,
)


def deprecations(side: Side) -> list[Deprecation]:
    """Every element of ``side``'s files marked deprecated, sorted by file and line."""
    found = [*_files(side), *_types(side), *_fields(side), *_services(side)]
    return sorted(found, key=lambda d: (d.location.split("#")[0], d.line, d.location))


def _marker(file: File, full_name: str, path: SourcePath) -> Deprecation:
    return Deprecation(f"{file.name}#{full_name}", file.line(path), _comment(file, path))


def _comment(file: File, path: SourcePath) -> str:
    for location in file.proto.source_code_info.location:
        if tuple(location.path) == path:
            return " ".join(location.leading_comments.split())
    return ""


def _deprecated(element: Any) -> bool:
    return bool(element.options.deprecated)


def _files(side: Side) -> Iterator[Deprecation]:
    for file in side.files.values():
        if _deprecated(file.proto):
            yield Deprecation(f"{file.name}#", file.line((12,), (14,), (2,)), "")


def _types(side: Side) -> Iterator[Deprecation]:
    for name, message in side.messages.items():
        if _deprecated(message.proto):
            yield _marker(message.file, name, message.path)
    for name, enum in side.enums.items():
        if _deprecated(enum.proto):
            yield _marker(enum.file, name, enum.path)
        for index, value in enumerate(enum.proto.value):
            if _deprecated(value):
                yield _marker(enum.file, f"{name}.{value.name}", (*enum.path, ENUM_VALUE, index))


def _fields(side: Side) -> Iterator[Deprecation]:
    fields = [f for m in side.messages.values() for f in m.fields.values()]
    fields += [f for by in side.extensions.values() for f in by.values()]
    for field in fields:
        if _deprecated(field.proto):
            yield _marker(field.file, field.full_name, field.path)


def _services(side: Side) -> Iterator[Deprecation]:
    for name, service in side.services.items():
        if _deprecated(service.proto):
            yield _marker(service.file, name, service.path)
        for index, method in enumerate(service.proto.method):
            if _deprecated(method):
                path = (*service.path, SERVICE_METHOD, index)
                yield _marker(service.file, f"{name}.{method.name}", path)
