"""``pyproject.toml``: PEP 621 dependencies and extras, PEP 735 groups, Poetry's tables.

=========================================  ==========================================
where                                      ``dep_type``
=========================================  ==========================================
``[project].dependencies``                 ``main``
``[project.optional-dependencies].<x>``    ``optional:<x>``
``[dependency-groups].<g>``                ``group:<g>`` (+ note ``included in group:…``)
``[tool.poetry.dependencies]``             ``main`` (``optional:<extras>`` if optional)
``[tool.poetry.group.<g>.dependencies]``   ``group:<g>``
``[tool.poetry.dev-dependencies]``         ``group:dev``
=========================================  ==========================================

A dependency group's ``{include-group = "…"}`` entries are resolved without repeating the included
dependencies: each dependency is reported once, under its own group, with a note naming every
group that includes it (directly or through others). Unknown and cyclic includes are problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from packaging.utils import canonicalize_name

from steward.ecosystems.pypi._common import (
    InvalidRequirementLine,
    dependency,
    parse_pep508,
    pep508_dependency,
    redact,
)
from steward.ecosystems.pypi._toml import tomllib
from steward.ecosystems.pypi._toml_lines import ElementCursor, TomlLines
from steward.model import Dependency, Extraction, Problem

_ERROR_LINE = re.compile(r"at line (\d+)")
_POETRY_SOURCES = {
    "git": "VCS reference (git)",
    "path": "local path",
    "url": "direct URL reference",
}


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def toml_error_line(error: tomllib.TOMLDecodeError, text: str) -> int:
    """The line ``tomllib`` names in its message ("at line N"), else the last line."""
    match = _ERROR_LINE.search(str(error))
    return int(match.group(1)) if match else max(1, text.count("\n") + 1)


@dataclass
class _Reader:
    file: str
    lines: TomlLines
    result: Extraction = field(default_factory=Extraction)

    def problem(self, line: int, message: str) -> None:
        self.result.problems.append(Problem(self.file, line, message))

    def pep508_array(self, table: tuple[str, ...], key: str, value: object, dep_type: str) -> None:
        cursor = self.lines.elements(table, key)
        if not isinstance(value, list):
            self.problem(self.lines.key_line(table, key), f"{key} must be an array of strings")
            return
        for entry in value:
            self.pep508_entry(cursor, entry, dep_type)

    def pep508_entry(self, cursor: ElementCursor, entry: object, dep_type: str) -> None:
        if not isinstance(entry, str):
            self.problem(cursor.next_match(r"\{"), f"expected a requirement string, got {entry!r}")
            return
        line = cursor.next_string(entry)
        try:
            parsed = parse_pep508(entry)
        except InvalidRequirementLine as error:
            self.problem(line, f"cannot read requirement {entry!r}: {error}")
            return
        self.result.dependencies.append(pep508_dependency(parsed, self.file, line, dep_type))


def _pep621(reader: _Reader, project: dict[str, Any]) -> None:
    if "dependencies" in project:
        reader.pep508_array(("project",), "dependencies", project["dependencies"], "main")
    for extra, value in _table(project.get("optional-dependencies")).items():
        table = ("project", "optional-dependencies")
        reader.pep508_array(table, extra, value, f"optional:{extra}")


def _group_includes(reader: _Reader, groups: dict[str, Any]) -> dict[str, list[str]]:
    """Read every group's requirement strings; return each group's included groups (normalised)."""
    known = {canonicalize_name(g, validate=False): g for g in groups}
    includes: dict[str, list[str]] = {}
    for group, value in groups.items():
        own = includes.setdefault(canonicalize_name(group, validate=False), [])
        if not isinstance(value, list):
            reader.pep508_array(("dependency-groups",), group, value, f"group:{group}")
            continue
        cursor = reader.lines.elements(("dependency-groups",), group)
        for entry in value:
            target = entry.get("include-group") if isinstance(entry, dict) else None
            if not isinstance(target, str):
                reader.pep508_entry(cursor, entry, f"group:{group}")
                continue
            line = cursor.next_match(rf"include-group[ \t]*=[ \t]*[\"']{re.escape(target)}[\"']")
            if canonicalize_name(target, validate=False) not in known:
                reader.problem(
                    line, f"dependency group {group!r} includes unknown group {target!r}"
                )
            else:
                own.append(canonicalize_name(target, validate=False))
    return includes


def _reachable(includes: Mapping[str, list[str]], start: str) -> set[str]:
    found: set[str] = set()
    pending = list(includes.get(start, []))
    while pending:
        group = pending.pop()
        if group not in found:
            found.add(group)
            pending.extend(includes.get(group, []))
    return found


def _dependency_groups(reader: _Reader, groups: dict[str, Any]) -> None:
    first = len(reader.result.dependencies)
    includes = _group_includes(reader, groups)
    names: dict[str, str] = {canonicalize_name(g, validate=False): g for g in groups}
    included_by: dict[str, list[str]] = {}
    for group in sorted(includes):
        reached = _reachable(includes, group)
        if group in reached:
            line = reader.lines.key_line(("dependency-groups",), names[group])
            reader.problem(line, f"dependency group {names[group]!r} includes itself")
        for target in reached - {group}:
            included_by.setdefault(target, []).append(names[group])
    deps = reader.result.dependencies
    for index in range(first, len(deps)):
        own = canonicalize_name(deps[index].dep_type.removeprefix("group:"), validate=False)
        if own in included_by:
            note = "included in " + ", ".join(f"group:{g}" for g in sorted(included_by[own]))
            deps[index] = _with_notes(deps[index], note)


def _with_notes(dep: Dependency, *notes: str) -> Dependency:
    return replace(dep, notes=dep.notes + notes)


def _poetry_notes(spec: Mapping[str, Any]) -> list[str]:
    notes = []
    if spec.get("extras"):
        notes.append(f"extras: {','.join(str(e) for e in spec['extras'])}")
    for key, label in (("markers", "marker"), ("python", "python"), ("source", "index")):
        if spec.get(key):
            notes.append(f"{label}: {spec[key]}")
    for key in ("branch", "tag", "rev", "subdirectory"):
        if spec.get(key):
            notes.append(f"{key}: {spec[key]}")
    if spec.get("allow-prereleases"):
        notes.append("allow-prereleases")
    return notes


@dataclass(frozen=True)
class _PoetrySection:
    table: tuple[str, ...]
    dep_type: str
    extras: Mapping[str, list[str]]


def _poetry_entry(reader: _Reader, section: _PoetrySection, name: str, spec: object) -> None:
    line = reader.lines.key_line(section.table, name)
    if isinstance(spec, str):
        reader.result.dependencies.append(
            dependency(name, spec, reader.file, line, section.dep_type)
        )
        return
    if not isinstance(spec, dict):
        reader.problem(line, f"cannot read Poetry dependency {name!r}: {spec!r}")
        return
    notes = _poetry_notes(spec)
    dep_type = section.dep_type
    if spec.get("optional"):
        extras = section.extras.get(canonicalize_name(name, validate=False))
        dep_type = f"optional:{','.join(extras)}" if extras else "optional"
    for key, reason in _POETRY_SOURCES.items():
        if isinstance(spec.get(key), str):
            notes.insert(0, f"source: {redact(spec[key])}")
            dep = dependency(name, "", reader.file, line, dep_type, skip_reason=reason, notes=notes)
            reader.result.dependencies.append(dep)
            return
    version = str(spec.get("version", ""))
    reader.result.dependencies.append(
        dependency(name, version, reader.file, line, dep_type, notes=notes)
    )


def _poetry_extras(poetry: Mapping[str, Any]) -> dict[str, list[str]]:
    by_package: dict[str, list[str]] = {}
    for extra, packages in sorted(_table(poetry.get("extras")).items()):
        for package in packages if isinstance(packages, list) else []:
            by_package.setdefault(canonicalize_name(str(package), validate=False), []).append(extra)
    return by_package


def _poetry(reader: _Reader, poetry: dict[str, Any], declared: set[str]) -> None:
    extras = _poetry_extras(poetry)
    base = ("tool", "poetry")
    sections = [
        (_PoetrySection((*base, "dependencies"), "main", extras), poetry.get("dependencies"))
    ]
    for group, table in _table(poetry.get("group")).items():
        table_path = (*base, "group", group, "dependencies")
        section = _PoetrySection(table_path, f"group:{group}", extras)
        sections.append((section, _table(table).get("dependencies")))
    legacy = _PoetrySection((*base, "dev-dependencies"), "group:dev", extras)
    sections.append((legacy, poetry.get("dev-dependencies")))
    for section, entries in sections:
        for name, spec in _table(entries).items():
            canonical = canonicalize_name(name, validate=False)
            if canonical == "python" or (section.dep_type == "main" and canonical in declared):
                continue
            for one in spec if isinstance(spec, list) else [spec]:
                _poetry_entry(reader, section, name, one)


def extract_pyproject(file: str, text: str) -> Extraction:
    """The dependencies ``pyproject.toml`` declares; malformed TOML is one problem, nothing else.

    Poetry 2 projects that declare ``[project].dependencies`` use ``[tool.poetry.dependencies]``
    only to add detail; such entries are not reported a second time.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = f"malformed TOML: {error}"
        return Extraction(problems=[Problem(file, toml_error_line(error, text), message)])
    reader = _Reader(file, TomlLines(text))
    project = _table(document.get("project"))
    _pep621(reader, project)
    _dependency_groups(reader, _table(document.get("dependency-groups")))
    declared = {d.package or d.name for d in reader.result.dependencies if d.dep_type == "main"}
    _poetry(reader, _table(_table(document.get("tool")).get("poetry")), declared)
    return reader.result
