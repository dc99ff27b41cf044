"""Go module versions: semantic versions as ``golang.org/x/mod/semver`` orders them.

A Go version is ``v`` + ``MAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]``; the short forms ``v1`` and
``v1.2`` mean ``v1.0.0`` and ``v1.2.0`` (``v1.2-pre`` is not a version). Pre-release identifiers
compare as in SemVer 2.0 (numeric < alphanumeric, numbers numerically, a longer list after its
prefix); build metadata never affects ordering but stays in the string (``+incompatible``).

Pseudo-versions name an untagged commit and come in three forms, each ordered just above the tag it
was derived from and below the next release::

    vX.0.0-yyyymmddhhmmss-abcdefabcdef          no earlier tag on this major version
    vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef    after the pre-release vX.Y.Z-pre
    vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef    after the release vX.Y.Z

Go has no version ranges: a go.mod ``require`` is a minimum that Minimal Version Selection may raise,
so `GoSemver.satisfies` treats the constraint as a floor within the same major version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning

_NUM = r"0|[1-9][0-9]*"
_PRE_ID = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_BUILD_ID = r"[0-9A-Za-z-]+"
_SEMVER = re.compile(
    rf"v(?P<major>{_NUM})"
    rf"(?:\.(?P<minor>{_NUM})"
    rf"(?:\.(?P<patch>{_NUM})"
    rf"(?:-(?P<pre>{_PRE_ID}(?:\.{_PRE_ID})*))?"
    rf"(?:\+(?P<build>{_BUILD_ID}(?:\.{_BUILD_ID})*))?"
    r")?)?"
)
# golang.org/x/mod/module's pseudoVersionRE, with the build suffix checked by _SEMVER.
_PSEUDO = re.compile(
    r"v[0-9]+\.(?:0\.0-|[0-9]+\.[0-9]+-(?:[^+]*\.)?0\.)[0-9]{14}-[A-Za-z0-9]+(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)

#: Sorts a release after every pre-release of the same major.minor.patch.
_RELEASE_RANK = (1,)


@dataclass(frozen=True, slots=True)
class GoVersion:
    """A parsed Go version; ``prerelease`` and ``build`` are without their ``-`` / ``+``."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()
    build: str = ""

    @property
    def key(self) -> tuple[int, int, int, tuple[object, ...]]:
        """The ordering key: numbers, then the pre-release (a release sorts last)."""
        if not self.prerelease:
            return (self.major, self.minor, self.patch, _RELEASE_RANK)
        ids = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in self.prerelease)
        return (self.major, self.minor, self.patch, (0, *ids))


@lru_cache(maxsize=65536)
def parse(version: str) -> GoVersion:
    """Read a Go version (``v1.2.3-rc.1+incompatible``, ``v1.2``); raises `InvalidVersion`."""
    match = _SEMVER.fullmatch(version)
    if match is None:
        raise InvalidVersion(version)
    pre, build = match["pre"], match["build"]
    return GoVersion(
        major=int(match["major"]),
        minor=int(match["minor"] or 0),
        patch=int(match["patch"] or 0),
        prerelease=tuple(pre.split(".")) if pre else (),
        build=build or "",
    )


def canonical(version: str) -> str:
    """``vX.Y.Z[-pre]``, keeping ``+incompatible`` and dropping other build metadata.

    The spelling go.mod records (``golang.org/x/mod/module.CanonicalVersion``): ``v1.2`` becomes
    ``v1.2.0``. Raises `InvalidVersion`.
    """
    parsed = parse(version)
    text = f"v{parsed.major}.{parsed.minor}.{parsed.patch}"
    if parsed.prerelease:
        text += "-" + ".".join(parsed.prerelease)
    if parsed.build == "incompatible":
        text += "+incompatible"
    return text


def is_pseudo(version: str) -> bool:
    """True for a pseudo-version in any of its three forms."""
    if version.count("-") < 2 or _SEMVER.fullmatch(version) is None:
        return False
    return _PSEUDO.fullmatch(version) is not None


def _pseudo_parts(version: str) -> tuple[str, str]:
    """(``vX.Y.Z-pre.0`` / ``vX.Y.(Z+1)-0`` / ``vX.0.0``, timestamp) of a pseudo-version."""
    if not is_pseudo(version):
        raise InvalidVersion(f"{version}: not a pseudo-version")
    body = version.split("+", 1)[0]
    body = body[: body.rindex("-")]  # drop the revision
    dash, dot = body.rindex("-"), body.rfind(".")
    if dot > dash:
        return body[:dot], body[dot + 1 :]
    return body[:dash], body[dash + 1 :]


def pseudo_base(version: str) -> str | None:
    """The tag a pseudo-version was derived from, or None for the ``vX.0.0-`` form.

    ``v1.2.4-0.20200101000000-abcdef123456`` → ``v1.2.3``; ``v1.2.3-rc.1.0.2020…`` → ``v1.2.3-rc.1``;
    ``+incompatible`` is kept. Raises `InvalidVersion` for anything but a pseudo-version.
    """
    base, _ = _pseudo_parts(version)
    build = "+" + version.split("+", 1)[1] if "+" in version else ""
    parsed = parse(base)
    if not parsed.prerelease:
        return None
    if parsed.prerelease == ("0",):
        if parsed.patch == 0:
            raise InvalidVersion(f"{version}: pseudo-version has no base version to step back to")
        return f"v{parsed.major}.{parsed.minor}.{parsed.patch - 1}{build}"
    return base.removesuffix(".0") + build


def pseudo_time(version: str) -> datetime:
    """The commit time (UTC) a pseudo-version records; raises `InvalidVersion`."""
    _, stamp = _pseudo_parts(version)
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError as error:
        raise InvalidVersion(f"{version}: invalid pseudo-version time {stamp}") from error


class GoSemver(Versioning):
    """Go module versions: ordering, pre-releases, pseudo-versions and MVS minimums."""

    name = "go"

    def is_valid(self, version: str) -> bool:
        """True for ``v``-prefixed semantic versions, including the ``v1`` and ``v1.2`` forms."""
        return _SEMVER.fullmatch(version) is not None

    def sort_key(self, version: str) -> tuple[int, int, int, tuple[object, ...]]:
        """Orders as ``semver.Compare``: build metadata (``+incompatible``) is ignored."""
        return parse(version).key

    def is_prerelease(self, version: str) -> bool:
        """True for pre-releases; every pseudo-version is one."""
        return bool(parse(version).prerelease)

    def satisfies(self, version: str, constraint: str) -> bool:
        """True when ``version`` is at least the go.mod minimum ``constraint`` in the same major.

        Raises `InvalidConstraint` when ``constraint`` is not a Go version and `InvalidVersion`
        when ``version`` is not.
        """
        if not self.is_valid(constraint):
            raise InvalidConstraint(constraint)
        floor, candidate = parse(constraint), parse(version)
        return candidate.major == floor.major and candidate.key >= floor.key

    def release_tuple(self, version: str) -> tuple[int, int, int]:
        """(major, minor, patch) as written (a pseudo-version's own numbers, not its base's)."""
        parsed = parse(version)
        return (parsed.major, parsed.minor, parsed.patch)

    def pinned(self, constraint: str) -> str | None:
        """go.mod always names one version: the constraint itself, when it is a valid version."""
        return constraint if self.is_valid(constraint) else None
