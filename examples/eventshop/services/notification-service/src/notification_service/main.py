"""Consume order, payment and shipment events and send one email per event (deduplicated in Redis)."""

from __future__ import annotations

import asyncio
import io
import os
from pathlib import Path

import aiohttp
import fastavro
import redis
import yaml
from confluent_kafka import Consumer, Message
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel

from notification_service.gen.orders.v1 import order_placed_pb2

TOPICS = ("orders.placed", "payments.captured", "shipments.dispatched")
SCHEMA_DIR = Path(os.environ.get("SCHEMA_DIR", "/app/schemas"))
PAYMENT_SCHEMA = fastavro.schema.load_schema(str(SCHEMA_DIR / "payments/payment_captured.avsc"))

templates = Environment(loader=PackageLoader("notification_service"), autoescape=select_autoescape())
seen = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://redis:6379/0"))


class Notification(BaseModel):
    order_id: str
    template: str
    context: dict[str, object]


def decode(message: Message) -> Notification:
    topic, value = message.topic(), message.value()
    if topic == "orders.placed":
        order = order_placed_pb2.OrderPlaced.FromString(value)
        return Notification(order_id=order.order_id, template="order_placed.html.j2",
                            context={"total": order.total_cents / 100, "currency": order.currency})
    if topic == "payments.captured":
        record = fastavro.schemaless_reader(io.BytesIO(value), PAYMENT_SCHEMA)
        return Notification(order_id=record["order_id"], template="payment_captured.html.j2",
                            context={"amount": record["amount"], "currency": record["currency"]})
    shipment = yaml.safe_load(value)  # shipping-service writes JSON, a subset of YAML
    return Notification(order_id=shipment["orderId"], template="shipment_dispatched.html.j2",
                        context={"carrier": shipment["carrier"], "tracking": shipment["trackingNumber"]})


async def send(http: aiohttp.ClientSession, note: Notification) -> None:
    if not seen.set(f"notified:{note.template}:{note.order_id}", 1, nx=True, ex=7 * 24 * 3600):
        return
    body = templates.get_template(note.template).render(order_id=note.order_id, **note.context)
    async with http.post(os.environ.get("MAILER_URL", "http://mailer:8025/send"),
                         json={"order_id": note.order_id, "html": body}) as response:
        response.raise_for_status()


async def consume() -> None:
    consumer = Consumer({"bootstrap.servers": os.environ.get("KAFKA_BROKERS", "kafka:9092"),
                         "group.id": "notification-service", "auto.offset.reset": "earliest"})
    consumer.subscribe(list(TOPICS))
    async with aiohttp.ClientSession() as http:
        while True:
            message = await asyncio.to_thread(consumer.poll, 1.0)
            if message is None or message.error():
                continue
            await send(http, decode(message))
            consumer.commit(message, asynchronous=False)


def run() -> None:
    asyncio.run(consume())
