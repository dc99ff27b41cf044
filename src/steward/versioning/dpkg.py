"""Debian package versions (``[epoch:]upstream[-revision]``), ordered as ``dpkg`` orders them.

The comparison is dpkg's ``verrevcmp`` (lib/dpkg/version.c): epochs numerically, then upstream
version and revision each as alternating runs of non-digits and digits. In a non-digit run ``~``
sorts before everything (even the end of the string), letters before all other characters; digit
runs compare numerically. The tests cross-check against ``dpkg --compare-versions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering
from typing import Any

from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning

_UPSTREAM = re.compile(r"[0-9][A-Za-z0-9.+~:-]*")
_REVISION = re.compile(r"[A-Za-z0-9.+~]+")
_RELATIONS = ("<<", "<=", ">=", ">>", "=", "<", ">")


@dataclass(frozen=True, slots=True)
class DebianVersion:
    """A parsed version: epoch, upstream version and Debian revision ("" when absent)."""

    epoch: int
    upstream: str
    revision: str


@lru_cache(maxsize=65536)
def parse(version: str) -> DebianVersion:
    """Split ``version`` as dpkg does; raises `InvalidVersion`."""
    text = version.strip()
    epoch_text, colon, rest = text.partition(":")
    if not colon:
        epoch_text, rest = "0", text
    if not epoch_text.isdigit() or not rest:
        raise InvalidVersion(version)
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    if not _UPSTREAM.fullmatch(upstream):
        raise InvalidVersion(version)
    if revision and not _REVISION.fullmatch(revision):
        raise InvalidVersion(version)
    return DebianVersion(int(epoch_text), upstream, revision)


def _order(char: str) -> int:
    if char == "~":
        return -1
    if char.isdigit():
        return 0
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _verrevcmp(a: str, b: str) -> int:
    """dpkg's ``verrevcmp``: -1, 0 or 1."""
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) else 0
            bc = _order(b[j]) if j < len(b) else 0
            if ac != bc:
                return -1 if ac < bc else 1
            i, j = i + 1, j + 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i, j = i + 1, j + 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return -1 if first_diff < 0 else 1
    return 0


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as Debian version ``a`` sorts before, with or after ``b``."""
    va, vb = parse(a), parse(b)
    if va.epoch != vb.epoch:
        return -1 if va.epoch < vb.epoch else 1
    return _verrevcmp(va.upstream, vb.upstream) or _verrevcmp(va.revision, vb.revision)


@total_ordering
class DebianKey:
    """A sort key ordering versions as dpkg does, hashable so that versions dpkg holds equal
    (``1.0`` and ``0:1.0``, ``1.0a`` and ``1.0a0``) are one key in a set."""

    __slots__ = ("_hash", "version")

    def __init__(self, version: str) -> None:
        self.version = version
        self._hash = hash(_canonical(version))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DebianKey):
            return NotImplemented
        return compare(self.version, other.version) < 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DebianKey):
            return NotImplemented
        return self._hash == other._hash and compare(self.version, other.version) == 0

    def __hash__(self) -> int:
        return self._hash


def _canonical(
    version: str,
) -> tuple[int, tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    parsed = parse(version)
    return parsed.epoch, _runs(parsed.upstream), _runs(parsed.revision)


def _runs(text: str) -> tuple[tuple[str, int], ...]:
    """(non-digit run, number) pairs; trailing ("", 0) pairs dropped, as ``verrevcmp`` ignores
    them."""
    pairs = [(letters, int(digits or 0)) for letters, digits in re.findall(r"(\D*)(\d*)", text)]
    while pairs and pairs[-1] == ("", 0):
        pairs.pop()
    return tuple(pairs)


def _numbers(upstream: str) -> tuple[int, int, int]:
    parts = [int(p) for p in re.findall(r"\d+", upstream)[:3]]
    parts += [0] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


class DpkgVersioning(Versioning):
    """Debian versions; constraints are dpkg relations (``>= 1.2-1``, ``<< 2``, ``= 1.0``)."""

    name = "dpkg"

    def is_valid(self, version: str) -> bool:
        try:
            parse(version)
        except InvalidVersion:
            return False
        return True

    def sort_key(self, version: str) -> Any:
        return DebianKey(version)

    def compare(self, a: str, b: str) -> int:
        return compare(a, b)

    def is_prerelease(self, version: str) -> bool:
        return "~" in parse(version).upstream

    def satisfies(self, version: str, constraint: str) -> bool:
        text = constraint.strip()
        relation = next((r for r in _RELATIONS if text.startswith(r)), None)
        if relation is None:
            raise InvalidConstraint(constraint)
        other = text[len(relation) :].strip()
        if not self.is_valid(other):
            raise InvalidConstraint(constraint)
        order = compare(version, other)
        return {
            "<<": order < 0,
            "<": order <= 0,  # dpkg's deprecated "<" means "<="
            "<=": order <= 0,
            "=": order == 0,
            ">=": order >= 0,
            ">": order >= 0,
            ">>": order > 0,
        }[relation]

    def release_tuple(self, version: str) -> tuple[int, int, int]:
        return _numbers(parse(version).upstream)
