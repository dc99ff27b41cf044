"""Advisories end to end on the example system: the JSON contract, findings, reports and the
``steward advisories`` commands, all offline from the OSV records the example ships."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from steward.cli.main import EXIT_CLEAN, EXIT_FINDINGS, EXIT_PARTIAL, EXIT_USAGE, main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "eventshop"
ADVISORY = {"id", "aliases", "severity", "fixed_in", "summary", "score", "url"}
#: Every record the example ships (47 Go and 233 PyPI ones, and the OS distributions' records).
SHIPPED = len(list((EXAMPLE / "advisories" / "osv").glob("*/*.json")))


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A private copy of the example, no tools on PATH, an empty HOME and HTTP cache."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("STEWARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    tree = tmp_path / "eventshop"
    shutil.copytree(EXAMPLE, tree, ignore=shutil.ignore_patterns(".steward"))
    return tree


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out = _run(capsys, *args, "--format", "json")
    return code, json.loads(out)


def _row(doc: dict[str, Any], service: str, name: str) -> dict[str, Any]:
    return next(r for r in doc["dependencies"] if r["service"] == service and r["name"] == name)


def test_every_checked_dependency_carries_the_advisory_fields(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = _json(capsys, "deps", str(shop), "--offline")
    assert code in (EXIT_CLEAN, EXIT_PARTIAL)
    for row in doc["dependencies"]:
        if row["skip_reason"] is None:
            assert {"advisories", "minimal_fix", "minimal_fix_type"} <= row.keys()
            for advisory in row["advisories"]:
                assert advisory.keys() >= ADVISORY
    assert (shop / ".steward" / "advisories.db").is_file()


def test_x_net_in_order_service_has_the_go_records_and_their_imports(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = _json(capsys, "deps", str(shop), "--offline")
    xnet = _row(doc, "order-service", "golang.org/x/net")
    ids = [a["id"] for a in xnet["advisories"]]
    assert {"GO-2023-1988", "GO-2023-2102", "GO-2024-2687", "GO-2024-3333"} <= set(ids)
    html = next(a for a in xnet["advisories"] if a["id"] == "GO-2023-1988")
    assert html["aliases"] == ["CVE-2023-3978", "GHSA-2wrh-6pvc-2jm9"]
    assert html["fixed_in"] == ["v0.13.0"]
    assert html["imports"] == [{"path": "golang.org/x/net/html", "symbols": ["Render", "render1"]}]
    assert html["url"] == "https://pkg.go.dev/vuln/GO-2023-1988"
    assert (xnet["minimal_fix"], xnet["minimal_fix_type"]) == ("v0.56.0", "minor")
    newer = _row(doc, "inventory-service", "golang.org/x/net")
    assert "GO-2023-1988" not in {a["id"] for a in newer["advisories"]}  # v0.15.0 has the fix


def test_pgx_and_pypi_pins_get_their_minimal_fix_from_the_release_list(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = _json(capsys, "deps", str(shop), "--offline")
    pgx = _row(doc, "order-service", "github.com/jackc/pgx/v5")
    assert {a["id"] for a in pgx["advisories"]} >= {"GO-2024-2606", "GO-2024-2567"}
    assert pgx["minimal_fix_type"] == "minor" and pgx["minimal_fix"].startswith("v5.")
    urllib3 = _row(doc, "payment-service", "urllib3")
    assert {a["id"] for a in urllib3["advisories"]} == {"PYSEC-2023-192", "PYSEC-2023-212"}
    assert (urllib3["minimal_fix"], urllib3["minimal_fix_type"]) == ("1.26.18", "patch")
    fastapi = _row(doc, "payment-service", "fastapi")
    [pysec] = fastapi["advisories"]
    assert (pysec["id"], pysec["severity"], pysec["score"]) == ("PYSEC-2024-38", "high", 7.5)
    clean = _row(doc, "notification-service", "pyyaml")
    assert clean["advisories"] == [] and clean["minimal_fix"] is None
    assert doc["summary"]["vulnerable"] >= 10


def test_scan_findings_rate_vulnerable_dependencies(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = _json(capsys, "scan", str(shop), "--offline", "--no-history")
    vulnerable = [f for f in doc["findings"] if f["rule"] == "vulnerable"]
    fastapi = next(f for f in vulnerable if f["subject"] == "pypi:fastapi")
    assert fastapi["severity"] == "high"
    assert fastapi["remedy"]["to"] == "0.109.1" and fastapi["remedy"]["update_type"] == "minor"
    assert fastapi["evidence"] == ["PYSEC-2024-38 (high)"]
    assert fastapi["file"].endswith(".txt") and fastapi["line"] > 0


def test_fail_on_high_fails_on_a_high_advisory(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _json(capsys, "scan", str(shop), "--offline", "--no-history", "--fail-on", "high")
    assert code == EXIT_FINDINGS


def test_markdown_and_terminal_say_which_update_fixes_how_many(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, markdown = _run(
        capsys, "scan", str(shop), "--offline", "--no-history", "--format", "markdown"
    )
    assert "patch 1.26.18 fixes 2 advisories" in markdown
    assert "PYSEC-2024-38 (high)" in markdown
    assert "vulnerable (" in markdown.splitlines()[2]
    _, terminal = _run(capsys, "scan", str(shop), "--offline", "--no-history")
    assert "GO-2023-1988" in terminal and "fixes 16 advisories" in terminal


def test_sync_and_status_report_counts_and_age(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, missing = _run(capsys, "advisories", "status", str(shop))
    assert code == EXIT_PARTIAL and "no advisory database yet" in missing
    code, out = _run(capsys, "advisories", "sync", str(shop))
    assert code == EXIT_CLEAN and f"imported {SHIPPED} advisories" in out
    code, status = _json(capsys, "advisories", "status", str(shop))
    assert code == EXIT_CLEAN
    assert {status["per_ecosystem"][e] for e in ("Go", "PyPI")} == {47, 233}
    assert status["withdrawn"] == 1 and status["sources"] == ["file:advisories/osv"]
    assert status["age_seconds"] is not None and status["age_seconds"] < 600
    assert status["newest_modified"] > "2024"  # the PyPI records; vulndb's 0001-01-01 is ignored


def test_sync_reports_malformed_records_and_goes_on(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "extra"
    broken.mkdir()
    (broken / "bad.json").write_text('{\n  "id": 7\n}\n')
    code, out = _run(
        capsys, "advisories", "sync", str(shop), "--source", str(shop / "advisories" / "osv"),
        "--source", str(broken),
    )  # fmt: skip
    assert code == EXIT_PARTIAL
    assert f"malformed {broken / 'bad.json'}:2:" in out and f"imported {SHIPPED} advisories" in out


def test_sync_without_a_source_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["advisories", "sync", str(tmp_path)]) == EXIT_USAGE
