"""Kafka wiring: OrderPlaced in (protobuf), PaymentCaptured out (Avro)."""

from __future__ import annotations

import io
import os
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import fastavro
from confluent_kafka import Consumer, Producer

from payment_service.gen.orders.v1 import order_placed_pb2

TOPIC_ORDER_PLACED = "orders.placed"
TOPIC_PAYMENT_CAPTURED = "payments.captured"
SCHEMA_PATH = Path(os.environ.get("SCHEMA_DIR", "/app/schemas")) / "payments/payment_captured.avsc"

_SCHEMA = fastavro.parse_schema(fastavro.schema.load_schema(str(SCHEMA_PATH)))


def kafka_config() -> dict:
    return {"bootstrap.servers": os.environ.get("KAFKA_BROKERS", "kafka:9092")}


def consumer() -> Consumer:
    config = {**kafka_config(), "group.id": "payment-service", "enable.auto.commit": False}
    subscriber = Consumer(config)
    subscriber.subscribe([TOPIC_ORDER_PLACED])
    return subscriber


def producer() -> Producer:
    return Producer({**kafka_config(), "acks": "all", "enable.idempotence": True})


def decode_order(value: bytes) -> order_placed_pb2.OrderPlaced:
    order = order_placed_pb2.OrderPlaced()
    order.ParseFromString(value)
    return order


def encode_captured(order_id: str, amount: Decimal, currency: str, method: str) -> bytes:
    record = {
        "event_id": str(uuid.uuid4()),
        "order_id": order_id,
        "amount": amount,
        "currency": currency,
        "method": method,
        "captured_at": datetime.now(timezone.utc),
        "processor_reference": None,
    }
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, _SCHEMA, record)
    return buffer.getvalue()
