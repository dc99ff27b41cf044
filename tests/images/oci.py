"""Real OCI registries for tests: Debian's ``docker-registry`` (the CNCF distribution registry)
on 127.0.0.1, images built in Python and pushed through the registry API, and a Bearer-token
gate in front of it with its own token server.

Tests using `registry` skip when ``docker-registry`` is not installed
(``apt-get install -y docker-registry``).
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import shutil
import socket
import subprocess
import tarfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd"
BINARY = shutil.which("docker-registry")


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def distribution(tmp: Path) -> Iterator[str]:
    """Run ``docker-registry`` from a config written under ``tmp``; yields its base URL."""
    assert BINARY is not None
    port = _free_port()
    config = tmp / "registry.yml"
    config.write_text(
        "version: 0.1\n"
        "log: {level: error, accesslog: {disabled: true}}\n"
        f"storage: {{filesystem: {{rootdirectory: {tmp / 'data'}}}, delete: {{enabled: true}}}}\n"
        f"http: {{addr: '127.0.0.1:{port}'}}\n"
    )
    process = subprocess.Popen(
        [BINARY, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError("docker-registry exited at start")
        try:
            if httpx.get(f"{url}/v2/", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError("docker-registry did not start")


def layer(
    files: Mapping[str, bytes],
    *,
    compress: str = "gzip",
    extra: list[tarfile.TarInfo] | None = None,
) -> bytes:
    """A layer tarball holding ``files`` (path → content), gzip or zstd compressed."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for path, content in files.items():
            info = tarfile.TarInfo(path)
            info.size = len(content)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(content))
        for info in extra or []:
            tar.addfile(info, io.BytesIO(b"" if info.size == 0 else b"x" * info.size))
    if compress == "zstd":
        import zstandard

        return zstandard.ZstdCompressor().compress(raw.getvalue())
    return gzip.compress(raw.getvalue(), mtime=0)


@dataclass
class Pusher:
    """Pushes blobs, manifests and indexes to a registry through the distribution API."""

    url: str

    def blob(self, repository: str, data: bytes) -> str:
        digest = digest_of(data)
        start = httpx.post(f"{self.url}/v2/{repository}/blobs/uploads/")
        assert start.status_code == 202, start.text
        location = start.headers["location"]
        if location.startswith("/"):
            location = self.url + location
        sep = "&" if "?" in location else "?"
        done = httpx.put(
            f"{location}{sep}digest={digest}",
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        assert done.status_code == 201, done.text
        return digest

    def image(
        self,
        repository: str,
        tag: str | None,
        layers: list[bytes] | None = None,
        *,
        arch: str = "amd64",
        media_type: str = OCI_LAYER_GZIP,
        label: str = "",
    ) -> str:
        """Push a single-platform image; returns its manifest digest."""
        layers = layers or [layer({"etc/hostname": label.encode() or b"x"})]
        config = json.dumps(
            {
                "architecture": arch,
                "os": "linux",
                "config": {"Labels": {"l": label}},
                "rootfs": {"type": "layers", "diff_ids": []},
            }
        ).encode()
        manifest = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {
                "mediaType": OCI_CONFIG,
                "digest": self.blob(repository, config),
                "size": len(config),
            },
            "layers": [
                {"mediaType": media_type, "digest": self.blob(repository, data), "size": len(data)}
                for data in layers
            ],
        }
        return self.manifest(repository, tag, manifest, OCI_MANIFEST)

    def index(self, repository: str, tag: str, entries: Mapping[str, str]) -> str:
        """Push an index of platform (``linux/amd64``) → manifest digest; returns its digest."""
        manifests = []
        for platform, digest in entries.items():
            os_, arch = platform.split("/")
            size = len(
                httpx.get(
                    f"{self.url}/v2/{repository}/manifests/{digest}",
                    headers={"Accept": OCI_MANIFEST},
                ).content
            )
            manifests.append(
                {
                    "mediaType": OCI_MANIFEST,
                    "digest": digest,
                    "size": size,
                    "platform": {"os": os_, "architecture": arch},
                }
            )
        return self.manifest(
            repository,
            tag,
            {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests},
            OCI_INDEX,
        )

    def manifest(
        self, repository: str, tag: str | None, document: dict[str, Any], media_type: str
    ) -> str:
        body = json.dumps(document).encode()
        digest = digest_of(body)
        reply = httpx.put(
            f"{self.url}/v2/{repository}/manifests/{tag or digest}",
            content=body,
            headers={"Content-Type": media_type},
        )
        assert reply.status_code == 201, reply.text
        return digest


@contextmanager
def token_gate(
    upstream: str, user: str = "ci", password: str = "s3cret"
) -> Iterator[tuple[str, list[str]]]:
    """A Bearer-token registry: a gate that forwards to ``upstream`` only with a token its own
    token server issued to ``user``/``password``. Yields (base URL, scopes the tokens were asked for)."""
    issued: dict[str, str] = {}
    scopes: list[str] = []
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    expected = "Basic " + __import__("base64").b64encode(f"{user}:{password}".encode()).decode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve(body=True)

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def _serve(self, body: bool) -> None:
            if self.path.startswith("/token"):
                return self._token()
            token = self.headers.get("Authorization", "")
            if not token.startswith("Bearer ") or token[7:] not in issued:
                challenge = f'Bearer realm="{base}/token",service="test-registry"'
                return self._send(
                    401,
                    b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                    {"WWW-Authenticate": challenge, "Content-Type": "application/json"},
                )
            reply = httpx.request(
                self.command,
                upstream + self.path,
                headers={"Accept": self.headers.get("Accept", "*/*")},
            )
            headers = {
                k: v
                for k, v in reply.headers.items()
                if k.lower() in ("content-type", "docker-content-digest", "link", "content-length")
            }
            self._send(
                reply.status_code,
                reply.content if body else b"",
                headers,
                length=int(reply.headers.get("content-length", len(reply.content))),
            )

        def _token(self) -> None:
            from urllib.parse import parse_qs, urlsplit

            query = parse_qs(urlsplit(self.path).query)
            if self.headers.get("Authorization") != expected:
                return self._send(401, b"{}", {"Content-Type": "application/json"})
            scopes.append(query.get("scope", [""])[0])
            token = f"t{len(issued)}"
            issued[token] = query.get("scope", [""])[0]
            self._send(
                200, json.dumps({"token": token}).encode(), {"Content-Type": "application/json"}
            )

        def _send(
            self, code: int, body: bytes, headers: Mapping[str, str], length: int | None = None
        ) -> None:
            self.send_response(code)
            for name, value in headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield base, scopes
    finally:
        server.shutdown()
        server.server_close()
