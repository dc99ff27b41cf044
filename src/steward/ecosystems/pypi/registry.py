"""`PyPIRegistry`: versions and release dates from a Python package index.

Protocol: PEP 691 Simple JSON (``Accept: application/vnd.pypi.simple.v1+json``) at
``<index-url>/<normalized-name>/``, read with PEP 700's ``versions`` and per-file ``upload-time``
and ``yanked``. An index answering PEP 503 HTML is read too. When the answer carries no upload
times, the legacy JSON API at ``<index scheme+host>/pypi/<name>/json`` supplies the dates (if that
fails, the versions are kept without dates). A ``file:`` index is a folder holding
``<normalized-name>/index.json`` (PEP 691 JSON), as ``scripts/record_pypi.py`` writes it.

Which index (`registry`): ``PIP_INDEX_URL``; else ``index-url`` from pip's configuration files
(``PIP_CONFIG_FILE``, then the user's, then the system's; ``[install]`` before ``[global]``); else
``[registries.pypi].url``. ``[registries.pypi].fallback`` is tried when that index is unreachable
or none is configured. Credentials in an index URL's user-info are sent, never shown: ``source``
and every message carry the URL without them.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from steward.ecosystems.pypi._common import redact
from steward.ecosystems.pypi._simple import (
    has_upload_times,
    html_page,
    legacy_releases,
    project_status,
    simple_releases,
    with_dates,
)
from steward.model import NotChecked, PackageInfo, Release
from steward.sources.http import HttpClient, HttpError, MalformedResponse, NotFound, Response
from steward.sources.registry import NotCheckedError, Registry, RegistryContext

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
_ACCEPT = f"{SIMPLE_JSON}, text/html;q=0.1"
NO_REGISTRY = "no registry configured (set PIP_INDEX_URL, pip's index-url or [registries.pypi] in steward.toml)"


class PyPIRegistry(Registry):
    """A package index (and an optional fallback index tried when the first is unreachable)."""

    def __init__(self, http: HttpClient, index_url: str | None, fallback: str | None = None):
        self._http = http
        self._indexes = tuple(url.rstrip("/") for url in (index_url, fallback) if url)
        if not self._indexes:
            raise ValueError("PyPIRegistry needs an index URL or a fallback")
        self.source = redact(self._indexes[0])

    @property
    def indexes(self) -> tuple[str, ...]:
        """The index URLs in the order they are tried (credentials included: never show them)."""
        return self._indexes

    async def fetch(self, name: str) -> PackageInfo:
        """Every release of ``name``, from the first index that answers."""
        project = canonicalize_name(name, validate=False)
        failures = []
        for index in self._indexes:
            try:
                return await self._fetch_from(index, name, project)
            except NotFound:
                raise NotCheckedError(f"not found in {redact(index)}") from None
            except MalformedResponse as error:
                raise NotCheckedError(str(error)) from None
            except HttpError as error:
                failures.append(str(error))
        raise NotCheckedError("registry unavailable: " + "; ".join(failures))

    async def _fetch_from(self, index: str, name: str, project: str) -> PackageInfo:
        if index.startswith("file:"):
            data = _json_object(await self._http.get(f"{index}/{project}/index.json"))
        else:
            data = _page(await self._http.get(f"{index}/{project}/", headers={"Accept": _ACCEPT}))
        releases = simple_releases(data, project)
        if releases and not index.startswith("file:") and not has_upload_times(data):
            releases = with_dates(releases, await self._legacy(index, project))
        return PackageInfo(
            ecosystem="pypi",
            name=name,
            releases=releases,
            deprecated=project_status(data),
            source=redact(index),
        )

    async def _legacy(self, index: str, project: str) -> tuple[Release, ...]:
        parts = urlsplit(index)
        url = urlunsplit((parts.scheme, parts.netloc, f"/pypi/{project}/json", "", ""))
        try:
            return legacy_releases(_json_object(await self._http.get(url)))
        except HttpError:
            return ()


def _json_object(response: Response) -> dict[str, Any]:
    data = response.json()
    if not isinstance(data, dict):
        raise MalformedResponse(f"{redact(response.url)}: expected a JSON object")
    return data


def _page(response: Response) -> dict[str, Any]:
    content_type = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "")
    if "html" in content_type.lower():
        return html_page(response.text)
    return _json_object(response)


def pip_config_files(
    env: Mapping[str, str], home: Path | None, system: Sequence[Path] | None = None
) -> list[Path]:
    """pip's configuration files, the one that wins first (as pip reads them, without site files).

    ``system`` replaces the system-wide locations (for tests); by default they are
    ``$XDG_CONFIG_DIRS/pip/pip.conf`` and ``/etc/pip.conf`` (Windows: ``%PROGRAMDATA%``).
    """
    named = env.get("PIP_CONFIG_FILE")
    if named == os.devnull:
        return []
    files = [Path(named)] if named else []
    if not (named and Path(named).exists()):
        files.extend(_user_files(env, home))
    files.extend(_system_files(env) if system is None else system)
    return files


def _user_files(env: Mapping[str, str], home: Path | None) -> list[Path]:
    if sys.platform == "win32":
        appdata = env.get("APPDATA")
        legacy = [home / "pip" / "pip.ini"] if home else []
        return ([Path(appdata) / "pip" / "pip.ini"] if appdata else []) + legacy
    if home is None:
        return []
    config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    files = [config / "pip" / "pip.conf", home / ".pip" / "pip.conf"]
    if sys.platform == "darwin":
        files.insert(0, home / "Library" / "Application Support" / "pip" / "pip.conf")
    return files


def _system_files(env: Mapping[str, str]) -> list[Path]:
    if sys.platform == "win32":
        return [Path(env.get("PROGRAMDATA", "C:\\ProgramData")) / "pip" / "pip.ini"]
    dirs = (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(os.pathsep)
    return [Path("/etc/pip.conf"), *(Path(d) / "pip" / "pip.conf" for d in reversed(dirs))]


def pip_index_url(files: Sequence[Path]) -> str | None:
    """``index-url`` from the first file that sets it, ``[install]`` before ``[global]``."""
    for path in files:
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        for section in ("install", "global"):
            for key in ("index-url", "index_url"):
                if parser.has_option(section, key):
                    return parser.get(section, key).strip()
    return None


def resolve_url(url: str, base_dir: Path) -> str:
    """A configured URL with ``file:`` paths (or bare paths) made absolute against ``base_dir``."""
    if "://" in url:
        return url
    path = Path(url.removeprefix("file:"))
    return (path if path.is_absolute() else base_dir / path).resolve().as_uri()


def registry(
    ctx: RegistryContext, *, system: Sequence[Path] | None = None
) -> Registry | NotChecked:
    """The index this environment points pip at (see the module docstring), or NotChecked."""
    configured = ctx.settings.registry("pypi")
    home = ctx.home or (Path(ctx.env["HOME"]) if ctx.env.get("HOME") else None)
    primary = (
        ctx.env.get("PIP_INDEX_URL")
        or pip_index_url(pip_config_files(ctx.env, home, system))
        or configured.url
    )
    fallback = configured.fallback
    if not primary and not fallback:
        return NotChecked(NO_REGISTRY)
    base = ctx.settings.base_dir
    return PyPIRegistry(
        ctx.http,
        resolve_url(primary, base) if primary else None,
        resolve_url(fallback, base) if fallback else None,
    )
