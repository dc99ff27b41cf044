"""`steward contracts …` on awkward input: BOMs, binary files, a missing output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from steward.cli.main import main

SCHEMA = {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["contracts", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def diff_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(capsys, "diff", *argv)
    return code, json.loads(out)


def test_a_schema_saved_with_a_bom_and_crlf_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.avsc", tmp_path / "new.avsc"
    old.write_text(json.dumps(SCHEMA), encoding="utf-8")
    new.write_bytes(b"\xef\xbb\xbf" + json.dumps(SCHEMA, indent=2).replace("\n", "\r\n").encode())
    code, report = diff_json(capsys, str(old), str(new), "--root", str(tmp_path))
    assert report == {"compatible": True, "findings": [], "not_checked": []}
    assert code == 0


def test_an_unreadable_schema_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "order.avsc").write_text(json.dumps(SCHEMA))
    (tmp_path / "b" / "order.avsc").write_text('{\n  "type": "record",\n  "name": \n')
    code, report = diff_json(capsys, str(tmp_path / "a"), str(tmp_path / "b"))
    [finding] = report["findings"]
    assert finding["rule"] == "CONTRACT_UNREADABLE"
    assert (finding["path"], finding["line"]) == ("order.avsc", 4)
    assert code == 3


def test_nothing_checked_is_not_called_compatible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for side in ("a", "b"):
        (tmp_path / side / "order.avsc").write_text("{not json")
    code, out, _ = run(
        capsys, "diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "terminal"
    )
    head = out.splitlines()[0]
    assert head.endswith("compatible as far as checked; 1 not checked"), head
    code, out, _ = run(
        capsys, "diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "markdown"
    )
    assert "1 not checked" in out.splitlines()[0]
    assert code == 3


def test_history_of_a_binary_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, binary = tmp_path / "v1.avsc", tmp_path / "v2.avsc"
    good.write_text(json.dumps(SCHEMA))
    binary.write_bytes(b"\x00\xc6\xff\xfe" * 64)
    code, _, err = run(capsys, "history", str(good), str(binary))
    assert code == 2
    assert f"{binary.as_posix()}:1: not JSON" in err


def test_output_into_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "order.avsc"
    schema.write_text(json.dumps(SCHEMA))
    target = tmp_path / "missing" / "report.json"
    code, out, err = run(capsys, "diff", str(schema), str(schema), "--output", str(target))
    assert code == 2 and out == ""
    assert f"--output {target}: no folder {target.parent}" in err
    assert not target.parent.exists()


def test_deeply_nested_schemas_are_unreadable_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    nested = '{"$schema": "https://json-schema.org/draft/2020-12/schema", "items": ' * 3000
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "order.avsc").write_text(json.dumps(SCHEMA))
        (tmp_path / side / "event.schema.json").write_text('{"type": "object"}')
        (tmp_path / side / "shipment.json").write_text(nested + "{}" + "}" * 3000)
    (tmp_path / "b" / "order.avsc").write_text(deep)
    (tmp_path / "b" / "event.schema.json").write_text(nested + "{}" + "}" * 3000)
    code, report = diff_json(capsys, str(tmp_path / "a"), str(tmp_path / "b"))
    unreadable = {f["path"]: f["message"] for f in report["findings"]}
    assert set(unreadable) == {"event.schema.json", "order.avsc", "shipment.json"}
    assert all("nested too deeply" in m for m in unreadable.values()), unreadable
    assert code == 3


def _deep_record(depth: int) -> str:
    schema: Any = "string"
    for level in range(depth):
        schema = {"type": "record", "name": f"R{level}", "fields": [{"name": "f", "type": schema}]}
    return json.dumps(schema)


def test_ls_reports_a_deeply_nested_schema_as_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "deep.avsc").write_text(_deep_record(300))
    (tmp_path / "order.avsc").write_text(json.dumps(SCHEMA))
    code, out, _ = run(capsys, "ls", str(tmp_path), "--format", "json")
    rows = {r["schema"]: r for r in json.loads(out)["subjects"]}
    assert rows["deep.avsc"]["problems"] == ["deep.avsc:1: nested too deeply to check"]
    assert rows["order.avsc"]["problems"] == []
    assert code == 0


def test_history_of_a_deeply_nested_schema_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "v1.avsc", tmp_path / "v2.avsc"
    old.write_text('"string"')
    new.write_text(_deep_record(300))
    code, _, err = run(capsys, "history", str(old), str(new))
    assert code == 2 and "nested too deeply to check" in err
