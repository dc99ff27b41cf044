"""`PyPIRegistry` against a real index server on 127.0.0.1 serving recorded Simple JSON answers.

The server (`_Index`) serves ``DATA/<name>/index.json`` at ``/simple/<name>/`` as PEP 691 JSON,
or as PEP 503 HTML when told to; ``/pypi/<name>/json`` from ``legacy/``; it can demand Basic
credentials and records the requests it got.
"""

from __future__ import annotations

import asyncio
import base64
import html
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from steward.config import RegistrySettings, Settings
from steward.ecosystems.pypi.registry import SIMPLE_JSON, PyPIRegistry, registry
from steward.model import PackageInfo
from steward.sources.http import HttpClient
from steward.sources.registry import NotCheckedError, RegistryContext

DATA = Path(__file__).parent / "data" / "pypi"


@dataclass
class _Index:
    root: Path
    html: bool = False
    credentials: str | None = None
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def _handler(index: _Index) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            index.requests.append((self.path, dict(self.headers.items())))
            if index.credentials and self.headers.get("Authorization") != index.credentials:
                self._reply(401, "text/plain", b"who are you?")
                return
            parts = self.path.strip("/").split("/")
            if len(parts) == 2 and parts[0] == "simple":
                self._project(index.root / parts[1] / "index.json")
            elif len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
                self._file(index.root / "legacy" / f"{parts[1]}.json", "application/json")
            else:
                self._reply(404, "text/plain", b"not found")

        def _project(self, path: Path) -> None:
            if not index.html or not path.is_file():
                self._file(path, SIMPLE_JSON)
                return
            files = json.loads(path.read_text())["files"]
            anchors = "".join(
                f'<a href="{html.escape(f["url"])}"{" data-yanked" if f.get("yanked") else ""}>{f["filename"]}</a>\n'
                for f in files
            )
            self._reply(200, "text/html", f"<html><body>{anchors}</body></html>".encode())

        def _file(self, path: Path, content_type: str) -> None:
            if path.is_file():
                self._reply(200, content_type, path.read_bytes())
            else:
                self._reply(404, "text/plain", b"not found")

        def _reply(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def _serve(index: _Index) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(index))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _fetch(index_url: str | None, name: str, fallback: str | None = None) -> PackageInfo:
    async def run() -> PackageInfo:
        async with HttpClient(retries=0, backoff=0.0) as http:
            return await PyPIRegistry(http, index_url, fallback).fetch(name)

    return asyncio.run(run())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_simple_json_gives_versions_dates_and_yanks() -> None:
    index = _Index(DATA)
    with _serve(index) as base:
        info = _fetch(f"{base}/simple", "Requests")
    assert index.requests[0][0] == "/simple/requests/"
    assert SIMPLE_JSON in index.requests[0][1]["Accept"]
    assert info.name == "Requests"
    assert info.source == f"{base}/simple"
    release = info.release("2.31.0")
    assert release is not None
    assert release.published == datetime(2023, 5, 22, 15, 12, 42, 313790, tzinfo=UTC)
    assert [r.version for r in info.releases if r.yanked] == ["2.32.0", "2.32.1"]
    assert info.release("2.32.0").yanked.startswith("Yanked due to conflicts")  # type: ignore[union-attr]
    versions = [r.version for r in info.releases]
    assert versions.index("2.9.0") < versions.index("2.10.0") < versions.index("2.31.0")


def test_an_unknown_project_is_not_found_in_the_index() -> None:
    with _serve(_Index(DATA)) as base, pytest.raises(NotCheckedError) as caught:
        _fetch(f"{base}/simple", "no-such-project")
    assert caught.value.reason == f"not found in {base}/simple"


def test_credentials_are_sent_but_never_shown() -> None:
    expected = "Basic " + base64.b64encode(b"ci:s3cret").decode()
    index = _Index(DATA, credentials=expected)
    with _serve(index) as base:
        url = base.replace("http://", "http://ci:s3cret@") + "/simple"
        info = _fetch(url, "urllib3")
        with pytest.raises(NotCheckedError) as caught:
            _fetch(url, "no-such-project")
    assert len(info.releases) > 50
    assert "s3cret" not in info.source and "s3cret" not in caught.value.reason
    assert caught.value.reason == f"not found in {base}/simple"


def test_wrong_credentials_are_not_checked_without_leaking_them() -> None:
    index = _Index(DATA, credentials="Basic nope")
    with _serve(index) as base, pytest.raises(NotCheckedError) as caught:
        _fetch(base.replace("http://", "http://ci:s3cret@") + "/simple", "urllib3")
    assert "s3cret" not in caught.value.reason


def test_an_unreachable_index_falls_back_to_the_recorded_folder() -> None:
    info = _fetch(f"http://127.0.0.1:{_closed_port()}/simple", "django", fallback=DATA.as_uri())
    assert info.source == DATA.as_uri()
    assert info.release("5.0.5") is not None and info.release("5.0.5").yanked  # type: ignore[union-attr]


def test_unreachable_without_fallback_is_not_checked() -> None:
    with pytest.raises(NotCheckedError) as caught:
        _fetch(f"http://127.0.0.1:{_closed_port()}/simple", "django")
    assert caught.value.reason.startswith("registry unavailable")


def test_a_project_missing_from_the_primary_is_not_looked_for_in_the_fallback() -> None:
    with _serve(_Index(DATA)) as base, pytest.raises(NotCheckedError) as caught:
        _fetch(f"{base}/simple", "left-pad", fallback=DATA.as_uri())
    assert caught.value.reason == f"not found in {base}/simple"


def _strip_upload_times(tmp_path: Path, name: str) -> dict[str, Any]:
    page: dict[str, Any] = json.loads((DATA / name / "index.json").read_text())
    for file in page["files"]:
        file.pop("upload-time", None)
    (tmp_path / name).mkdir()
    (tmp_path / name / "index.json").write_text(json.dumps(page))
    return page


def test_without_upload_times_the_legacy_json_api_gives_the_dates(tmp_path: Path) -> None:
    page = _strip_upload_times(tmp_path, "fastapi")
    legacy = {
        "releases": {
            "0.110.0": [{"upload_time_iso_8601": "2024-02-24T10:00:00.000001Z", "yanked": False}]
        }
    }
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "fastapi.json").write_text(json.dumps(legacy))
    index = _Index(tmp_path)
    with _serve(index) as base:
        info = _fetch(f"{base}/simple", "fastapi")
    assert [path for path, _ in index.requests] == ["/simple/fastapi/", "/pypi/fastapi/json"]
    assert len(info.releases) == len(page["versions"])
    assert info.release("0.110.0").published == datetime(2024, 2, 24, 10, 0, 0, 1, tzinfo=UTC)  # type: ignore[union-attr]
    assert info.release("0.109.0").published is None  # type: ignore[union-attr]


def test_without_upload_times_and_no_legacy_api_the_versions_still_count(tmp_path: Path) -> None:
    _strip_upload_times(tmp_path, "fastapi")
    with _serve(_Index(tmp_path)) as base:
        info = _fetch(f"{base}/simple", "fastapi")
    assert info.release("0.110.0") is not None
    assert all(r.published is None for r in info.releases)


def test_an_html_only_index_is_read_too(tmp_path: Path) -> None:
    with _serve(_Index(DATA, html=True)) as base:
        info = _fetch(f"{base}/simple", "requests")
    assert info.release("2.31.0") is not None
    assert [r.version for r in info.releases if r.yanked] == ["2.32.0", "2.32.1"]


def test_the_plugin_factory_reads_the_fallback_from_settings(tmp_path: Path) -> None:
    settings = Settings(
        registries={"pypi": RegistrySettings(fallback=f"file:{DATA.relative_to(tmp_path.anchor)}")},
        base_dir=Path(tmp_path.anchor),
    )

    async def run() -> PackageInfo:
        async with HttpClient() as http:
            ctx = RegistryContext(
                http=http, settings=settings, root=tmp_path, env={}, home=tmp_path
            )
            found = registry(ctx, system=())
            assert isinstance(found, PyPIRegistry)
            return await found.fetch("pydantic")

    info = asyncio.run(run())
    versions = [Version(r.version) for r in info.releases]
    assert info.release("2.0") is not None
    assert versions == sorted(versions)
