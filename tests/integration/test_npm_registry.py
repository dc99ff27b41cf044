"""The npm registry client against real servers on 127.0.0.1 and recorded packuments."""

from __future__ import annotations

import asyncio
import functools
import http.server
import json
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from steward.config import RegistrySettings, Settings
from steward.ecosystems.npm import PLUGIN
from steward.ecosystems.npm.npmrc import NpmConfig
from steward.ecosystems.npm.registry import NOT_CONFIGURED, NpmRegistry
from steward.model import NotChecked, PackageInfo
from steward.sources.http import HttpClient
from steward.sources.registry import NotCheckedError, Registry, RegistryContext
from tests.servers import serve

DATA = Path(__file__).parent / "data" / "npm"
TOKEN = "s3cr3t-t0ken-value"


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder and remembers the path and Authorization header of every request."""

    seen: list[tuple[str, str | None]]

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization")))
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def recording_server(directory: Path) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    seen: list[tuple[str, str | None]] = []
    handler = type("Handler", (_RecordingHandler,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def fetch(registry: Registry | NotChecked, name: str) -> PackageInfo:
    assert isinstance(registry, NpmRegistry), registry

    async def run() -> PackageInfo:
        async with registry.http:
            return await registry.fetch(name)

    return asyncio.run(run())


def client() -> HttpClient:
    return HttpClient(retries=0, backoff=0.0, timeout=5.0)


def make_registry(primary: str | None, **kwargs: Any) -> NpmRegistry:
    return NpmRegistry(client(), primary, **kwargs)


def write_packument(folder: Path, name: str, packument: dict[str, Any]) -> None:
    path = folder.joinpath(*name.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(packument))


def test_recorded_packument_over_http_gives_releases_dates_and_latest() -> None:
    with serve(DATA) as base:
        info = fetch(make_registry(base + "/"), "express")
    recorded = json.loads((DATA / "express").read_text())
    assert info.latest == recorded["dist-tags"]["latest"]
    assert {r.version for r in info.releases} == set(recorded["versions"])
    release = info.release("4.18.2")
    assert release is not None and release.published is not None
    assert release.published.tzinfo is not None
    assert info.source == base + "/"


def test_scoped_names_are_requested_with_an_encoded_slash() -> None:
    with recording_server(DATA) as (base, seen):
        info = fetch(make_registry(base), "@types/node")
    assert seen[0][0] == "/@types%2fnode"
    assert info.name == "@types/node" and info.latest is not None


def test_file_registry_reads_scoped_packages_from_a_folder() -> None:
    info = fetch(make_registry(DATA.as_uri()), "@types/node")
    assert len(info.releases) > 100


def test_token_for_the_registry_is_sent_and_never_shown() -> None:
    with recording_server(DATA) as (base, seen):
        host = base.removeprefix("http:")
        config = NpmConfig({f"{host}/:_authToken": TOKEN})
        registry = make_registry(base + "/", config=config)
        fetch(registry, "kafkajs")
        with pytest.raises(NotCheckedError) as error:
            fetch(make_registry(base + "/", config=config), "no-such-package")
    assert seen[0] == ("/kafkajs", f"Bearer {TOKEN}")
    assert TOKEN not in str(error.value) and TOKEN not in repr(config)
    assert "not found" in error.value.reason


def test_scoped_registry_gets_its_own_packages(tmp_path: Path) -> None:
    write_packument(
        tmp_path,
        "@acme/events",
        {
            "name": "@acme/events",
            "dist-tags": {"latest": "1.0.0"},
            "versions": {"1.0.0": {"version": "1.0.0"}},
            "time": {},
        },
    )
    with serve(tmp_path) as scoped, serve(DATA) as public:
        config = NpmConfig({"@acme:registry": scoped})
        registry = make_registry(public, config=config)
        assert fetch(registry, "@acme/events").latest == "1.0.0"
        registry = make_registry(public, config=config)
        assert fetch(registry, "lodash").latest is not None


def test_unreachable_primary_falls_back_to_recorded_data() -> None:
    info = fetch(make_registry(closed_port_url(), fallback=DATA.as_uri()), "lodash")
    assert info.latest is not None


def test_unreachable_primary_without_fallback_is_not_checked() -> None:
    with pytest.raises(NotCheckedError):
        fetch(make_registry(closed_port_url()), "lodash")


def test_deprecated_versions_and_a_deprecated_latest(tmp_path: Path) -> None:
    write_packument(
        tmp_path,
        "old-thing",
        {
            "name": "old-thing",
            "dist-tags": {"latest": "2.0.0"},
            "time": {"1.0.0": "2015-01-02T03:04:05.000Z", "2.0.0": "2016-01-02T03:04:05.000Z"},
            "versions": {
                "1.0.0": {"version": "1.0.0"},
                "2.0.0": {"version": "2.0.0", "deprecated": "use new-thing"},
            },
        },
    )
    with serve(tmp_path) as base:
        info = fetch(make_registry(base), "old-thing")
    assert info.deprecated == "use new-thing"
    assert [(r.version, r.deprecated) for r in info.releases] == [
        ("1.0.0", None),
        ("2.0.0", "use new-thing"),
    ]
    assert info.releases[0].published == datetime(2015, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_unpublished_package_is_not_checked(tmp_path: Path) -> None:
    write_packument(
        tmp_path,
        "gone",
        {
            "name": "gone",
            "time": {
                "created": "2015-01-01T00:00:00.000Z",
                "unpublished": {"time": "2016-01-01T00:00:00.000Z"},
            },
        },
    )
    with serve(tmp_path) as base, pytest.raises(NotCheckedError) as error:
        fetch(make_registry(base), "gone")
    assert "unpublished" in error.value.reason


def test_malformed_packument_is_not_checked(tmp_path: Path) -> None:
    (tmp_path / "broken").write_text("{not json")
    with serve(tmp_path) as base, pytest.raises(NotCheckedError):
        fetch(make_registry(base), "broken")


# --- where lookups go: the plugin's registry factory --------------------------------------------


def context(
    root: Path,
    env: dict[str, str] | None = None,
    settings: Settings | None = None,
    home: Path | None = None,
) -> RegistryContext:
    return RegistryContext(
        http=client(),
        settings=settings or Settings(base_dir=root),
        root=root,
        env=env or {},
        home=home,
    )


def test_project_npmrc_names_the_registry_and_its_token(tmp_path: Path) -> None:
    with recording_server(DATA) as (base, seen):
        host = base.removeprefix("http:")
        (tmp_path / ".npmrc").write_text(
            f"# project settings\nregistry={base}/\n{host}/:_authToken=${{NPM_TOKEN}}\nalways-auth=true\n"
        )
        registry = PLUGIN.registry(context(tmp_path, env={"NPM_TOKEN": TOKEN}))
        fetch(registry, "left-pad")
    assert seen == [("/left-pad", f"Bearer {TOKEN}")]


def test_environment_overrides_npmrc_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".npmrc").write_text("registry=http://127.0.0.1:9/user/\n")
    (tmp_path / ".npmrc").write_text("registry=http://127.0.0.1:9/project/\n")
    registry = PLUGIN.registry(context(tmp_path, home=home))
    assert isinstance(registry, NpmRegistry) and registry.primary == "http://127.0.0.1:9/project/"
    registry = PLUGIN.registry(
        context(tmp_path, env={"npm_config_registry": DATA.as_uri()}, home=home)
    )
    assert isinstance(registry, NpmRegistry) and registry.primary == DATA.as_uri()


def test_user_and_global_config_files(tmp_path: Path) -> None:
    (tmp_path / "global").write_text("registry=http://127.0.0.1:9/global/\n")
    env = {"NPM_CONFIG_GLOBALCONFIG": str(tmp_path / "global")}
    registry = PLUGIN.registry(context(tmp_path, env=env))
    assert isinstance(registry, NpmRegistry) and registry.primary == "http://127.0.0.1:9/global/"
    (tmp_path / "user").write_text("registry=http://127.0.0.1:9/user/\n")
    registry = PLUGIN.registry(
        context(tmp_path, env={**env, "NPM_CONFIG_USERCONFIG": str(tmp_path / "user")})
    )
    assert isinstance(registry, NpmRegistry) and registry.primary == "http://127.0.0.1:9/user/"


def test_unset_variable_in_npmrc_is_not_checked_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / ".npmrc").write_text("//127.0.0.1/:_authToken=${MISSING_TOKEN}\n")
    result = PLUGIN.registry(context(tmp_path))
    assert isinstance(result, NotChecked) and "MISSING_TOKEN" in result.reason


def test_nothing_configured_is_not_checked(tmp_path: Path) -> None:
    assert PLUGIN.registry(context(tmp_path, env={"PATH": ""})) == NotChecked(NOT_CONFIGURED)


def test_npm_on_path_is_asked_when_no_npmrc_names_a_registry(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "npm"
    fake.write_text(
        '#!/bin/sh\n[ "$1 $2 $3" = "config get registry" ] && echo http://127.0.0.1:9/from-npm/\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    registry = PLUGIN.registry(
        context(tmp_path, env={"PATH": str(bin_dir), "HOME": os.fspath(tmp_path)})
    )
    assert isinstance(registry, NpmRegistry) and registry.primary == "http://127.0.0.1:9/from-npm/"


def test_settings_url_and_fallback_relative_to_the_settings_folder(tmp_path: Path) -> None:
    (tmp_path / "recorded").symlink_to(DATA, target_is_directory=True)
    settings = Settings(
        base_dir=tmp_path,
        registries={"npm": RegistrySettings(url=closed_port_url(), fallback="file:recorded")},
    )
    registry = PLUGIN.registry(context(tmp_path, env={"PATH": ""}, settings=settings))
    assert isinstance(registry, NpmRegistry)
    assert registry.fallback == (tmp_path / "recorded").resolve().as_uri()
    assert fetch(registry, "kafkajs").latest is not None


def test_fallback_alone_answers(tmp_path: Path) -> None:
    settings = Settings(
        base_dir=tmp_path, registries={"npm": RegistrySettings(fallback=DATA.as_uri())}
    )
    registry = PLUGIN.registry(context(tmp_path, env={"PATH": ""}, settings=settings))
    assert fetch(registry, "request").latest is not None
