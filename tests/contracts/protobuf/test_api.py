"""The public entry points: inputs, compile errors, well-known types, editions, deprecations."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.contracts import protobuf
from steward.contracts.findings import InvalidSchema, is_breaking

ORDER = """syntax = "proto3";
package shop.v1;

import "google/protobuf/timestamp.proto";

message Order {
  string id = 1;
  google.protobuf.Timestamp placed_at = 2;
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_well_known_types_resolve_and_an_unchanged_schema_is_compatible(tmp_path: Path) -> None:
    before = write(tmp_path / "a", {"shop/v1/order.proto": ORDER})
    after = write(tmp_path / "b", {"shop/v1/order.proto": ORDER})
    for category in protobuf.CATEGORIES:
        assert protobuf.check(before, after, categories=[category]) == []


def test_changing_a_field_type_breaks_with_path_and_line(tmp_path: Path) -> None:
    before = write(tmp_path / "a", {"shop/v1/order.proto": ORDER})
    changed = ORDER.replace("string id = 1;", "bytes id = 1;")
    after = write(tmp_path / "b", {"shop/v1/order.proto": changed})
    [finding] = protobuf.check(before, after)
    assert (finding.rule, finding.path, finding.line) == (
        "FIELD_SAME_TYPE",
        "shop/v1/order.proto",
        7,
    )
    assert finding.breaking and "FILE" in finding.categories
    assert finding.location == "shop.v1.Order.id"


def test_two_single_files_are_compared_as_one_file_even_when_renamed(tmp_path: Path) -> None:
    old = write(tmp_path, {"v1.proto": ORDER}) / "v1.proto"
    new = write(tmp_path, {"v2.proto": ORDER.replace("string id = 1;", "")}) / "v2.proto"
    rules = [f.rule for f in protobuf.check(old, new)]
    assert rules == ["FIELD_NO_DELETE"]


def test_a_file_that_does_not_compile_is_a_finding_and_the_rest_is_checked(tmp_path: Path) -> None:
    other = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Line {\n  string sku = 1;\n}\n'
    before = write(tmp_path / "a", {"order.proto": ORDER, "line.proto": other})
    broken = ORDER.replace("string id = 1;", "string id = 1")
    after = write(
        tmp_path / "b", {"order.proto": broken, "line.proto": other.replace("sku", "code")}
    )
    found = {(f.rule, f.path, f.line) for f in protobuf.check(before, after)}
    assert ("COMPILE", "order.proto", 8) in found
    assert ("FIELD_SAME_NAME", "line.proto", 5) in found
    assert not any(rule == "FILE_NO_DELETE" for rule, _, _ in found)


def test_an_unresolved_import_is_a_compile_finding(tmp_path: Path) -> None:
    before = write(tmp_path / "a", {"order.proto": ORDER})
    after = write(tmp_path / "b", {"order.proto": ORDER.replace("timestamp.proto", "nope.proto")})
    found = protobuf.check(before, after)
    assert {f.rule for f in found} == {"COMPILE"} and is_breaking(found)
    assert all(f.path == "order.proto" and f.line > 0 for f in found)


def test_a_missing_path_and_mixed_inputs_are_rejected(tmp_path: Path) -> None:
    root = write(tmp_path / "a", {"order.proto": ORDER})
    with pytest.raises(InvalidSchema, match="no such file"):
        protobuf.check(root, tmp_path / "missing")
    with pytest.raises(InvalidSchema, match="must both be directories"):
        protobuf.check(root, root / "order.proto")


def test_an_unknown_category_is_rejected(tmp_path: Path) -> None:
    root = write(tmp_path / "a", {"order.proto": ORDER})
    with pytest.raises(protobuf.InvalidCategory, match="WIRES"):
        protobuf.check(root, root, categories=["WIRES"])


def test_editions_delimited_encoding_is_a_type_change(tmp_path: Path) -> None:
    text = 'edition = "2023";\npackage p;\n\nmessage M {\n  M child = 1;\n}\n'
    delimited = text.replace("M child = 1;", "M child = 1 [features.message_encoding = DELIMITED];")
    before = write(tmp_path / "a", {"m.proto": text})
    after = write(tmp_path / "b", {"m.proto": delimited})
    assert [f.rule for f in protobuf.check(before, after, categories=["WIRE"])] == [
        "FIELD_WIRE_COMPATIBLE_TYPE"
    ]


def test_adding_a_field_or_a_message_is_not_breaking(tmp_path: Path) -> None:
    before = write(tmp_path / "a", {"order.proto": ORDER})
    grown = ORDER.replace("placed_at = 2;", "placed_at = 2;\n  string note = 3;") + (
        "\nmessage Note {\n  string text = 1;\n}\n"
    )
    after = write(tmp_path / "b", {"order.proto": grown})
    assert protobuf.check(before, after) == []


DEPRECATED = """syntax = "proto3";
package shop.v1;

option deprecated = true;

// Use OrderV2.
message Order {
  option deprecated = true;
  string id = 1 [deprecated = true];
}

enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_OLD = 1 [deprecated = true];
}

service Orders {
  rpc Get(Order) returns (Order) {
    option deprecated = true;
  }
}
"""


def test_deprecations_lists_every_marked_element_with_its_line_and_comment(
    tmp_path: Path,
) -> None:
    root = write(tmp_path, {"order.proto": DEPRECATED})
    found = [(d.location, d.line, d.note) for d in protobuf.deprecations(root)]
    assert found == [
        ("order.proto#", 1, ""),
        ("order.proto#shop.v1.Order", 7, "Use OrderV2."),
        ("order.proto#shop.v1.Order.id", 9, ""),
        ("order.proto#shop.v1.Status.STATUS_OLD", 14, ""),
        ("order.proto#shop.v1.Orders.Get", 18, ""),
    ]


def test_deprecations_of_a_single_file(tmp_path: Path) -> None:
    path = write(tmp_path, {"order.proto": DEPRECATED}) / "order.proto"
    assert len(protobuf.deprecations(path)) == 5
