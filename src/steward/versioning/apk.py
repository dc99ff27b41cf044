"""Alpine package versions, ordered as apk-tools orders them.

A version is ``<digits>{.<digits>}[<letter>]{_<suffix>[<digits>]}[-r<digits>]``
(``1.2.3``, ``1.1.1w``, ``2.0_rc1``, ``3.1.4_p2-r0``). The comparison is apk-tools'
``apk_version_compare`` token by token: numbers numerically (a component after a dot that starts
with ``0`` compares as a fraction: minus its count of zeros, then the digits that follow), a letter by its character, pre-release suffixes
``_alpha < _beta < _pre < _rc`` below the bare version and post-release suffixes
``_cvs < _svn < _git < _hg < _p`` above it, then the ``-r`` package revision.

The tests check every line of apk-tools' own ``test/version.data`` table.
"""

from __future__ import annotations

import re
from functools import lru_cache, total_ordering
from typing import Any

from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning

_INVALID, _DIGIT_OR_ZERO, _DIGIT, _LETTER, _SUFFIX, _SUFFIX_NO, _REVISION_NO, _END = range(-1, 7)
_PRE = ("alpha", "beta", "pre", "rc")
_POST = ("cvs", "svn", "git", "hg", "p")
_VALID = re.compile(r"^\d+(\.\d+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(-r\d+)?$")
_RELATIONS = ("<=", ">=", "<", ">", "=", "~")


class _Cursor:
    """apk's ``apk_blob_t`` walk: the text, a position and the type of the next token."""

    __slots__ = ("kind", "pos", "text")

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.kind = text, 0, _DIGIT

    def token(self) -> int:
        """The value of the next token; moves past it and sets the type of the one after."""
        text, start = self.text, self.pos
        if start >= len(text):
            self.kind = _END
            return 0
        value, width, forced = self._value(text, start)
        if self.kind == _INVALID:
            return -1
        self.pos = start + width
        if self.pos >= len(text):
            self.kind = _END
        elif forced is not None:
            self.kind = forced
        else:
            self._next_kind()
        return value

    def _value(self, text: str, start: int) -> tuple[int, int, int | None]:
        kind = self.kind
        if kind == _DIGIT_OR_ZERO and text[start] == "0":  # apk: even a lone "0" (1.0.1 < 1.06)
            end = start
            while end < len(text) and text[end] == "0":
                end += 1
            return -(end - start), end - start, _DIGIT
        if kind in (_DIGIT_OR_ZERO, _DIGIT, _SUFFIX_NO, _REVISION_NO):
            end = start
            while end < len(text) and text[end].isdigit():
                end += 1
            return int(text[start:end] or 0), end - start, None
        if kind == _LETTER:
            return ord(text[start]), 1, None
        if kind == _SUFFIX:
            for index, name in enumerate(_PRE):
                if text.startswith(name, start):
                    return index - len(_PRE), len(name), None
            for index, name in enumerate(_POST):
                if text.startswith(name, start):
                    return index, len(name), None
        self.kind = _INVALID
        return -1, 0, None

    def _next_kind(self) -> None:
        text, pos, kind = self.text, self.pos, self.kind
        char = text[pos]
        new = _INVALID
        if kind in (_DIGIT, _DIGIT_OR_ZERO) and char.islower():
            new = _LETTER
        elif kind == _LETTER and char.isdigit():
            new = _DIGIT
        elif kind == _SUFFIX and char.isdigit():
            new = _SUFFIX_NO
        else:
            if char == ".":
                new = _DIGIT_OR_ZERO
            elif char == "_":
                new = _SUFFIX
            elif char == "-" and text[pos + 1 : pos + 2] == "r":
                new = _REVISION_NO
                pos += 1
            pos += 1
        allowed = (
            (new == _DIGIT_OR_ZERO and kind == _DIGIT)
            or (new == _SUFFIX and kind == _SUFFIX_NO)
            or (new == _DIGIT and kind == _LETTER)
        )
        if new < kind and not allowed:
            new = _INVALID
        self.pos, self.kind = pos, new


@lru_cache(maxsize=65536)
def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as apk version ``a`` sorts before, with or after ``b``."""
    left, right = _Cursor(a), _Cursor(b)
    av = bv = 0
    while left.kind == right.kind and left.kind not in (_END, _INVALID) and av == bv:
        av, bv = left.token(), right.token()
    if av != bv:
        return -1 if av < bv else 1
    if left.kind == right.kind:
        return 0
    if left.kind == _SUFFIX and _peek_suffix(left) < 0:
        return -1
    if right.kind == _SUFFIX and _peek_suffix(right) < 0:
        return 1
    if left.kind > right.kind:
        return -1
    return 1 if right.kind > left.kind else 0


def _peek_suffix(cursor: _Cursor) -> int:
    """The value of the suffix token under ``cursor`` without moving it (< 0: a pre-release)."""
    probe = _Cursor(cursor.text)
    probe.pos, probe.kind = cursor.pos, cursor.kind
    return probe.token()


@total_ordering
class AlpineKey:
    """A sort key ordering versions as apk does, hashable: versions apk holds equal have the same
    token stream, so they hash alike."""

    __slots__ = ("_hash", "version")

    def __init__(self, version: str) -> None:
        self.version = version
        self._hash = hash(_tokens(version))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, AlpineKey):
            return NotImplemented
        return compare(self.version, other.version) < 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AlpineKey):
            return NotImplemented
        return self._hash == other._hash and compare(self.version, other.version) == 0

    def __hash__(self) -> int:
        return self._hash


def _tokens(version: str) -> tuple[tuple[int, int], ...]:
    """(token type, value) pairs of ``version`` up to its end."""
    cursor = _Cursor(version)
    found = []
    while cursor.kind not in (_END, _INVALID):
        kind = cursor.kind
        found.append((kind, cursor.token()))
    return tuple(found)


class ApkVersioning(Versioning):
    """Alpine versions; constraints are apk's (``>=1.2-r0``, ``<2``, ``=1.0-r3``, ``~1.2``)."""

    name = "apk"

    def is_valid(self, version: str) -> bool:
        return bool(_VALID.match(version))

    def sort_key(self, version: str) -> Any:
        if not self.is_valid(version):
            raise InvalidVersion(version)
        return AlpineKey(version)

    def compare(self, a: str, b: str) -> int:
        return compare(a, b)

    def is_prerelease(self, version: str) -> bool:
        if not self.is_valid(version):
            raise InvalidVersion(version)
        return any(f"_{name}" in version for name in _PRE)

    def satisfies(self, version: str, constraint: str) -> bool:
        text = constraint.strip()
        relation = next((r for r in _RELATIONS if text.startswith(r)), None)
        other = text[len(relation) :].strip() if relation else ""
        if relation is None or not self.is_valid(other):
            raise InvalidConstraint(constraint)
        if relation == "~":
            return (
                version == other
                or version.startswith(other + ".")
                or version.startswith(other + "-")
            )
        order = compare(version, other)
        return {
            "<=": order <= 0,
            ">=": order >= 0,
            "<": order < 0,
            ">": order > 0,
            "=": order == 0,
        }[relation]

    def release_tuple(self, version: str) -> tuple[int, int, int]:
        if not self.is_valid(version):
            raise InvalidVersion(version)
        numbers = [
            int(n)
            for n in version.split("_")[0]
            .split("-")[0]
            .rstrip("abcdefghijklmnopqrstuvwxyz")
            .split(".")[:3]
        ]
        numbers += [0] * (3 - len(numbers))
        return numbers[0], numbers[1], numbers[2]
