"""What every Python manifest reader shares: PEP 508 strings, names, URL redaction, paths."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from steward.model import Dependency, EcosystemName
from steward.versioning.pep440 import PEP440

ECOSYSTEM = EcosystemName.PYPI.value
_VERSIONING = PEP440()

# The raw pieces of a PEP 508 string, so the constraint is kept exactly as written;
# ``packaging`` decides whether the string is valid at all.
_PEP508 = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*"
    r"(?:\[(?P<extras>[^\]]*)\])?\s*"
    r"(?P<spec>[^;@]*?)\s*"
    r"(?:@\s*(?P<url>[^;]*?)\s*)?"
    r"(?:;\s*(?P<marker>.*?)\s*)?$",
    re.DOTALL,
)


_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


class InvalidRequirementLine(ValueError):
    """A requirement string that is not PEP 508; the message says why."""


@dataclass(frozen=True, slots=True)
class Pep508:
    """A PEP 508 requirement split into its parts, each as written (stripped)."""

    name: str
    constraint: str
    extras: tuple[str, ...]
    marker: str
    url: str


def parse_pep508(text: str) -> Pep508:
    """Split a PEP 508 string; raises `InvalidRequirementLine` when ``packaging`` rejects it."""
    try:
        Requirement(text)
    except InvalidRequirement as error:
        raise InvalidRequirementLine(str(error).splitlines()[0]) from None
    match = _PEP508.match(text)
    if match is None:  # pragma: no cover - packaging accepted it, so the pattern does too
        raise InvalidRequirementLine(text)
    spec = match.group("spec").strip()
    if spec.startswith("(") and spec.endswith(")"):
        spec = spec[1:-1].strip()
    extras = tuple(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    return Pep508(match["name"], spec, extras, match["marker"] or "", match["url"] or "")


def redact(url: str) -> str:
    """``url`` without user-info, so a token in an index or VCS URL is never shown."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def url_skip_reason(url: str) -> str:
    """Why a dependency given by URL is not looked up: VCS, local path or direct URL."""
    scheme = url.split(":", 1)[0].lower()
    if "+" in scheme and scheme.split("+", 1)[0] in ("git", "hg", "svn", "bzr"):
        return f"VCS reference ({scheme.split('+', 1)[0]})"
    if scheme == "file":
        return "local path"
    return "direct URL reference"


def join(directory: str, name: str) -> str:
    """``name`` relative to ``directory`` as a normalised POSIX path from the scan root."""
    return posixpath.normpath(posixpath.join(directory, name))


def dependency(
    name: str,
    constraint: str,
    file: str,
    line: int,
    dep_type: str,
    *,
    skip_reason: str | None = None,
    notes: Iterable[str] = (),
) -> Dependency:
    """A PyPI `Dependency`: ``package`` is the PEP 503 name when it differs from ``name``.

    ``name`` is a project name, or for an unnamed URL or path the target as written (redacted);
    such a name is never normalised.
    """
    canonical = canonicalize_name(name, validate=False) if _NAME.match(name) else name
    locked = None if skip_reason else _VERSIONING.pinned(constraint)
    return Dependency(
        ecosystem=ECOSYSTEM,
        name=name,
        constraint=constraint,
        file=file,
        line=line,
        dep_type=dep_type,
        locked=locked,
        skip_reason=skip_reason,
        package=canonical if canonical != name else None,
        notes=tuple(notes),
    )


def pep508_dependency(parsed: Pep508, file: str, line: int, dep_type: str) -> Dependency:
    """The `Dependency` a parsed PEP 508 string declares (skipped when it names a URL)."""
    notes = []
    if parsed.extras:
        notes.append(f"extras: {','.join(parsed.extras)}")
    if parsed.marker:
        notes.append(f"marker: {parsed.marker}")
    if parsed.url:
        notes.append(f"source: {redact(parsed.url)}")
        reason = url_skip_reason(parsed.url)
        return dependency(parsed.name, "", file, line, dep_type, skip_reason=reason, notes=notes)
    return dependency(parsed.name, parsed.constraint, file, line, dep_type, notes=notes)
