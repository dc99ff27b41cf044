"""Read a working tree for the contracts area: schema files, the catalogue, services, source code.

This module and `gitref` are the contracts area's only I/O; everything they return is plain data
(`SchemaFile`, `Catalogue`, `Service`, text by path) for the pure modules beside them.
`SchemaFile` and the format names live in `steward.contracts.schemafile` and are re-exported here.

A schema file is a ``*.proto``, a ``*.avsc``, a ``*.schema.json``, or a ``*.json`` whose top-level
``$schema`` names a JSON Schema dialect (``json-schema.org``); a JSON file that merely declares its
own schema (``tsconfig.json`` pointing at a schema store) is not one. The walk is
`steward.discover`'s: ``.gitignore`` honoured, vendored folders skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from steward.config import Settings, load
from steward.contracts.catalogue import FILENAME, Catalogue, InvalidCatalogue, parse
from steward.contracts.schemafile import AVRO as AVRO
from steward.contracts.schemafile import JSONSCHEMA as JSONSCHEMA
from steward.contracts.schemafile import PROTOBUF as PROTOBUF
from steward.contracts.schemafile import SchemaFile as SchemaFile
from steward.discover import SKIPPED_DIRS, discover
from steward.model import Service

#: Source files read to infer which services use a schema.
SOURCE_SUFFIXES = (".py", ".go", ".ts", ".tsx", ".js", ".mjs", ".cjs", ".java", ".kt", ".cs", ".rb")
MAX_SOURCE_BYTES = 1_000_000
_HEAD = 4096


def format_of(name: str, head: str = "") -> str | None:
    """The schema format of a file called ``name`` whose text starts with ``head``, or None."""
    lower = name.lower()
    if lower.endswith(".proto"):
        return PROTOBUF
    if lower.endswith(".avsc"):
        return AVRO
    if lower.endswith(".schema.json"):
        return JSONSCHEMA
    if lower.endswith(".json") and '"$schema"' in head:
        return JSONSCHEMA if _declares_dialect(head) else None
    return None


def _declares_dialect(head: str) -> bool:
    try:
        document = json.loads(head)
    except (
        ValueError,
        RecursionError,
    ):  # only the head was read, or the file is broken: look at the text
        start = head.find('"$schema"')
        return "json-schema.org" in head[start : start + 200]
    value = document.get("$schema") if isinstance(document, dict) else None
    return isinstance(value, str) and "json-schema.org" in value


def _might_be_schema(name: str) -> bool:
    return name.lower().endswith((".proto", ".avsc", ".json"))


def find_schemas(root: Path, settings: Settings | None = None) -> list[SchemaFile]:
    """Every schema file under ``root``, sorted by path."""
    settings = settings or load(root)
    inventory = discover(root, settings, [("contracts", _might_be_schema)])
    found: list[SchemaFile] = []
    for claim in inventory.claims:
        for name in claim.filenames:
            path = name if claim.directory == "." else f"{claim.directory}/{name}"
            schema = read_schema(root / path, path)
            if schema is not None:
                found.append(schema)
    return sorted(found, key=lambda s: s.path)


def read_schema(file: Path, path: str) -> SchemaFile | None:
    """The schema in ``file`` (reported as ``path``), or None when it is not a schema file."""
    try:
        text = read_text(file)
    except OSError:
        return None
    kind = format_of(file.name, text[:_HEAD] if not file.name.endswith(".json") else text)
    return SchemaFile(path, kind, text) if kind else None


def read_text(file: Path) -> str:
    """The text of ``file``: UTF-8, a leading byte order mark dropped, bad bytes replaced (so
    that a broken file fails in its parser, with a line). Raises `OSError`."""
    return decode(file.read_bytes())


def decode(data: bytes) -> str:
    """``data`` as `read_text` decodes a file."""
    return data.decode("utf-8-sig", errors="replace")


def schemas_at(target: Path) -> tuple[Path, list[SchemaFile]]:
    """The schemas of ``target``, a folder or one schema file, and the root their paths start from.

    A single file whose format cannot be told is read by its suffix (``.json`` → JSON Schema).
    """
    if target.is_dir():
        return target, find_schemas(target)
    schema = read_schema(target, target.name)
    if schema is None:
        schema = SchemaFile(target.name, JSONSCHEMA, read_text(target))
    return target.parent, [schema]


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding a catalogue or ``steward.toml``.

    Falls back to the top of the git work tree, then to ``start`` (its folder, for a file).
    """
    here = start.resolve()
    folder = here if here.is_dir() else here.parent
    for candidate in (folder, *folder.parents):
        if (candidate / FILENAME).is_file() or (candidate / "steward.toml").is_file():
            return candidate
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def load_catalogue(root: Path) -> Catalogue:
    """``root/contracts.yaml``, or an empty catalogue; raises `InvalidCatalogue`."""
    file = root / FILENAME
    if not file.is_file():
        return Catalogue(str(file))
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidCatalogue(f"cannot be read: {error}", path=str(file)) from error
    return parse(text, path=str(file))


#: Manifest names that make a folder a service (with Dockerfiles and steward.toml entries), so
#: that this module needs no ecosystem package (they bring the registry clients with them).
MANIFESTS = frozenset(
    {
        "go.mod",
        "package.json",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "requirements.txt",
        "Pipfile",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "Cargo.toml",
        "Gemfile",
    }
)


def find_services(root: Path, settings: Settings | None = None) -> list[Service]:
    """The services of ``root`` as `steward.discover` groups them (steward.toml, manifests)."""
    settings = settings or load(root)
    return discover(root, settings, [("manifest", MANIFESTS.__contains__)]).services


def read_sources(root: Path, service: Service) -> dict[str, str]:
    """The source files of ``service`` (POSIX path relative to ``root`` → text), nested services
    excluded only by the vendored-folder rule; Dockerfiles included (they often run ``protoc``)."""
    base = root if service.path == "." else root / service.path
    texts: dict[str, str] = {}
    for directory, subdirs, files in os.walk(base):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES) or name.lower().startswith("dockerfile"):
                file = Path(directory) / name
                text = _read_small(file)
                if text is not None:
                    texts[file.relative_to(root).as_posix()] = text
    return texts


def _read_small(file: Path) -> str | None:
    try:
        if file.stat().st_size > MAX_SOURCE_BYTES:
            return None
        return file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def by_path(schemas: Iterable[SchemaFile]) -> dict[str, SchemaFile]:
    """Index schemas by path."""
    return {s.path: s for s in schemas}
