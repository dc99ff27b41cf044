"""PEP 440 versions and specifiers, through ``packaging`` (never re-implemented here).

Constraints are read first as PEP 440 specifier sets (``>=1.2,<2``, ``~=1.4``, ``==1.*``). What is
not PEP 440 is read as Poetry's constraint syntax and translated to specifier sets
(`poetry_specifiers`): every range is still decided by ``packaging``.

=====================  ==========================  ====================================
Poetry                 PEP 440                     rule
=====================  ==========================  ====================================
``^1.2.3``             ``>=1.2.3,<2.0.0``          bump the first non-zero component
``^0.2.3``             ``>=0.2.3,<0.3.0``
``^0.0.3``             ``>=0.0.3,<0.0.4``
``^0``                 ``>=0,<1``                  (Poetry's ``next_breaking``)
``~1.2.3`` / ``~1.2``  ``>=1.2.3,<1.3.0``          bump the minor; ``~1`` bumps the major
``*`` / empty          (any)
``1.2.3`` / ``=1.2``   ``==1.2.3``                 a bare version pins
``1.2.*``              ``==1.2.*``
``>=1 <2``, ``>=1,<2``  ``>=1,<2``                 whitespace or comma: AND
``^1 || ^3``           either set                  ``||`` (or ``|``): OR
=====================  ==========================  ====================================
"""

from __future__ import annotations

import re
from functools import lru_cache

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion as _PackagingInvalidVersion
from packaging.version import Version

from steward.model import UpdateType
from steward.versioning.interface import InvalidConstraint, InvalidVersion, Versioning

_OR = re.compile(r"\s*\|\|?\s*")
_AND = re.compile(r"\s*,\s*|\s+(?=[<>=!~^*\d])")
_OPERATOR = re.compile(r"^(===|==|!=|<=|>=|~=|<|>|=|\^|~)?\s*(.*)$")
_SPACED_OPERATOR = re.compile(r"(===|==|!=|<=|>=|~=|<|>|=|\^|~)\s+")


def _version(text: str, constraint: str) -> Version:
    try:
        return Version(text)
    except _PackagingInvalidVersion as error:
        raise InvalidConstraint(constraint) from error


def _upper_caret(version: Version) -> str:
    """Poetry's ``next_breaking``: bump the first non-zero of the components written."""
    release = version.release
    if release[0] > 0 or len(release) == 1:
        return f"{release[0] + 1}.0.0"
    if release[1] > 0 or len(release) == 2:
        return f"0.{release[1] + 1}.0"
    return f"0.0.{release[2] + 1}"


def _upper_tilde(version: Version) -> str:
    release = version.release
    if len(release) == 1:
        return f"{release[0] + 1}.0.0"
    return f"{release[0]}.{release[1] + 1}.0"


def _translate_one(term: str, constraint: str) -> str:
    """One Poetry term (``^1.2``, ``~1``, ``1.2.*``, ``>=1``, ``*``) as a PEP 440 specifier."""
    if term in ("*", ""):
        return ""
    match = _OPERATOR.match(term)
    assert match is not None  # the pattern accepts every string
    operator, rest = match.group(1) or "", match.group(2).strip()
    if operator == "^":
        return f">={rest},<{_upper_caret(_version(rest, constraint))}"
    if operator == "~":
        return f">={rest},<{_upper_tilde(_version(rest, constraint))}"
    if operator in ("", "="):
        operator = "=="
    return f"{operator}{rest}"


def _specifier_set(text: str, constraint: str) -> SpecifierSet:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier as error:
        raise InvalidConstraint(constraint) from error


def poetry_specifiers(constraint: str) -> tuple[SpecifierSet, ...]:
    """A Poetry constraint as PEP 440 specifier sets, any one of which may match (OR).

    Raises `InvalidConstraint` when a term is neither Poetry nor PEP 440 syntax.
    """
    alternatives: list[SpecifierSet] = []
    for alternative in _OR.split(constraint.strip()):
        joined = _SPACED_OPERATOR.sub(r"\1", alternative.strip())
        terms = [t for t in _AND.split(joined) if t]
        translated = [_translate_one(term, constraint) for term in terms]
        alternatives.append(_specifier_set(",".join(t for t in translated if t), constraint))
    return tuple(alternatives)


@lru_cache(maxsize=16384)
def specifiers(constraint: str) -> tuple[SpecifierSet, ...]:
    """``constraint`` as specifier sets (OR): PEP 440 when it reads as such, else Poetry syntax."""
    try:
        return (SpecifierSet(constraint),)
    except InvalidSpecifier:
        return poetry_specifiers(constraint)


@lru_cache(maxsize=65536)
def _cached_version(version: str) -> Version | None:
    """``version`` parsed once per process (scans compare the same versions many times)."""
    try:
        return Version(version)
    except _PackagingInvalidVersion:
        return None


class PEP440(Versioning):
    """PEP 440 ordering and matching; constraints in PEP 440 or Poetry syntax."""

    name = "pep440"

    def _parse(self, version: str) -> Version:
        parsed = _cached_version(version)
        if parsed is None:
            raise InvalidVersion(version)
        return parsed

    def is_valid(self, version: str) -> bool:
        return _cached_version(version) is not None

    def sort_key(self, version: str) -> Version:
        return self._parse(version)

    def is_prerelease(self, version: str) -> bool:
        """True for alpha, beta, rc and dev releases (``packaging``'s definition)."""
        return self._parse(version).is_prerelease

    def satisfies(self, version: str, constraint: str) -> bool:
        """True when ``version`` meets the PEP 440 or Poetry ``constraint``.

        Pre-releases match whenever the ranges include them: the caller decides whether it wants
        pre-releases at all. Raises `InvalidConstraint` for an unreadable constraint.
        """
        parsed = self._parse(version)
        return any(spec.contains(parsed, prereleases=True) for spec in specifiers(constraint))

    def release_tuple(self, version: str) -> tuple[int, int, int]:
        release = (*self._parse(version).release, 0, 0, 0)
        return (release[0], release[1], release[2])

    def update_type(self, current: str, candidate: str) -> UpdateType:
        """As every scheme does, except that a change of epoch is a major update."""
        if self._parse(current).epoch != self._parse(candidate).epoch:
            return UpdateType.MAJOR
        return super().update_type(current, candidate)

    def pinned(self, constraint: str) -> str | None:
        """The version pinned by ``==x``, ``===x`` or a bare Poetry version (``1.2.3``), else None."""
        try:
            sets = specifiers(constraint)
        except InvalidConstraint:
            return None
        if len(sets) != 1:
            return None
        specs = list(sets[0])
        if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
            return specs[0].version
        return None
