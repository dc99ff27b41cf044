"""Online advisories against real HTTP peers on 127.0.0.1: an OSV API (querybatch with paging,
vulns by ID) and an ``all.zip`` export served over HTTP."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from steward.sources.http import HttpClient
from steward.sources.osv import OsvApi, OsvDatabase, OsvError, sync
from tests.servers import serve

OSV = Path(__file__).resolve().parents[2] / "examples" / "eventshop" / "advisories" / "osv"

#: What the scripted API answers: (ecosystem, name, version) → pages of vulnerability IDs.
PAGES = {
    ("Go", "golang.org/x/net", "v0.7.0"): [["GO-2023-1988", "GO-2023-2102"], ["GO-2024-2687"]],
    ("PyPI", "requests", "2.28.1"): [["PYSEC-2023-74"]],
}


@contextmanager
def osv_api(fail_batch: int = 0) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """An OSV API on 127.0.0.1 serving the example's records; yields its URL and the bodies
    of the querybatch requests it received."""
    received: list[dict[str, Any]] = []
    failures = [fail_batch]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append(body)
            if failures[0] > 0:
                failures[0] -= 1
                self._send(503, {"error": "busy"})
                return
            results = []
            for query in body["queries"]:
                key = (query["package"]["ecosystem"], query["package"]["name"], query["version"])
                pages = PAGES.get(key, [[]])
                page = int(query.get("page_token", "0"))
                result: dict[str, Any] = {"vulns": [{"id": i} for i in pages[page]]}
                if page + 1 < len(pages):
                    result["next_page_token"] = str(page + 1)
                results.append(result if result["vulns"] else {})
            self._send(200, {"results": results})

        def do_GET(self) -> None:
            ident = self.path.rsplit("/", 1)[-1]
            found = [p for p in OSV.glob(f"*/{ident}.json")]
            if not found:
                self._send(404, {"code": 5})
                return
            self._send(200, json.loads(found[0].read_text()))

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        server.server_close()


def _query(url: str, queries: list[tuple[str, str, str]], retries: int = 1) -> Any:
    async def run() -> Any:
        async with HttpClient(retries=retries, backoff=0.01) as http:
            return await OsvApi(http, url).query(queries)

    return asyncio.run(run())


def test_querybatch_follows_pages_and_fetches_each_record() -> None:
    queries = [
        ("Go", "golang.org/x/net", "v0.7.0"),
        ("PyPI", "requests", "2.28.1"),
        ("npm", "left-pad", "1.0.0"),
    ]
    with osv_api() as (url, received):
        found = _query(url, queries)
    assert [a.id for a in found[queries[0]]] == ["GO-2023-1988", "GO-2023-2102", "GO-2024-2687"]
    assert [a.id for a in found[queries[1]]] == ["PYSEC-2023-74"]
    assert found[queries[2]] == []
    assert len(received) == 2  # the first batch, then one page more for x/net
    assert received[1]["queries"] == [
        {"package": {"ecosystem": "Go", "name": "golang.org/x/net"}, "version": "v0.7.0",
         "page_token": "1"}
    ]  # fmt: skip


def test_a_busy_api_is_retried_then_answers() -> None:
    with osv_api(fail_batch=1) as (url, received):
        found = _query(url, [("PyPI", "requests", "2.28.1")], retries=3)
    assert len(received) == 2 and [a.id for a in found[("PyPI", "requests", "2.28.1")]] == [
        "PYSEC-2023-74"
    ]


def test_an_api_that_keeps_failing_is_an_error_not_a_clean_answer() -> None:
    with osv_api(fail_batch=10) as (url, _), pytest.raises(OsvError, match="HTTP 503"):
        _query(url, [("PyPI", "requests", "2.28.1")], retries=2)


def test_sync_imports_an_all_zip_served_over_http(tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((OSV / "Go").glob("*.json")):
            archive.writestr(path.name, path.read_bytes())
    (export / "all.zip").write_bytes(buffer.getvalue())
    database = OsvDatabase(tmp_path / "advisories.db")

    async def run(url: str) -> Any:
        async with HttpClient(retries=1) as http:
            return await sync(database, [url], tmp_path, http)

    with serve(export) as base:
        report = asyncio.run(run(f"{base}/all.zip"))
        missing = asyncio.run(run(f"{base}/nothing.zip"))
    assert report.rebuilt and report.records == 47 and report.problems == []
    assert database.status().per_ecosystem == {"Go": 47}
    assert not missing.rebuilt and "404" in missing.failed[0]
    assert database.status().advisories == 47  # a failed sync keeps the database it had
