"""Release notes found where they live, from real HTTP servers on 127.0.0.1.

The servers hold archives the tests build: a Go module zip, an npm tarball, an sdist and a wheel,
and a forge releases API; the changelog inside the module zip is chi's own.
"""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from steward.config import RegistrySettings, Settings
from steward.ecosystems.gomod.registry import escape
from steward.sources.http import HttpClient
from steward.sources.releasenotes import OFFLINE, NotesResult, ReleaseNotes
from tests.servers import Fault, FaultServer, fault_server, serve

DATA = Path(__file__).resolve().parents[1] / "data" / "release-notes"
CHI_CHANGELOG = (DATA / "github.com" / "go-chi" / "chi" / "v5" / "CHANGELOG.md").read_bytes()
CHI = "github.com/go-chi/chi/v5"
NPM_CHANGELOG = (DATA / "written" / "conventional.md").read_bytes()
PY_CHANGES = (DATA / "written" / "CHANGES.rst").read_bytes()


def lookup(
    env: Mapping[str, str],
    ecosystem: str,
    package: str,
    current: str,
    candidate: str,
    *,
    settings: Settings | None = None,
    offline: bool = False,
    cache: Path | None = None,
) -> NotesResult:
    async def main() -> NotesResult:
        async with HttpClient(timeout=5.0, retries=1, offline=offline, cache_dir=cache) as http:
            notes = ReleaseNotes(http, settings or Settings(), dict(env))
            return await notes.notes(ecosystem, package, current, candidate)

    return asyncio.run(main())


def make_zip(members: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def make_tgz(members: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


def module_zip(proxy: Path, module: str, version: str, members: Mapping[str, bytes]) -> None:
    """``module``'s zip as a proxy serves it: escaped path outside, the real path inside."""
    folder = proxy / escape(module) / "@v"
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"{module}@{version}/"
    (folder / f"{version}.zip").write_bytes(make_zip({prefix + k: v for k, v in members.items()}))


# --- Go ------------------------------------------------------------------------------------------


def test_the_changelog_in_the_module_zip_is_cut(tmp_path: Path) -> None:
    module_zip(tmp_path, CHI, "v5.0.12", {"CHANGELOG.md": CHI_CHANGELOG, "chi.go": b"package chi"})
    with serve(tmp_path) as url:
        result = lookup({"GOPROXY": url}, "go", CHI, "v5.0.9", "v5.0.12")
    assert result.reason is None and result.found
    assert result.slice is not None
    assert result.slice.versions == ("v5.0.12", "v5.0.11", "v5.0.10")
    assert result.slice.source == "CHANGELOG.md in the module zip"
    assert result.searched == (f"the module zip ({url}/{CHI}/@v/v5.0.12.zip)",)


def test_a_module_zip_without_a_changelog_says_so(tmp_path: Path) -> None:
    module_zip(tmp_path, "example.test/quiet", "v1.1.0", {"go.mod": b"module example.test/quiet"})
    with serve(tmp_path) as url:
        result = lookup({"GOPROXY": url}, "go", "example.test/quiet", "v1.0.0", "v1.1.0")
    assert result.slice is None
    assert result.reason == "no release notes found: no changelog in the module zip"


def test_upper_case_module_paths_are_escaped_and_a_missing_version_reported(tmp_path: Path) -> None:
    module_zip(tmp_path, "example.test/Acme/kit", "v1.0.0", {"CHANGELOG.md": b"## v1.0.0\n"})
    with serve(tmp_path) as url:
        found = lookup({"GOPROXY": url}, "go", "example.test/Acme/kit", "v0.9.0", "v1.0.0")
        missing = lookup({"GOPROXY": url}, "go", "example.test/Acme/kit", "v1.0.0", "v1.1.0")
    assert found.slice is not None and found.slice.versions == ("v1.0.0",)
    assert missing.slice is None and missing.reason is not None
    assert "v1.1.0.zip: HTTP 404" in missing.reason


def test_goproxy_off_and_private_modules_are_not_checked() -> None:
    off = lookup({"GOPROXY": "off"}, "go", CHI, "v5.0.9", "v5.0.12")
    private = lookup(
        {"GOPROXY": "http://127.0.0.1:9", "GOPRIVATE": "github.com/go-chi"},
        "go",
        CHI,
        "v5.0.9",
        "v5.0.12",
    )
    assert off.reason is not None and private.reason is not None
    assert off.reason.startswith("no release notes found: not checked: GOPROXY=off;")
    assert private.reason.startswith(
        "no release notes found: not checked: private module (GOPRIVATE matches github.com/go-chi)"
    )
    assert off.reason.endswith(
        "the releases of go-chi/chi were not asked: no GITHUB_API_URL configured"
    )
    assert off.searched == private.searched == ()


def test_offline_without_a_cache_is_not_checked(tmp_path: Path) -> None:
    result = lookup(
        {"GOPROXY": "http://127.0.0.1:9"},
        "go",
        CHI,
        "v5.0.9",
        "v5.0.12",
        offline=True,
        cache=tmp_path,
    )
    assert result.slice is None and result.reason == OFFLINE


def test_offline_after_a_lookup_reads_the_cache(tmp_path: Path) -> None:
    proxy, cache = tmp_path / "proxy", tmp_path / "cache"
    module_zip(proxy, CHI, "v5.0.12", {"CHANGELOG.md": CHI_CHANGELOG})
    with serve(proxy) as url:
        lookup({"GOPROXY": url}, "go", CHI, "v5.0.9", "v5.0.12", cache=cache)
        again = lookup({"GOPROXY": url}, "go", CHI, "v5.0.9", "v5.0.12", cache=cache, offline=True)
    assert again.found and again.reason is None


def test_a_changelog_that_stopped_is_reported_and_the_forge_is_asked(tmp_path: Path) -> None:
    module_zip(tmp_path / "proxy", CHI, "v5.1.0", {"CHANGELOG.md": CHI_CHANGELOG})
    releases = [
        {"tag_name": "v5.1.0", "body": "## What's Changed\n* Go 1.22 or newer is required"},
        {"tag_name": "v5.0.14", "body": "* fix"},
        {"tag_name": "v5.0.12", "body": "* old"},
    ]
    with serve(tmp_path / "proxy") as url, fault_server() as forge:
        forge.script("/api/repos/go-chi/chi/releases", [Fault.json(releases)])
        env = {"GOPROXY": url, "GITHUB_API_URL": forge.url + "/api", "GITHUB_TOKEN": "t0ken"}
        result = lookup(env, "go", CHI, "v5.0.12", "v5.1.0")
        sent = forge.requests("/api/repos/go-chi/chi/releases")[0]
    assert result.reason is None and result.slice is not None
    assert result.slice.source == "the releases of go-chi/chi"
    assert result.slice.versions == ("v5.1.0", "v5.0.14")
    assert "Go 1.22 or newer is required" in result.slice.text
    assert sent.headers["authorization"] == "Bearer t0ken"
    assert "per_page=100" in sent.path
    assert all("t0ken" not in place for place in result.searched)


def test_without_a_token_the_forge_is_not_asked(tmp_path: Path) -> None:
    module_zip(tmp_path, CHI, "v5.1.0", {"CHANGELOG.md": CHI_CHANGELOG})
    with serve(tmp_path) as url, fault_server() as forge:
        env = {"GOPROXY": url, "GITHUB_API_URL": forge.url + "/api"}
        result = lookup(env, "go", CHI, "v5.0.12", "v5.1.0")
        assert forge.hits() == 0
    assert result.slice is not None and result.slice.sections == ()
    assert result.reason == (
        "CHANGELOG.md in the module zip has no entry after v5.0.12 (its newest is v5.0.12)"
    )


# --- npm -----------------------------------------------------------------------------------------


def npm_registry(
    srv: FaultServer, name: str, version: str, tarball: bytes, **extra: Any
) -> Settings:
    path = f"/{name}/-/{name}-{version}.tgz"
    packument = {
        "name": name,
        "versions": {version: {"dist": {"tarball": srv.url + path}, **extra}},
    }
    srv.script(f"/{name}", [Fault.json(packument)])
    srv.script(path, [Fault.ok(tarball)])
    return Settings(registries={"npm": RegistrySettings(url=srv.url)})


def test_the_changelog_in_the_npm_tarball_is_cut() -> None:
    tarball = make_tgz({"package/package.json": b"{}", "package/CHANGELOG.md": NPM_CHANGELOG})
    with fault_server() as srv:
        settings = npm_registry(srv, "schema-kit", "5.0.0", tarball)
        result = lookup({}, "npm", "schema-kit", "4.2.0", "5.0.0", settings=settings)
    assert result.reason is None and result.slice is not None
    assert result.slice.versions == ("5.0.0", "4.2.1")
    assert result.slice.source == "CHANGELOG.md in the npm tarball"
    assert [place.split(" (")[0] for place in result.searched] == [
        "the packument of schema-kit",
        "the npm tarball",
    ]


def test_a_hostile_tarball_is_reported_and_its_safe_changelog_still_read() -> None:
    tarball = make_tgz({"package/../../evil": b"x", "package/CHANGELOG.md": NPM_CHANGELOG})
    with fault_server() as srv:
        settings = npm_registry(srv, "kit", "4.2.1", tarball)
        result = lookup({}, "npm", "kit", "4.2.0", "4.2.1", settings=settings)
    assert result.slice is not None and result.slice.versions == ("4.2.1",)


def test_the_npm_repository_leads_to_the_forge_releases() -> None:
    tarball = make_tgz({"package/package.json": b"{}"})
    releases = [{"tag_name": "kit@2.0.0", "body": "- BREAKING: drop Node 16"}]
    with fault_server() as srv:
        settings = npm_registry(
            srv, "kit", "2.0.0", tarball, repository={"url": "git+https://github.com/acme/kit.git"}
        )
        srv.script("/api/repos/acme/kit/releases", [Fault.json(releases)])
        env = {"GITHUB_API_URL": srv.url + "/api", "GITHUB_TOKEN": "t"}
        result = lookup(env, "npm", "kit", "1.0.0", "2.0.0", settings=settings)
    assert result.slice is not None and result.slice.versions == ("2.0.0",)
    assert result.searched[-1].startswith("the releases of acme/kit")


def test_an_npm_registry_that_fails_is_reported() -> None:
    with fault_server() as srv:
        srv.script("/kit", [Fault.status(503)])
        settings = Settings(registries={"npm": RegistrySettings(url=srv.url)})
        result = lookup({}, "npm", "kit", "1.0.0", "2.0.0", settings=settings)
    assert result.slice is None and result.reason is not None
    assert "HTTP 503" in result.reason


# --- PyPI ----------------------------------------------------------------------------------------


def pypi_index(srv: FaultServer, files: Mapping[str, bytes]) -> Settings:
    links = [{"filename": name, "url": f"../../files/{name}", "hashes": {}} for name in files]
    srv.script("/simple/pubsub/", [Fault.json({"name": "pubsub", "files": links})])
    for name, body in files.items():
        srv.script(f"/files/{name}", [Fault.ok(body)])
    return Settings(registries={"pypi": RegistrySettings(url=srv.url + "/simple")})


def metadata(description: str = "", urls: tuple[str, ...] = ()) -> bytes:
    head = ["Metadata-Version: 2.1", "Name: pubsub", "Version: 2.1.0"]
    head += [f"Project-URL: {u}" for u in urls]
    return ("\n".join(head) + "\n\n" + description).encode()


def test_the_changes_file_in_the_sdist_is_cut() -> None:
    sdist = make_tgz({"pubsub-2.1.0/PKG-INFO": metadata(), "pubsub-2.1.0/CHANGES.rst": PY_CHANGES})
    wheel = make_zip({"pubsub-2.1.0.dist-info/METADATA": metadata()})
    with fault_server() as srv:
        settings = pypi_index(
            srv, {"pubsub-2.1.0-py3-none-any.whl": wheel, "pubsub-2.1.0.tar.gz": sdist}
        )
        result = lookup({}, "pypi", "pubsub", "2.0.0", "2.1.0", settings=settings)
        assert srv.hits("/files/pubsub-2.1.0-py3-none-any.whl") == 0
        sent = srv.requests("/simple/pubsub/")[0]
    assert sent.headers["accept"] == "application/vnd.pypi.simple.v1+json"
    assert result.reason is None and result.slice is not None
    assert result.slice.versions == ("2.1.0", "2.0.1")
    assert result.slice.source == "CHANGES.rst in the sdist pubsub-2.1.0.tar.gz"


def test_the_wheel_long_description_is_read_when_the_sdist_has_no_notes() -> None:
    sdist = make_tgz({"pubsub-2.1.0/PKG-INFO": metadata()})
    wheel = make_zip(
        {"pubsub-2.1.0.dist-info/METADATA": metadata("# pubsub\n\n" + PY_CHANGES.decode())}
    )
    with fault_server() as srv:
        settings = pypi_index(
            srv, {"pubsub-2.1.0.tar.gz": sdist, "pubsub-2.1.0-py3-none-any.whl": wheel}
        )
        result = lookup({}, "pypi", "pubsub", "2.0.1", "2.1.0", settings=settings)
    assert result.slice is not None and result.slice.versions == ("2.1.0",)
    assert result.slice.source == "the long description in pubsub-2.1.0-py3-none-any.whl"


def test_the_changelog_project_url_is_read_when_it_serves_text() -> None:
    with fault_server() as srv:
        urls = (f"Changelog, {srv.url}/CHANGES.rst", "Documentation, https://docs.invalid/")
        wheel = make_zip({"pubsub-2.1.0.dist-info/METADATA": metadata("Just a README.", urls)})
        settings = pypi_index(srv, {"pubsub-2.1.0-py3-none-any.whl": wheel})
        srv.script("/CHANGES.rst", [Fault.ok(PY_CHANGES, headers={"Content-Type": "text/plain"})])
        result = lookup({}, "pypi", "pubsub", "2.0.1", "2.1.0", settings=settings)
    assert result.reason is None and result.slice is not None
    assert result.slice.source == f"Changelog ({srv.url}/CHANGES.rst)"


def test_an_html_changelog_page_is_not_parsed() -> None:
    with fault_server() as srv:
        wheel = make_zip(
            {"pubsub-2.1.0.dist-info/METADATA": metadata("", (f"Changelog, {srv.url}/c",))}
        )
        settings = pypi_index(srv, {"pubsub-2.1.0-py3-none-any.whl": wheel})
        srv.script("/c", [Fault.ok("<html>2.1.0</html>", headers={"Content-Type": "text/html"})])
        result = lookup({}, "pypi", "pubsub", "2.0.1", "2.1.0", settings=settings)
    assert result.slice is None and result.reason is not None
    assert f"{srv.url}/c is an HTML page, not read" in result.reason


def test_no_pypi_file_for_the_candidate_is_said_plainly() -> None:
    with fault_server() as srv:
        settings = pypi_index(srv, {"pubsub-2.0.0.tar.gz": make_tgz({})})
        result = lookup({}, "pypi", "pubsub", "2.0.0", "2.1.0", settings=settings)
    assert result.slice is None
    assert (
        result.reason == "no release notes found: the index lists no sdist or wheel of pubsub 2.1.0"
    )


def test_a_local_index_folder_is_read(tmp_path: Path) -> None:
    sdist = make_tgz({"pubsub-2.1.0/CHANGES.rst": PY_CHANGES})
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "pubsub-2.1.0.tar.gz").write_bytes(sdist)
    (tmp_path / "simple" / "pubsub").mkdir(parents=True)
    page = {
        "files": [{"filename": "pubsub-2.1.0.tar.gz", "url": "../../files/pubsub-2.1.0.tar.gz"}]
    }
    (tmp_path / "simple" / "pubsub" / "index.json").write_text(json.dumps(page))
    settings = Settings(registries={"pypi": RegistrySettings(url=(tmp_path / "simple").as_uri())})
    result = lookup({}, "pypi", "pubsub", "2.0.1", "2.1.0", settings=settings)
    assert result.found and result.reason is None


# --- what is not looked up -------------------------------------------------------------------------


def test_other_ecosystems_and_bad_versions_are_not_checked() -> None:
    assert lookup({}, "docker", "nginx", "1.25", "1.27").reason == (
        "not checked: release notes are not looked up for docker"
    )
    assert lookup({}, "go", CHI, "5.0.9", "v5.0.12").reason == (
        "not checked: '5.0.9' is not a go version"
    )
