"""The card processor's REST API (client certificates signed with cryptography)."""

from __future__ import annotations

import os
from decimal import Decimal

import requests
import yaml
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class PaymentDeclined(Exception):
    """The processor refused the charge."""


def _session() -> requests.Session:
    session = requests.Session()
    retry = Retry(total=3, backoff_factor=0.5, status_forcelist=(502, 503, 504))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.cert = (os.environ["PROCESSOR_CERT"], os.environ["PROCESSOR_KEY"])
    return session


def load_routes(path: str = "/app/config/processor.yaml") -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.FullLoader)


def capture(order_id: str, amount: Decimal, currency: str) -> str:
    """Capture ``amount`` for ``order_id``; returns the processor's reference."""
    base = os.environ.get("PROCESSOR_URL", "https://processor.eventshop.example")
    response = _session().post(
        f"{base}/v2/captures",
        json={"reference": order_id, "amount": str(amount), "currency": currency},
        timeout=10,
    )
    if response.status_code == 402:
        raise PaymentDeclined(response.json().get("reason", "declined"))
    response.raise_for_status()
    return response.json()["id"]
