"""The one interface every version scheme implements.

A scheme knows how to read its versions, order them, tell a pre-release, match a constraint as the
ecosystem's own tools do, and say how far apart two versions are. Schemes are pure: no I/O.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from steward.model import UpdateType


class InvalidVersion(ValueError):
    """A version string the scheme cannot read."""


class InvalidConstraint(ValueError):
    """A constraint (range, specifier) the scheme cannot read."""


class Versioning(ABC):
    """A version scheme: ordering, pre-releases, constraints and update types."""

    name: str

    @abstractmethod
    def is_valid(self, version: str) -> bool:
        """True when ``version`` is a version of this scheme."""

    @abstractmethod
    def sort_key(self, version: str) -> Any:
        """A key that orders versions exactly as the ecosystem does; raises `InvalidVersion`."""

    @abstractmethod
    def is_prerelease(self, version: str) -> bool:
        """True for pre-releases (and, for Go, pseudo-versions of a pre-release base)."""

    @abstractmethod
    def satisfies(self, version: str, constraint: str) -> bool:
        """True when ``version`` meets ``constraint`` under the ecosystem's rules.

        Raises `InvalidConstraint` for a constraint the scheme cannot read.
        """

    def update_type(self, current: str, candidate: str) -> UpdateType:
        """How far ``candidate`` is from ``current``: the first of major, minor, patch that
        differs (`release_tuple`); `UpdateType.OTHER` when all three are equal."""
        a, b = self.release_tuple(current), self.release_tuple(candidate)
        if a[0] != b[0]:
            return UpdateType.MAJOR
        if a[1] != b[1]:
            return UpdateType.MINOR
        if a[2] != b[2]:
            return UpdateType.PATCH
        return UpdateType.OTHER

    @abstractmethod
    def release_tuple(self, version: str) -> tuple[int, int, int]:
        """(major, minor, patch) of a version, missing components as 0."""

    def pinned(self, constraint: str) -> str | None:
        """The single version a constraint pins (``==1.2.3``, npm ``1.2.3``), else None."""
        return None

    def compare(self, a: str, b: str) -> int:
        """-1, 0 or 1 as ``a`` sorts before, with or after ``b``."""
        ka, kb = self.sort_key(a), self.sort_key(b)
        return int(ka > kb) - int(ka < kb)

    def sorted(self, versions: Iterable[str]) -> list[str]:
        """Valid versions in ascending order; invalid ones are dropped."""
        return sorted((v for v in versions if self.is_valid(v)), key=self.sort_key)

    def max_satisfying(self, versions: Iterable[str], constraint: str) -> str | None:
        """The highest version meeting ``constraint``, or None."""
        best: str | None = None
        for version in self.sorted(versions):
            if self.satisfies(version, constraint):
                best = version
        return best
