"""`steward contracts …` end to end: the JSON contract, exit codes, git refs, the example system."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from steward.cli.main import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "eventshop"
CURRENT = EXAMPLE / "schemas" / "payments" / "payment_captured.avsc"
PROPOSED = EXAMPLE / "schemas" / "proposed" / "payments" / "payment_captured.avsc"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["contracts", *argv])
    return code, capsys.readouterr().out


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out = run(capsys, *argv)
    return code, json.loads(out)


def record(*fields: tuple[str, str]) -> str:
    spec = [{"name": n, "type": t} for n, t in fields]
    return json.dumps(
        {"type": "record", "name": "Order", "namespace": "shop", "fields": spec}, indent=2
    )


def test_diff_of_the_proposed_payment_schema_is_breaking_with_its_consumers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = as_json(capsys, "diff", str(CURRENT), str(PROPOSED), "--today", "2026-11-27")
    assert code == 1 and report["compatible"] is False
    by_rule = {f["rule"]: f for f in report["findings"]}
    scale = by_rule["AVRO_DECIMAL_SCALE_CHANGED"]
    assert scale["breaking"] and scale["path"] == str(PROPOSED) and scale["line"] == 15
    assert scale["subject"] == "payments.captured-value" and scale["owner"] == "@eventshop/payments"
    consumers = {a["service"]: a for a in scale["affected"] if "consumer" in a["roles"]}
    assert sorted(consumers) == ["notification-service", "order-service", "shipping-service"]
    assert consumers["shipping-service"]["owners"] == ["@eventshop/fulfilment"]
    assert by_rule["DEPRECATION_REMOVED_BEFORE_SUNSET"]["breaking"]
    assert by_rule["BREAKING_CHANGE_UNAPPROVED_PAST_SLA"]["message"].startswith(
        "breaking change PAY-231"
    )
    for f in report["findings"]:
        assert {"rule", "path", "line", "message", "location", "breaking", "affected"} <= set(f)


def test_diff_terminal_shows_the_break_and_who_it_reaches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(
        capsys, "diff", str(CURRENT), str(PROPOSED), "--format", "terminal", "--today", "2026-11-27"
    )
    assert code == 1
    assert "BREAKING  AVRO_DECIMAL_SCALE_CHANGED" in out
    assert "shipping-service (consumer; @eventshop/fulfilment)" in out


def test_diff_of_a_schema_with_itself_is_compatible(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = as_json(capsys, "diff", str(CURRENT), str(CURRENT), "--today", "2026-11-27")
    assert code == 0 and report == {"compatible": True, "findings": [], "not_checked": []}


def test_diff_mode_decides_the_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.avsc", tmp_path / "new.avsc"
    old.write_text(record(("id", "string")))
    new.write_text(record(("id", "string"), ("note", "string")))  # a new field without default
    code, backward = as_json(capsys, "diff", str(old), str(new), "--root", str(tmp_path))
    assert code == 1 and [f["rule"] for f in backward["findings"] if f["breaking"]] == [
        "AVRO_READER_FIELD_WITHOUT_DEFAULT"
    ]
    code, forward = as_json(
        capsys, "diff", str(old), str(new), "--mode", "forward", "--root", str(tmp_path)
    )
    assert code == 0 and forward["compatible"] is True


def test_diff_of_two_folders_pairs_files_by_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for side, fields in (("a", [("id", "string")]), ("b", [("id", "long")])):
        (tmp_path / side).mkdir()
        (tmp_path / side / "o.avsc").write_text(record(*fields))
    (tmp_path / "b" / "extra.schema.json").write_text('{"type": "object"}')
    code, report = as_json(
        capsys, "diff", str(tmp_path / "a"), str(tmp_path / "b"), "--root", str(tmp_path)
    )
    assert code == 1
    rules = {(f["rule"], f["path"]) for f in report["findings"]}
    assert ("AVRO_TYPE_MISMATCH", "o.avsc") in rules and (
        "CONTRACT_ADDED",
        "extra.schema.json",
    ) in rules


def test_diff_of_an_unreadable_schema_is_reported_not_crashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "a.avsc", tmp_path / "b.avsc"
    good.write_text(record(("id", "string")))
    bad.write_text('{"type": "record",\n "name": 3}')
    code, report = as_json(capsys, "diff", str(good), str(bad), "--root", str(tmp_path))
    assert code == 3
    assert report["findings"][0]["rule"] == "CONTRACT_UNREADABLE" and report["not_checked"]


def test_diff_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contracts", "diff", str(tmp_path), str(CURRENT)]) == 2
    assert main(["contracts", "diff", str(tmp_path / "nope"), str(CURRENT)]) == 2
    (tmp_path / "contracts.yaml").write_text("subjects: 3\n")
    (tmp_path / "a.avsc").write_text(record(("id", "string")))
    assert main(["contracts", "diff", str(tmp_path / "a.avsc"), str(tmp_path / "a.avsc")]) == 2
    assert "contracts.yaml:1:" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["markdown", "sarif", "terminal"])
def test_every_format_renders(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(
        capsys, "diff", str(CURRENT), str(PROPOSED), "--format", fmt, "--today", "2026-11-27"
    )
    assert code == 1 and "AVRO_DECIMAL_SCALE_CHANGED" in out
    if fmt == "markdown":
        assert out.startswith("### Contract diff") and "@eventshop/fulfilment" in out


def test_history_checks_transitive_modes_against_every_earlier_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = []
    for n, fields in enumerate(
        [
            [("id", "string")],
            [("id", "string"), ("note", "string")],
            [("id", "string"), ("note", "string")],
        ]
    ):
        files.append(tmp_path / f"v{n + 1}.avsc")
        files[-1].write_text(record(*fields))
    code, latest = as_json(capsys, "history", *map(str, files), "--mode", "BACKWARD")
    assert code == 0 and latest["compatible"]
    code, transitive = as_json(capsys, "history", *map(str, files), "--mode", "BACKWARD_TRANSITIVE")
    assert code == 1 and "version 1" in transitive["findings"][0]["message"]


def test_ls_lists_subjects_owners_and_deprecation_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, listing = as_json(capsys, "ls", str(EXAMPLE), "--format", "json", "--today", "2026-11-27")
    assert code == 0
    rows = {r["subject"]: r for r in listing["subjects"]}
    orders = rows["orders.placed-value"]
    assert orders["owner"] == "@eventshop/orders"
    assert orders["deprecations"][0]["status"] == "past sunset by 58 days"
    inventory = rows["inventory.reserved-value"]
    assert (
        inventory["deprecations"][0]["element"] == "warehouse"
        and inventory["deprecations"][0]["marked_in_schema"]
    )
    assert {s["service"] for s in rows["payments.captured-value"]["services"]} >= {
        "payment-service",
        "order-service",
    }


# --- check --against, on real git repositories ---------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        capture_output=True,
        check=True,
    )


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A small repository: one Avro contract, a producer and a consumer, one commit."""
    repo = tmp_path / "shop"
    (repo / "schemas").mkdir(parents=True)
    (repo / "schemas" / "order.avsc").write_text(record(("id", "string"), ("note", "string")))
    for name in ("orders", "billing"):
        (repo / "services" / name).mkdir(parents=True)
        (repo / "services" / name / "requirements.txt").write_text("requests==2.0.0\n")
    (repo / "services" / "billing" / "consume.py").write_text('SCHEMA = "schemas/order.avsc"\n')
    (repo / "steward.toml").write_text(
        '[[services]]\nname = "orders"\npath = "services/orders"\nowners = ["@shop/orders"]\nproduces = ["orders"]\n'
    )
    (repo / "contracts.yaml").write_text(
        "subjects:\n  - subject: orders-value\n    topic: orders\n    schema: schemas/order.avsc\n"
        "    owner: '@shop/orders'\n    approvers: ['@shop/platform']\n"
        "    deprecations:\n      - {element: note, announced: 2026-01-01, sunset: 2026-12-31}\n"
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    return repo


@needs_git
def test_check_against_a_ref_finds_the_working_tree_break_and_its_users(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (shop / "schemas" / "order.avsc").write_text(record(("id", "long")))
    code, report = as_json(
        capsys, "check", "--against", "main", str(shop), "--format", "json", "--today", "2026-06-01"
    )
    assert code == 1 and not report["compatible"]
    rules = [f["rule"] for f in report["findings"]]
    assert "AVRO_TYPE_MISMATCH" in rules and "DEPRECATION_REMOVED_BEFORE_SUNSET" in rules
    assert "BREAKING_CHANGE_AWAITING_APPROVAL" in rules
    mismatch = next(f for f in report["findings"] if f["rule"] == "AVRO_TYPE_MISMATCH")
    reached = {a["service"]: a for a in mismatch["affected"]}
    assert reached["orders"]["roles"] == ["producer"] and reached["orders"]["owners"] == [
        "@shop/orders"
    ]
    assert reached["billing"]["roles"] == ["uses"]
    assert reached["billing"]["evidence"][0].startswith("services/billing/consume.py:1:")


@needs_git
def test_check_passes_when_nothing_changed_and_an_approved_change_does_not_block(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(capsys, "check", "--against", "HEAD", str(shop), "--today", "2026-06-01")
    assert code == 0
    (shop / "schemas" / "order.avsc").write_text(record(("id", "long"), ("note", "string")))
    catalogue = (shop / "contracts.yaml").read_text()
    (shop / "contracts.yaml").write_text(
        catalogue + "    changes:\n      - {id: O-1, requested: 2026-05-01, elements: [id]}\n"
        "    approvals:\n      - {change: O-1, by: '@shop/platform', at: 2026-05-02}\n"
    )
    code, report = as_json(
        capsys, "check", "--against", "HEAD", str(shop), "--format", "json", "--today", "2026-06-01"
    )
    assert code == 0 and not report["compatible"]
    assert "BREAKING_CHANGE_APPROVED" in [f["rule"] for f in report["findings"]]


@needs_git
def test_check_reports_a_deleted_contract(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop / "schemas" / "order.avsc").unlink()
    code, report = as_json(
        capsys, "check", "--against", "HEAD", str(shop), "--format", "json", "--today", "2026-06-01"
    )
    assert code == 1 and report["findings"][0]["rule"] == "CONTRACT_REMOVED"


@needs_git
def test_check_of_an_unknown_ref_is_a_usage_error(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contracts", "check", "--against", "nope", str(shop)]) == 2
    assert "nope" in capsys.readouterr().err


@needs_git
def test_check_with_protobuf_never_crashes(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proto = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  string id = 1;\n  string email = 2;\n}\n'
    (shop / "schemas" / "order.proto").write_text(proto)
    git(shop, "add", "-A")
    git(shop, "commit", "-q", "-m", "proto")
    (shop / "schemas" / "order.proto").write_text(
        proto.replace("  string email = 2;\n", '  reserved 2;\n  reserved "email";\n')
    )
    code, report = as_json(
        capsys, "check", "--against", "HEAD", str(shop), "--format", "json", "--today", "2026-06-01"
    )
    assert code in (0, 1, 3)
    assert "SAFE_REMOVAL_RESERVED" in [f["rule"] for f in report["findings"]]
    assert all("protobuf: the checker failed" not in n for n in report["not_checked"])
