"""The history renderers: the same scans and drift as a text table, Markdown and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from steward.history_model import Drift, ScanCounts, ScanSummary, StoredStatus, compare
from steward.model import UpdateType
from steward.report.history import (
    InvalidReportFormat,
    Trend,
    drift_dict,
    drift_lines,
    drift_markdown,
    history_dicts,
    history_lines,
    history_markdown,
    render,
    trend,
)


def summary(scan_id: int, day: int, **counts: float) -> ScanSummary:
    return ScanSummary(
        id=scan_id,
        started_at=datetime(2024, 3, day, 9, 0, tzinfo=UTC),
        finished_at=datetime(2024, 3, day, 9, 1, tzinfo=UTC),
        root="/srv/eventshop",
        version="0.1.0",
        counts=ScanCounts(**counts),  # type: ignore[arg-type]
    )


SCANS = [
    summary(
        1,
        1,
        dependencies=7,
        outdated_major=1,
        outdated_minor=1,
        outdated_patch=1,
        not_checked=1,
        libyears=4.5,
    ),
    summary(2, 8, dependencies=7, outdated_minor=3, outdated_patch=1, problems=1, libyears=3.0),
    summary(5, 15, dependencies=8, outdated_minor=1, problems=1, libyears=0.25),
    summary(6, 22, dependencies=8, outdated_minor=1, problems=1, libyears=0.25),
]


def row(
    name: str, current: str, update_type: UpdateType | None = None, latest: str = ""
) -> StoredStatus:
    return StoredStatus(
        service="payments",
        ecosystem="pypi",
        name=name,
        file="payments/requirements.txt",
        line=3,
        dep_type="prod",
        constraint=f"=={current}",
        checked=True,
        current=current,
        latest=latest or current,
        update_type=update_type,
    )


DRIFT = compare(
    1,
    [
        row("httpx", "0.27.0"),
        row("requests", "2.31.0", UpdateType.MINOR, "2.32.3"),
        row("six", "1.16.0"),
    ],
    2,
    [
        row("httpx", "0.27.0", UpdateType.MINOR, "0.28.1"),
        row("requests", "2.32.3"),
        row("pydantic", "2.5.0", UpdateType.MINOR, "2.9.2"),
    ],
)


def test_the_text_table_shows_deltas_and_trends() -> None:
    assert history_lines(SCANS) == [
        "Scan  Finished (UTC)      Deps   Major   Minor   Patch  Other  Not checked  Problems      Libyears  Trend",
        "----  ----------------  ------  ------  ------  ------  -----  -----------  --------  ------------  --------",
        "#1    2024-03-01 09:01       7       1       1       1      0            1         0          4.50",
        "#2    2024-03-08 09:01       7  0 (-1)  3 (+2)       1      0       0 (-1)    1 (+1)  3.00 (-1.50)  ↑ worse",
        "#5    2024-03-15 09:01  8 (+1)       0  1 (-2)  0 (-1)      0            0         1  0.25 (-2.75)  ↓ better",
        "#6    2024-03-22 09:01       8       0       1       0      0            0         1          0.25  → steady",
    ]


def test_the_markdown_table_has_one_row_a_scan_with_numbers_right_aligned() -> None:
    assert history_markdown(SCANS[:2]) == (
        "## Scan history\n"
        "\n"
        "| Scan | Finished (UTC) | Deps | Major | Minor | Patch | Other | Not checked | Problems | Libyears | Trend |\n"
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
        "| #1 | 2024-03-01 09:01 | 7 | 1 | 1 | 1 | 0 | 1 | 0 | 4.50 |  |\n"
        "| #2 | 2024-03-08 09:01 | 7 | 0 (-1) | 3 (+2) | 1 | 0 | 0 (-1) | 1 (+1) | 3.00 (-1.50) | ↑ worse |\n"
    )


def test_times_are_shown_in_utc_whatever_zone_they_carry() -> None:
    zoned = ScanSummary(
        id=1,
        started_at=datetime(2024, 3, 1, 11, 0, tzinfo=timezone(timedelta(hours=2))),
        finished_at=datetime(2024, 3, 1, 11, 1, tzinfo=timezone(timedelta(hours=2))),
        root="/",
        version="0.1.0",
        counts=ScanCounts(),
    )
    assert history_lines([zoned])[2].startswith("#1    2024-03-01 09:01")


def test_an_empty_history_says_so() -> None:
    assert history_lines([]) == ["No scans recorded yet."]
    assert history_markdown([]) == "## Scan history\n\nNo scans recorded yet.\n"
    assert history_dicts([]) == []


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (ScanCounts(outdated_patch=1), ScanCounts(outdated_major=2), Trend.WORSE),
        (ScanCounts(outdated_major=2), ScanCounts(outdated_patch=1, libyears=9.0), Trend.BETTER),
        (
            ScanCounts(outdated_minor=1, libyears=1.0),
            ScanCounts(outdated_patch=1, libyears=1.5),
            Trend.WORSE,
        ),
        (
            ScanCounts(outdated_minor=1, libyears=1.5),
            ScanCounts(outdated_minor=1, libyears=1.0),
            Trend.BETTER,
        ),
        (
            ScanCounts(outdated_minor=1, libyears=1.0),
            ScanCounts(outdated_patch=1, libyears=1.04),
            Trend.STEADY,
        ),
    ],
)
def test_the_trend_follows_outdated_then_libyears(
    before: ScanCounts, after: ScanCounts, expected: Trend
) -> None:
    assert trend(before, after) is expected


def test_history_dicts_carry_counts_deltas_and_trend() -> None:
    first, second = history_dicts(SCANS[:2])
    assert first["delta"] is None and first["trend"] is None
    assert first["finished_at"] == "2024-03-01T09:01:00+00:00"
    assert second["counts"] == {
        "dependencies": 7,
        "outdated_major": 0,
        "outdated_minor": 3,
        "outdated_patch": 1,
        "outdated_other": 0,
        "not_checked": 0,
        "problems": 1,
        "libyears": 3.0,
        "outdated": 4,
    }
    assert second["delta"] == {
        "dependencies": 0,
        "outdated_major": -1,
        "outdated_minor": 2,
        "outdated_patch": 0,
        "outdated_other": 0,
        "not_checked": -1,
        "problems": 1,
        "outdated": 1,
        "libyears": -1.5,
    }
    assert second["trend"] == "worse"


def test_drift_lines_list_each_section_that_has_changes() -> None:
    assert drift_lines(DRIFT) == [
        "Drift from scan #1 to scan #2",
        "Newly outdated (1)",
        "  payments · pypi · httpx  0.27.0 → 0.28.1 available (minor)",
        "Newly current (1)",
        "  payments · pypi · requests  2.31.0 → 2.32.3, up to date",
        "Version changes (1)",
        "  payments · pypi · requests  2.31.0 → 2.32.3",
        "Added (1)",
        "  payments · pypi · pydantic  2.5.0 (minor behind 2.9.2)",
        "Removed (1)",
        "  payments · pypi · six  was 1.16.0",
    ]


def test_drift_markdown_has_a_list_a_section() -> None:
    assert drift_markdown(DRIFT) == (
        "## Drift from scan #1 to scan #2\n"
        "\n"
        "### Newly outdated (1)\n"
        "\n"
        "- `payments · pypi · httpx` 0.27.0 → 0.28.1 available (minor)\n"
        "\n"
        "### Newly current (1)\n"
        "\n"
        "- `payments · pypi · requests` 2.31.0 → 2.32.3, up to date\n"
        "\n"
        "### Version changes (1)\n"
        "\n"
        "- `payments · pypi · requests` 2.31.0 → 2.32.3\n"
        "\n"
        "### Added (1)\n"
        "\n"
        "- `payments · pypi · pydantic` 2.5.0 (minor behind 2.9.2)\n"
        "\n"
        "### Removed (1)\n"
        "\n"
        "- `payments · pypi · six` was 1.16.0\n"
    )


def test_an_empty_drift_says_nothing_changed() -> None:
    empty = Drift(previous_id=3, current_id=4)
    assert drift_lines(empty) == ["Drift from scan #3 to scan #4", "  No dependency changed."]
    assert drift_markdown(empty) == "## Drift from scan #3 to scan #4\n\nNo dependency changed.\n"


def test_drift_dict_names_both_sides_of_each_change() -> None:
    document = drift_dict(DRIFT)
    assert (document["previous_id"], document["current_id"]) == (1, 2)
    assert document["removed"] == [
        {
            "service": "payments",
            "ecosystem": "pypi",
            "name": "six",
            "before": {
                "file": "payments/requirements.txt",
                "line": 3,
                "current": "1.16.0",
                "latest": "1.16.0",
                "update_type": None,
                "checked": True,
                "libyears": None,
            },
            "after": None,
        }
    ]
    assert [change["name"] for change in document["newly_outdated"]] == ["httpx"]  # type: ignore[attr-defined]


def test_render_json_is_one_document_with_scans_and_drift() -> None:
    document = json.loads(render(SCANS[:2], DRIFT, "json"))
    assert [scan["id"] for scan in document["scans"]] == [1, 2]
    assert document["drift"] == json.loads(json.dumps(drift_dict(DRIFT)))


def test_render_text_puts_the_drift_after_the_table() -> None:
    text = render(SCANS[:2], DRIFT, "text")
    assert text == "\n".join([*history_lines(SCANS[:2]), "", *drift_lines(DRIFT)]) + "\n"


def test_render_markdown_without_a_drift_is_the_table_alone() -> None:
    assert render(SCANS[:1], None, "markdown") == history_markdown(SCANS[:1])
    assert json.loads(render([], None, "json")) == {"scans": [], "drift": None}


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(InvalidReportFormat, match="'html'"):
        render(SCANS, None, "html")
