"""GoProxy against real proxies: the example's mirror served on 127.0.0.1 and read as file: URLs."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from steward.config import RegistrySettings, Settings
from steward.ecosystems.gomod.registry import (
    DIRECT_REASON,
    RETRACTED,
    GoProxy,
    parse_goproxy,
    registry,
)
from steward.model import PackageInfo
from steward.sources.http import HttpClient
from steward.sources.registry import NotCheckedError, RegistryContext
from tests.servers import serve

MIRROR = Path(__file__).resolve().parents[2] / "examples" / "eventshop" / "registry" / "goproxy"
SARAMA = "github.com/IBM/sarama"
T = TypeVar("T")


@pytest.fixture(scope="module")
def mirror_url() -> Iterator[str]:
    with serve(MIRROR) as url:
        yield url


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A proxy that knows no module at all: every request is a 404."""
    with serve(tmp_path) as url:
        yield url


@pytest.fixture
def closed_url() -> str:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run(goproxy: str, action: Callable[[GoProxy, HttpClient], Awaitable[T]], **options: str) -> T:
    async def main() -> T:
        async with HttpClient(timeout=5.0, retries=0) as http:
            return await action(GoProxy(http, parse_goproxy(goproxy), **options), http)

    return asyncio.run(main())


def fetch(goproxy: str, name: str, **options: str) -> PackageInfo:
    return run(goproxy, lambda proxy, _: proxy.fetch(name), **options)


def test_fetch_lists_every_version_sorted_with_latest(mirror_url: str) -> None:
    info = fetch(mirror_url, SARAMA)
    versions = [r.version for r in info.releases]
    assert len(versions) == 93
    assert versions[0] == "v1.0.0" and versions[-1] == "v1.60.1"
    assert versions.index("v1.9.0") < versions.index("v1.10.0")
    assert info.latest == "v1.60.1"
    assert info.source == mirror_url
    assert info.ecosystem == "go" and info.name == SARAMA


def test_retractions_of_the_latest_go_mod_are_marked(mirror_url: str) -> None:
    info = fetch(mirror_url, SARAMA)
    retracted = {r.version: r.retracted for r in info.releases if r.retracted}
    assert set(retracted) == {
        "v1.24.1",
        "v1.25.0",
        "v1.26.0",
        "v1.26.1",
        "v1.31.0",
        "v1.31.1",
        "v1.32.0",
    }
    assert (
        retracted["v1.32.0"] == "producer hangs on retry https://github.com/IBM/sarama/issues/2150"
    )
    assert retracted["v1.25.0"].startswith("consumer group metadata reqs")


def test_a_retraction_without_a_comment_gets_a_plain_reason(mirror_url: str) -> None:
    info = fetch(mirror_url, "github.com/segmentio/kafka-go")
    assert {r.version: r.retracted for r in info.releases if r.retracted} == {
        "v0.4.36": RETRACTED,
        "v0.4.37": RETRACTED,
    }


def test_a_rationale_on_the_line_above_is_read(mirror_url: str) -> None:
    info = fetch(mirror_url, "google.golang.org/grpc")
    release = info.release("v1.74.1")
    assert release is not None
    assert release.retracted == "v1.74.0 was published prematurely with known issues."


def test_a_file_url_answers_as_the_served_mirror(mirror_url: str) -> None:
    served = fetch(mirror_url, "github.com/ThreeDotsLabs/watermill")
    local = fetch(MIRROR.as_uri(), "github.com/ThreeDotsLabs/watermill")
    assert served.releases == local.releases and served.latest == local.latest
    assert local.source == MIRROR.as_uri()


def test_describe_fills_dates_of_just_the_asked_versions(mirror_url: str) -> None:
    name = "github.com/confluentinc/confluent-kafka-go/v2"

    async def action(proxy: GoProxy, _: HttpClient) -> PackageInfo:
        return await proxy.describe(await proxy.fetch(name), ["v2.1.0-RC3", "v2.4.0"])

    info = run(mirror_url, action)
    dated = {r.version: r.published for r in info.releases if r.published}
    assert set(dated) == {"v2.1.0-RC3", "v2.4.0", "v2.15.0"}  # v2.15.0 came with @latest
    assert all(d is not None and d.tzinfo is not None for d in dated.values())
    expected = json.loads(
        (MIRROR / "github.com/confluentinc/confluent-kafka-go/v2/@v/v2.1.0-!r!c3.info").read_text()
    )
    published = dated["v2.1.0-RC3"]
    assert (
        published is not None and published.isoformat().replace("+00:00", "Z") == expected["Time"]
    )


def test_comma_list_falls_through_when_the_first_proxy_does_not_have_the_module(
    empty_url: str, mirror_url: str
) -> None:
    info = fetch(f"{empty_url},{mirror_url}", "go.uber.org/zap")
    assert info.latest == "v1.28.0"
    assert info.source == mirror_url


def test_comma_list_stops_at_an_unreachable_proxy(closed_url: str, mirror_url: str) -> None:
    with pytest.raises(NotCheckedError, match=r"^registry unavailable: "):
        fetch(f"{closed_url},{mirror_url}", "go.uber.org/zap")


def test_pipe_list_falls_through_when_the_first_proxy_is_unreachable(
    closed_url: str, mirror_url: str
) -> None:
    info = fetch(f"{closed_url}|{mirror_url}", "go.uber.org/zap")
    assert info.source == mirror_url and len(info.releases) == 40


def test_the_fallback_is_tried_after_the_configured_list_fails(
    closed_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        registries={"go": RegistrySettings(fallback=MIRROR.as_uri())}, base_dir=tmp_path
    )

    async def main() -> PackageInfo:
        async with HttpClient(timeout=5.0, retries=0) as http:
            ctx = RegistryContext(http, settings, tmp_path, env={"GOPROXY": f"{closed_url},direct"})
            found = registry(ctx)
            assert isinstance(found, GoProxy)
            return await found.fetch("golang.org/x/net")

    info = asyncio.run(main())
    assert info.source == MIRROR.as_uri() and info.latest == "v0.56.0"


def test_a_module_no_proxy_knows_is_not_found(empty_url: str, mirror_url: str) -> None:
    with pytest.raises(
        NotCheckedError, match=r"^example\.com/nowhere not found in http://127\.0\.0\.1:\d+, http"
    ):
        fetch(f"{empty_url},{mirror_url}", "example.com/nowhere")


def test_direct_after_a_miss_says_why_it_was_not_checked(empty_url: str) -> None:
    with pytest.raises(NotCheckedError) as raised:
        fetch(f"{empty_url},direct", "go.uber.org/zap")
    assert raised.value.reason == DIRECT_REASON


def test_off_after_a_miss_stops(empty_url: str) -> None:
    with pytest.raises(NotCheckedError) as raised:
        fetch(f"{empty_url},off", "go.uber.org/zap")
    assert raised.value.reason == "GOPROXY=off"


def test_private_modules_are_never_sent_to_a_proxy(mirror_url: str) -> None:
    async def action(proxy: GoProxy, http: HttpClient) -> int:
        with pytest.raises(NotCheckedError) as raised:
            await proxy.fetch(SARAMA)
        assert raised.value.reason == "private module (GOPRIVATE matches github.com/IBM)"
        await proxy.fetch("go.uber.org/zap")
        return http.stats.requests

    assert run(mirror_url, action, private="example.com/x,github.com/IBM") > 0


# --- proxies that misbehave or hold unusual data ------------------------------------------------


def write(root: Path, relative: str, content: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)


def test_a_malformed_version_list_is_not_checked(tmp_path: Path) -> None:
    write(tmp_path, "example.com/m/@v/list", "<html><body>login required</body></html>\n")
    with serve(tmp_path) as url, pytest.raises(NotCheckedError, match="malformed version list"):
        fetch(url, "example.com/m")


def test_malformed_version_info_is_not_checked(tmp_path: Path) -> None:
    write(tmp_path, "example.com/m/@v/list", "v1.0.0\n")
    write(tmp_path, "example.com/m/@latest", "{not json")
    with serve(tmp_path) as url, pytest.raises(NotCheckedError, match="malformed version info"):
        fetch(url, "example.com/m")


def test_a_malformed_time_in_info_is_not_checked(tmp_path: Path) -> None:
    write(tmp_path, "example.com/m/@v/list", "v1.0.0\n")
    write(tmp_path, "example.com/m/@v/v1.0.0.info", '{"Version":"v1.0.0","Time":"yesterday"}')

    async def action(proxy: GoProxy, _: HttpClient) -> PackageInfo:
        return await proxy.describe(await proxy.fetch("example.com/m"), ["v1.0.0"])

    with (
        serve(tmp_path) as url,
        pytest.raises(NotCheckedError, match=r"malformed version info.*Time"),
    ):
        run(url, action)


def test_untagged_module_uses_latest_and_pseudo_versions_get_dates(tmp_path: Path) -> None:
    pseudo = "v0.0.0-20240102030405-abcdefabcdef"
    write(tmp_path, "example.com/untagged/@v/list", "")
    info_json = json.dumps({"Version": pseudo, "Time": "2024-01-02T03:04:05Z"})
    write(tmp_path, "example.com/untagged/@latest", info_json)
    write(tmp_path, f"example.com/untagged/@v/{pseudo}.info", info_json)
    write(
        tmp_path,
        "example.com/tagged/@v/list",
        "v1.0.0\nv1.1.0 2024-01-01T00:00:00Z\nv1.1.1-0.20240102030405-abcdefabcdef\n",
    )
    write(
        tmp_path,
        "example.com/tagged/@v/v1.1.1-0.20240102030405-abcdefabcdef.info",
        info_json.replace(pseudo, "v1.1.1-0.20240102030405-abcdefabcdef"),
    )

    async def action(proxy: GoProxy, _: HttpClient) -> tuple[PackageInfo, PackageInfo]:
        untagged = await proxy.fetch("example.com/untagged")
        tagged = await proxy.fetch("example.com/tagged")
        return untagged, await proxy.describe(
            tagged, ["v1.1.1-0.20240102030405-abcdefabcdef", "v9.9.9"]
        )

    with serve(tmp_path) as url:
        untagged, tagged = run(url, action)
    assert [r.version for r in untagged.releases] == [pseudo]
    assert untagged.latest == pseudo and untagged.releases[0].published is not None
    assert [r.version for r in tagged.releases] == [
        "v1.0.0",
        "v1.1.0",
        "v1.1.1-0.20240102030405-abcdefabcdef",
    ]
    assert tagged.latest is None


def test_deprecation_of_the_latest_go_mod_is_read(tmp_path: Path) -> None:
    write(tmp_path, "example.com/old/@v/list", "v1.0.0\nv1.1.0\nv2.0.0-rc.1\n")
    write(
        tmp_path,
        "example.com/old/@v/v1.1.0.mod",
        "// Deprecated: use example.com/new.\nmodule example.com/old\n",
    )
    with serve(tmp_path) as url:
        info = fetch(url, "example.com/old")
    assert info.deprecated == "use example.com/new."
