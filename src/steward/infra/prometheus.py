"""Host metrics from Prometheus's HTTP API (``/api/v1/query``) through Steward's HttpClient.

The queries are configuration, because exporters name metrics differently; ``{window}`` in a
query is replaced by the window (``1h``). The defaults read node_exporter's metrics: the peak CPU
use per instance over the window, and the fullest filesystem per instance now.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from steward.infra.live import HostMetrics, Unreachable
from steward.infra.settings import DEFAULT_CPU_QUERY, DEFAULT_DISK_QUERY
from steward.sources.http import HttpClient, HttpError, MalformedResponse, redact


@dataclass(frozen=True, slots=True)
class Queries:
    """The PromQL for CPU and disk use (percent, one series per instance) and the window."""

    cpu: str = DEFAULT_CPU_QUERY
    disk: str = DEFAULT_DISK_QUERY
    window: str = "1h"


def parse_vector(answer: Any) -> dict[str, float]:
    """``{instance: value}`` from an instant-query answer; raises `MalformedResponse`."""
    if not isinstance(answer, dict) or answer.get("status") != "success":
        error = answer.get("error") if isinstance(answer, dict) else None
        raise MalformedResponse(f"Prometheus query failed: {error or 'not a success answer'}")
    data = answer.get("data") or {}
    if data.get("resultType") != "vector":
        raise MalformedResponse(f"expected a vector, got {data.get('resultType')!r}")
    values: dict[str, float] = {}
    for series in data.get("result") or []:
        labels: Mapping[str, str] = series.get("metric") or {}
        name = (
            labels.get("instance")
            or labels.get("host")
            or ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
            or "(all)"
        )
        try:
            values[name] = float(series["value"][1])
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise MalformedResponse(f"a series without a numeric value: {series!r}") from error
    return values


def host_metrics(url: str, queries: Queries, http: HttpClient) -> HostMetrics | Unreachable:
    """Peak CPU and disk use per instance, or `Unreachable` with the reason."""
    return asyncio.run(_host_metrics(url, queries, http))


async def _host_metrics(url: str, queries: Queries, http: HttpClient) -> HostMetrics | Unreachable:
    cpu_query = queries.cpu.replace("{window}", queries.window)
    disk_query = queries.disk.replace("{window}", queries.window)
    try:
        async with http:
            cpu = await _query(http, url, cpu_query)
            disk = await _query(http, url, disk_query)
    except HttpError as error:
        return Unreachable(f"Prometheus at {redact(url)}", str(error))
    return HostMetrics(
        cpu, disk, queries.window, (cpu_query, disk_query), f"Prometheus at {redact(url)}"
    )


async def _query(http: HttpClient, url: str, query: str) -> dict[str, float]:
    address = f"{url.rstrip('/')}/api/v1/query?{urlencode({'query': query})}"
    response = await http.get(address, headers={"Accept": "application/json"})
    return parse_vector(response.json())
