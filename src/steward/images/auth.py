"""Registry credentials and challenges: ``~/.docker/config.json`` ``auths`` and
``WWW-Authenticate`` headers. Pure parsing; the file is read by `read_docker_config`.

Secrets never appear in ``repr`` or messages: `DockerAuths` names hosts only.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


@dataclass(frozen=True)
class Challenge:
    """One ``WWW-Authenticate`` challenge: scheme (lower case) and its parameters."""

    scheme: str
    params: Mapping[str, str] = field(default_factory=dict)


def parse_challenge(header: str) -> Challenge:
    """``Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"``."""
    scheme, _, rest = header.strip().partition(" ")
    params = {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _PARAM.finditer(rest)
    }
    return Challenge(scheme.lower(), params)


@dataclass(frozen=True)
class DockerAuths:
    """Host → (user, secret) from a Docker ``config.json``; ``repr`` shows hosts only."""

    entries: Mapping[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def for_host(self, host: str) -> tuple[str, str] | None:
        """The credentials stored for ``host`` (keys may be URLs like ``https://host/v1/``)."""
        return self.entries.get(host.lower())

    def __repr__(self) -> str:
        return f"DockerAuths(hosts={sorted(self.entries)})"


def parse_docker_config(text: str) -> DockerAuths:
    """The ``auths`` of a Docker ``config.json`` (``auth`` base64 or ``username``/``password``,
    ``identitytoken`` as the secret of the user ``<token>``); unusable entries are skipped."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return DockerAuths()
    auths = document.get("auths") if isinstance(document, dict) else None
    if not isinstance(auths, dict):
        return DockerAuths()
    entries: dict[str, tuple[str, str]] = {}
    for key, entry in auths.items():
        pair = _pair(entry) if isinstance(entry, dict) else None
        if pair is not None:
            entries[_host(key)] = pair
    return DockerAuths(entries)


def _pair(entry: Mapping[str, object]) -> tuple[str, str] | None:
    token = entry.get("identitytoken")
    if isinstance(token, str) and token:
        return "<token>", token
    encoded = entry.get("auth")
    if isinstance(encoded, str) and encoded:
        try:
            user, colon, secret = base64.b64decode(encoded).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return (user, secret) if colon else None
    name, password = entry.get("username"), entry.get("password")
    if isinstance(name, str) and isinstance(password, str):
        return name, password
    return None


def _host(key: str) -> str:
    if "://" in key:
        return urlsplit(key).netloc.lower()
    return key.split("/", 1)[0].lower()


def read_docker_config(path: Path | None) -> DockerAuths:
    """`parse_docker_config` of ``path``; a missing or unreadable file holds no credentials."""
    if path is None:
        return DockerAuths()
    try:
        return parse_docker_config(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return DockerAuths()
