"""npm registry lookups: a package's packument → `PackageInfo`.

Where lookups go, first match wins: ``.npmrc`` files and ``npm_config_*`` variables (see
`steward.ecosystems.npm.npmrc`); else ``npm config get registry`` when ``npm`` is on ``PATH``;
else ``[registries.npm] url`` in ``steward.toml`` (a scope's
registry applies to its packages only, so ``npm`` is still asked when no default is set). ``[registries.npm] fallback`` (often a
``file:`` folder of recorded packuments, relative to the settings file) answers when the primary
is unreachable or when nothing else is configured. Scoped packages honour ``@scope:registry``.

Over HTTP the packument is ``<registry>/<name>`` (``@scope%2fname`` for scoped names); in a
``file:`` folder it is the file ``<folder>/<name>`` (``<folder>/@scope/name``). The registry's
credential, if any, is sent as an ``Authorization`` header and never logged or shown.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from steward.ecosystems.npm.npmrc import InvalidNpmrc, NpmConfig, load
from steward.model import NotChecked, PackageInfo, Release
from steward.sources.http import (
    HttpClient,
    HttpError,
    MalformedResponse,
    NotFound,
    OfflineMiss,
    Unavailable,
    redact,
)
from steward.sources.registry import NotCheckedError, Registry, RegistryContext

ECOSYSTEM = "npm"
NOT_CONFIGURED = (
    "no registry configured (set registry in .npmrc or [registries.npm] in steward.toml)"
)
#: Seconds to wait for ``npm config get registry``.
NPM_CONFIG_TIMEOUT = 5.0


class NpmRegistry(Registry):
    """Packuments from an npm registry (or a folder of them), with a fallback when unreachable."""

    def __init__(
        self,
        http: HttpClient,
        primary: str | None,
        *,
        config: NpmConfig | None = None,
        fallback: str | None = None,
    ) -> None:
        self.http = http
        self.primary = primary
        self.config = config or NpmConfig()
        self.fallback = fallback
        self.source = redact(primary or fallback or "")

    async def fetch(self, name: str) -> PackageInfo:
        """Every release of ``name`` with its date and deprecation; raises `NotCheckedError`."""
        base = self._base_for(name)
        if base is not None:
            try:
                return await self._fetch_from(base, name)
            except _Unreachable as error:
                if self.fallback is None:
                    raise NotCheckedError(str(error)) from None
        if self.fallback is None:
            raise NotCheckedError(NOT_CONFIGURED)
        try:
            return await self._fetch_from(self.fallback, name)
        except _Unreachable as error:
            raise NotCheckedError(str(error)) from None

    def _base_for(self, name: str) -> str | None:
        if name.startswith("@"):
            scoped = self.config.scope_registry(name.split("/", 1)[0])
            if scoped:
                return scoped
        return self.primary

    async def _fetch_from(self, base: str, name: str) -> PackageInfo:
        url = packument_url(base, name)
        headers = {"Accept": "application/json"}
        authorization = None if base.startswith("file:") else self.config.authorization(base)
        if authorization:
            headers["Authorization"] = authorization
        try:
            response = await self.http.get(url, headers=headers)
            data = response.json()
        except NotFound:
            raise NotCheckedError(f"{name} not found in {redact(base)}") from None
        except (Unavailable, OfflineMiss) as error:
            raise _Unreachable(str(error)) from None
        except (MalformedResponse, HttpError) as error:
            raise NotCheckedError(str(error)) from None
        return read_packument(name, data, redact(base))


class _Unreachable(Exception):
    """The registry did not answer; the fallback may."""


def packument_url(base: str, name: str) -> str:
    """Where the packument of ``name`` lives under ``base`` (HTTP or ``file:``)."""
    root = base.rstrip("/")
    if base.startswith("file:"):
        return f"{root}/{name}"
    return f"{root}/{name.replace('/', '%2f')}"  # npm's own escaping of a scoped name


def read_packument(name: str, data: Any, source: str) -> PackageInfo:
    """A packument (full or trimmed) → `PackageInfo`; raises `NotCheckedError` if unusable."""
    if not isinstance(data, dict):
        raise NotCheckedError(
            f"{name}: the registry answered with something other than a packument"
        )
    times = _mapping(data.get("time"))
    if "unpublished" in times:
        raise NotCheckedError(f"{name} was unpublished from {source}")
    versions = _mapping(data.get("versions"))
    releases = tuple(_release(version, _mapping(meta), times) for version, meta in versions.items())
    latest = _mapping(data.get("dist-tags")).get("latest")
    latest = latest if isinstance(latest, str) else None
    deprecated = next((r.deprecated for r in releases if r.version == latest), None)
    return PackageInfo(
        ECOSYSTEM, name, releases, latest=latest, deprecated=deprecated, source=source
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _release(version: str, meta: dict[str, Any], times: dict[str, Any]) -> Release:
    deprecated = meta.get("deprecated")
    return Release(
        version=version,
        published=_timestamp(times.get(version)),
        deprecated=deprecated if isinstance(deprecated, str) and deprecated else None,
        metadata=_ranges(meta),
    )


def _ranges(meta: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """``engines.<name>`` and ``peerDependencies.<name>`` ranges of one version, sorted."""
    found = [
        (f"{table}.{name}", value)
        for table in ("engines", "peerDependencies")
        for name, value in _mapping(meta.get(table)).items()
        if isinstance(name, str) and isinstance(value, str)
    ]
    return tuple(sorted(found))


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def npm_config_registry(root: Path, env: Mapping[str, str]) -> str | None:
    """``npm config get registry`` run in ``root``, when ``npm`` is on ``env``'s ``PATH``."""
    search_path = env.get("PATH")
    npm = shutil.which("npm", path=search_path) if search_path else None
    if npm is None:
        return None
    try:
        done = subprocess.run(
            [npm, "config", "get", "registry"],
            cwd=root,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=NPM_CONFIG_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    answer = done.stdout.strip()
    return answer if done.returncode == 0 and urlsplit(answer).scheme in ("http", "https") else None


def resolve_fallback(url: str | None, base_dir: Path) -> str | None:
    """A ``file:`` URL relative to the settings folder → an absolute ``file:`` URL."""
    if url is None or not url.startswith("file:"):
        return url
    path = Path(url.removeprefix("file://").removeprefix("file:"))
    return (path if path.is_absolute() else (base_dir / path).resolve()).as_uri()


def registry(ctx: RegistryContext) -> Registry | NotChecked:
    """The npm registry for a scan, configured as the module docstring says."""
    try:
        config = load(ctx.root, ctx.env, ctx.home)
    except InvalidNpmrc as error:
        return NotChecked(str(error))
    settings = ctx.settings.registry(ECOSYSTEM)
    primary = config.default_registry
    if primary is None:
        primary = npm_config_registry(ctx.root, ctx.env) or settings.url
    fallback = resolve_fallback(settings.fallback, ctx.settings.base_dir)
    if primary is None and fallback is None and not config.names_a_registry():
        return NotChecked(NOT_CONFIGURED)
    return NpmRegistry(ctx.http, primary, config=config, fallback=fallback)
