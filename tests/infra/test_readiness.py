"""Every readiness check ID, with passing and failing evidence."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

import pytest

from steward.infra import checks as c
from steward.infra.checks import Status, verdict
from steward.infra.eol import Cycle, Product
from steward.infra.live import Broker, HostMetrics, KafkaCluster, Partition, Topic, Unreachable
from steward.infra.model import InfraComponent, Kind, Record
from steward.infra.readiness import Inputs, Policy, evaluate, evaluate_cluster

TODAY = date(2026, 11, 27)
MSK = Product(
    "amazon-msk",
    (
        Cycle("3.9", eol=None),
        Cycle("3.6", eol=date(2027, 6, 1)),
        Cycle("2.8", eol=date(2025, 1, 14)),
    ),
    "test data",
    TODAY,
)


def _kafka(version: str = "3.6.0", **settings: str) -> InfraComponent:
    base = {
        "broker_nodes": "6",
        "instance_type": "kafka.m5.large",
        "client_subnets": "3",
        "availability_zones": "a,b,c",
        "default.replication.factor": "3",
        "min.insync.replicas": "2",
    }
    return InfraComponent(
        "aws_msk_cluster.x",
        Kind.KAFKA,
        "amazon-msk",
        "m.tf",
        1,
        version,
        engine="kafka",
        settings={**base, **settings},
    )


def _cluster(
    rf: int = 3,
    min_isr: int | None = 2,
    isr: int = 3,
    racks: tuple[str | None, ...] = ("a", "b", "c"),
) -> KafkaCluster:
    brokers = tuple(Broker(i, rack) for i, rack in enumerate(racks))
    replicas = tuple(range(rf))
    partition = Partition(0, 0, replicas, replicas[:isr])
    return KafkaCluster(brokers, (Topic("orders", (partition,), min_isr),))


def _results(component: InfraComponent, **inputs: object) -> Mapping[str, c.CheckResult]:
    given: dict[str, object] = {"target": None, "today": TODAY, **inputs}
    return {r.id: r for r in evaluate(component, Inputs(**given))}  # type: ignore[arg-type]


def _status(check: str, component: InfraComponent, **inputs: object) -> Status:
    return _results(component, **inputs)[check].status


# (check, component, inputs) that pass, then the same check failing.
PASSING = [
    (c.KAFKA_MULTI_AZ, _kafka(), {}),
    (c.KAFKA_BROKERS_PER_AZ, _kafka(), {}),
    (c.KAFKA_REPLICATION_FACTOR, _kafka(), {}),
    (c.KAFKA_MIN_ISR, _kafka(), {}),
    (c.KAFKA_UPGRADE_PATH, _kafka(), {"target": "3.9.x"}),
    (c.KAFKA_PARTITIONS_PER_BROKER, _kafka(), {"kafka": _cluster()}),
    (c.KAFKA_LIVE_RACKS, _kafka(), {"kafka": _cluster()}),
    (c.KAFKA_LIVE_TOPIC_RF, _kafka(), {"kafka": _cluster()}),
    (c.KAFKA_LIVE_TOPIC_MIN_ISR, _kafka(), {"kafka": _cluster()}),
    (c.KAFKA_LIVE_UNDER_REPLICATED, _kafka(), {"kafka": _cluster()}),
    (c.KAFKA_LIVE_UNDER_MIN_ISR, _kafka(), {"kafka": _cluster()}),
    (c.HOST_CPU_HEADROOM, _kafka(), {"host": HostMetrics({"b-1": 41.5}, {"b-1": 50.0}, "1h")}),
    (c.HOST_DISK_HEADROOM, _kafka(), {"host": HostMetrics({"b-1": 41.5}, {"b-1": 50.0}, "1h")}),
    (
        c.UPGRADE_TARGET_SUPPORTED,
        _kafka(),
        {"target": "3.9.x", "products": {"amazon-msk": MSK}, "governing_product": "amazon-msk"},
    ),
    (
        c.UPGRADE_STAGING_SOAK,
        _kafka(),
        {
            "target": "3.9.x",
            "records": (
                Record("staging", "aws_msk_cluster.x", "3.9.x", datetime(2026, 11, 1, tzinfo=UTC)),
            ),
        },
    ),
]
FAILING = [
    (c.KAFKA_MULTI_AZ, _kafka(availability_zones="a,b", client_subnets="2"), {}),
    (c.KAFKA_BROKERS_PER_AZ, _kafka(broker_nodes="4"), {}),
    (c.KAFKA_REPLICATION_FACTOR, _kafka(**{"default.replication.factor": "2"}), {}),
    (c.KAFKA_MIN_ISR, _kafka(**{"min.insync.replicas": "3"}), {}),
    (c.KAFKA_UPGRADE_PATH, _kafka("2.8.1"), {"target": "4.1.x.kraft"}),
    (
        c.KAFKA_PARTITIONS_PER_BROKER,
        _kafka(instance_type="kafka.t3.small"),
        {
            "kafka": KafkaCluster(
                (Broker(0, "a"),),
                (Topic("big", tuple(Partition(i, 0, (0,), (0,)) for i in range(301)), 1),),
            )
        },
    ),
    (c.KAFKA_LIVE_RACKS, _kafka(), {"kafka": _cluster(racks=(None,))}),
    (c.KAFKA_LIVE_TOPIC_RF, _kafka(), {"kafka": _cluster(rf=1, min_isr=1, isr=1)}),
    (c.KAFKA_LIVE_TOPIC_MIN_ISR, _kafka(), {"kafka": _cluster(rf=3, min_isr=3)}),
    (c.KAFKA_LIVE_UNDER_REPLICATED, _kafka(), {"kafka": _cluster(isr=2)}),
    (c.KAFKA_LIVE_UNDER_MIN_ISR, _kafka(), {"kafka": _cluster(isr=1)}),
    (c.HOST_CPU_HEADROOM, _kafka(), {"host": HostMetrics({"b-1": 75.0}, {"b-1": 50.0}, "1h")}),
    (c.HOST_DISK_HEADROOM, _kafka(), {"host": HostMetrics({"b-1": 10.0}, {"b-1": 91.2}, "1h")}),
    (
        c.UPGRADE_TARGET_SUPPORTED,
        _kafka("2.6.0"),
        {"target": "2.8.1", "products": {"amazon-msk": MSK}, "governing_product": "amazon-msk"},
    ),
    (
        c.UPGRADE_STAGING_SOAK,
        _kafka(),
        {
            "target": "3.9.x",
            "records": (
                Record("staging", "aws_msk_cluster.x", "3.9.x", datetime(2026, 11, 25, tzinfo=UTC)),
            ),
        },
    ),
]


def _pg(version: str = "13.13", **settings: str) -> InfraComponent:
    return InfraComponent(
        "aws_db_instance.db",
        Kind.POSTGRESQL,
        "amazon-rds",
        "r.tf",
        1,
        version,
        engine="postgres",
        settings={"engine": "postgres", **settings},
    )


def _eks(version: str = "1.29", groups: str = "default=cluster") -> InfraComponent:
    return InfraComponent(
        "aws_eks_cluster.k",
        Kind.KUBERNETES,
        "amazon-eks",
        "e.tf",
        1,
        version,
        engine="kubernetes",
        settings={"node_groups": groups},
    )


READY_PG = {
    "allow_major_version_upgrade": "true",
    "parameter_group_family": "postgres16",
    "blue_green_update": "true",
}
PASSING += [
    (c.PG_UPGRADE_PATH, _pg(), {"target": "16.4"}),
    (c.PG_MAJOR_UPGRADE_ALLOWED, _pg(**READY_PG), {"target": "16.4"}),
    (c.PG_PARAMETER_GROUP_FAMILY, _pg(**READY_PG), {"target": "16.4"}),
    (c.PG_LOW_DOWNTIME_PATH, _pg(**{"rds.logical_replication": "1"}), {"target": "16.4"}),
    (c.K8S_ONE_MINOR_AT_A_TIME, _eks(), {"target": "1.30"}),
    (c.K8S_NODE_SKEW, _eks("1.29", "old=1.27"), {"target": "1.30"}),
]
FAILING += [
    (c.PG_UPGRADE_PATH, _pg(), {"target": "12.20"}),
    (c.PG_MAJOR_UPGRADE_ALLOWED, _pg(), {"target": "16.4"}),
    (c.PG_PARAMETER_GROUP_FAMILY, _pg(parameter_group_family="postgres13"), {"target": "16.4"}),
    (c.PG_LOW_DOWNTIME_PATH, _pg(), {"target": "16.4"}),
    (c.K8S_ONE_MINOR_AT_A_TIME, _eks(), {"target": "1.31"}),
    (c.K8S_NODE_SKEW, _eks("1.29", "old=1.25"), {"target": "1.30"}),
]


@pytest.mark.parametrize(("check", "component", "inputs"), PASSING, ids=[p[0] for p in PASSING])
def test_check_passes_on_good_evidence(
    check: str, component: InfraComponent, inputs: dict[str, object]
) -> None:
    result = _results(component, **inputs)[check]
    assert result.status is Status.PASS, result.evidence
    assert result.evidence


@pytest.mark.parametrize(("check", "component", "inputs"), FAILING, ids=[f[0] for f in FAILING])
def test_check_fails_on_bad_evidence(
    check: str, component: InfraComponent, inputs: dict[str, object]
) -> None:
    result = _results(component, **inputs)[check]
    assert result.status is Status.FAIL, result.evidence
    assert result.evidence


def test_every_catalogue_check_has_a_passing_and_a_failing_case() -> None:
    assert {p[0] for p in PASSING} == set(c.CHECKS)
    assert {f[0] for f in FAILING} == set(c.CHECKS)


def test_unreachable_broker_makes_live_checks_not_checked_never_ready() -> None:
    down = Unreachable("Kafka at 127.0.0.1:1", "connection refused")
    results = _results(_kafka(), target="3.9.x", kafka=down)
    live = [
        results[i]
        for i in (c.KAFKA_LIVE_RACKS, c.KAFKA_LIVE_TOPIC_RF, c.KAFKA_PARTITIONS_PER_BROKER)
    ]
    assert all(r.status is Status.NOT_CHECKED for r in live)
    assert any("connection refused" in e for e in live[0].evidence)
    assert verdict(list(results.values())) != "ready"


def test_zookeeper_to_kafka_4_on_msk_names_the_new_cluster_route() -> None:
    result = _results(_kafka("3.6.0"), target="4.0.x.kraft")[c.KAFKA_UPGRADE_PATH]
    assert result.status is Status.FAIL
    assert any("KRaft cluster" in e for e in result.evidence)


def test_kraft_cluster_to_kafka_4_passes_and_warns_about_metadata_version() -> None:
    result = _results(_kafka("3.7.x.kraft"), target="4.0.x.kraft")[c.KAFKA_UPGRADE_PATH]
    assert result.status is Status.PASS
    assert any("metadata.version" in e for e in result.evidence)


def test_msk_default_replication_factor_follows_the_zone_count() -> None:
    two_zones = _kafka(availability_zones="a,b", client_subnets="2", broker_nodes="4")
    settings = dict(two_zones.settings)
    del settings["default.replication.factor"]
    component = InfraComponent(
        two_zones.id, two_zones.kind, two_zones.platform, "m.tf", 1, "3.6.0", settings=settings
    )
    result = _results(component)[c.KAFKA_REPLICATION_FACTOR]
    assert result.status is Status.FAIL
    assert "MSK's default is 2" in result.evidence[0]


def test_minor_postgres_upgrade_needs_no_major_switches() -> None:
    results = _results(_pg(), target="13.16")
    assert all(
        results[i].status is Status.PASS
        for i in (c.PG_MAJOR_UPGRADE_ALLOWED, c.PG_LOW_DOWNTIME_PATH)
    )


def test_soak_time_is_not_required_outside_production() -> None:
    assert (
        _status(c.UPGRADE_STAGING_SOAK, _kafka(), target="3.9.x", environment="staging")
        is Status.PASS
    )


def test_evaluate_cluster_on_a_healthy_three_rack_cluster_is_all_pass() -> None:
    assert {r.status for r in evaluate_cluster(_cluster(), Policy())} == {Status.PASS}


def test_compose_components_are_not_assessed() -> None:
    component = InfraComponent("compose:kafka", Kind.KAFKA, "docker-compose", "d.yml", 1, "3.3")
    assert evaluate(component, Inputs(target="3.9", today=TODAY)) == []
