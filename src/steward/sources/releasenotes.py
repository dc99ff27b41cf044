"""`ReleaseNotes`: find a package's release notes where they live and cut them between versions.

Where it looks, in order, stopping at the first document with an entry for the candidate::

    go     the module zip of the candidate from the module proxy
           ($GOPROXY/<module>/@v/<version>.zip, members under <module>@<version>/)
    npm    the candidate's tarball, named by the packument (versions[v].dist.tarball, members
           under package/)
    pypi   the candidate's sdist (CHANGELOG/CHANGES/HISTORY/NEWS files), then its wheel (the long
           description in METADATA), both from the index's PEP 691 file list; then the
           changelog URL among the project URLs of their metadata (Changelog, Release notes …)
    all    the forge's releases API (``GET {api}/repos/{owner}/{repo}/releases``) when a token is
           configured and the repository is known (a module path, npm ``repository``, a project
           URL on the forge's host)

Registries are found exactly as the dependency scan finds them (each ecosystem's ``registry``
factory: GOPROXY, pip's index, ``.npmrc``, ``steward.toml``). The forge is configured by the
environment: ``GITHUB_TOKEN`` (never shown), ``GITHUB_API_URL`` (the API base; without it the forge
is not asked) and ``GITHUB_SERVER_URL`` (the web host whose repository URLs it serves), or by the
``[releasenotes]`` table of ``steward.toml`` (``forge_api``, ``forge_server``, ``token_env``).

Failures are data: a `NotesResult` always says where it looked (``searched``) and, when no notes
cover the candidate, why (``reason``), e.g. "no changelog in the module zip" or
"not checked: offline".
"""

from __future__ import annotations

import email.parser
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion as InvalidPep440
from packaging.version import Version

from steward.analysis.changelog import NotesSlice, notes_files, slice_notes, tag_version
from steward.config import Settings
from steward.ecosystems.gomod.registry import GoProxy, escape, match_prefix_patterns
from steward.ecosystems.gomod.registry import registry as go_registry
from steward.ecosystems.npm.registry import NpmRegistry, packument_url
from steward.ecosystems.npm.registry import registry as npm_registry
from steward.ecosystems.pypi.registry import pip_config_files, pip_index_url, resolve_url
from steward.model import NotChecked
from steward.sources.archives import ArchiveLimits, Extracted, InvalidArchive, read_archive
from steward.sources.http import HttpClient, HttpError, OfflineMiss, Response, redact
from steward.sources.registry import NotCheckedError, RegistryContext
from steward.versioning.gosemver import GoSemver
from steward.versioning.interface import Versioning
from steward.versioning.npm import NpmSemver
from steward.versioning.pep440 import PEP440

VERSIONINGS: Mapping[str, Versioning] = {"go": GoSemver(), "pypi": PEP440(), "npm": NpmSemver()}
DEFAULT_FORGE_SERVER = "https://github.com"
OFFLINE = "not checked: offline (the release notes are not in the cache)"
_SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
_NOTES_LABELS = re.compile(
    r"change\s*log|changes|release\s*notes|releases|history|what'?s\s*new|news", re.I
)
_REPOSITORY_LABELS = re.compile(r"source|repository|code|homepage|home|github", re.I)
#: ``https://host/o/r``, ``ssh://git@host/o/r.git``, ``git@host:o/r.git``, ``host/o/r/v2``.
_REPOSITORY_URL = re.compile(r"^(?:[a-z][\w+.-]*://)?(?:[^@/]+@)?([^/:@]+)(?::\d+)?[:/](.*)$", re.I)
_RELEASES_PER_PAGE = 100
_RELEASES_PAGES = 10


@dataclass(frozen=True, slots=True)
class NotesResult:
    """What a notes lookup gave: the slice (None when no document was read), where it looked, and
    why nothing (or nothing up to the candidate) was found; ``reason`` is None when the notes
    have an entry for the candidate."""

    slice: NotesSlice | None
    searched: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def found(self) -> bool:
        """True when some document had entries between the two versions."""
        return self.slice is not None and bool(self.slice.sections)


@dataclass(frozen=True, slots=True)
class ForgeSettings:
    """The forge's releases API: base URL, the web server it belongs to, and the token."""

    api: str | None = None
    server: str = DEFAULT_FORGE_SERVER
    token: str | None = field(default=None, repr=False)

    def repository(self, url: str) -> tuple[str, str] | None:
        """(owner, repo) of a repository URL on this forge's server (``git+…``, ``.git`` ok)."""
        found = _REPOSITORY_URL.match(url.strip().removeprefix("git+"))
        if found is None:
            return None
        host, path = found.groups()
        if host.lower() != (urlsplit(self.server).hostname or "").lower():
            return None
        segments = [s for s in path.split("/") if s]
        if len(segments) < 2:
            return None
        return segments[0], segments[1].removesuffix(".git")


def forge_settings(settings: Settings, env: Mapping[str, str]) -> ForgeSettings:
    """The forge configuration from ``[releasenotes]`` and the environment (which wins)."""
    table = settings.areas.get("releasenotes", {})
    token_env = str(table.get("token_env") or "GITHUB_TOKEN")
    api = env.get("GITHUB_API_URL") or table.get("forge_api")
    server = env.get("GITHUB_SERVER_URL") or table.get("forge_server") or DEFAULT_FORGE_SERVER
    token = env.get(token_env) or None
    return ForgeSettings(str(api).rstrip("/") if api else None, str(server), token)


@dataclass
class _Search:
    """The state of one lookup: what was read, where it looked, what went wrong."""

    current: str
    candidate: str
    versioning: Versioning
    best: NotesSlice | None = None
    searched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    offline_misses: int = 0
    failures: int = 0

    @property
    def done(self) -> bool:
        return self.best is not None and self.best.has_candidate

    def read(self, text: str, label: str) -> None:
        """Cut ``text`` (a document called ``label``) and keep it if it is the best so far."""
        found = slice_notes(text, self.current, self.candidate, self.versioning, filename=label)
        if found is None:
            self.problems.append(f"no version headings in {label}")
            return
        if self.best is None or _better(found, self.best):
            self.best = found

    def failed(self, error: Exception | str) -> None:
        self.failures += 1
        if isinstance(error, OfflineMiss):
            self.offline_misses += 1
        self.problems.append(str(error))

    def result(self) -> NotesResult:
        searched = tuple(self.searched)
        if self.done:
            return NotesResult(self.best, searched)
        if self.best is not None:
            return NotesResult(self.best, searched, _stops(self.best))
        if self.failures and self.failures == self.offline_misses:
            return NotesResult(None, searched, OFFLINE)
        reason = "; ".join(dict.fromkeys(self.problems)) or "no release notes found"
        return NotesResult(None, searched, f"no release notes found: {reason}")


def _better(found: NotesSlice, best: NotesSlice) -> bool:
    return (found.has_candidate, len(found.sections)) > (best.has_candidate, len(best.sections))


def _stops(best: NotesSlice) -> str:
    if not best.sections:
        return f"{best.source} has no entry after {best.current} (its newest is {best.newest})"
    return f"{best.source} stops at {best.newest}, before {best.candidate}"


class ReleaseNotes:
    """Release notes of packages, looked up through one `HttpClient` (see the module docstring)."""

    def __init__(
        self,
        http: HttpClient,
        settings: Settings,
        env: Mapping[str, str],
        *,
        root: Path | None = None,
        home: Path | None = None,
        limits: ArchiveLimits | None = None,
    ) -> None:
        self.http = http
        self.settings = settings
        self.env = env
        home = home or (Path(env["HOME"]) if env.get("HOME") else None)
        root = root or settings.base_dir
        self._context = RegistryContext(http, settings, root, env, home)
        self.forge = forge_settings(settings, env)
        self.limits = limits or ArchiveLimits()

    async def notes(
        self, ecosystem: str, package: str, current: str, candidate: str
    ) -> NotesResult:
        """The notes of ``package`` after ``current`` up to and including ``candidate``."""
        versioning = VERSIONINGS.get(ecosystem)
        if versioning is None:
            return NotesResult(
                None, (), f"not checked: release notes are not looked up for {ecosystem}"
            )
        bad = [v for v in (current, candidate) if not versioning.is_valid(v)]
        if bad:
            return NotesResult(
                None, (), f"not checked: {bad[0]!r} is not a {versioning.name} version"
            )
        search = _Search(current, candidate, versioning)
        repositories: list[str] = []
        lookup = {"go": self._go, "npm": self._npm, "pypi": self._pypi}[ecosystem]
        await lookup(search, package, repositories)
        if not search.done:
            await self._forge(search, package, repositories)
        return search.result()

    # --- Go --------------------------------------------------------------------------------------

    async def _go(self, search: _Search, module: str, repositories: list[str]) -> None:
        repositories.append("https://" + module)
        proxy = go_registry(self._context)
        if isinstance(proxy, NotChecked):
            search.failed(f"not checked: {proxy.reason}")
            return
        private = match_prefix_patterns(proxy.private, module) if proxy.private else None
        if private is not None:
            search.failed(
                f"not checked: private module ({proxy.private_variable} matches {private})"
            )
            return
        for base in _proxy_bases(proxy):
            try:
                url = f"{base}/{quote(escape(module), safe='/!@+-._~')}/@v/{escape(search.candidate)}.zip"
            except NotCheckedError as error:
                search.failed(error.reason)
                return
            data = await self._download(search, url, "the module zip")
            if data is not None:
                root = f"{module}@{search.candidate}/"
                self._read_archive(search, data, url, root, "the module zip")
                return

    # --- npm -------------------------------------------------------------------------------------

    async def _npm(self, search: _Search, name: str, repositories: list[str]) -> None:
        made = npm_registry(self._context)
        if isinstance(made, NotChecked):
            search.failed(f"not checked: {made.reason}")
            return
        assert isinstance(made, NpmRegistry)
        for base in _npm_bases(made, name):
            packument = await self._packument(search, made, base, name)
            if packument is None:
                continue
            version = _mapping(_mapping(packument.get("versions")).get(search.candidate))
            repositories.extend(_npm_repositories(version, packument))
            tarball = _mapping(version.get("dist")).get("tarball")
            if not isinstance(tarball, str) or not tarball:
                search.failed(f"the packument names no tarball for {name}@{search.candidate}")
                return
            headers = _authorization(made, tarball)
            data = await self._download(search, tarball, "the npm tarball", headers)
            if data is not None:
                self._read_archive(search, data, tarball, None, "the npm tarball")
            return

    async def _packument(
        self, search: _Search, made: NpmRegistry, base: str, name: str
    ) -> dict[str, Any] | None:
        url = packument_url(base, name)
        search.searched.append(f"the packument of {name} ({redact(url)})")
        headers = {"Accept": "application/json", **_authorization(made, base)}
        try:
            data = (await self.http.get(url, headers=headers)).json()
        except HttpError as error:
            search.failed(error)
            return None
        return data if isinstance(data, dict) else None

    # --- PyPI ------------------------------------------------------------------------------------

    async def _pypi(self, search: _Search, name: str, repositories: list[str]) -> None:
        indexes = self._pypi_indexes()
        if not indexes:
            search.failed("not checked: no registry configured for pypi")
            return
        for index in indexes:
            files = await self._pypi_files(search, index, name)
            if files is None:
                continue
            await self._pypi_artefacts(search, files, name, repositories)
            return

    def _pypi_indexes(self) -> list[str]:
        configured = self.settings.registry("pypi")
        primary = (
            self.env.get("PIP_INDEX_URL")
            or pip_index_url(pip_config_files(self.env, self._context.home))
            or configured.url
        )
        base = self.settings.base_dir
        return [resolve_url(u, base).rstrip("/") for u in (primary, configured.fallback) if u]

    async def _pypi_files(
        self, search: _Search, index: str, name: str
    ) -> list[tuple[str, str]] | None:
        project = canonicalize_name(name, validate=False)
        local = index.startswith("file:")
        url = f"{index}/{project}/index.json" if local else f"{index}/{project}/"
        search.searched.append(f"the file list of {name} ({redact(url)})")
        try:
            response = await self.http.get(url, headers={} if local else {"Accept": _SIMPLE_JSON})
            data = response.json()
        except HttpError as error:
            search.failed(error)
            return None
        return _pypi_links(data, response.url, project, search.candidate)

    async def _pypi_artefacts(
        self, search: _Search, files: list[tuple[str, str]], name: str, repositories: list[str]
    ) -> None:
        if not files:
            search.failed(f"the index lists no sdist or wheel of {name} {search.candidate}")
        project_urls: list[tuple[str, str]] = []
        for kind, url in files:
            data = await self._download(search, url, f"the {kind}")
            if data is not None:
                project_urls += self._read_python(search, data, url, kind)
            if search.done:
                return
        repositories.extend(u for label, u in project_urls if _REPOSITORY_LABELS.search(label))
        for label, url in project_urls:
            if _NOTES_LABELS.search(label) and not search.done:
                await self._notes_url(search, url, label)

    def _read_python(
        self, search: _Search, data: bytes, url: str, kind: str
    ) -> list[tuple[str, str]]:
        extracted = self._extract(search, data, url, f"the {kind}")
        if extracted is None:
            return []
        if kind == "sdist":
            root = _first_folder(extracted.names)
            self._read_notes_files(search, extracted, root, f"the sdist {_base(url)}")
        metadata = _metadata_member(extracted, kind)
        if metadata is None:
            return []
        description, project_urls = _read_metadata(metadata)
        if description.strip():
            search.read(description, f"the long description in {_base(url)}")
        return project_urls

    async def _notes_url(self, search: _Search, url: str, label: str) -> None:
        """Read a project URL labelled as release notes, when it serves text (not an HTML page)."""
        if urlsplit(url).scheme not in ("http", "https", "file"):
            return
        search.searched.append(f"the project URL {label!r} ({redact(url)})")
        try:
            response = await self.http.get(
                url, headers={"Accept": "text/markdown, text/plain, */*"}
            )
        except HttpError as error:
            search.failed(error)
            return
        if "html" in _content_type(response) or response.content.lstrip()[:1] == b"<":
            search.problems.append(f"{redact(url)} is an HTML page, not read")
            return
        search.read(_decode(response.content), f"{label} ({redact(url)})")

    # --- forge -----------------------------------------------------------------------------------

    async def _forge(self, search: _Search, package: str, repositories: list[str]) -> None:
        found = next((r for r in map(self.forge.repository, repositories) if r), None)
        if found is None:
            return
        owner, repo = found
        if self.forge.api is None or self.forge.token is None:
            missing = "GITHUB_API_URL" if self.forge.api is None else "a token"
            search.problems.append(
                f"the releases of {owner}/{repo} were not asked: no {missing} configured"
            )
            return
        url = f"{self.forge.api}/repos/{owner}/{repo}/releases"
        search.searched.append(f"the releases of {owner}/{repo} ({redact(url)})")
        releases = await self._releases(search, url)
        if releases:
            text = _releases_text(releases, search.versioning, package)
            search.read(text, f"the releases of {owner}/{repo}")

    async def _releases(self, search: _Search, url: str) -> list[dict[str, Any]]:
        headers = {
            "Authorization": f"Bearer {self.forge.token}",
            "Accept": "application/vnd.github+json",
        }
        releases: list[dict[str, Any]] = []
        for page in range(1, _RELEASES_PAGES + 1):
            try:
                batch = (
                    await self.http.get(
                        f"{url}?per_page={_RELEASES_PER_PAGE}&page={page}", headers=headers
                    )
                ).json()
            except HttpError as error:
                search.failed(error)
                break
            if not isinstance(batch, list):
                search.failed(f"{redact(url)}: expected a list of releases")
                break
            releases.extend(r for r in batch if isinstance(r, dict))
            if len(batch) < _RELEASES_PER_PAGE or _reaches(batch, search):
                break
        return releases

    # --- shared ----------------------------------------------------------------------------------

    async def _download(
        self, search: _Search, url: str, what: str, headers: Mapping[str, str] | None = None
    ) -> bytes | None:
        search.searched.append(f"{what} ({redact(url)})")
        try:
            return (await self.http.get(url, headers=headers)).content
        except HttpError as error:
            search.failed(error)
            return None

    def _extract(self, search: _Search, data: bytes, url: str, what: str) -> Extracted | None:
        wanted = _wanted_member
        try:
            extracted = read_archive(data, redact(url), wanted=wanted, limits=self.limits)
        except InvalidArchive as error:
            search.failed(f"{what}: {error}")
            return None
        for refused in extracted.refused:
            search.problems.append(f"{what}: {refused.name} refused: {refused.reason}")
        return extracted

    def _read_archive(
        self, search: _Search, data: bytes, url: str, root: str | None, what: str
    ) -> None:
        extracted = self._extract(search, data, url, what)
        if extracted is not None:
            self._read_notes_files(search, extracted, root or _first_folder(extracted.names), what)

    def _read_notes_files(
        self, search: _Search, extracted: Extracted, root: str, what: str
    ) -> None:
        names = notes_files([m.name for m in extracted.members], root)
        if not names:
            search.problems.append(f"no changelog in {what}")
        for name in names:
            member = extracted.member(name)
            if member is not None and not search.done:
                search.read(_decode(member.data), f"{name[len(root) :]} in {what}")


def _proxy_bases(proxy: GoProxy) -> list[str]:
    bases = [entry.url for entry in proxy.proxies if entry.url not in ("off", "direct")]
    return [*bases, *([proxy.fallback] if proxy.fallback else [])]


def _npm_bases(made: NpmRegistry, name: str) -> list[str]:
    scoped = made.config.scope_registry(name.split("/", 1)[0]) if name.startswith("@") else None
    first = scoped or made.primary
    return [b for b in (first, made.fallback) if b]


def _authorization(made: NpmRegistry, url: str) -> dict[str, str]:
    if url.startswith("file:"):
        return {}
    found = made.config.authorization(url)
    return {"Authorization": found} if found else {}


def _npm_repositories(version: Mapping[str, Any], packument: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for source in (version, packument):
        repository = source.get("repository")
        if isinstance(repository, dict):
            repository = repository.get("url")
        if isinstance(repository, str) and repository:
            found.append(repository)
        bugs = _mapping(source.get("bugs")).get("url")
        homepage = source.get("homepage")
        found.extend(u for u in (homepage, bugs) if isinstance(u, str) and u)
    return found


def _pypi_links(data: Any, page: str, project: str, candidate: str) -> list[tuple[str, str]]:
    """(kind, absolute URL) of the candidate's sdists, then wheels, from a PEP 691 page."""
    files = _mapping(data).get("files")
    wanted = Version(candidate)
    found: list[tuple[int, str, str]] = []
    for entry in files if isinstance(files, list) else []:
        filename, url = _mapping(entry).get("filename"), _mapping(entry).get("url")
        if not isinstance(filename, str) or not isinstance(url, str):
            continue
        kind = _python_kind(filename, project, wanted)
        if kind is not None:
            found.append((0 if kind == "sdist" else 1, kind, urljoin(page, url)))
    return [(kind, url) for _, kind, url in sorted(found)]


def _python_kind(filename: str, project: str, wanted: Version) -> str | None:
    try:
        if filename.endswith(".whl"):
            name, version, *_ = parse_wheel_filename(filename)
            kind = "wheel"
        else:
            name, version = parse_sdist_filename(filename)
            kind = "sdist"
    except (InvalidSdistFilename, InvalidWheelFilename, InvalidPep440):
        return None
    return kind if name == project and version == wanted else None


def _wanted_member(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return base in ("METADATA", "PKG-INFO") or bool(
        notes_files([name], name[: len(name) - len(base)])
    )


def _metadata_member(extracted: Extracted, kind: str) -> bytes | None:
    target = "METADATA" if kind == "wheel" else "PKG-INFO"
    members = sorted(
        (m for m in extracted.members if m.name.rsplit("/", 1)[-1] == target),
        key=lambda m: m.name.count("/"),
    )
    return members[0].data if members else None


def _read_metadata(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The long description and the (label, URL) project URLs of core metadata."""
    message = email.parser.HeaderParser().parsestr(_decode(data))
    body = message.get_payload()
    description = body if isinstance(body, str) and body.strip() else message.get("Description", "")
    urls = []
    for value in message.get_all("Project-URL") or []:
        label, _, url = str(value).partition(",")
        if url.strip():
            urls.append((label.strip(), url.strip()))
    homepage = message.get("Home-page")
    if homepage:
        urls.append(("Homepage", str(homepage).strip()))
    return str(description), urls


def _releases_text(releases: list[dict[str, Any]], versioning: Versioning, package: str) -> str:
    """Releases as one changelog: an underlined version heading, then the release's body."""
    parts = []
    for release in releases:
        if release.get("draft"):
            continue
        tag = release.get("tag_name")
        version = tag_version(tag, versioning, package) if isinstance(tag, str) else None
        if version is None:
            continue
        body = release.get("body") if isinstance(release.get("body"), str) else ""
        parts.append(f"{version}\n{'=' * max(3, len(version))}\n\n{body}\n")
    return "\n".join(parts)


def _reaches(batch: list[Any], search: _Search) -> bool:
    """True once a page holds a release at or below the current version (older ones not needed)."""
    low = search.versioning.sort_key(search.current)
    for release in batch:
        tag = _mapping(release).get("tag_name")
        version = tag_version(tag, search.versioning) if isinstance(tag, str) else None
        if version is not None and search.versioning.sort_key(version) <= low:
            return True
    return False


def _first_folder(names: tuple[str, ...] | list[str]) -> str:
    """The folder every member sits under (``package/``, ``name-1.0/``), or ""."""
    tops = {name.split("/", 1)[0] for name in names if "/" in name}
    return f"{tops.pop()}/" if len(tops) == 1 else ""


def _content_type(response: Response) -> str:
    return next((v for k, v in response.headers.items() if k.lower() == "content-type"), "").lower()


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _base(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1] or redact(url)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")
