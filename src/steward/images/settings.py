"""Where image lookups go: the ``[images]`` table of ``steward.toml`` and the environment.

=========================  =====================================================================
``default_registry``       base URL for names without a registry host (``python``, ``org/app``);
                           ``DOCKER_REGISTRY_MIRROR`` in the environment wins over it. Nothing
                           configured: those references are "not checked: no registry configured"
``registries``             registry host as written in references → base URL (a mirror, the
                           ``http://`` address of a local registry, or a ``file:`` folder laid
                           out like a registry, relative to ``steward.toml``'s folder); other
                           hosts are asked at ``https://<host>`` (``http://`` for ``localhost``
                           and 127.0.0.1)
``default_names``          hosts written in references that mean the default registry
``docker_config``          the ``config.json`` holding ``auths`` (default ``$DOCKER_CONFIG`` or
                           ``~/.docker/config.json``)
``max_layer_bytes``        the largest layer the scanner reads, compressed or not (default 512 MiB)
``scan_contents``          pull layers and match OS packages against advisories (default true)
``platform``               the platform read from a multi-platform index (default
                           ``linux/amd64``)
=========================  =====================================================================
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ImageSettingsError(ValueError):
    """An ``[images]`` table Steward cannot use; the message names the file and the key."""


@dataclass(frozen=True)
class ImageSettings:
    """The validated ``[images]`` table, with the environment applied."""

    default_registry: str | None = None
    registries: Mapping[str, str] = field(default_factory=dict)
    default_names: tuple[str, ...] = ()
    docker_config: Path | None = None
    max_layer_bytes: int = 512 * 1024 * 1024
    scan_contents: bool = True
    platform: str = "linux/amd64"

    def base_url(self, host: str | None) -> str | None:
        """The base URL serving references written with ``host`` (``None``: the default)."""
        if host is None or host in self.default_names:
            return self.default_registry.rstrip("/") if self.default_registry else None
        if host in self.registries:
            return self.registries[host].rstrip("/")
        name = host.rpartition(":")[0] or host
        scheme = "http" if name in ("localhost", "127.0.0.1", "[::1]") else "https"
        return f"{scheme}://{host}"


_KEYS = {
    "default_registry",
    "registries",
    "default_names",
    "docker_config",
    "max_layer_bytes",
    "scan_contents",
    "platform",
}


def load(root: Path, env: Mapping[str, str], home: Path | None) -> ImageSettings:
    """Settings from ``root/steward.toml`` ``[images]`` and ``env``; raises `ImageSettingsError`."""
    table = _table(root / "steward.toml")
    return parse(table, env, home, where=f"{root / 'steward.toml'} [images]", base=root)


def parse(
    table: Mapping[str, Any],
    env: Mapping[str, str],
    home: Path | None,
    where: str = "[images]",
    base: Path | None = None,
) -> ImageSettings:
    """Validate an ``[images]`` table and apply ``env``; relative ``file:`` URLs are resolved
    against ``base`` (the folder of ``steward.toml``; the working directory when ``None``)."""
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ImageSettingsError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
        )
    default = env.get("DOCKER_REGISTRY_MIRROR") or _string(table, "default_registry", where)
    registries = table.get("registries", {})
    names = table.get("default_names", [])
    if not isinstance(registries, dict) or not all(isinstance(v, str) for v in registries.values()):
        raise ImageSettingsError(f"{where}.registries: expected a table of host = URL")
    if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
        raise ImageSettingsError(f"{where}.default_names: expected a list of host names")
    limit = table.get("max_layer_bytes", ImageSettings.max_layer_bytes)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        raise ImageSettingsError(f"{where}.max_layer_bytes: expected a positive integer")
    scan = table.get("scan_contents", True)
    if not isinstance(scan, bool):
        raise ImageSettingsError(f"{where}.scan_contents: expected true or false")
    platform = _string(table, "platform", where) or ImageSettings.platform
    if len(platform.split("/")) not in (2, 3):
        raise ImageSettingsError(f"{where}.platform: expected os/architecture[/variant]")
    folder = base if base is not None else Path()
    return ImageSettings(
        default_registry=file_url(default, folder) if default else None,
        registries={host: file_url(url, folder) for host, url in registries.items()},
        default_names=tuple(names),
        docker_config=_docker_config(table, env, home, where),
        max_layer_bytes=limit,
        scan_contents=scan,
        platform=platform,
    )


def file_url(url: str, base: Path) -> str:
    """``url`` itself, or for ``file:PATH`` (``file://PATH``) with a relative path the absolute
    ``file:///…`` URL of ``base / PATH``."""
    if not url.startswith("file:"):
        return url
    path = url.removeprefix("file:")
    if path.startswith("//"):
        path = path[2:]
        path = path if path.startswith("/") else path[path.find("/") :] if "/" in path else path
    local = Path(path)
    return (local if local.is_absolute() else base / local).resolve().as_uri()


def _string(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ImageSettingsError(f"{where}.{key}: expected a string, got {type(value).__name__}")
    return value


def _docker_config(
    table: Mapping[str, Any], env: Mapping[str, str], home: Path | None, where: str
) -> Path | None:
    explicit = _string(table, "docker_config", where)
    if explicit:
        return Path(explicit).expanduser()
    if env.get("DOCKER_CONFIG"):
        return Path(env["DOCKER_CONFIG"]) / "config.json"
    return home / ".docker" / "config.json" if home is not None else None


def _table(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ImageSettingsError(f"{path}: {error}") from error
    table = document.get("images", {})
    if not isinstance(table, dict):
        raise ImageSettingsError(f"{path}: [images] must be a table")
    return table
