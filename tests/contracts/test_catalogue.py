"""The contracts catalogue: contracts.yaml read with safe_load, errors naming file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from steward.contracts.catalogue import InvalidCatalogue, parse, parse_sla

EXAMPLE = Path(__file__).parents[2] / "examples" / "eventshop" / "contracts.yaml"

GOOD = """\
approval_sla: 2 days
subjects:
  - subject: orders-value
    topic: orders
    schema: schemas/orders.avsc
    owner: "@shop/orders"
    approvers: ["@shop/platform"]
    deprecations:
      - element: note
        announced: 2026-01-01
        sunset: 2026-06-30
    changes:
      - id: ORD-1
        requested: 2026-03-02
        elements: [total]
    approvals:
      - change: ORD-1
        by: "@shop/platform"
        at: 2026-03-03
      - change: ORD-1
        by: "@someone/else"
        at: 2026-03-03
"""


def test_the_example_catalogue_is_valid_and_names_every_topic() -> None:
    catalogue = parse(EXAMPLE.read_text(), path=str(EXAMPLE))
    topics = {s.topic for s in catalogue.subjects}
    assert topics == {"orders.placed", "payments.captured", "inventory.reserved"}
    payments = catalogue.for_schema("schemas/payments/payment_captured.avsc")
    assert payments is not None and payments.sla.text == "72h"
    assert payments.planned("PaymentCaptured.processor_reference") is not None


def test_a_subject_is_read_with_defaults_dates_and_approvals() -> None:
    subject = parse(GOOD, path="c.yaml").subjects[0]
    assert subject.sla.text == "2 days" and subject.compatibility == "BACKWARD"
    assert subject.deprecations[0].sunset == date(2026, 6, 30)
    assert subject.changes[0].covers("Order.total") and not subject.changes[0].covers("note")
    # only approvers' approvals count
    assert [a.by for a in subject.approvals_of("ORD-1")] == ["@shop/platform"]
    assert subject.line == 3


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "subjects:\n  - subject: a\n    schema: a.avsc\n    colour: red\n",
            4,
            "unknown key 'colour'",
        ),
        (
            "subjects:\n  - subject: a\n    schema: a.avsc\n    deprecations:\n      - element: x\n        sunset: soon\n",
            6,
            "'sunset' must be a date",
        ),
        (
            "subjects:\n  - subject: a\n    schema: a.avsc\n    approval_sla: whenever\n",
            4,
            "approval SLA 'whenever'",
        ),
        (
            "subjects:\n  - subject: a\n    schema: a.avsc\n    approvals:\n      - change: X-1\n        by: me\n        at: 2026-01-01\n",
            5,
            "unknown change 'X-1'",
        ),
        ("subjects:\n  - subject: a\n", 2, "'schema' is required"),
        (
            "subjects:\n  - subject: a\n    schema: a.avsc\n  - subject: a\n    schema: b.avsc\n",
            4,
            "listed twice",
        ),
        ("subjects:\n  - subject: a\n    schema: [unclosed\n", 4, "not valid YAML"),
        (
            "subjects:\n  - subject: a\n    schema: a.avsc\n    compatibility: SIDEWAYS\n",
            4,
            "unknown compatibility",
        ),
        (
            "subjects:\n  - subject: a\n    schema: a.avsc\n    deprecations:\n      - element: x\n        announced: 2026-05-01\n        sunset: 2026-01-01\n",
            7,
            "before the announcement",
        ),
    ],
)
def test_an_invalid_catalogue_names_the_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InvalidCatalogue) as raised:
        parse(text, path="contracts.yaml")
    assert raised.value.line == line
    assert words in str(raised.value)
    assert str(raised.value).startswith(f"contracts.yaml:{line}: ")


def test_an_empty_catalogue_has_no_subjects() -> None:
    assert parse("", path="c.yaml").subjects == ()


@pytest.mark.parametrize(
    ("sla", "requested", "due"),
    [
        ("72h", date(2026, 11, 16), date(2026, 11, 19)),
        ("25 hours", date(2026, 11, 16), date(2026, 11, 18)),
        ("3 days", date(2026, 11, 27), date(2026, 11, 30)),
        ("1 week", date(2026, 11, 2), date(2026, 11, 9)),
        # Friday + 1 business day is Monday; Thursday + 5 business days is next Thursday
        ("1 business day", date(2026, 11, 27), date(2026, 11, 30)),
        ("5 business days", date(2026, 11, 26), date(2026, 12, 3)),
        ("2 working days", date(2026, 11, 28), date(2026, 12, 1)),
    ],
)
def test_an_sla_deadline_counts_hours_days_and_business_days(
    sla: str, requested: date, due: date
) -> None:
    assert parse_sla(sla).deadline(requested) == due
