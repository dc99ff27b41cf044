"""Resolved versions from ``package-lock.json`` / ``npm-shrinkwrap.json`` (lockfile v1, v2, v3).

v2 and v3 list installed packages in a ``packages`` map keyed by install path: the root's direct
dependencies are ``node_modules/<name>``; a workspace package at ``packages/a`` finds its own at
``packages/a/node_modules/<name>`` and otherwise the hoisted ``node_modules/<name>``. Entries with
``"link": true`` point at a workspace folder. v1 (npm 5–6) only has the ``dependencies`` tree,
whose top level is what the root resolved. Pure: the caller reads the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

#: Lock files in the order npm prefers them.
LOCK_FILES = ("npm-shrinkwrap.json", "package-lock.json")


class InvalidLockfile(ValueError):
    """A lock file that is not JSON, or not shaped like one; ``line`` is 1-based (0 if unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


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

    def has_package(self, path: str) -> bool:
        """True when the lock lists the package folder ``path`` (a workspace, "" for the root)."""
        return path in self.packages

    def resolve(self, name: str, path: str = "") -> Resolution | None:
        """How the package at ``path`` ("" for the root) resolved the dependency ``name``."""
        if self.packages:
            return self._resolve_packages(name, path)
        if path == "" and isinstance(self.legacy.get(name), dict):
            return _legacy_resolution(self.legacy[name])
        return None

    def _resolve_packages(self, name: str, path: str) -> Resolution | None:
        candidates = [f"{path}/node_modules/{name}"] if path else []
        for key in [*candidates, f"node_modules/{name}"]:
            entry = self.packages.get(key)
            if isinstance(entry, dict):
                return self._entry_resolution(entry)
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
    return Lockfile(
        version=version if isinstance(version, int) else 1,
        packages=packages if isinstance(packages, dict) else {},
        legacy=legacy if isinstance(legacy, dict) else {},
    )
