"""Reading index answers: file names → versions, dates, yanks and project status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from steward.ecosystems.pypi._simple import (
    file_version,
    legacy_releases,
    project_status,
    simple_releases,
)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Django-5.0.5-py3-none-any.whl", "5.0.5"),
        ("django-5.0.5.tar.gz", "5.0.5"),
        ("Django-1.0.zip", "1.0"),
        ("python_dateutil-2.9.0.post0.tar.gz", "2.9.0.post0"),
        ("Django-1.2-py2.7.egg", "1.2"),
        ("Django-1.1.win32.exe", "1.1"),
        ("Django-1.0.tar.bz2", "1.0"),
        ("unrelated-1.0.egg", None),
        ("Django-nonsense.egg", None),
    ],
)
def test_versions_come_from_file_names(filename: str, expected: str | None) -> None:
    found = file_version(filename, "django")
    assert (str(found) if found else None) == expected


def test_a_release_is_dated_by_its_first_file_and_yanked_only_when_all_files_are() -> None:
    page = {
        "versions": ["1.0", "1.1", "2.0"],
        "files": [
            {"filename": "p-1.0.tar.gz", "upload-time": "2020-01-02T00:00:00Z", "yanked": False},
            {
                "filename": "p-1.0-py3-none-any.whl",
                "upload-time": "2020-01-01T00:00:00Z",
                "yanked": "bad",
            },
            {
                "filename": "p-1.1.tar.gz",
                "upload-time": "2020-02-01T00:00:00Z",
                "yanked": "broken build",
            },
            {"filename": "p-1.1-py3-none-any.whl", "yanked": True},
        ],
    }
    releases = {r.version: r for r in simple_releases(page, "p")}
    assert releases["1.0"].published == datetime(2020, 1, 1, tzinfo=UTC)
    assert releases["1.0"].yanked is None
    assert releases["1.1"].yanked == "broken build"
    assert (releases["2.0"].published, releases["2.0"].yanked) == (None, None)


def test_without_pep700_versions_the_files_list_them_and_invalid_versions_are_dropped() -> None:
    page = {"files": [{"filename": "p-0.9.tar.gz"}, {"filename": "p-0.10-py3-none-any.whl"}]}
    assert [r.version for r in simple_releases(page, "p")] == ["0.9", "0.10"]
    assert [r.version for r in simple_releases({"versions": ["1.0", "banana"]}, "p")] == ["1.0"]


def test_legacy_answers_give_dates_and_yank_reasons() -> None:
    data = {
        "releases": {
            "1.0": [
                {
                    "upload_time_iso_8601": "2019-05-01T10:00:00.5Z",
                    "yanked": True,
                    "yanked_reason": "oops",
                }
            ],
            "1.1": [],
        }
    }
    first, second = legacy_releases(data)
    assert (first.published, first.yanked) == (
        datetime(2019, 5, 1, 10, 0, 0, 500000, tzinfo=UTC),
        "oops",
    )
    assert (second.version, second.published) == ("1.1", None)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ({}, None),
        ({"project-status": {"status": "active"}}, None),
        ({"project-status": {"status": "archived"}}, "archived"),
        ({"project-status": {"status": "deprecated", "reason": "use q"}}, "deprecated: use q"),
    ],
)
def test_project_status_other_than_active_is_a_deprecation(
    page: dict[str, object], expected: str | None
) -> None:
    assert project_status(page) == expected
