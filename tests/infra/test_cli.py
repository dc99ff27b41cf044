"""`steward infra …` end to end on the example system and on copies of it (offline)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from steward.cli.infra import words
from steward.cli.main import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "eventshop"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["infra", *argv])
    return code, capsys.readouterr().out


def test_first_word_is_a_subcommand_else_a_path() -> None:
    assert words(["examples/eventshop", "--format", "json"]) == [
        "status",
        "examples/eventshop",
        "--format",
        "json",
    ]
    assert words(["--format", "json"]) == ["status", "--format", "json"]
    assert words(["plan", "kafka", "--to", "3.9.x"])[0] == "plan"
    assert words(["record", "staging", "x", "1"])[0] == "record"


def test_status_json_of_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, str(EXAMPLE), "--format", "json", "--today", "2026-11-27", "--no-git")
    document = json.loads(out)
    components = {c["id"]: c for c in document["components"]}
    msk = components["aws_msk_cluster.eventshop"]
    assert (msk["kind"], msk["version"], msk["file"]) == (
        "kafka",
        "2.8.1",
        "infra/terraform/msk.tf",
    )
    assert msk["eol"][0]["product"] == "amazon-msk" and msk["eol"][0]["state"] == "past"
    checks = {c["id"]: c for c in msk["checks"]}
    assert checks["KAFKA_MULTI_AZ"]["status"] == "fail"
    assert checks["KAFKA_REPLICATION_FACTOR"]["status"] == "fail"
    assert checks["KAFKA_LIVE_RACKS"]["status"] == "not-checked"
    assert msk["readiness"] == "not ready"
    assert components["aws_db_instance.eventshop"]["eol"][0]["state"] == "extended"
    assert components["aws_eks_cluster.eventshop"]["version"] == "1.27"
    assert "bundled endoflife.date snapshot of 2026-08-22" in document["notes"][0]
    assert {"INFRA_EOL_PAST", "INFRA_EXTENDED_SUPPORT", "INFRA_UPGRADE_NOT_READY"} <= {
        f["rule"] for f in document["findings"]
    }
    assert code == 0


def test_fail_on_high_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(
        capsys, "status", str(EXAMPLE), "--fail-on", "high", "--today", "2026-11-27", "--no-git"
    )
    assert code == 1


def test_malformed_terraform_is_a_finding_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.tf").write_text('resource "aws_eks_cluster" "x" {\n  version = \n}\n')
    (tmp_path / "good.tf").write_text('resource "aws_eks_cluster" "y" {\n  version = "1.33"\n}\n')
    code, out = _run(capsys, str(tmp_path), "--format", "json", "--today", "2026-11-27", "--no-git")
    document = json.loads(out)
    assert [c["id"] for c in document["components"]] == ["aws_eks_cluster.y"]
    assert document["problems"][0]["file"] == "bad.tf" and document["problems"][0]["line"] == 2
    assert code == 3  # partial: something could not be read


def test_record_then_plan_with_apply_changes_only_the_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "eventshop"
    shutil.copytree(EXAMPLE / "infra", tree / "infra")
    before = (tree / "infra/terraform/eks.tf").read_text()
    assert (
        _run(capsys, "record", "staging", "aws_eks_cluster.eventshop", "1.28", "--path", str(tree))[
            0
        ]
        == 0
    )
    records = json.loads((tree / ".steward/infra-records.json").read_text())
    assert records[0]["environment"] == "staging" and records[0]["version"] == "1.28"
    code, runbook = _run(
        capsys,
        "plan",
        "kubernetes",
        "--to",
        "1.28",
        "--path",
        str(tree),
        "--apply",
        "--today",
        "2026-11-27",
        "--no-git",
    )
    assert code == 0
    assert runbook.startswith("# Upgrade aws_eks_cluster.eventshop: 1.27 → 1.28 (production)")
    assert "UPGRADE_STAGING_SOAK" in runbook and "runs in staging since" in runbook
    after = (tree / "infra/terraform/eks.tf").read_text()
    assert after == before.replace('version  = "1.27"', 'version  = "1.28"')
    assert after != before


def test_plan_of_an_unknown_component_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["infra", "plan", "nope", "--to", "1", "--path", str(EXAMPLE)]) == 2
    assert "no component 'nope'" in capsys.readouterr().err


def test_terraform_with_a_bom_and_crlf_is_read_and_applied_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ['resource "aws_eks_cluster" "y" {', '  version = "1.27" # pinned', "}", ""]
    original = b"\xef\xbb\xbf" + "\r\n".join(lines).encode()
    (tmp_path / "eks.tf").write_bytes(original)
    code, out = _run(capsys, str(tmp_path), "--format", "json", "--today", "2026-11-27", "--no-git")
    document = json.loads(out)
    assert [(c["id"], c["version"]) for c in document["components"]] == [
        ("aws_eks_cluster.y", "1.27")
    ]
    assert document["problems"] == []
    argv = ["plan", "kubernetes", "--to", "1.28", "--path", str(tmp_path), "--apply", "--no-git"]
    code, _ = _run(capsys, *argv, "--today", "2026-11-27")
    assert code == 0
    assert (tmp_path / "eks.tf").read_bytes() == original.replace(b'"1.27"', b'"1.28"')


def test_plan_output_into_a_missing_folder_is_a_usage_error_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tf = tmp_path / "eks.tf"
    tf.write_text('resource "aws_eks_cluster" "y" {\n  version = "1.27"\n}\n')
    target = tmp_path / "missing" / "runbook.md"
    argv = ["plan", "kubernetes", "--to", "1.28", "--path", str(tmp_path), "--apply", "--no-git"]
    code = main(["infra", *argv, "--today", "2026-11-27", "--output", str(target)])
    assert code == 2
    assert f"--output {target}: no folder {target.parent}" in capsys.readouterr().err
    assert '"1.27"' in tf.read_text()


def test_an_unreachable_prometheus_makes_the_run_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as closed:  # a port nothing listens on once the socket is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    (tmp_path / "eks.tf").write_text('resource "aws_eks_cluster" "y" {\n  version = "1.33"\n}\n')
    argv = [str(tmp_path), "--format", "json", "--today", "2026-11-27", "--no-git"]
    code, out = _run(capsys, *argv, "--prometheus", f"http://127.0.0.1:{port}/")
    assert any("not reachable" in note for note in json.loads(out)["notes"])
    assert code == 3
