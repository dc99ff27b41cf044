"""Real HTTP servers on 127.0.0.1 for tests.

``serve(directory)`` serves a folder as static files and yields the base URL
(``http://127.0.0.1:PORT``).

``fault_server()`` yields a `FaultServer` that plays a scripted sequence of answers per path, to
test retries, caches and limits against a real socket::

    with fault_server() as srv:
        srv.script("/x", [Fault.status(503), Fault.ok(b"{}", etag='"v1"')])
        ...  # GET srv.url + "/x" twice: a 503, then the body
        assert srv.hits("/x") == 2

Each request to a path takes the next `Fault` of its script; the last one then answers every
further request. A path without a script answers 404. An answer with ``etag`` or
``last_modified`` answers 304 (no body) to a request whose ``If-None-Match`` /
``If-Modified-Since`` matches it. Scripts match the path without its query string.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Fault:
    """One scripted answer. Build it with the class methods; the fields are the raw recipe.

    ``delay`` seconds pass before anything is sent; ``sent`` bytes of the body are sent (``None``:
    all of it) while ``Content-Length`` announces the whole body.
    """

    code: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    sent: int | None = None
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def ok(
        cls,
        body: bytes | str = b"",
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """200 with ``body``; with validators, 304 to a matching conditional request."""
        raw = body.encode() if isinstance(body, str) else body
        extra = tuple((headers or {}).items())
        return cls(200, raw, extra, etag=etag, last_modified=last_modified)

    @classmethod
    def json(cls, value: Any, *, etag: str | None = None) -> Fault:
        """200 with ``value`` as a JSON body."""
        headers = {"Content-Type": "application/json"}
        return cls.ok(json.dumps(value), etag=etag, headers=headers)

    @classmethod
    def status(cls, code: int, *, retry_after: str | None = None, body: bytes = b"") -> Fault:
        """An answer with status ``code`` (e.g. 429 with ``retry_after="1"``, 503, 404)."""
        headers = (("Retry-After", retry_after),) if retry_after is not None else ()
        return cls(code, body, headers)

    @classmethod
    def redirect(cls, location: str, code: int = 301) -> Fault:
        """A redirect (``code``) to ``location``."""
        return cls(code, b"", (("Location", location),))

    @classmethod
    def slow(cls, seconds: float, then: Fault | None = None) -> Fault:
        """``then`` (default: an empty 200) after ``seconds``: longer than a timeout, it is one."""
        return replace(then if then is not None else cls.ok(), delay=seconds)

    @classmethod
    def truncated(cls, body: bytes, sent: int | None = None) -> Fault:
        """200 announcing ``len(body)`` bytes but sending only ``sent`` (default: half)."""
        return cls(200, body, (), sent=len(body) // 2 if sent is None else sent)

    @classmethod
    def malformed_json(cls) -> Fault:
        """200 with a JSON content type and a body that is not JSON."""
        return cls(200, b'{"versions": [', (("Content-Type", "application/json"),))

    def matches(self, request_headers: Mapping[str, str]) -> bool:
        """Whether a request with ``request_headers`` (lower-case names) gets a 304 from this."""
        etag = request_headers.get("if-none-match")
        since = request_headers.get("if-modified-since")
        if self.etag is not None and etag is not None:
            return self.etag in [tag.strip() for tag in etag.split(",")]
        return self.last_modified is not None and since == self.last_modified


@dataclass(frozen=True)
class Recorded:
    """A request the fault server received: path (with query), headers (names in lower case) and
    arrival time (``time.monotonic()``)."""

    path: str
    headers: Mapping[str, str]
    at: float


@dataclass
class _State:
    scripts: dict[str, list[Fault]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def arrive(self, path: str, headers: Mapping[str, str]) -> Fault | None:
        with self.lock:
            self.requests.append(Recorded(path, headers, time.monotonic()))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            script = self.scripts.get(urlsplit(path).path)
            if not script:
                return None
            return script.pop(0) if len(script) > 1 else script[0]

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


class FaultServer:
    """A scripted HTTP server on 127.0.0.1; see the module docstring for the rules."""

    def __init__(self, state: _State, url: str) -> None:
        self._state = state
        #: The base URL, ``http://127.0.0.1:PORT`` (no trailing slash).
        self.url = url

    def script(self, path: str, faults: Sequence[Fault]) -> None:
        """Answer requests to ``path`` with ``faults`` in order, repeating the last one."""
        if not faults:
            raise ValueError("a script needs at least one answer")
        with self._state.lock:
            self._state.scripts[path] = list(faults)

    def requests(self, path: str | None = None) -> list[Recorded]:
        """Requests received so far (to ``path`` only, when given), in arrival order."""
        with self._state.lock:
            every = list(self._state.requests)
        return [r for r in every if path is None or urlsplit(r.path).path == path]

    def hits(self, path: str | None = None) -> int:
        """How many requests reached ``path`` (every path when ``None``)."""
        return len(self.requests(path))

    @property
    def max_in_flight(self) -> int:
        """The most requests the server was handling at the same time."""
        with self._state.lock:
            return self._state.max_in_flight


class _FaultHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: _State

    def do_GET(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        fault = self.state.arrive(self.path, headers)
        try:
            self._answer(fault, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. it timed out)
        finally:
            self.state.leave()

    def _answer(self, fault: Fault | None, headers: Mapping[str, str]) -> None:
        if fault is None:
            fault = Fault.status(404)
        time.sleep(fault.delay)
        if fault.matches(headers):
            self._head(304, fault, 0)
            self.end_headers()
            return
        self._head(fault.code, fault, len(fault.body))
        self.end_headers()
        self.wfile.write(fault.body[: fault.sent])
        if fault.sent is not None:
            self.close_connection = True

    def _head(self, code: int, fault: Fault, length: int) -> None:
        self.send_response(code)
        for name, value in fault.headers:
            self.send_header(name, value)
        if fault.etag is not None:
            self.send_header("ETag", fault.etag)
        if fault.last_modified is not None:
            self.send_header("Last-Modified", fault.last_modified)
        self.send_header("Content-Length", str(length))

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer is part of the script, not a failure


@contextmanager
def fault_server() -> Iterator[FaultServer]:
    """Run a scripted fault-injection server on 127.0.0.1 for the duration of the block."""
    state = _State()
    handler = type("Handler", (_FaultHandler,), {"state": state})
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield FaultServer(state, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
