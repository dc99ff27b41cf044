"""Freshness: a dependency and its registry's answer → how far behind it is.

Pure: the registry answer arrives as a `PackageInfo` (or `NotChecked`), the clock as ``now``.
Pre-releases are never proposed unless the dependency already runs one.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime

from steward.model import (
    Dependency,
    DependencyStatus,
    NotChecked,
    PackageInfo,
    Release,
    UpdateType,
)
from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning

SECONDS_PER_YEAR = 365.25 * 24 * 3600


@dataclass(frozen=True)
class Candidates:
    """The versions a report shows beside the current one (all newer than it, or None)."""

    current: str | None
    wanted: str | None
    latest: str | None
    newest_patch: str | None
    newest_minor: str | None
    newest_major: str | None


@dataclass(frozen=True)
class ReleaseIndex:
    """One package's releases ordered once, shared by every dependency on that package.

    ``proposable`` holds what may be proposed (not yanked, not retracted), ascending;
    ``stable`` the same without pre-releases; ``known`` every valid version the registry lists.
    """

    known: tuple[str, ...]
    proposable: tuple[str, ...]
    stable: tuple[str, ...]


def index_of(info: PackageInfo, versioning: Versioning) -> ReleaseIndex:
    """Order ``info``'s releases once; `candidates` takes the result for every dependency."""
    known = versioning.sorted(r.version for r in info.releases)
    withdrawn = {r.version for r in info.releases if r.retracted or r.yanked}
    proposable = tuple(v for v in known if v not in withdrawn)
    stable = tuple(v for v in proposable if not versioning.is_prerelease(v))
    return ReleaseIndex(tuple(known), proposable, stable)


def current_version(dep: Dependency, versioning: Versioning, index: ReleaseIndex) -> str | None:
    """The version a dependency runs: the lock file's, else the pinned one, else the best match."""
    if dep.locked and versioning.is_valid(dep.locked):
        return dep.locked
    pinned = versioning.pinned(dep.constraint) if dep.constraint else None
    if pinned and versioning.is_valid(pinned):
        return pinned
    return _max_satisfying(versioning, index.stable, dep.constraint)


def versions_to_describe(
    dep: Dependency, info: PackageInfo, versioning: Versioning, index: ReleaseIndex | None = None
) -> set[str]:
    """The versions whose release dates the report needs (current and the candidates)."""
    found = candidates(dep, info, versioning, index)
    return {
        v
        for v in (
            found.current,
            found.latest,
            found.newest_patch,
            found.newest_minor,
            found.newest_major,
            found.wanted,
        )
        if v
    }


def candidates(
    dep: Dependency, info: PackageInfo, versioning: Versioning, index: ReleaseIndex | None = None
) -> Candidates:
    """Current, wanted, latest and the newest patch/minor/major for ``dep``."""
    index = index or index_of(info, versioning)
    current = current_version(dep, versioning, index)
    on_prerelease = current is not None and versioning.is_prerelease(current)
    pool = index.proposable if on_prerelease else index.stable
    latest = _latest(info, pool)
    wanted = _max_satisfying(versioning, pool, dep.constraint) if dep.constraint else latest
    if current is None:
        return Candidates(None, wanted, latest, None, None, None)
    start = bisect.bisect_right(pool, versioning.sort_key(current), key=versioning.sort_key)
    newer = pool[start:]
    return Candidates(
        current=current,
        wanted=wanted if wanted and versioning.compare(wanted, current) > 0 else None,
        latest=latest if latest and versioning.compare(latest, current) > 0 else None,
        newest_patch=_last(newer, versioning, current, (UpdateType.PATCH, UpdateType.OTHER)),
        newest_minor=_last(newer, versioning, current, (UpdateType.MINOR,)),
        newest_major=_last(newer, versioning, current, (UpdateType.MAJOR,)),
    )


def assess(
    dep: Dependency,
    service: str,
    answer: PackageInfo | NotChecked,
    versioning: Versioning,
    now: datetime,
    index: ReleaseIndex | None = None,
) -> DependencyStatus:
    """The freshness status of one dependency (``index``: `index_of` the answer, if at hand)."""
    if isinstance(answer, NotChecked):
        return DependencyStatus(dep, service, checked=False, not_checked_reason=answer.reason)
    try:
        found = candidates(dep, answer, versioning, index)
    except (InvalidVersion, InvalidConstraint) as error:
        reason = f"cannot read version or constraint: {error}"
        return DependencyStatus(dep, service, checked=False, not_checked_reason=reason)
    if found.current is None:
        return DependencyStatus(
            dep,
            service,
            checked=False,
            latest=found.latest or found.wanted,
            not_checked_reason=f"no released version matches {dep.constraint!r}",
        )
    current = answer.release(found.current)
    target = found.latest
    latest_release = answer.release(target) if target else current
    return DependencyStatus(
        dependency=dep,
        service=service,
        checked=True,
        current=found.current,
        current_published=current.published if current else None,
        wanted=found.wanted,
        latest=target or found.current,
        latest_published=latest_release.published if latest_release else None,
        newest_patch=found.newest_patch,
        newest_minor=found.newest_minor,
        newest_major=found.newest_major,
        update_type=versioning.update_type(found.current, target) if target else None,
        libyears=_libyears(current, latest_release) if target else 0.0,
        flags=_flags(current, answer),
    )


def age_days(published: datetime | None, now: datetime) -> int | None:
    """Whole days between a release and ``now``."""
    return None if published is None else max(0, (now - published).days)


def _flags(current: Release | None, info: PackageInfo) -> tuple[str, ...]:
    flags: list[str] = []
    if info.deprecated:
        flags.append(f"package deprecated: {info.deprecated}")
    if current is not None:
        if current.deprecated:
            flags.append(f"deprecated: {current.deprecated}")
        if current.yanked:
            flags.append(f"yanked: {current.yanked}")
        if current.retracted:
            flags.append(f"retracted: {current.retracted}")
    return tuple(flags)


def _libyears(current: Release | None, latest: Release | None) -> float | None:
    if current is None or latest is None or not current.published or not latest.published:
        return None
    seconds = (latest.published - current.published).total_seconds()
    return round(max(0.0, seconds) / SECONDS_PER_YEAR, 2)


def _latest(info: PackageInfo, pool: tuple[str, ...]) -> str | None:
    """The registry's own "latest" (npm dist-tag, Go ``@latest``) when usable, else the highest.

    Respecting the tag matters: maintainers move npm's ``latest`` back after a bad release.
    """
    if info.latest and info.latest in pool:
        return info.latest
    return pool[-1] if pool else None


def _max_satisfying(versioning: Versioning, pool: tuple[str, ...], constraint: str) -> str | None:
    """The highest version of the ascending ``pool`` meeting ``constraint`` (tested from the top)."""
    if not constraint:
        return pool[-1] if pool else None
    try:
        return next((v for v in reversed(pool) if versioning.satisfies(v, constraint)), None)
    except InvalidConstraint:
        return None


def _last(
    newer: tuple[str, ...], versioning: Versioning, current: str, kinds: tuple[UpdateType, ...]
) -> str | None:
    best = None
    for version in newer:
        if versioning.update_type(current, version) in kinds:
            best = version
    return best
