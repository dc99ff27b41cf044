"""The bundled example system stays self-consistent: what `make demo` scans can be looked up offline.

These tests read the example's files only (no network, no Steward code except `steward.config`), so
they fail when someone edits a manifest without re-recording the registry data it needs.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from steward.config import load

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "eventshop"
GOPROXY = EXAMPLE / "registry" / "goproxy"
SERVICES = EXAMPLE / "services"
GO_MODS = sorted(SERVICES.glob("*/go.mod"))
PLACEHOLDER = ".invalid"


def _escape(path: str) -> str:
    """Module path or version → the proxy's case-encoded spelling."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group().lower(), path)


def _requires(go_mod: str) -> dict[str, str]:
    """``module → version`` of every require directive (block or single line)."""
    found: dict[str, str] = {}
    in_block = False
    for raw in go_mod.splitlines():
        line = raw.split("//")[0].strip()
        if line == "require (":
            in_block = True
        elif in_block and line == ")":
            in_block = False
        elif in_block and line:
            module, version = line.split()[:2]
            found[module] = version
        elif line.startswith("require "):
            module, version = line.split()[1:3]
            found[module] = version
    return found


def _semver(version: str) -> tuple[tuple[int, ...], bool, str]:
    core, _, pre = version.lstrip("v").partition("-")
    return tuple(int(part) for part in core.split(".")), pre == "", pre


def _mirrored_mod(module: str, version: str) -> str:
    return (GOPROXY / _escape(module) / "@v" / f"{_escape(version)}.mod").read_text()


def _pinned_requirements() -> dict[str, str]:
    """``name → version`` of every ``==`` pin in payment-service's requirement files."""
    pins: dict[str, str] = {}
    for path in sorted((SERVICES / "payment-service").rglob("*.txt")):
        for raw in path.read_text().splitlines():
            match = re.match(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==(\S+)", raw.split("#")[0].strip())
            if match:
                pins[canonicalize_name(match.group(1))] = match.group(3)
    return pins


def _uv_locked_direct() -> dict[str, str]:
    """``name → locked version`` of notification-service's direct dependencies (dev group too)."""
    root = SERVICES / "notification-service"
    project = tomllib.loads((root / "pyproject.toml").read_text())
    named = project["project"]["dependencies"] + project["dependency-groups"]["dev"]
    direct = {canonicalize_name(re.match(r"[A-Za-z0-9_.-]+", spec).group()) for spec in named}  # type: ignore[union-attr]
    lock = tomllib.loads((root / "uv.lock").read_text())
    return {
        canonicalize_name(p["name"]): p["version"]
        for p in lock["package"]
        if canonicalize_name(p["name"]) in direct
    }


def _npm_lock() -> dict[str, object]:
    return json.loads((SERVICES / "shipping-service" / "package-lock.json").read_text())  # type: ignore[no-any-return]


def test_settings_name_every_service_folder_with_its_owners_and_topics() -> None:
    settings = load(EXAMPLE)
    assert len(settings.services) >= 5
    for service in settings.services:
        assert (EXAMPLE / service.path).is_dir(), service.path
        assert service.owners, service.name
        assert service.produces or service.consumes, service.name
    assert {eco: settings.registry(eco).fallback for eco in ("go", "pypi", "npm")} == {
        "go": "file:registry/goproxy",
        "pypi": "file:registry/pypi",
        "npm": "file:registry/npm",
    }


def test_every_produced_topic_has_exactly_one_producer() -> None:
    producers: dict[str, list[str]] = {}
    for service in load(EXAMPLE).services:
        for topic in service.produces:
            producers.setdefault(topic, []).append(service.name)
    assert all(len(names) == 1 for names in producers.values()), producers
    consumed = {topic for s in load(EXAMPLE).services for topic in s.consumes}
    assert consumed <= set(producers), consumed - set(producers)


@pytest.mark.parametrize("go_mod", GO_MODS, ids=lambda p: p.parent.name)
def test_every_go_requirement_is_a_version_the_mirror_lists(go_mod: Path) -> None:
    for module, version in _requires(go_mod.read_text()).items():
        listed = (GOPROXY / _escape(module) / "@v" / "list").read_text().split()
        assert version in listed, f"{module} {version}"


@pytest.mark.parametrize("go_mod", GO_MODS, ids=lambda p: p.parent.name)
def test_go_requirements_are_not_below_what_their_dependencies_require(go_mod: Path) -> None:
    ours = _requires(go_mod.read_text())
    for module, version in ours.items():
        for needed, needed_version in _requires(_mirrored_mod(module, version)).items():
            if needed in ours:
                assert _semver(needed_version) <= _semver(ours[needed]), (module, needed)


def test_go_sum_is_not_shipped_because_its_hashes_cannot_be_computed_offline() -> None:
    assert not list(SERVICES.glob("*/go.sum"))


def test_every_direct_pypi_dependency_is_recorded_with_its_version() -> None:
    wanted = [*_pinned_requirements().items(), *_uv_locked_direct().items()]
    assert len(wanted) >= 15
    for name, version in wanted:
        page = json.loads((EXAMPLE / "registry" / "pypi" / name / "index.json").read_text())
        assert Version(version) in {Version(v) for v in page["versions"]}, (name, version)


def test_every_direct_npm_dependency_is_recorded_with_its_locked_version() -> None:
    packages = _npm_lock()["packages"]
    assert isinstance(packages, dict)
    root = packages[""]
    for name in {**root["dependencies"], **root["devDependencies"]}:
        locked = packages[f"node_modules/{name}"]["version"]
        packument = json.loads((EXAMPLE / "registry" / "npm" / name).read_text())
        assert locked in packument["versions"], (name, locked)


def test_npm_lock_is_version_3_and_resolves_only_on_the_placeholder_mirror() -> None:
    lock = _npm_lock()
    assert lock["lockfileVersion"] == 3
    packages = lock["packages"]
    assert isinstance(packages, dict)
    resolved = [p["resolved"] for key, p in packages.items() if key]
    assert resolved and all(urlsplit(url).hostname == "npm-mirror.invalid" for url in resolved)
    assert all(p.get("integrity", "").startswith("sha512-") for key, p in packages.items() if key)


def test_uv_lock_points_only_at_the_placeholder_index() -> None:
    lock = tomllib.loads((SERVICES / "notification-service" / "uv.lock").read_text())
    urls = [
        entry["url"]
        for package in lock["package"]
        for entry in [package.get("sdist", {}), *package.get("wheels", [])]
        if "url" in entry
    ] + [p["source"]["registry"] for p in lock["package"] if "registry" in p["source"]]
    assert urls and all((urlsplit(url).hostname or "").endswith(PLACEHOLDER) for url in urls)


def test_recorded_pypi_files_are_rehosted_on_the_placeholder() -> None:
    for page in (EXAMPLE / "registry" / "pypi").glob("*/index.json"):
        for file in json.loads(page.read_text())["files"]:
            assert (urlsplit(file["url"]).hostname or "").endswith(PLACEHOLDER), page


def test_the_three_contracts_parse() -> None:
    schemas = EXAMPLE / "schemas"
    avro = json.loads((schemas / "payments" / "payment_captured.avsc").read_text())
    assert avro["namespace"] == "com.eventshop.payments"
    json_schema = json.loads((schemas / "inventory" / "stock_reserved.schema.json").read_text())
    assert json_schema["$schema"].endswith("/draft/2020-12/schema")
    proto = (schemas / "orders" / "v1" / "order_placed.proto").read_text()
    assert 'syntax = "proto3";' in proto and "[deprecated = true]" in proto
