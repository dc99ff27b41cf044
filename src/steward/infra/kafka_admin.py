"""A running Kafka cluster's metadata through the real ``confluent-kafka`` AdminClient (I/O).

Optional: ``confluent-kafka`` is imported only here, only when a bootstrap address is given; when
it is not installed, or the cluster cannot be reached, the answer is an `Unreachable` with the
reason and the live checks are "not checked". Credentials in ``config`` (SASL) are passed to the
client and never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from steward.infra.live import Broker, KafkaCluster, Partition, Topic, Unreachable

_log = logging.getLogger("steward.kafka")


def describe(
    bootstrap: str, timeout: float = 10.0, config: Mapping[str, str] | None = None
) -> KafkaCluster | Unreachable:
    """Brokers (with racks), topics, partitions and each topic's ``min.insync.replicas``."""
    try:
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import AdminClient
    except ImportError:
        return Unreachable(
            "Kafka", "confluent-kafka is not installed (pip install confluent-kafka)"
        )
    settings: dict[str, Any] = {
        "bootstrap.servers": bootstrap,
        "socket.timeout.ms": int(timeout * 1000),
        "logger": _log,
        **(config or {}),
    }
    admin = AdminClient(settings)
    try:
        return _describe(admin, bootstrap, timeout)
    except (KafkaException, TimeoutError) as error:
        return Unreachable(f"Kafka at {bootstrap}", _reason(error))


def _reason(error: BaseException) -> str:
    inner = error.args[0] if error.args else error
    text = getattr(inner, "str", None)
    return str(text() if callable(text) else inner) or type(error).__name__


def _describe(admin: Any, bootstrap: str, timeout: float) -> KafkaCluster:
    metadata = admin.list_topics(timeout=timeout)
    cluster = admin.describe_cluster(request_timeout=timeout).result(timeout=timeout)
    brokers = tuple(
        sorted((Broker(node.id, node.rack or None) for node in cluster.nodes), key=lambda b: b.id)
    )
    min_isr = _min_isr(admin, list(metadata.topics), timeout)
    topics = tuple(
        Topic(
            name=name,
            partitions=tuple(
                Partition(p.id, p.leader, tuple(p.replicas), tuple(p.isrs))
                for p in sorted(topic.partitions.values(), key=lambda p: p.id)
            ),
            min_insync_replicas=min_isr.get(name),
            internal=name.startswith("__"),
        )
        for name, topic in sorted(metadata.topics.items())
    )
    return KafkaCluster(brokers, topics, source=f"Kafka AdminClient at {bootstrap}")


def _min_isr(admin: Any, names: list[str], timeout: float) -> dict[str, int]:
    # Re-exported by confluent_kafka.admin without __all__, so mypy calls them private.
    from confluent_kafka.admin import ConfigResource, ResourceType  # type: ignore[attr-defined]

    if not names:
        return {}
    resources = [ConfigResource(ResourceType.TOPIC, name) for name in names]
    found: dict[str, int] = {}
    for resource, future in admin.describe_configs(resources, request_timeout=timeout).items():
        try:
            entries = future.result(timeout=timeout)
        except Exception as error:  # one topic's configs failing leaves that topic unknown
            _log.debug("describe_configs %s: %s", resource.name, error)
            continue
        entry = entries.get("min.insync.replicas")
        if entry is not None and str(entry.value).isdigit():
            found[resource.name] = int(entry.value)
    return found
