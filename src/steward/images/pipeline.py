"""``steward images``: discover → extract → look up → analyse, for one tree.

The only module of this package that touches the file system for a whole tree; everything it
calls is either pure or a registry client.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from steward.config import Settings
from steward.discover import discover
from steward.ecosystems.docker.extract import (
    ImageRef,
    extract,
    is_compose_file,
    is_helm_values,
    is_yaml,
)
from steward.images.analysis import ImageStatus, analyse
from steward.images.auth import DockerAuths, read_docker_config
from steward.images.contents import ImageContents
from steward.images.contents import findings as content_findings
from steward.images.layers import LayerLimits
from steward.images.lifecycle import EolCycle, EolTable
from steward.images.lookup import Lookups, look_up_all
from steward.images.registry import OciHttp, Platform
from steward.images.scanner import Advisories, ContentScanner, problems_of, scan_all
from steward.images.settings import ImageSettings
from steward.model import Problem

EOL_PRODUCTS = (
    "python", "nodejs", "go", "postgresql", "redis", "valkey", "nginx", "mysql", "mongodb",
    "rabbitmq", "elasticsearch", "zookeeper", "eclipse-temurin", "alpine-linux", "debian",
    "ubuntu", "apache-kafka",
)  # fmt: skip


@dataclass
class ImagesResult:
    """Every reference of a tree with its status, and the files that could not be read."""

    root: Path
    statuses: list[ImageStatus] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def claims(name: str) -> bool:
    """Files the images area reads besides Dockerfiles: compose, Helm values, any YAML."""
    return is_compose_file(name) or is_helm_values(name) or is_yaml(name)


def find_references(
    root: Path, settings: Settings
) -> tuple[list[ImageRef], list[Problem], dict[str, str]]:
    """References under ``root``, problems, and the service owning each file."""
    inventory = discover(root, settings, [("images", claims)])
    grouping = discover(root, settings, [])  # services as the dependency scan sees them
    paths = list(inventory.dockerfiles)
    for claim in inventory.claims:
        paths.extend(
            f"{claim.directory}/{name}" if claim.directory != "." else name
            for name in claim.filenames
        )
    paths = sorted(set(paths))
    found = extract(paths, lambda path: (root / path).read_text(encoding="utf-8"))
    services = {path: grouping.service_of(path.rpartition("/")[0] or ".") for path in paths}
    return found.refs, found.problems, services


def eol_table(products: tuple[str, ...] = EOL_PRODUCTS) -> EolTable:
    """Cycles per product from the endoflife.date snapshot bundled under ``steward/data``."""
    folder = resources.files("steward").joinpath("data", "endoflife")
    table: dict[str, list[EolCycle]] = {}
    for slug in products:
        entry = folder.joinpath(f"{slug}.yaml")
        if entry.is_file():
            table[slug] = _cycles(yaml.safe_load(entry.read_text(encoding="utf-8")))
    return table


def _cycles(document: object) -> list[EolCycle]:
    releases = document.get("releases", []) if isinstance(document, dict) else []
    cycles = []
    for release in releases if isinstance(releases, list) else []:
        if not isinstance(release, dict) or "releaseCycle" not in release:
            continue
        eol, eoes = release.get("eol"), release.get("eoes")
        cycles.append(
            EolCycle(
                cycle=str(release["releaseCycle"]),
                eol=eol if isinstance(eol, date) else None,
                eol_reached=eol is True,
                eoes=eoes if isinstance(eoes, date) else None,
                latest=str(release.get("latest", "")),
            )
        )
    return cycles


def run(
    root: Path,
    settings: Settings,
    image_settings: ImageSettings,
    *,
    offline: bool,
    today: date,
    cache_dir: Path | None = None,
    table: EolTable | None = None,
) -> ImagesResult:
    """Scan ``root``: every image reference, looked up and analysed; then, unless
    ``scan_contents`` is off, every checked image's OS packages (not offline: layers are never
    pulled from the cache)."""
    refs, problems, services = find_references(root, settings)
    auths = read_docker_config(image_settings.docker_config)
    problems = [*problems, *auths.problems]  # lookups go on without what could not be read
    lookups = Lookups(_http(settings, offline, cache_dir), image_settings, auths)
    found = asyncio.run(look_up_all(refs, lookups))
    table = eol_table() if table is None else table
    statuses = [
        analyse(ref, services.get(ref.file, ""), lookup, table, today)
        for ref, lookup in zip(refs, found, strict=True)
    ]
    if image_settings.scan_contents:
        statuses, more = scan_contents(root, statuses, settings, image_settings, auths, offline)
        problems = [*problems, *more]
    return ImagesResult(root, statuses, problems)


def _http(settings: Settings, offline: bool, cache_dir: Path | None) -> OciHttp:
    return OciHttp(
        cache_dir=cache_dir,
        offline=offline,
        timeout=settings.lookups.timeout,
        retries=settings.lookups.retries,
        backoff=settings.lookups.backoff,
        max_per_host=settings.lookups.max_per_host,
    )


def scan_contents(
    root: Path,
    statuses: list[ImageStatus],
    settings: Settings,
    image_settings: ImageSettings,
    auths: DockerAuths,
    offline: bool,
) -> tuple[list[ImageStatus], list[Problem]]:
    """Every status with its image's contents and their findings, and the package-database
    problems met. Offline, nothing is pulled: each reference says "contents not scanned:
    offline"."""
    if offline:
        skipped = ImageContents("offline")
        return [_with(s, skipped if s.ref.reference else None) for s in statuses], []
    http = _http(settings, offline, None)  # layers never go to the disk cache
    lookups = Lookups(http, image_settings, auths)
    os_, arch, *variant = image_settings.platform.split("/")
    scanner = ContentScanner(
        lookups,
        _advisories(root, settings, http),
        LayerLimits(max_layer_bytes=image_settings.max_layer_bytes),
        Platform(os_, arch, variant[0] if variant else ""),
    )
    found = asyncio.run(scan_all(statuses, scanner))
    return [_with(s, c) for s, c in zip(statuses, found, strict=True)], problems_of(found)


def _with(status: ImageStatus, contents: ImageContents | None) -> ImageStatus:
    if contents is None:
        return status
    more = content_findings(status.ref, status.service, contents)
    return replace(status, contents=contents, findings=(*status.findings, *more))


def _advisories(root: Path, settings: Settings, http: OciHttp) -> Advisories:
    """The advisory source of the scan's configuration (``[advisories]``): the OSV API when
    ``api`` is set, else the local index, prepared (imported) first when stale."""
    from steward.sources.osv import OsvApi, prepare

    config = settings.advisories
    if not config.enabled:
        return Advisories(reason="not checked: advisories are turned off")
    if config.api:
        return Advisories(api=OsvApi(http, config.api), reason=f"OSV API {config.api}")
    base = settings.base_dir if settings.base_dir != Path(".") else root
    prepared = prepare(config, base, offline=False, http=http)
    return Advisories(database=prepared.database, reason=prepared.description)


def default_cache_dir() -> Path:
    """``$STEWARD_CACHE_DIR`` or ``~/.cache/steward/http`` (the HTTP layer's cache)."""
    configured = os.environ.get("STEWARD_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "steward" / "http"
