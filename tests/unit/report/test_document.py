"""The JSON contract and the Markdown report built from it."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from steward.model import Dependency, DependencyStatus, Problem, Service, UpdateType
from steward.report.document import ScanView, render, write
from steward.report.markdown import render_markdown

NOW = datetime(2026, 11, 27, tzinfo=UTC)
CONTRACT = {"file", "line", "ecosystem", "name", "constraint", "locked", "dep_type", "skip_reason"}
LOOKED_UP = {"current", "latest", "update_type", "checked", "not_checked_reason"}


def _view() -> ScanView:
    outdated = Dependency(
        "npm",
        "express",
        "^4.17.1",
        "web/package.json",
        12,
        "dependencies",
        locked="4.17.1",
        lock_file="web/package-lock.json",
    )
    failed = Dependency(
        "pypi", "requests", "==2.25.0", "api/requirements.txt", 3, "main", locked="2.25.0"
    )
    skipped = Dependency(
        "npm",
        "shared",
        "workspace:*",
        "web/package.json",
        14,
        "dependencies",
        skip_reason="workspace package",
    )
    statuses = [
        DependencyStatus(
            outdated,
            "web",
            True,
            current="4.17.1",
            latest="5.1.0",
            update_type=UpdateType.MAJOR,
            libyears=3.2,
            current_published=datetime(2019, 5, 26, tzinfo=UTC),
        ),
        DependencyStatus(failed, "api", False, not_checked_reason="registry timed out"),
    ]
    return ScanView(
        root="shop",
        version="0.1.0",
        started=NOW,
        services=[Service("web", "web", owners=("@team/web",)), Service("api", "api")],
        dependencies=[("web", outdated), ("api", failed), ("web", skipped)],
        problems=[Problem("api/pyproject.toml", 4, "Invalid value")],
        statuses=statuses,
        sources={"npm": "http://127.0.0.1:1/"},
        looked_up=True,
    )


def test_every_dependency_carries_the_contract_fields() -> None:
    doc = json.loads(json.dumps(render(_view())))
    assert doc["schema_version"] == "1.0"
    assert len(doc["dependencies"]) == 3
    for row in doc["dependencies"]:
        assert row.keys() >= CONTRACT
    looked_up = [r for r in doc["dependencies"] if r["skip_reason"] is None]
    for row in looked_up:
        assert row.keys() >= LOOKED_UP


def test_a_failed_lookup_is_reported_as_not_checked_with_its_reason() -> None:
    doc = render(_view())
    row = next(r for r in doc["dependencies"] if r["name"] == "requests")
    assert row["checked"] is False
    assert row["not_checked_reason"] == "registry timed out"
    assert row["update_type"] is None
    finding = next(f for f in doc["findings"] if f["rule"] == "not-checked")
    assert finding["message"] == "not checked: registry timed out"


def test_summary_counts_and_age() -> None:
    doc = render(_view())
    assert (doc["summary"]["major"], doc["summary"]["not_checked"], doc["summary"]["skipped"]) == (
        1,
        1,
        1,
    )
    express = next(r for r in doc["dependencies"] if r["name"] == "express")
    assert express["current_age_days"] == 2742
    remedy = next(f for f in doc["findings"] if f["rule"] == "outdated-major")["remedy"]
    assert remedy == {
        "ecosystem": "npm",
        "name": "express",
        "from": "4.17.1",
        "to": "5.1.0",
        "update_type": "major",
    }


def test_markdown_groups_by_service_and_names_what_was_not_checked() -> None:
    text = render_markdown(_view())
    assert "## web (owners: @team/web)" in text
    assert "| `express` | npm | 4.17.1 | — | 5.1.0 | major |" in text
    assert "not checked: registry timed out" in text
    assert "`api/pyproject.toml:4` — Invalid value" in text


def test_the_streamed_json_is_exactly_the_rendered_document() -> None:
    for with_findings in (True, False):
        out = io.StringIO()
        write(_view(), out, with_findings=with_findings)
        assert json.loads(out.getvalue()) == json.loads(
            json.dumps(render(_view(), with_findings=with_findings))
        )


def test_the_dependency_listing_leaves_findings_to_the_scan() -> None:
    doc = render(_view(), with_findings=False)
    assert "findings" not in doc and "findings" not in doc["summary"]
