"""npm's configuration, as far as lookups need it: registries and their credentials.

Layers, lowest precedence first, as npm reads them: the global ``npmrc`` named by
``NPM_CONFIG_GLOBALCONFIG``; the user's (``NPM_CONFIG_USERCONFIG``, else ``~/.npmrc``); the
project's ``.npmrc``; then ``npm_config_*`` environment variables (``NPM_CONFIG_REGISTRY`` …).
Values expand ``${VAR}`` (and ``${VAR?}``, empty when unset) from the environment.

Keys understood: ``registry``, ``@scope:registry``, and per registry (npm's "nerf dart", the URL
without its scheme: ``//host/path/:key``) ``_authToken``, ``_auth``, ``username`` +
``_password``; the top-level ``_authToken`` / ``_auth`` apply to the default registry.
``always-auth`` is read but changes nothing: a matching credential is always sent.
Credentials never appear in `repr` or messages.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

_ENV_REFERENCE = re.compile(r"(\\*)\$\{([^${}?]+)(\?)?\}")
_ENV_PREFIX = "npm_config_"


class InvalidNpmrc(ValueError):
    """An ``.npmrc`` Steward cannot use (an unset ``${VAR}``); the message names the file."""


@dataclass(frozen=True)
class NpmConfig:
    """Merged npm settings; ``values`` maps each key to its value (credentials included)."""

    values: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def default_registry(self) -> str | None:
        """The ``registry`` setting, if any layer names one."""
        return self.values.get("registry") or None

    def names_a_registry(self) -> bool:
        """True when some layer sets ``registry`` or a scope's registry."""
        return any(key == "registry" or key.endswith(":registry") for key in self.values)

    def scope_registry(self, scope: str) -> str | None:
        """The registry of ``@scope`` packages, when one is set."""
        return self.values.get(f"{scope}:registry") or None

    def authorization(self, registry_url: str) -> str | None:
        """The ``Authorization`` header value for requests to ``registry_url``, or None."""
        key = nerf_dart(registry_url)
        while len(key) > 2:
            found = self._credential(key)
            if found is not None:
                return found
            key = _parent_nerf_dart(key)
        if _same_registry(registry_url, self.default_registry):
            return self._credential("")
        return None

    def _credential(self, prefix: str) -> str | None:
        def get(name: str) -> str | None:
            return self.values.get(f"{prefix}:{name}" if prefix else name) or None

        token = get("_authToken")
        if token:
            return f"Bearer {token}"
        auth = get("_auth")
        if auth:
            return f"Basic {auth}"
        username, password = get("username"), get("_password")
        if username and password:
            try:
                clear = base64.b64decode(password).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                return None
            return "Basic " + base64.b64encode(f"{username}:{clear}".encode()).decode("ascii")
        return None


def nerf_dart(url: str) -> str:
    """npm's credential key of a URL: ``https://host:8080/path/x`` → ``//host:8080/path/``."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return f"//{parts.netloc.rpartition('@')[2]}{path}"


def _parent_nerf_dart(key: str) -> str:
    trimmed = key.rstrip("/")
    if trimmed.count("/") <= 2:  # "//host": nothing above it
        return ""
    return trimmed.rsplit("/", 1)[0] + "/"


def _same_registry(url: str, default: str | None) -> bool:
    return default is not None and nerf_dart(url) == nerf_dart(default)


def parse(text: str, env: Mapping[str, str], origin: str = ".npmrc") -> dict[str, str]:
    """One ``.npmrc`` file's ``key=value`` lines (ini syntax, ``#``/``;`` comments)."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key, value = expand(key.strip(), env, origin), _unquote(value.strip())
        values[key] = expand(value, env, origin)
    return values


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
        except json.JSONDecodeError:
            return value[1:-1]
        return decoded if isinstance(decoded, str) else value
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return value


def expand(value: str, env: Mapping[str, str], origin: str = ".npmrc") -> str:
    """``${VAR}`` → the variable's value; raises `InvalidNpmrc` when it is unset.

    ``${VAR?}`` is empty when unset; a backslash before ``$`` keeps the reference as text.
    """

    def replace(match: re.Match[str]) -> str:
        escapes, name, optional = match.group(1), match.group(2), match.group(3)
        if len(escapes) % 2:
            return escapes[: len(escapes) // 2] + match.group(0)[len(escapes) :]
        if name in env:
            return escapes[: len(escapes) // 2] + env[name]
        if optional:
            return escapes[: len(escapes) // 2]
        raise InvalidNpmrc(f"{origin}: environment variable {name} is not set")

    return _ENV_REFERENCE.sub(replace, value)


def from_environment(env: Mapping[str, str]) -> dict[str, str]:
    """``npm_config_<key>`` variables (any case) → config keys, as npm maps them.

    The key is lowercased and every ``_`` but a leading one reads as ``-``.
    """
    values: dict[str, str] = {}
    for name, value in env.items():
        if name.lower().startswith(_ENV_PREFIX) and value:
            key = name[len(_ENV_PREFIX) :]
            key = (key[:1] + key[1:].replace("_", "-")).lower()
            values[key] = value
    return values


def load(root: Path, env: Mapping[str, str], home: Path | None) -> NpmConfig:
    """The npm configuration in effect for a project at ``root``; raises `InvalidNpmrc`."""
    files = [_global_file(env), _user_file(env, home), root / ".npmrc"]
    values: dict[str, str] = {}
    for path in files:
        if path is not None and path.is_file():
            values.update(parse(path.read_text(encoding="utf-8", errors="replace"), env, str(path)))
    values.update(from_environment(env))
    return NpmConfig(values)


def _global_file(env: Mapping[str, str]) -> Path | None:
    name = _env(env, "globalconfig")
    return Path(name) if name else None


def _user_file(env: Mapping[str, str], home: Path | None) -> Path | None:
    name = _env(env, "userconfig")
    if name:
        return Path(name)
    return home / ".npmrc" if home is not None else None


def _env(env: Mapping[str, str], key: str) -> str | None:
    for name in (f"NPM_CONFIG_{key.upper()}", f"npm_config_{key}"):
        if env.get(name):
            return env[name]
    return None
