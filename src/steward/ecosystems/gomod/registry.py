"""Go module versions from a module proxy (the GOPROXY protocol), as the go command asks for them.

For a module path ``M`` (upper-case letters written ``!`` + lower case, in versions too)::

    $base/M/@v/list          the tagged versions, one per line
    $base/M/@latest          {"Version": …, "Time": …}, the proxy's latest version
    $base/M/@v/V.info        {"Version": …, "Time": …}
    $base/M/@v/V.mod         the go.mod of version V (retractions and deprecation are read here)

``GOPROXY`` is a list: after an entry followed by ``,`` the next is tried only when the module is not
found (404/410); after ``|`` on any error. ``direct`` (version control) cannot be used by Steward
and ``off`` forbids lookups. The configured fallback (``[registries.go] fallback``, usually a
``file:`` folder laid out like a proxy) is tried whenever the configured list fails, except under
``off``: ``(GOPROXY)|fallback``. Modules matching ``GONOPROXY`` (default ``GOPRIVATE``) are never
sent to a proxy.

Errors: every failure reaches the caller as `NotCheckedError` with a reason for the user.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from steward.ecosystems.gomod.modfile import Retract, parse_mod
from steward.model import NotChecked, PackageInfo, Release
from steward.sources.http import (
    HttpClient,
    HttpError,
    MalformedResponse,
    NotFound,
    OfflineMiss,
    Unavailable,
    redact,
)
from steward.sources.registry import NotCheckedError, Registry, RegistryContext
from steward.versioning.gosemver import GoSemver, is_pseudo

_T = TypeVar("_T")
_SEMVER = GoSemver()
DIRECT_REASON = "GOPROXY=direct: Steward does not fetch from version control"
OFF_REASON = "GOPROXY=off"
NOTHING_CONFIGURED = "no registry configured (set GOPROXY or [registries.go] in steward.toml)"
RETRACTED = "retracted by the module author"
_GO_ENV_TIMEOUT = 5.0
_NOT_FOUND, _FAILED, _DIRECT = 0, 1, 2  # how telling an error is, as the go command ranks them


class InvalidGoProxy(ValueError):
    """A GOPROXY value the go command would also reject."""


@dataclass(frozen=True, slots=True)
class ProxyEntry:
    """One GOPROXY entry: a base URL, ``direct`` or ``off``.

    ``fall_back_on_error`` is True when a ``|`` follows it (try the next entry on any error) and
    False for ``,`` (only when the module is not found there).
    """

    url: str
    fall_back_on_error: bool = False


def parse_goproxy(value: str) -> tuple[ProxyEntry, ...]:
    """A GOPROXY list as the go command reads it; entries after ``direct`` / ``off`` are ignored."""
    entries: list[ProxyEntry] = []
    for url, separator in re.findall(r"([^,|]*)([,|]?)", value):
        url = url.strip()
        if not url:
            continue
        if url in ("off", "direct"):
            entries.append(ProxyEntry(url))
            break
        if any(c in url for c in ".:/") and ":/" not in url and not url.startswith("/"):
            url = "https://" + url
        if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):
            raise InvalidGoProxy(f"invalid proxy URL missing scheme: {redact(url)}")
        entries.append(ProxyEntry(url.rstrip("/"), separator == "|"))
    if not entries:
        raise InvalidGoProxy("GOPROXY list is not the empty string, but contains no entries")
    return tuple(entries)


def _class_char(pattern: str, i: int) -> tuple[str, int] | None:
    """One character of a ``[...]`` class at ``pattern[i]`` (``\\`` escapes) and the index after it."""
    if i >= len(pattern) or pattern[i] in "-]":
        return None
    if pattern[i] != "\\":
        return pattern[i], i + 1
    return (pattern[i + 1], i + 2) if i + 1 < len(pattern) else None


def _glob_class(pattern: str, start: int) -> tuple[str, int] | None:
    """The regex of the ``[...]`` class starting at ``pattern[start]`` and the index after it."""
    i = start + 1
    negate = pattern[i : i + 1] == "^"
    i += negate
    parts: list[str] = []
    while i < len(pattern) and (pattern[i] != "]" or not parts):
        low = _class_char(pattern, i)
        if low is None:
            return None
        high, i = low
        if pattern[i : i + 1] == "-":
            found = _class_char(pattern, i + 1)
            if found is None:
                return None
            high, i = found
        parts.append(f"{re.escape(low[0])}-{re.escape(high)}")
    if i >= len(pattern):
        return None
    return f"[{'^' if negate else ''}{''.join(parts)}]", i + 1


def _glob_regex(pattern: str) -> re.Pattern[str] | None:
    """Go's ``path.Match`` pattern as a regex (``*`` and ``?`` never match ``/``); None if bad."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            found = _glob_class(pattern, i)
            if found is None:
                return None
            out.append(found[0])
            i = found[1]
            continue
        elif char == "\\":
            if i + 1 >= len(pattern):
                return None
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error:  # a reversed range such as [z-a]: Go's path.Match matches nothing
        return None


def match_prefix_patterns(globs: str, target: str) -> str | None:
    """The first glob of a comma-separated list matching a leading part of ``target``, or None.

    As ``golang.org/x/mod/module.MatchPrefixPatterns``: a glob of N path elements is matched
    against the first N elements of the module path, so ``example.com/private`` matches
    ``example.com/private/tool`` and ``*.corp.example`` matches ``git.corp.example/x``.
    """
    for raw in globs.split(","):
        glob = raw.removesuffix("/")
        if not glob:
            continue
        elements = glob.count("/") + 1
        parts = target.split("/")
        if len(parts) < elements:
            continue
        regex = _glob_regex(glob)
        if regex is not None and regex.fullmatch("/".join(parts[:elements])):
            return glob
    return None


def escape(text: str) -> str:
    """A module path or version as the proxy spells it: ``!`` + lower case for upper case."""
    if (
        "!" in text
        or not text
        or any(not c.isascii() or not c.isprintable() or c.isspace() for c in text)
    ):
        raise NotCheckedError(f"invalid module path or version {text!r}")
    return "".join("!" + c.lower() if "A" <= c <= "Z" else c for c in text)


@dataclass(frozen=True, slots=True)
class _Info:
    version: str
    time: datetime | None


def _parse_info(content: bytes, url: str) -> _Info:
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise MalformedResponse(f"malformed version info from {redact(url)}: {error}") from None
    version = data.get("Version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not _SEMVER.is_valid(version):
        raise MalformedResponse(f"malformed version info from {redact(url)}: no valid Version")
    stamp = data.get("Time")
    if stamp is None:
        return _Info(version, None)
    try:
        return _Info(version, datetime.fromisoformat(str(stamp)))
    except ValueError:
        raise MalformedResponse(
            f"malformed version info from {redact(url)}: Time {stamp!r}"
        ) from None


def _parse_list(content: bytes, url: str) -> list[str]:
    """Versions of a ``@v/list`` (pseudo-versions dropped, as the go command drops them)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedResponse(f"malformed version list from {redact(url)}: not UTF-8") from None
    versions: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        if not _SEMVER.is_valid(fields[0]):
            message = f"malformed version list from {redact(url)}: line {number}: {line[:80]!r}"
            raise MalformedResponse(message)
        if not is_pseudo(fields[0]) and fields[0] not in versions:
            versions.append(fields[0])
    return _SEMVER.sorted(versions)


def _retraction(version: str, retracts: Sequence[Retract]) -> str | None:
    for rule in retracts:
        if _SEMVER.compare(rule.low, version) <= 0 <= _SEMVER.compare(rule.high, version):
            return rule.rationale or RETRACTED
    return None


def _newest(versions: Sequence[str]) -> str | None:
    """The version the go command reads retractions from: the highest release, else the highest."""
    releases = [v for v in versions if not _SEMVER.is_prerelease(v)] or list(versions)
    return releases[-1] if releases else None


@dataclass
class _Failures:
    """The failures of one walk down the proxy list; the most telling one is reported."""

    rank: int = -1
    reason: str = ""
    missing: tuple[str, ...] = ()

    def add(self, rank: int, reason: str) -> None:
        if rank >= self.rank and (rank > _NOT_FOUND or self.rank < _NOT_FOUND):
            self.rank, self.reason = rank, reason

    def error(self, name: str) -> NotCheckedError:
        if self.rank == _NOT_FOUND or self.rank < 0:
            return NotCheckedError(f"{name} not found in {', '.join(self.missing) or 'no proxy'}")
        return NotCheckedError(self.reason)


class _Exhausted(Exception):
    """No entry of the proxy list answered."""

    def __init__(self, failures: _Failures) -> None:
        super().__init__(failures.reason)
        self.failures = failures


class GoProxy(Registry):
    """A GOPROXY list (plus an optional fallback) answering for Go modules."""

    def __init__(
        self,
        http: HttpClient,
        proxies: Sequence[ProxyEntry],
        *,
        fallback: str | None = None,
        private: str = "",
        private_variable: str = "GOPRIVATE",
    ) -> None:
        self.http = http
        self.proxies = tuple(proxies)
        self.fallback = fallback.rstrip("/") if fallback else None
        self.private = private
        self.private_variable = private_variable
        stages = [",".join(redact(p.url) for p in self.proxies)] if self.proxies else []
        self.source = "|".join([*stages, *([redact(self.fallback)] if self.fallback else [])])
        self._served: dict[str, str] = {}

    async def fetch(self, name: str) -> PackageInfo:
        """Every tagged version of module ``name``, ``@latest``, and retractions marked."""
        self._check_public(name)
        try:
            info, base = await self._walk(lambda base: self._fetch_from(base, name))
        except _Exhausted as exhausted:
            raise exhausted.failures.error(name) from None
        self._served[name] = base
        return info

    async def describe(self, info: PackageInfo, versions: Collection[str]) -> PackageInfo:
        """``info`` with ``published`` read from ``.info`` for ``versions`` that lack it.

        A version the listing left out (a pseudo-version) is added when the proxy knows it.
        """
        self._check_public(info.name)
        known = {r.version: r for r in info.releases}
        wanted = [
            v for v in dict.fromkeys(versions) if known.get(v) is None or known[v].published is None
        ]
        found = await asyncio.gather(*(self._info(info.name, v) for v in wanted))
        for version, got in zip(wanted, found, strict=True):
            if got is not None and got.time is not None:
                known[version] = replace(known.get(version) or Release(version), published=got.time)
        described = [v for v in dict.fromkeys(versions) if v in known]
        directives = await asyncio.gather(*(self._go_directive(info.name, v) for v in described))
        for version, directive in zip(described, directives, strict=True):
            if directive is not None:
                known[version] = replace(known[version], metadata=(("go", directive),))
        releases = tuple(known[v] for v in _SEMVER.sorted(known))
        return replace(info, releases=releases)

    async def _go_directive(self, name: str, version: str) -> str | None:
        """The ``go`` directive of the go.mod of ``version`` (evidence), None when unknown.

        A .mod that cannot be fetched only costs the evidence, never the lookup.
        """
        base = self._served.get(name)
        if base is None:
            return None
        try:
            reply = await self.http.get(self._url(base, name, f"@v/{escape(version)}.mod"))
        except (HttpError, NotCheckedError):
            return None
        mod = parse_mod(reply.text, strict=False)
        return mod.go.value if mod.go is not None else None

    def _check_public(self, name: str) -> None:
        glob = match_prefix_patterns(self.private, name) if self.private else None
        if glob is not None:
            raise NotCheckedError(f"private module ({self.private_variable} matches {glob})")

    def _url(self, base: str, name: str, suffix: str) -> str:
        return f"{base}/{quote(escape(name), safe='/!@+-._~')}/{suffix}"

    async def _walk(self, attempt: Callable[[str], Awaitable[_T]]) -> tuple[_T, str]:
        """The first answer along the list, then the fallback, with Go's fall-through rules.

        Raises `_Exhausted` with every failure when no entry answered.
        """
        failures = _Failures()
        for stage in (self.proxies, (ProxyEntry(self.fallback),) if self.fallback else ()):
            for entry in stage:
                if entry.url == "off":
                    raise NotCheckedError(OFF_REASON)
                if entry.url == "direct":
                    failures.add(_DIRECT, DIRECT_REASON)
                    break
                try:
                    return await attempt(entry.url), entry.url
                except NotFound:
                    failures.missing += (redact(entry.url),)
                    failures.add(_NOT_FOUND, "")
                    continue
                except (Unavailable, OfflineMiss) as error:
                    failures.add(_FAILED, f"registry unavailable: {error}")
                except MalformedResponse as error:
                    failures.add(_FAILED, str(error))
                if not entry.fall_back_on_error:
                    break
        raise _Exhausted(failures)

    async def _fetch_from(self, base: str, name: str) -> PackageInfo:
        listing = await self.http.get(self._url(base, name, "@v/list"))
        versions = _parse_list(listing.content, listing.url)
        latest = await self._latest(base, name)
        if latest is not None and not versions:
            versions = [latest.version]
        if not versions:
            raise NotFound(f"no versions of {name} in {redact(base)}")
        retracts, deprecated = await self._mod_facts(base, name, _newest(versions))
        releases = tuple(
            Release(
                v,
                published=latest.time if latest is not None and latest.version == v else None,
                retracted=_retraction(v, retracts),
            )
            for v in versions
        )
        return PackageInfo(
            ecosystem="go",
            name=name,
            releases=releases,
            latest=latest.version if latest is not None else None,
            deprecated=deprecated,
            source=redact(base),
        )

    async def _latest(self, base: str, name: str) -> _Info | None:
        try:
            reply = await self.http.get(self._url(base, name, "@latest"))
        except NotFound:
            return None
        return _parse_info(reply.content, reply.url)

    async def _mod_facts(
        self, base: str, name: str, version: str | None
    ) -> tuple[list[Retract], str | None]:
        """Retractions and deprecation from the go.mod of ``version`` (none if it has none)."""
        if version is None:
            return [], None
        try:
            reply = await self.http.get(self._url(base, name, f"@v/{escape(version)}.mod"))
        except NotFound:
            return [], None
        mod = parse_mod(reply.text, strict=False)
        return mod.retracts, mod.deprecated

    async def _info(self, name: str, version: str) -> _Info | None:
        async def attempt(base: str) -> _Info:
            reply = await self.http.get(self._url(base, name, f"@v/{escape(version)}.info"))
            return _parse_info(reply.content, reply.url)

        base = self._served.get(name)
        try:
            if base is not None:
                return await attempt(base)
            return (await self._walk(attempt))[0]
        except NotFound:
            return None
        except (Unavailable, OfflineMiss) as error:
            raise NotCheckedError(f"registry unavailable: {error}") from None
        except MalformedResponse as error:
            raise NotCheckedError(str(error)) from None
        except _Exhausted as exhausted:
            if exhausted.failures.rank <= _NOT_FOUND:
                return None
            raise exhausted.failures.error(name) from None


# --- configuration ------------------------------------------------------------------------------

_GO_VARIABLES = ("GOPROXY", "GOPRIVATE", "GONOPROXY")


def go_env(env: Mapping[str, str]) -> dict[str, str]:
    """GOPROXY, GOPRIVATE and GONOPROXY: from ``env``, else from ``go env`` when Go is installed."""
    values = {name: env[name] for name in _GO_VARIABLES if env.get(name)}
    if len(values) == len(_GO_VARIABLES):
        return values
    go = shutil.which("go", path=env.get("PATH", ""))
    if go is None:
        return values
    try:
        done = subprocess.run(
            [go, "env", *_GO_VARIABLES],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=_GO_ENV_TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return values
    reported = dict(zip(_GO_VARIABLES, done.stdout.splitlines(), strict=False))
    return {**{k: v.strip() for k, v in reported.items() if v.strip()}, **values}


def _fallback_url(fallback: str | None, base_dir: Path) -> str | None:
    """The fallback as a URL; a ``file:`` path relative to the settings' folder is resolved."""
    if not fallback or not fallback.startswith("file:"):
        return fallback or None
    path = fallback.removeprefix("file:")
    if path.startswith("//"):
        path = path[2:]
        path = path[path.find("/") :] if not path.startswith("/") else path
    local = Path(path)
    return (local if local.is_absolute() else base_dir / local).resolve().as_uri()


def registry(ctx: RegistryContext) -> GoProxy | NotChecked:
    """The GoProxy the environment and settings describe, or why there is none."""
    variables = go_env(ctx.env)
    settings = ctx.settings.registry("go")
    configured = variables.get("GOPROXY") or settings.url or ""
    fallback = _fallback_url(settings.fallback, ctx.settings.base_dir)
    if not configured and not fallback:
        return NotChecked(NOTHING_CONFIGURED)
    try:
        proxies = parse_goproxy(configured) if configured else ()
    except InvalidGoProxy as error:
        return NotChecked(f"GOPROXY: {error}")
    if proxies and proxies[0].url == "off":
        return NotChecked(OFF_REASON)
    if proxies and proxies[0].url == "direct" and not fallback:
        return NotChecked(DIRECT_REASON)
    private_variable = "GONOPROXY" if variables.get("GONOPROXY") else "GOPRIVATE"
    private = variables.get(private_variable, "")
    return GoProxy(
        ctx.http, proxies, fallback=fallback, private=private, private_variable=private_variable
    )
