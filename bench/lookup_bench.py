"""Benchmark registry look-ups: ``steward deps`` against a local npm registry, cold and warm.

Usage::

    python bench/lookup_bench.py [--packages 500] [--services 50] [--rounds 3] [--latency-ms 0]

Serves ``--packages`` synthetic packuments (about 30 versions each, with ``time`` entries) from
an HTTP server on 127.0.0.1 that answers ``If-None-Match`` with 304, writes a tree whose
``package.json`` files name every one of those packages, points Steward at the server with a
project ``.npmrc`` and runs ``steward deps PATH --format json`` twice per round: cold (empty
``STEWARD_CACHE_DIR``) and warm (the same cache). It prints wall times and what the server saw.
Targets: cold ≤ 3 s for 500 unique packages, and a warm re-scan that sends only conditional
requests. Like every benchmark here it reports and never fails on a missed target.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from harness import BenchError, Measurement, child_env, measure, seconds, steward_executable, table

TARGET_PACKAGES = 500
TARGET_COLD = 3.0
OK_CODES = frozenset({0, 1, 3})


# --- the registry -----------------------------------------------------------------------------


def package_names(count: int) -> list[str]:
    """``count`` distinct synthetic names; every fifth is scoped."""
    return [f"@bench/lib-{i:04d}" if i % 5 == 0 else f"bench-lib-{i:04d}" for i in range(count)]


def versions(name: str) -> list[str]:
    """About 30 increasing semver versions, seeded by the name."""
    rng = random.Random(f"versions:{name}")
    major, minor, patch, out = rng.randint(0, 3), 0, 0, []
    for _ in range(rng.randint(26, 34)):
        out.append(f"{major}.{minor}.{patch}")
        step = rng.random()
        major, minor, patch = (
            (major + 1, 0, 0)
            if step < 0.08
            else (major, minor + 1, 0)
            if step < 0.4
            else (major, minor, patch + 1)
        )
    return out


def packument(name: str, base_url: str) -> dict[str, Any]:
    """The registry document of one package, as an npm registry serves it."""
    released = versions(name)
    rng = random.Random(f"time:{name}")
    when = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 400))
    times: dict[str, str] = {"created": _iso(when)}
    for version in released:
        when += timedelta(days=rng.randint(3, 60), seconds=rng.randint(0, 86399))
        times[version] = _iso(when)
    times["modified"] = _iso(when)
    leaf = name.rsplit("/", 1)[-1]
    return {
        "_id": name,
        "name": name,
        "description": f"Synthetic package {name} for the look-up benchmark",
        "dist-tags": {"latest": released[-1]},
        "versions": {
            v: {
                "name": name,
                "version": v,
                "dist": {"tarball": f"{base_url}{name}/-/{leaf}-{v}.tgz"},
            }
            for v in released
        },
        "time": times,
        "license": "MIT",
    }


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Traffic:
    """What the server saw; updated from its threads, read between runs."""

    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    ok: int = 0
    not_found: int = 0
    names: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, name: str, conditional: bool, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.conditional += conditional
            self.not_modified += status == 304
            self.ok += status == 200
            self.not_found += status == 404
            self.names[name] += 1


@dataclass(frozen=True)
class Document:
    body: bytes
    etag: str


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a scan opens many connections at once; do not drop SYNs

    def __init__(self, documents: dict[str, Document], latency: float, max_age: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.documents = documents
        self.latency = latency
        self.max_age = max_age
        self.traffic = Traffic()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real registries do
    server: _Server

    def do_GET(self) -> None:
        name = unquote(urlsplit(self.path).path.lstrip("/"))
        document = self.server.documents.get(name)
        tag = self.headers.get("If-None-Match")
        if self.server.latency:
            time.sleep(self.server.latency)
        if document is None:
            status, body, etag = 404, b'{"error":"Not found"}', None
        elif tag is not None and document.etag in (t.strip() for t in tag.split(",")):
            status, body, etag = 304, b"", document.etag
        else:
            status, body, etag = 200, document.body, document.etag
        # Counted before answering, so a client that has its answer also sees it counted.
        self.server.traffic.record(name, tag is not None, status)
        self._send(status, body, etag)

    def _send(self, status: int, body: bytes, etag: str | None) -> None:
        self.send_response(status)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", f"public, max-age={self.server.max_age}")
        if status != 304:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _documents(names: list[str], base_url: str) -> dict[str, Document]:
    documents = {}
    for name in names:
        body = json.dumps(packument(name, base_url)).encode()
        documents[name] = Document(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return documents


@contextmanager
def registry(names: list[str], latency: float = 0.0, max_age: int = 0) -> Iterator[_Server]:
    """An npm registry on 127.0.0.1 serving ``names`` for the duration of the block."""
    server = _Server({}, latency, max_age)
    server.documents = _documents(names, f"http://127.0.0.1:{server.server_port}/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# --- the tree ---------------------------------------------------------------------------------


def write_tree(root: Path, names: list[str], services: int, port: int) -> int:
    """Services whose package.json (and lock) together name every package; the number of
    dependency entries written. A root ``.npmrc`` points npm look-ups at the local server."""
    rng = random.Random("lookup-tree")
    members: list[list[str]] = [[] for _ in range(services)]
    for index, name in enumerate(names):  # every package at least once …
        members[index % services].append(name)
    for chosen in members:  # … and some in several services, as shared libraries are
        chosen.extend(n for n in rng.sample(names, min(5, len(names))) if n not in chosen)
    for index, chosen in enumerate(members, start=1):
        _write_service(root / "services" / f"svc-{index:04d}", sorted(chosen), rng)
    (root / ".npmrc").write_text(f"registry=http://127.0.0.1:{port}/\n", encoding="utf-8")
    (root / "steward.toml").write_text("# nothing configured\n", encoding="utf-8")
    return sum(len(chosen) for chosen in members)


def _write_service(folder: Path, chosen: list[str], rng: random.Random) -> None:
    locked = {name: rng.choice(versions(name)[-12:]) for name in chosen}
    deps = {name: f"^{version}" for name, version in locked.items()}
    folder.mkdir(parents=True)
    manifest = {"name": f"@acme/{folder.name}", "version": "1.0.0", "dependencies": deps}
    (folder / "package.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    packages: dict[str, Any] = {
        "": {"name": manifest["name"], "version": "1.0.0", "dependencies": deps}
    }
    for name, version in locked.items():
        leaf = name.rsplit("/", 1)[-1]
        resolved = f"https://npm-mirror.invalid/{name}/-/{leaf}-{version}.tgz"
        packages[f"node_modules/{name}"] = {"version": version, "resolved": resolved}
    lock = {
        "name": manifest["name"],
        "version": "1.0.0",
        "lockfileVersion": 3,
        "packages": packages,
    }
    (folder / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")


# --- the runs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One scan and what the server saw during it."""

    label: str
    measurement: Measurement
    requests: int
    conditional: int
    not_modified: int
    ok: int
    not_found: int
    distinct: int
    checked: int
    rows: int
    not_checked: tuple[tuple[str, int], ...]


def _scan(label: str, argv: list[str], env: dict[str, str], server: _Server, scratch: Path) -> Run:
    server.traffic = Traffic()
    out, err = scratch / f"{label}.out", scratch / f"{label}.err"
    result = measure(argv, env, out, err)
    if result.returncode not in OK_CODES:
        tail = err.read_text(errors="replace")[-2000:]
        raise BenchError(f"steward deps ({label}): exit code {result.returncode}\n{tail}")
    rows = _rows(out)
    t = server.traffic
    reasons = Counter(str(r.get("not_checked_reason")) for r in rows if not r.get("checked"))
    return Run(
        label, result, t.requests, t.conditional, t.not_modified, t.ok, t.not_found, len(t.names),
        sum(1 for r in rows if r.get("checked")), len(rows), tuple(reasons.most_common(3)),
    )  # fmt: skip


def _rows(path: Path) -> list[dict[str, Any]]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["dependencies"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BenchError(f"steward deps did not print the JSON it promises: {error!r}") from error
    if not isinstance(rows, list):
        raise BenchError("steward deps printed 'dependencies' that is not a list")
    return [row for row in rows if isinstance(row, dict)]


def _round(number: int, tree: Path, server: _Server, scratch: Path) -> list[Run]:
    cache = scratch / f"cache-{number}"
    cache.mkdir()
    env = child_env(cache)
    argv = [str(steward_executable()), "deps", str(tree), "--format", "json"]
    return [
        _scan(f"cold-{number}", argv, env, server, scratch),
        _scan(f"warm-{number}", argv, env, server, scratch),
    ]


def render(packages: int, entries: int, runs: list[Run]) -> str:
    """The table of every run, then the verdicts against the targets."""
    header = [
        "run",
        "wall",
        "requests",
        "200",
        "304",
        "if-none-match",
        "404",
        "packages",
        "checked",
    ]
    rows = [
        [r.label, seconds(r.measurement.wall), str(r.requests), str(r.ok), str(r.not_modified),
         str(r.conditional), str(r.not_found), str(r.distinct), f"{r.checked}/{r.rows}"]
        for r in runs
    ]  # fmt: skip
    lines = [f"registry: {packages} packages; tree: {entries} dependency entries naming them", ""]
    lines += [table(header, rows), "", *_verdicts(packages, runs)]
    for run in runs:
        if run.not_checked:
            reasons = "; ".join(f"{count}× {reason}" for reason, count in run.not_checked)
            lines.append(f"{run.label}: not checked: {reasons}")
    return "\n".join(lines)


def _verdicts(packages: int, runs: list[Run]) -> list[str]:
    cold = [r for r in runs if r.label.startswith("cold")]
    warm = [r for r in runs if r.label.startswith("warm")]
    median = statistics.median(r.measurement.wall for r in cold)
    if packages == TARGET_PACKAGES:
        verdict = "met" if median <= TARGET_COLD else "MISSED"
        cold_line = f"cold median {seconds(median)} (target ≤ {TARGET_COLD:.0f} s for {packages}): {verdict}"
    else:
        cold_line = f"cold median {seconds(median)} (the target is for {TARGET_PACKAGES} packages)"
    only_conditional = all(
        r.requests and r.conditional == r.requests == r.not_modified for r in warm
    )
    fresh = all(r.requests == 0 for r in warm)
    warm_line = (
        "warm: only conditional requests, all answered 304: met"
        if only_conditional
        else "warm: no requests at all (served from a fresh cache)"
        if fresh
        else "warm: some requests were not conditional or not answered 304: MISSED"
    )
    return [cold_line, warm_line]


def run(args: argparse.Namespace) -> str:
    names = package_names(args.packages)
    with (
        tempfile.TemporaryDirectory(prefix="steward-lookup-") as scratch_name,
        registry(names, args.latency_ms / 1000, args.max_age) as server,
    ):
        scratch = Path(scratch_name)
        entries = write_tree(scratch / "tree", names, args.services, server.server_port)
        runs = [
            r
            for n in range(1, args.rounds + 1)
            for r in _round(n, scratch / "tree", server, scratch)
        ]
    return render(args.packages, entries, runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=TARGET_PACKAGES, help="packages (500)")
    parser.add_argument("--services", type=int, default=50, help="services naming them (50)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="cold+warm rounds, fresh cache each (3)"
    )
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay per response (0)")
    parser.add_argument("--max-age", type=int, default=0, help="Cache-Control max-age sent (0)")
    args = parser.parse_args(argv)
    try:
        print(run(args))
    except BenchError as error:
        print(f"lookup_bench: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
