"""`Credentials`: which Authorization header a URL gets, and that secrets never show."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest

from steward.sources.credentials import Credentials, basic, split_userinfo

SECRET = "pa55-w0rd-secret"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_encodes_user_and_password() -> None:
    assert basic("me", "pw") == "Basic bWU6cHc="


def test_userinfo_moves_from_the_url_to_a_basic_header() -> None:
    url, header = split_userinfo("https://me:p%40ss@mirror.invalid:8443/simple/?q=1")
    assert url == "https://mirror.invalid:8443/simple/?q=1"
    assert header == _basic("me", "p@ss")


def test_a_url_without_userinfo_is_left_alone() -> None:
    assert split_userinfo("https://mirror.invalid/x") == ("https://mirror.invalid/x", None)


def test_a_token_without_a_password_still_counts() -> None:
    assert split_userinfo("https://tok@mirror.invalid/")[1] == _basic("tok", "")


def test_nothing_configured_means_no_header() -> None:
    assert Credentials().authorization("https://mirror.invalid/x") is None


def test_the_longest_matching_prefix_wins() -> None:
    credentials = Credentials()
    credentials.add_token("//npm-mirror.invalid/", "outer")
    credentials.add_token("//npm-mirror.invalid/team/", "inner")
    assert credentials.authorization("https://npm-mirror.invalid/team/pkg") == "Bearer inner"
    assert credentials.authorization("https://npm-mirror.invalid/other/pkg") == "Bearer outer"


def test_a_prefix_matches_whole_path_segments_only() -> None:
    credentials = Credentials()
    credentials.add_token("//npm-mirror.invalid/team", "t")
    assert credentials.authorization("https://npm-mirror.invalid/team") == "Bearer t"
    assert credentials.authorization("https://npm-mirror.invalid/team/a") == "Bearer t"
    assert credentials.authorization("https://npm-mirror.invalid/teams/a") is None


def test_a_prefix_does_not_match_another_host_or_port() -> None:
    credentials = Credentials()
    credentials.add_token("//npm-mirror.invalid/", "t")
    assert credentials.authorization("https://npm-mirror.invalid.example/x") is None
    assert credentials.authorization("https://npm-mirror.invalid:8443/x") is None


def test_hosts_compare_without_case_and_without_default_ports() -> None:
    credentials = Credentials()
    credentials.add_token("https://NPM-Mirror.invalid:443/", "t")
    assert credentials.authorization("https://npm-mirror.invalid/x") == "Bearer t"
    assert credentials.authorization("https://npm-mirror.INVALID:443/x") == "Bearer t"


def test_ipv6_hosts_match_with_and_without_ports() -> None:
    credentials = Credentials()
    credentials.add_token("//[::1]:8080/", "t")
    credentials.add_token("https://[::1]/", "u")
    assert credentials.authorization("http://[::1]:8080/x") == "Bearer t"
    assert credentials.authorization("https://[::1]:443/x") == "Bearer u"
    assert credentials.authorization("http://[::1]/x") is None


def test_a_prefix_with_a_scheme_only_matches_that_scheme() -> None:
    credentials = Credentials()
    credentials.add_token("https://mirror.invalid/", "t")
    assert credentials.authorization("https://mirror.invalid/x") == "Bearer t"
    assert credentials.authorization("http://mirror.invalid/x") is None


def test_a_bare_host_prefix_is_accepted() -> None:
    credentials = Credentials()
    credentials.add_token("mirror.invalid/private", "t", scheme="Token")
    assert credentials.authorization("https://mirror.invalid/private/x") == "Token t"


def test_basic_prefix_credentials() -> None:
    credentials = Credentials()
    credentials.add_basic("//mirror.invalid/", "me", SECRET)
    assert credentials.authorization("https://mirror.invalid/x") == _basic("me", SECRET)


def test_userinfo_beats_a_prefix_token() -> None:
    credentials = Credentials()
    credentials.add_token("//mirror.invalid/", "t")
    url = "https://me:pw@mirror.invalid/x"
    assert credentials.authorization(url) == _basic("me", "pw")


def _netrc(path: Path) -> Path:
    path.write_text(
        f"machine mirror.invalid login me password {SECRET}\ndefault login anyone password guest\n"
    )
    return path


def test_netrc_gives_basic_credentials_by_host(tmp_path: Path) -> None:
    credentials = Credentials.from_environment({"NETRC": str(_netrc(tmp_path / "n"))}, None)
    assert credentials.authorization("https://mirror.invalid:8443/x") == _basic("me", SECRET)


def test_netrc_default_covers_other_hosts(tmp_path: Path) -> None:
    credentials = Credentials.from_environment({"NETRC": str(_netrc(tmp_path / "n"))}, None)
    assert credentials.authorization("https://else.invalid/x") == _basic("anyone", "guest")


def test_a_prefix_token_beats_netrc(tmp_path: Path) -> None:
    credentials = Credentials.from_environment({"NETRC": str(_netrc(tmp_path / "n"))}, None)
    credentials.add_token("//mirror.invalid/", "t")
    assert credentials.authorization("https://mirror.invalid/x") == "Bearer t"


def test_the_netrc_in_home_is_read_when_netrc_is_unset(tmp_path: Path) -> None:
    _netrc(tmp_path / ".netrc")
    credentials = Credentials.from_environment({}, tmp_path)
    assert credentials.authorization("https://mirror.invalid/x") == _basic("me", SECRET)


def test_the_netrc_variable_beats_home(tmp_path: Path) -> None:
    _netrc(tmp_path / ".netrc")
    elsewhere = tmp_path / "other"
    elsewhere.write_text("machine mirror.invalid login them password theirs\n")
    credentials = Credentials.from_environment({"NETRC": str(elsewhere)}, tmp_path)
    assert credentials.authorization("https://mirror.invalid/x") == _basic("them", "theirs")


def test_a_missing_netrc_gives_nothing(tmp_path: Path) -> None:
    credentials = Credentials.from_environment({}, tmp_path)
    assert credentials.authorization("https://mirror.invalid/x") is None


def test_a_broken_netrc_is_ignored_with_a_warning_that_hides_its_content(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "netrc"
    broken.write_text(f"machine mirror.invalid login me password x\n{SECRET} oops\n")
    with caplog.at_level(logging.DEBUG):
        credentials = Credentials.from_environment({"NETRC": str(broken)}, None)
    assert credentials.authorization("https://mirror.invalid/x") is None
    assert "ignoring netrc file" in caplog.text
    assert SECRET not in caplog.text


def test_repr_names_prefixes_and_hosts_but_no_secret(tmp_path: Path) -> None:
    credentials = Credentials.from_environment({"NETRC": str(_netrc(tmp_path / "n"))}, None)
    credentials.add_token("//npm-mirror.invalid/", SECRET)
    shown = repr(credentials)
    assert "npm-mirror.invalid" in shown and "mirror.invalid" in shown
    assert SECRET not in shown
