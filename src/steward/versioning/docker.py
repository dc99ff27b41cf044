"""Docker image tags as versions, the way Renovate's ``docker`` versioning reads them.

A tag is ``[v]<release><prerelease>[-<suffix>]``: ``3.11.9-slim-bookworm`` has release (3, 11, 9),
no pre-release and the suffix ``slim-bookworm``; ``3.13.0rc1-alpine`` has the pre-release ``rc1``.
Tags that do not start with a number (``latest``, ``bookworm``, ``nonroot``) are not versions.

Rules kept from Renovate:

- ordering is numeric component by component, and a *shorter* release sorts *higher* than a longer
  one it prefixes (``3.11`` > ``3.11.9``: the floating tag always points at the newest patch);
- a pre-release sorts below the same release without one;
- a candidate is *compatible* with the current tag only with the same suffix and the same
  precision (number of release components): ``3.11-slim`` moves to ``3.12-slim``, never to
  ``3.12.1-slim`` or ``3.12``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning

_PREFIX = re.compile(r"^(?P<release>\d+(?:\.\d+)*)(?P<prerelease>\w*)$")


@dataclass(frozen=True, slots=True)
class DockerTag:
    """A tag read as a version: numeric release, pre-release letters, suffix after the first ``-``."""

    release: tuple[int, ...]
    prerelease: str
    suffix: str


@lru_cache(maxsize=16384)
def parse_tag(tag: str) -> DockerTag | None:
    """The tag as a `DockerTag`, or ``None`` when it is not a version (``latest``, ``nonroot``)."""
    head, _, suffix = tag.removeprefix("v").partition("-")
    match = _PREFIX.match(head)
    if match is None:
        return None
    release = tuple(int(part) for part in match.group("release").split("."))
    return DockerTag(release, match.group("prerelease"), suffix)


def is_compatible(candidate: str, current: str) -> bool:
    """True when ``candidate`` keeps ``current``'s suffix and precision (Renovate's rule)."""
    a, b = parse_tag(candidate), parse_tag(current)
    return (
        a is not None
        and b is not None
        and a.suffix == b.suffix
        and len(a.release) == len(b.release)
    )


def _key(tag: DockerTag) -> tuple[Any, ...]:
    """Components as ``(0, n)`` closed by ``(1,)``, so a shorter release sorts higher."""
    release: list[tuple[int, ...]] = [(0, n) for n in tag.release]
    release.append((1,))
    stability = (1, "") if not tag.prerelease else (0, tag.prerelease)
    return (tuple(release), stability, tag.suffix)


class DockerVersioning(Versioning):
    """Docker tags: ordering, pre-releases and update types (no ranges: a tag is exact)."""

    name = "docker"

    def is_valid(self, version: str) -> bool:
        return parse_tag(version) is not None

    def sort_key(self, version: str) -> Any:
        return _key(self._parse(version))

    def is_prerelease(self, version: str) -> bool:
        return bool(self._parse(version).prerelease)

    def satisfies(self, version: str, constraint: str) -> bool:
        """A tag "constraint" is a tag: equal release, pre-release and suffix."""
        if parse_tag(constraint) is None:
            raise InvalidConstraint(constraint)
        return self._parse(version) == parse_tag(constraint)

    def release_tuple(self, version: str) -> tuple[int, int, int]:
        release = (*self._parse(version).release, 0, 0, 0)
        return release[0], release[1], release[2]

    def pinned(self, constraint: str) -> str | None:
        return constraint if parse_tag(constraint) is not None else None

    @staticmethod
    def _parse(version: str) -> DockerTag:
        parsed = parse_tag(version)
        if parsed is None:
            raise InvalidVersion(version)
        return parsed
