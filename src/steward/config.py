"""``steward.toml`` (or ``[tool.steward]`` in ``pyproject.toml``) → a validated `Settings` object.

Validation is strict (unknown keys and wrong types are errors naming the file and the key) and
small: frozen dataclasses checked against their own field types. A full validation library would
cost more start-up time than every other part of ``steward deps`` on a small tree.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar


class ConfigError(ValueError):
    """A configuration file Steward cannot use; the message names the file and the key."""


@dataclass(frozen=True)
class RegistrySettings:
    """Where one ecosystem's lookups go when its own settings (GOPROXY, pip, npm) name nothing.

    ``fallback`` is tried when the primary registry is unreachable or none is configured; the
    example system points it at the recorded registry data it ships (``file:`` URLs relative to
    the configuration file are resolved against its folder).
    """

    url: str | None = None
    fallback: str | None = None


@dataclass(frozen=True)
class ServiceSettings:
    """A service named in ``steward.toml``: its folder, owners and the topics it uses."""

    name: str
    path: str
    owners: list[str] = field(default_factory=list)
    produces: list[str] = field(default_factory=list)
    consumes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LookupSettings:
    """Limits of the HTTP layer: seconds per request, attempts, first backoff, per-host limit."""

    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    max_per_host: int = 16


@dataclass(frozen=True)
class AdvisorySettings:
    """Where vulnerability advisories come from (``[advisories]``).

    ``sources`` are OSV exports: folders of records, JSON files or ``all.zip`` archives, as paths
    or ``file:`` URLs (relative to the configuration file) or http(s) URLs. They are imported into
    ``database`` (relative to the configuration file) when it is missing, older than
    ``max_age_hours`` or its local sources changed; offline, URLs are never fetched. ``api`` is the
    base URL of an OSV API (``…/v1/querybatch``): when set and not offline, scans ask it instead
    of the local database. ``enabled = false`` turns advisories off.
    """

    sources: list[str] = field(default_factory=list)
    database: str = ".steward/advisories.db"
    max_age_hours: float = 24.0
    api: str | None = None
    enabled: bool = True


@dataclass(frozen=True)
class RiskSettings:
    """How updates are judged (``[risk]``).

    ``minimum_release_age`` is a cooldown like Renovate's ``minimumReleaseAge``: a candidate
    younger than this (``"3 days"``, ``"12 hours"``, ``"0"`` to turn it off) is riskier.
    ``evidence = false`` turns breaking-change evidence from registry metadata off.
    """

    minimum_release_age: str = "3 days"
    evidence: bool = True


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with defaults that work without a configuration file."""

    registries: dict[str, RegistrySettings] = field(default_factory=dict)
    services: list[ServiceSettings] = field(default_factory=list)
    lookups: LookupSettings = field(default_factory=LookupSettings)
    ignore: list[str] = field(default_factory=list)
    advisories: AdvisorySettings = field(default_factory=AdvisorySettings)
    risk: RiskSettings = field(default_factory=RiskSettings)
    #: The folder the settings were read from; relative paths in them are resolved against it.
    base_dir: Path = Path(".")
    #: Area tables (`AREA_TABLES`) as read, for the area's own validation.
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)

    def registry(self, ecosystem: str) -> RegistrySettings:
        return self.registries.get(ecosystem, RegistrySettings())


def load(root: Path) -> Settings:
    """Settings from ``root/steward.toml``, else ``[tool.steward]`` in ``root/pyproject.toml``."""
    path = root / "steward.toml"
    if path.is_file():
        return parse(path, _read_toml(path))
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            tool = _read_toml(pyproject).get("tool", {})
        except ConfigError:
            tool = {}  # a broken pyproject is reported by the Python extractor, not here
        table = tool.get("steward") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            return parse(pyproject, table)
    return Settings(base_dir=root)


#: Tables that belong to one area and are validated by that area's own settings module
#: (``steward.images.settings``, ``steward.infra.settings``); kept here as read.
AREA_TABLES = ("images", "infra", "releasenotes")


def parse(path: Path, table: dict[str, Any]) -> Settings:
    """Validate a settings table read from ``path``; raises `ConfigError`."""
    core = {key: value for key, value in table.items() if key not in AREA_TABLES}
    areas = {key: table[key] for key in AREA_TABLES if key in table}
    for key, value in areas.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{path}.{key}: expected a table, got {type(value).__name__}")
    settings = _build(Settings, core, f"{path}", skip={"base_dir", "areas"})
    return dataclasses.replace(settings, base_dir=path.parent, areas=areas)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error


T = TypeVar("T")

#: Lower bounds of numbers: (settings class, field) → (bound, whether the bound itself is allowed).
#: A zero or negative timeout fails every lookup, a zero host limit would wait for ever.
_MINIMUMS: dict[tuple[type, str], tuple[float, bool]] = {
    (LookupSettings, "timeout"): (0, False),
    (LookupSettings, "retries"): (0, True),
    (LookupSettings, "backoff"): (0, True),
    (LookupSettings, "max_per_host"): (1, True),
    (AdvisorySettings, "max_age_hours"): (0, True),
}


def _check_bound(cls: type, name: str, value: object, where: str) -> None:
    bound = _MINIMUMS.get((cls, name))
    if bound is None or not isinstance(value, int | float):
        return
    minimum, inclusive = bound
    if value < minimum or (value == minimum and not inclusive):
        wanted = f"at least {minimum}" if inclusive else f"above {minimum}"
        raise ConfigError(f"{where}: must be {wanted}, got {value!r}")


def _build(
    cls: type[T], table: object, where: str, skip: frozenset[str] | set[str] = frozenset()
) -> T:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table, got {type(table).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in skip}  # type: ignore[arg-type]  # T is always a dataclass here
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(fields)})")
    hints = typing.get_type_hints(cls)
    values = {name: _value(hints[name], value, f"{where}.{name}") for name, value in table.items()}
    for name, value in values.items():
        _check_bound(cls, name, value, f"{where}.{name}")
    try:
        return cls(**values)
    except TypeError as error:  # a required key is missing
        raise ConfigError(f"{where}: {error}") from error


def _value(hint: Any, value: object, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        return _value(next(a for a in args if a is not type(None)), value, where)
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__}")
        return [_value(args[0], item, f"{where}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {type(value).__name__}")
        return {k: _value(args[1], v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, value, where)
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, hint) and not (hint is int and isinstance(value, bool)):
        return value
    raise ConfigError(f"{where}: expected {hint.__name__}, got {type(value).__name__} {value!r}")
