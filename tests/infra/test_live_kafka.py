"""Live Kafka checks through the real confluent-kafka AdminClient against a broker on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from steward.infra import checks as c
from steward.infra.checks import Status
from steward.infra.kafka_admin import describe
from steward.infra.live import KafkaCluster, Unreachable
from steward.infra.readiness import Policy, evaluate_cluster
from tests.infra.live_servers import free_port, tansu

admin = pytest.importorskip(
    "confluent_kafka.admin", reason="needs the PyPI package confluent-kafka"
)


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with tansu(tmp_path_factory.mktemp("tansu")) as bootstrap:
        client = admin.AdminClient({"bootstrap.servers": bootstrap})
        topics = [
            admin.NewTopic("orders.placed", 3, 1, config={"min.insync.replicas": "1"}),
            admin.NewTopic("payments.captured", 2, 3, config={"min.insync.replicas": "2"}),
        ]
        for future in client.create_topics(topics, request_timeout=15).values():
            future.result(15)
        yield bootstrap


def test_describe_reads_brokers_topics_and_min_isr(broker: str) -> None:
    cluster = describe(broker, timeout=15)
    assert isinstance(cluster, KafkaCluster), cluster
    topics = {t.name: t for t in cluster.topics}
    assert topics["orders.placed"].replication_factor == 1
    assert len(topics["orders.placed"].partitions) == 3
    assert topics["orders.placed"].min_insync_replicas == 1
    assert topics["payments.captured"].replication_factor == 3
    assert topics["payments.captured"].min_insync_replicas == 2
    assert len(cluster.brokers) == 1 and cluster.brokers[0].rack is None


def test_live_checks_on_the_real_cluster_flag_rf_1_and_missing_racks(broker: str) -> None:
    cluster = describe(broker, timeout=15)
    assert isinstance(cluster, KafkaCluster)
    results = {r.id: r for r in evaluate_cluster(cluster, Policy())}
    assert results[c.KAFKA_LIVE_RACKS].status is Status.FAIL
    assert results[c.KAFKA_LIVE_TOPIC_RF].status is Status.FAIL
    assert "orders.placed (RF 1)" in results[c.KAFKA_LIVE_TOPIC_RF].evidence[0]
    assert "payments.captured" not in results[c.KAFKA_LIVE_TOPIC_RF].evidence[0]
    assert results[c.KAFKA_LIVE_TOPIC_MIN_ISR].status is Status.FAIL  # RF 1 cannot lose a broker
    assert results[c.KAFKA_LIVE_UNDER_REPLICATED].status is Status.PASS
    assert results[c.KAFKA_LIVE_UNDER_MIN_ISR].status is Status.PASS


def test_unreachable_broker_is_a_reason_not_an_answer() -> None:
    found = describe(f"127.0.0.1:{free_port()}", timeout=2)
    assert isinstance(found, Unreachable)
    assert found.reason


def test_status_with_bootstrap_runs_live_checks(broker: str, tmp_path: Path) -> None:
    from datetime import date

    from steward.infra.settings import InfraSettings
    from steward.infra.status import Options, build

    (tmp_path / "msk.tf").write_text(
        'resource "aws_msk_cluster" "k" {\n  kafka_version = "3.6.0"\n}\n'
    )
    report = build(
        tmp_path, InfraSettings(), Options(today=date(2026, 11, 27), bootstrap=broker, git=False)
    )
    checks = {r.id: r.status for r in report.components[0].checks}
    assert checks[c.KAFKA_LIVE_TOPIC_RF] is Status.FAIL
    assert any("live data: Kafka AdminClient" in note for note in report.notes)
