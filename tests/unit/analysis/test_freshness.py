"""Freshness: current, wanted, latest and the newest patch/minor/major, with ages."""

from __future__ import annotations

from datetime import UTC, datetime

from steward.analysis.freshness import assess, candidates
from steward.model import Dependency, NotChecked, PackageInfo, Release, UpdateType
from steward.versioning.pep440 import PEP440

NOW = datetime(2026, 11, 27, tzinfo=UTC)
PEP = PEP440()


def _info(*versions: str, latest: str | None = None, **flags: dict[str, str]) -> PackageInfo:
    releases = []
    for i, version in enumerate(versions):
        extra = {
            kind: by_version[version] for kind, by_version in flags.items() if version in by_version
        }
        releases.append(
            Release(version, datetime(2020 + i // 4, 1 + i % 4 * 3, 1, tzinfo=UTC), **extra)
        )
    return PackageInfo("pypi", "pkg", tuple(releases), latest=latest)


def _dep(constraint: str = "", locked: str | None = None) -> Dependency:
    return Dependency("pypi", "pkg", constraint, "requirements.txt", 1, "main", locked=locked)


INFO = _info("1.0.0", "1.0.1", "1.1.0", "1.1.5", "2.0.0rc1", "2.0.0", "2.1.0", "3.0.0a1")


def test_locked_version_is_current_and_candidates_are_split_by_update_type() -> None:
    found = candidates(_dep(">=1,<2", locked="1.0.1"), INFO, PEP)
    assert (found.current, found.wanted, found.latest) == ("1.0.1", "1.1.5", "2.1.0")
    assert (found.newest_patch, found.newest_minor, found.newest_major) == (None, "1.1.5", "2.1.0")


def test_without_a_lock_the_best_match_of_the_constraint_is_current() -> None:
    found = candidates(_dep("~=1.1.0"), INFO, PEP)
    assert found.current == "1.1.5"
    assert found.wanted is None  # nothing newer is allowed by the constraint


def test_prereleases_are_excluded_unless_already_on_one() -> None:
    assert candidates(_dep(locked="2.1.0"), INFO, PEP).latest is None
    assert candidates(_dep(locked="3.0.0a1"), INFO, PEP).latest is None
    on_pre = candidates(_dep(locked="2.0.0rc1"), INFO, PEP)
    assert on_pre.latest == "3.0.0a1"


def test_yanked_releases_are_never_proposed_and_a_yanked_current_is_flagged() -> None:
    info = _info("1.0.0", "1.0.1", "1.0.2", yanked={"1.0.2": "broken wheel", "1.0.0": "bad"})
    status = assess(_dep(locked="1.0.0"), "svc", info, PEP, NOW)
    assert status.latest == "1.0.1"
    assert status.update_type is UpdateType.PATCH
    assert status.flags == ("yanked: bad",)


def test_update_type_age_and_libyears() -> None:
    status = assess(_dep(locked="1.0.0"), "svc", INFO, PEP, NOW)
    assert status.checked
    assert status.update_type is UpdateType.MAJOR
    assert status.current_published == datetime(2020, 1, 1, tzinfo=UTC)
    assert status.latest_published == datetime(2021, 7, 1, tzinfo=UTC)
    assert status.libyears == 1.5


def test_registry_latest_tag_is_respected() -> None:
    info = _info("1.0.0", "1.1.0", "1.2.0", latest="1.1.0")
    assert assess(_dep(locked="1.0.0"), "svc", info, PEP, NOW).latest == "1.1.0"


def test_a_failed_lookup_is_not_checked_never_current() -> None:
    status = assess(_dep(locked="1.0.0"), "svc", NotChecked("registry timed out"), PEP, NOW)
    assert not status.checked
    assert status.not_checked_reason == "registry timed out"
    assert status.update_type is None


def test_a_constraint_nothing_satisfies_is_not_checked() -> None:
    status = assess(_dep(">=9"), "svc", INFO, PEP, NOW)
    assert not status.checked
    assert "no released version matches" in (status.not_checked_reason or "")


def test_up_to_date_dependency_has_no_update_and_zero_libyears() -> None:
    status = assess(_dep(locked="2.1.0"), "svc", INFO, PEP, NOW)
    assert status.checked and status.update_type is None and status.libyears == 0.0
