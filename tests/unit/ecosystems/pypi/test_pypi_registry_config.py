"""Which index the PyPI registry uses: PIP_INDEX_URL, pip's files, steward.toml, the fallback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from steward.config import RegistrySettings, Settings
from steward.ecosystems.pypi.registry import NO_REGISTRY, PyPIRegistry, pip_config_files, registry
from steward.model import NotChecked
from steward.sources.http import HttpClient
from steward.sources.registry import RegistryContext


def _context(
    tmp_path: Path, env: dict[str, str], url: str | None = None, fallback: str | None = None
) -> RegistryContext:
    settings = Settings(
        registries={"pypi": RegistrySettings(url=url, fallback=fallback)}, base_dir=tmp_path
    )
    return RegistryContext(
        http=HttpClient(), settings=settings, root=tmp_path, env=env, home=tmp_path / "home"
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _source(tmp_path: Path, env: dict[str, str], **settings: str) -> str:
    found = registry(_context(tmp_path, env, **settings), system=())
    assert isinstance(found, PyPIRegistry)
    return found.source


def test_nothing_configured_is_not_checked_with_a_hint(tmp_path: Path) -> None:
    assert registry(_context(tmp_path, {}), system=()) == NotChecked(NO_REGISTRY)


def test_pip_index_url_wins_over_files_and_settings(tmp_path: Path) -> None:
    config = _write(
        tmp_path / "pip.conf", "[global]\nindex-url = https://from-file.invalid/simple\n"
    )
    env = {"PIP_INDEX_URL": "https://from-env.invalid/simple", "PIP_CONFIG_FILE": str(config)}
    assert (
        _source(tmp_path, env, url="https://from-settings.invalid/simple")
        == "https://from-env.invalid/simple"
    )


def test_install_section_wins_over_global(tmp_path: Path) -> None:
    text = "[global]\nindex-url = https://global.invalid/simple\n[install]\nindex_url = https://install.invalid/simple\n"
    config = _write(tmp_path / "pip.conf", text)
    assert _source(tmp_path, {"PIP_CONFIG_FILE": str(config)}) == "https://install.invalid/simple"


def test_user_file_new_location_wins_over_the_legacy_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _write(home / ".pip" / "pip.conf", "[global]\nindex-url = https://legacy.invalid/simple\n")
    assert _source(tmp_path, {}) == "https://legacy.invalid/simple"
    _write(
        home / ".config" / "pip" / "pip.conf", "[global]\nindex-url = https://xdg.invalid/simple\n"
    )
    assert _source(tmp_path, {}) == "https://xdg.invalid/simple"


def test_an_existing_pip_config_file_hides_the_user_files(tmp_path: Path) -> None:
    _write(
        tmp_path / "home" / ".config" / "pip" / "pip.conf",
        "[global]\nindex-url = https://user.invalid/simple\n",
    )
    config = _write(tmp_path / "other.conf", "[global]\ntimeout = 5\n")
    found = registry(_context(tmp_path, {"PIP_CONFIG_FILE": str(config)}), system=())
    assert found == NotChecked(NO_REGISTRY)


def test_devnull_config_file_disables_every_file(tmp_path: Path) -> None:
    assert pip_config_files({"PIP_CONFIG_FILE": os.devnull}, tmp_path, system=[Path("/x")]) == []


def test_system_files_come_last(tmp_path: Path) -> None:
    system = _write(
        tmp_path / "etc" / "pip.conf", "[global]\nindex-url = https://system.invalid/simple\n"
    )
    found = registry(_context(tmp_path, {}), system=[system])
    assert isinstance(found, PyPIRegistry)
    assert found.source == "https://system.invalid/simple"


def test_settings_url_is_used_when_pip_names_nothing(tmp_path: Path) -> None:
    assert (
        _source(tmp_path, {}, url="https://settings.invalid/simple/")
        == "https://settings.invalid/simple"
    )


def test_a_relative_fallback_resolves_against_the_settings_folder(tmp_path: Path) -> None:
    expected = (tmp_path / "registry" / "pypi").resolve().as_uri()
    assert _source(tmp_path, {}, fallback="file:registry/pypi") == expected
    assert _source(tmp_path, {}, fallback="registry/pypi") == expected


@pytest.mark.parametrize("key", ["PIP_INDEX_URL"])
def test_credentials_never_reach_the_source(tmp_path: Path, key: str) -> None:
    source = _source(tmp_path, {key: "https://ci:s3cret-token@mirror.invalid/simple"})
    assert source == "https://mirror.invalid/simple"
