"""Nightly job (Kubernetes CronJob): re-publish captures the processor settled but we missed."""

from __future__ import annotations

from payment_service import events
from payment_service.db import Payment, Session


def main() -> None:
    out = events.producer()
    with Session() as session:
        for payment in session.query(Payment).filter(Payment.status == "CAPTURED"):
            out.produce(events.TOPIC_PAYMENT_CAPTURED, key=payment.order_id,
                        value=events.encode_captured(payment.order_id, payment.amount,
                                                     payment.currency, "CARD"))
    out.flush()


if __name__ == "__main__":
    main()
