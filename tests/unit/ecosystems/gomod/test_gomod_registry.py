"""GOPROXY lists, private-module patterns, case-encoding and where the base URL comes from."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from steward.config import RegistrySettings, Settings
from steward.ecosystems.gomod.registry import (
    DIRECT_REASON,
    NOTHING_CONFIGURED,
    GoProxy,
    InvalidGoProxy,
    ProxyEntry,
    escape,
    match_prefix_patterns,
    parse_goproxy,
    registry,
)
from steward.model import NotChecked
from steward.sources.http import HttpClient
from steward.sources.registry import NotCheckedError, RegistryContext


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "https://a.invalid,https://b.invalid|file:///srv/proxy",
            [
                ("https://a.invalid", False),
                ("https://b.invalid", True),
                ("file:///srv/proxy", False),
            ],
        ),
        ("goproxy-mirror.invalid/", [("https://goproxy-mirror.invalid", False)]),
        (
            "https://a.invalid, direct, https://ignored.invalid",
            [("https://a.invalid", False), ("direct", False)],
        ),
        ("off|https://ignored.invalid", [("off", False)]),
        (" , https://a.invalid ,", [("https://a.invalid", False)]),
    ],
)
def test_goproxy_lists_are_read_as_the_go_command_reads_them(
    value: str, expected: list[tuple[str, bool]]
) -> None:
    assert parse_goproxy(value) == tuple(ProxyEntry(url, fall) for url, fall in expected)


@pytest.mark.parametrize("value", [",", " | ", "/srv/proxy", "noscheme"])
def test_goproxy_lists_the_go_command_rejects(value: str) -> None:
    with pytest.raises(InvalidGoProxy):
        parse_goproxy(value)


@pytest.mark.parametrize(
    ("globs", "target", "expected"),
    [
        ("rsc.io", "rsc.io/quote", "rsc.io"),
        ("rsc.io/", "rsc.io/quote", "rsc.io"),
        ("*/quote", "rsc.io/quote/v3", "*/quote"),
        ("rsc.io/q", "rsc.io/quote", None),
        ("*.corp.example", "git.corp.example/team/x", "*.corp.example"),
        ("*.corp.example", "corp.example/x", None),
        ("corp.example/private", "corp.example/private/tool", "corp.example/private"),
        ("corp.example/private", "corp.example/public", None),
        ("rsc.io/quote/v3/extra", "rsc.io/quote", None),
        ("", "rsc.io/quote", None),
        (",,x.example,rsc.io", "rsc.io/quote", "rsc.io"),
        ("r?c.io", "rsc.io/quote", "r?c.io"),
        ("[q-s]sc.io", "rsc.io/quote", "[q-s]sc.io"),
        ("[^r]sc.io", "rsc.io/quote", None),
        ("[", "rsc.io/quote", None),
        ("[]x", "rsc.io/quote", None),
        ("[z-a]sc.io", "rsc.io/quote", None),
        ("[\\r]sc.io", "rsc.io/quote", "[\\r]sc.io"),
        ("[a-]sc.io", "rsc.io/quote", None),
        ("*", "rsc.io/quote", "*"),
        ("*", "rsc.io", "*"),
        ("github.com/IBM", "github.com/IBM/sarama", "github.com/IBM"),
        ("github.com/ibm", "github.com/IBM/sarama", None),
    ],
)
def test_private_patterns_match_path_prefixes(
    globs: str, target: str, expected: str | None
) -> None:
    assert match_prefix_patterns(globs, target) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("github.com/IBM/sarama", "github.com/!i!b!m/sarama"),
        ("github.com/ThreeDotsLabs/watermill", "github.com/!three!dots!labs/watermill"),
        ("v2.1.0-RC3", "v2.1.0-!r!c3"),
        ("golang.org/x/net", "golang.org/x/net"),
    ],
)
def test_upper_case_is_escaped_in_paths_and_versions(text: str, expected: str) -> None:
    assert escape(text) == expected


@pytest.mark.parametrize("text", ["github.com/a!b", "", "example.com/a b", "example.com/é"])
def test_unescapable_paths_are_not_checked(text: str) -> None:
    with pytest.raises(NotCheckedError):
        escape(text)


def context(
    tmp_path: Path, env: dict[str, str], go: RegistrySettings | None = None
) -> RegistryContext:
    registries = {"go": go} if go is not None else {}
    settings = Settings(registries=registries, base_dir=tmp_path)
    return RegistryContext(http=HttpClient(), settings=settings, root=tmp_path, env=env)


def test_nothing_configured_is_not_checked(tmp_path: Path) -> None:
    assert registry(context(tmp_path, {})) == NotChecked(NOTHING_CONFIGURED)


def test_goproxy_from_the_environment_wins_over_settings(tmp_path: Path) -> None:
    ctx = context(
        tmp_path,
        {"GOPROXY": "https://env.invalid"},
        RegistrySettings(url="https://settings.invalid"),
    )
    found = registry(ctx)
    assert isinstance(found, GoProxy)
    assert [p.url for p in found.proxies] == ["https://env.invalid"]


def test_settings_url_is_used_without_goproxy(tmp_path: Path) -> None:
    found = registry(context(tmp_path, {}, RegistrySettings(url="https://settings.invalid")))
    assert isinstance(found, GoProxy)
    assert [p.url for p in found.proxies] == ["https://settings.invalid"]


def test_relative_file_fallback_is_resolved_against_the_settings_folder(tmp_path: Path) -> None:
    found = registry(context(tmp_path, {}, RegistrySettings(fallback="file:registry/goproxy")))
    assert isinstance(found, GoProxy)
    assert found.proxies == ()
    assert found.fallback == (tmp_path / "registry" / "goproxy").resolve().as_uri()
    assert found.source == found.fallback


@pytest.mark.parametrize(
    ("goproxy", "reason"),
    [("off", "GOPROXY=off"), ("direct", DIRECT_REASON), ("off,https://x.invalid", "GOPROXY=off")],
)
def test_off_and_direct_alone_are_not_checked(tmp_path: Path, goproxy: str, reason: str) -> None:
    assert registry(context(tmp_path, {"GOPROXY": goproxy})) == NotChecked(reason)


def test_direct_with_a_fallback_still_gives_a_registry(tmp_path: Path) -> None:
    ctx = context(tmp_path, {"GOPROXY": "direct"}, RegistrySettings(fallback="file:///srv/goproxy"))
    assert isinstance(registry(ctx), GoProxy)


def test_a_broken_goproxy_is_reported(tmp_path: Path) -> None:
    found = registry(context(tmp_path, {"GOPROXY": ","}))
    assert isinstance(found, NotChecked) and found.reason.startswith("GOPROXY: ")


def test_credentials_in_goproxy_never_reach_the_source(tmp_path: Path) -> None:
    found = registry(context(tmp_path, {"GOPROXY": "https://user:s3cret@goproxy-mirror.invalid"}))
    assert isinstance(found, GoProxy)
    assert "s3cret" not in found.source and "goproxy-mirror.invalid" in found.source


def fake_go(folder: Path, goproxy: str, goprivate: str) -> str:
    """A ``go`` executable answering ``go env GOPROXY GOPRIVATE GONOPROXY`` like the real one."""
    folder.mkdir()
    script = folder / "go"
    script.write_text(
        f'#!/bin/sh\n[ "$1" = env ] || exit 2\nprintf "%s\\n%s\\n\\n" "{goproxy}" "{goprivate}"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(folder)


def test_go_env_is_asked_when_go_is_installed(tmp_path: Path) -> None:
    path = fake_go(tmp_path / "bin", "https://from-go-env.invalid", "corp.example")
    found = registry(context(tmp_path, {"PATH": path}))
    assert isinstance(found, GoProxy)
    assert [p.url for p in found.proxies] == ["https://from-go-env.invalid"]
    assert (found.private, found.private_variable) == ("corp.example", "GOPRIVATE")


def test_the_environment_wins_over_go_env(tmp_path: Path) -> None:
    path = fake_go(tmp_path / "bin", "https://from-go-env.invalid", "corp.example")
    env = {"PATH": path, "GOPROXY": "https://env.invalid", "GONOPROXY": "other.example"}
    found = registry(context(tmp_path, env))
    assert isinstance(found, GoProxy)
    assert [p.url for p in found.proxies] == ["https://env.invalid"]
    assert (found.private, found.private_variable) == ("other.example", "GONOPROXY")


def test_a_failing_go_binary_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "go").write_text("#!/bin/sh\nexit 1\n")
    (folder / "go").chmod(0o755)
    assert registry(context(tmp_path, {"PATH": str(folder)})) == NotChecked(NOTHING_CONFIGURED)
