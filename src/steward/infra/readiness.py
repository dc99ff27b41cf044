"""Upgrade readiness: run the catalogue's checks (`steward.infra.checks`) on one component.

Pure: the component, the target version, live data (or why it is missing), records and the
policy come in; `CheckResult` objects with their evidence come out. A live source that was not
given, or could not be reached, makes its checks ``not-checked`` with the reason — never "pass".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from steward.infra import checks as c
from steward.infra.checks import CheckResult, failed, not_checked, passed
from steward.infra.eol import Product, cycle_of
from steward.infra.kafka import PARTITION_LIMITS, PARTITION_LIMITS_SOURCE, is_kraft, minor, numbers
from steward.infra.live import HostMetrics, KafkaCluster, Unreachable
from steward.infra.model import InfraComponent, Kind, Record

_LIST_AT_MOST = 5


@dataclass(frozen=True, slots=True)
class Policy:
    """Limits the checks apply; every one is configurable under ``[infra]`` in steward.toml."""

    soak_days: int = 7
    cpu_max_percent: float = 60.0
    disk_max_percent: float = 85.0
    min_replication_factor: int = 3
    min_availability_zones: int = 3


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything readiness reads besides the component itself.

    ``kafka``/``host`` hold live data, an `Unreachable` (the reason), or None (not asked).
    ``environment`` is where the upgrade goes (soak time applies to ``production``).
    """

    target: str | None
    today: date
    environment: str = "production"
    kafka: KafkaCluster | Unreachable | None = None
    host: HostMetrics | Unreachable | None = None
    records: tuple[Record, ...] = ()
    products: Mapping[str, Product] = field(default_factory=dict)
    governing_product: str | None = None
    policy: Policy = field(default_factory=Policy)


def evaluate(component: InfraComponent, inputs: Inputs) -> list[CheckResult]:
    """Every check that applies to ``component``'s kind, in catalogue order."""
    runners: Mapping[Kind, Sequence[Callable[[InfraComponent, Inputs], list[CheckResult]]]] = {
        Kind.KAFKA: (_kafka_static, _kafka_live),
        Kind.POSTGRESQL: (_postgresql,),
        Kind.KUBERNETES: (_kubernetes,),
    }
    results: list[CheckResult] = []
    if not assessed(component):
        return results
    for runner in runners.get(component.kind, ()):
        results.extend(runner(component, inputs))
    if component.kind in (Kind.KAFKA, Kind.POSTGRESQL, Kind.KUBERNETES, Kind.REDIS):
        results.extend(_host(inputs))
        results.append(_target_supported(component, inputs))
        results.append(_staging_soak(component, inputs))
    order = {check.id: i for i, check in enumerate(c.CATALOGUE)}
    return sorted(results, key=lambda r: order[r.id])


def assessed(component: InfraComponent) -> bool:
    """Readiness is assessed for managed services declared in Terraform (MSK, RDS, EKS, …)."""
    kinds = (Kind.KAFKA, Kind.POSTGRESQL, Kind.KUBERNETES, Kind.REDIS)
    return component.kind in kinds and component.platform.startswith("amazon-")


# --- Kafka, from the Terraform text -------------------------------------------------------------


def availability_zones(component: InfraComponent) -> tuple[int | None, str]:
    """The AZ count of an MSK cluster and how it is known (named zones, or one per subnet)."""
    zones = component.settings.get("availability_zones")
    if zones:
        return len(zones.split(",")), f"client subnets in {zones}"
    subnets = component.settings.get("client_subnets", "")
    if subnets.isdigit():
        return int(subnets), f"{subnets} client subnets (MSK puts each in its own zone)"
    return None, f"client subnets: {subnets or 'not set'}"


def replication_factor(component: InfraComponent) -> tuple[int | None, str]:
    """``default.replication.factor`` as set, or MSK's default for the AZ count, with evidence."""
    written = component.settings.get("default.replication.factor")
    if written is not None and written.isdigit():
        return int(written), f"default.replication.factor={written}"
    zones, _ = availability_zones(component)
    if component.platform == "amazon-msk" and zones is not None:
        default = 3 if zones >= 3 else 2
        return (
            default,
            f"default.replication.factor not set: MSK's default is {default} over {zones} zones",
        )
    return None, "default.replication.factor not set"


def _kafka_static(component: InfraComponent, inputs: Inputs) -> list[CheckResult]:
    return [
        _multi_az(component, inputs.policy),
        _brokers_per_az(component),
        _replication(component, inputs.policy),
        _min_isr(component),
        _upgrade_path(component, inputs.target),
        _partitions(component, inputs.kafka),
    ]


def _multi_az(component: InfraComponent, policy: Policy) -> CheckResult:
    zones, how = availability_zones(component)
    if zones is None:
        return not_checked(c.KAFKA_MULTI_AZ, how)
    if zones >= policy.min_availability_zones:
        return passed(c.KAFKA_MULTI_AZ, f"{zones} availability zones: {how}")
    return failed(
        c.KAFKA_MULTI_AZ,
        f"{zones} availability zones ({how}); at least {policy.min_availability_zones} are needed "
        "to keep a quorum of replicas while one zone's broker restarts",
    )


def _brokers_per_az(component: InfraComponent) -> CheckResult:
    zones, how = availability_zones(component)
    brokers = component.settings.get("broker_nodes", "")
    if zones is None or not brokers.isdigit():
        return not_checked(
            c.KAFKA_BROKERS_PER_AZ, how, f"number_of_broker_nodes: {brokers or 'not set'}"
        )
    evidence = f"number_of_broker_nodes={brokers} over {zones} zones"
    if int(brokers) % zones == 0:
        return passed(c.KAFKA_BROKERS_PER_AZ, evidence)
    return failed(c.KAFKA_BROKERS_PER_AZ, f"{evidence}: not a multiple, the zones are unbalanced")


def _replication(component: InfraComponent, policy: Policy) -> CheckResult:
    factor, evidence = replication_factor(component)
    if factor is None:
        return not_checked(c.KAFKA_REPLICATION_FACTOR, evidence)
    if factor >= policy.min_replication_factor:
        return passed(c.KAFKA_REPLICATION_FACTOR, evidence)
    return failed(
        c.KAFKA_REPLICATION_FACTOR,
        f"{evidence}: below {policy.min_replication_factor}, a rolling restart leaves new topics' "
        "partitions with a single copy",
    )


def _min_isr(component: InfraComponent) -> CheckResult:
    factor, rf_evidence = replication_factor(component)
    written = component.settings.get("min.insync.replicas")
    isr = int(written) if written is not None and written.isdigit() else 1
    isr_evidence = (
        f"min.insync.replicas={written}"
        if written
        else "min.insync.replicas not set (Kafka's default: 1)"
    )
    if factor is None:
        return not_checked(c.KAFKA_MIN_ISR, isr_evidence, rf_evidence)
    if isr <= factor - 1:
        return passed(c.KAFKA_MIN_ISR, f"{isr_evidence} ≤ {factor} − 1 ({rf_evidence})")
    return failed(
        c.KAFKA_MIN_ISR,
        f"{isr_evidence} > {factor} − 1 ({rf_evidence}): while one broker restarts, producers "
        "with acks=all are rejected",
    )


def _upgrade_path(component: InfraComponent, target: str | None) -> CheckResult:
    current = component.version
    if current is None:
        return not_checked(c.KAFKA_UPGRADE_PATH, component.unresolved or "current version unknown")
    if target is None:
        return not_checked(c.KAFKA_UPGRADE_PATH, "no target version given")
    step = f"{current} → {target}"
    if numbers(target) < numbers(current):
        return failed(
            c.KAFKA_UPGRADE_PATH,
            f"{step} is a downgrade: Kafka brokers cannot be downgraded in place",
        )
    if numbers(target)[0] >= 4 and not is_kraft(current):
        return failed(
            c.KAFKA_UPGRADE_PATH,
            f"{step}: Kafka 4 has no ZooKeeper mode and {current} runs on ZooKeeper",
            *_kraft_route(component, current),
        )
    if numbers(target)[0] >= 4 and numbers(current)[:2] < (3, 3):
        return failed(c.KAFKA_UPGRADE_PATH, f"{step}: Kafka 4 upgrades only from 3.3 or later")
    evidence = [f"{step}: a rolling upgrade, one broker at a time"]
    protocol = component.settings.get("inter.broker.protocol.version")
    if protocol:
        evidence.append(
            f"inter.broker.protocol.version={protocol} is pinned: bump it to {minor(target)} in a "
            "second roll once every broker runs the new version (no downgrade after that)"
        )
    if is_kraft(target):
        evidence.append("KRaft: bump metadata.version after the roll; it cannot be lowered again")
    return c.passed(c.KAFKA_UPGRADE_PATH, *evidence)


def _kraft_route(component: InfraComponent, current: str) -> tuple[str, ...]:
    if component.platform == "amazon-msk":
        return (
            "MSK does not convert a ZooKeeper cluster to KRaft: create a KRaft cluster at the "
            "target version and move the topics and clients to it (e.g. with MSK Replicator)",
        )
    return (
        f"upgrade {current} to 3.9, migrate the metadata from ZooKeeper to KRaft, then upgrade to 4.x",
    )


def _partitions(component: InfraComponent, kafka: KafkaCluster | Unreachable | None) -> CheckResult:
    instance = component.settings.get("instance_type", "")
    limit = PARTITION_LIMITS.get(instance)
    if limit is None:
        return not_checked(
            c.KAFKA_PARTITIONS_PER_BROKER,
            f"no partition limit known for broker size {instance or 'unknown'!r}",
        )
    table = f"{instance}: {limit.recommended} recommended, {limit.max_for_updates} at most for updates ({PARTITION_LIMITS_SOURCE})"
    if not isinstance(kafka, KafkaCluster):
        return not_checked(c.KAFKA_PARTITIONS_PER_BROKER, table, _live_reason(kafka))
    counts = kafka.replicas_per_broker()
    worst = max(counts.values(), default=0)
    evidence = f"at most {worst} partition replicas on one broker; {table}"
    if worst > limit.max_for_updates:
        return failed(c.KAFKA_PARTITIONS_PER_BROKER, f"{evidence}: MSK blocks the version update")
    if worst > limit.recommended:
        return failed(c.KAFKA_PARTITIONS_PER_BROKER, f"{evidence}: above the recommended number")
    return passed(c.KAFKA_PARTITIONS_PER_BROKER, evidence)


# --- Kafka, live ----------------------------------------------------------------------------------


def _live_reason(source: Unreachable | None) -> str:
    if source is None:
        return "no bootstrap address given (--bootstrap or [infra] kafka_bootstrap)"
    return f"{source.what} unreachable: {source.reason}"


def _kafka_live(component: InfraComponent, inputs: Inputs) -> list[CheckResult]:
    live_ids = (
        c.KAFKA_LIVE_RACKS,
        c.KAFKA_LIVE_TOPIC_RF,
        c.KAFKA_LIVE_TOPIC_MIN_ISR,
        c.KAFKA_LIVE_UNDER_REPLICATED,
        c.KAFKA_LIVE_UNDER_MIN_ISR,
    )
    if not isinstance(inputs.kafka, KafkaCluster):
        reason = _live_reason(inputs.kafka)
        return [not_checked(check, reason) for check in live_ids]
    return evaluate_cluster(inputs.kafka, inputs.policy)


def evaluate_cluster(cluster: KafkaCluster, policy: Policy) -> list[CheckResult]:
    """The live Kafka checks on one cluster's metadata (brokers, topics, partitions)."""
    return [
        _racks(cluster, policy),
        _topic_rf(cluster, policy),
        _topic_min_isr(cluster),
        _under_replicated(cluster),
        _under_min_isr(cluster),
    ]


def _racks(cluster: KafkaCluster, policy: Policy) -> CheckResult:
    missing = sorted(b.id for b in cluster.brokers if not b.rack)
    racks = sorted({b.rack for b in cluster.brokers if b.rack})
    evidence = f"{len(cluster.brokers)} brokers, racks: {', '.join(racks) or 'none'}"
    if missing:
        return failed(c.KAFKA_LIVE_RACKS, evidence, f"brokers without broker.rack: {_few(missing)}")
    if len(racks) < policy.min_availability_zones:
        return failed(
            c.KAFKA_LIVE_RACKS, f"{evidence}: fewer than {policy.min_availability_zones} racks"
        )
    return passed(c.KAFKA_LIVE_RACKS, evidence)


def _topic_rf(cluster: KafkaCluster, policy: Policy) -> CheckResult:
    low = [t for t in cluster.topics if t.replication_factor < policy.min_replication_factor]
    if low:
        named = _few([f"{t.name} (RF {t.replication_factor})" for t in low])
        return failed(
            c.KAFKA_LIVE_TOPIC_RF,
            f"{len(low)} of {len(cluster.topics)} topics below RF {policy.min_replication_factor}: {named}",
        )
    return passed(
        c.KAFKA_LIVE_TOPIC_RF,
        f"{len(cluster.topics)} topics, all with RF ≥ {policy.min_replication_factor}",
    )


def _topic_min_isr(cluster: KafkaCluster) -> CheckResult:
    unknown = [t.name for t in cluster.topics if t.min_insync_replicas is None]
    bad = [
        f"{t.name} (min.insync.replicas {t.min_insync_replicas}, RF {t.replication_factor})"
        for t in cluster.topics
        if t.min_insync_replicas is not None and t.min_insync_replicas > t.replication_factor - 1
    ]
    if bad:
        return failed(
            c.KAFKA_LIVE_TOPIC_MIN_ISR,
            f"{len(bad)} topics cannot lose a broker with acks=all: {_few(bad)}",
        )
    if unknown:
        return not_checked(
            c.KAFKA_LIVE_TOPIC_MIN_ISR, f"min.insync.replicas unknown for {_few(unknown)}"
        )
    return passed(
        c.KAFKA_LIVE_TOPIC_MIN_ISR,
        f"{len(cluster.topics)} topics with min.insync.replicas ≤ RF − 1",
    )


def _under_replicated(cluster: KafkaCluster) -> CheckResult:
    found = [
        f"{t.name}/{p.id} (isr {len(p.isr)} of {len(p.replicas)})"
        for t in cluster.topics
        for p in t.partitions
        if len(p.isr) < len(p.replicas)
    ]
    if found:
        return failed(
            c.KAFKA_LIVE_UNDER_REPLICATED,
            f"{len(found)} under-replicated partitions: {_few(found)}",
        )
    return passed(c.KAFKA_LIVE_UNDER_REPLICATED, "no under-replicated partition")


def _under_min_isr(cluster: KafkaCluster) -> CheckResult:
    found = [
        f"{t.name}/{p.id} (isr {len(p.isr)} < {t.min_insync_replicas})"
        for t in cluster.topics
        for p in t.partitions
        if t.min_insync_replicas is not None and len(p.isr) < t.min_insync_replicas
    ]
    if found:
        return failed(
            c.KAFKA_LIVE_UNDER_MIN_ISR, f"{len(found)} partitions under min ISR: {_few(found)}"
        )
    return passed(c.KAFKA_LIVE_UNDER_MIN_ISR, "no partition under its min.insync.replicas")


# --- Hosts ---------------------------------------------------------------------------------------


def _host(inputs: Inputs) -> list[CheckResult]:
    host = inputs.host
    if not isinstance(host, HostMetrics):
        reason = "no Prometheus URL given (--prometheus or [infra.prometheus] url)"
        if isinstance(host, Unreachable):
            reason = f"{host.what} unreachable: {host.reason}"
        return [not_checked(c.HOST_CPU_HEADROOM, reason), not_checked(c.HOST_DISK_HEADROOM, reason)]
    return [
        evaluate_usage(
            c.HOST_CPU_HEADROOM, "CPU", host.cpu_percent, inputs.policy.cpu_max_percent, host.window
        ),
        evaluate_usage(
            c.HOST_DISK_HEADROOM,
            "disk",
            host.disk_percent,
            inputs.policy.disk_max_percent,
            host.window,
        ),
    ]


def evaluate_usage(
    check: str, what: str, usage: Mapping[str, float], limit: float, window: str
) -> CheckResult:
    """Pass when every instance's peak ``usage`` (percent) is under ``limit``."""
    if not usage:
        return not_checked(check, f"the {what} query returned no series")
    peak_instance = max(usage, key=lambda name: usage[name])
    peak = usage[peak_instance]
    evidence = f"peak {what} {peak:.1f} % on {peak_instance} over {window} (limit {limit:g} %)"
    listed = ", ".join(f"{name} {value:.1f} %" for name, value in sorted(usage.items()))
    if peak < limit:
        return passed(check, evidence, listed)
    return failed(check, evidence, listed)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _major(version: str) -> int:
    found = re.match(r"\d+", version)
    return int(found.group(0)) if found else 0


def _postgresql(component: InfraComponent, inputs: Inputs) -> list[CheckResult]:
    ids = (
        c.PG_UPGRADE_PATH,
        c.PG_MAJOR_UPGRADE_ALLOWED,
        c.PG_PARAMETER_GROUP_FAMILY,
        c.PG_LOW_DOWNTIME_PATH,
    )
    current, target = component.version, inputs.target
    if current is None or target is None:
        return [not_checked(check, _missing(component, target)) for check in ids]
    step = f"{current} → {target}"
    if _numbers(target) < _numbers(current):
        return [
            failed(c.PG_UPGRADE_PATH, f"{step} is a downgrade"),
            *(not_checked(i, "downgrade") for i in ids[1:]),
        ]
    if _major(target) == _major(current):
        minor_note = f"{step}: a minor upgrade, in place (a restart)"
        return [passed(check, minor_note) for check in ids]
    return [
        passed(
            c.PG_UPGRADE_PATH,
            f"{step}: a major upgrade (pg_upgrade; extensions and plans to re-check)",
        ),
        _major_allowed(component),
        _family(component, target),
        _low_downtime(component),
    ]


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def _major_allowed(component: InfraComponent) -> CheckResult:
    value = component.settings.get("allow_major_version_upgrade", "false")
    if value == "true":
        return passed(c.PG_MAJOR_UPGRADE_ALLOWED, "allow_major_version_upgrade = true")
    return failed(
        c.PG_MAJOR_UPGRADE_ALLOWED,
        f"allow_major_version_upgrade = {value}: the apply is refused; set it to true in the same change",
    )


def _family(component: InfraComponent, target: str) -> CheckResult:
    family = component.settings.get("parameter_group_family")
    wanted = f"{component.engine if component.engine.startswith('aurora') else 'postgres'}{_major(target)}"
    if family is None:
        return passed(
            c.PG_PARAMETER_GROUP_FAMILY,
            f"the default parameter group follows the engine ({wanted})",
        )
    if family == wanted:
        return passed(c.PG_PARAMETER_GROUP_FAMILY, f"parameter group family {family}")
    return failed(
        c.PG_PARAMETER_GROUP_FAMILY,
        f"parameter group family {family}: a {wanted} group with the same parameters is needed",
    )


def _low_downtime(component: InfraComponent) -> CheckResult:
    if component.settings.get("blue_green_update") == "true":
        return passed(
            c.PG_LOW_DOWNTIME_PATH,
            "blue_green_update { enabled = true }: RDS Blue/Green Deployment",
        )
    if component.settings.get("rds.logical_replication") == "1":
        return passed(
            c.PG_LOW_DOWNTIME_PATH,
            "rds.logical_replication = 1: a logical-replication copy can be upgraded first",
        )
    return failed(
        c.PG_LOW_DOWNTIME_PATH,
        "no blue_green_update and no rds.logical_replication: an in-place major upgrade means downtime, and the only way back is a snapshot restore",
    )


# --- Kubernetes ----------------------------------------------------------------------------------


def _minor_of(version: str) -> tuple[int, int]:
    parts = [*_numbers(version), 0, 0]
    return parts[0], parts[1]


def _kubernetes(component: InfraComponent, inputs: Inputs) -> list[CheckResult]:
    current, target = component.version, inputs.target
    if current is None or target is None:
        reason = _missing(component, target)
        return [
            not_checked(c.K8S_ONE_MINOR_AT_A_TIME, reason),
            not_checked(c.K8S_NODE_SKEW, reason),
        ]
    return [_one_minor(current, target), _node_skew(component, current, target)]


def _one_minor(current: str, target: str) -> CheckResult:
    (major, now), (target_major, then) = _minor_of(current), _minor_of(target)
    step = f"{current} → {target}"
    if target_major != major or then < now:
        return failed(
            c.K8S_ONE_MINOR_AT_A_TIME, f"{step}: not an upgrade within Kubernetes {major}.x"
        )
    if then - now == 1:
        return passed(c.K8S_ONE_MINOR_AT_A_TIME, f"{step}: one minor version")
    if then == now:
        return failed(
            c.K8S_ONE_MINOR_AT_A_TIME, f"{step}: the same minor version, nothing to upgrade"
        )
    steps = " → ".join(f"{major}.{m}" for m in range(now, then + 1))
    return failed(
        c.K8S_ONE_MINOR_AT_A_TIME,
        f"{step} is {then - now} upgrades: {steps}, each one applied and verified",
    )


def _node_skew(component: InfraComponent, current: str, target: str) -> CheckResult:
    groups = component.settings.get("node_groups")
    if not groups:
        return not_checked(c.K8S_NODE_SKEW, "no node group of this cluster is declared here")
    _, then = _minor_of(target)
    allowed = 3 if then >= 28 else 2
    too_old = []
    for entry in groups.split(","):
        name, _, version = entry.partition("=")
        _, node = _minor_of(current if version == "cluster" else version)
        if then - node > allowed:
            too_old.append(f"{name} at 1.{node}")
    evidence = f"kubelets may be up to {allowed} minors older than a {target} control plane"
    if too_old:
        return failed(c.K8S_NODE_SKEW, f"{evidence}; upgrade first: {_few(too_old)}")
    return passed(
        c.K8S_NODE_SKEW, f'{evidence}; node groups: {groups} ("cluster": created at {current})'
    )


# --- Every kind ----------------------------------------------------------------------------------


def _target_supported(component: InfraComponent, inputs: Inputs) -> CheckResult:
    if inputs.target is None:
        return not_checked(c.UPGRADE_TARGET_SUPPORTED, "no target version given")
    product = inputs.products.get(inputs.governing_product or "")
    if product is None:
        return not_checked(c.UPGRADE_TARGET_SUPPORTED, f"no end-of-life data for {component.id}")
    cycle = cycle_of(
        product.cycles, re.sub(r"[^\d.]", "", inputs.target.split(".kraft")[0]).strip(".")
    )
    if cycle is None:
        return failed(
            c.UPGRADE_TARGET_SUPPORTED,
            f"{inputs.target}: no such release cycle in {product.slug} ({product.source})",
        )
    if cycle.eol_reached or (cycle.eol is not None and cycle.eol < inputs.today):
        return failed(
            c.UPGRADE_TARGET_SUPPORTED,
            f"{product.slug} {cycle.name}: support ended {cycle.eol or ''}".strip(),
        )
    until = f"supported until {cycle.eol}" if cycle.eol else "supported, no end date announced"
    return passed(
        c.UPGRADE_TARGET_SUPPORTED, f"{product.slug} {cycle.name}: {until} ({product.source})"
    )


def _staging_soak(component: InfraComponent, inputs: Inputs) -> CheckResult:
    if inputs.target is None:
        return not_checked(c.UPGRADE_STAGING_SOAK, "no target version given")
    if inputs.environment != "production":
        return passed(c.UPGRADE_STAGING_SOAK, f"{inputs.environment}: no soak time required")
    runs = [
        r
        for r in inputs.records
        if r.environment == "staging" and r.component == component.id and r.version == inputs.target
    ]
    if not runs:
        return failed(
            c.UPGRADE_STAGING_SOAK,
            f"{inputs.target} has no record of running in staging "
            f"(steward infra record staging {component.id} {inputs.target})",
        )
    since = min(r.at for r in runs)
    soaked = _days(inputs.today, since)
    evidence = f"{inputs.target} runs in staging since {since.date()} ({soaked} days; {inputs.policy.soak_days} required)"
    if soaked >= inputs.policy.soak_days:
        return passed(c.UPGRADE_STAGING_SOAK, evidence)
    ready_on = since.date() + timedelta(days=inputs.policy.soak_days)
    return failed(c.UPGRADE_STAGING_SOAK, f"{evidence}: ready on {ready_on}")


def _days(today: date, since: datetime) -> int:
    return (today - since.date()).days


def _missing(component: InfraComponent, target: str | None) -> str:
    if component.version is None:
        return component.unresolved or "current version unknown"
    return "no target version given" if target is None else "unknown"


def _few(items: Sequence[object]) -> str:
    shown = ", ".join(str(i) for i in items[:_LIST_AT_MOST])
    more = len(items) - _LIST_AT_MOST
    return f"{shown} and {more} more" if more > 0 else shown
