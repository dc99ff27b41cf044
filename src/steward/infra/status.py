"""Put the infrastructure report together for one tree (the I/O side: files, data, live sources).

discover → extract (pure) → end-of-life data (snapshot or live) → live Kafka / Prometheus when
given → records and git history → readiness and cadence (pure) → `InfraReport`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from steward import config
from steward.discover import discover
from steward.infra import cadence, compose, eol, readiness, records, terraform
from steward.infra.gitlog import line_changed
from steward.infra.live import HostMetrics, KafkaCluster, Unreachable
from steward.infra.model import InfraComponent, Inventory, Kind, Problem, Record
from steward.infra.report import ComponentReport, InfraReport, default_target
from steward.infra.settings import InfraSettings

if TYPE_CHECKING:
    from steward.sources.endoflife import EolData


@dataclass(frozen=True)
class Options:
    """What one run asks for besides the tree: live sources, a target, the environment, today."""

    today: date
    bootstrap: str | None = None
    prometheus_url: str | None = None
    target: Mapping[str, str] = field(default_factory=dict)
    environment: str = "production"
    offline: bool = False
    git: bool = True


def _claims(name: str) -> bool:
    return name.endswith(".tf") or compose.is_compose(name) or compose.is_helm_values(name)


def inventory(root: Path) -> Inventory:
    """Every component declared under ``root`` (Terraform, compose, Helm values)."""
    found = discover(root, config.load(root), [("infra", _claims)])
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    components: list[InfraComponent] = []
    for claim in found.claims:
        for name in claim.filenames:
            rel = name if claim.directory == "." else f"{claim.directory}/{name}"
            try:
                text = (root / rel).read_text(encoding="utf-8-sig")  # a BOM is not text
            except (OSError, UnicodeDecodeError) as error:
                problems.append(Problem(rel, 0, f"cannot read: {error}"))
                continue
            if name.endswith(".tf"):
                texts[rel] = text
            else:
                extract = (
                    compose.extract_compose if compose.is_compose(name) else compose.extract_helm
                )
                more, trouble = extract(text, rel)
                components.extend(more)
                problems.extend(trouble)
    from_tf, tf_problems = terraform.extract(texts)
    return Inventory(tuple(from_tf + components), tuple(tf_problems + problems))


def build(root: Path, settings: InfraSettings, options: Options) -> InfraReport:
    """The infrastructure report of the tree at ``root``."""
    found = inventory(root)
    eol_data = _eol(found, settings, options)
    kafka = _kafka(found, options.bootstrap or settings.kafka_bootstrap)
    host = _host(options.prometheus_url or settings.prometheus.url, settings, options)
    history = records.load(root)
    policy = readiness.Policy(
        soak_days=settings.soak_days,
        cpu_max_percent=settings.prometheus.cpu_max,
        disk_max_percent=settings.prometheus.disk_max,
    )
    reports = []
    for component in found.components:
        statuses = tuple(
            eol.assess(component, eol_data.products, options.today, settings.eol_horizon_days)
        )
        target, note = _target(component, statuses, options)
        inputs = readiness.Inputs(
            target=target,
            today=options.today,
            environment=options.environment,
            kafka=kafka if component.kind is Kind.KAFKA else None,
            host=host,
            records=history,
            products=eol_data.products,
            governing_product=statuses[0].product if statuses else None,
            policy=policy,
        )
        checks = tuple(readiness.evaluate(component, inputs))
        rhythm = _cadence(root, component, history, settings, options)
        reports.append(ComponentReport(component, statuses, target, note, checks, rhythm))
    notes = (*eol_data.notes, *_live_notes(kafka, host))
    unreachable = sum(1 for source in (kafka, host) if isinstance(source, Unreachable))
    return InfraReport(str(root), options.today, tuple(reports), found.problems, notes, unreachable)


def _target(
    component: InfraComponent, statuses: tuple[eol.EolStatus, ...], options: Options
) -> tuple[str | None, str]:
    given = options.target.get(component.id)
    if given:
        return given, "given with --to"
    return default_target(component, statuses)


def _eol(found: Inventory, settings: InfraSettings, options: Options) -> EolData:
    from steward.sources.endoflife import load
    from steward.sources.http import HttpClient

    slugs = {slug for c in found.components for slug in eol.products_for(c)}
    http = (
        None
        if not settings.endoflife_url
        else HttpClient(cache_dir=_cache_dir(), offline=options.offline, retries=2)
    )
    return load(slugs, settings.endoflife_url, http, options.today)


def _cache_dir() -> Path:
    import os

    return Path(os.environ.get("STEWARD_CACHE_DIR", Path.home() / ".cache" / "steward" / "http"))


def _kafka(found: Inventory, bootstrap: str | None) -> KafkaCluster | Unreachable | None:
    if not bootstrap or not any(c.kind is Kind.KAFKA for c in found.components):
        return None
    from steward.infra.kafka_admin import describe

    return describe(bootstrap)


def _host(
    url: str | None, settings: InfraSettings, options: Options
) -> HostMetrics | Unreachable | None:
    if not url:
        return None
    from steward.infra.prometheus import Queries, host_metrics
    from steward.sources.http import HttpClient

    queries = Queries(
        settings.prometheus.cpu_query, settings.prometheus.disk_query, settings.prometheus.window
    )
    return host_metrics(url, queries, HttpClient(retries=2, timeout=10.0))


def _cadence(
    root: Path,
    component: InfraComponent,
    history: tuple[Record, ...],
    settings: InfraSettings,
    options: Options,
) -> cadence.Cadence:
    changed = None
    if options.git and component.site is not None:
        changed = line_changed(root, component.site.file, component.site.line)
    return cadence.assess(component, history, changed, options.today, settings.cadence_days)


def _live_notes(kafka: object, host: object) -> tuple[str, ...]:
    notes = []
    for source in (kafka, host):
        if isinstance(source, Unreachable):
            notes.append(
                f"{source.what}: not reachable ({source.reason}); its checks are not checked"
            )
        elif isinstance(source, KafkaCluster | HostMetrics):
            notes.append(f"live data: {source.source}")
    return tuple(notes)
