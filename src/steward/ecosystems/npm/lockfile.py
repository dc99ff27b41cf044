"""Resolved versions from ``package-lock.json`` / ``npm-shrinkwrap.json`` (lockfile v1, v2, v3).

v2 and v3 list installed packages in a ``packages`` map keyed by install path: the root's direct
dependencies are ``node_modules/<name>``; a workspace package at ``packages/a`` finds its own at
``packages/a/node_modules/<name>`` and otherwise the hoisted ``node_modules/<name>``. Entries with
``"link": true`` point at a workspace folder. v1 (npm 5–6) only has the ``dependencies`` tree,
whose top level is what the root resolved. Pure: the caller reads the file.

A malformed entry (not an object, a ``version`` or ``resolved`` that is not a string) becomes an
`EntryProblem` with its line; it resolves to no version and the rest of the lock still applies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from steward.ecosystems.npm.positions import key_lines

#: Lock files in the order npm prefers them.
LOCK_FILES = ("npm-shrinkwrap.json", "package-lock.json")


class InvalidLockfile(ValueError):
    """A lock file that is not JSON, or not shaped like one; ``line`` is 1-based (0 if unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class EntryProblem:
    """One malformed part of a lock file that parsed as JSON: its 1-based line (0 if unknown)."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a lock file says about one dependency: its version, or the workspace it links to."""

    version: str | None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Lockfile:
    """A parsed lock file: its ``packages`` map (v2/v3) or top-level ``dependencies`` (v1)."""

    version: int
    packages: dict[str, dict[str, Any]]
    legacy: dict[str, dict[str, Any]]
    problems: tuple[EntryProblem, ...] = ()

    def has_package(self, path: str) -> bool:
        """True when the lock lists the package folder ``path`` (a workspace, "" for the root)."""
        return path in self.packages

    def resolve(self, name: str, path: str = "") -> Resolution | None:
        """How the package at ``path`` ("" for the root) resolved the dependency ``name``."""
        if self.packages:
            return self._resolve_packages(name, path)
        if path == "" and name in self.legacy:
            entry = self.legacy[name]
            return _legacy_resolution(entry) if isinstance(entry, dict) else Resolution(None)
        return None

    def _resolve_packages(self, name: str, path: str) -> Resolution | None:
        candidates = [f"{path}/node_modules/{name}"] if path else []
        for key in [*candidates, f"node_modules/{name}"]:
            if key in self.packages:  # a malformed entry resolves to no version
                entry = self.packages[key]
                return (
                    self._entry_resolution(entry) if isinstance(entry, dict) else Resolution(None)
                )
        return None

    def _entry_resolution(self, entry: dict[str, Any]) -> Resolution:
        if entry.get("link") and isinstance(entry.get("resolved"), str):
            target = self.packages.get(entry["resolved"], {})
            version = target.get("version") if isinstance(target, dict) else None
            return Resolution(version if isinstance(version, str) else None, entry["resolved"])
        version = entry.get("version")
        return Resolution(version if isinstance(version, str) else None)


def _legacy_resolution(entry: dict[str, Any]) -> Resolution:
    version = entry.get("version")
    if not isinstance(version, str):
        return Resolution(None)
    if version.startswith("npm:"):  # an alias: "npm:bar@1.2.3"
        version = version.rpartition("@")[2]
    if version.startswith("file:"):
        return Resolution(None, version.removeprefix("file:"))
    return Resolution(version)


def parse(text: str) -> Lockfile:
    """A lock file's text → `Lockfile`; raises `InvalidLockfile`."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise InvalidLockfile(f"malformed JSON: {error.msg}", error.lineno) from error
    if not isinstance(data, dict):
        raise InvalidLockfile("a lock file must be a JSON object", 1)
    packages = data.get("packages")
    legacy = data.get("dependencies")
    version = data.get("lockfileVersion")
    faults = [*_section_faults(data, "packages"), *_section_faults(data, "dependencies")]
    lines = key_lines(text, depth=3) if faults else {}
    return Lockfile(
        version=version if isinstance(version, int) else 1,
        packages=packages if isinstance(packages, dict) else {},
        legacy=legacy if isinstance(legacy, dict) else {},
        problems=tuple(EntryProblem(lines.get(where, 0), message) for where, message in faults),
    )


def _section_faults(data: dict[str, Any], section: str) -> list[tuple[tuple[str, ...], str]]:
    """(key path, message) for each malformed entry of ``packages`` or ``dependencies``."""
    entries = data.get(section)
    if entries is None:
        return []
    if not isinstance(entries, dict):
        return [((section,), f"{section} must be an object")]
    faults: list[tuple[tuple[str, ...], str]] = []
    for key, entry in entries.items():
        if not isinstance(entry, dict):
            faults.append(((section, key), f"{section}[{key!r}] must be an object"))
            continue
        for attribute in ("version", "resolved"):
            if attribute in entry and not isinstance(entry[attribute], str):
                message = f"{section}[{key!r}].{attribute} must be a string"
                faults.append(((section, key, attribute), message))
    return faults
