"""``steward explain`` against the example system, offline (its registry data ships with it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steward.cli.main import EXIT_USAGE, main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "eventshop"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("GOPROXY", "PIP_INDEX_URL", "NPM_CONFIG_REGISTRY"):
        monkeypatch.delenv(name, raising=False)


def test_explain_a_minor_update_flagged_by_the_go_directive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["explain", "order-service", "github.com/go-chi/chi/v5", str(EXAMPLE), "--offline"]
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["current"], out["latest"], out["update_type"]) == ("v5.0.10", "v5.3.2", "minor")
    kinds = {(e["kind"], e["summary"]) for e in out["evidence"]}
    assert ("metadata", "needs Go 1.23 (was go 1.14): older toolchains cannot build it") in kinds
    assert ("api", "not checked: offline") in kinds and ("notes", "not checked: offline") in kinds
    assert {a["id"] for a in out["advisories"]} >= {"GO-2026-5775", "GO-2026-5777"}
    assert out["risk"] in ("low", "medium", "high") and out["risk_reasons"]


def test_explain_text_names_evidence_and_advisories(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["explain", "payment-service", "requests", str(EXAMPLE), "--offline"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "update 2.28.1 → " in text
    assert "requires_python >=3.10 (was >=3.7, <4): drops Python 3.7–3.9" in text
    assert "Advisories of the version in use:" in text


def test_unknown_package_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "order-service", "nope", str(EXAMPLE), "--offline"]) == EXIT_USAGE
    assert "no dependency 'nope' in service 'order-service'" in capsys.readouterr().err


def test_deps_json_has_evidence_and_risk_and_no_downloads_offline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["deps", str(EXAMPLE), "--offline", "--evidence"]) == 0
    rows = json.loads(capsys.readouterr().out)["dependencies"]
    chi = next(r for r in rows if r["name"] == "github.com/go-chi/chi/v5")
    assert {"kind", "source", "summary"} <= set(chi["evidence"][0])
    assert chi["risk"] in ("low", "medium", "high") and chi["risk_reasons"]
    assert any(e["summary"] == "not checked: offline" for e in chi["evidence"])
    current = [r for r in rows if r.get("checked") and not r.get("update_type")]
    assert current and all(r["risk"] is None and r["evidence"] == [] for r in current)
