"""npm versions and ranges with the semantics of node-semver, the library npm itself uses.

This is a line-by-line port of node-semver's range desugaring (``classes/range.js``,
``internal/re.js``) in its default, non-loose mode: ``||`` alternatives, hyphen ranges
(``1.2 - 3``), x-ranges (``1.x``, ``1.2.*``, ``*``, ``""``), tilde (``~1.2.3``, ``~>1.2``), caret
(``^0.2.3`` with the 0.x rules), comparator sets (``>=1.2.0 <2``) and the pre-release rule: a
version with a pre-release tag only satisfies a set when a comparator of that set names the same
``major.minor.patch`` with a pre-release of its own (unless ``include_prerelease``). Anything
node-semver rejects raises `InvalidConstraint`: dist-tags such as ``latest`` are not ranges.

Versions follow ``semver.valid``: ``1.2.3``, ``v1.2.3``, ``1.2.3-beta.1+build``; ``=1.2.3`` and
leading zeros are invalid, as in node-semver's non-loose mode. The behaviour is cross-checked
against the real package in ``tests/oracles/node``.

Ported from node-semver (https://github.com/npm/node-semver), under its licence:

    The ISC License

    Copyright (c) Isaac Z. Schlueter and Contributors

    Permission to use, copy, modify, and/or distribute this software for any
    purpose with or without fee is hereby granted, provided that the above
    copyright notice and this permission notice appear in all copies.

    THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
    WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
    MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
    ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
    WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
    ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR
    IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning

MAX_LENGTH = 256
MAX_SAFE_INTEGER = 2**53 - 1
_MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6

# ECMAScript's \s and String.prototype.trim(): Python's \s and str.strip() differ from them.
_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WS_CLASS = "".join(re.escape(c) for c in _WHITESPACE)
_LETTERDASHNUMBER = "[a-zA-Z0-9-]"


def _safe(source: str) -> str:
    """node-semver's ``makeSafeRegex``: bound the greedy repetitions, then speak Python."""
    for token, limit in (
        ("\\s", 1),
        ("\\d", MAX_LENGTH),
        (_LETTERDASHNUMBER, _MAX_SAFE_BUILD_LENGTH),
    ):
        source = source.replace(f"{token}*", f"{token}{{0,{limit}}}")
        source = source.replace(f"{token}+", f"{token}{{1,{limit}}}")
    source = source.replace("[v=\\s]", f"[v={_WS_CLASS}]").replace("\\s", f"[{_WS_CLASS}]")
    return source.replace("\\d", "[0-9]").replace("$", r"\Z")


_NUMERIC = "0|[1-9]\\d*"
_NONNUMERIC = f"\\d*[a-zA-Z-]{_LETTERDASHNUMBER}*"
_NUMERIC_LOOSE = "\\d+"
_MAINVERSION = f"({_NUMERIC})\\.({_NUMERIC})\\.({_NUMERIC})"
_MAINVERSION_LOOSE = f"({_NUMERIC_LOOSE})\\.({_NUMERIC_LOOSE})\\.({_NUMERIC_LOOSE})"
_PRE_ID = f"(?:{_NONNUMERIC}|{_NUMERIC})"
_PRE_ID_LOOSE = f"(?:{_NONNUMERIC}|{_NUMERIC_LOOSE})"
_PRERELEASE = f"(?:-({_PRE_ID}(?:\\.{_PRE_ID})*))"
_PRERELEASE_LOOSE = f"(?:-?({_PRE_ID_LOOSE}(?:\\.{_PRE_ID_LOOSE})*))"
_BUILD_ID = f"{_LETTERDASHNUMBER}+"
_BUILD = f"(?:\\+({_BUILD_ID}(?:\\.{_BUILD_ID})*))"
_FULLPLAIN = f"v?{_MAINVERSION}{_PRERELEASE}?{_BUILD}?"
_LOOSEPLAIN = f"[v=\\s]*{_MAINVERSION_LOOSE}{_PRERELEASE_LOOSE}?{_BUILD}?"
_GTLT = "((?:<|>)?=?)"
_XID = f"{_NUMERIC}|x|X|\\*"
_XRANGEPLAIN = f"[v=\\s]*({_XID})(?:\\.({_XID})(?:\\.({_XID})(?:{_PRERELEASE})?{_BUILD}?)?)?"

_FULL = re.compile(_safe(f"^{_FULLPLAIN}$"))
_BUILD_STRIP = re.compile(_BUILD)  # unbounded, as in range.js
_BUILD_RE = re.compile(_safe(_BUILD))
_XRANGE = re.compile(_safe(f"^{_GTLT}\\s*{_XRANGEPLAIN}$"))
_TILDETRIM = re.compile(_safe("(\\s*)(?:~>?)\\s+"))
_TILDE = re.compile(_safe(f"^(?:~>?){_XRANGEPLAIN}$"))
_CARETTRIM = re.compile(_safe("(\\s*)(?:\\^)\\s+"))
_CARET = re.compile(_safe(f"^(?:\\^){_XRANGEPLAIN}$"))
_COMPARATOR = re.compile(_safe(f"^{_GTLT}\\s*({_FULLPLAIN})$|^$"))
_COMPARATORTRIM = re.compile(_safe(f"(\\s*){_GTLT}\\s*({_LOOSEPLAIN}|{_XRANGEPLAIN})"))
_HYPHENRANGE = re.compile(_safe(f"^\\s*({_XRANGEPLAIN})\\s+-\\s+({_XRANGEPLAIN})\\s*$"))
_STAR = re.compile(_safe("(<|>)?=?\\s*\\*"))
_GTE0 = re.compile(_safe("^\\s*>=\\s*0\\.0\\.0\\s*$"))
_GTE0PRE = re.compile(_safe("^\\s*>=\\s*0\\.0\\.0-0\\s*$"))
_SPACES = re.compile(f"[{_WS_CLASS}]+")
_DIGITS = re.compile("^[0-9]+$")

PrereleaseId = int | str


@dataclass(frozen=True, slots=True)
class SemVer:
    """A parsed npm version; ``version`` is its normalised text (no ``v``, no build metadata)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[PrereleaseId, ...] = ()
    build: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        main = f"{self.major}.{self.minor}.{self.patch}"
        return f"{main}-{'.'.join(map(str, self.prerelease))}" if self.prerelease else main

    @property
    def key(self) -> tuple[int, int, int, tuple[object, ...]]:
        """Orders as node-semver's ``compare``: a release sorts after its pre-releases."""
        pre: tuple[object, ...] = (1,)
        if self.prerelease:
            pre = (0, tuple(_identifier_key(i) for i in self.prerelease))
        return (self.major, self.minor, self.patch, pre)


def _identifier_key(identifier: PrereleaseId) -> tuple[int, float | str]:
    if isinstance(identifier, int):
        return (0, identifier)
    if _DIGITS.match(identifier):  # too large for a safe integer: JavaScript compares doubles
        return (0, float(identifier))
    return (1, identifier)


def _js_trim(text: str) -> str:
    return text.strip(_WHITESPACE)


@lru_cache(maxsize=65536)
def parse_version(version: str) -> SemVer:
    """``version`` as node-semver's ``new SemVer(version)`` reads it; raises `InvalidVersion`."""
    if len(version) > MAX_LENGTH:
        raise InvalidVersion(f"version is longer than {MAX_LENGTH} characters")
    match = _FULL.match(_js_trim(version))
    if not match:
        raise InvalidVersion(version)
    numbers = [int(match.group(i)) for i in (1, 2, 3)]
    if any(n > MAX_SAFE_INTEGER for n in numbers):
        raise InvalidVersion(f"{version}: component larger than {MAX_SAFE_INTEGER}")
    pre = tuple(_prerelease_id(i) for i in match.group(4).split(".")) if match.group(4) else ()
    build = tuple(match.group(5).split(".")) if match.group(5) else ()
    return SemVer(numbers[0], numbers[1], numbers[2], pre, build)


def _prerelease_id(identifier: str) -> PrereleaseId:
    if _DIGITS.match(identifier) and int(identifier) < MAX_SAFE_INTEGER:
        return int(identifier)
    return identifier


@dataclass(frozen=True, slots=True)
class Comparator:
    """One ``<op><version>`` of a comparator set; ``semver`` None is node-semver's ANY."""

    operator: str
    semver: SemVer | None

    @property
    def value(self) -> str:
        return "" if self.semver is None else self.operator + self.semver.version

    def test(self, version: SemVer) -> bool:
        """True when ``version`` meets this single comparator."""
        if self.semver is None:
            return True
        a, b = version.key, self.semver.key
        return {
            "": a == b,
            ">": a > b,
            ">=": a >= b,
            "<": a < b,
            "<=": a <= b,
        }[self.operator]


ComparatorSet = tuple[Comparator, ...]
_NULL_SET = "<0.0.0-0"


def _parse_comparator(text: str) -> Comparator:
    text = " ".join(_SPACES.split(_js_trim(text)))
    match = _COMPARATOR.match(text)
    if not match:
        raise InvalidConstraint(f"invalid comparator: {text}")
    operator = match.group(1) or ""
    operator = "" if operator == "=" else operator
    if not match.group(2):
        return Comparator(operator, None)
    try:
        return Comparator(operator, parse_version(match.group(2)))
    except InvalidVersion as error:
        raise InvalidConstraint(str(error)) from error


def _is_x(identifier: str | None) -> bool:
    return not identifier or identifier.lower() == "x" or identifier == "*"


def _tilde(include_prerelease: bool) -> Callable[[re.Match[str]], str]:
    z = "-0" if include_prerelease else ""

    def replace(match: re.Match[str]) -> str:
        major, minor, patch, pre = match.group(1, 2, 3, 4)
        if _is_x(major):
            return ""
        if _is_x(minor):
            return f">={major}.0.0{z} <{int(major) + 1}.0.0-0"
        if _is_x(patch):
            return f">={major}.{minor}.0{z} <{major}.{int(minor) + 1}.0-0"
        low = f">={major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
        return f"{low} <{major}.{int(minor) + 1}.0-0"

    return replace


def _caret(include_prerelease: bool) -> Callable[[re.Match[str]], str]:
    z = "-0" if include_prerelease else ""

    def replace(match: re.Match[str]) -> str:
        major, minor, patch, pre = match.group(1, 2, 3, 4)
        if _is_x(major):
            return ""
        if _is_x(minor):
            return f">={major}.0.0{z} <{int(major) + 1}.0.0-0"
        if _is_x(patch):
            if major == "0":
                return f">={major}.{minor}.0{z} <{major}.{int(minor) + 1}.0-0"
            return f">={major}.{minor}.0{z} <{int(major) + 1}.0.0-0"
        low = f">={major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
        if major == "0" and minor == "0":
            return f"{low} <{major}.{minor}.{int(patch) + 1}-0"
        if major == "0":
            return f"{low} <{major}.{int(minor) + 1}.0-0"
        return f"{low} <{int(major) + 1}.0.0-0"

    return replace


def _xrange(include_prerelease: bool) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        gtlt, major, minor, patch = match.group(1, 2, 3, 4)
        if (_is_x(major) and not _is_x(minor)) or (_is_x(minor) and patch and not _is_x(patch)):
            return whole
        xmajor = _is_x(major)
        xminor = xmajor or _is_x(minor)
        anyx = xminor or _is_x(patch)
        gtlt = "" if gtlt == "=" and anyx else gtlt
        pr = "-0" if include_prerelease else ""
        if xmajor:
            return _NULL_SET if gtlt in (">", "<") else "*"
        if gtlt and anyx:
            return _xrange_bound(gtlt, int(major), 0 if xminor else int(minor), xminor, pr)
        if xminor:
            return f">={major}.0.0{pr} <{int(major) + 1}.0.0-0"
        if anyx:
            return f">={major}.{minor}.0{pr} <{major}.{int(minor) + 1}.0-0"
        return whole

    return replace


def _xrange_bound(gtlt: str, major: int, minor: int, xminor: bool, pr: str) -> str:
    if gtlt == ">":
        gtlt = ">="
        major, minor = (major + 1, 0) if xminor else (major, minor + 1)
    elif gtlt == "<=":
        gtlt = "<"
        major, minor = (major + 1, minor) if xminor else (major, minor + 1)
    if gtlt == "<":
        pr = "-0"
    return f"{gtlt}{major}.{minor}.0{pr}"


def _hyphen(include_prerelease: bool) -> Callable[[re.Match[str]], str]:
    z = "-0" if include_prerelease else ""

    def replace(match: re.Match[str]) -> str:
        start, fmaj, fmin, fpat, fpre = match.group(1, 2, 3, 4, 5)
        end, tmaj, tmin, tpat, tpre = match.group(7, 8, 9, 10, 11)
        if _is_x(fmaj):
            low = ""
        elif _is_x(fmin):
            low = f">={fmaj}.0.0{z}"
        elif _is_x(fpat):
            low = f">={fmaj}.{fmin}.0{z}"
        else:
            low = f">={start}" if fpre else f">={start}{z}"
        if _is_x(tmaj):
            high = ""
        elif _is_x(tmin):
            high = f"<{int(tmaj) + 1}.0.0-0"
        elif _is_x(tpat):
            high = f"<{tmaj}.{int(tmin) + 1}.0-0"
        elif tpre:
            high = f"<={tmaj}.{tmin}.{tpat}-{tpre}"
        elif include_prerelease:
            high = f"<{tmaj}.{tmin}.{int(tpat) + 1}-0"
        else:
            high = f"<={end}"
        return _js_trim(f"{low} {high}")

    return replace


def _map_words(text: str, function: Callable[[str], str], *, trim: bool = True) -> str:
    words = _SPACES.split(_js_trim(text) if trim else text)
    return " ".join(function(word) for word in words)


def _desugar(comp: str, include_prerelease: bool) -> str:
    """``parseComparator``: carets, tildes, x-ranges and stars → plain comparators."""
    comp = _BUILD_RE.sub("", comp, count=1)
    caret, tilde, xrange = (
        _caret(include_prerelease),
        _tilde(include_prerelease),
        _xrange(include_prerelease),
    )
    comp = _map_words(comp, lambda c: _CARET.sub(caret, c, count=1))
    comp = _map_words(comp, lambda c: _TILDE.sub(tilde, c, count=1))
    comp = _map_words(comp, lambda c: _XRANGE.sub(xrange, _js_trim(c), count=1), trim=False)
    return _STAR.sub("", _js_trim(comp), count=1)


def _parse_set(text: str, include_prerelease: bool) -> ComparatorSet:
    """``Range.parseRange``: one ``||`` alternative → its comparators (deduplicated)."""
    text = _BUILD_STRIP.sub("", text)
    text = _HYPHENRANGE.sub(_hyphen(include_prerelease), text, count=1)
    text = _COMPARATORTRIM.sub(r"\1\2\3", text)
    text = _TILDETRIM.sub(r"\1~", text)
    text = _CARETTRIM.sub(r"\1^", text)
    desugared = " ".join(_desugar(word, include_prerelease) for word in text.split(" "))
    gte0 = _GTE0PRE if include_prerelease else _GTE0
    words = [gte0.sub("", _js_trim(w), count=1) for w in _SPACES.split(desugared)]
    by_value: dict[str, Comparator] = {}
    comparators = [_parse_comparator(word) for word in words]  # all of them: any may be invalid
    for comparator in comparators:
        if comparator.value == _NULL_SET:
            return (comparator,)
        by_value[comparator.value] = comparator
    if len(by_value) > 1:
        by_value.pop("", None)
    return tuple(by_value.values())


def parse_range(constraint: str, include_prerelease: bool = False) -> tuple[ComparatorSet, ...]:
    """``new Range(constraint)``: the comparator sets, any one of which must hold entirely.

    Raises `InvalidConstraint` where node-semver throws (``validRange`` returns null).
    """
    parsed = _parse_range(constraint, include_prerelease)
    if isinstance(parsed, str):
        raise InvalidConstraint(parsed)
    return parsed


@lru_cache(maxsize=16384)
def _parse_range(constraint: str, include_prerelease: bool) -> tuple[ComparatorSet, ...] | str:
    """`parse_range`, with the error message returned so that failures are cached too."""
    raw = " ".join(_SPACES.split(_js_trim(constraint)))
    try:
        sets = [_parse_set(_js_trim(part), include_prerelease) for part in raw.split("||")]
    except InvalidConstraint as error:
        return f"invalid range {constraint!r}: {error}"
    if len(sets) > 1:
        first = sets[0]
        sets = [s for s in sets if s[0].value != _NULL_SET] or [first]
        for candidate in sets if len(sets) > 1 else ():
            if len(candidate) == 1 and candidate[0].semver is None:
                return (candidate,)
    return tuple(sets)


def _test_set(comparators: ComparatorSet, version: SemVer, include_prerelease: bool) -> bool:
    if not all(c.test(version) for c in comparators):
        return False
    if not version.prerelease or include_prerelease:
        return True
    same = (version.major, version.minor, version.patch)
    return any(
        c.semver is not None
        and c.semver.prerelease
        and (c.semver.major, c.semver.minor, c.semver.patch) == same
        for c in comparators
    )


class NpmSemver(Versioning):
    """npm's version scheme: node-semver versions and ranges (see the module docstring).

    ``include_prerelease`` is node-semver's option of that name: pre-releases then satisfy any
    range they fall in.
    """

    name = "npm"

    def __init__(self, *, include_prerelease: bool = False) -> None:
        self.include_prerelease = include_prerelease

    def parse(self, version: str) -> SemVer:
        """The parsed version; raises `InvalidVersion`."""
        return parse_version(version)

    def is_valid(self, version: str) -> bool:
        try:
            parse_version(version)
        except InvalidVersion:
            return False
        return True

    def is_valid_range(self, constraint: str) -> bool:
        """True when node-semver's ``validRange`` would accept ``constraint``."""
        try:
            parse_range(constraint, self.include_prerelease)
        except InvalidConstraint:
            return False
        return True

    def sort_key(self, version: str) -> tuple[int, int, int, tuple[object, ...]]:
        return parse_version(version).key

    def is_prerelease(self, version: str) -> bool:
        return bool(parse_version(version).prerelease)

    def satisfies(self, version: str, constraint: str) -> bool:
        """node-semver's ``satisfies``; a version it cannot read satisfies nothing."""
        sets = parse_range(constraint, self.include_prerelease)
        try:
            parsed = parse_version(version)
        except InvalidVersion:
            return False
        return any(_test_set(s, parsed, self.include_prerelease) for s in sets)

    def max_satisfying(self, versions: Iterable[str], constraint: str) -> str | None:
        """node-semver's ``maxSatisfying``: the first of equal maxima wins, input order kept."""
        parse_range(constraint, self.include_prerelease)
        best: str | None = None
        best_key: tuple[int, int, int, tuple[object, ...]] | None = None
        for version in versions:
            if self.satisfies(version, constraint):
                key = parse_version(version).key
                if best_key is None or best_key < key:
                    best, best_key = version, key
        return best

    def release_tuple(self, version: str) -> tuple[int, int, int]:
        parsed = parse_version(version)
        return (parsed.major, parsed.minor, parsed.patch)

    def pinned(self, constraint: str) -> str | None:
        """The version of a range that names exactly one (``1.2.3``, ``=1.2.3``, ``v1.2.3``)."""
        try:
            sets = parse_range(constraint, self.include_prerelease)
        except InvalidConstraint:
            return None
        if len(sets) == 1 and len(sets[0]) == 1:
            only = sets[0][0]
            if only.operator == "" and only.semver is not None:
                return only.semver.version
        return None
