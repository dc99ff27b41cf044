"""Protobuf breaking-change checks: Steward in one process beside ``buf breaking`` per pair.

Generates 100 before/after pairs of a small order API (three files: an order message with a
nested message, a oneof, a map, an enum and well-known types; a customer message; a service), each
"after" carrying one evolution a contract sees (a field added, deleted, renamed, retyped, moved
into a oneof, an enum value deleted, an RPC made streaming, go_package changed, a reserved range
dropped, nothing at all). Then times, side by side:

- Steward: ``steward.contracts.protobuf.check`` on all 100 pairs in this process (compilation
  through protoc from grpcio-tools included);
- buf: ``buf breaking AFTER --against BEFORE`` once per pair as a subprocess (its real use);
- parsing alone: protoc via grpcio-tools (descriptor set with source info) beside the pure-Python
  ``proto-schema-parser`` (an AST only: no imports, no name resolution, no lines), on the same
  200 import roots, when that package is installed.

The target is less total time than buf. Verdicts are compared too, as a sanity check.

Usage: python bench/protobuf_bench.py [--pairs 100] [--category FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from steward.contracts import protobuf
from steward.contracts.protobuf.compile import compile_root, discover

ROOT = Path(__file__).resolve().parent.parent
BUF = ROOT / "tests" / "oracles" / "buf" / "node_modules" / ".bin" / "buf"

ORDER = """syntax = "proto3";
package shop.v1;

option go_package = "example.com/shop/v1;shopv1";

import "google/protobuf/timestamp.proto";
import "shop/v1/customer.proto";

message Order {
  string id = 1;
  int64 total_cents = 2;
  google.protobuf.Timestamp placed_at = 3;
  Customer customer = 4;
  repeated Line lines = 5;
  map<string, string> attributes = 6;
  Status status = 7;
  oneof payment {
    string card_token = 8;
    string iban = 9;
  }
  string note = 10;
  reserved 20 to 25;

  message Line {
    string sku = 1;
    int32 quantity = 2;
  }
}

enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_PAID = 1;
  STATUS_SHIPPED = 2;
}
"""
CUSTOMER = """syntax = "proto3";
package shop.v1;

message Customer {
  string id = 1;
  string email = 2;
}
"""
SERVICE = """syntax = "proto3";
package shop.v1;

import "shop/v1/order.proto";

service Orders {
  rpc Place(Order) returns (Order);
  rpc Watch(Order) returns (Order);
}
"""

EVOLUTIONS: list[tuple[str, str, str]] = [
    ("order", "  string note = 10;\n", "  string note = 10;\n  string channel = 11;\n"),
    ("order", "  string note = 10;\n", ""),
    ("order", "string note = 10;", "string remark = 10;"),
    ("order", "int64 total_cents = 2;", "int32 total_cents = 2;"),
    ("order", "  STATUS_SHIPPED = 2;\n", ""),
    ("service", "rpc Watch(Order) returns (Order);", "rpc Watch(Order) returns (stream Order);"),
    ("order", "shopv1", "shop"),
    ("order", "  reserved 20 to 25;\n", "  reserved 20 to 22;\n"),
    ("customer", "string email = 2;", "optional string email = 2;"),
    ("order", "", ""),
]


def write_pairs(base: Path, count: int) -> list[tuple[Path, Path]]:
    """``count`` (before, after) import roots under ``base``."""
    pairs = []
    for n in range(count):
        which, old, new = EVOLUTIONS[n % len(EVOLUTIONS)]
        texts = {"order": ORDER, "customer": CUSTOMER, "service": SERVICE}
        texts_after = dict(texts)
        texts_after[which] = texts[which].replace(old, new, 1) if old else texts[which]
        before, after = base / f"{n:03}" / "before", base / f"{n:03}" / "after"
        for root, chosen in ((before, texts), (after, texts_after)):
            (root / "shop" / "v1").mkdir(parents=True)
            for name, text in chosen.items():
                (root / "shop" / "v1" / f"{name}.proto").write_text(text)
        pairs.append((before, after))
    return pairs


def timed(action: Callable[[], list[bool]]) -> tuple[float, list[bool]]:
    start = time.perf_counter()
    verdicts = action()
    return time.perf_counter() - start, verdicts


def steward_all(pairs: list[tuple[Path, Path]], category: str) -> list[bool]:
    return [
        any(f.breaking for f in protobuf.check(before, after, categories=[category]))
        for before, after in pairs
    ]


def buf_all(pairs: list[tuple[Path, Path]], category: str) -> list[bool]:
    config = json.dumps({"version": "v2", "breaking": {"use": [category]}})
    verdicts = []
    for before, after in pairs:
        argv = [str(BUF), "breaking", str(after), "--against", str(before), "--config", config]
        result = subprocess.run(argv, capture_output=True, check=False)
        verdicts.append(result.returncode != 0)
    return verdicts


def protoc_parse(roots: list[Path]) -> list[bool]:
    return [bool(compile_root(root).targets) for root in roots]


def pure_parse(roots: list[Path]) -> list[bool]:
    from proto_schema_parser.parser import Parser

    parser = Parser()
    return [
        all(parser.parse((root / name).read_text()) for name in discover(root)) for root in roots
    ]


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--pairs", type=int, default=100)
    arguments.add_argument("--category", default="FILE")
    options = arguments.parse_args()
    with tempfile.TemporaryDirectory(prefix="steward-protobuf-bench-") as scratch:
        pairs = write_pairs(Path(scratch), options.pairs)
        rows = []
        ours, our_verdicts = timed(lambda: steward_all(pairs, options.category))
        rows.append(("steward check, one process", ours))
        if BUF.exists():
            theirs, buf_verdicts = timed(lambda: buf_all(pairs, options.category))
            rows.append(("buf breaking, subprocess per pair", theirs))
            agree = sum(a == b for a, b in zip(our_verdicts, buf_verdicts, strict=True))
        roots = [root for pair in pairs for root in pair]
        parsed, _ = timed(lambda: protoc_parse(roots))
        rows.append((f"parse {len(roots)} roots: protoc (grpcio-tools)", parsed))
        try:
            pure, _ = timed(lambda: pure_parse(roots))
            rows.append((f"parse {len(roots)} roots: proto-schema-parser", pure))
        except ImportError:
            rows.append(("parse: proto-schema-parser not installed", float("nan")))
    print(f"{len(pairs)} before/after pairs, 3 files each, category {options.category}")
    for label, seconds in rows:
        print(f"  {label:<48} {seconds:8.3f} s  {seconds / len(pairs) * 1000:8.2f} ms/pair")
    if BUF.exists():
        print(f"  verdicts agreeing with buf: {agree}/{len(pairs)}")
        print(f"  target (less total time than buf): {'met' if ours < theirs else 'MISSED'}")
    else:
        print("  buf not installed: npm ci --prefix tests/oracles/buf", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
