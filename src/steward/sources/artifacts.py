"""The two versions' artefacts of an update, fetched and read for a public-API diff.

Only on request (``--evidence``, ``steward explain``) and never offline. What is fetched, through
the one `HttpClient`, from the registry the scan itself used:

    go     ``<proxy>/<module>/@v/<version>.zip`` (each GOPROXY entry, then the fallback)
    pypi   a wheel of the version (pure-Python first), else its sdist, from the index's project page
    npm    ``dist.tarball`` of the version in the packument, else ``<registry>/<name>/-/<base>-<v>.tgz``

Archives are read in memory with `steward.sources.archives` (no link followed, sizes and ratios
capped, nothing written to disk) and only the members the diff needs are inflated. Nothing is
installed or imported: the diffs in `steward.analysis.apidiff` read text.

Every failure becomes non-breaking evidence "not checked: <reason>" for that update.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from packaging.utils import canonicalize_name

from steward.analysis import apidiff
from steward.analysis.apidiff import golang, npm, python
from steward.config import Settings
from steward.model import Evidence, EvidenceKind
from steward.sources.archives import ArchiveLimits, InvalidArchive, read_archive
from steward.sources.http import HttpClient, HttpError, NotFound, redact
from steward.sources.registry import NotCheckedError, Registry, RegistryContext

NOT_CHECKED_OFFLINE = Evidence(
    EvidenceKind.API, "public API", "not checked: offline", breaking=False
)
#: Member size cap for source files read for a diff.
LIMITS = ArchiveLimits(max_member_bytes=4 * 2**20)

Pair = tuple[str, str, str, str]  # ecosystem, package, current, candidate
Files = dict[str, str]


class ArtifactError(Exception):
    """An artefact that could not be fetched or read; ``str()`` is safe to show."""


class Artifacts:
    """Fetches and reads one version's files of a package, each version once per client."""

    def __init__(self, http: HttpClient, registries: Mapping[str, Registry]) -> None:
        self.http = http
        self.registries = registries
        self._files: dict[tuple[str, str, str], asyncio.Future[Files]] = {}

    async def files(self, ecosystem: str, package: str, version: str) -> Files:
        """The diff-relevant files of ``package`` at ``version``; raises `ArtifactError`."""
        key = (ecosystem, package, version)
        if key not in self._files:
            self._files[key] = asyncio.ensure_future(self._read(*key))
        return await asyncio.shield(self._files[key])

    async def _read(self, ecosystem: str, package: str, version: str) -> Files:
        registry = self.registries.get(ecosystem)
        if registry is None:
            raise ArtifactError(f"no {ecosystem} registry configured")
        fetch = {"go": self._go_zip, "pypi": self._wheel, "npm": self._tarball}.get(ecosystem)
        if fetch is None:
            raise ArtifactError(f"no API diff for {ecosystem}")
        data, origin = await fetch(registry, package, version)
        try:
            extracted = read_archive(data, origin, wanted=_WANTED[ecosystem], limits=LIMITS)
        except InvalidArchive as error:
            raise ArtifactError(str(error)) from None
        return {m.name: m.data.decode("utf-8", errors="replace") for m in extracted.members}

    async def _first(self, urls: Sequence[str]) -> tuple[bytes, str]:
        reasons = []
        for url in urls:
            try:
                reply = await self.http.get(url)
                return reply.content, redact(url)
            except NotFound:
                reasons.append(f"not found at {redact(url)}")
            except HttpError as error:
                reasons.append(str(error))
        raise ArtifactError("; ".join(reasons) or "no registry to fetch from")

    async def _go_zip(self, registry: Registry, module: str, version: str) -> tuple[bytes, str]:
        from steward.ecosystems.gomod.registry import GoProxy, escape

        if not isinstance(registry, GoProxy):
            raise ArtifactError("not a Go module proxy")
        bases = [p.url for p in registry.proxies if p.url not in ("direct", "off")]
        bases += [registry.fallback] if registry.fallback else []
        try:
            path = f"{quote(escape(module), safe='/!@+-._~')}/@v/{escape(version)}.zip"
        except NotCheckedError as error:
            raise ArtifactError(error.reason) from None
        return await self._first([f"{base}/{path}" for base in bases])

    async def _wheel(self, registry: Registry, name: str, version: str) -> tuple[bytes, str]:
        from steward.ecosystems.pypi.registry import SIMPLE_JSON, PyPIRegistry

        if not isinstance(registry, PyPIRegistry):
            raise ArtifactError("not a Python package index")
        project = canonicalize_name(name, validate=False)
        for index in registry.indexes:
            local = index.startswith("file:")
            page = f"{index}/{project}/index.json" if local else f"{index}/{project}/"
            try:
                reply = await self.http.get(page, headers={"Accept": SIMPLE_JSON})
                data = reply.json()
            except HttpError:
                continue
            url = pick_distribution(data, project, version)
            if url is not None:
                return await self._first([urljoin(reply.url, url)])
        raise ArtifactError(f"no wheel or sdist of {name} {version} in the index")

    async def _tarball(self, registry: Registry, name: str, version: str) -> tuple[bytes, str]:
        from steward.ecosystems.npm.registry import NpmRegistry, packument_url

        if not isinstance(registry, NpmRegistry):
            raise ArtifactError("not an npm registry")
        bases = [b for b in (_npm_base(registry, name), registry.fallback) if b]
        urls = []
        for base in bases:
            try:
                reply = await self.http.get(packument_url(base, name))
                tarball = _dist_tarball(reply.json(), version)
            except HttpError:
                tarball = None
            unscoped = name.rsplit("/", 1)[-1]
            urls.append(tarball or f"{base.rstrip('/')}/{name}/-/{unscoped}-{version}.tgz")
        return await self._first(urls)


def _npm_base(registry: object, name: str) -> str | None:
    config = getattr(registry, "config", None)
    if name.startswith("@") and config is not None:
        scoped: str | None = config.scope_registry(name.split("/", 1)[0])
        if scoped:
            return scoped
    primary: str | None = getattr(registry, "primary", None)
    return primary


def _dist_tarball(packument: object, version: str) -> str | None:
    if not isinstance(packument, dict):
        return None
    meta = (packument.get("versions") or {}).get(version)
    dist = meta.get("dist") if isinstance(meta, dict) else None
    tarball = dist.get("tarball") if isinstance(dist, dict) else None
    return tarball if isinstance(tarball, str) else None


def pick_distribution(page: object, project: str, version: str) -> str | None:
    """The URL of the best file of ``version`` on a PEP 691 page: a pure wheel, a wheel, an sdist."""
    from steward.ecosystems.pypi._simple import file_version

    files = page.get("files") if isinstance(page, dict) else None
    if not isinstance(files, list):
        return None
    wanted = str(file_version(f"{project}-{version}.tar.gz", project) or version)
    ranked = []
    for file in files:
        name = file.get("filename") if isinstance(file, dict) else None
        if not isinstance(name, str) or str(file_version(name, project)) != wanted:
            continue
        rank = 0 if name.endswith("-none-any.whl") else 1 if name.endswith(".whl") else 2
        if name.endswith((".tar.gz", ".zip", ".whl")) and isinstance(file.get("url"), str):
            ranked.append((rank, name, file["url"]))
    return min(ranked)[2] if ranked else None


def _python_member(name: str) -> bool:
    return name.endswith((".py", ".pyi")) or (name.count("/") == 1 and name.endswith("/PKG-INFO"))


def _npm_member(name: str) -> bool:
    return name.endswith(".d.ts") or (name.count("/") == 1 and name.endswith("/package.json"))


def _go_member(name: str) -> bool:
    return name.endswith(".go") and not name.endswith("_test.go")


_WANTED: dict[str, Callable[[str], bool]] = {
    "pypi": _python_member,
    "npm": _npm_member,
    "go": _go_member,
}


def changes_of(ecosystem: str, old: Files, new: Files) -> list[apidiff.ApiChange] | None:
    """The API changes between two versions' files; None when there is nothing to compare."""
    if ecosystem == "go":
        return golang.diff(golang.strip_zip_prefix(old), golang.strip_zip_prefix(new))
    if ecosystem == "npm":
        return npm.diff(npm.strip_tarball_prefix(old), npm.strip_tarball_prefix(new))
    if ecosystem == "pypi":
        return python.diff(_sdist_relative(old), _sdist_relative(new))
    return None


def _sdist_relative(files: Files) -> Files:
    """An sdist's ``name-1.0/src/pkg/x.py`` → ``pkg/x.py`` (a wheel's paths are kept)."""
    if not any(path.count("/") == 1 and path.endswith("/PKG-INFO") for path in files):
        return files
    out = {}
    for path, text in files.items():
        rest = path.split("/", 1)[1] if "/" in path else path
        out[rest.removeprefix("src/")] = text
    return out


async def evidence_for(artifacts: Artifacts, pair: Pair) -> tuple[Evidence, ...]:
    """API evidence for one update, or why it could not be checked."""
    ecosystem, package, current, candidate = pair
    source = f"public API of {package} {current} → {candidate}"
    try:
        old, new = await asyncio.gather(
            artifacts.files(ecosystem, package, current),
            artifacts.files(ecosystem, package, candidate),
        )
    except ArtifactError as error:
        return (Evidence(EvidenceKind.API, source, f"not checked: {error}", breaking=False),)
    changes = changes_of(ecosystem, old, new)
    if changes is None:
        summary = "not checked: no type declarations shipped"
        return (Evidence(EvidenceKind.API, source, summary, breaking=False),)
    return apidiff.evidence(changes, source)


async def gather_evidence(
    http: HttpClient,
    ctx: RegistryContext,
    pairs: Sequence[Pair],
    notes_texts: dict[Pair, str] | None = None,
) -> dict[Pair, tuple[Evidence, ...]]:
    """Release-notes and API evidence for every pair, through the registries ``ctx`` configures.

    ``notes_texts``, when given, receives the notes excerpt of each pair that has one.
    """
    from steward.ecosystems import plugin

    registries: dict[str, Registry] = {}
    for ecosystem in sorted({p[0] for p in pairs}):
        made = plugin(ecosystem).registry(ctx)
        if isinstance(made, Registry):
            registries[ecosystem] = made
    artifacts = Artifacts(http, registries)
    notes = _notes_client(http, ctx)

    async def both(pair: Pair) -> tuple[Evidence, ...]:
        code, (told, text) = await asyncio.gather(
            _guarded(evidence_for(artifacts, pair), pair), notes_evidence(notes, pair)
        )
        if notes_texts is not None and text:
            notes_texts[pair] = text
        return told + code

    found = await asyncio.gather(*(both(p) for p in pairs))
    return dict(zip(pairs, found, strict=True))


def _notes_client(http: HttpClient, ctx: RegistryContext) -> Any:
    from steward.sources.releasenotes import ReleaseNotes

    return ReleaseNotes(http, ctx.settings, ctx.env, root=ctx.root, home=ctx.home)


async def notes_evidence(notes: Any, pair: Pair) -> tuple[tuple[Evidence, ...], str]:
    """Evidence from the release notes between the two versions, and the notes excerpt."""
    from steward.analysis.changelog import evidence as notes_pieces

    source = f"release notes of {pair[1]} {pair[2]} → {pair[3]}"
    try:
        result = await notes.notes(*pair)
    except Exception as error:  # the notes are one source among three: never end the scan
        gone = Evidence(EvidenceKind.NOTES, source, f"not checked: {error!r}", breaking=False)
        return (gone,), ""
    pieces = tuple(notes_pieces(result.slice)) if result.slice is not None else ()
    text = result.slice.text if result.slice is not None else ""
    if not pieces and result.reason:
        return (Evidence(EvidenceKind.NOTES, source, result.reason, breaking=False),), text
    return pieces, text


async def _guarded(work: Awaitable[tuple[Evidence, ...]], pair: Pair) -> tuple[Evidence, ...]:
    try:
        return await work
    except Exception as error:  # one unreadable package must not end the scan
        source = f"public API of {pair[1]} {pair[2]} → {pair[3]}"
        reason = f"not checked: {type(error).__name__}"
        return (Evidence(EvidenceKind.API, source, reason, breaking=False),)


def api_evidence(
    root: Path, settings: Settings, pairs: Sequence[Pair], env: Mapping[str, str]
) -> dict[Pair, tuple[Evidence, ...]]:
    """`gather_evidence` with the scan's HTTP settings and credentials (blocking)."""
    from steward.scan import cache_dir
    from steward.sources.credentials import Credentials

    home = Path(env["HOME"]) if env.get("HOME") else None
    limits = settings.lookups
    http = HttpClient(
        cache_dir=cache_dir(env),
        timeout=limits.timeout,
        retries=limits.retries,
        backoff=limits.backoff,
        max_per_host=limits.max_per_host,
        credentials=Credentials.from_environment(env, home),
    )

    async def run() -> dict[Pair, tuple[Evidence, ...]]:
        async with http:
            ctx = RegistryContext(http=http, settings=settings, root=root, env=env, home=home)
            return await gather_evidence(http, ctx, pairs)

    return asyncio.run(run())
