"""``.npmrc`` reading: syntax, ``${VAR}`` expansion, credential keys and layer precedence."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from steward.ecosystems.npm.npmrc import (
    InvalidNpmrc,
    NpmConfig,
    expand,
    from_environment,
    load,
    nerf_dart,
    parse,
)


def test_parse_reads_ini_lines_and_skips_comments() -> None:
    text = '# c\n; c\n[section]\nregistry = https://r.invalid/\n@acme:registry="https://acme.invalid/"\nnoequals\n'
    assert parse(text, {}) == {
        "registry": "https://r.invalid/",
        "@acme:registry": "https://acme.invalid/",
    }


def test_expand_environment_references() -> None:
    env = {"TOKEN": "abc"}
    assert expand("${TOKEN}-${OPTIONAL?}", env) == "abc-"
    assert expand("\\${TOKEN}", env) == "${TOKEN}"
    with pytest.raises(InvalidNpmrc, match="UNSET"):
        expand("${UNSET}", env, "/x/.npmrc")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://r.invalid", "//r.invalid/"),
        ("https://r.invalid/npm/", "//r.invalid/npm/"),
        ("http://user:pw@r.invalid:8080/a/b", "//r.invalid:8080/a/"),
    ],
)
def test_nerf_dart(url: str, expected: str) -> None:
    assert nerf_dart(url) == expected


def test_authorization_matches_the_registry_path_or_a_parent() -> None:
    config = NpmConfig(
        {"//r.invalid/:_authToken": "t1", "//other.invalid/npm/:_auth": "dXNlcjpwdw=="}
    )
    assert config.authorization("https://r.invalid/deep/path/") == "Bearer t1"
    assert config.authorization("https://other.invalid/npm/") == "Basic dXNlcjpwdw=="
    assert config.authorization("https://other.invalid/") is None
    assert config.authorization("https://elsewhere.invalid/") is None


def test_username_and_base64_password_become_basic_auth() -> None:
    password = base64.b64encode(b"pw").decode()
    config = NpmConfig({"//r.invalid/:username": "user", "//r.invalid/:_password": password})
    assert (
        config.authorization("https://r.invalid/")
        == "Basic " + base64.b64encode(b"user:pw").decode()
    )


def test_top_level_token_only_applies_to_the_default_registry() -> None:
    config = NpmConfig({"registry": "https://r.invalid/", "_authToken": "t"})
    assert config.authorization("https://r.invalid/") == "Bearer t"
    assert config.authorization("https://other.invalid/") is None


def test_environment_keys_are_mapped_as_npm_maps_them() -> None:
    env = {
        "NPM_CONFIG_REGISTRY": "https://e.invalid/",
        "npm_config_always_auth": "true",
        "HOME": "/h",
    }
    assert from_environment(env) == {"registry": "https://e.invalid/", "always-auth": "true"}


def test_layers_project_over_user_over_global(tmp_path: Path) -> None:
    (tmp_path / "global").write_text(
        "registry=https://g.invalid/\n@a:registry=https://ga.invalid/\n"
    )
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".npmrc").write_text("registry=https://u.invalid/\n")
    (tmp_path / ".npmrc").write_text("@a:registry=https://pa.invalid/\n")
    config = load(
        tmp_path, {"NPM_CONFIG_GLOBALCONFIG": str(tmp_path / "global")}, tmp_path / "home"
    )
    assert config.default_registry == "https://u.invalid/"
    assert config.scope_registry("@a") == "https://pa.invalid/"


def test_credentials_stay_out_of_repr() -> None:
    assert "secret" not in repr(NpmConfig({"//r.invalid/:_authToken": "secret"}))
