"""Counting a scan and comparing two scans, without a database."""

from __future__ import annotations

import pytest

from steward.history_model import DependencyChange, ScanCounts, StoredStatus, compare, count
from steward.model import UpdateType
from tests.unit.store.scenario import FIRST_STATUSES, SECOND_STATUSES, status


def row(
    name: str,
    current: str | None,
    update_type: UpdateType | None = None,
    *,
    checked: bool = True,
    service: str = "orders",
    file: str = "orders/go.mod",
    line: int = 1,
) -> StoredStatus:
    return StoredStatus(
        service=service,
        ecosystem="go",
        name=name,
        file=file,
        line=line,
        dep_type="prod",
        constraint="",
        checked=checked,
        current=current,
        latest="v9.0.0" if update_type else current,
        update_type=update_type,
    )


def test_count_sorts_outdated_dependencies_by_update_type() -> None:
    assert count(FIRST_STATUSES) == ScanCounts(
        dependencies=7,
        outdated_major=1,
        outdated_minor=1,
        outdated_patch=1,
        not_checked=1,
        libyears=4.5,
    )
    assert count(SECOND_STATUSES, problems=2).problems == 2


def test_a_status_not_checked_is_never_counted_as_outdated() -> None:
    unchecked = status("web", "npm", "react", "17.0.2", "18.3.1", UpdateType.MAJOR, checked=False)
    assert count([unchecked]) == ScanCounts(dependencies=1, not_checked=1)


def test_outdated_adds_up_every_update_type() -> None:
    counts = ScanCounts(outdated_major=1, outdated_minor=2, outdated_patch=3, outdated_other=4)
    assert counts.outdated == 10


def test_a_dependency_that_became_outdated_is_newly_outdated() -> None:
    drift = compare(1, [row("a", "v1.0.0")], 2, [row("a", "v1.0.0", UpdateType.MINOR)])
    assert [change.key for change in drift.newly_outdated] == [("orders", "go", "a")]
    assert drift.newly_current == drift.version_changes == drift.added == drift.removed == ()


def test_an_upgrade_to_the_latest_is_newly_current_and_a_version_change() -> None:
    drift = compare(1, [row("a", "v1.0.0", UpdateType.MAJOR)], 2, [row("a", "v9.0.0")])
    assert [change.key for change in drift.newly_current] == [("orders", "go", "a")]
    assert [change.key for change in drift.version_changes] == [("orders", "go", "a")]
    assert drift.newly_outdated == ()


def test_a_dependency_not_checked_on_either_side_never_changes_freshness() -> None:
    before = [row("a", "v1.0.0", checked=False), row("b", "v1.0.0", UpdateType.PATCH)]
    after = [row("a", "v1.0.0", UpdateType.PATCH), row("b", "v1.0.0", checked=False)]
    drift = compare(1, before, 2, after)
    assert drift.empty


def test_a_version_unknown_on_one_side_is_not_a_version_change() -> None:
    drift = compare(1, [row("a", None, checked=False)], 2, [row("a", "v1.0.0")])
    assert drift.version_changes == ()


def test_a_still_outdated_dependency_upgraded_part_way_is_only_a_version_change() -> None:
    before = [row("a", "v1.0.0", UpdateType.MAJOR)]
    after = [row("a", "v2.0.0", UpdateType.MAJOR)]
    drift = compare(1, before, 2, after)
    assert [change.key for change in drift.version_changes] == [("orders", "go", "a")]
    assert drift.newly_outdated == drift.newly_current == ()


def test_the_same_name_in_two_services_is_two_dependencies() -> None:
    before = [row("a", "v1.0.0"), row("a", "v1.0.0", service="web")]
    after = [row("a", "v1.0.0"), row("a", "v1.0.0", UpdateType.PATCH, service="web")]
    drift = compare(1, before, 2, after)
    assert [change.key for change in drift.newly_outdated] == [("web", "go", "a")]


def test_a_key_listed_twice_is_judged_by_its_first_row_by_file_and_line() -> None:
    before = [row("a", "v1.0.0", UpdateType.MINOR, file="z/go.mod"), row("a", "v1.2.0", line=9)]
    after = [row("a", "v1.2.0", line=9), row("a", "v1.0.0", UpdateType.MINOR, line=3)]
    drift = compare(1, before, 2, after)
    assert [change.key for change in drift.newly_outdated] == [("orders", "go", "a")]
    assert [(c.before.current, c.after.current) for c in drift.version_changes] == [  # type: ignore[union-attr]
        ("v1.2.0", "v1.0.0")
    ]


def test_added_and_removed_are_sorted_by_service_ecosystem_and_name() -> None:
    before = [row("z", "v1"), row("m", "v1", service="api")]
    after = [row("b", "v1", service="web"), row("a", "v1")]
    drift = compare(1, before, 2, after)
    assert [change.key for change in drift.added] == [("orders", "go", "a"), ("web", "go", "b")]
    assert [change.key for change in drift.removed] == [("api", "go", "m"), ("orders", "go", "z")]
    assert drift.removed[0].after is None and drift.added[0].before is None


def test_a_change_without_either_side_has_no_key() -> None:
    with pytest.raises(ValueError, match="at least one side"):
        _ = DependencyChange(None, None).key
