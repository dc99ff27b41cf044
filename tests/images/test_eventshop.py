"""The example system offline: end-of-life bases and distroless recommendations without a registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from steward.config import load
from steward.images.pipeline import run
from steward.images.render import render_sarif
from steward.images.settings import ImageSettings

ROOT = Path(__file__).resolve().parents[2] / "examples" / "eventshop"


def _findings() -> dict[tuple[str, int], set[str]]:
    result = run(ROOT, load(ROOT), ImageSettings(), offline=True, today=date(2026, 11, 27))
    return {
        (s.ref.file, s.ref.line): {f"{f.rule}: {f.message}" for f in s.findings}
        for s in result.statuses
    }


def test_end_of_life_runtimes_and_bases() -> None:
    found = _findings()
    payment = found[("services/payment-service/Dockerfile", 17)]
    assert "image-end-of-life: python 3.8: end of life since 2024-10-07" in payment
    assert "image-end-of-life: debian 10 (base OS): end of life since 2022-09-10" in payment
    assert (
        "image-end-of-life: nodejs 16: end of life since 2023-09-11"
        in found[("services/shipping-service/Dockerfile", 10)]
    )
    assert (
        "image-end-of-life: postgresql 12: end of life since 2024-11-21"
        in found[("docker-compose.yml", 56)]
    )


def test_distroless_only_for_final_stages() -> None:
    found = _findings()
    assert any(
        "gcr.io/distroless/python3-debian12" in f
        for f in found[("services/payment-service/Dockerfile", 17)]
    )
    assert not any(
        "image-minimal-base" in f for f in found[("services/payment-service/Dockerfile", 3)]
    )
    assert not any(
        "image-minimal-base" in f for f in found[("services/order-service/Dockerfile", 15)]
    )


def test_offline_without_a_registry_is_not_checked() -> None:
    found = _findings()
    assert (
        "image-not-checked: not checked: no registry configured"
        in found[("docker-compose.yml", 56)]
    )


def test_sarif_locates_each_finding() -> None:
    result = run(ROOT, load(ROOT), ImageSettings(), offline=True, today=date(2026, 11, 27))
    import json

    document = json.loads(render_sarif(str(ROOT), result.statuses, result.problems, "0"))
    results = document["runs"][0]["results"]
    assert document["version"] == "2.1.0"
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert any(r["ruleId"] == "image-end-of-life" and r["level"] == "error" for r in results)


def test_sarif_has_a_file_uri_base_and_reports_unreadable_files(tmp_path: Path) -> None:
    import json

    root = tmp_path / "a tree"
    root.mkdir()
    (root / "Dockerfile").write_text("FROM python:3.8-slim\n")
    (root / "compose.yaml").write_text("services:\n  a:\n    image: [unclosed\n")
    result = run(root, load(root), ImageSettings(), offline=True, today=date(2026, 11, 27))
    run_ = json.loads(render_sarif(str(root), result.statuses, result.problems, "0"))["runs"][0]
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"] == root.as_uri() + "/"
    location = run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "Dockerfile", "uriBaseId": "SRCROOT"}
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    where = note["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "compose.yaml" and where["region"]["startLine"] > 0
    assert "not valid YAML" in note["message"]["text"]
    relative = json.loads(render_sarif("tree", result.statuses, result.problems, "0"))["runs"][0]
    assert "originalUriBaseIds" not in relative  # a relative path is not a URI
