"""How fast `steward infra` reads Terraform and builds its report, side by side in one run.

Three measurements on the same machine, each the median of ``--repeat`` runs:

1. ``parse``: python-hcl2 parsing alone (``hcl2.parses_to_tree``) of a generated platform — one
   module folder per environment/team, each with MSK, RDS, EKS, ElastiCache, variables, locals
   and a terraform block (the floor any extraction on python-hcl2 pays);
2. ``extract``: Steward's extraction of the same files (parse + blocks with offsets + resolution);
3. ``status``: the whole offline report of the example system (discovery, extraction, the
   bundled end-of-life snapshot, readiness, cadence without git), as ``steward infra`` runs it.

Usage: python bench/infra_bench.py [--modules 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import hcl2

from steward.infra.settings import InfraSettings
from steward.infra.status import Options, build
from steward.infra.terraform import extract

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "eventshop"

MODULE = """\
variable "kafka_version" {{
  type    = string
  default = "3.{i}.0"
}}

locals {{
  zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  pg    = "16.{i}"
}}

resource "aws_msk_configuration" "m{i}" {{
  name              = "m{i}"
  kafka_versions    = [var.kafka_version]
  server_properties = <<-P
    default.replication.factor=3
    min.insync.replicas=2
  P
}}

resource "aws_msk_cluster" "k{i}" {{
  cluster_name           = "k{i}"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 6
  broker_node_group_info {{
    instance_type  = "kafka.m5.large"
    client_subnets = ["subnet-a", "subnet-b", "subnet-c"]
  }}
  configuration_info {{
    arn      = aws_msk_configuration.m{i}.arn
    revision = 1
  }}
}}

resource "aws_db_instance" "d{i}" {{
  engine                      = "postgres"
  engine_version              = local.pg
  allow_major_version_upgrade = false
  blue_green_update {{
    enabled = true
  }}
}}

resource "aws_eks_cluster" "e{i}" {{
  name    = "e{i}"
  version = "1.3{d}"
}}

resource "aws_elasticache_replication_group" "r{i}" {{
  engine         = "redis"
  engine_version = "7.1"
}}
"""


def _files(modules: int) -> dict[str, str]:
    return {f"env{i}/main.tf": MODULE.format(i=i, d=i % 6) for i in range(modules)}


def _median(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = _files(args.modules)
    lines = sum(text.count("\n") for text in files.values())
    components = len(extract(files)[0])
    parse = _median(lambda: [hcl2.parses_to_tree(t) for t in files.values()], args.repeat)
    steward = _median(lambda: extract(files), args.repeat)
    options = Options(today=date(2026, 11, 27), git=False)
    status = _median(lambda: build(EXAMPLE, InfraSettings(), options), args.repeat)
    print(f"{args.modules} modules, {lines} lines of Terraform, {components} components")
    print(f"{'measurement':<34}{'median s':>10}{'lines/s':>12}")
    print(f"{'python-hcl2 parse only':<34}{parse:>10.3f}{lines / parse:>12,.0f}")
    print(f"{'steward extract (parse+resolve)':<34}{steward:>10.3f}{lines / steward:>12,.0f}")
    print(f"{'steward infra status (example)':<34}{status:>10.3f}{'':>12}")
    print(f"extraction overhead over parsing: {100 * (steward - parse) / parse:.0f} %")


if __name__ == "__main__":
    main()
