"""``package.json`` (+ its lock file) → npm `Dependency` facts. Pure: files come through ``read``.

Every entry of ``dependencies``, ``devDependencies``, ``peerDependencies`` and
``optionalDependencies`` becomes one `Dependency` (``dep_type`` is that key) with its range as
written and the line it is written on. How a spec is read, in npm's order:

- ``npm:bar@^1`` — an alias: ``package`` is ``bar``, ``constraint`` the range ``^1``;
- ``file:``, ``link:``, ``workspace:``, git URLs, ``github:``/``gitlab:``/``bitbucket:``/``gist:``,
  ``user/repo`` shorthand, local paths and http(s) tarballs — kept with a ``skip_reason``;
- a node-semver range (``^1.2.3``, ``1.x || >=2``, ``""``);
- anything else tag-like (``latest``, ``next``) — a dist-tag: the constraint, with a note.

The resolved version comes from ``npm-shrinkwrap.json`` or ``package-lock.json`` beside the
manifest, else from the lock of a workspace root a few folders up that lists this folder.
Malformed JSON becomes a `Problem` with its line; the rest goes on.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from steward.ecosystems.npm import lockfile
from steward.ecosystems.npm.lockfile import InvalidLockfile, Lockfile
from steward.ecosystems.npm.positions import key_lines
from steward.model import Dependency, Extraction, Problem, Reader
from steward.versioning.npm import NpmSemver

ECOSYSTEM = "npm"
MANIFEST = "package.json"
DEPENDENCY_TYPES = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
#: How many folders above a workspace package to look for the workspace root's lock file.
MAX_LOCK_LEVELS = 3

_NPM = NpmSemver()
_GIT_PREFIXES = ("git+ssh://", "git+https://", "git+http://", "git+file://", "git://", "git@")
_HOSTED_PREFIXES = ("github:", "gitlab:", "bitbucket:", "gist:")
_LOCAL_PREFIXES = ("./", "../", "/", "~/", ".\\", "..\\")
_GITHUB_SHORTHAND = re.compile(r"^[^@./\s][^/\s:]*/[^/\s#]+(#\S*)?$")
_DIST_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")


def claims(basename: str) -> bool:
    """npm reads ``package.json`` and, for resolved versions, its lock files."""
    return basename == MANIFEST or basename in lockfile.LOCK_FILES


@dataclass(frozen=True, slots=True)
class Spec:
    """How one dependency's spec string reads: its lookup package, range, skip reason, notes."""

    constraint: str
    package: str | None = None
    skip_reason: str | None = None
    notes: tuple[str, ...] = ()


def read_spec(spec: str) -> Spec:
    """Classify a ``package.json`` dependency spec as npm does (see the module docstring)."""
    if spec.startswith("npm:"):
        return _alias(spec)
    reason = _skip_reason(spec)
    if reason is not None:
        return Spec(spec, skip_reason=reason)
    if _NPM.is_valid_range(spec):
        return Spec(spec)
    if _GITHUB_SHORTHAND.match(spec):
        return Spec(spec, skip_reason="GitHub shorthand (git dependency)")
    if _DIST_TAG.match(spec):
        return Spec(spec, notes=(f"dist-tag {spec!r}, not a version range",))
    return Spec(spec, skip_reason="not a valid npm version range")


def _alias(spec: str) -> Spec:
    target = spec.removeprefix("npm:")
    at = target.find("@", 1)  # a scoped name starts with "@"
    package, constraint = (target, "") if at < 0 else (target[:at], target[at + 1 :])
    note = f"alias of {package}"
    if constraint and not _NPM.is_valid_range(constraint):
        note = f"{note}; dist-tag {constraint!r}, not a version range"
    return Spec(constraint, package=package, notes=(note,))


def _skip_reason(spec: str) -> str | None:
    lowered = spec.lower()
    for prefix, reason in (
        ("file:", "local path (file:)"),
        ("link:", "local link (link:)"),
        ("workspace:", "workspace protocol (workspace:)"),
    ):
        if lowered.startswith(prefix):
            return reason
    if lowered.startswith(_GIT_PREFIXES) or lowered.startswith(_HOSTED_PREFIXES):
        return "git dependency"
    if lowered.startswith(("http://", "https://")):
        return "git dependency" if lowered.split("#")[0].endswith(".git") else "tarball URL"
    if spec.startswith(_LOCAL_PREFIXES):
        return "local path"
    return None


def extract(directory: str, filenames: Sequence[str], read: Reader) -> Extraction:
    """The dependencies of ``directory``'s ``package.json``, with versions from its lock file."""
    if MANIFEST not in filenames:
        return Extraction()
    path = _join(directory, MANIFEST)
    text = read(path).removeprefix("\ufeff")
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        return Extraction(problems=[Problem(path, error.lineno, f"malformed JSON: {error.msg}")])
    if not isinstance(manifest, dict):
        return Extraction(problems=[Problem(path, 1, "package.json must be a JSON object")])
    result = Extraction()
    lock = _find_lock(directory, filenames, read, result)
    lines = key_lines(text)
    for dep_type in DEPENDENCY_TYPES:
        _extract_section(manifest, dep_type, path, lines, lock, result)
    return result


@dataclass(frozen=True, slots=True)
class _Lock:
    """A lock file in effect for one package folder: where it is and the folder's key in it."""

    file: str
    data: Lockfile
    package_path: str


def _extract_section(
    manifest: dict[str, Any],
    dep_type: str,
    path: str,
    lines: dict[tuple[str, ...], int],
    lock: _Lock | None,
    result: Extraction,
) -> None:
    section = manifest.get(dep_type)
    if section is None:
        return
    if not isinstance(section, dict):
        result.problems.append(
            Problem(path, lines.get((dep_type,), 0), f"{dep_type} must be an object")
        )
        return
    for name, spec in section.items():
        line = lines.get((dep_type, name), 0)
        if not isinstance(spec, str):
            result.problems.append(
                Problem(path, line, f"{dep_type}.{name}: the version must be a string")
            )
            continue
        result.dependencies.append(_dependency(name, read_spec(spec), dep_type, path, line, lock))


def _dependency(
    name: str, spec: Spec, dep_type: str, path: str, line: int, lock: _Lock | None
) -> Dependency:
    locked = lock_file = None
    skip_reason, notes = spec.skip_reason, spec.notes
    resolution = lock.data.resolve(name, lock.package_path) if lock else None
    if lock is not None and resolution is None and skip_reason is None:
        notes = (*notes, f"not in {lock.file}")
    if lock is not None and resolution is not None:
        lock_file = lock.file
        locked = resolution.version if _NPM.is_valid(resolution.version or "") else None
        if resolution.link is not None and skip_reason is None:
            skip_reason = f"workspace package ({resolution.link})"
    return Dependency(
        ecosystem=ECOSYSTEM,
        name=name,
        constraint=spec.constraint,
        file=path,
        line=line,
        dep_type=dep_type,
        locked=locked,
        lock_file=lock_file,
        skip_reason=skip_reason,
        package=spec.package,
        notes=notes,
    )


def _find_lock(
    directory: str, filenames: Sequence[str], read: Reader, result: Extraction
) -> _Lock | None:
    """The lock beside the manifest, else the nearest workspace root's lock that lists us."""
    for name in lockfile.LOCK_FILES:
        if name in filenames:
            return _load_lock(_join(directory, name), "", read, result)
    folder = directory
    for _ in range(MAX_LOCK_LEVELS):
        if folder in (".", ""):
            return None
        folder = posixpath.dirname(folder) or "."
        member = posixpath.relpath(directory, folder)
        for name in lockfile.LOCK_FILES:
            found = _load_lock(_join(folder, name), member, read, result, missing_ok=True)
            if found is not None and found.data.has_package(member):
                return found
    return None


def _load_lock(
    path: str, member: str, read: Reader, result: Extraction, *, missing_ok: bool = False
) -> _Lock | None:
    try:
        data = lockfile.parse(read(path))
    except FileNotFoundError:
        if not missing_ok:
            result.problems.append(Problem(path, 0, "lock file could not be read"))
        return None
    except InvalidLockfile as error:
        if not missing_ok:  # a parent's broken lock is reported when its own folder is scanned
            result.problems.append(Problem(path, error.line, str(error)))
        return None
    if not missing_ok:  # as above: a parent's entries are reported with its own folder
        result.problems.extend(Problem(path, p.line, p.message) for p in data.problems)
    return _Lock(path, data, member)


def _join(directory: str, name: str) -> str:
    return name if directory in (".", "") else f"{directory}/{name}"
