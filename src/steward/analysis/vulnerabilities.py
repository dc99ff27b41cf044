"""OSV advisories → which dependency versions are vulnerable, merged findings and the minimal fix.

Three pieces, all pure:

* **Orderings** — a small registry mapping an OSV ecosystem name (``Go``, ``PyPI``, ``npm``) to
  the `Versioning` that orders its versions, plus how OSV spells a version and a package name
  there (Go's vulndb writes ``SEMVER`` bounds without the ``v``; PyPI names are compared
  PEP 503-normalised). Debian, Alpine … plug in with `register`.
* **Evaluation** — `affects` is the schema's ``IsVulnerable`` algorithm: a version is affected when
  it is listed in ``versions`` (compared by the ecosystem's own equality) or lies in a
  ``SEMVER``/``ECOSYSTEM`` range: events sorted by the ordering, ``introduced`` (``"0"`` before
  everything) opens, ``fixed`` closes exclusively, ``last_affected`` inclusively, and ``limit``
  events (``"*"`` is infinity) bound the whole range. ``GIT`` ranges need a repository and are not
  evaluated (the ``versions`` list covers them). An event whose version the ordering cannot read
  is skipped.
* **Findings** — `vulnerabilities` merges the advisories that affect one version through their
  aliases (symmetric and transitive, as the schema says) into `Vulnerability` findings, with
  severity from CVSS v3.x/v4 vectors (`steward.analysis.cvss`), else the database's own
  ``database_specific.severity``; `minimal_fix` finds the lowest release above the current one
  that no advisory of the package affects; `findings` turns both into ``vulnerable`` findings.

Withdrawn advisories are never matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from steward.analysis import cvss
from steward.model import (
    SEVERITY_ORDER,
    DependencyStatus,
    Finding,
    Imported,
    Severity,
    Update,
    UpdateType,
    Vulnerability,
)
from steward.versioning.gosemver import GoSemver
from steward.versioning.interface import InvalidVersion, Versioning
from steward.versioning.npm import NpmSemver
from steward.versioning.pep440 import PEP440

#: The rule of a vulnerable dependency's finding (stable, never reused).
RULE = "vulnerable"
#: The severity of a finding whose advisories give none (no CVSS vector, no database rating).
UNRATED = Severity.MEDIUM


class InvalidAdvisory(ValueError):
    """An OSV record that cannot be read; ``pointer`` is the JSON pointer of the bad value."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.pointer = pointer


# --- orderings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ordering:
    """How one OSV ecosystem's versions are ordered and spelled.

    ``ecosystem`` is Steward's name for it (``go``); ``version`` turns an OSV version string into
    the scheme's spelling and ``name`` a package name into the form both sides are compared in.
    """

    osv: str
    ecosystem: str
    versioning: Versioning
    version: Callable[[str], str] = str
    name: Callable[[str], str] = str


def _go_version(version: str) -> str:
    return version if version.startswith("v") else "v" + version


def _pypi_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_ORDERINGS: dict[str, Ordering] = {}


def register(ordering: Ordering) -> None:
    """Make ``ordering`` the one used for its OSV ecosystem (replacing any earlier one)."""
    _ORDERINGS[ordering.osv] = ordering
    _registered_key.cache_clear()


def ordering_for(osv_ecosystem: str) -> Ordering | None:
    """The ordering of an OSV ecosystem (a ``:RELEASE`` suffix is ignored), or None."""
    return _ORDERINGS.get(osv_ecosystem.split(":", 1)[0])


def ordering_of(ecosystem: str) -> Ordering | None:
    """The ordering for one of Steward's ecosystem names (``go``, ``pypi``, ``npm``), or None."""
    return next((o for o in _ORDERINGS.values() if o.ecosystem == ecosystem), None)


# --- records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One range event: ``kind`` is ``introduced``, ``fixed``, ``last_affected`` or ``limit``."""

    kind: str
    version: str


@dataclass(frozen=True, slots=True)
class Range:
    """An ``affected[].ranges[]`` entry: its type and events, as written."""

    type: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Affected:
    """One ``affected[]`` entry: a package and the versions of it the advisory affects."""

    ecosystem: str
    name: str
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    database_severity: str | None = None
    imports: tuple[Imported, ...] = ()

    @cached_property
    def compiled(self) -> Compiled | None:
        """This entry read once under its ecosystem's ordering (None when none is registered)."""
        ordering = ordering_for(self.ecosystem)
        return compile_entry(self, ordering) if ordering is not None else None


@dataclass(frozen=True, slots=True)
class Compiled:
    """An `Affected` entry ready to evaluate: the listed versions' keys, and per evaluable range
    its ``limit`` keys (None: no limit; a ``"*"`` limit drops the range's limits) and its events
    sorted by the ordering."""

    ordering: str
    version_keys: frozenset[Any]
    ranges: tuple[tuple[tuple[Any, ...] | None, tuple[tuple[Any, str], ...]], ...]


@dataclass(frozen=True, slots=True)
class Advisory:
    """An OSV record, reduced to what matching and reporting use."""

    id: str
    modified: str = ""
    published: str | None = None
    withdrawn: str | None = None
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    severity: tuple[tuple[str, str], ...] = ()
    database_severity: str | None = None
    url: str | None = None
    affected: tuple[Affected, ...] = ()

    def packages(self) -> set[tuple[str, str]]:
        """(OSV ecosystem, package name) of every package the advisory names."""
        return {(a.ecosystem, a.name) for a in self.affected}


_EVENT_KINDS = frozenset(("introduced", "fixed", "last_affected", "limit"))


def parse(data: object) -> Advisory:
    """An OSV record (a parsed JSON object) as an `Advisory`; raises `InvalidAdvisory`."""
    record = _object(data, "")
    ident = _string(record.get("id"), "/id")
    database = record.get("database_specific")
    return Advisory(
        id=ident,
        modified=_optional(record.get("modified"), "/modified") or "",
        published=_optional(record.get("published"), "/published"),
        withdrawn=_optional(record.get("withdrawn"), "/withdrawn"),
        aliases=tuple(_strings(record.get("aliases", []), "/aliases")),
        summary=_optional(record.get("summary"), "/summary"),
        severity=_severities(record.get("severity", []), "/severity"),
        database_severity=_database_severity(database),
        url=_url(record),
        affected=tuple(
            _affected(item, f"/affected/{i}")
            for i, item in enumerate(_list(record.get("affected", []), "/affected"))
        ),
    )


def _affected(data: object, where: str) -> Affected:
    entry = _object(data, where)
    package = _object(entry.get("package"), f"{where}/package")
    ecosystem = _string(package.get("ecosystem"), f"{where}/package/ecosystem")
    name = _string(package.get("name"), f"{where}/package/name")
    ordering = ordering_for(ecosystem)
    if ordering is not None:
        name = ordering.name(name)
    specific = entry.get("ecosystem_specific")
    return Affected(
        ecosystem=ecosystem,
        name=name,
        ranges=tuple(
            _range(item, f"{where}/ranges/{i}")
            for i, item in enumerate(_list(entry.get("ranges", []), f"{where}/ranges"))
        ),
        versions=tuple(_strings(entry.get("versions", []), f"{where}/versions")),
        severity=_severities(entry.get("severity", []), f"{where}/severity"),
        database_severity=_database_severity(entry.get("database_specific")),
        imports=_imports(specific.get("imports") if isinstance(specific, dict) else None),
    )


def _range(data: object, where: str) -> Range:
    entry = _object(data, where)
    events = []
    for i, item in enumerate(_list(entry.get("events", []), where + "/events")):
        kinds = _EVENT_KINDS.intersection(item) if isinstance(item, dict) else ()
        if len(kinds) != 1:
            raise InvalidAdvisory(f"{where}/events/{i}: one event kind expected", where)
        kind = next(iter(kinds))
        value = item[kind]
        if not isinstance(value, str) or not value:
            raise InvalidAdvisory(f"{where}/events/{i}: expected a version", f"{where}/events/{i}")
        events.append(Event(kind, value))
    return Range(_string(entry.get("type"), where + "/type"), tuple(events))


def _severities(data: object, where: str) -> tuple[tuple[str, str], ...]:
    found = []
    for i, item in enumerate(_list(data, where)):
        entry = _object(item, f"{where}/{i}")
        kind = _string(entry.get("type"), f"{where}/{i}/type")
        found.append((kind, _string(entry.get("score"), f"{where}/{i}/score")))
    return tuple(found)


def _database_severity(data: object) -> str | None:
    value = data.get("severity") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _url(record: Mapping[str, Any]) -> str | None:
    database = record.get("database_specific")
    if isinstance(database, dict) and isinstance(database.get("url"), str):
        return str(database["url"])
    references = record.get("references")
    for reference in references if isinstance(references, list) else []:
        if isinstance(reference, dict) and reference.get("type") == "ADVISORY":
            url = reference.get("url")
            if isinstance(url, str):
                return url
    return None


def _imports(data: object) -> tuple[Imported, ...]:
    found = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            symbols = item.get("symbols")
            names = (
                tuple(s for s in symbols if isinstance(s, str)) if isinstance(symbols, list) else ()
            )
            found.append(Imported(item["path"], names))
    return tuple(found)


def _object(data: object, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidAdvisory(f"{where or '/'}: expected an object", where)
    return data


def _list(data: object, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise InvalidAdvisory(f"{where}: expected a list", where)
    return data


def _string(data: object, where: str) -> str:
    if not isinstance(data, str) or not data:
        raise InvalidAdvisory(f"{where}: expected a non-empty string", where)
    return data


def _optional(data: object, where: str) -> str | None:
    return None if data is None else _string(data, where)


def _strings(data: object, where: str) -> list[str]:
    items = _list(data, where)
    if all(isinstance(item, str) and item for item in items):
        return items
    return [_string(item, f"{where}/{i}") for i, item in enumerate(items)]


def digest(advisory: Advisory) -> list[Any]:
    """``advisory`` as plain JSON-able lists, read back by `undigest` without validation (the
    local index stores this beside the record, so a scan does not re-validate what it loads)."""
    return [
        advisory.id, advisory.modified, advisory.published, advisory.withdrawn,
        list(advisory.aliases), advisory.summary, [list(s) for s in advisory.severity],
        advisory.database_severity, advisory.url,
        [
            [
                a.ecosystem, a.name,
                [[r.type, [[e.kind, e.version] for e in r.events]] for r in a.ranges],
                list(a.versions), [list(s) for s in a.severity], a.database_severity,
                [[i.path, list(i.symbols)] for i in a.imports],
            ]
            for a in advisory.affected
        ],
    ]  # fmt: skip


def undigest(data: list[Any]) -> Advisory:
    """The `Advisory` a `digest` describes."""
    ident, modified, published, withdrawn, aliases, summary, severity, dbsev, url, affected = data
    return Advisory(
        ident, modified, published, withdrawn, tuple(aliases), summary,
        tuple((k, v) for k, v in severity), dbsev, url,
        tuple(
            Affected(
                eco, name,
                tuple(Range(t, tuple(Event(k, v) for k, v in events)) for t, events in ranges),
                tuple(versions), tuple((k, v) for k, v in sev), entry_dbsev,
                tuple(Imported(p, tuple(symbols)) for p, symbols in imports),
            )
            for eco, name, ranges, versions, sev, entry_dbsev, imports in affected
        ),
    )  # fmt: skip


# --- evaluation ---------------------------------------------------------------------------


def affects(affected: Affected, version: str, ordering: Ordering) -> bool:
    """True when ``version`` (in the scheme's spelling) is affected, per the schema's algorithm."""
    return _affects_key(affected, version, _key(ordering, version), ordering)


def _affects_key(affected: Affected, version: str, key: Any, ordering: Ordering) -> bool:
    if key is None:
        return version in affected.versions
    compiled = affected.compiled
    if compiled is None or compiled.ordering != ordering.osv:
        compiled = compile_entry(affected, ordering)
    if key in compiled.version_keys:
        return True
    return any(_inside(limits, events, key) for limits, events in compiled.ranges)


def compile_entry(affected: Affected, ordering: Ordering) -> Compiled:
    """``affected`` read under ``ordering``: versions and bounds it cannot read are left out."""
    keys = frozenset(k for k in (_key(ordering, v) for v in affected.versions) if k is not None)
    ranges = tuple(
        _compile_range(r, ordering) for r in affected.ranges if r.type in ("SEMVER", "ECOSYSTEM")
    )
    return Compiled(ordering.osv, keys, ranges)


def _key(ordering: Ordering, version: str) -> Any:
    """The sort key of an OSV or scheme version under ``ordering``, None when unreadable."""
    if _ORDERINGS.get(ordering.osv) is ordering:
        return _registered_key(ordering.osv, version)
    return _uncached_key(ordering, version)


@lru_cache(maxsize=262_144)
def _registered_key(osv: str, version: str) -> Any:
    """`_key` for registered orderings, memoised: the same bounds recur across records."""
    return _uncached_key(_ORDERINGS[osv], version)


def _uncached_key(ordering: Ordering, version: str) -> Any:
    try:
        return ordering.versioning.sort_key(ordering.version(version))
    except InvalidVersion:
        return None


#: Sorts before every version: ``introduced: "0"``.
_BOTTOM = object()


def _compile_range(
    range_: Range, ordering: Ordering
) -> tuple[tuple[Any, ...] | None, tuple[tuple[Any, str], ...]]:
    written = [e.version for e in range_.events if e.kind == "limit"]
    limits: tuple[Any, ...] | None = None
    if written and not any("*" in v for v in written):
        limits = tuple(k for k in (_key(ordering, v) for v in written) if k is not None)
    events = []
    for event in range_.events:
        if event.kind == "limit":
            continue
        bottom = event.kind == "introduced" and event.version == "0"
        bound = _BOTTOM if bottom else _key(ordering, event.version)
        if bound is not None:
            events.append((bound, event.kind))
    events.sort(key=_event_order)
    return limits, tuple(events)


def _inside(limits: tuple[Any, ...] | None, events: tuple[tuple[Any, str], ...], key: Any) -> bool:
    """The schema's ``BeforeLimits`` and event walk for one compiled range."""
    if limits is not None and not any(key < limit for limit in limits):
        return False
    vulnerable = False
    for bound, kind in events:
        if bound is not _BOTTOM and key < bound:
            break  # events are sorted: none further can apply
        if kind == "introduced":
            vulnerable = True
        elif kind == "fixed" or (kind == "last_affected" and key != bound):
            vulnerable = False
    return vulnerable


class _Ordered:
    """Wraps an event bound so that `_BOTTOM` sorts first and keys compare with ``<``."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Ordered) -> bool:
        if self.value is _BOTTOM:
            return other.value is not _BOTTOM
        if other.value is _BOTTOM:
            return False
        return bool(self.value < other.value)


def _event_order(event: tuple[Any, str]) -> _Ordered:
    return _Ordered(event[0])


# --- findings -----------------------------------------------------------------------------


def matching(
    advisories: Iterable[Advisory], ecosystem: str, name: str, version: str
) -> list[tuple[Advisory, Affected]]:
    """Every (advisory, affected entry) of ``advisories`` that affects ``name`` at ``version``.

    ``ecosystem`` is Steward's name (``go``); withdrawn advisories are skipped.
    """
    ordering = ordering_of(ecosystem)
    if ordering is None:
        return []
    return _hits(_entries(advisories, ordering, name), version, ordering)


def _entries(
    advisories: Iterable[Advisory], ordering: Ordering, name: str
) -> list[tuple[Advisory, Affected]]:
    """The (advisory, entry) pairs naming ``name`` under ``ordering``; withdrawn ones left out."""
    wanted = ordering.name(name)
    return [
        (advisory, entry)
        for advisory in advisories
        if not advisory.withdrawn
        for entry in advisory.affected
        if entry.name == wanted and ordering_for(entry.ecosystem) is ordering
    ]


def _hits(
    entries: Sequence[tuple[Advisory, Affected]], version: str, ordering: Ordering
) -> list[tuple[Advisory, Affected]]:
    """The first entry of each advisory among ``entries`` that affects ``version``."""
    key = _key(ordering, version)
    found: list[tuple[Advisory, Affected]] = []
    for advisory, entry in entries:
        if found and found[-1][0] is advisory:
            continue
        if _affects_key(entry, version, key, ordering):
            found.append((advisory, entry))
    return found


def vulnerabilities(
    matched: Sequence[tuple[Advisory, Affected]], ecosystem: str
) -> tuple[Vulnerability, ...]:
    """The matched advisories merged through their aliases, most severe first."""
    ordering = ordering_of(ecosystem)
    groups = _alias_groups([a for a, _ in matched])
    merged = [_merge([m for m in matched if m[0].id in group], ordering) for group in groups]
    return tuple(sorted(merged, key=_severity_rank))


def _alias_groups(advisories: Sequence[Advisory]) -> list[set[str]]:
    """Advisory IDs grouped so that two records sharing any ID or alias are together."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for advisory in advisories:
        for alias in advisory.aliases:
            parent[root(alias)] = root(advisory.id)
    groups: dict[str, set[str]] = {}
    for advisory in advisories:
        groups.setdefault(root(advisory.id), set()).add(advisory.id)
    return list(groups.values())


def _merge(
    matched: Sequence[tuple[Advisory, Affected]], ordering: Ordering | None
) -> Vulnerability:
    records = sorted((a for a, _ in matched), key=lambda a: (_id_rank(a.id, ordering), a.id))
    first = records[0]
    names = {a.id for a in records} | {alias for a in records for alias in a.aliases}
    rated = [_rating(a, e) for a, e in matched]
    scores = [s for s, _, _ in rated if s is not None]
    severities = [sev for _, sev, _ in rated if sev is not None]
    vectors = [v for _, _, v in rated if v is not None]
    fixed = {
        e.version
        for _, entry in matched
        for r in entry.ranges
        for e in r.events
        if e.kind == "fixed" and r.type != "GIT"
    }
    imports = {i for _, entry in matched for i in entry.imports}
    return Vulnerability(
        id=first.id,
        aliases=tuple(sorted(names - {first.id})),
        severity=max(severities, key=SEVERITY_ORDER.index) if severities else None,
        score=max(scores) if scores else None,
        vector=vectors[0] if vectors else None,
        summary=next((a.summary for a in records if a.summary), None),
        url=next((a.url for a in records if a.url), None),
        fixed_in=tuple(_sorted_versions(fixed, ordering)),
        imports=tuple(sorted(imports, key=lambda i: i.path)),
    )


def _id_rank(ident: str, ordering: Ordering | None) -> int:
    """Which ID names a merged finding: the ecosystem's own database, then GHSA, CVE last."""
    home = {"Go": ("GO-",), "PyPI": ("PYSEC-",), "npm": ("GHSA-",)}.get(
        ordering.osv if ordering else "", ()
    )
    if ident.startswith(home):
        return 0
    if ident.startswith("GHSA-"):
        return 1
    return 3 if ident.startswith("CVE-") else 2


def _rating(
    advisory: Advisory, entry: Affected
) -> tuple[float | None, Severity | None, str | None]:
    """(score, severity, vector) of one advisory for one package: the package's own severity
    first, then the record's; the highest CVSS v4/v3 score, else the database's rating."""
    best: tuple[float, str] | None = None
    for kind, vector in entry.severity or advisory.severity:
        if kind not in ("CVSS_V3", "CVSS_V4"):
            continue
        try:
            value = cvss.score(vector)
        except cvss.InvalidVector:
            continue
        if best is None or value > best[0]:
            best = (value, vector)
    if best is not None:
        return best[0], cvss.rating(best[0]), best[1]
    label = entry.database_severity or advisory.database_severity
    return None, _DATABASE_SEVERITY.get((label or "").upper()), None


_DATABASE_SEVERITY = {
    "LOW": Severity.LOW,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "HIGH": Severity.HIGH,
    "CRITICAL": Severity.CRITICAL,
}


def _severity_rank(vulnerability: Vulnerability) -> tuple[int, str]:
    severity = vulnerability.severity
    rank = SEVERITY_ORDER.index(severity) if severity is not None else -1
    return (-rank, vulnerability.id)


def _sorted_versions(versions: Iterable[str], ordering: Ordering | None) -> list[str]:
    if ordering is None:
        return sorted(versions)
    spelled = {ordering.version(v) for v in versions}
    valid = [v for v in spelled if _key(ordering, v) is not None]
    return sorted(valid, key=lambda v: _key(ordering, v))


@dataclass(frozen=True, slots=True)
class Fix:
    """The lowest version that no advisory affects, and how far it is from the current one."""

    version: str
    update_type: UpdateType


def minimal_fix(
    advisories: Iterable[Advisory],
    ecosystem: str,
    name: str,
    current: str,
    releases: Sequence[str] | None = None,
) -> Fix | None:
    """The lowest version above ``current`` affected by none of ``advisories`` (for ``name``).

    Candidates are ``releases`` (the registry's list, when the scan has it), else the advisories'
    ``fixed`` versions; pre-releases are used only when no release qualifies.
    """
    ordering = ordering_of(ecosystem)
    current_key = _key(ordering, current) if ordering else None
    if ordering is None or current_key is None:
        return None
    relevant = [a for a in advisories if not a.withdrawn]
    candidates = releases if releases is not None else _fixed_versions(relevant, ordering, name)
    entries = _entries(relevant, ordering, name)
    above = [v for v in _sorted_versions(candidates, ordering) if current_key < _key(ordering, v)]
    versioning = ordering.versioning
    stable = [v for v in above if not versioning.is_prerelease(v)]
    previews = [v for v in above if versioning.is_prerelease(v)]
    for version in (*stable, *previews):
        if not _hits(entries, version, ordering):
            return Fix(version, versioning.update_type(current, version))
    return None


def _fixed_versions(advisories: Iterable[Advisory], ordering: Ordering, name: str) -> set[str]:
    wanted = ordering.name(name)
    return {
        event.version
        for advisory in advisories
        for entry in advisory.affected
        if entry.name == wanted and ordering_for(entry.ecosystem) is ordering
        for r in entry.ranges
        if r.type != "GIT"
        for event in r.events
        if event.kind == "fixed"
    }


@dataclass(frozen=True)
class Assessment:
    """What the advisories say of one dependency version: merged findings and the minimal fix."""

    vulnerabilities: tuple[Vulnerability, ...] = ()
    fix: Fix | None = None
    advisories: int = 0


def assess(
    advisories: Sequence[Advisory],
    ecosystem: str,
    name: str,
    version: str,
    releases: Sequence[str] | None = None,
) -> Assessment:
    """The advisories of ``name`` at ``version``: merged, with the minimal fix when affected."""
    matched = matching(advisories, ecosystem, name, version)
    if not matched:
        return Assessment()
    fix = minimal_fix(advisories, ecosystem, name, version, releases)
    return Assessment(vulnerabilities(matched, ecosystem), fix, len(matched))


def findings(status: DependencyStatus) -> list[Finding]:
    """The ``vulnerable`` finding of a dependency with advisories (none without).

    Severity is the most severe advisory's (`UNRATED` when none is rated); the remedy is the
    minimal fix.
    """
    if not status.advisories:
        return []
    dep = status.dependency
    severities = [v.severity for v in status.advisories if v.severity is not None]
    severity = max(severities, key=SEVERITY_ORDER.index) if severities else UNRATED
    current = status.current or dep.locked or ""
    remedy = None
    if status.minimal_fix and status.minimal_fix_type:
        remedy = Update(
            dep.ecosystem, dep.lookup_name, current, status.minimal_fix, status.minimal_fix_type
        )
    count = len(status.advisories)
    plural = "advisory" if count == 1 else "advisories"
    text = f"{current} is affected by {count} {plural}"
    if remedy is not None:
        text += f"; {remedy.update_type.value} {remedy.to_version} fixes them"
    evidence = tuple(
        f"{v.id} ({v.severity.value if v.severity else 'unrated'})" for v in status.advisories
    )
    return [
        Finding(
            RULE,
            severity,
            f"{dep.ecosystem}:{dep.lookup_name}",
            text,
            status.service,
            dep.file,
            dep.line,
            evidence=evidence,
            remedy=remedy,
        )
    ]


# The orderings Steward ships with (more ecosystems register theirs the same way).
register(Ordering("Go", "go", GoSemver(), _go_version))
register(Ordering("PyPI", "pypi", PEP440(), name=_pypi_name))
register(Ordering("npm", "npm", NpmSemver()))
