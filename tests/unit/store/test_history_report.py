"""`history_report`: the ``steward history`` command short of printing, on a real SQLite file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from steward.store import InvalidReportFormat, Store, history_report
from tests.unit.store.scenario import first_scan, second_scan


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / ".steward" / "steward.db"
    with Store.open(path) as store:
        store.record(first_scan())
        store.record(second_scan())
    return path


def test_text_shows_the_table_then_the_drift_of_the_latest_two(db_path: Path) -> None:
    lines = history_report(db_path, 10, "text").splitlines()
    assert lines[2].startswith("#1    2024-03-01 09:02")
    assert lines[3].startswith("#2    2024-03-08 09:01")
    assert lines[3].endswith("↑ worse")
    assert lines[5] == "Drift from scan #1 to scan #2"
    assert "  payments · pypi · pydantic  2.5.0 (minor behind 2.9.2)" in lines


def test_json_compares_the_latest_two_of_the_limit(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.record(replace(first_scan(), started=datetime(2024, 3, 15, tzinfo=UTC)))
    document = json.loads(history_report(db_path, 2, "json"))
    assert [scan["id"] for scan in document["scans"]] == [2, 3]
    assert (document["drift"]["previous_id"], document["drift"]["current_id"]) == (2, 3)
    assert [change["name"] for change in document["drift"]["added"]] == ["six"]


def test_markdown_of_a_single_scan_has_no_drift(tmp_path: Path) -> None:
    path = tmp_path / "steward.db"
    with Store.open(path) as store:
        store.record(first_scan())
    report = history_report(path, 10, "markdown")
    assert report.startswith("## Scan history\n")
    assert "Drift" not in report


def test_a_missing_store_reads_as_empty_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / ".steward" / "steward.db"
    assert history_report(path, 10, "text") == "No scans recorded yet.\n"
    assert not path.parent.exists()


def test_an_unknown_format_is_refused_before_the_store_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "steward.db"
    with pytest.raises(InvalidReportFormat, match="use one of text, markdown, json"):
        history_report(path, 10, "csv")
    assert not path.exists()
