"""API evidence end to end: real archives (a wheel, an npm tarball, a Go module zip) built here,
served like registries on 127.0.0.1, fetched and read through `steward.sources.artifacts`."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
import zipfile
from pathlib import Path

from steward.config import RegistrySettings, Settings
from steward.model import Evidence
from steward.sources.artifacts import gather_evidence
from steward.sources.http import HttpClient
from steward.sources.registry import RegistryContext
from tests.servers import serve
from tests.unit.analysis.apidiff.test_apidiff import (
    GO_NEW,
    GO_OLD,
    NPM_NEW,
    NPM_OLD,
    PY_NEW,
    PY_OLD,
)


def _zip(path: Path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)


def _tgz(path: Path, files: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _layout(root: Path, base: str) -> None:
    go = root / "go" / "example.com" / "m" / "@v"
    go.mkdir(parents=True)
    _zip(go / "v1.0.0.zip", GO_OLD)
    _zip(go / "v1.1.0.zip", GO_NEW)
    pypi = root / "pypi" / "pkg"
    pypi.mkdir(parents=True)
    files = []
    for version, sources in (("1.0", PY_OLD), ("1.1", PY_NEW)):
        name = f"pkg-{version}-py3-none-any.whl"
        _zip(root / "pypi" / name, sources)
        files.append({"filename": name, "url": f"../{name}", "hashes": {}})
    (pypi / "index.html").write_text(
        json.dumps({"meta": {"api-version": "1.1"}, "name": "pkg", "files": files})
    )
    npm = root / "npm"
    (npm / "tarballs").mkdir(parents=True)
    _tgz(npm / "tarballs" / "lib-1.0.0.tgz", NPM_OLD)
    _tgz(npm / "tarballs" / "lib-2.0.0.tgz", NPM_NEW)
    versions = {
        v: {"version": v, "dist": {"tarball": f"{base}/npm/tarballs/lib-{v}.tgz"}}
        for v in ("1.0.0", "2.0.0")
    }
    (npm / "lib").write_text(json.dumps({"name": "lib", "versions": versions}))


def _gather(
    base: str, root: Path, pairs: list[tuple[str, str, str, str]]
) -> dict[tuple[str, str, str, str], tuple[Evidence, ...]]:
    settings = Settings(
        registries={
            "go": RegistrySettings(url=f"{base}/go"),
            "pypi": RegistrySettings(url=f"{base}/pypi"),
            "npm": RegistrySettings(url=f"{base}/npm"),
        },
        base_dir=root,
    )
    env = {"GOPROXY": f"{base}/go", "GOFLAGS": "", "PATH": ""}

    async def run() -> dict[tuple[str, str, str, str], tuple[Evidence, ...]]:
        async with HttpClient(retries=1) as http:
            ctx = RegistryContext(http=http, settings=settings, root=root, env=env)
            return await gather_evidence(http, ctx, pairs)

    return asyncio.run(run())


def test_api_evidence_from_served_archives(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with serve(site) as base:
        _layout(site, base)
        pairs = [
            ("go", "example.com/m", "v1.0.0", "v1.1.0"),
            ("pypi", "pkg", "1.0", "1.1"),
            ("npm", "lib", "1.0.0", "2.0.0"),
            ("go", "example.com/m", "v1.0.0", "v9.9.9"),
        ]
        found = _gather(base, tmp_path, pairs)
    api = {pair: [e for e in pieces if e.kind.value == "api"] for pair, pieces in found.items()}
    go, py, js, missing = (api[p] for p in pairs)
    assert go[0].breaking and "Client.Get" in go[0].detail and "removed: Other" in go[0].detail
    assert py[0].breaking and "pkg.core.Thing.go" in py[0].detail
    assert js[0].breaking and "removed: Client.get" in js[0].detail
    assert not missing[0].breaking and missing[0].summary.startswith("not checked: not found at")
