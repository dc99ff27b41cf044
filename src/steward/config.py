"""``steward.toml`` (or ``[tool.steward]`` in ``pyproject.toml``) → a validated `Settings` object."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ConfigError(ValueError):
    """A configuration file Steward cannot use; the message names the file."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegistrySettings(_Model):
    """Where one ecosystem's lookups go when its own settings (GOPROXY, pip, npm) name nothing.

    ``fallback`` is tried when the primary registry is unreachable or none is configured; the
    example system points it at the recorded registry data it ships (``file:`` URLs relative to
    the configuration file are resolved against its folder).
    """

    url: str | None = None
    fallback: str | None = None


class ServiceSettings(_Model):
    name: str
    path: str
    owners: list[str] = Field(default_factory=list)
    produces: list[str] = Field(default_factory=list)
    consumes: list[str] = Field(default_factory=list)


class LookupSettings(_Model):
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    max_per_host: int = 16


class Settings(_Model):
    """Everything configurable, with defaults that work without a configuration file."""

    registries: dict[str, RegistrySettings] = Field(default_factory=dict)
    services: list[ServiceSettings] = Field(default_factory=list)
    lookups: LookupSettings = Field(default_factory=LookupSettings)
    ignore: list[str] = Field(default_factory=list)
    #: The folder the settings were read from; relative paths in them are resolved against it.
    base_dir: Path = Field(default=Path("."), exclude=True)

    def registry(self, ecosystem: str) -> RegistrySettings:
        return self.registries.get(ecosystem, RegistrySettings())


def load(root: Path) -> Settings:
    """Settings from ``root/steward.toml``, else ``[tool.steward]`` in ``root/pyproject.toml``."""
    path = root / "steward.toml"
    if path.is_file():
        return _parse(path, _read_toml(path))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            tool = _read_toml(pyproject).get("tool", {})
        except ConfigError:
            tool = {}  # a broken pyproject is reported by the Python extractor, not here
        table = tool.get("steward") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            return _parse(pyproject, table)
    return Settings(base_dir=root)


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error


def _parse(path: Path, table: dict[str, object]) -> Settings:
    try:
        return Settings.model_validate({**table, "base_dir": path.parent})
    except ValidationError as error:
        raise ConfigError(f"{path}: {error}") from error
