"""PEP 440 versions and specifiers, through ``packaging`` (never re-implemented here)."""

from __future__ import annotations

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion as _PackagingInvalidVersion
from packaging.version import Version

from steward.model import UpdateType
from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning


class PEP440(Versioning):
    name = "pep440"

    def _parse(self, version: str) -> Version:
        try:
            return Version(version)
        except _PackagingInvalidVersion as error:
            raise InvalidVersion(version) from error

    def is_valid(self, version: str) -> bool:
        try:
            Version(version)
        except _PackagingInvalidVersion:
            return False
        return True

    def sort_key(self, version: str) -> Version:
        return self._parse(version)

    def is_prerelease(self, version: str) -> bool:
        parsed = self._parse(version)
        return parsed.is_prerelease

    def satisfies(self, version: str, constraint: str) -> bool:
        try:
            spec = SpecifierSet(constraint)
        except InvalidSpecifier as error:
            raise InvalidConstraint(constraint) from error
        return spec.contains(self._parse(version), prereleases=True)

    def release_tuple(self, version: str) -> tuple[int, int, int]:
        release = self._parse(version).release + (0, 0, 0)
        return (release[0], release[1], release[2])

    def update_type(self, current: str, candidate: str) -> UpdateType:
        a, b = self._parse(current), self._parse(candidate)
        if a.epoch != b.epoch:
            return UpdateType.MAJOR
        ra, rb = self.release_tuple(current), self.release_tuple(candidate)
        if ra[0] != rb[0]:
            return UpdateType.MAJOR
        if ra[1] != rb[1]:
            return UpdateType.MINOR
        if ra[2] != rb[2]:
            return UpdateType.PATCH
        return UpdateType.OTHER

    def pinned(self, constraint: str) -> str | None:
        try:
            spec = SpecifierSet(constraint)
        except InvalidSpecifier:
            return None
        specs = list(spec)
        if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
            return specs[0].version
        return None
