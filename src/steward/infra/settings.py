"""``[infra]`` in ``steward.toml``: end-of-life source, horizons, cadence, live sources.

Example::

    [infra]
    endoflife_url = "https://eol-mirror.example/"   # the live API's base; none: bundled snapshot
    eol_horizon_days = 90        # "end of life soon" within this many days
    cadence_days = 90            # upgrade every … days, else "overdue"
    soak_days = 7                # time in staging before production is ready
    kafka_bootstrap = "b-1.kafka.internal:9094"

    [infra.prometheus]
    url = "http://prometheus.internal:9090"
    window = "1h"
    cpu_max = 60
    disk_max = 85
    cpu_query = "…{window}…"     # PromQL, one series per instance, percent
    disk_query = "…"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steward.config import ConfigError, _build

DEFAULT_CPU_QUERY = (
    "max_over_time((100 * (1 - avg by (instance) "
    '(rate(node_cpu_seconds_total{mode="idle"}[1m]))))[{window}:15s])'
)
DEFAULT_DISK_QUERY = (
    'max by (instance) (100 * (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"}'
    ' / node_filesystem_size_bytes{fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs"}))'
)


@dataclass(frozen=True)
class PrometheusSettings:
    """Where host metrics come from, the PromQL that reads them, and the limits (percent)."""

    url: str | None = None
    window: str = "1h"
    cpu_max: float = 60.0
    disk_max: float = 85.0
    cpu_query: str = DEFAULT_CPU_QUERY
    disk_query: str = DEFAULT_DISK_QUERY


@dataclass(frozen=True)
class InfraSettings:
    """Everything ``steward infra`` reads from ``[infra]``; defaults work without a file."""

    endoflife_url: str | None = None
    eol_horizon_days: int = 90
    cadence_days: int = 90
    soak_days: int = 7
    kafka_bootstrap: str | None = None
    prometheus: PrometheusSettings = field(default_factory=PrometheusSettings)


def load(root: Path) -> InfraSettings:
    """``[infra]`` of ``root/steward.toml`` (or ``[tool.steward.infra]``); raises `ConfigError`."""
    for name, keys in (
        ("steward.toml", ("infra",)),
        ("pyproject.toml", ("tool", "steward", "infra")),
    ):
        source = root / name
        if not source.is_file():
            continue
        table: Any = _read(source)
        for key in keys:
            table = table.get(key) if isinstance(table, dict) else None
        if table is not None:
            return _build(InfraSettings, table, f"{source}: infra")
        if name == "steward.toml":
            break
    return InfraSettings()


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
