"""Host checks through Prometheus's HTTP API: recorded answers on 127.0.0.1, then a real one."""

from __future__ import annotations

import json
import time
from pathlib import Path

from steward.infra import checks as c
from steward.infra.checks import Status
from steward.infra.live import HostMetrics, Unreachable
from steward.infra.prometheus import Queries, host_metrics, parse_vector
from steward.infra.readiness import evaluate_usage
from steward.sources.http import HttpClient
from tests.infra.live_servers import free_port, prometheus_with_node_exporter
from tests.servers import Fault, fault_server

RECORDED = Path(__file__).parent / "data" / "prometheus"


def test_recorded_answers_give_peak_cpu_and_disk_per_instance() -> None:
    cpu = json.loads((RECORDED / "cpu.json").read_text())
    disk = json.loads((RECORDED / "disk.json").read_text())
    with fault_server() as server:
        server.script("/api/v1/query", [Fault.json(cpu), Fault.json(disk)])
        queries = Queries(cpu="cpu_peak[{window}]", disk="disk_now", window="2h")
        found = host_metrics(server.url, queries, HttpClient(retries=1))
        sent = [r.path for r in server.requests("/api/v1/query")]
    assert isinstance(found, HostMetrics)
    assert found.cpu_percent == {"b-1:11001": 72.5, "b-2:11001": 31.0}
    assert found.disk_percent == {"b-1:11001": 40.25, "b-2:11001": 12.0}
    assert "query=cpu_peak%5B2h%5D" in sent[0]  # the configured query, window substituted
    cpu_check = evaluate_usage(c.HOST_CPU_HEADROOM, "CPU", found.cpu_percent, 60, found.window)
    assert cpu_check.status is Status.FAIL
    assert "peak CPU 72.5 % on b-1:11001 over 2h" in cpu_check.evidence[0]


def test_an_error_answer_and_an_unreachable_server_are_reasons() -> None:
    with fault_server() as server:
        server.script(
            "/api/v1/query", [Fault.json({"status": "error", "error": "parse error at char 3"})]
        )
        found = host_metrics(server.url, Queries(), HttpClient(retries=1))
    assert isinstance(found, Unreachable) and "parse error at char 3" in found.reason
    down = host_metrics(
        f"http://127.0.0.1:{free_port()}", Queries(), HttpClient(retries=1, timeout=2)
    )
    assert isinstance(down, Unreachable)


def test_empty_result_is_not_checked() -> None:
    assert parse_vector({"status": "success", "data": {"resultType": "vector", "result": []}}) == {}
    assert evaluate_usage(c.HOST_DISK_HEADROOM, "disk", {}, 85, "1h").status is Status.NOT_CHECKED


def test_real_prometheus_scraping_node_exporter(tmp_path: Path) -> None:
    queries = Queries(
        cpu='max_over_time((100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5s]))))[{window}:1s])',
        window="30s",
    )
    with prometheus_with_node_exporter(tmp_path) as url:
        found: HostMetrics | Unreachable | None = None
        for _ in range(120):  # until two scrapes are in: rate() needs two samples
            found = host_metrics(url, queries, HttpClient(retries=1))
            if isinstance(found, HostMetrics) and found.cpu_percent and found.disk_percent:
                break
            time.sleep(0.5)
    assert isinstance(found, HostMetrics), found
    for value in (*found.cpu_percent.values(), *found.disk_percent.values()):
        assert 0.0 <= value <= 100.0
    assert all(name.startswith("127.0.0.1:") for name in found.cpu_percent)
