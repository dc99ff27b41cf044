"""Image contents end to end: images built here, pushed to a real registry, scanned by
`steward images` against the example's Debian and Alpine advisories."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from steward.cli.main import main
from steward.config import AdvisorySettings, Settings
from steward.images.pipeline import run
from steward.images.settings import ImageSettings
from tests.images.layers_kit import (
    REAL_STATUS,
    Entry,
    alpine_image,
    debian_base,
    debian_top,
    files,
    older_status,
    tar,
)
from tests.images.oci import Pusher

OSV = Path(__file__).resolve().parents[2] / "examples" / "eventshop" / "advisories" / "osv"
TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def images(pusher: Pusher) -> Pusher:
    """``shop/debian`` 12.0-slim (an index: an old Debian amd64 image, an Alpine arm64 one) and
    12.1-slim (newer packages), ``shop/alpine:3.19.1``, and two images Steward must refuse."""
    old = pusher.image("shop/debian", None, [debian_base(older_status()), debian_top()])
    arm = pusher.image("shop/debian", None, alpine_image(), arch="arm64")
    pusher.index("shop/debian", "12.0-slim", {"linux/amd64": old, "linux/arm64": arm})
    pusher.image("shop/debian", "12.1-slim", [debian_base(REAL_STATUS), debian_top()])
    pusher.image("shop/alpine", "3.19.1", alpine_image())
    pusher.image("shop/broken", "1.0", [b"\x1f\x8b\x08\x00 this is not gzip"])
    climbing = tar(files({"../../etc/os-release": "ID=debian\nVERSION_ID=12\n"}))
    pusher.image("shop/hostile", "1.0", [climbing])
    pusher.image("shop/static", "1.0", [tar([Entry("app", content=b"\x7fELF")], "none")])
    return pusher


def _tree(root: Path) -> Path:
    (root / "svc").mkdir(parents=True)
    (root / "svc" / "Dockerfile").write_text(
        "FROM shop/debian:12.0-slim AS build\nFROM shop/alpine:3.19.1\n"
    )
    (root / "compose.yaml").write_text(
        "services:\n"
        "  a:\n    image: shop/broken:1.0\n"
        "  b:\n    image: shop/hostile:1.0\n"
        "  c:\n    image: shop/static:1.0\n"
    )
    return root


def _settings(root: Path, tmp_path: Path) -> Settings:
    sources = [f"file:{OSV / 'Debian'}", f"file:{OSV / 'Alpine'}"]
    advisories = AdvisorySettings(sources=sources, database=str(tmp_path / "advisories.db"))
    return Settings(base_dir=root, advisories=advisories)


def _scan(tmp_path: Path, registry: str, **images: object) -> dict[str, object]:
    root = _tree(tmp_path / "tree")
    result = run(
        root,
        _settings(root, tmp_path),
        ImageSettings(default_registry=registry, **images),  # type: ignore[arg-type]
        offline=False,
        today=TODAY,
    )
    return {f"{s.ref.file}:{s.ref.line}": s for s in result.statuses}


def test_debian_image_cves_by_severity_and_the_tag_that_fixes_them(
    tmp_path: Path, registry: str, images: Pusher
) -> None:
    status = _scan(tmp_path, registry)["svc/Dockerfile:1"]
    contents = status.contents  # type: ignore[attr-defined]
    assert contents.os == "Debian GNU/Linux 12 (bookworm)" and contents.platform == "linux/amd64"
    assert contents.ecosystem == "Debian:12" and contents.databases == ("dpkg",)
    assert contents.packages == 9  # the stray status.d and apk entries are hidden by layer 2
    assert contents.matched.by_severity() == {"critical": 2, "high": 2, "medium": 1, "unrated": 1}
    [comparison] = contents.candidates
    assert (comparison.tag, comparison.fixes, comparison.remaining, comparison.new) == (
        "12.1-slim",
        5,
        1,
        0,
    )
    [finding] = [f for f in status.findings if f.rule == "image-vulnerable"]  # type: ignore[attr-defined]
    assert finding.severity.value == "critical"
    assert finding.message == (
        "6 known vulnerabilities in OS packages (Debian:12): critical 2, high 2, medium 1, "
        "unrated 1; 12.1-slim fixes 5"
    )
    assert finding.remedy is not None and finding.remedy.to_version == "12.1-slim"
    assert "CVE-2023-4911 glibc 2.36-9+deb12u1 (high): fixed in 2.36-9+deb12u3" in finding.evidence


def test_alpine_image_is_matched_through_origins(
    tmp_path: Path, registry: str, images: Pusher
) -> None:
    contents = _scan(tmp_path, registry)["svc/Dockerfile:2"].contents  # type: ignore[attr-defined]
    assert contents.ecosystem == "Alpine:v3.19" and contents.packages == 5
    assert sorted(contents.matched.keys()) == ["CVE-2023-42363", "CVE-2024-0727", "CVE-2025-26519"]


def test_corrupt_and_hostile_layers_are_findings_for_that_image_only(
    tmp_path: Path, registry: str, images: Pusher
) -> None:
    found = _scan(tmp_path, registry)
    broken = [(f.rule, f.message) for f in found["compose.yaml:3"].findings]  # type: ignore[attr-defined]
    hostile = [(f.rule, f.severity.value) for f in found["compose.yaml:5"].findings]  # type: ignore[attr-defined]
    rule, message = broken[-1]
    assert rule == "image-contents-not-scanned"
    assert message.startswith("contents not scanned: layer sha256:")
    assert message.endswith(")") and "not a readable tar stream" in message
    assert ("image-layer-unsafe", "high") in hostile
    assert "climbs out of the root" in found["compose.yaml:5"].findings[-1].message  # type: ignore[attr-defined]
    static = found["compose.yaml:7"].contents  # type: ignore[attr-defined]
    assert static.not_scanned == "no OS package database in the image" and not static.failed
    assert found["svc/Dockerfile:1"].contents.matched  # type: ignore[attr-defined]


def test_a_layer_above_the_size_limit_is_refused_unread(
    tmp_path: Path, registry: str, images: Pusher
) -> None:
    contents = _scan(tmp_path, registry, max_layer_bytes=64)["svc/Dockerfile:2"].contents  # type: ignore[attr-defined]
    assert contents.failed and "the limit is 64" in contents.not_scanned


def test_the_configured_platform_is_read_from_an_index(
    tmp_path: Path, registry: str, images: Pusher
) -> None:
    contents = _scan(tmp_path, registry, platform="linux/arm64")["svc/Dockerfile:1"].contents  # type: ignore[attr-defined]
    assert contents.platform == "linux/arm64" and contents.ecosystem == "Alpine:v3.19"


def test_json_report_and_exit_code(
    tmp_path: Path,
    registry: str,
    images: Pusher,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _tree(tmp_path / "tree")
    (root / "steward.toml").write_text(
        f'[advisories]\nsources = ["file:{OSV / "Debian"}", "file:{OSV / "Alpine"}"]\n'
        f'database = "{tmp_path / "advisories.db"}"\n'
    )
    monkeypatch.setenv("DOCKER_REGISTRY_MIRROR", registry)
    monkeypatch.setenv("STEWARD_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["images", str(root), "--format", "json"])
    rows = {r["line"]: r for r in json.loads(capsys.readouterr().out)["references"]}
    debian = rows[1]["contents"]
    assert debian["by_severity"] == {"critical": 2, "high": 2, "medium": 1, "unrated": 1}
    assert debian["candidates"] == [
        {"tag": "12.1-slim", "level": "minor", "fixes": 5, "remaining": 1, "new": 0}
    ]
    assert {
        "id": "CVE-2023-52425",
        "severity": "unrated",
        "fixed": "2.5.0-1+deb12u1",
    }.items() <= next(v for v in debian["vulnerabilities"] if v["id"] == "CVE-2023-52425").items()
    assert code == 3  # the broken image's contents could not be read
    assert main(["images", str(root), "--fail-on", "critical"]) == 1


def test_offline_says_contents_not_scanned(tmp_path: Path, registry: str, images: Pusher) -> None:
    root = _tree(tmp_path / "tree")
    result = run(
        root,
        _settings(root, tmp_path),
        ImageSettings(default_registry=registry),
        offline=True,
        today=TODAY,
    )
    assert {s.contents.not_scanned for s in result.statuses if s.contents} == {"offline"}
    assert not (tmp_path / "advisories.db").exists()  # nothing imported, nothing pulled


def test_contents_scanning_can_be_turned_off(tmp_path: Path, registry: str, images: Pusher) -> None:
    found = _scan(tmp_path, registry, scan_contents=False)
    assert all(s.contents is None for s in found.values())  # type: ignore[attr-defined]
