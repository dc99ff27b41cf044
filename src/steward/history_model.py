"""Scan history as data: what one stored scan says, and what changed between two scans.

These are the facts the store hands back and the history renderers consume. Everything here is
pure: `count` turns a scan's statuses into its summary counts and `compare` turns the stored rows
of two scans into a `Drift`. The store (``steward.store``) does the I/O; the renderers
(``steward.report.history``) do the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from steward.model import DependencyStatus, UpdateType

#: What a dependency is known by across scans: (service, ecosystem, name).
DependencyKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class ScanCounts:
    """How one scan came out, in numbers: the summary columns of a stored scan."""

    dependencies: int = 0
    outdated_major: int = 0
    outdated_minor: int = 0
    outdated_patch: int = 0
    #: Outdated by a pre-release, post-release, build or pseudo-version only.
    outdated_other: int = 0
    not_checked: int = 0
    problems: int = 0
    libyears: float = 0.0

    @property
    def outdated(self) -> int:
        """Every outdated dependency, whatever the size of the update."""
        return self.outdated_major + self.outdated_minor + self.outdated_patch + self.outdated_other


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """One stored scan: when and where it ran, which Steward ran it, and its counts."""

    id: int
    started_at: datetime
    finished_at: datetime
    root: str
    version: str
    counts: ScanCounts


@dataclass(frozen=True, slots=True)
class StoredStatus:
    """One dependency row of a stored scan: the freshness facts the store keeps."""

    service: str
    ecosystem: str
    name: str
    file: str
    line: int
    dep_type: str
    constraint: str
    checked: bool
    current: str | None = None
    latest: str | None = None
    update_type: UpdateType | None = None
    not_checked_reason: str | None = None
    libyears: float | None = None
    current_published: datetime | None = None
    latest_published: datetime | None = None

    @property
    def key(self) -> DependencyKey:
        """What this dependency is known by across scans."""
        return (self.service, self.ecosystem, self.name)

    @property
    def outdated(self) -> bool:
        """Whether a newer version was known when the scan ran."""
        return self.update_type is not None


@dataclass(frozen=True, slots=True)
class DependencyChange:
    """One dependency as two scans saw it; ``before`` or ``after`` is None when it was absent."""

    before: StoredStatus | None
    after: StoredStatus | None

    @property
    def key(self) -> DependencyKey:
        """The (service, ecosystem, name) both sides share."""
        side = self.after or self.before
        if side is None:
            raise ValueError("a change needs at least one side")
        return side.key


@dataclass(frozen=True, slots=True)
class Drift:
    """What changed between two scans, each list sorted by (service, ecosystem, name).

    Only dependencies checked in both scans can become outdated or current: a dependency that
    could not be checked says nothing about freshness. ``version_changes`` lists every dependency
    whose current version is known in both scans and differs, whatever its freshness.
    """

    previous_id: int
    current_id: int
    newly_outdated: tuple[DependencyChange, ...] = ()
    newly_current: tuple[DependencyChange, ...] = ()
    version_changes: tuple[DependencyChange, ...] = ()
    added: tuple[DependencyChange, ...] = ()
    removed: tuple[DependencyChange, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the two scans agree on every dependency."""
        return not (
            self.newly_outdated
            or self.newly_current
            or self.version_changes
            or self.added
            or self.removed
        )


_OUTDATED_FIELD = {
    UpdateType.MAJOR: "outdated_major",
    UpdateType.MINOR: "outdated_minor",
    UpdateType.PATCH: "outdated_patch",
    UpdateType.OTHER: "outdated_other",
}


def count(statuses: Sequence[DependencyStatus], problems: int = 0) -> ScanCounts:
    """The summary counts of a scan with these statuses and this many problems.

    A status that was not checked counts as not checked only, never as current or outdated;
    libyears add up over the statuses that have them.
    """
    outdated = dict.fromkeys(_OUTDATED_FIELD.values(), 0)
    for status in statuses:
        if status.checked and status.update_type is not None:
            outdated[_OUTDATED_FIELD[status.update_type]] += 1
    return ScanCounts(
        dependencies=len(statuses),
        not_checked=sum(1 for status in statuses if not status.checked),
        problems=problems,
        libyears=sum(status.libyears or 0.0 for status in statuses),
        **outdated,
    )


def compare(
    previous_id: int,
    previous: Iterable[StoredStatus],
    current_id: int,
    current: Iterable[StoredStatus],
) -> Drift:
    """The drift from the scan with rows ``previous`` to the scan with rows ``current``.

    Dependencies are matched by (service, ecosystem, name). When one scan lists the same key more
    than once (a dependency declared in two files of one service), the row first by (file, line)
    stands for it.
    """
    before, after = _by_key(previous), _by_key(current)
    both = sorted(before.keys() & after.keys())
    pairs = [DependencyChange(before[key], after[key]) for key in both]
    return Drift(
        previous_id=previous_id,
        current_id=current_id,
        newly_outdated=tuple(pair for pair in pairs if _became(pair, outdated=True)),
        newly_current=tuple(pair for pair in pairs if _became(pair, outdated=False)),
        version_changes=tuple(pair for pair in pairs if _version_changed(pair)),
        added=tuple(
            DependencyChange(None, after[key]) for key in sorted(after.keys() - before.keys())
        ),
        removed=tuple(
            DependencyChange(before[key], None) for key in sorted(before.keys() - after.keys())
        ),
    )


def _by_key(rows: Iterable[StoredStatus]) -> dict[DependencyKey, StoredStatus]:
    chosen: dict[DependencyKey, StoredStatus] = {}
    for row in sorted(rows, key=lambda row: (row.file, row.line)):
        chosen.setdefault(row.key, row)
    return chosen


def _became(change: DependencyChange, *, outdated: bool) -> bool:
    old, new = change.before, change.after
    if old is None or new is None or not (old.checked and new.checked):
        return False
    return old.outdated != outdated and new.outdated == outdated


def _version_changed(change: DependencyChange) -> bool:
    old = change.before.current if change.before else None
    new = change.after.current if change.after else None
    return old is not None and new is not None and old != new
