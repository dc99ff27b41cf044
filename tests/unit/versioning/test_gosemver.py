"""Go module versions: ordering as golang.org/x/mod/semver, pseudo-versions, MVS minimums."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.model import UpdateType
from steward.versioning.gosemver import (
    GoSemver,
    canonical,
    is_pseudo,
    pseudo_base,
    pseudo_time,
)
from steward.versioning.interface import InvalidConstraint, InvalidVersion

GO = GoSemver()

#: Strictly ascending: every pair (i < j) must compare as less.
ASCENDING = [
    "v0.0.0-20190101000000-abcdefabcdef",
    "v0.0.0-20200101000000-abcdefabcdef",
    "v0.0.0",
    "v0.0.1-0.20200101000000-abcdefabcdef",
    "v0.0.1",
    "v0.1.0",
    "v0.9.9",
    "v1.0.0-0.3.7",
    "v1.0.0-1",
    "v1.0.0-2",
    "v1.0.0-10",
    "v1.0.0-10a",
    "v1.0.0-alpha",
    "v1.0.0-alpha.1",
    "v1.0.0-alpha.beta",
    "v1.0.0-beta",
    "v1.0.0-beta.2",
    "v1.0.0-beta.11",
    "v1.0.0-rc.1",
    "v1.0.0-rc.1.0.20200101000000-abcdefabcdef",
    "v1.0.0-rc.1.1",
    "v1.0.0-x-y-z",
    "v1.0.0",
    "v1.0.1-0.20200101000000-abcdefabcdef",
    "v1.0.1-0.20210101000000-000000000000",
    "v1.0.1",
    "v1.2.3",
    "v1.10.0",
    "v1.10.10",
    "v2.0.0-RC1",
    "v2.0.0-rc1",
    "v2.0.0+incompatible",
    "v2.0.1-0.20200101000000-abcdefabcdef+incompatible",
    "v2.1.0",
    "v10.0.0",
    "v18446744073709551616.0.0",
]

#: Each group compares equal: short forms and build metadata do not count.
EQUAL = [
    ["v1", "v1.0", "v1.0.0", "v1.0.0+build.5", "v1.0.0+incompatible"],
    ["v1.2", "v1.2.0", "v1.2.0+meta-data.01"],
    ["v2.0.0-rc.1", "v2.0.0-rc.1+incompatible"],
]

INVALID = [
    "",
    "v",
    "1.0.0",
    "V1.0.0",
    " v1.0.0",
    "v1.0.0 ",
    "v01.0.0",
    "v1.02.0",
    "v1.0.00",
    "v1.0.0.0",
    "v-1.0.0",
    "v1.0.0-",
    "v1.0.0-01",
    "v1.0.0-rc..1",
    "v1.0.0-é",
    "v1.0.0+",
    "v1.0.0+a..b",
    "v1.0-pre",
    "v1.0+build",
    "v1-pre",
    "latest",
]


@pytest.mark.parametrize(("lower", "higher"), list(itertools.combinations(ASCENDING, 2)))
def test_ascending_table_orders_every_pair(lower: str, higher: str) -> None:
    assert GO.compare(lower, higher) == -1
    assert GO.compare(higher, lower) == 1


@pytest.mark.parametrize(
    ("a", "b"), [pair for group in EQUAL for pair in itertools.combinations(group, 2)]
)
def test_short_forms_and_build_metadata_compare_equal(a: str, b: str) -> None:
    assert GO.compare(a, b) == 0


def test_sorted_orders_a_shuffled_table_and_drops_invalid() -> None:
    shuffled = [*reversed(ASCENDING), "1.0.0", "latest"]
    assert GO.sorted(shuffled) == ASCENDING


@pytest.mark.parametrize("version", INVALID)
def test_invalid_versions_are_rejected(version: str) -> None:
    assert not GO.is_valid(version)
    with pytest.raises(InvalidVersion):
        GO.sort_key(version)


@pytest.mark.parametrize("version", ASCENDING)
def test_every_table_version_is_valid(version: str) -> None:
    assert GO.is_valid(version)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("v1", "v1.0.0"),
        ("v1.2", "v1.2.0"),
        ("v1.2.3+build", "v1.2.3"),
        ("v2.0.0+incompatible", "v2.0.0+incompatible"),
        ("v1.2.3-rc.1+meta", "v1.2.3-rc.1"),
    ],
)
def test_canonical_is_what_go_mod_records(version: str, expected: str) -> None:
    assert canonical(version) == expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("v1.0.0", False),
        ("v1.0.0+incompatible", False),
        ("v1.0.0-rc.1", True),
        ("v0.0.0-20191109021931-daa7c04131f5", True),
        ("v1.2.4-0.20191109021931-daa7c04131f5", True),
    ],
)
def test_prereleases_and_pseudo_versions_are_prereleases(version: str, expected: bool) -> None:
    assert GO.is_prerelease(version) is expected


PSEUDO = [
    # (version, base, time)
    ("v0.0.0-20191109021931-daa7c04131f5", None, datetime(2019, 11, 9, 2, 19, 31, tzinfo=UTC)),
    (
        "v1.2.4-0.20191109021931-daa7c04131f5",
        "v1.2.3",
        datetime(2019, 11, 9, 2, 19, 31, tzinfo=UTC),
    ),
    (
        "v1.2.3-pre.0.20200101120000-abcdefabcdef",
        "v1.2.3-pre",
        datetime(2020, 1, 1, 12, tzinfo=UTC),
    ),
    (
        "v1.2.3-rc.1.0.20200101120000-abcdefabcdef",
        "v1.2.3-rc.1",
        datetime(2020, 1, 1, 12, tzinfo=UTC),
    ),
    (
        "v2.0.1-0.20200101120000-abcdefabcdef+incompatible",
        "v2.0.0+incompatible",
        datetime(2020, 1, 1, 12, tzinfo=UTC),
    ),
    (
        "v3.1.0-beta.0.20200101120000-abcdefabcdef+incompatible",
        "v3.1.0-beta+incompatible",
        datetime(2020, 1, 1, 12, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("version", "base", "time"), PSEUDO)
def test_pseudo_versions_in_all_three_forms(version: str, base: str | None, time: datetime) -> None:
    assert is_pseudo(version)
    assert pseudo_base(version) == base
    assert pseudo_time(version) == time
    if base is not None:
        assert GO.compare(base, version) == -1


@pytest.mark.parametrize(
    "version",
    [
        "v1.2.3",
        "v1.2.3-pre",
        "v1.2.3-0.2019110902193-abcdef",  # 13 digits
        "v1.2.3-20191109021931-abcdef",  # the no-base form needs vX.0.0
        "v0.0.0-20191109021931",  # no revision
        "v0.0.0-20191109021931-abc_def",
        "not-a-version-20191109021931-abc",
    ],
)
def test_non_pseudo_versions(version: str) -> None:
    assert not is_pseudo(version)
    with pytest.raises(InvalidVersion):
        pseudo_base(version)


def test_pseudo_time_rejects_an_impossible_date() -> None:
    with pytest.raises(InvalidVersion):
        pseudo_time("v0.0.0-20191399021931-daa7c04131f5")


def test_pseudo_base_rejects_a_patch_that_cannot_step_back() -> None:
    with pytest.raises(InvalidVersion):
        pseudo_base("v1.2.0-0.20191109021931-daa7c04131f5")


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("v1.2.3", "v1.2.3", True),
        ("v1.2.4", "v1.2.3", True),
        ("v1.9.0", "v1.2.3", True),
        ("v1.2.2", "v1.2.3", False),
        ("v1.3.0-rc.1", "v1.2.3", True),
        ("v1.2.3-rc.1", "v1.2.3", False),
        ("v1.2.4-0.20200101000000-abcdefabcdef", "v1.2.3", True),
        ("v2.0.0", "v1.2.3", False),
        ("v0.9.0", "v1.0.0", False),
        ("v3.1.0+incompatible", "v3.0.0+incompatible", True),
    ],
)
def test_satisfies_treats_the_requirement_as_a_minimum_in_its_major(
    version: str, constraint: str, expected: bool
) -> None:
    assert GO.satisfies(version, constraint) is expected


def test_satisfies_rejects_a_range_go_does_not_have() -> None:
    with pytest.raises(InvalidConstraint):
        GO.satisfies("v1.2.3", ">=v1.2.0")


def test_max_satisfying_stays_in_the_major() -> None:
    versions = ["v1.2.3", "v1.4.0", "v1.5.0-rc.1", "v2.0.0", "v1.1.0"]
    assert GO.max_satisfying(versions, "v1.2.0") == "v1.5.0-rc.1"


@pytest.mark.parametrize(
    ("current", "candidate", "expected"),
    [
        ("v1.2.3", "v2.0.0", UpdateType.MAJOR),
        ("v1.2.3", "v2.0.0+incompatible", UpdateType.MAJOR),
        ("v1.2.3", "v1.3.0", UpdateType.MINOR),
        ("v1.2.3", "v1.2.4", UpdateType.PATCH),
        ("v1.2.3-rc.1", "v1.2.3", UpdateType.OTHER),
        ("v1.2.4-0.20200101000000-abcdefabcdef", "v1.2.4", UpdateType.OTHER),
        ("v0.0.0-20200101000000-abcdefabcdef", "v0.1.0", UpdateType.MINOR),
        ("v1", "v1.0.1", UpdateType.PATCH),
    ],
)
def test_update_type_by_first_number_that_differs(
    current: str, candidate: str, expected: UpdateType
) -> None:
    assert GO.update_type(current, candidate) is expected


def test_pinned_is_the_go_mod_version_itself() -> None:
    assert GO.pinned("v1.2.3") == "v1.2.3"
    assert GO.pinned("v2.0.0+incompatible") == "v2.0.0+incompatible"
    assert GO.pinned("latest") is None


def test_release_tuple_fills_short_forms() -> None:
    assert GO.release_tuple("v1") == (1, 0, 0)
    assert GO.release_tuple("v1.2.4-0.20200101000000-abcdefabcdef") == (1, 2, 4)


# --- properties ---------------------------------------------------------------------------------

_numbers = st.integers(min_value=0, max_value=30)
_identifier = st.one_of(
    _numbers.map(str),
    st.from_regex(r"[0-9A-Za-z-]*[A-Za-z-][0-9A-Za-z-]*", fullmatch=True).filter(
        lambda s: len(s) < 8
    ),
)
_prerelease = st.lists(_identifier, min_size=0, max_size=3).map(
    lambda ids: "-" + ".".join(ids) if ids else ""
)
_build = st.sampled_from(["", "+incompatible", "+build.1"])
versions = st.builds(
    lambda a, b, c, pre, build: f"v{a}.{b}.{c}{pre}{build}",
    _numbers,
    _numbers,
    _numbers,
    _prerelease,
    _build,
)
_stamps = st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda t: t.strftime("%Y%m%d%H%M%S")
)
_revisions = st.from_regex(r"[0-9a-f]{12}", fullmatch=True)


@given(versions, versions)
def test_compare_is_antisymmetric(a: str, b: str) -> None:
    assert GO.compare(a, b) == -GO.compare(b, a)


@given(versions, versions, versions)
def test_compare_is_transitive(a: str, b: str, c: str) -> None:
    x, y, z = sorted([a, b, c], key=GO.sort_key)
    assert GO.compare(x, y) <= 0 and GO.compare(y, z) <= 0
    assert GO.compare(x, z) <= 0


@given(versions)
def test_canonical_form_compares_equal_and_is_stable(version: str) -> None:
    assert GO.compare(canonical(version), version) == 0
    assert canonical(canonical(version)) == canonical(version)


@given(_numbers, _numbers, _numbers, _stamps, _revisions)
def test_pseudo_version_after_a_release_sorts_between_it_and_the_next(
    major: int, minor: int, patch: int, stamp: str, revision: str
) -> None:
    base = f"v{major}.{minor}.{patch}"
    pseudo = f"v{major}.{minor}.{patch + 1}-0.{stamp}-{revision}"
    assert is_pseudo(pseudo)
    assert pseudo_base(pseudo) == base
    assert GO.compare(base, pseudo) == -1
    assert GO.compare(pseudo, f"v{major}.{minor}.{patch + 1}") == -1
    assert GO.compare(pseudo, f"v{major}.{minor}.{patch + 1}-alpha") == -1


@given(_numbers, _numbers, _numbers, _prerelease.filter(bool), _stamps, _revisions)
def test_pseudo_version_after_a_prerelease_sorts_before_its_release(
    major: int, minor: int, patch: int, pre: str, stamp: str, revision: str
) -> None:
    base = f"v{major}.{minor}.{patch}{pre}"
    pseudo = f"{base}.0.{stamp}-{revision}"
    assert is_pseudo(pseudo)
    assert pseudo_base(pseudo) == base
    assert GO.compare(base, pseudo) == -1
    assert GO.compare(pseudo, f"v{major}.{minor}.{patch}") == -1


@given(_numbers, _stamps, _revisions)
def test_pseudo_version_without_a_base_sorts_before_the_first_release(
    major: int, stamp: str, revision: str
) -> None:
    pseudo = f"v{major}.0.0-{stamp}-{revision}"
    assert is_pseudo(pseudo)
    assert pseudo_base(pseudo) is None
    assert GO.compare(f"v{major}.0.0-0", pseudo) == -1  # numeric identifiers sort first
    assert GO.compare(pseudo, f"v{major}.0.0") == -1
    assert pseudo_time(pseudo).strftime("%Y%m%d%H%M%S") == stamp
