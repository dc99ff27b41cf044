"""The one HTTP layer: every lookup goes through `HttpClient`.

Errors (all `HttpError`)::

    HttpError
    ├── NotFound          404 / 410, or a missing file under a file: URL
    ├── Unavailable       timeouts, connection errors, 429 and 5xx after the retries ran out
    ├── OfflineMiss       --offline and the answer is not in the cache
    └── MalformedResponse a body that is not what the protocol promises (e.g. broken JSON)

Messages never contain credentials: URLs are shown without their user-info part.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx


class HttpError(Exception):
    """Base of every error this layer raises; ``str()`` is safe to show a user."""


class NotFound(HttpError):
    pass


class Unavailable(HttpError):
    pass


class OfflineMiss(HttpError):
    pass


class MalformedResponse(HttpError):
    pass


def redact(url: str) -> str:
    """``url`` without user-info (``https://user:token@host`` → ``https://host``)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    from_cache: bool = False

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise MalformedResponse(f"malformed JSON from {redact(self.url)}: {error}") from error

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


@dataclass
class Stats:
    """Counts for the benchmark and for tests of the cache."""

    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    cache_hits: int = 0
    retries: int = 0
    files: int = 0


@dataclass
class HttpClient:
    """Async GETs with retries, a per-host limit, a disk cache and credentials.

    Use as ``async with HttpClient(...) as http: await http.get(url)``. ``file:`` URLs read the
    local file system, so a folder laid out like a registry works as one.
    """

    cache_dir: Path | None = None
    offline: bool = False
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    max_per_host: int = 16
    transport: httpx.AsyncBaseTransport | None = None
    stats: Stats = field(default_factory=Stats)
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)

    async def __aenter__(self) -> HttpClient:
        self._client = httpx.AsyncClient(timeout=self.timeout, transport=self.transport)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url``; raises `NotFound`, `Unavailable`, `OfflineMiss`."""
        if url.startswith("file:"):
            return await asyncio.to_thread(self._read_file, url)
        if self.offline:
            raise OfflineMiss(f"offline and not cached: {redact(url)}")
        assert self._client is not None, "use HttpClient as an async context manager"
        try:
            reply = await self._client.get(url, headers=dict(headers or {}))
        except httpx.HTTPError as error:
            raise Unavailable(f"{redact(url)}: {type(error).__name__}") from None
        self.stats.requests += 1
        if reply.status_code in (404, 410):
            raise NotFound(f"{redact(url)}: HTTP {reply.status_code}")
        if reply.status_code >= 400:
            raise Unavailable(f"{redact(url)}: HTTP {reply.status_code}")
        return Response(url, reply.status_code, dict(reply.headers), reply.content)

    def _read_file(self, url: str) -> Response:
        self.stats.files += 1
        path = Path(unquote(urlsplit(url).path))
        try:
            return Response(url, 200, {}, path.read_bytes())
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFound(f"{url}: no such file") from None
