"""Consumer impact: declared producers and consumers, and users inferred from their code."""

from __future__ import annotations

from steward.contracts.catalogue import parse
from steward.contracts.discover import SchemaFile
from steward.contracts.impact import (
    CONSUMER,
    PRODUCER,
    USES,
    Impacted,
    affected,
    consumers,
    to_finding,
)
from steward.contracts.lifecycle import CONTRACT_REMOVED, finding
from steward.model import Service, Severity

SUBJECT = parse(
    """\
subjects:
  - subject: orders.placed-value
    topic: orders.placed
    schema: schemas/orders/v1/order_placed.proto
    owner: "@shop/orders"
    producers: [orders]
    consumers: [billing, ghost]
""",
    path="contracts.yaml",
).subjects[0]
PROTO = SchemaFile(
    "schemas/orders/v1/order_placed.proto",
    "protobuf",
    'syntax = "proto3";\noption go_package = "example.invalid/gen/orders/v1;ordersv1";\n',
)
SERVICES = [
    Service("orders", "services/orders", ("@shop/orders",), produces=("orders.placed",)),
    Service("billing", "services/billing", ("@shop/billing",)),
    Service("mailer", "services/mailer", ("@shop/mail",)),
    Service("stock", "services/stock", ("@shop/stock",)),
    Service("unrelated", "services/unrelated", ("@shop/x",)),
]
SOURCES = {
    "mailer": {"services/mailer/app.py": "import os\nfrom gen.orders.v1 import order_placed_pb2\n"},
    "stock": {
        "services/stock/main.go": 'package main\n\nimport ordersv1 "example.invalid/gen/orders/v1"\n'
    },
    "unrelated": {"services/unrelated/x.py": "orders_placed = 1  # not the quoted topic\n"},
}


def test_declared_and_inferred_users_are_listed_with_owners_and_evidence() -> None:
    found = {a.service: a for a in affected(SUBJECT, PROTO, SERVICES, SOURCES)}
    assert sorted(found) == ["billing", "ghost", "mailer", "orders", "stock"]
    assert found["orders"].roles == (PRODUCER,) and found["orders"].owners == ("@shop/orders",)
    assert "steward.toml: produces orders.placed" in found["orders"].evidence
    assert found["billing"].roles == (CONSUMER,)
    assert found["mailer"].roles == (USES,)
    assert found["mailer"].evidence == (
        "services/mailer/app.py:2: names order_placed_pb2 (the Python module protoc generates)",
    )
    assert "go_package" in found["stock"].evidence[0] and found["stock"].evidence[0].startswith(
        "services/stock/main.go:3:"
    )
    assert found["ghost"].evidence[-1] == "not found in the tree"


def test_producers_come_first_and_consumers_exclude_pure_producers() -> None:
    reached = affected(SUBJECT, PROTO, SERVICES, SOURCES)
    assert reached[0].service == "orders"
    assert "orders" not in {a.service for a in consumers(reached)}


def test_a_quoted_topic_or_the_avro_full_name_shows_use() -> None:
    avsc = SchemaFile(
        "schemas/pay.avsc",
        "avro",
        '{"type": "record", "name": "Paid", "namespace": "shop.pay", "fields": []}',
    )
    subject = parse(
        "subjects:\n  - {subject: p, topic: pay.done, schema: schemas/pay.avsc}\n", path="c"
    ).subjects[0]
    services = [Service("a", "a"), Service("b", "b"), Service("c", "c")]
    sources = {
        "a": {"a/x.ts": "const T = 'pay.done';"},
        "b": {"b/y.java": "import shop.pay.Paid;"},
        "c": {"c/z.py": "pay.done()"},
    }
    assert [a.service for a in affected(subject, avsc, services, sources)] == ["a", "b"]


def test_an_impacted_finding_becomes_a_common_finding() -> None:
    item = Impacted(
        finding(CONTRACT_REMOVED, "s.avsc", 0, "", "gone"),
        "s",
        "@o",
        affected(SUBJECT, PROTO, SERVICES, SOURCES),
    )
    common = to_finding(item)
    assert common.severity is Severity.HIGH and common.subject == "s" and common.file == "s.avsc"
    assert "billing (consumer; @shop/billing)" in common.evidence
