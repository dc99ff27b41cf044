"""Which ``Authorization`` header a URL gets.

Three sources, the most specific first:

1. user-info embedded in the URL (``https://user:secret@host/``), moved to a Basic header by
   `split_userinfo` so the URL itself never carries it further;
2. explicit tokens for URL prefixes, added by the registries (npm's ``//host/path/:_authToken``);
   the longest matching prefix wins;
3. ``~/.netrc`` (or the file ``NETRC`` names), by host name, with its ``default`` entry last.

Nothing here logs or prints a secret, and ``repr(Credentials(...))`` names prefixes and hosts only.
"""

from __future__ import annotations

import base64
import logging
import netrc
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

_log = logging.getLogger("steward.http")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def basic(user: str, password: str) -> str:
    """The ``Authorization`` value for HTTP Basic authentication."""
    pair = f"{user}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def split_userinfo(url: str) -> tuple[str, str | None]:
    """``url`` without user-info, and the Basic header that user-info stood for (or ``None``)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return bare, basic(unquote(parts.username or ""), unquote(parts.password or ""))


@dataclass(frozen=True)
class _Prefix:
    """A normalised URL prefix: an optional scheme and ``//host[:port]/path/``."""

    scheme: str | None
    location: str

    @classmethod
    def parse(cls, prefix: str) -> _Prefix:
        """``https://host/path``, ``//host/path/`` or ``host/path`` → a `_Prefix`."""
        if "://" not in prefix and not prefix.startswith("//"):
            prefix = "//" + prefix
        parts = urlsplit(prefix)
        return cls(parts.scheme.lower() or None, _location(parts.scheme, parts.netloc, parts.path))

    def matches(self, scheme: str, location: str) -> bool:
        """Whether a URL with ``scheme`` and normalised ``location`` lies under this prefix."""
        if self.scheme is not None and self.scheme != scheme:
            return False
        return location.startswith(self.location)


def _location(scheme: str, netloc: str, path: str) -> str:
    """``//host[:port]/path/`` with a lower-case host, no default port, no user-info, a final ``/``."""
    netloc = netloc.rpartition("@")[2].lower()
    host, _, port = netloc.rpartition(":")
    if port.isdigit() and _DEFAULT_PORTS.get(scheme.lower()) == int(port):
        netloc = host
    path = path.strip("/")
    return f"//{netloc}/{path}/" if path else f"//{netloc}/"


class Credentials:
    """URL → ``Authorization`` header, from explicit prefix tokens and a netrc file.

    A registry adds what its own configuration holds (``add_token``); the ``HttpClient`` asks
    `authorization` for every request that does not carry its own header.
    """

    def __init__(self, netrc_hosts: Mapping[str, tuple[str, str]] | None = None) -> None:
        """``netrc_hosts`` maps a host name (or ``""`` for netrc's ``default``) to (login, password)."""
        self._tokens: dict[_Prefix, str] = {}
        self._netrc = dict(netrc_hosts or {})

    @classmethod
    def from_environment(cls, env: Mapping[str, str], home: Path | None) -> Credentials:
        """Credentials reading the netrc file ``env["NETRC"]`` names, else ``home/.netrc``."""
        if "NETRC" in env:
            return cls(_read_netrc(Path(env["NETRC"])))
        return cls(_read_netrc(home / ".netrc") if home is not None else {})

    def add_token(self, prefix: str, token: str, *, scheme: str = "Bearer") -> None:
        """Send ``<scheme> <token>`` to every URL under ``prefix`` (``//host/path/`` or a URL)."""
        self._tokens[_Prefix.parse(prefix)] = f"{scheme} {token}"

    def add_basic(self, prefix: str, user: str, password: str) -> None:
        """Send Basic ``user``/``password`` to every URL under ``prefix``."""
        self._tokens[_Prefix.parse(prefix)] = basic(user, password)

    def authorization(self, url: str) -> str | None:
        """The header value for ``url``: its user-info, the longest prefix token, then netrc."""
        url, embedded = split_userinfo(url)
        if embedded is not None:
            return embedded
        parts = urlsplit(url)
        location = _location(parts.scheme, parts.netloc, parts.path)
        token = self._token(parts.scheme.lower(), location)
        return token if token is not None else self._from_netrc(parts.hostname or "")

    def _token(self, scheme: str, location: str) -> str | None:
        matching = [prefix for prefix in self._tokens if prefix.matches(scheme, location)]
        if not matching:
            return None
        best = max(matching, key=lambda prefix: (len(prefix.location), prefix.scheme is not None))
        return self._tokens[best]

    def _from_netrc(self, host: str) -> str | None:
        login = self._netrc.get(host) or self._netrc.get("")
        return basic(*login) if login is not None else None

    def __repr__(self) -> str:
        prefixes = sorted(f"{prefix.scheme or ''}:{prefix.location}" for prefix in self._tokens)
        return f"Credentials(prefixes={prefixes}, netrc_hosts={sorted(self._netrc)})"


def _read_netrc(path: Path) -> dict[str, tuple[str, str]]:
    """Host → (login, password) from a netrc file; a missing file is empty, a broken one ignored."""
    if not path.is_file():
        return {}
    try:
        parsed = netrc.netrc(str(path))
    except (netrc.NetrcParseError, OSError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        _log.warning("ignoring netrc file %s: cannot parse it (line %s)", path, line)
        return {}
    hosts = {host: (login, password) for host, (login, _, password) in parsed.hosts.items()}
    if "default" in hosts:
        hosts[""] = hosts.pop("default")
    return hosts
