"""PEP 440 ordering (an ordered table, pairwise), Poetry constraint translation, Hypothesis laws."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from steward.model import UpdateType
from steward.versioning.interface import InvalidConstraint, InvalidVersion
from steward.versioning.pep440 import PEP440, poetry_specifiers, specifiers

SCHEME = PEP440()

#: Strictly ascending, as PEP 440 orders them.
ORDERED = [
    "0.9",
    "1.0.dev0",
    "1.0a1",
    "1.0a2.dev1",
    "1.0a2",
    "1.0b1",
    "1.0rc1",
    "1.0",
    "1.0.post1",
    "1.0.1",
    "1.1.dev1",
    "1.1",
    "1.10",
    "2.0",
    "2!0.1",
]


@pytest.mark.parametrize(("lower", "higher"), list(itertools.combinations(ORDERED, 2)))
def test_versions_order_as_the_table(lower: str, higher: str) -> None:
    assert SCHEME.compare(lower, higher) == -1
    assert SCHEME.compare(higher, lower) == 1


def test_equal_spellings_compare_equal() -> None:
    assert SCHEME.compare("1.0", "1.0.0") == 0
    assert SCHEME.compare("1.0RC1", "1.0rc1") == 0


def test_sorted_drops_invalid_versions() -> None:
    assert SCHEME.sorted(["2.0", "not-a-version", "1.0"]) == ["1.0", "2.0"]


def test_invalid_version_raises_its_own_error() -> None:
    with pytest.raises(InvalidVersion):
        SCHEME.sort_key("not a version")


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1.0a1", True), ("1.0.dev3", True), ("1.0rc2", True), ("1.0", False), ("1.0.post1", False)],
)
def test_prereleases(version: str, expected: bool) -> None:
    assert SCHEME.is_prerelease(version) is expected


@pytest.mark.parametrize(
    ("current", "candidate", "expected"),
    [
        ("1.2.3", "2.0.0", UpdateType.MAJOR),
        ("1.2.3", "1.3.0", UpdateType.MINOR),
        ("1.2.3", "1.2.4", UpdateType.PATCH),
        ("1.2", "1.2.1", UpdateType.PATCH),
        ("1.2.3", "1.2.3.post1", UpdateType.OTHER),
        ("1.0", "1!1.0", UpdateType.MAJOR),
    ],
)
def test_update_type_is_the_first_differing_component(
    current: str, candidate: str, expected: UpdateType
) -> None:
    assert SCHEME.update_type(current, candidate) is expected


#: Poetry constraint → the PEP 440 specifier sets it means (OR of ANDs), as Poetry documents them.
POETRY = [
    ("^1.2.3", [">=1.2.3,<2.0.0"]),
    ("^1.2", [">=1.2,<2.0.0"]),
    ("^1", [">=1,<2.0.0"]),
    ("^0.2.3", [">=0.2.3,<0.3.0"]),
    ("^0.0.3", [">=0.0.3,<0.0.4"]),
    ("^0.0", [">=0.0,<0.1.0"]),
    ("^0", [">=0,<1.0.0"]),
    ("~1.2.3", [">=1.2.3,<1.3.0"]),
    ("~1.2", [">=1.2,<1.3.0"]),
    ("~1", [">=1,<2.0.0"]),
    ("*", [""]),
    ("1.2.3", ["==1.2.3"]),
    ("=1.2.3", ["==1.2.3"]),
    ("1.2.*", ["==1.2.*"]),
    (">=1.2 <2.0", [">=1.2,<2.0"]),
    (">= 1.2, < 2.0", [">=1.2,<2.0"]),
    ("^1.2 || ^3.0", [">=1.2,<2.0.0", ">=3.0,<4.0.0"]),
    ("<1.0 | >=2.0,!=2.1.*", ["<1.0", ">=2.0,!=2.1.*"]),
]


@pytest.mark.parametrize(("constraint", "expected"), POETRY)
def test_poetry_constraints_translate_to_specifier_sets(
    constraint: str, expected: list[str]
) -> None:
    assert poetry_specifiers(constraint) == tuple(SpecifierSet(s) for s in expected)


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("1.9.9", "^1.2", True),
        ("2.0.0", "^1.2", False),
        ("2.0.0a1", "^1.2", False),
        ("0.2.9", "^0.2.3", True),
        ("0.3.0", "^0.2.3", False),
        ("1.2.9", "~1.2.3", True),
        ("1.3.0", "~1.2.3", False),
        ("3.5", "^1.2 || ^3.0", True),
        ("2.5", "^1.2 || ^3.0", False),
        ("1.2.7", "1.2.*", True),
        ("1.3", "1.2.*", False),
        ("9.9", "*", True),
        ("9.9", "", True),
        ("1.5", ">=1,<2", True),
        ("1.5", "~=1.4", True),
        ("2.0", "~=1.4", False),
        ("1.0.0", "==1.0", True),
        ("1.0", "1.0.0", True),
    ],
)
def test_satisfies_reads_pep440_and_poetry(version: str, constraint: str, expected: bool) -> None:
    assert SCHEME.satisfies(version, constraint) is expected


@pytest.mark.parametrize("constraint", ["^banana", ">>1", "~1.x", "1.2.3 foo"])
def test_unreadable_constraints_raise(constraint: str) -> None:
    with pytest.raises(InvalidConstraint):
        SCHEME.satisfies("1.0", constraint)


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("==1.2.3", "1.2.3"),
        ("===1.0-custom", "1.0-custom"),
        ("1.2.3", "1.2.3"),
        ("=2.0", "2.0"),
        ("== 6.0.1", "6.0.1"),
        ("==1.2.*", None),
        (">=1.2", None),
        ("^1.2", None),
        ("1.2 || 1.3", None),
        ("", None),
        ("not valid at all", None),
    ],
)
def test_pinned_versions(constraint: str, expected: str | None) -> None:
    assert SCHEME.pinned(constraint) == expected


def test_max_satisfying_picks_the_highest_in_range() -> None:
    versions = ["1.0", "1.4.2", "1.9.0", "2.0.0", "2.1.0rc1"]
    assert SCHEME.max_satisfying(versions, "^1.2") == "1.9.0"
    assert SCHEME.max_satisfying(versions, ">=3") is None


releases = st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))


def _text(release: tuple[int, int, int]) -> str:
    return ".".join(map(str, release))


@given(releases, releases)
def test_order_follows_the_release_tuple(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    assert SCHEME.compare(_text(a), _text(b)) == (a > b) - (a < b)


@given(releases)
def test_a_version_satisfies_its_own_caret_and_tilde(release: tuple[int, int, int]) -> None:
    version = _text(release)
    assert SCHEME.satisfies(version, f"^{version}")
    assert SCHEME.satisfies(version, f"~{version}")
    assert SCHEME.satisfies(version, f"=={version}")
    assert SCHEME.pinned(version) == version


@given(releases, releases)
def test_caret_admits_exactly_the_same_leading_non_zero_component(
    base: tuple[int, int, int], other: tuple[int, int, int]
) -> None:
    major, minor, _ = base
    if major > 0:
        expected = other[0] == major and other >= base
    elif minor > 0:
        expected = other[:2] == (0, minor) and other >= base
    else:
        expected = other == base
    assert SCHEME.satisfies(_text(other), f"^{_text(base)}") is expected


@given(releases)
def test_specifiers_of_pep440_text_are_packaging_s_own(release: tuple[int, int, int]) -> None:
    text = f">={_text(release)},<{release[0] + 1}"
    assert specifiers(text) == (SpecifierSet(text),)
