"""The one HTTP layer: every lookup goes through `HttpClient`.

What one ``get`` does, in order::

    file: URL                          read the local file (no cache, no credentials)
    same URL + Accept asked before     share that request's outcome (one request per URL per client)
    cached and offline, or fresh       answer from the disk cache without a request (max_age)
    offline and not cached             OfflineMiss
    otherwise                          GET under the per-host limit, conditional when the cache holds
                                       validators (304 → the cached body); timeouts, connection
                                       errors, truncated bodies, 429 and 5xx are retried with
                                       exponential backoff and jitter, honouring Retry-After

Errors (all `HttpError`)::

    HttpError
    ├── NotFound          404 / 410, or a missing file under a file: URL
    ├── Unavailable       timeouts, connection errors, 429 and 5xx after the retries ran out;
    │                     401, 403 and every other 4xx at once
    ├── OfflineMiss       offline and the answer is not in the cache
    └── MalformedResponse a body that is not what the protocol promises (e.g. broken JSON)

Messages and log records never contain credentials: URLs are shown without their user-info part,
and request headers are never shown at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import json
import logging
import os
import random
import socket
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from steward.sources.credentials import Credentials, split_userinfo

_log = logging.getLogger("steward.http")

_NOT_FOUND = frozenset({404, 410})
_RETRYABLE = frozenset({429, 500, 502, 503, 504})
_UNSTORED_HEADERS = frozenset(
    {"set-cookie", "content-length", "content-encoding", "transfer-encoding", "connection"}
)


class HttpError(Exception):
    """Base of every error this layer raises; ``str()`` is safe to show a user."""


class NotFound(HttpError):
    """The server (or the file system, for ``file:``) says the resource does not exist."""


class Unavailable(HttpError):
    """No usable answer: the message says why ("timed out after 3 attempts", "forbidden …")."""


class OfflineMiss(HttpError):
    """Offline, and the cache holds no answer for the URL."""


class MalformedResponse(HttpError):
    """A body that is not what the protocol promises (e.g. broken JSON)."""


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
    """A successful answer: the final URL (after redirects), status, headers and body."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    from_cache: bool = False

    def json(self) -> Any:
        """The body parsed as JSON; raises `MalformedResponse` when it is not JSON."""
        try:
            return json.loads(self.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise MalformedResponse(f"malformed JSON from {redact(self.url)}: {error}") from error

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.content.decode("utf-8", errors="replace")


@dataclass
class Stats:
    """Counts for the benchmark and for tests of the cache.

    ``requests`` counts every request sent (each retry too), ``conditional`` the GETs sent with
    validators, ``not_modified`` the 304 answers among them, ``cache_hits`` the answers served from
    the cache without any request (offline or younger than ``max_age``), ``retries`` the repeated
    attempts, ``files`` the ``file:`` reads and ``coalesced`` the GETs that shared an earlier one.
    """

    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    cache_hits: int = 0
    retries: int = 0
    files: int = 0
    coalesced: int = 0


@dataclass(frozen=True)
class _Failure:
    """A retryable attempt: why, and how long the server asked us to wait (if it did)."""

    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class _Entry:
    """One cached answer, as stored on disk."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched: float

    def conditions(self) -> dict[str, str]:
        """The conditional-request headers this entry's validators allow (maybe none)."""
        found = {"If-None-Match": "etag", "If-Modified-Since": "last-modified"}
        return {name: self.headers[key] for name, key in found.items() if key in self.headers}

    def response(self) -> Response:
        """This entry as a `Response` marked ``from_cache``."""
        headers = httpx.Headers(dict(self.headers))
        return Response(self.url, self.status, headers, self.content, from_cache=True)

    def refreshed(self, headers: httpx.Headers) -> _Entry:
        """This entry confirmed by a 304 now, with the validators the 304 carried."""
        fresh = {key: headers[key] for key in ("etag", "last-modified") if key in headers}
        return replace(self, headers={**self.headers, **fresh}, fetched=time.time())


@dataclass
class HttpClient:
    """Async GETs with retries, a per-host limit, coalescing, a disk cache and credentials.

    Use as ``async with HttpClient(...) as http: await http.get(url)``. ``file:`` URLs read the
    local file system, so a folder laid out like a registry works as one.

    ``retries`` is the number of attempts a GET gets in all (1: no retry); waits grow from
    ``backoff`` seconds, doubled each time, with jitter, and never exceed ``max_wait`` (a
    ``Retry-After`` longer than that ends the retries at once). ``cache_dir`` enables the disk cache;
    an entry younger than ``max_age`` seconds is used without a request. ``credentials`` supply an
    ``Authorization`` header to requests that do not carry one.
    """

    cache_dir: Path | None = None
    offline: bool = False
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    max_per_host: int = 16
    transport: httpx.AsyncBaseTransport | None = None
    stats: Stats = field(default_factory=Stats)
    max_wait: float = 30.0
    max_age: float = 0.0
    credentials: Credentials | None = None
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    _shared: dict[str, asyncio.Future[Response]] = field(
        default_factory=dict, init=False, repr=False
    )
    _limits: dict[str, asyncio.Semaphore] = field(default_factory=dict, init=False, repr=False)

    async def __aenter__(self) -> HttpClient:
        timeout = httpx.Timeout(self.timeout, pool=None)
        self._client = httpx.AsyncClient(
            timeout=timeout, transport=self.transport, follow_redirects=True
        )
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
        """GET ``url``; raises `NotFound`, `Unavailable`, `OfflineMiss`.

        Concurrent and repeated calls for the same URL and ``Accept`` header share one request and
        its outcome for the life of this client. User-info in ``url`` is sent as a Basic header.
        """
        if url.startswith("file:"):
            return await asyncio.to_thread(self._read_file, url)
        url, sent = self._authorise(url, headers)
        key = _key(url, sent)
        shared = self._shared.get(key)
        if shared is None:
            shared = self._shared[key] = asyncio.ensure_future(self._fetch(url, sent, key))
        else:
            self.stats.coalesced += 1
        return await asyncio.shield(shared)

    def _authorise(self, url: str, headers: Mapping[str, str] | None) -> tuple[str, dict[str, str]]:
        """``url`` without user-info, and the headers to send with an ``Authorization`` added."""
        bare, embedded = split_userinfo(url)
        sent = dict(headers or {})
        if any(name.lower() == "authorization" for name in sent):
            return bare, sent
        found = embedded
        if found is None and self.credentials is not None:
            found = self.credentials.authorization(bare)
        return bare, sent if found is None else {**sent, "Authorization": found}

    async def _fetch(self, url: str, headers: dict[str, str], key: str) -> Response:
        entry = await self._load(key)
        if entry is not None and (self.offline or time.time() - entry.fetched < self.max_age):
            self.stats.cache_hits += 1
            _log.debug("GET %s: from the cache", redact(url))
            return entry.response()
        if self.offline:
            raise OfflineMiss(f"{redact(url)}: not in the cache (offline)")
        conditions = entry.conditions() if entry is not None else {}
        if conditions:
            self.stats.conditional += 1
        reply = await self._send(url, {**headers, **conditions})
        return await self._accept(url, key, reply, entry)

    async def _accept(
        self, url: str, key: str, reply: httpx.Response, entry: _Entry | None
    ) -> Response:
        """The answer to return for a final ``reply``; stores it or refreshes ``entry``."""
        if reply.status_code == 304 and entry is not None:
            self.stats.not_modified += 1
            _log.debug("GET %s: not modified, served from the cache", redact(url))
            entry = entry.refreshed(reply.headers)
            await self._store(key, entry)
            return entry.response()
        _raise_for_status(url, reply)
        response = Response(str(reply.url), reply.status_code, reply.headers, reply.content)
        if reply.status_code == 200:
            await self._store(key, _entry_of(response))
        return response

    async def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """GET ``url``, retrying failures; raises `Unavailable` when the retries run out."""
        attempts = max(1, self.retries)
        for attempt in range(1, attempts):
            outcome = await self._attempt(url, headers, attempt)
            if isinstance(outcome, httpx.Response):
                return outcome
            await self._pause(url, outcome, attempt)
        last = await self._attempt(url, headers, attempts)
        if isinstance(last, httpx.Response):
            return last
        plural = "s" if attempts > 1 else ""
        raise Unavailable(f"{redact(url)}: {last.reason} after {attempts} attempt{plural}")

    async def _attempt(
        self, url: str, headers: dict[str, str], attempt: int
    ) -> httpx.Response | _Failure:
        """One request under the host's limit: a final reply, or a `_Failure` worth retrying."""
        assert self._client is not None, "use HttpClient as an async context manager"
        async with self._limit(url):
            self.stats.requests += 1
            try:
                reply = await self._client.get(url, headers=headers)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.TooManyRedirects) as error:
                raise Unavailable(f"{redact(url)}: {_describe(error)}") from None
            except (httpx.TransportError, httpx.DecodingError) as error:
                _log.debug("GET %s: %s (attempt %d)", redact(url), _describe(error), attempt)
                return _Failure(_describe(error))
        _log.debug("GET %s: HTTP %d (attempt %d)", redact(url), reply.status_code, attempt)
        if reply.status_code in _RETRYABLE:
            reason = f"HTTP {reply.status_code} {reply.reason_phrase}"
            return _Failure(reason, _retry_after(reply.headers.get("retry-after")))
        return reply

    async def _pause(self, url: str, failure: _Failure, attempt: int) -> None:
        """Wait before attempt ``attempt + 1``; raises `Unavailable` if the server asks too much."""
        wait = failure.retry_after
        if wait is None:
            wait = min(self.max_wait, self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1))
        elif wait > self.max_wait:
            asked = f"the server asks to retry after {wait:.0f} s"
            raise Unavailable(f"{redact(url)}: {failure.reason}; {asked}")
        self.stats.retries += 1
        _log.debug("GET %s: retrying in %.2f s", redact(url), wait)
        await asyncio.sleep(wait)

    def _limit(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        if host not in self._limits:
            self._limits[host] = asyncio.Semaphore(max(1, self.max_per_host))
        return self._limits[host]

    async def _load(self, key: str) -> _Entry | None:
        if self.cache_dir is None:
            return None
        return await asyncio.to_thread(_read_entry, _entry_path(self.cache_dir, key))

    async def _store(self, key: str, entry: _Entry) -> None:
        if self.cache_dir is None:
            return
        try:
            await asyncio.to_thread(_write_entry, _entry_path(self.cache_dir, key), entry)
        except OSError as error:
            _log.warning("cannot write the HTTP cache under %s: %s", self.cache_dir, error)

    def _read_file(self, url: str) -> Response:
        self.stats.files += 1
        path = Path(unquote(urlsplit(url).path))
        try:
            return Response(url, 200, {}, path.read_bytes())
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFound(f"{url}: no such file") from None


def _key(url: str, headers: Mapping[str, str]) -> str:
    """The cache and sharing key: sha256 of method, URL (no user-info) and Accept."""
    accept = next((value for name, value in headers.items() if name.lower() == "accept"), "")
    return hashlib.sha256(f"GET {url}\n{accept}".encode()).hexdigest()


def _raise_for_status(url: str, reply: httpx.Response) -> None:
    """Raise `NotFound` for 404/410 and `Unavailable` for every other error status."""
    code = reply.status_code
    if code in _NOT_FOUND:
        raise NotFound(f"{redact(url)}: HTTP {code} {reply.reason_phrase}")
    if code == 401:
        raise Unavailable(f"{redact(url)}: authentication required (HTTP 401)")
    if code == 403:
        raise Unavailable(f"{redact(url)}: forbidden (HTTP 403)")
    if code >= 400:
        raise Unavailable(f"{redact(url)}: HTTP {code} {reply.reason_phrase}")


def _describe(error: Exception) -> str:
    """Why a request failed, in words a user understands (never the URL or a header)."""
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return _connect_failure(error)
    if isinstance(error, httpx.RemoteProtocolError):
        return "the connection closed before the whole response arrived"
    if isinstance(error, httpx.DecodingError):
        return "the response body could not be decoded"
    if isinstance(error, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "not a URL this client can fetch"
    return f"network error ({type(error).__name__})"


def _connect_failure(error: BaseException) -> str:
    """ "connection refused", "host not found" or "could not connect", from the causes."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror):
            return "host not found"
        seen = seen.__cause__ or seen.__context__
    return "could not connect"


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delay-seconds or an HTTP date), if valid."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _entry_of(response: Response) -> _Entry:
    headers = {
        k.lower(): v for k, v in response.headers.items() if k.lower() not in _UNSTORED_HEADERS
    }
    return _Entry(response.url, response.status, headers, response.content, time.time())


def _entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / key


def _read_entry(path: Path) -> _Entry | None:
    """The entry stored at ``path``: a JSON metadata line, then the body; ``None`` if unusable."""
    try:
        meta_line, _, body = path.read_bytes().partition(b"\n")
        meta = json.loads(meta_line)
        return _Entry(meta["url"], meta["status"], meta["headers"], body, meta["fetched"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        _log.debug("ignoring the unreadable cache entry %s: %s", path, type(error).__name__)
        return None


def _write_entry(path: Path, entry: _Entry) -> None:
    """Store ``entry`` at ``path`` atomically (a temporary file, then ``os.replace``)."""
    meta = {
        "url": entry.url,
        "status": entry.status,
        "fetched": entry.fetched,
        "etag": entry.headers.get("etag"),
        "last_modified": entry.headers.get("last-modified"),
        "headers": dict(entry.headers),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(json.dumps(meta).encode() + b"\n" + entry.content)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
