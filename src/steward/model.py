"""Facts and findings: the data every stage of Steward passes on, and nothing else.

Facts are what a repository says (a `Dependency`, a `Service`); lookups add what a registry says
(`PackageInfo`, `Release`); findings are what Steward concludes (`DependencyStatus`, `Finding`).
Everything here is a frozen dataclass with no behaviour beyond small derived properties.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

#: Reads a file by its POSIX path relative to the scan root; raises ``FileNotFoundError``.
#: Extractors receive one of these instead of touching the file system themselves.
Reader = Callable[[str], str]


class EcosystemName(StrEnum):
    """The package ecosystems Steward understands, spelled as in the JSON contract."""

    GO = "go"
    PYPI = "pypi"
    NPM = "npm"


class UpdateType(StrEnum):
    """How far a candidate version is from the current one, by the scheme's own numbering."""

    MAJOR = "major"
    MINOR = "minor"
    PATCH = "patch"
    #: Same major.minor.patch but a different pre-release, post-release, build or pseudo-version.
    OTHER = "other"


class Severity(StrEnum):
    """How much a finding matters; ordered from least to most with `SEVERITY_ORDER`."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_ORDER: tuple[Severity, ...] = tuple(Severity)


@dataclass(frozen=True, slots=True)
class Dependency:
    """One dependency as a manifest or lock file declares it.

    ``file`` is the POSIX path relative to the scan root and ``line`` is 1-based (0 when a format
    has no meaningful line, e.g. a dependency only present in a lock file). ``constraint`` is
    exactly as written ("" when none is written). ``package`` is the name to look up when it differs
    from ``name`` (an npm ``npm:`` alias, a Go ``replace`` module → module). ``locked`` is the
    version in effect: from a lock file, or the exact version a manifest pins (go.mod, ``==``).
    A dependency with a ``skip_reason`` is reported but never looked up.
    """

    ecosystem: str
    name: str
    constraint: str
    file: str
    line: int
    dep_type: str
    locked: str | None = None
    lock_file: str | None = None
    skip_reason: str | None = None
    package: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def lookup_name(self) -> str:
        """The name a registry knows this dependency by."""
        return self.package or self.name


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a file says that Steward could not read; the scan goes on without it."""

    file: str
    line: int
    message: str


@dataclass(slots=True)
class Extraction:
    """What one extractor found in one directory: facts and the problems met on the way."""

    dependencies: list[Dependency] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Extraction) -> None:
        self.dependencies.extend(other.dependencies)
        self.problems.extend(other.problems)


@dataclass(frozen=True, slots=True)
class Service:
    """A deployable unit: a folder with a manifest or a Dockerfile, or one named in steward.toml."""

    name: str
    path: str
    owners: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Release:
    """One published version of a package, as its registry describes it."""

    version: str
    published: datetime | None = None
    yanked: str | None = None
    deprecated: str | None = None
    retracted: str | None = None
    #: Per-version facts the registry states, as sorted ``(key, value)`` pairs, for breaking-change
    #: evidence: ``go`` (the go directive of the version's go.mod), ``requires_python``,
    #: ``engines.<name>`` and ``peerDependencies.<name>`` (npm). Empty when not recorded.
    metadata: tuple[tuple[str, str], ...] = ()

    def meta(self, key: str) -> str | None:
        """The value of metadata ``key``, or None when the registry did not state it."""
        return next((value for name, value in self.metadata if name == key), None)


@dataclass(frozen=True, slots=True)
class PackageInfo:
    """Every known release of one package, and what the registry says of the package itself."""

    ecosystem: str
    name: str
    releases: tuple[Release, ...]
    #: The registry's own idea of "latest" (npm dist-tag, Go ``@latest``), when it has one.
    latest: str | None = None
    deprecated: str | None = None
    source: str = ""

    def release(self, version: str) -> Release | None:
        for candidate in self.releases:
            if candidate.version == version:
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class NotChecked:
    """A lookup that could not be made; reported as such, never as up to date."""

    reason: str


@dataclass(frozen=True, slots=True)
class Imported:
    """A Go package of a vulnerable module and the symbols of it an advisory names."""

    path: str
    symbols: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vulnerability:
    """One vulnerability of a dependency version: advisories that alias each other, merged.

    ``id`` is the preferred record's ID (the ecosystem's own database, then GHSA, CVE last) and
    ``aliases`` every other ID of the merged records. ``severity`` comes from the highest CVSS
    score (``score``, of ``vector``), else from the database's own rating; None when neither is
    given. ``fixed_in`` lists the versions the advisories name as fixed, ascending.
    """

    id: str
    aliases: tuple[str, ...] = ()
    severity: Severity | None = None
    score: float | None = None
    vector: str | None = None
    summary: str | None = None
    url: str | None = None
    fixed_in: tuple[str, ...] = ()
    imports: tuple[Imported, ...] = ()


class EvidenceKind(StrEnum):
    """Where a piece of breaking-change evidence comes from."""

    NOTES = "notes"  # the release notes between the two versions
    METADATA = "metadata"  # registry metadata: go directive, requires_python, engines, retract …
    API = "api"  # a public-API diff of the two versions' code


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason to believe an update may break its users, with where it was found.

    ``source`` names the document or artefact (``CHANGELOG.md of chi v5.0.12``, ``npm engines``);
    ``summary`` is one line for a person; ``detail`` the quoted text or diff, when there is one.
    ``breaking`` is False for evidence that informs without warning (e.g. "no notes found").
    """

    kind: EvidenceKind
    source: str
    summary: str
    detail: str = ""
    breaking: bool = True


@dataclass(frozen=True, slots=True)
class DependencyStatus:
    """One dependency with what its registry says: the freshness finding for one row."""

    dependency: Dependency
    service: str
    checked: bool
    not_checked_reason: str | None = None
    current: str | None = None
    current_published: datetime | None = None
    wanted: str | None = None
    latest: str | None = None
    latest_published: datetime | None = None
    newest_patch: str | None = None
    newest_minor: str | None = None
    newest_major: str | None = None
    update_type: UpdateType | None = None
    libyears: float | None = None
    flags: tuple[str, ...] = ()
    #: Known vulnerabilities of the version in use (empty when none, or not looked up).
    advisories: tuple[Vulnerability, ...] = ()
    #: The lowest version above the current one that none of the package's advisories affects.
    minimal_fix: str | None = None
    minimal_fix_type: UpdateType | None = None
    #: Reasons to believe the update to ``latest`` may break its users (metadata, notes, API).
    evidence: tuple[Evidence, ...] = ()
    #: ``low`` / ``medium`` / ``high`` for the update to ``latest``, and the reasons behind it.
    risk: str | None = None
    risk_reasons: tuple[str, ...] = ()

    @property
    def outdated(self) -> bool:
        return self.update_type is not None


@dataclass(frozen=True, slots=True)
class Update:
    """A proposed change of one dependency from one version to another."""

    ecosystem: str
    name: str
    from_version: str
    to_version: str
    update_type: UpdateType


@dataclass(frozen=True, slots=True)
class Finding:
    """What Steward concludes, in one shape for every area.

    ``rule`` is a stable identifier (``outdated``, ``not-checked``, ``malformed-manifest`` …);
    ``subject`` names what the finding is about (a package, an image, a schema).
    """

    rule: str
    severity: Severity
    subject: str
    message: str
    service: str = ""
    file: str = ""
    line: int = 0
    evidence: tuple[str, ...] = ()
    remedy: Update | None = None
