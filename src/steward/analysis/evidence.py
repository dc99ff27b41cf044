"""Breaking-change evidence from registry metadata: what the registry says changed between the
version in use and the candidate, beyond the version number. Pure: releases in, evidence out.

Rules, each with a stable ID used as the start of the evidence's ``source``:

===========================  ==========================================================
``GO_DIRECTIVE_RAISED``      the candidate's go.mod needs a newer Go than the current one's
``GO_INCOMPATIBLE``          a v2+ version without a ``/vN`` module path (``+incompatible``)
``GO_MAJOR_PATH``            a newer major version lives at a new ``/vN`` module path
``RETRACTED``                the candidate is retracted by its author (Go)
``YANKED``                   the candidate is yanked (PyPI)
``DEPRECATED``               the candidate or the whole package is deprecated
``REQUIRES_PYTHON_NARROWED`` the candidate's ``requires_python`` drops Python versions
``ENGINES_NARROWED``         the candidate's ``engines`` (node, npm …) drop versions
``PEER_DEPENDENCY_CHANGED``  a peer dependency was added or its range changed
===========================  ==========================================================

"Narrowed" is decided on a grid of real runtime versions (CPython 2.0–3.16, Node 0.8–26 by
minor), so the summary can say which versions are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from steward.model import Evidence, EvidenceKind, PackageInfo, Release
from steward.versioning.interface import InvalidConstraint
from steward.versioning.npm import NpmSemver

_NPM = NpmSemver()
_GO_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?")
_MAJOR_SUFFIX = re.compile(r"/v(\d+)$")

#: Runtime versions tested when a range changes: ``(label, version)`` ordered ascending.
PYTHON_GRID: tuple[tuple[str, str], ...] = tuple(
    (f"{major}.{minor}", f"{major}.{minor}.0")
    for major, last in ((2, 7), (3, 16))
    for minor in range(last + 1)
)
NODE_GRID: tuple[tuple[str, str], ...] = tuple(
    [(f"0.{minor}", f"0.{minor}.0") for minor in (8, 10, 12)]
    + [(str(major), f"{major}.{minor}.0") for major in range(1, 27) for minor in range(0, 25)]
)


def metadata_evidence(
    info: PackageInfo, current: str, candidate: str, *, newer_major_path: str | None = None
) -> tuple[Evidence, ...]:
    """Evidence that updating ``info``'s package from ``current`` to ``candidate`` may break.

    ``newer_major_path`` is a Go module path of a newer major version found by the caller.
    """
    old = info.release(current) or Release(current)
    new = info.release(candidate) or Release(candidate)
    found: list[Evidence] = []
    found += _withdrawn(info, new)
    if info.ecosystem == "go":
        found += _go(info.name, old, new, newer_major_path)
    elif info.ecosystem == "pypi":
        found += _requires_python(old, new)
    elif info.ecosystem == "npm":
        found += _engines(old, new)
        found += _peers(old, new)
    return tuple(found)


def _withdrawn(info: PackageInfo, new: Release) -> list[Evidence]:
    found = []
    if new.retracted:
        found.append(_evidence("RETRACTED", info, f"{new.version} is retracted: {new.retracted}"))
    if new.yanked:
        found.append(_evidence("YANKED", info, f"{new.version} is yanked: {new.yanked}"))
    deprecated = new.deprecated or info.deprecated
    if deprecated:
        what = new.version if new.deprecated else "the package"
        found.append(_evidence("DEPRECATED", info, f"{what} is deprecated: {deprecated}"))
    return found


def _evidence(rule: str, info: PackageInfo, summary: str, detail: str = "") -> Evidence:
    return Evidence(EvidenceKind.METADATA, f"{rule} ({info.ecosystem} registry)", summary, detail)


# --- Go -----------------------------------------------------------------------------------------


def go_version_key(value: str) -> tuple[int, int, int] | None:
    """A Go language version (``1.21``, ``1.21.3``, ``1.21rc1``) as a comparable tuple."""
    match = _GO_VERSION.match(value.strip())
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3] or 0)


def _go(module: str, old: Release, new: Release, newer_major_path: str | None) -> list[Evidence]:
    found = []
    before, after = old.meta("go"), new.meta("go")
    old_key = go_version_key(before) if before else None
    new_key = go_version_key(after) if after else None
    if new_key is not None and (old_key is None or new_key > old_key):
        was = f"go {before}" if before else "no go directive"
        found.append(
            Evidence(
                EvidenceKind.METADATA,
                f"GO_DIRECTIVE_RAISED (go.mod of {module} {new.version})",
                f"needs Go {after} (was {was}): older toolchains cannot build it",
                f"go {before or '(none)'} → go {after}",
            )
        )
    if "+incompatible" in new.version and "+incompatible" not in old.version:
        found.append(
            Evidence(
                EvidenceKind.METADATA,
                f"GO_INCOMPATIBLE (go.mod of {module})",
                f"{new.version} is a v2+ release without a /vN module path",
            )
        )
    if newer_major_path:
        found.append(
            Evidence(
                EvidenceKind.METADATA,
                f"GO_MAJOR_PATH ({newer_major_path})",
                f"a newer major version is a new module: {newer_major_path} (imports change)",
            )
        )
    return found


def next_major_path(module: str, version: str) -> str:
    """The module path the next major version of ``module`` at ``version`` would use."""
    match = _MAJOR_SUFFIX.search(module)
    if match is not None:
        return f"{module[: match.start()]}/v{int(match[1]) + 1}"
    major = go_version_key(version.lstrip("v"))
    return f"{module}/v{max(2, (major[0] if major else 0) + 1)}"


# --- ranges of runtimes ---------------------------------------------------------------------------


def dropped(
    before: str | None,
    after: str,
    grid: Sequence[tuple[str, str]],
    allows: Callable[[str, str], bool],
) -> list[str] | None:
    """Labels of grid versions ``before`` allowed and ``after`` does not (``before`` None: all).

    None when either range cannot be read (no evidence then).
    """
    try:
        out = [
            label
            for label, version in grid
            if (before is None or allows(before, version)) and not allows(after, version)
        ]
    except (InvalidSpecifier, InvalidConstraint):
        return None
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def _specifier(text: str) -> SpecifierSet:
    return SpecifierSet(text)


def python_allows(specifier: str, version: str) -> bool:
    """True when ``version`` of Python meets a ``requires_python`` specifier."""
    return _specifier(specifier).contains(version, prereleases=True)


def npm_allows(constraint: str, version: str) -> bool:
    """True when ``version`` meets an npm range (``engines`` uses node-semver)."""
    return _NPM.satisfies(version, constraint.strip() or "*")


def _requires_python(old: Release, new: Release) -> list[Evidence]:
    before, after = old.meta("requires_python"), new.meta("requires_python")
    if not after or after == before:
        return []
    lost = dropped(before, after, PYTHON_GRID, python_allows)
    if not lost:
        return []
    return [
        Evidence(
            EvidenceKind.METADATA,
            f"REQUIRES_PYTHON_NARROWED (requires_python of {new.version})",
            f"requires_python {after} (was {before or 'unset'}): drops Python {_span(lost, PYTHON_GRID)}",
            f"{before or '(unset)'} → {after}",
        )
    ]


def _engines(old: Release, new: Release) -> list[Evidence]:
    found = []
    for key, after in new.metadata:
        if not key.startswith("engines."):
            continue
        before = old.meta(key)
        if after == before:
            continue
        engine = key.removeprefix("engines.")
        lost = dropped(before, after, NODE_GRID, npm_allows)
        if lost:
            found.append(
                Evidence(
                    EvidenceKind.METADATA,
                    f"ENGINES_NARROWED (engines.{engine} of {new.version})",
                    f"engines.{engine} {after} (was {before or 'unset'}): drops {engine} "
                    f"{_span(lost, NODE_GRID)}",
                    f"{before or '(unset)'} → {after}",
                )
            )
    return found


def _peers(old: Release, new: Release) -> list[Evidence]:
    found = []
    names = sorted(
        {k for k, _ in (*old.metadata, *new.metadata) if k.startswith("peerDependencies.")}
    )
    for key in names:
        before, after = old.meta(key), new.meta(key)
        if before == after:
            continue
        peer = key.removeprefix("peerDependencies.")
        if after is None:
            summary, breaking = f"peer dependency {peer} dropped (was {before})", False
        elif before is None:
            summary, breaking = f"new peer dependency {peer} {after}", True
        else:
            summary, breaking = f"peer dependency {peer} {before} → {after}", True
        source = f"PEER_DEPENDENCY_CHANGED (peerDependencies of {new.version})"
        found.append(Evidence(EvidenceKind.METADATA, source, summary, "", breaking))
    return found


def _span(labels: Sequence[str], grid: Sequence[tuple[str, str]]) -> str:
    """Dropped labels as runs of the grid: ``3.7–3.9``, ``0.10–15, 17``."""
    order = list(dict.fromkeys(label for label, _ in grid))
    positions = sorted(order.index(label) for label in labels)
    runs: list[list[int]] = []
    for position in positions:
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    return ", ".join(
        order[run[0]] if len(run) == 1 else f"{order[run[0]]}–{order[run[-1]]}" for run in runs
    )
