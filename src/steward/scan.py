"""The dependency scan, end to end: discover → extract → look up → assess.

This is the one place that wires the pure stages to the I/O ones; the CLI calls `scan` and
renders what it returns.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from steward import __version__
from steward.analysis.freshness import assess, versions_to_describe
from steward.config import Settings
from steward.config import load as load_settings
from steward.discover import Inventory, discover
from steward.ecosystems import PLUGINS, plugin
from steward.model import (
    Dependency,
    DependencyStatus,
    Extraction,
    NotChecked,
    PackageInfo,
    Problem,
    Service,
)

#: Files larger than this are not read (a generated lock file of this size is not a manifest).
MAX_FILE_BYTES = 32 * 1024 * 1024

Progress = Callable[[int, int], None]
Answer = PackageInfo | NotChecked


@dataclass(frozen=True)
class Located:
    """A dependency and the service it belongs to."""

    service: str
    dependency: Dependency


@dataclass
class ScanResult:
    """Everything one scan found; reports and the history store consume this."""

    root: Path
    started: datetime
    finished: datetime | None = None
    services: list[Service] = field(default_factory=list)
    dependencies: list[Located] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    statuses: list[DependencyStatus] = field(default_factory=list)
    #: Per ecosystem: where lookups went, or why they could not be made.
    sources: dict[str, str] = field(default_factory=dict)
    looked_up: bool = False
    version: str = __version__


class TreeReader:
    """Reads files by POSIX path relative to the root, never outside it, each file once."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()
        self._cache: dict[str, str] = {}

    def __call__(self, relpath: str) -> str:
        cached = self._cache.get(relpath)
        if cached is not None:
            return cached
        path = (self._root / relpath).resolve()
        if path != self._root and self._root not in path.parents:
            raise FileNotFoundError(f"{relpath}: outside the scanned tree")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileNotFoundError(f"{relpath}: larger than {MAX_FILE_BYTES // 2**20} MiB")
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        self._cache[relpath] = text
        return text


def extract_tree(root: Path, settings: Settings) -> tuple[Inventory, list[Located], list[Problem]]:
    """Discover ``root`` and extract every dependency, each with its service."""
    inventory = discover(root, settings, [(p.name, p.claims) for p in PLUGINS])
    read = TreeReader(root)
    located: list[Located] = []
    problems: list[Problem] = []
    for claim in inventory.claims:
        found = _extract_one(claim.ecosystem, claim.directory, claim.filenames, read)
        service = inventory.service_of(claim.directory)
        located.extend(Located(service, dep) for dep in found.dependencies)
        problems.extend(found.problems)
    return inventory, located, problems


def _extract_one(
    ecosystem: str, directory: str, names: tuple[str, ...], read: TreeReader
) -> Extraction:
    try:
        return plugin(ecosystem).extract(directory, names, read)
    except Exception as error:  # one broken extractor must not end the scan
        where = names[0] if directory == "." else f"{directory}/{names[0]}"
        return Extraction(problems=[Problem(where, 0, f"could not be read: {error!r}")])


def scan(
    root: Path,
    *,
    lookups: bool = True,
    offline: bool = False,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> ScanResult:
    """Scan ``root``: extract every dependency and, unless ``lookups`` is off, look each up."""
    started = now or datetime.now(UTC)
    settings = settings or load_settings(root)
    inventory, located, problems = extract_tree(root, settings)
    result = ScanResult(
        root=root,
        started=started,
        services=inventory.services,
        dependencies=located,
        problems=problems,
    )
    if lookups:
        import asyncio

        environment = dict(os.environ if env is None else env)
        answers, result.sources = asyncio.run(
            _look_up(root, settings, located, environment, offline, progress)
        )
        result.statuses = [
            assess(
                item.dependency,
                item.service,
                answers.get(_key(item.dependency), NotChecked("not looked up")),
                plugin(item.dependency.ecosystem).versioning,
                started,
            )
            for item in located
            if item.dependency.skip_reason is None
        ]
        result.looked_up = True
    result.finished = datetime.now(UTC)
    return result


def _key(dep: Dependency) -> tuple[str, str]:
    return (dep.ecosystem, dep.lookup_name)


def cache_dir(env: Mapping[str, str]) -> Path:
    """``$STEWARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/steward/http``, else ``~/.cache/…``."""
    if env.get("STEWARD_CACHE_DIR"):
        return Path(env["STEWARD_CACHE_DIR"])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "steward" / "http"


async def _look_up(
    root: Path,
    settings: Settings,
    located: list[Located],
    env: dict[str, str],
    offline: bool,
    progress: Progress | None,
) -> tuple[dict[tuple[str, str], Answer], dict[str, str]]:
    import asyncio

    from steward.sources.credentials import Credentials
    from steward.sources.http import HttpClient, HttpError
    from steward.sources.registry import NotCheckedError, Registry, RegistryContext

    wanted: dict[tuple[str, str], list[Dependency]] = {}
    for item in located:
        if item.dependency.skip_reason is None:
            wanted.setdefault(_key(item.dependency), []).append(item.dependency)
    limits = settings.lookups
    home = Path(env["HOME"]) if env.get("HOME") else None
    http = HttpClient(
        cache_dir=cache_dir(env),
        offline=offline,
        timeout=limits.timeout,
        retries=limits.retries,
        backoff=limits.backoff,
        max_per_host=limits.max_per_host,
        credentials=Credentials.from_environment(env, home),
    )
    answers: dict[tuple[str, str], Answer] = {}
    sources: dict[str, str] = {}
    async with http:
        ctx = RegistryContext(http=http, settings=settings, root=root, env=env, home=home)
        registries: dict[str, Registry | NotChecked] = {}
        for ecosystem in sorted({key[0] for key in wanted}):
            made = plugin(ecosystem).registry(ctx)
            registries[ecosystem] = made
            sources[ecosystem] = (
                f"not checked: {made.reason}" if isinstance(made, NotChecked) else made.source
            )
        done = 0

        async def one(key: tuple[str, str]) -> None:
            nonlocal done
            registry = registries[key[0]]
            if isinstance(registry, NotChecked):
                answers[key] = registry
            else:
                try:
                    info = await registry.fetch(key[1])
                    versioning = plugin(key[0]).versioning
                    needed: set[str] = set()
                    for dep in wanted[key]:
                        needed |= versions_to_describe(dep, info, versioning)
                    answers[key] = await registry.describe(info, needed)
                except NotCheckedError as error:
                    answers[key] = NotChecked(error.reason)
                except HttpError as error:
                    answers[key] = NotChecked(str(error))
                except Exception as error:  # one bad answer must not end the scan
                    answers[key] = NotChecked(f"lookup failed: {error!r}")
            done += 1
            if progress is not None:
                progress(done, len(wanted))

        await asyncio.gather(*(one(key) for key in wanted))
    return answers, sources
