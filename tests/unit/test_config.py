"""Settings: defaults, steward.toml, [tool.steward], and clear errors naming file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from steward.config import ConfigError, LookupSettings, RegistrySettings, Settings, load


def test_no_configuration_gives_defaults_rooted_at_the_tree(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings == Settings(base_dir=tmp_path)
    assert settings.registry("npm") == RegistrySettings()
    assert settings.lookups == LookupSettings()


def test_steward_toml_is_read_and_typed(tmp_path: Path) -> None:
    (tmp_path / "steward.toml").write_text(
        'ignore = ["fixtures/"]\n'
        "[lookups]\ntimeout = 3\nretries = 5\n"
        '[registries.go]\nfallback = "file:registry/goproxy"\n'
        '[[services]]\nname = "orders"\npath = "svc/orders"\nowners = ["@o"]\n'
    )
    settings = load(tmp_path)
    assert settings.base_dir == tmp_path
    assert settings.ignore == ["fixtures/"]
    assert settings.lookups.timeout == 3.0 and isinstance(settings.lookups.timeout, float)
    assert settings.lookups.retries == 5
    assert settings.registry("go").fallback == "file:registry/goproxy"
    assert settings.services[0].owners == ["@o"] and settings.services[0].produces == []


def test_tool_steward_in_pyproject_is_used_when_there_is_no_steward_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.steward]\nignore = ["x/"]\n')
    assert load(tmp_path).ignore == ["x/"]


def test_a_broken_pyproject_is_left_to_the_python_extractor(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.steward\n")
    assert load(tmp_path) == Settings(base_dir=tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[lookups]\ntimout = 3\n", "steward.toml.lookups: unknown key 'timout'"),
        ('[lookups]\nretries = "3"\n', "steward.toml.lookups.retries: expected int, got str"),
        ("[lookups]\nretries = true\n", "expected int, got bool"),
        ("ignore = 'x'\n", "steward.toml.ignore: expected a list"),
        ('[[services]]\nname = "a"\n', "services[0]: "),
        ("[registries]\nnpm = 1\n", "steward.toml.registries.npm: expected a table"),
        ("[registries\n", "steward.toml: "),
    ],
)
def test_bad_settings_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "steward.toml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load(tmp_path)
    assert message in str(raised.value)


def test_area_tables_are_kept_for_their_own_validation(tmp_path: Path) -> None:
    (tmp_path / "steward.toml").write_text(
        '[images]\ndefault_registry = "https://mirror.invalid"\n[infra]\ncadence_days = 30\n'
    )
    settings = load(tmp_path)
    assert settings.areas == {
        "images": {"default_registry": "https://mirror.invalid"},
        "infra": {"cadence_days": 30},
    }


def test_an_area_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "steward.toml").write_text('infra = "x"\n')
    with pytest.raises(ConfigError, match=r"steward.toml.infra: expected a table"):
        load(tmp_path)


def test_a_byte_order_mark_is_read_as_editors_write_it(tmp_path: Path) -> None:
    (tmp_path / "steward.toml").write_bytes(b"\xef\xbb\xbf[lookups]\r\nretries = 5\r\n")
    assert load(tmp_path).lookups.retries == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[lookups]\ntimeout = -1\n", "steward.toml.lookups.timeout: must be above 0, got -1.0"),
        ("[lookups]\ntimeout = 0\n", "steward.toml.lookups.timeout: must be above 0"),
        ("[lookups]\nretries = -1\n", "steward.toml.lookups.retries: must be at least 0, got -1"),
        ("[lookups]\nbackoff = -0.5\n", "steward.toml.lookups.backoff: must be at least 0"),
        ("[lookups]\nmax_per_host = 0\n", "steward.toml.lookups.max_per_host: must be at least 1"),
        ("[advisories]\nmax_age_hours = -5\n", "advisories.max_age_hours: must be at least 0"),
    ],
)
def test_limits_out_of_range_are_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "steward.toml").write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load(tmp_path)
