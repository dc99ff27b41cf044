"""The readiness-check catalogue: every check an upgrade runs, with a stable ID and its purpose.

IDs are stable UPPER_SNAKE strings, prefixed by what they look at (``KAFKA_``, ``PG_``, ``K8S_``,
``HOST_``, ``UPGRADE_``), and never reused for another meaning; a retired check keeps its entry
with "(retired)" in its purpose. ``source`` says what a check reads: ``terraform`` (the text),
``kafka`` (a live cluster through its AdminClient), ``prometheus`` (host metrics), ``records``
(``steward infra record``) or ``endoflife`` (release data).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """A check's outcome: ``not-checked`` is never "ready"."""

    PASS = "pass"
    FAIL = "fail"
    NOT_CHECKED = "not-checked"


@dataclass(frozen=True, slots=True)
class Check:
    """One catalogue entry: stable ID, one-line purpose, the component kinds and the source."""

    id: str
    purpose: str
    kinds: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check run on one component: its ID, outcome and the evidence behind it."""

    id: str
    status: Status
    evidence: tuple[str, ...]


KAFKA_MULTI_AZ = "KAFKA_MULTI_AZ"
KAFKA_BROKERS_PER_AZ = "KAFKA_BROKERS_PER_AZ"
KAFKA_REPLICATION_FACTOR = "KAFKA_REPLICATION_FACTOR"
KAFKA_MIN_ISR = "KAFKA_MIN_ISR"
KAFKA_UPGRADE_PATH = "KAFKA_UPGRADE_PATH"
KAFKA_PARTITIONS_PER_BROKER = "KAFKA_PARTITIONS_PER_BROKER"
KAFKA_LIVE_RACKS = "KAFKA_LIVE_RACKS"
KAFKA_LIVE_TOPIC_RF = "KAFKA_LIVE_TOPIC_RF"
KAFKA_LIVE_TOPIC_MIN_ISR = "KAFKA_LIVE_TOPIC_MIN_ISR"
KAFKA_LIVE_UNDER_REPLICATED = "KAFKA_LIVE_UNDER_REPLICATED"
KAFKA_LIVE_UNDER_MIN_ISR = "KAFKA_LIVE_UNDER_MIN_ISR"
HOST_CPU_HEADROOM = "HOST_CPU_HEADROOM"
HOST_DISK_HEADROOM = "HOST_DISK_HEADROOM"
UPGRADE_TARGET_SUPPORTED = "UPGRADE_TARGET_SUPPORTED"
UPGRADE_STAGING_SOAK = "UPGRADE_STAGING_SOAK"
PG_UPGRADE_PATH = "PG_UPGRADE_PATH"
PG_MAJOR_UPGRADE_ALLOWED = "PG_MAJOR_UPGRADE_ALLOWED"
PG_PARAMETER_GROUP_FAMILY = "PG_PARAMETER_GROUP_FAMILY"
PG_LOW_DOWNTIME_PATH = "PG_LOW_DOWNTIME_PATH"
K8S_ONE_MINOR_AT_A_TIME = "K8S_ONE_MINOR_AT_A_TIME"
K8S_NODE_SKEW = "K8S_NODE_SKEW"

_ANY = ("kafka", "postgresql", "kubernetes", "redis")

CATALOGUE: tuple[Check, ...] = (
    Check(
        KAFKA_MULTI_AZ,
        "Brokers are spread over at least three availability zones.",
        ("kafka",),
        "terraform",
    ),
    Check(
        KAFKA_BROKERS_PER_AZ,
        "The broker count is a multiple of the availability-zone count.",
        ("kafka",),
        "terraform",
    ),
    Check(
        KAFKA_REPLICATION_FACTOR,
        "default.replication.factor is at least 3.",
        ("kafka",),
        "terraform",
    ),
    Check(
        KAFKA_MIN_ISR,
        "min.insync.replicas is at most the replication factor minus one, so one broker can restart.",
        ("kafka",),
        "terraform",
    ),
    Check(
        KAFKA_UPGRADE_PATH,
        "The target version is reachable from the current one (no downgrade; ZooKeeper → KRaft before 4.x).",
        ("kafka",),
        "terraform",
    ),
    Check(
        KAFKA_PARTITIONS_PER_BROKER,
        "Partition replicas per broker are under MSK's limit for the broker size.",
        ("kafka",),
        "kafka",
    ),
    Check(
        KAFKA_LIVE_RACKS,
        "Every broker has a rack and the brokers span at least three racks.",
        ("kafka",),
        "kafka",
    ),
    Check(
        KAFKA_LIVE_TOPIC_RF,
        "Every topic has a replication factor of at least 3.",
        ("kafka",),
        "kafka",
    ),
    Check(
        KAFKA_LIVE_TOPIC_MIN_ISR,
        "Every topic's min.insync.replicas is at most its replication factor minus one.",
        ("kafka",),
        "kafka",
    ),
    Check(
        KAFKA_LIVE_UNDER_REPLICATED, "No partition is under-replicated now.", ("kafka",), "kafka"
    ),
    Check(
        KAFKA_LIVE_UNDER_MIN_ISR,
        "No partition has fewer in-sync replicas than its min.insync.replicas now.",
        ("kafka",),
        "kafka",
    ),
    Check(
        HOST_CPU_HEADROOM,
        "CPU use over the window stays under the limit (default 60 %).",
        _ANY,
        "prometheus",
    ),
    Check(HOST_DISK_HEADROOM, "Disk use stays under the limit (default 85 %).", _ANY, "prometheus"),
    Check(
        UPGRADE_TARGET_SUPPORTED,
        "The target version's release cycle is known and still supported.",
        _ANY,
        "endoflife",
    ),
    Check(
        UPGRADE_STAGING_SOAK,
        "Production only: the target version has run in staging for the soak time.",
        _ANY,
        "records",
    ),
    Check(
        PG_UPGRADE_PATH,
        "The target is not a downgrade; a major upgrade is named as one.",
        ("postgresql",),
        "terraform",
    ),
    Check(
        PG_MAJOR_UPGRADE_ALLOWED,
        "A major upgrade sets allow_major_version_upgrade = true.",
        ("postgresql",),
        "terraform",
    ),
    Check(
        PG_PARAMETER_GROUP_FAMILY,
        "A major upgrade has a parameter group of the target family.",
        ("postgresql",),
        "terraform",
    ),
    Check(
        PG_LOW_DOWNTIME_PATH,
        "A major upgrade has a blue/green or logical-replication path.",
        ("postgresql",),
        "terraform",
    ),
    Check(
        K8S_ONE_MINOR_AT_A_TIME,
        "The control plane moves one minor version at a time.",
        ("kubernetes",),
        "terraform",
    ),
    Check(
        K8S_NODE_SKEW,
        "After the upgrade, every node group is within the kubelet version skew.",
        ("kubernetes",),
        "terraform",
    ),
)

CHECKS: dict[str, Check] = {check.id: check for check in CATALOGUE}
if len(CHECKS) != len(CATALOGUE):  # pragma: no cover - a catalogue edit that reuses an ID
    raise ValueError("a readiness check ID appears twice in the catalogue")


def passed(check: str, *evidence: str) -> CheckResult:
    """A passing result of ``check``."""
    return CheckResult(check, Status.PASS, evidence)


def failed(check: str, *evidence: str) -> CheckResult:
    """A failing result of ``check``."""
    return CheckResult(check, Status.FAIL, evidence)


def not_checked(check: str, *evidence: str) -> CheckResult:
    """A check that could not run; the evidence says why."""
    return CheckResult(check, Status.NOT_CHECKED, evidence)


def verdict(results: tuple[CheckResult, ...] | list[CheckResult]) -> str:
    """``ready`` only when every check passed; ``not ready`` on any failure; else ``unknown``."""
    if any(r.status is Status.FAIL for r in results):
        return "not ready"
    if not results or any(r.status is Status.NOT_CHECKED for r in results):
        return "unknown"
    return "ready"
