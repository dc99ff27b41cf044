"""How many Avro reader/writer pair checks per second: Steward's checker beside Apache Avro's.

Both checkers get the same pairs, parsed once beforehand, and are timed on the check alone: ours
with `steward.contracts.avro.compatible` (the verdict, as Apache's `get_compatibility` gives) and
with `check_schemas` (every finding, placed on its line). The pairs are versions of an order event
(a dozen fields, a nested record, an enum, a union, an array, a map, logical types) under the
evolutions a subject sees: fields added with and without defaults, removed, promoted, an enum
symbol added. The target is at least 10,000 pair checks per second.

Usage: python bench/avro_bench.py [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from collections.abc import Callable
from typing import Any

from steward.contracts import avro

TARGET = 10_000

BASE: dict[str, Any] = {
    "type": "record",
    "name": "OrderPlaced",
    "namespace": "shop.events",
    "fields": [
        {"name": "id", "type": "string"},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "qty", "type": "int"},
        {
            "name": "amount",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2},
        },
        {
            "name": "status",
            "type": {
                "type": "enum",
                "name": "Status",
                "symbols": ["NEW", "PAID"],
                "default": "NEW",
            },
        },
        {"name": "coupon", "type": ["null", "string"], "default": None},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "attributes", "type": {"type": "map", "values": "string"}},
        {
            "name": "customer",
            "type": {
                "type": "record",
                "name": "Customer",
                "fields": [
                    {"name": "id", "type": "string"},
                    {"name": "email", "type": ["null", "string"], "default": None},
                    {"name": "tier", "type": "int", "default": 0},
                ],
            },
        },
        {"name": "billing", "type": ["null", "Customer"], "default": None},
        {"name": "channel", "type": "string", "default": "web"},
        {"name": "weight", "type": "float"},
    ],
}


def _variants() -> list[dict[str, Any]]:
    added = copy.deepcopy(BASE)
    added["fields"].append({"name": "note", "type": ["null", "string"], "default": None})
    required = copy.deepcopy(BASE)
    required["fields"].append({"name": "warehouse", "type": "string"})
    removed = copy.deepcopy(BASE)
    removed["fields"] = [f for f in removed["fields"] if f["name"] != "channel"]
    promoted = copy.deepcopy(BASE)
    promoted["fields"][2]["type"] = "long"
    promoted["fields"][11]["type"] = "double"
    symbol = copy.deepcopy(BASE)
    symbol["fields"][4]["type"]["symbols"].append("SHIPPED")
    return [BASE, added, required, removed, promoted, symbol]


def _rate(
    check: Callable[[Any, Any], object], pairs: list[tuple[Any, Any]], seconds: float
) -> float:
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for writer, reader in pairs:
            check(writer, reader)
        done += len(pairs)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time spent on each checker")
    args = parser.parse_args()
    texts = [json.dumps(v, indent=2) for v in _variants()]
    ours = [avro.parse(t, path="order.avsc") for t in texts]
    pairs = [(w, r) for w in ours for r in ours]
    print(f"{len(pairs)} distinct writer/reader pairs of a {len(BASE['fields'])}-field record")
    verdict = _rate(avro.compatible, pairs, args.seconds)
    findings = _rate(avro.check_schemas, pairs, args.seconds)
    print(f"steward (verdict):       {verdict:>10,.0f} pair checks/s")
    print(f"steward (all findings):  {findings:>10,.0f} pair checks/s")
    try:
        from avro.compatibility import ReaderWriterCompatibilityChecker
        from avro.schema import parse
    except ImportError:
        print("apache avro:             not installed (pip install avro)")
    else:
        theirs = [parse(t) for t in texts]
        apache_pairs = [(w, r) for w in theirs for r in theirs]

        def apache(writer: Any, reader: Any) -> object:
            return ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)

        print(
            f"apache avro:             {_rate(apache, apache_pairs, args.seconds):>10,.0f} pair checks/s"
        )
    status = "meets" if min(verdict, findings) >= TARGET else "misses"
    print(f"target {TARGET:,}/s: {status}")


if __name__ == "__main__":
    main()
