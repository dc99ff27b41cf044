"""Kafka facts the checks and runbooks need: version reading, KRaft, MSK partition limits.

``PARTITION_LIMITS`` is Amazon MSK's table "Right-size your cluster: Number of partitions per
Standard broker" (Amazon MSK Developer Guide, *Best practices for Standard brokers*,
docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html, read 2026-11): partition
replicas (leaders and followers) per broker — the recommended number, and the most with which MSK
still runs update operations such as a version upgrade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PartitionLimit:
    """MSK's recommended and update-operation maximum of partition replicas per broker."""

    recommended: int
    max_for_updates: int


_SMALL = PartitionLimit(1000, 1500)
_MEDIUM = PartitionLimit(2000, 3000)
_LARGE = PartitionLimit(4000, 6000)

PARTITION_LIMITS: dict[str, PartitionLimit] = {
    "kafka.t3.small": PartitionLimit(300, 300),
    "kafka.m5.large": _SMALL,
    "kafka.m5.xlarge": _SMALL,
    "kafka.m5.2xlarge": _MEDIUM,
    **{
        f"kafka.m5.{size}": _LARGE
        for size in ("4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge")
    },
    "kafka.m7g.large": _SMALL,
    "kafka.m7g.xlarge": _SMALL,
    "kafka.m7g.2xlarge": _MEDIUM,
    **{f"kafka.m7g.{size}": _LARGE for size in ("4xlarge", "8xlarge", "12xlarge", "16xlarge")},
}
PARTITION_LIMITS_SOURCE = (
    "Amazon MSK Developer Guide, Best practices for Standard brokers: partitions per broker"
)


def numbers(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a Kafka or MSK version (``3.7.x.kraft`` → (3, 7, 0))."""
    parts = [int(p) for p in re.findall(r"\d+", version.split(".kraft")[0])][:3]
    padded = [*parts, 0, 0, 0][:3]
    return padded[0], padded[1], padded[2]


def is_kraft(version: str) -> bool:
    """True for KRaft-mode versions: MSK's ``….kraft`` versions and every 4.x or later."""
    return "kraft" in version.lower() or numbers(version)[0] >= 4


def minor(version: str) -> str:
    """``major.minor`` of a version (the form ``inter.broker.protocol.version`` takes)."""
    major, minor_, _ = numbers(version)
    return f"{major}.{minor_}"
