"""The deprecation lifecycle and approvals, with "today" frozen by parameter."""

from __future__ import annotations

import json
from datetime import date

from steward.contracts import lifecycle as lc
from steward.contracts.catalogue import parse
from steward.contracts.discover import SchemaFile

CATALOGUE = """\
subjects:
  - subject: orders-value
    schema: orders.avsc
    owner: "@shop/orders"
    approvers: ["@shop/platform"]
    approval_sla: 5 business days
    deprecations:
      - {element: note, announced: 2026-01-01, sunset: 2026-06-30}
  - subject: proto-value
    schema: o.proto
    deprecations:
      - {element: Order.email, announced: 2026-01-01, sunset: 2026-03-01}
"""
SUBJECT, PROTO_SUBJECT = parse(CATALOGUE, path="contracts.yaml").subjects


def avro(*fields: str) -> SchemaFile:
    spec = [{"name": n, "type": "string"} for n in fields]
    text = json.dumps({"type": "record", "name": "Order", "fields": spec}, indent=2)
    return SchemaFile("orders.avsc", "avro", text)


def rules(found: list[lc.ContractFinding]) -> list[str]:  # type: ignore[name-defined]
    return [f.rule for f in found]


def compare(before: SchemaFile, after: SchemaFile, today: date, subject=SUBJECT):  # type: ignore[no-untyped-def]
    return lc.compare(
        lc.version(before), lc.version(after), subject=subject, mode="BACKWARD", today=today
    )


def test_removing_a_deprecated_field_before_its_sunset_is_breaking() -> None:
    found = compare(avro("id", "note"), avro("id"), date(2026, 6, 29))
    early = [f for f in found if f.rule == lc.DEPRECATION_REMOVED_BEFORE_SUNSET]
    assert len(early) == 1 and early[0].breaking
    assert "2026-06-30" in early[0].message and early[0].path == "orders.avsc"


def test_removing_a_deprecated_field_after_its_sunset_is_not_a_lifecycle_finding() -> None:
    found = compare(avro("id", "note"), avro("id"), date(2026, 7, 1))
    assert lc.DEPRECATION_REMOVED_BEFORE_SUNSET not in rules(found)
    assert lc.REMOVED_WITHOUT_DEPRECATION not in rules(found)


def test_a_deprecated_field_still_present_after_its_sunset_is_reported() -> None:
    found = compare(avro("id", "note"), avro("id", "note"), date(2026, 7, 1))
    past = [f for f in found if f.rule == lc.DEPRECATION_PAST_SUNSET]
    assert len(past) == 1 and not past[0].breaking and past[0].line == 9
    assert compare(avro("id", "note"), avro("id", "note"), date(2026, 6, 30)) == []


def test_removing_a_field_never_deprecated_is_reported() -> None:
    found = compare(avro("id", "other"), avro("id"), date(2026, 1, 1))
    assert lc.REMOVED_WITHOUT_DEPRECATION in rules(found)


def test_a_schema_marker_without_a_catalogue_plan_is_reported() -> None:
    text = json.dumps(
        {
            "type": "object",
            "properties": {"old": {"type": "string", "deprecated": True, "description": "use new"}},
        },
        indent=2,
    )
    schema = SchemaFile("x.schema.json", "jsonschema", text)
    found = lc.sunsets(lc.version(schema), None, date(2026, 1, 1))
    assert rules(found) == [lc.DEPRECATION_WITHOUT_SUNSET] and "use new" in found[0].message


def test_an_avro_deprecated_attribute_is_matched_to_its_field() -> None:
    text = json.dumps(
        {
            "type": "record",
            "name": "Order",
            "fields": [
                {"name": "id", "type": "string"},
                {"name": "note", "type": "string", "deprecated": True},
            ],
        },
        indent=2,
    )
    assert list(lc.version(SchemaFile("orders.avsc", "avro", text)).markers) == ["Order.note"]


PROTO_V1 = """\
syntax = "proto3";
package shop.v1;
message Order {
  string id = 1;
  string email = 2 [deprecated = true];
  string note = 3;
}
"""
PROTO_RESERVED = """\
syntax = "proto3";
package shop.v1;
message Order {
  reserved 2;
  reserved "email";
  string id = 1;
  string note = 3;
}
"""
PROTO_NUMBER_ONLY = PROTO_RESERVED.replace('  reserved "email";\n', "")


def proto(text: str) -> lc.Version:
    return lc.version(SchemaFile("o.proto", "protobuf", text), markers=[])


def test_a_protobuf_field_removed_with_number_and_name_reserved_is_a_safe_removal() -> None:
    found = lc.removals(proto(PROTO_V1), proto(PROTO_RESERVED), PROTO_SUBJECT, date(2026, 4, 1))
    assert rules(found) == [lc.SAFE_REMOVAL_RESERVED] and not found[0].breaking
    assert "Order.email = 2" in found[0].message


def test_a_protobuf_field_reserved_by_number_only_is_not_a_safe_removal() -> None:
    found = lc.removals(proto(PROTO_V1), proto(PROTO_NUMBER_ONLY), PROTO_SUBJECT, date(2026, 4, 1))
    assert lc.SAFE_REMOVAL_RESERVED not in rules(found)


def test_a_reserved_removal_before_the_sunset_is_still_early() -> None:
    found = lc.removals(proto(PROTO_V1), proto(PROTO_RESERVED), PROTO_SUBJECT, date(2026, 2, 1))
    assert rules(found) == [lc.DEPRECATION_REMOVED_BEFORE_SUNSET]


def test_the_proto_scanner_ignores_comments_and_reads_ranges() -> None:
    text = 'message A {\n  // string ghost = 9;\n  reserved 4 to 6, 10 to max;\n  reserved "x";\n  oneof pick { string y = 7; }\n  message B { int32 z = 1; }\n}\n'
    shape = lc.shape(SchemaFile("a.proto", "protobuf", text))
    assert sorted(shape.elements) == ["A.B.z", "A.y"]
    assert shape.elements["A.y"].line == 5
    assert shape.reserved["A"].holds(5, "x") and shape.reserved["A"].holds(99, "x")
    assert not shape.reserved["A"].holds(7, "x")


# --- approvals ---------------------------------------------------------------------------------

APPROVALS = """\
subjects:
  - subject: s
    schema: s.avsc
    approvers: ["@shop/platform"]
    approval_sla: 5 business days
    changes:
      - {id: C-1, requested: 2026-11-20, elements: [total]}
      - {id: C-2, requested: 2026-11-20, elements: [note]}
    approvals:
      - {change: C-2, by: "@shop/platform", at: 2026-11-21}
      - {change: C-1, by: "@not/an-approver", at: 2026-11-21}
"""
APPROVING = parse(APPROVALS, path="c.yaml").subjects[0]
BREAK = lc.finding(lc.CONTRACT_REMOVED, "s.avsc", 3, "/fields/1", "x")


def test_a_breaking_change_without_approval_past_its_sla_is_reported() -> None:
    # requested Friday 2026-11-20; five business days later is Friday 2026-11-27
    on_time = lc.approvals([(BREAK, "S.total")], APPROVING, date(2026, 11, 27))
    late = lc.approvals([(BREAK, "S.total")], APPROVING, date(2026, 11, 28))
    assert rules(on_time) == [lc.BREAKING_CHANGE_AWAITING_APPROVAL]
    assert rules(late) == [lc.BREAKING_CHANGE_UNAPPROVED_PAST_SLA]
    assert "2026-11-27" in late[0].message


def test_an_approved_change_is_recognised_and_no_longer_blocks() -> None:
    found = lc.approvals([(BREAK, "S.note")], APPROVING, date(2026, 12, 31))
    assert rules(found) == [lc.BREAKING_CHANGE_APPROVED]
    assert lc.approved(APPROVING, "S.note") and not lc.approved(APPROVING, "S.total")


def test_a_breaking_change_with_no_change_request_awaits_one() -> None:
    found = lc.approvals([(BREAK, "S.other")], APPROVING, date(2026, 11, 27))
    assert rules(found) == [lc.BREAKING_CHANGE_AWAITING_APPROVAL]
    assert "no change request" in found[0].message and "2026-12-04" in found[0].message


def test_breaking_changes_are_grouped_per_change_request() -> None:
    found = lc.approvals(
        [(BREAK, "S.total"), (BREAK, "S.total"), (BREAK, "S.x")], APPROVING, date(2026, 11, 23)
    )
    assert len(found) == 2


def test_every_lifecycle_rule_id_is_upper_snake_and_described() -> None:
    for rule in lc.RULES.values():
        assert rule.id.isupper() and " " not in rule.id and rule.purpose.endswith(".")
