"""pip requirements files: ``-r``/``-c`` includes, options, URLs and PEP 508 lines.

Each physical file is read once per directory, whichever file included it first, so includes
shared by several top-level files (``requirements-dev.txt`` → ``requirements.txt``) and include
cycles yield every dependency exactly once, attributed to the file that declares it. Pins (``==``)
found in constraints files reached through ``-c`` become ``locked`` on the dependencies of the same
directory that pin nothing themselves; constraints files declare no dependencies.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion

from steward.ecosystems.pypi._common import (
    InvalidRequirementLine,
    dependency,
    join,
    parse_pep508,
    pep508_dependency,
    redact,
    url_skip_reason,
)
from steward.model import Dependency, Extraction, Problem, Reader
from steward.versioning.pep440 import PEP440

_COMMENT = re.compile(r"(^|\s+)#.*$")
_OPTION = re.compile(r"^(--[A-Za-z][\w-]*|-[A-Za-z])(?:\s*=\s*|\s*)(.*)$")
_PER_REQUIREMENT_OPTION = re.compile(r"\s+--?[A-Za-z]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NAMED_URL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@")
_EGG = re.compile(r"[#&]egg=([^&\s]+)")
_ARCHIVE = re.compile(r"\.(whl|tar\.gz|tgz|tar\.bz2|zip)$", re.IGNORECASE)
_CONSTRAINTS_NAME = re.compile(r"^constraints", re.IGNORECASE)

_INCLUDE = {"-r": False, "--requirement": False, "-c": True, "--constraint": True}
_EDITABLE = ("-e", "--editable")
_INDEX = {"-i": "index-url", "--index-url": "index-url", "--extra-index-url": "extra-index-url"}
_VERSIONING = PEP440()


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, text) of each logical line: ``\\`` joined, comments gone.

    Follows pip: a comment line never continues, and ``#`` starts a comment only at the start of
    the line or after whitespace (so ``#egg=`` fragments survive).
    """
    pending: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.endswith("\\") and not _COMMENT.match(raw):
            first = first or number
            pending.append(raw[:-1])
            continue
        if pending:
            pending.append(raw if not _COMMENT.match(raw) else "")
            yield first, _COMMENT.sub("", "".join(pending)).strip()
            pending, first = [], 0
        else:
            yield number, _COMMENT.sub("", raw).strip()
    if pending:
        yield first, _COMMENT.sub("", "".join(pending)).strip()


def is_constraints_file(basename: str) -> bool:
    """True for ``constraints*.txt``: such a file only pins, it declares nothing."""
    return bool(_CONSTRAINTS_NAME.match(basename))


@dataclass
class _Walk:
    read: Reader
    seen: set[tuple[str, bool]] = field(default_factory=set)
    dependencies: list[Dependency] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pins: dict[str, tuple[str, str]] = field(default_factory=dict)
    indexes: list[str] = field(default_factory=list)

    def visit(self, path: str, constraints: bool, origin: tuple[str, int] | None) -> None:
        if (path, constraints) in self.seen:
            return
        self.seen.add((path, constraints))
        try:
            text = self.read(path)
        except FileNotFoundError:
            where, number = origin or (path, 0)
            self.problems.append(Problem(where, number, f"included file not found: {path}"))
            return
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(Problem(path, 0, f"cannot read: {type(error).__name__}"))
            return
        for line_number, line in logical_lines(text):
            if line:
                self.line(path, line_number, line, constraints)

    def line(self, path: str, number: int, line: str, constraints: bool) -> None:
        if line.startswith("-"):
            self.option(path, number, line, constraints)
        elif constraints:
            self.pin(path, number, line)
        else:
            self.requirement(path, number, line)

    def option(self, path: str, number: int, line: str, constraints: bool) -> None:
        match = _OPTION.match(line)
        if match is None:
            return
        name, value = match.group(1), match.group(2).strip()
        if name in _INCLUDE:
            self.include(path, number, value, constraints or _INCLUDE[name])
        elif name in _EDITABLE and not constraints:
            self.editable(path, number, value)
        elif name in _INDEX:
            self.indexes.append(f"{_INDEX[name]}: {redact(value)}")

    def include(self, path: str, number: int, target: str, constraints: bool) -> None:
        if _URL.match(target):
            message = f"include by URL not followed: {redact(target)}"
            self.problems.append(Problem(path, number, message))
            return
        self.visit(join(posixpath.dirname(path), target), constraints, (path, number))

    def editable(self, path: str, number: int, target: str) -> None:
        name = _target_name(target)
        notes = [f"source: {redact(target)}"]
        self.dependencies.append(
            dependency(name, "", path, number, "main", skip_reason="editable install", notes=notes)
        )

    def requirement(self, path: str, number: int, line: str) -> None:
        text = _PER_REQUIREMENT_OPTION.split(line, maxsplit=1)[0].strip()
        reason = _unnamed_reason(text)
        if reason is not None:
            notes = [f"source: {redact(text)}"]
            self.dependencies.append(
                dependency(
                    _target_name(text), "", path, number, "main", skip_reason=reason, notes=notes
                )
            )
            return
        try:
            parsed = parse_pep508(text)
        except InvalidRequirementLine as error:
            self.problems.append(
                Problem(path, number, f"cannot read requirement {text!r}: {error}")
            )
            return
        self.dependencies.append(pep508_dependency(parsed, path, number, "main"))

    def pin(self, path: str, number: int, line: str) -> None:
        text = _PER_REQUIREMENT_OPTION.split(line, maxsplit=1)[0].strip()
        if _unnamed_reason(text) is not None:
            return
        try:
            parsed = parse_pep508(text)
        except InvalidRequirementLine as error:
            self.problems.append(Problem(path, number, f"cannot read constraint {text!r}: {error}"))
            return
        version = _VERSIONING.pinned(parsed.constraint)
        if version is not None and not parsed.url:
            self.pins.setdefault(canonicalize_name(parsed.name, validate=False), (version, path))


def _unnamed_reason(text: str) -> str | None:
    """The skip reason of a line that is a URL or a path rather than a PEP 508 name."""
    if _NAMED_URL.match(text):
        return None
    if _URL.match(text) or re.match(r"^(git|hg|svn|bzr)\+", text, re.IGNORECASE):
        return url_skip_reason(text)
    if text.startswith((".", "/", "~")) or "/" in text or "\\" in text or _ARCHIVE.search(text):
        return "local path"
    return None


def _target_name(target: str) -> str:
    """The project an URL or path names (``#egg=``, a wheel or sdist file name), else the target."""
    egg = _EGG.search(target)
    if egg:
        return egg.group(1)
    filename = target.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return redact(target)


def _with_pin(dep: Dependency, pins: dict[str, tuple[str, str]]) -> Dependency:
    pin = pins.get(dep.package or dep.name)
    if dep.locked is not None or dep.skip_reason is not None or pin is None:
        return dep
    return dataclasses.replace(dep, locked=pin[0], lock_file=pin[1])


def extract_requirements(directory: str, filenames: Sequence[str], read: Reader) -> Extraction:
    """The dependencies of the requirements files ``filenames`` in ``directory`` and their includes.

    ``--index-url`` / ``--extra-index-url`` options become notes on every dependency found.
    """
    walk = _Walk(read)
    for name in sorted(filenames):
        walk.visit(join(directory, name), is_constraints_file(name), None)
    notes = tuple(dict.fromkeys(walk.indexes))
    dependencies = [_with_pin(dep, walk.pins) for dep in walk.dependencies]
    if notes:
        dependencies = [dataclasses.replace(d, notes=d.notes + notes) for d in dependencies]
    return Extraction(dependencies, walk.problems)
