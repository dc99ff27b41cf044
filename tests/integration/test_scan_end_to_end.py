"""`steward deps` / `steward scan` end to end: the example system, faults, offline, bad input.

Every registry here is real: the example's recorded folders (``file:`` fallbacks), or HTTP
servers on 127.0.0.1. Nothing on the machine (``npm``, ``go``, pip's files) is consulted: PATH is
empty and HOME is a temporary folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from steward.cli.main import EXIT_CLEAN, EXIT_PARTIAL, main
from tests.servers import Fault, fault_server

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "eventshop"
CONTRACT = {"file", "line", "ecosystem", "name", "constraint", "locked", "dep_type", "skip_reason"}
LOOKED_UP = {"current", "latest", "update_type", "checked", "not_checked_reason"}


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No tools on PATH, an empty HOME, a private HTTP cache."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("STEWARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    return tmp_path


def _deps(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["deps", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _row(doc: dict[str, Any], service: str, name: str) -> dict[str, Any]:
    return next(r for r in doc["dependencies"] if r["service"] == service and r["name"] == name)


def test_the_example_is_fully_checked_from_its_recorded_registries(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = _deps(capsys, str(EXAMPLE))
    assert code == EXIT_CLEAN
    assert {s["name"] for s in doc["services"]} == {
        "order-service",
        "inventory-service",
        "payment-service",
        "notification-service",
        "shipping-service",
    }
    assert doc["summary"]["not_checked"] == 0
    assert {r["ecosystem"] for r in doc["dependencies"]} == {"go", "pypi", "npm"}
    for row in doc["dependencies"]:
        assert row.keys() >= CONTRACT
        assert not row["file"].startswith("/") and "\\" not in row["file"]
        if row["skip_reason"] is None:
            assert row.keys() >= LOOKED_UP
            assert row["checked"] is True
    xnet = _row(doc, "order-service", "golang.org/x/net")
    assert (xnet["current"], xnet["latest"], xnet["update_type"]) == ("v0.7.0", "v0.56.0", "minor")
    assert xnet["file"] == "services/order-service/go.mod"
    assert xnet["current_published"].startswith("2023-")


def test_lock_files_decide_the_current_version(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, doc = _deps(capsys, str(EXAMPLE))
    express = _row(doc, "shipping-service", "express")
    assert express["lock_file"] == "services/shipping-service/package-lock.json"
    assert express["current"] == express["locked"]
    assert express["update_type"] == "major"


def test_a_registry_that_keeps_failing_is_reported_not_checked(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = isolated / "tree"
    tree.mkdir()
    (tree / "package.json").write_text('{"dependencies": {"left-pad": "^1.0.0"}}\n')
    (tree / "steward.toml").write_text("[lookups]\nretries = 2\nbackoff = 0.01\n")
    with fault_server() as server:
        server.script("/left-pad", [Fault.status(503)])
        (tree / ".npmrc").write_text(f"registry={server.url}/\n")
        code, doc = _deps(capsys, str(tree))
        assert server.hits("/left-pad") == 2
    row = _row(doc, "tree", "left-pad")
    assert row["checked"] is False
    assert "503" in row["not_checked_reason"]
    assert row["update_type"] is None and row["current"] is None
    assert code == EXIT_PARTIAL


def test_offline_answers_from_the_cache_and_says_when_it_cannot(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packument = json.loads((EXAMPLE / "registry" / "npm" / "lodash").read_text())
    tree = isolated / "tree"
    tree.mkdir()
    (tree / "package.json").write_text('{"dependencies": {"lodash": "4.17.20"}}\n')
    with fault_server() as server:
        server.script("/lodash", [Fault.json(packument, etag='"v1"')])
        (tree / ".npmrc").write_text(f"registry={server.url}/\n")
        _, online = _deps(capsys, str(tree))
        code, offline = _deps(capsys, str(tree), "--offline")
        assert server.hits("/lodash") == 1
    assert _row(offline, "tree", "lodash")["latest"] == _row(online, "tree", "lodash")["latest"]
    assert code == EXIT_CLEAN
    shutil.rmtree(isolated / "cache")
    code, cold = _deps(capsys, str(tree), "--offline")
    assert code == EXIT_PARTIAL
    assert "offline" in _row(cold, "tree", "lodash")["not_checked_reason"]


def test_a_malformed_manifest_is_reported_and_the_scan_goes_on(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = isolated / "tree"
    (tree / "web").mkdir(parents=True)
    (tree / "api").mkdir()
    (tree / "web" / "package.json").write_text(
        '{\n  "dependencies": {\n    "a": "1.0.0",,\n  }\n}\n'
    )
    (tree / "api" / "requirements.txt").write_text("requests==2.31.0\n")
    code, doc = _deps(capsys, str(tree), "--no-lookup")
    assert [p["file"] for p in doc["problems"]] == ["web/package.json"]
    assert doc["problems"][0]["line"] == 3
    assert [r["name"] for r in doc["dependencies"]] == ["requests"]
    assert code == EXIT_CLEAN


def test_no_registry_configured_is_said_plainly(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = isolated / "tree"
    tree.mkdir()
    (tree / "go.mod").write_text(
        "module example.com/x\n\ngo 1.22\n\nrequire github.com/a/b v1.0.0\n"
    )
    code, doc = _deps(capsys, str(tree))
    row = _row(doc, "tree", "github.com/a/b")
    assert row["checked"] is False
    assert row["not_checked_reason"].startswith("no registry configured")
    assert code == EXIT_PARTIAL


def test_scan_keeps_history_and_history_shows_it(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = isolated / "shop"
    shutil.copytree(EXAMPLE, tree, ignore=shutil.ignore_patterns(".steward"))
    assert main(["scan", str(tree), "--format", "markdown"]) == EXIT_CLEAN
    report = capsys.readouterr().out
    assert "## order-service (owners: @eventshop/orders)" in report
    assert main(["scan", str(tree), "--format", "json"]) == EXIT_CLEAN
    capsys.readouterr()
    assert (tree / ".steward" / "steward.db").is_file()
    assert main(["history", str(tree), "--format", "json"]) == EXIT_CLEAN
    history = json.loads(capsys.readouterr().out)
    assert len(history["scans"]) == 2


# Fault injection through every ecosystem's registry: the fault server stands in for the
# registry each ecosystem's own settings name (GOPROXY, PIP_INDEX_URL, .npmrc).
MANIFESTS = {
    "go": (
        "go.mod",
        "module example.com/x\n\ngo 1.22\n\nrequire github.com/a/b v1.0.0\n",
        "/github.com/a/b/@v/list",
        "github.com/a/b",
    ),
    "pypi": ("requirements.txt", "requests==2.31.0\n", "/simple/requests/", "requests"),
    "npm": ("package.json", '{"dependencies": {"left-pad": "1.3.0"}}\n', "/left-pad", "left-pad"),
}
FAULTS = {
    "server error": ([Fault.status(500)], "500"),
    "rate limited": ([Fault.status(429, retry_after="0")], "429"),
    "timeout": ([Fault.slow(2.0)], "timed out"),
    "truncated": ([Fault.truncated(b'{"name": "x", "versions": {}}' * 20)], "closed before"),
}


def _point_at(ecosystem: str, tree: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if ecosystem == "go":
        monkeypatch.setenv("GOPROXY", url)
    elif ecosystem == "pypi":
        monkeypatch.setenv("PIP_INDEX_URL", f"{url}/simple")
    else:
        (tree / ".npmrc").write_text(f"registry={url}/\n")


@pytest.mark.parametrize("ecosystem", sorted(MANIFESTS))
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_registry_faults_end_as_not_checked_with_the_reason(
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    ecosystem: str,
    fault: str,
) -> None:
    filename, text, path, name = MANIFESTS[ecosystem]
    script, reason = FAULTS[fault]
    tree = isolated / "tree"
    tree.mkdir()
    (tree / filename).write_text(text)
    (tree / "steward.toml").write_text("[lookups]\ntimeout = 0.5\nretries = 2\nbackoff = 0.01\n")
    with fault_server() as server:
        server.script(path, script)
        _point_at(ecosystem, tree, server.url, monkeypatch)
        code, doc = _deps(capsys, str(tree))
        assert server.hits(path) == 2  # retried once, then given up
    row = _row(doc, "tree", name)
    assert row["checked"] is False and row["update_type"] is None
    assert reason in row["not_checked_reason"]
    assert code == EXIT_PARTIAL


def test_a_rate_limit_is_waited_out_and_the_lookup_succeeds(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packument = json.loads((EXAMPLE / "registry" / "npm" / "lodash").read_text())
    tree = isolated / "tree"
    tree.mkdir()
    (tree / "package.json").write_text('{"dependencies": {"lodash": "4.17.20"}}\n')
    with fault_server() as server:
        server.script("/lodash", [Fault.status(429, retry_after="1"), Fault.json(packument)])
        (tree / ".npmrc").write_text(f"registry={server.url}/\n")
        code, doc = _deps(capsys, str(tree))
        first, second = server.requests("/lodash")
    assert second.at - first.at >= 0.9  # Retry-After: 1 was honoured
    assert _row(doc, "tree", "lodash")["checked"] is True
    assert code == EXIT_CLEAN


def test_malformed_registry_json_is_not_checked(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = isolated / "tree"
    tree.mkdir()
    (tree / "package.json").write_text('{"dependencies": {"left-pad": "1.3.0"}}\n')
    with fault_server() as server:
        server.script("/left-pad", [Fault.malformed_json()])
        (tree / ".npmrc").write_text(f"registry={server.url}/\n")
        code, doc = _deps(capsys, str(tree))
    row = _row(doc, "tree", "left-pad")
    assert row["checked"] is False and "malformed" in row["not_checked_reason"].lower()
    assert code == EXIT_PARTIAL
