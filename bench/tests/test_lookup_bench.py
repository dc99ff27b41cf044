"""The benchmark's npm registry behaves like one (ETags, 304s, scoped names) and counts traffic."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import lookup_bench
import pytest

NAMES = lookup_bench.package_names(12)


def _get(url: str, etag: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_packuments_have_about_30_versions_each_with_a_publication_time() -> None:
    document = lookup_bench.packument("bench-lib-0001", "http://127.0.0.1:1/")
    versions = list(document["versions"])
    assert 26 <= len(versions) <= 34
    times = [document["time"][v] for v in versions]
    assert times == sorted(times) and document["time"]["created"] < times[0]
    assert document["dist-tags"]["latest"] == versions[-1]


def test_names_are_distinct_and_some_are_scoped() -> None:
    names = lookup_bench.package_names(500)
    assert len(set(names)) == 500
    assert sum(name.startswith("@") for name in names) == 100


def test_the_registry_answers_a_repeated_conditional_request_with_304() -> None:
    with lookup_bench.registry(NAMES) as server:
        base = f"http://127.0.0.1:{server.server_port}/"
        status, headers, body = _get(base + "bench-lib-0001")
        assert status == 200 and json.loads(body)["name"] == "bench-lib-0001"
        status, _, body = _get(base + "bench-lib-0001", headers["ETag"])
        assert status == 304 and body == b""
        status, _, _ = _get(base + "bench-lib-0001", '"stale"')
        assert status == 200
        traffic = server.traffic
        assert (traffic.requests, traffic.conditional, traffic.not_modified, traffic.ok) == (
            3,
            2,
            1,
            2,
        )


@pytest.mark.parametrize("path", ["@bench/lib-0000", "@bench%2flib-0000", "@bench%2Flib-0000"])
def test_scoped_packages_are_found_however_the_slash_is_written(path: str) -> None:
    with lookup_bench.registry(NAMES) as server:
        status, _, body = _get(f"http://127.0.0.1:{server.server_port}/{path}")
        assert status == 200 and json.loads(body)["name"] == "@bench/lib-0000"


def test_unknown_packages_are_404_and_counted() -> None:
    with lookup_bench.registry(NAMES) as server:
        status, _, _ = _get(f"http://127.0.0.1:{server.server_port}/left-pad")
        assert status == 404 and server.traffic.not_found == 1


def test_tarball_urls_point_at_the_server_itself() -> None:
    with lookup_bench.registry(NAMES) as server:
        base = f"http://127.0.0.1:{server.server_port}/"
        document = json.loads(server.documents["@bench/lib-0005"].body)
        assert all(
            v["dist"]["tarball"].startswith(base + "@bench/lib-0005/-/lib-0005-")
            for v in document["versions"].values()
        )


def test_the_tree_names_every_package_and_points_npm_at_the_server(tmp_path: Path) -> None:
    entries = lookup_bench.write_tree(tmp_path, NAMES, services=4, port=4321)
    named: set[str] = set()
    total = 0
    for manifest in tmp_path.glob("services/*/package.json"):
        deps = json.loads(manifest.read_text())["dependencies"]
        lock = json.loads((manifest.parent / "package-lock.json").read_text())["packages"]
        assert all(f"node_modules/{name}" in lock for name in deps)
        named |= deps.keys()
        total += len(deps)
    assert named == set(NAMES) and total == entries > len(NAMES)
    assert (tmp_path / ".npmrc").read_text() == "registry=http://127.0.0.1:4321/\n"
