"""The OCI client against a real distribution registry on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from steward.images.auth import parse_docker_config
from steward.images.registry import (
    ImageNotFound,
    InvalidManifest,
    OciHttp,
    OciRegistry,
    RegistryUnavailable,
    parse_manifest,
)
from tests.images.oci import Pusher, token_gate

T = TypeVar("T")


def run(base: str, call: Callable[[OciRegistry], Awaitable[T]], **kwargs: object) -> T:
    async def go() -> T:
        async with OciHttp(retries=1) as http:
            return await call(OciRegistry(http, base, **kwargs))  # type: ignore[arg-type]

    return asyncio.run(go())


def test_tags_follow_every_page_of_the_link_header(registry: str, pusher: Pusher) -> None:
    for tag in ("1.0", "1.1", "1.2", "2.0", "latest"):
        pusher.image("paged/app", tag, label=tag)
    tags = run(registry, lambda r: r.tags("paged/app"), page_size=2)
    assert sorted(tags) == ["1.0", "1.1", "1.2", "2.0", "latest"]


def test_head_gives_the_digest_the_tag_points_at(registry: str, pusher: Pusher) -> None:
    digest = pusher.image("head/app", "3.1", label="head")
    found = run(registry, lambda r: r.resolve("head/app", "3.1"))
    assert found.digest == digest
    assert found.media_type == "application/vnd.oci.image.manifest.v1+json"


def test_an_index_lists_its_platforms(registry: str, pusher: Pusher) -> None:
    amd = pusher.image("multi/app", None, arch="amd64", label="a1")
    arm = pusher.image("multi/app", None, arch="arm64", label="r1")
    index = pusher.index("multi/app", "1.0", {"linux/amd64": amd, "linux/arm64": arm})
    manifest = run(registry, lambda r: r.manifest("multi/app", "1.0"))
    assert manifest.digest == index
    assert manifest.is_index
    assert {str(d.platform) for d in manifest.manifests} == {"linux/amd64", "linux/arm64"}


def test_a_missing_repository_is_not_found(registry: str) -> None:
    with pytest.raises(ImageNotFound):
        run(registry, lambda r: r.resolve("no/such", "1.0"))


def test_bearer_tokens_come_from_the_token_server_with_docker_config_credentials(
    registry: str, pusher: Pusher
) -> None:
    digest = pusher.image("private/app", "1.0", label="private")
    with token_gate(registry) as (gate, scopes):
        host = gate.removeprefix("http://")
        auth = base64.b64encode(b"ci:s3cret").decode()
        auths = parse_docker_config(json.dumps({"auths": {host: {"auth": auth}}}))
        found = run(gate, lambda r: r.resolve("private/app", "1.0"), auths=auths)
        tags = run(gate, lambda r: r.tags("private/app"), auths=auths)
    assert found.digest == digest
    assert tags == ["1.0"]
    assert "repository:private/app:pull" in scopes


def test_without_credentials_the_token_server_refuses(registry: str, pusher: Pusher) -> None:
    pusher.image("private/other", "1.0", label="other")
    with token_gate(registry) as (gate, _), pytest.raises(RegistryUnavailable, match="token"):
        run(gate, lambda r: r.resolve("private/other", "1.0"))


def test_credentials_never_show_in_the_auths_repr() -> None:
    auths = parse_docker_config(
        json.dumps({"auths": {"https://r.example/v1/": {"username": "u", "password": "hunter2"}}})
    )
    assert auths.for_host("r.example") == ("u", "hunter2")
    assert "hunter2" not in repr(auths)


@pytest.mark.parametrize(
    "body",
    [
        b'{"manifests": [1]}',
        b'{"manifests": {"digest": "sha256:0"}}',
        b'{"layers": ["sha256:0"]}',
        b'{"config": []}',
        b'{"layers": [{"digest": "sha256:0", "size": 1e400}]}',
    ],
)
def test_a_manifest_with_malformed_descriptors_is_invalid_not_a_crash(body: bytes) -> None:
    with pytest.raises(InvalidManifest, match="sha256:abc: malformed descriptor"):
        parse_manifest(body, "sha256:abc")


def test_a_next_page_on_another_host_is_refused_not_followed_with_our_token() -> None:
    from steward.images.registry import RegistryError
    from tests.servers import Fault, fault_server

    with fault_server() as server:
        server.script("/v2/", [Fault.ok("{}")])
        page = json.dumps({"name": "app", "tags": ["1.0"]})
        link = '<http://127.0.0.2:9/v2/app/tags/list?last=1.0>; rel="next"'
        server.script("/v2/app/tags/list?n=100", [Fault.ok(page, headers={"Link": link})])
        server.script("/v2/app/tags/list", [Fault.ok(page, headers={"Link": link})])
        with pytest.raises(RegistryError, match="another host"):
            run(server.url, lambda registry: registry.tags("app"))
