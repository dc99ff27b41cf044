"""The dependency scan, end to end: discover → extract → look up → assess.

This is the one place that wires the pure stages to the I/O ones; the CLI calls `scan` and
renders what it returns.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from steward import __version__
from steward.analysis.freshness import ReleaseIndex, assess, index_of, versions_to_describe
from steward.config import Settings
from steward.config import load as load_settings
from steward.discover import Claim, Inventory, discover
from steward.ecosystems import PLUGINS, plugin
from steward.model import (
    Dependency,
    DependencyStatus,
    Evidence,
    Extraction,
    NotChecked,
    PackageInfo,
    Problem,
    Service,
    Vulnerability,
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
    #: Where advisories came from (or why they could not be checked); None when not looked up.
    advisories: str | None = None


class TreeReader:
    """Reads files by POSIX path relative to the root, never outside it, each file once.

    ``..`` cannot leave the root; a symbolic link may point outside it and is read (Steward only
    reads text; it never executes what it reads).
    """

    def __init__(self, root: Path) -> None:
        self._root = os.path.abspath(root)
        self._cache: dict[str, str] = {}

    def __call__(self, relpath: str) -> str:
        cached = self._cache.get(relpath)
        if cached is not None:
            return cached
        path = os.path.normpath(os.path.join(self._root, relpath))
        if not path.startswith(self._root + os.sep) and path != self._root:
            raise FileNotFoundError(f"{relpath}: outside the scanned tree")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise FileNotFoundError(f"{relpath}: larger than {MAX_FILE_BYTES // 2**20} MiB")
        text = data.decode("utf-8-sig", errors="replace")
        self._cache[relpath] = text
        return text


def extract_tree(root: Path, settings: Settings) -> tuple[Inventory, list[Located], list[Problem]]:
    """Discover ``root`` and extract every dependency, each with its service."""
    inventory = discover(root, settings, [(p.name, p.claims) for p in PLUGINS])
    located: list[Located] = []
    problems: list[Problem] = []
    for claim, found in zip(inventory.claims, _extract_claims(root, inventory.claims), strict=True):
        service = inventory.service_of(claim.directory)
        located.extend(Located(service, dep) for dep in found.dependencies)
        problems.extend(found.problems)
    return inventory, located, problems


#: Below this many claimed folders, extraction runs in this process (forking costs more).
PARALLEL_THRESHOLD = 200
_DEPENDENCY_FIELDS = tuple(f.name for f in dataclasses.fields(Dependency))
_Wire = tuple[list[tuple[object, ...]], list[tuple[str, int, str]]]


def _extract_claims(root: Path, claims: Sequence[Claim]) -> list[Extraction]:
    """Extract every claim, in order; large trees are split over forked worker processes.

    Workers send plain tuples back (pickling frozen dataclasses costs more than extracting).
    """
    workers = min(os.cpu_count() or 1, 8)
    if (
        len(claims) < PARALLEL_THRESHOLD
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        read = TreeReader(root)
        return [_extract_one(c.ecosystem, c.directory, c.filenames, read) for c in claims]
    size = -(-len(claims) // (workers * 4))
    chunks = [(root, claims[i : i + size]) for i in range(0, len(claims), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parts = list(pool.map(_extract_chunk, chunks))
    return [
        Extraction(
            dependencies=[Dependency(*row) for row in wire[0]],  # type: ignore[arg-type]
            problems=[Problem(*row) for row in wire[1]],
        )
        for part in parts
        for wire in part
    ]


def _extract_chunk(job: tuple[Path, Sequence[Claim]]) -> list[_Wire]:
    root, claims = job
    read = TreeReader(root)
    out: list[_Wire] = []
    for claim in claims:
        found = _extract_one(claim.ecosystem, claim.directory, claim.filenames, read)
        deps = [tuple(getattr(d, name) for name in _DEPENDENCY_FIELDS) for d in found.dependencies]
        out.append((deps, [(p.file, p.line, p.message) for p in found.problems]))
    return out


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
    evidence: bool = False,
) -> ScanResult:
    """Scan ``root``: extract every dependency and, unless ``lookups`` is off, look each up.

    Every outdated dependency gets metadata evidence and a risk; ``evidence`` also downloads the
    two versions' artefacts for a public-API diff (never offline: "not checked: offline").
    """
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
        result.statuses = _assess_all(located, answers, started)
        result.statuses, result.advisories, advisory_problems = _advise(
            root, settings, result.statuses, answers, offline, environment
        )
        result.problems.extend(advisory_problems)
        extra: dict[tuple[str, str, str, str], tuple[Evidence, ...]] = {}
        if evidence:
            extra = _code_evidence(root, settings, result.statuses, offline, environment)
        result.statuses = judge_all(result.statuses, answers, settings, started, extra)
        result.looked_up = True
    result.finished = datetime.now(UTC)
    return result


def _assess_all(
    located: list[Located], answers: dict[tuple[str, str], Answer], now: datetime
) -> list[DependencyStatus]:
    """Assess every looked-up dependency, ordering each package's releases only once."""
    indices: dict[tuple[str, str], ReleaseIndex] = {}
    statuses = []
    for item in located:
        dep = item.dependency
        if dep.skip_reason is not None:
            continue
        key = _key(dep)
        answer = answers.get(key, NotChecked("not looked up"))
        versioning = plugin(dep.ecosystem).versioning
        index = None
        if isinstance(answer, PackageInfo):
            index = indices.get(key) or indices.setdefault(key, index_of(answer, versioning))
        statuses.append(assess(dep, item.service, answer, versioning, now, index))
    return statuses


def _advise(
    root: Path,
    settings: Settings,
    statuses: list[DependencyStatus],
    answers: dict[tuple[str, str], Answer],
    offline: bool,
    env: dict[str, str],
) -> tuple[list[DependencyStatus], str, list[Problem]]:
    """Every status with the advisories of its version and the minimal fix.

    Reads the local advisory database (rebuilt first when stale) through its per-package
    indexes, or asks the OSV API when one is configured and the scan is online. Returns the
    statuses, where the advisories came from, and the problems met reading advisory sources.
    """
    from steward.analysis.vulnerabilities import ordering_of
    from steward.sources.osv import Query

    if not settings.advisories.enabled:
        return statuses, "not checked: advisories are turned off", []
    queries: dict[int, Query] = {}
    for index, status in enumerate(statuses):
        version = status.current or status.dependency.locked
        if ordering_of(status.dependency.ecosystem) is not None and version:
            dep = status.dependency
            answer = answers.get(_key(dep))
            releases = None
            if isinstance(answer, PackageInfo):
                releases = tuple(
                    r.version for r in answer.releases if not (r.yanked or r.retracted)
                )
            queries[index] = Query(dep.ecosystem, dep.lookup_name, version, releases)
    verdicts, source, problems = _verdicts(root, settings, list(queries.values()), offline, env)
    if verdicts is None:
        return statuses, source, problems
    out = list(statuses)
    for index, verdict in zip(queries, verdicts, strict=True):
        if verdict.vulnerabilities:
            out[index] = dataclasses.replace(
                statuses[index],
                advisories=verdict.vulnerabilities,
                minimal_fix=verdict.fix.version if verdict.fix else None,
                minimal_fix_type=verdict.fix.update_type if verdict.fix else None,
            )
    return out, source, problems


def _verdicts(
    root: Path, settings: Settings, queries: list[Any], offline: bool, env: dict[str, str]
) -> tuple[list[Any] | None, str, list[Problem]]:
    """One `Assessment` per query, from the OSV API (online, when configured) or the local
    database; None (and the reason) when advisories cannot be checked."""
    import asyncio

    from steward.analysis.vulnerabilities import assess as assess_advisories
    from steward.analysis.vulnerabilities import ordering_of
    from steward.sources.http import HttpClient
    from steward.sources.osv import DatabaseError, OsvApi, OsvError, prepare

    config = settings.advisories
    base = settings.base_dir if settings.base_dir != Path(".") else root
    limits = settings.lookups
    http = HttpClient(
        cache_dir=cache_dir(env),
        offline=offline,
        timeout=limits.timeout,
        retries=limits.retries,
        backoff=limits.backoff,
        max_per_host=limits.max_per_host,
    )
    if config.api and not offline:
        keys = {}
        for query in queries:
            ordering = ordering_of(query.ecosystem)
            assert ordering is not None  # queries are only made for known orderings
            keys[query] = (ordering.osv, ordering.name(query.name), query.version)

        async def ask() -> dict[tuple[str, str, str], list[Any]]:
            async with http:
                return dict(await OsvApi(http, config.api or "").query(sorted(set(keys.values()))))

        try:
            found = asyncio.run(ask())
        except OsvError as error:
            return None, f"not checked: {error}", []
        verdicts = [
            assess_advisories(
                found.get(keys[q], []),
                q.ecosystem,
                q.name,
                q.version,
                list(q.releases) if q.releases is not None else None,
            )
            for q in queries
        ]
        return verdicts, f"OSV API {config.api}", []
    prepared = prepare(config, base, offline=offline, http=http)
    if prepared.database is None:
        return None, prepared.description, list(prepared.problems)
    try:
        return prepared.database.assess(queries), prepared.description, list(prepared.problems)
    except DatabaseError as error:
        return None, f"not checked: {error}", list(prepared.problems)


#: Per (ecosystem, package, current, candidate): evidence from the code (API diff) or notes.
ExtraEvidence = dict[tuple[str, str, str, str], tuple[Evidence, ...]]


def judge_all(
    statuses: list[DependencyStatus],
    answers: Mapping[tuple[str, str], Answer],
    settings: Settings,
    now: datetime,
    extra: ExtraEvidence | None = None,
) -> list[DependencyStatus]:
    """Every status with the evidence and risk of its update to ``latest`` (current ones as is)."""
    from steward.analysis.risk import InvalidDuration, parse_duration

    try:
        cooldown = parse_duration(settings.risk.minimum_release_age)
    except InvalidDuration as error:
        from steward.config import ConfigError

        raise ConfigError(f"[risk] minimum_release_age: {error}") from error
    extra = extra or {}
    return [
        s
        if s.update_type is None  # current or not checked: nothing to judge (most rows)
        else judge(s, answers.get(_key(s.dependency)), settings, now, cooldown, extra)
        for s in statuses
    ]


def judge(
    status: DependencyStatus,
    answer: Answer | None,
    settings: Settings,
    now: datetime,
    cooldown: timedelta,
    extra: ExtraEvidence,
) -> DependencyStatus:
    """One status with its update's evidence (metadata, plus ``extra``) and risk."""
    from steward.analysis.evidence import metadata_evidence
    from steward.analysis.risk import UpdateFacts, assess_risk

    if not status.outdated or not status.current or not status.latest or status.update_type is None:
        return status
    info = answer if isinstance(answer, PackageInfo) else None
    found: tuple[Evidence, ...] = ()
    if info is not None and settings.risk.evidence:
        found = metadata_evidence(info, status.current, status.latest)
    dep = status.dependency
    found += extra.get((dep.ecosystem, dep.lookup_name, status.current, status.latest), ())
    release = info.release(status.latest) if info is not None else None
    facts = UpdateFacts(
        update_type=status.update_type,
        candidate=status.latest,
        evidence=found,
        published=status.latest_published,
        fixed=_fixed_by(status, status.latest),
        withdrawn=(release.retracted or release.yanked) if release is not None else None,
    )
    risk = assess_risk(facts, now=now, cooldown=cooldown)
    return dataclasses.replace(
        status, evidence=found, risk=risk.level.value, risk_reasons=risk.reasons
    )


def add_evidence(
    status: DependencyStatus, extra: Sequence[Evidence], settings: Settings, now: datetime
) -> DependencyStatus:
    """``status`` with ``extra`` evidence added to what it has, and its risk judged again."""
    from steward.analysis.risk import UpdateFacts, assess_risk, parse_duration

    if status.update_type is None or not status.latest:
        return status
    found = (*status.evidence, *extra)
    withdrawn = next(
        (e.summary for e in found if e.source.startswith(("RETRACTED", "YANKED"))), None
    )
    facts = UpdateFacts(
        update_type=status.update_type,
        candidate=status.latest,
        evidence=found,
        published=status.latest_published,
        fixed=_fixed_by(status, status.latest),
        withdrawn=withdrawn,
    )
    risk = assess_risk(facts, now=now, cooldown=parse_duration(settings.risk.minimum_release_age))
    return dataclasses.replace(
        status, evidence=found, risk=risk.level.value, risk_reasons=risk.reasons
    )


def _fixed_by(status: DependencyStatus, candidate: str) -> tuple[Vulnerability, ...]:
    """The advisories of the version in use that ``candidate`` is at or above a fix of."""
    versioning = plugin(status.dependency.ecosystem).versioning
    fixed = []
    for advisory in status.advisories:
        try:
            if any(versioning.compare(v, candidate) <= 0 for v in advisory.fixed_in):
                fixed.append(advisory)
        except ValueError:
            continue
    return tuple(fixed)


def _code_evidence(
    root: Path,
    settings: Settings,
    statuses: list[DependencyStatus],
    offline: bool,
    env: dict[str, str],
) -> ExtraEvidence:
    """API-diff evidence for every outdated status (downloads the two versions' artefacts)."""
    from steward.sources.artifacts import NOT_CHECKED_OFFLINE, api_evidence

    pairs = {
        (s.dependency.ecosystem, s.dependency.lookup_name, s.current, s.latest)
        for s in statuses
        if s.outdated and s.current and s.latest
    }
    wanted = {(e, n, c, t) for e, n, c, t in pairs if c is not None and t is not None}
    if offline:
        return {pair: (NOT_CHECKED_OFFLINE,) for pair in wanted}
    return api_evidence(root, settings, sorted(wanted), env)


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
                    index = index_of(info, versioning)
                    needed: set[str] = set()
                    distinct = {(d.constraint, d.locked): d for d in wanted[key]}
                    for dep in distinct.values():
                        needed |= versions_to_describe(dep, info, versioning, index)
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
