"""Registry credentials and challenges: ``~/.docker/config.json`` ``auths`` and
``WWW-Authenticate`` headers. Pure parsing; the file is read by `read_docker_config`.

Secrets never appear in ``repr`` or messages: `DockerAuths` names hosts only. A broken file
(invalid JSON, ``auths`` not an object, an entry or ``auth`` that cannot be read) gives
`DockerAuths.problems` naming the file, the line when known, and the host, never a credential;
lookups then go on without the credentials that could not be read.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from steward.model import Problem

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
    """Host → (user, secret) from a Docker ``config.json``; ``repr`` shows hosts only.

    ``problems`` says what in the file could not be used (no credential is ever part of it).
    """

    entries: Mapping[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    problems: tuple[Problem, ...] = ()

    def for_host(self, host: str) -> tuple[str, str] | None:
        """The credentials stored for ``host`` (keys may be URLs like ``https://host/v1/``)."""
        return self.entries.get(host.lower())

    def __repr__(self) -> str:
        return f"DockerAuths(hosts={sorted(self.entries)}, problems={len(self.problems)})"


def parse_docker_config(text: str, path: str = "config.json") -> DockerAuths:
    """The ``auths`` of a Docker ``config.json`` (``auth`` base64 or ``username``/``password``,
    ``identitytoken`` as the secret of the user ``<token>``). What cannot be used is skipped and
    reported in ``problems`` against ``path``; an entry without credentials (``{}``, as written
    when a ``credsStore`` holds them) is no problem."""
    try:
        document = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        return DockerAuths(problems=(Problem(path, error.lineno, f"invalid JSON: {error.msg}"),))
    if not isinstance(document, dict):
        return DockerAuths(problems=(Problem(path, 1, "a Docker config must be a JSON object"),))
    auths = document.get("auths")
    if auths is None:
        return DockerAuths()
    if not isinstance(auths, dict):
        return DockerAuths(problems=(Problem(path, 0, '"auths" must be an object'),))
    entries: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for key, entry in auths.items():
        pair, reason = _pair(entry)
        if pair is not None:
            entries[_host(key)] = pair
        elif reason is not None:
            problems.append(Problem(path, 0, f"auths[{_host(key)!r}]: {reason}; not used"))
    return DockerAuths(entries, tuple(problems))


def _pair(entry: object) -> tuple[tuple[str, str] | None, str | None]:
    """The entry's (user, secret), or why it cannot be used (None when it simply has none)."""
    if not isinstance(entry, dict):
        return None, "the entry must be an object"
    token = entry.get("identitytoken")
    if isinstance(token, str) and token:
        return ("<token>", token), None
    encoded = entry.get("auth")
    if encoded is not None and encoded != "":
        return _decoded(encoded)
    name, password = entry.get("username"), entry.get("password")
    if isinstance(name, str) and isinstance(password, str):
        return (name, password), None
    return None, None


def _decoded(encoded: object) -> tuple[tuple[str, str] | None, str | None]:
    invalid = '"auth" is not the base64 of user:password'
    if not isinstance(encoded, str):
        return None, invalid
    try:
        user, colon, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None, invalid
    return ((user, secret), None) if colon else (None, invalid)


def _host(key: str) -> str:
    """The host of an ``auths`` key, without any ``user:password@`` written into it."""
    netloc = urlsplit(key).netloc if "://" in key else key.split("/", 1)[0]
    return netloc.rpartition("@")[2].lower()


def read_docker_config(path: Path | None) -> DockerAuths:
    """`parse_docker_config` of ``path``; a missing file holds no credentials, an unreadable one
    none either, with a problem naming it."""
    if path is None:
        return DockerAuths()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DockerAuths()
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else error.strerror
        return DockerAuths(problems=(Problem(str(path), 0, f"could not be read: {reason}"),))
    return parse_docker_config(text, str(path))
