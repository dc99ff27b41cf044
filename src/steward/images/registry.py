"""An OCI distribution client: tags, manifests, digests and blobs from any v2 registry.

What it speaks (the distribution spec, as Docker Hub, GHCR, ECR and the CNCF registry serve it)::

    GET  /v2/                               probe once per registry: 200 → no auth needed,
                                            401 + WWW-Authenticate → Basic or Bearer
    GET  <realm>?service=…&scope=repository:<name>:pull
                                            Bearer token (with Basic credentials from
                                            ~/.docker/config.json when it has the host)
    GET  /v2/<name>/tags/list?n=…           every page: Link rel="next", else n/last
    HEAD /v2/<name>/manifests/<ref>         digest (Docker-Content-Digest) and media type,
                                            with the full OCI + Docker Accept list
    GET  /v2/<name>/manifests/<ref>         the manifest or index itself (digest = sha256 of
                                            the body when the header is missing)
    GET  /v2/<name>/blobs/<digest>          config (cached) and layers (`layer`: streamed,
                                            never cached, capped at a byte limit, verified)

Errors (all `RegistryError`, messages free of credentials)::

    RegistryError
    ├── RegistryUnavailable   the registry could not answer (network, 5xx, 401/403 after auth)
    ├── ImageNotFound         no such repository, tag or digest
    ├── BlobTooLarge          a layer larger than the caller's limit (refused unread)
    └── InvalidManifest       a manifest that is not JSON or not a manifest (ValueError too)

GETs go through `steward.sources.http.HttpClient` (retries, per-host limit, disk cache);
`OciHttp` adds the HEAD and the raw probe the token flow needs.

A ``file:`` base URL is a registry laid out on disk, the way a ``file://`` GOPROXY is: the
same paths hold what a registry would answer, and no probe, token or HEAD is sent::

    <base>/v2/<name>/tags/list              the JSON of GET tags/list (one page, no query)
    <base>/v2/<name>/manifests/<ref>        the manifest or index bytes, byte for byte, for a
                                            tag and for ``sha256:<hex>``; the digest is the
                                            sha256 of those bytes
    <base>/v2/<name>/manifests/<ref>.type   the media type (optional; else the body's
                                            ``mediaType``)
    <base>/v2/<name>/blobs/sha256:<hex>     configs and layers

A missing file is `ImageNotFound`, a tags/list that is not JSON `InvalidManifest`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

from steward.images.auth import DockerAuths, parse_challenge
from steward.sources.credentials import basic
from steward.sources.http import HttpClient, HttpError, NotFound, Response, Unavailable, redact

INDEX_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
MANIFEST_TYPES = (
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
LEGACY_TYPES = (
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    "application/vnd.docker.distribution.manifest.v1+json",
)
ACCEPT = ", ".join((*INDEX_TYPES, *MANIFEST_TYPES, *LEGACY_TYPES))
PAGE_SIZE = 1000


class RegistryError(Exception):
    """Base of every error this client raises; ``str()`` is safe to show."""


class RegistryUnavailable(RegistryError):
    """The registry did not give a usable answer."""


class ImageNotFound(RegistryError):
    """The repository, tag or digest does not exist."""


class InvalidManifest(RegistryError, ValueError):
    """A manifest body that is not a manifest."""


class BlobTooLarge(RegistryError):
    """A blob larger than the caller accepts (by its descriptor, or by the bytes sent)."""


@dataclass(frozen=True)
class Platform:
    """``os/architecture[/variant]`` of one manifest in an index."""

    os: str
    architecture: str
    variant: str = ""

    def __str__(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)


@dataclass(frozen=True)
class Descriptor:
    """A content descriptor: media type, digest, size and (in an index) the platform."""

    media_type: str
    digest: str
    size: int = 0
    platform: Platform | None = None


@dataclass(frozen=True)
class Manifest:
    """A manifest or an index, with its digest; ``manifests`` for an index, ``layers`` and
    ``config`` for an image manifest."""

    digest: str
    media_type: str
    manifests: tuple[Descriptor, ...] = ()
    layers: tuple[Descriptor, ...] = ()
    config: Descriptor | None = None

    @property
    def is_index(self) -> bool:
        """True for an OCI index or a Docker manifest list."""
        return self.media_type in INDEX_TYPES or bool(self.manifests)

    def for_platform(self, platform: Platform) -> Descriptor | None:
        """The index entry for ``platform`` (variant ignored when the entry has none)."""
        for entry in self.manifests:
            p = entry.platform
            same = p is not None and (p.os, p.architecture) == (platform.os, platform.architecture)
            if same and (
                not platform.variant or not p or not p.variant or p.variant == platform.variant
            ):
                return entry
        return None


def parse_manifest(body: bytes, digest: str, media_type: str = "") -> Manifest:
    """A manifest body → `Manifest`; raises `InvalidManifest`."""
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidManifest(f"manifest {digest}: not JSON ({error})") from error
    if not isinstance(document, dict):
        raise InvalidManifest(f"manifest {digest}: not a JSON object")
    kind = document.get("mediaType") or media_type
    try:
        manifests = tuple(_descriptor(d) for d in document.get("manifests", []))
        layers = tuple(_descriptor(d) for d in document.get("layers", []))
        config = _descriptor(document["config"]) if "config" in document else None
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise InvalidManifest(f"manifest {digest}: malformed descriptor ({error})") from error
    return Manifest(digest, str(kind), manifests, layers, config)


def _descriptor(value: object) -> Descriptor:
    if not isinstance(value, dict):
        raise TypeError(f"a descriptor is a {type(value).__name__}, not an object")
    platform = value.get("platform")
    found = None
    if isinstance(platform, dict):
        found = Platform(
            str(platform["os"]), str(platform["architecture"]), str(platform.get("variant", ""))
        )
    return Descriptor(
        str(value.get("mediaType", "")), str(value["digest"]), int(value.get("size", 0)), found
    )


def sha256_digest(body: bytes) -> str:
    """``sha256:<hex>`` of ``body``."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


@dataclass
class OciHttp(HttpClient):
    """`HttpClient` plus the two requests a registry needs beyond cached GETs: ``head`` and the
    uncached ``probe`` whose 401 headers start the token flow."""

    async def head(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        """HEAD ``url`` with retries; raises `NotFound` or `Unavailable` like ``get``."""
        reply = await self._raw("HEAD", url, headers or {})
        if reply.status_code in (404, 410):
            raise NotFound(f"{redact(url)}: HTTP {reply.status_code}")
        if reply.status_code >= 400:
            raise Unavailable(f"{redact(url)}: HTTP {reply.status_code} {reply.reason_phrase}")
        return Response(str(reply.url), reply.status_code, reply.headers, b"")

    async def probe(self, url: str, headers: Mapping[str, str] | None = None) -> httpx.Response:
        """GET ``url`` without the cache and without raising on 401: the reply as it came.

        Used for the ``/v2/`` challenge and for tokens, which must never reach the disk cache.
        """
        return await self._raw("GET", url, headers or {})

    async def download(self, url: str, headers: Mapping[str, str], max_bytes: int) -> bytes:
        """GET a large body without the disk cache, refused past ``max_bytes``; retried like
        ``get`` on connection errors, 429 and 5xx. Raises `BlobTooLarge` or an `HttpError`."""
        if self.offline:
            from steward.sources.http import OfflineMiss

            raise OfflineMiss(f"{redact(url)}: not fetched (offline)")
        last = "no attempt"
        for attempt in range(max(1, self.retries)):
            async with self._limit(url):
                self.stats.requests += 1
                try:
                    body = await self._stream(url, headers, max_bytes)
                except httpx.TransportError as error:
                    last = type(error).__name__
                    body = None
            if isinstance(body, bytes):
                return body
            last = body or last
            await asyncio.sleep(self.backoff * 2**attempt)
        raise Unavailable(f"{redact(url)}: {last} after {max(1, self.retries)} attempts")

    async def _stream(self, url: str, headers: Mapping[str, str], max_bytes: int) -> bytes | str:
        """The body, or the reason worth a retry (``HTTP 503``)."""
        assert self._client is not None, "use OciHttp as an async context manager"
        async with self._client.stream("GET", url, headers=dict(headers)) as reply:
            if reply.status_code in (429, 500, 502, 503, 504):
                return f"HTTP {reply.status_code}"
            if reply.status_code in (404, 410):
                raise NotFound(f"{redact(url)}: HTTP {reply.status_code}")
            if reply.status_code >= 400:
                raise Unavailable(f"{redact(url)}: HTTP {reply.status_code} {reply.reason_phrase}")
            chunks, size = [], 0
            async for chunk in reply.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise BlobTooLarge(f"{redact(url)}: more than {max_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks)

    async def _raw(self, method: str, url: str, headers: Mapping[str, str]) -> httpx.Response:
        if self.offline:
            from steward.sources.http import OfflineMiss

            raise OfflineMiss(f"{redact(url)}: not in the cache (offline)")
        assert self._client is not None, "use OciHttp as an async context manager"
        last = "no attempt"
        for attempt in range(max(1, self.retries)):
            async with self._limit(url):
                self.stats.requests += 1
                try:
                    reply = await self._client.request(method, url, headers=dict(headers))
                except httpx.TransportError as error:
                    last = type(error).__name__
                    await asyncio.sleep(self.backoff * 2**attempt)
                    continue
            if reply.status_code not in (429, 500, 502, 503, 504):
                return reply
            last = f"HTTP {reply.status_code}"
            await asyncio.sleep(self.backoff * 2**attempt)
        raise Unavailable(f"{redact(url)}: {last} after {max(1, self.retries)} attempts")


@dataclass
class OciRegistry:
    """One registry at ``base_url`` (``https://host`` or a mirror); ``host`` names it for the
    credentials in ``auths``."""

    http: OciHttp
    base_url: str
    auths: DockerAuths = field(default_factory=DockerAuths)
    page_size: int = PAGE_SIZE
    _challenge: asyncio.Future[tuple[str, dict[str, str]] | None] | None = field(
        default=None, init=False
    )
    _tokens: dict[str, asyncio.Future[str]] = field(default_factory=dict, init=False)

    @property
    def host(self) -> str:
        """``host[:port]`` of the base URL."""
        return urlsplit(self.base_url).netloc

    @property
    def on_disk(self) -> bool:
        """True for a ``file:`` base URL: a registry laid out on disk (see the module)."""
        return self.base_url.startswith("file:")

    async def tags(self, repository: str) -> list[str]:
        """Every tag of ``repository``, all pages followed, in the registry's order."""
        url: str | None = f"{self.base_url}/v2/{repository}/tags/list"
        if not self.on_disk:
            url = f"{url}?n={self.page_size}"
        found: list[str] = []
        seen: set[str] = set()
        while url is not None and url not in seen:
            seen.add(url)
            reply = await self._get(repository, url)
            page = _tag_page(reply, url)
            found.extend(page)
            url = self._next_page(reply, repository, page)
        return found

    def _next_page(self, reply: Response, repository: str, page: list[str]) -> str | None:
        if self.on_disk:
            return None
        link = reply.headers.get("link") or reply.headers.get("Link")
        if link and 'rel="next"' in link:
            target = urljoin(self.base_url + "/", link.split(";", 1)[0].strip().strip("<>"))
            # Our token goes with the request: never follow a next page to another origin.
            if _origin(target) != _origin(self.base_url):
                raise RegistryError(
                    f"{repository}: the registry's next page is on another host ({_origin(target)})"
                )
            return target
        if len(page) >= PAGE_SIZE:
            return f"{self.base_url}/v2/{repository}/tags/list?" + urlencode(
                {"n": PAGE_SIZE, "last": page[-1]}
            )
        return None

    async def resolve(self, repository: str, reference: str) -> Descriptor:
        """The digest and media type ``reference`` (a tag or digest) points at, by HEAD."""
        if self.on_disk:
            return await self._resolve_file(repository, reference)
        url = f"{self.base_url}/v2/{repository}/manifests/{reference}"
        headers = {"Accept": ACCEPT, **await self._auth(repository)}
        try:
            reply = await self.http.head(url, headers=headers)
        except HttpError as error:
            raise _translate(error, f"{repository}:{reference}") from None
        digest = reply.headers.get("docker-content-digest")
        media_type = reply.headers.get("content-type", "").split(";")[0]
        if not digest:
            manifest = await self.manifest(repository, reference)
            return Descriptor(manifest.media_type, manifest.digest)
        return Descriptor(media_type, digest, int(reply.headers.get("content-length", 0) or 0))

    async def manifest(self, repository: str, reference: str) -> Manifest:
        """The manifest or index at ``reference``; its digest checked when asked by digest."""
        url = f"{self.base_url}/v2/{repository}/manifests/{reference}"
        reply = await self._get(repository, url, {"Accept": ACCEPT})
        digest = sha256_digest(reply.content)
        if reference.startswith("sha256:") and digest != reference:
            raise InvalidManifest(f"{repository}@{reference}: the body's digest is {digest}")
        header = reply.headers.get("docker-content-digest")
        media_type = reply.headers.get("content-type", "").split(";")[0]
        if self.on_disk:
            media_type = await self._file_type(repository, reference)
        return parse_manifest(reply.content, header or digest, media_type)

    async def _resolve_file(self, repository: str, reference: str) -> Descriptor:
        """What a HEAD would say, from the files: the sha256 of the manifest's bytes, and the
        media type from its ``.type`` file, else from the body's ``mediaType``."""
        url = f"{self.base_url}/v2/{repository}/manifests/{reference}"
        body = (await self._get(repository, url)).content
        digest = sha256_digest(body)
        if reference.startswith("sha256:") and digest != reference:
            raise InvalidManifest(f"{repository}@{reference}: the body's digest is {digest}")
        media_type = await self._file_type(repository, reference)
        if not media_type:
            media_type = parse_manifest(body, digest).media_type
        return Descriptor(media_type, digest, len(body))

    async def _file_type(self, repository: str, reference: str) -> str:
        """The media type in ``manifests/<reference>.type`` ("" when there is no such file)."""
        url = f"{self.base_url}/v2/{repository}/manifests/{reference}.type"
        try:
            return (await self.http.get(url)).text.strip()
        except NotFound:
            return ""
        except HttpError as error:
            raise _translate(error, f"{repository}:{reference}") from None

    async def blob(self, repository: str, digest: str) -> bytes:
        """The blob ``digest`` of ``repository``, verified against its digest."""
        url = f"{self.base_url}/v2/{repository}/blobs/{digest}"
        reply = await self._get(repository, url)
        if digest.startswith("sha256:") and sha256_digest(reply.content) != digest:
            raise InvalidManifest(f"{repository}: blob {digest} does not match its digest")
        return reply.content

    async def layer(self, repository: str, descriptor: Descriptor, max_bytes: int) -> bytes:
        """A layer blob, streamed without the disk cache and verified against its digest;
        refused (`BlobTooLarge`) when its descriptor or its bytes exceed ``max_bytes``."""
        digest = descriptor.digest
        if descriptor.size > max_bytes:
            raise BlobTooLarge(
                f"{repository}: layer {digest} is {descriptor.size} bytes (the limit is {max_bytes})"
            )
        url = f"{self.base_url}/v2/{repository}/blobs/{digest}"
        if self.on_disk:
            body = (await self._get(repository, url)).content
            if len(body) > max_bytes:
                raise BlobTooLarge(f"{repository}: layer {digest} is more than {max_bytes} bytes")
        else:
            headers = await self._auth(repository)
            try:
                body = await self.http.download(url, headers, max_bytes)
            except HttpError as error:
                raise _translate(error, f"{repository}@{digest}") from None
        if digest.startswith("sha256:") and sha256_digest(body) != digest:
            raise InvalidManifest(f"{repository}: layer {digest} does not match its digest")
        return body

    async def _get(
        self, repository: str, url: str, extra: Mapping[str, str] | None = None
    ) -> Response:
        headers = {**(extra or {}), **await self._auth(repository)}
        try:
            return await self.http.get(url, headers=headers)
        except HttpError as error:
            raise _translate(error, repository) from None

    async def _auth(self, repository: str) -> dict[str, str]:
        """The ``Authorization`` header for pulling ``repository`` (none when the registry is open
        or on disk)."""
        if self.on_disk:
            return {}
        if self._challenge is None:
            self._challenge = asyncio.ensure_future(self._probe())
        challenge = await asyncio.shield(self._challenge)
        if challenge is None:
            return {}
        scheme, params = challenge
        credentials = self.auths.for_host(self.host)
        if scheme == "basic":
            return {"Authorization": basic(*credentials)} if credentials else {}
        scope = f"repository:{repository}:pull"
        if scope not in self._tokens:
            self._tokens[scope] = asyncio.ensure_future(self._token(params, scope, credentials))
        return {"Authorization": f"Bearer {await asyncio.shield(self._tokens[scope])}"}

    async def _probe(self) -> tuple[str, dict[str, str]] | None:
        try:
            reply = await self.http.probe(f"{self.base_url}/v2/")
        except HttpError as error:
            raise _translate(error, self.host) from None
        if reply.status_code != 401:
            return None
        challenge = parse_challenge(reply.headers.get("www-authenticate", ""))
        if challenge.scheme not in ("bearer", "basic"):
            raise RegistryUnavailable(
                f"{self.host}: unsupported authentication {challenge.scheme!r}"
            )
        return challenge.scheme, dict(challenge.params)

    async def _token(
        self, params: Mapping[str, str], scope: str, credentials: tuple[str, str] | None
    ) -> str:
        realm = params.get("realm")
        if not realm:
            raise RegistryUnavailable(f"{self.host}: a Bearer challenge without a realm")
        query = {"scope": scope, **({"service": params["service"]} if "service" in params else {})}
        url = f"{realm}{'&' if '?' in realm else '?'}{urlencode(query)}"
        headers = {"Authorization": basic(*credentials)} if credentials else {}
        try:
            reply = await self.http.probe(url, headers)
        except HttpError as error:
            raise RegistryUnavailable(f"{self.host}: no token ({error})") from None
        if reply.status_code != 200:
            raise RegistryUnavailable(
                f"{self.host}: the token service answered HTTP {reply.status_code}"
            )
        try:
            document = reply.json()
        except ValueError:
            document = None
        token = (
            (document.get("token") or document.get("access_token"))
            if isinstance(document, dict)
            else None
        )
        if not isinstance(token, str) or not token:
            raise RegistryUnavailable(f"{self.host}: the token service answered without a token")
        return token


def _tag_page(reply: Response, url: str) -> list[str]:
    try:
        document = reply.json()
    except HttpError as error:
        raise InvalidManifest(str(error)) from None
    tags = document.get("tags") if isinstance(document, dict) else None
    if tags is None:
        return []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InvalidManifest(f"{redact(url)}: 'tags' is not a list of strings")
    return tags


def _translate(error: HttpError, what: str) -> RegistryError:
    if isinstance(error, NotFound):
        return ImageNotFound(f"{what}: not found ({error})")
    return RegistryUnavailable(str(error))


def _origin(url: str) -> tuple[str, str]:
    """Scheme and host:port of ``url`` (what decides whether a credential may go there)."""
    parts = urlsplit(url)
    return (parts.scheme.lower(), parts.netloc.rpartition("@")[2].lower())
