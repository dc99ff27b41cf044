"""What a running system says, as plain data: Kafka cluster metadata and host metrics.

These are the inputs of the live readiness checks. The clients that fill them
(`steward.infra.kafka_admin`, `steward.infra.prometheus`) do the I/O; this module only holds the
shapes, so the checks stay pure and are tested on recorded answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Broker:
    """One broker: its node id and ``broker.rack`` (None when the broker has no rack)."""

    id: int
    rack: str | None = None


@dataclass(frozen=True, slots=True)
class Partition:
    """One partition: its id, leader, replica set and in-sync replicas (broker ids)."""

    id: int
    leader: int
    replicas: tuple[int, ...]
    isr: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: its partitions and effective ``min.insync.replicas`` (None: unknown)."""

    name: str
    partitions: tuple[Partition, ...]
    min_insync_replicas: int | None = None
    internal: bool = False

    @property
    def replication_factor(self) -> int:
        """The smallest replica count of any partition (0 for a topic without partitions)."""
        return min((len(p.replicas) for p in self.partitions), default=0)


@dataclass(frozen=True, slots=True)
class KafkaCluster:
    """Brokers and topics of a running Kafka cluster, as its AdminClient reports them."""

    brokers: tuple[Broker, ...]
    topics: tuple[Topic, ...]
    source: str = ""

    def replicas_per_broker(self) -> dict[int, int]:
        """Partition replicas (leaders and followers) hosted by each broker."""
        counts = {broker.id: 0 for broker in self.brokers}
        for topic in self.topics:
            for partition in topic.partitions:
                for replica in partition.replicas:
                    counts[replica] = counts.get(replica, 0) + 1
        return counts


@dataclass(frozen=True, slots=True)
class HostMetrics:
    """The highest CPU and disk use (percent) over a window, per instance, from Prometheus.

    A value is None when its query returned no series; ``queries`` are the PromQL as sent.
    """

    cpu_percent: dict[str, float]
    disk_percent: dict[str, float]
    window: str
    queries: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Unreachable:
    """A live source that could not be asked: which, and why (shown as the check's evidence)."""

    what: str
    reason: str
