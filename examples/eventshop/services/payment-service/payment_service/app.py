"""HTTP API (FastAPI) and the OrderPlaced consumer loop."""

from __future__ import annotations

import threading
from decimal import Decimal

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from payment_service import events, processor
from payment_service.db import Payment, Session

app = FastAPI(title="payment-service")


class PaymentView(BaseModel):
    order_id: str
    amount: Decimal
    currency: str
    status: str

    class Config:
        orm_mode = True


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@app.get("/payments/{order_id}", response_model=PaymentView)
def get_payment(order_id: str) -> Payment:
    with Session() as session:
        payment = session.get(Payment, order_id)
    if payment is None:
        raise HTTPException(status_code=404, detail="unknown order")
    return payment


def handle(order_value: bytes, out: events.Producer) -> None:
    order = events.decode_order(order_value)
    amount = Decimal(order.total_cents) / 100
    reference = processor.capture(order.order_id, amount, order.currency)
    with Session.begin() as session:
        session.merge(Payment(order_id=order.order_id, amount=amount, currency=order.currency,
                              status="CAPTURED", processor_reference=reference))
    out.produce(events.TOPIC_PAYMENT_CAPTURED, key=order.order_id,
                value=events.encode_captured(order.order_id, amount, order.currency, "CARD"))
    out.flush()


def consume_forever() -> None:
    consumer, out = events.consumer(), events.producer()
    while True:
        message = consumer.poll(1.0)
        if message is None or message.error():
            continue
        try:
            handle(message.value(), out)
        except processor.PaymentDeclined:
            pass
        consumer.commit(message)


@app.on_event("startup")
def start_consumer() -> None:
    threading.Thread(target=consume_forever, name="orders-placed", daemon=True).start()
