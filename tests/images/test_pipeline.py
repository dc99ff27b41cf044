"""`steward images` end to end: a tree, a real registry, the report and the update command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from steward.cli.main import main
from steward.config import Settings
from steward.images.pipeline import run
from steward.images.settings import ImageSettings
from tests.images.oci import Pusher

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def published(pusher: Pusher) -> dict[str, str]:
    """Tags of ``library/python`` and a multi-arch ``library/redis`` in the registry."""
    digests = {}
    for tag in (
        "3.11.4-slim",
        "3.11.9-slim",
        "3.12.1-slim",
        "3.13.0rc1-slim",
        "3.11-slim",
        "3.11.9-alpine3.19",
        "3.11.9-alpine3.20",
    ):
        digests[tag] = pusher.image("library/python", tag, label=tag)
    amd = pusher.image("library/redis", None, arch="amd64", label="amd-old")
    arm = pusher.image("library/redis", None, arch="arm64", label="arm-old")
    digests["redis-amd-old"] = amd
    digests["redis-old"] = pusher.index(
        "library/redis", "7.2", {"linux/amd64": amd, "linux/arm64": arm}
    )
    new_amd = pusher.image("library/redis", None, arch="amd64", label="amd-new")
    digests["redis-new"] = pusher.index(
        "library/redis", "7.2", {"linux/amd64": new_amd, "linux/arm64": arm}
    )
    digests["redis-amd-new"] = new_amd
    return digests


def _tree(tmp_path: Path, published: dict[str, str]) -> Path:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(
        "ARG PY=3.11.4\n"
        "FROM python:${PY}-slim AS build\n"
        "FROM python:3.11.4-slim\n"
        f"COPY --from=redis:7.2@{published['redis-amd-old']} /x /x\n"
        "FROM python:3.11.9-alpine3.19 AS other\n"
    )
    (tmp_path / "compose.yaml").write_text(
        f"services:\n  cache:\n    image: redis:7.2@{published['redis-old']}\n  gone:\n    image: nothere/app:1.0\n"
    )
    return tmp_path


def _run(root: Path, registry: str) -> dict[str, list[dict[str, str]]]:
    result = run(
        root,
        Settings(base_dir=root),
        ImageSettings(default_registry=registry),
        offline=False,
        today=TODAY,
    )
    return {
        f"{s.ref.file}:{s.ref.line}": [{"rule": f.rule, "message": f.message} for f in s.findings]
        for s in result.statuses
    }


def test_newer_tags_keep_suffix_and_precision(
    tmp_path: Path, registry: str, published: dict[str, str]
) -> None:
    found = _run(_tree(tmp_path, published), registry)
    outdated = [f["message"] for f in found["svc/Dockerfile:3"] if f["rule"] == "image-outdated"]
    assert outdated == ["newer tags: patch 3.11.9-slim, minor 3.12.1-slim"]


def test_an_os_move_is_a_separate_proposal_to_an_existing_tag(
    tmp_path: Path, registry: str, published: dict[str, str]
) -> None:
    found = _run(_tree(tmp_path, published), registry)
    moves = [f["message"] for f in found["svc/Dockerfile:5"] if f["rule"] == "image-os-update"]
    assert len(moves) == 1 and "3.11.9-alpine3.19 → 3.11.9-alpine3.20" in moves[0]


def test_digest_drift_is_compared_like_with_like(
    tmp_path: Path, registry: str, published: dict[str, str]
) -> None:
    found = _run(_tree(tmp_path, published), registry)
    index_drift = [
        f["message"] for f in found["compose.yaml:3"] if f["rule"] == "image-digest-drift"
    ]
    platform_drift = [
        f["message"] for f in found["svc/Dockerfile:4"] if f["rule"] == "image-digest-drift"
    ]
    assert index_drift == [
        f"the tag 7.2 now points at {published['redis-new']}, not the pinned {published['redis-old']}"
    ]
    assert platform_drift == [
        f"the tag 7.2 now points at {published['redis-amd-new']} for linux/amd64, not the pinned {published['redis-amd-old']}"
    ]


def test_a_registry_error_is_not_checked_for_that_image_only(
    tmp_path: Path, registry: str, published: dict[str, str]
) -> None:
    found = _run(_tree(tmp_path, published), registry)
    assert [f["rule"] for f in found["compose.yaml:5"]] == ["image-not-checked"]
    assert "not found" in found["compose.yaml:5"][0]["message"]


def test_nothing_configured_is_not_checked(tmp_path: Path, published: dict[str, str]) -> None:
    root = _tree(tmp_path, published)
    result = run(root, Settings(base_dir=root), ImageSettings(), offline=False, today=TODAY)
    reasons = {s.lookup.not_checked for s in result.statuses}
    assert reasons == {"no registry configured"}


def test_update_rewrites_in_place_and_keeps_digest_pins(
    tmp_path: Path,
    registry: str,
    published: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _tree(tmp_path, published)
    monkeypatch.setenv("DOCKER_REGISTRY_MIRROR", registry)
    monkeypatch.setenv("STEWARD_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["images", "update", str(root), "--policy", "patch"]) == 0
    diff = capsys.readouterr().out
    dockerfile = (root / "svc" / "Dockerfile").read_text()
    assert "FROM python:3.11.9-slim\n" in dockerfile
    assert (
        "FROM python:${PY}-slim AS build\n" in dockerfile
    )  # written through a variable: left alone
    assert "-FROM python:3.11.4-slim\n+FROM python:3.11.9-slim\n" in diff
    assert main(["images", "update", str(root), "--policy", "digest"]) == 0
    compose = (root / "compose.yaml").read_text()
    assert f"image: redis:7.2@{published['redis-new']}\n" in compose


def test_json_report_lists_references_with_the_stable_fields(
    tmp_path: Path,
    registry: str,
    published: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _tree(tmp_path, published)
    monkeypatch.setenv("DOCKER_REGISTRY_MIRROR", registry)
    monkeypatch.setenv("STEWARD_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["images", str(root), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    rows = document["references"]
    assert [(r["file"], r["line"], r["image"], r["tag"]) for r in rows][:2] == [
        ("compose.yaml", 3, "redis", "7.2"),
        ("compose.yaml", 5, "nothere/app", "1.0"),
    ]
    assert {"file", "line", "image", "tag", "digest", "skip_reason", "findings"} <= set(rows[0])
    assert code == 3  # one reference could not be checked


def test_output_into_a_missing_folder_or_onto_a_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    missing = tmp_path / "missing" / "report.json"
    assert main(["images", str(tmp_path), "--offline", "-o", str(missing)]) == 2
    assert f"no folder {missing.parent}" in capsys.readouterr().err
    assert main(["images", str(tmp_path), "--offline", "-o", str(tmp_path)]) == 2
    assert f"--output {tmp_path}:" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_a_broken_docker_config_is_reported_and_lookups_go_on_without_it(
    tmp_path: Path, registry: str, published: dict[str, str]
) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    _tree(root, published)
    config = tmp_path / "docker" / "config.json"
    config.parent.mkdir()
    config.write_text(
        '{\n  "auths": {\n    "r.example": {"auth": "czNjcjN0"}\n    "s.example": {}\n  }\n}\n'
    )  # no comma after line 3
    result = run(
        root,
        Settings(base_dir=root),
        ImageSettings(default_registry=registry, docker_config=config, scan_contents=False),
        offline=False,
        today=TODAY,
    )
    assert [(p.file, p.line) for p in result.problems] == [(str(config), 4)]
    assert result.problems[0].message.startswith("invalid JSON: ")
    assert "czNjcjN0" not in result.problems[0].message
    rules = {(s.ref.file, s.ref.line): {f.rule for f in s.findings} for s in result.statuses}
    assert "image-outdated" in rules["svc/Dockerfile", 3]  # still looked up, without credentials


def test_a_broken_docker_config_reaches_the_json_report(
    tmp_path: Path,
    registry: str,
    published: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    _tree(root, published)
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text('{"auths": {"r.example": {"auth": "@@"}}}')
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    monkeypatch.setenv("DOCKER_REGISTRY_MIRROR", registry)
    monkeypatch.setenv("STEWARD_CACHE_DIR", str(tmp_path / "cache"))
    main(["images", str(root), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert {
        "file": str(tmp_path / "docker" / "config.json"),
        "line": 0,
        "message": ("auths['r.example']: \"auth\" is not the base64 of user:password; not used"),
    } in document["problems"]
    assert document["references"]
