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
  ``database_specific.severity`` (the vector shown is the highest score's); `minimal_fix` finds
  the lowest release above the current one that no advisory of the package affects; `findings`
  turns both into ``vulnerable`` findings. Merging reads `Match`es: what one matched entry shows.
* **The index** — `index_package` compiles one package's advisories, once, into a `PackageIndex`:
  the versions they name sorted under the ordering, and per affected entry the positions among
  them it covers. Matching a version is then one sort key, a bisection over those bounds (their
  keys computed lazily, memoised) and an integer test per entry, with the same answers as the
  exact evaluator above (a property test holds the two together); `signatures` tells an index
  built under other orderings.

Withdrawn advisories are never matched.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from itertools import accumulate, chain, groupby
from typing import Any, NamedTuple

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
from steward.versioning.apk import ApkVersioning
from steward.versioning.dpkg import DpkgVersioning
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
#: Per registered OSV ecosystem: `_key` under its ordering, as a one-argument function.
_KEY_FUNCTIONS: dict[str, Callable[[str], Any]] = {}


def register(ordering: Ordering) -> None:
    """Make ``ordering`` the one used for its OSV ecosystem (replacing any earlier one)."""
    _ORDERINGS[ordering.osv] = ordering
    _KEY_FUNCTIONS[ordering.osv] = partial(_registered_key, ordering.osv)
    _registered_key.cache_clear()


def ordering_for(osv_ecosystem: str) -> Ordering | None:
    """The ordering of an OSV ecosystem (a ``:RELEASE`` suffix is ignored), or None."""
    return _ORDERINGS.get(osv_ecosystem.split(":", 1)[0])


def signatures() -> dict[str, str]:
    """Per registered OSV ecosystem: its ordering's code and Steward's version, as one string.

    An index built under another signature may order that ecosystem's versions differently: it
    is rebuilt, and until then not trusted. Orderings registered later (a module imported only
    by some commands) are simply absent.
    """
    from steward import __version__

    def named(thing: object) -> str:
        kind = thing if callable(thing) and not isinstance(thing, Versioning) else type(thing)
        return f"{getattr(kind, '__module__', '')}.{getattr(kind, '__qualname__', repr(kind))}"

    return {
        o.osv: f"{__version__}:{o.ecosystem}:{named(o.versioning)}:{named(o.version)}:{named(o.name)}"
        for o in _ORDERINGS.values()
    }


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


class Match(NamedTuple):
    """One advisory entry that affects a version, reduced to what its finding shows: the record's
    ID, aliases, summary and URL; the rating of the entry (`_rating`: score, severity, vector);
    the entry's ``fixed`` versions (non-``GIT`` ranges), spelled and sorted; its imports.

    Immutable; a named tuple rather than a dataclass because the index decodes one per matching
    advisory of every dependency, and a tuple is several times cheaper to build.
    """

    id: str
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    url: str | None = None
    score: float | None = None
    severity: Severity | None = None
    vector: str | None = None
    fixed_in: tuple[str, ...] = ()
    imports: tuple[Imported, ...] = ()

    def to_json(self) -> list[Any]:
        """This match as plain JSON-able lists (read back by `from_json`)."""
        return [
            self.id, list(self.aliases), self.summary, self.url, self.score,
            self.severity.value if self.severity else None, self.vector, list(self.fixed_in),
            [[i.path, list(i.symbols)] for i in self.imports],
        ]  # fmt: skip

    @classmethod
    def from_json(cls, data: list[Any]) -> Match:
        """The match `to_json` wrote."""
        ident, aliases, summary, url, score, severity, vector, fixed_in, imports = data
        return cls(
            ident, tuple(aliases), summary, url, score, _SEVERITIES.get(severity), vector,
            tuple(fixed_in), tuple(Imported(p, tuple(symbols)) for p, symbols in imports),
        )  # fmt: skip


_SEVERITIES = {severity.value: severity for severity in Severity}


def match_of(advisory: Advisory, entry: Affected, ordering: Ordering | None) -> Match:
    """What the finding of ``advisory`` shows when its ``entry`` affects a version."""
    score, severity, vector = _rating(advisory, entry)
    fixed = {
        e.version for r in entry.ranges if r.type != "GIT" for e in r.events if e.kind == "fixed"
    }
    return Match(
        advisory.id, advisory.aliases, advisory.summary, advisory.url, score, severity, vector,
        tuple(_sorted_versions(fixed, ordering)), entry.imports,
    )  # fmt: skip


def vulnerabilities(
    matched: Sequence[tuple[Advisory, Affected]], ecosystem: str
) -> tuple[Vulnerability, ...]:
    """The matched advisories merged through their aliases, most severe first."""
    ordering = ordering_of(ecosystem)
    return merge([match_of(a, e, ordering) for a, e in matched], ordering)


def merge(matches: Sequence[Match], ordering: Ordering | None) -> tuple[Vulnerability, ...]:
    """`Match`es merged through their aliases into findings, most severe first."""
    if len(matches) == 1:
        return (_merge(matches, ordering),)
    groups = _alias_groups(matches)
    merged = [_merge([m for m in matches if m.id in group], ordering) for group in groups]
    return tuple(sorted(merged, key=_severity_rank))


def _alias_groups(matches: Sequence[Match]) -> list[set[str]]:
    """Advisory IDs grouped so that two records sharing any ID or alias are together."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for match in matches:
        for alias in match.aliases:
            parent[root(alias)] = root(match.id)
    groups: dict[str, set[str]] = {}
    for match in matches:
        groups.setdefault(root(match.id), set()).add(match.id)
    return list(groups.values())


def _merge(matches: Sequence[Match], ordering: Ordering | None) -> Vulnerability:
    """One finding from the matches of records that alias each other: the preferred record's
    ID, every other ID as an alias, the highest score with its vector, the worst severity."""
    ranked = matches
    if len(matches) > 1:
        ranked = sorted(matches, key=lambda m: (_id_rank(m.id, ordering), m.id))
    first = ranked[0]
    names = {alias for m in ranked for alias in m.aliases}
    names.update(m.id for m in ranked)
    names.discard(first.id)
    scored = [m for m in ranked if m.score is not None]
    best = max(scored, key=_score_of) if scored else None
    severities = [m.severity for m in ranked if m.severity is not None]
    fixed_in = first.fixed_in
    if len(ranked) > 1:
        fixed_in = tuple(_sorted_versions({v for m in ranked for v in m.fixed_in}, ordering))
    imports = {i for m in ranked for i in m.imports}
    return Vulnerability(
        id=first.id,
        aliases=tuple(sorted(names)),
        severity=max(severities, key=SEVERITY_ORDER.index) if severities else None,
        score=best.score if best else None,
        vector=best.vector if best else None,
        summary=next((m.summary for m in ranked if m.summary), None),
        url=next((m.url for m in ranked if m.url), None),
        fixed_in=fixed_in,
        imports=tuple(sorted(imports, key=lambda i: i.path)) if imports else (),
    )


def _score_of(match: Match) -> float:
    return match.score or 0.0


#: The ID prefixes of each ecosystem's own advisory database: its IDs name merged findings.
_HOME = {"Go": ("GO-",), "PyPI": ("PYSEC-",), "npm": ("GHSA-",)}


def _id_rank(ident: str, ordering: Ordering | None) -> int:
    """Which ID names a merged finding: the ecosystem's own database, then GHSA, CVE last."""
    if ident.startswith(_HOME.get(ordering.osv, ()) if ordering else ()):
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
    spelled = sorted({ordering.version(v) for v in versions})
    valid = [v for v in spelled if _key(ordering, v) is not None]
    return sorted(valid, key=lambda v: _key(ordering, v))  # stable: equal versions by text


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


# --- the index: a package's advisories as intervals, matched by bisection -----------------


@dataclass(frozen=True)
class PackageIndex:
    """One package's advisories compiled under its ordering, so that matching a version is one
    sort key, a bisection and an integer test per affected entry.

    ``bounds`` are the distinct versions the advisories name (range events, limits, listed
    versions, ``fixed`` versions), ascending under the ordering, one spelling per sort key. A
    version lies at a *position*: ``2i + 1`` when it equals ``bounds[i]``, ``2i`` when it sorts
    between ``bounds[i - 1]`` and ``bounds[i]``. The schema's evaluation of a version depends only
    on how it compares with those bounds, so each affected entry (of non-withdrawn advisories, in
    the order given) is stored once as the positions it covers: entry ``i`` is entry
    ``entries[i]`` of advisory ``advisories[i]`` and covers ``spans[offsets[i]:offsets[i + 1]]``,
    flat half-open intervals (``a, b, c, d`` is ``[a, b) ∪ [c, d)``). ``vulnerable`` is their
    union; ``fixed`` are `minimal_fix`'s candidates without releases (spelled, ascending) and
    ``fixed_at`` their positions. Answers equal `matching` and `minimal_fix`'s.
    """

    ordering: Ordering
    name: str
    bounds: Sequence[str] = ()
    advisories: Sequence[str] = ()
    entries: Sequence[int] = ()
    offsets: Sequence[int] = (0,)
    spans: Sequence[int] = ()
    vulnerable: Sequence[int] = ()
    fixed: Sequence[str] = ()
    fixed_at: Sequence[int] = ()

    def position(self, version: str) -> int | None:
        """Where ``version`` (the scheme's spelling) lies among ``bounds``; None when unreadable."""
        key_of = _key_function(self.ordering)
        key = key_of(version)
        if key is None:
            return None
        bounds = self.bounds
        low, high = 0, len(bounds)
        while low < high:  # bisect_left, computing (memoised) bound keys only where it looks
            middle = (low + high) // 2
            if key_of(bounds[middle]) < key:
                low = middle + 1
            else:
                high = middle
        if low < len(bounds) and not key < key_of(bounds[low]):
            return 2 * low + 1
        return 2 * low

    def hits(self, version: str) -> list[tuple[str, int]] | None:
        """(advisory ID, entry index) of the first entry of each advisory affecting ``version``,
        as `matching` finds them; None when the ordering cannot read ``version``."""
        at = self.position(version)
        return None if at is None else self.hits_at(at)

    def hits_at(self, at: int) -> list[tuple[str, int]]:
        """`hits` of a version at position ``at``."""
        found: list[tuple[str, int]] = []
        if not bisect_right(self.vulnerable, at) & 1:
            return found
        last = ""
        spans, offsets = self.spans, self.offsets
        for i, ident in enumerate(self.advisories):
            if ident != last:
                low = offsets[i]
                if (bisect_right(spans, at, low, offsets[i + 1]) - low) & 1:
                    found.append((ident, self.entries[i]))
                    last = ident
        return found

    def minimal_fix(self, current: str, releases: Sequence[str] | None = None) -> Fix | None:
        """`minimal_fix` for this package: the lowest release (else ``fixed`` version) above
        ``current`` that no entry covers, pre-releases only when no release qualifies."""
        at = self.position(current)
        return None if at is None else self.fix_at(at, current, releases)

    def fix_at(self, at: int, current: str, releases: Sequence[str] | None = None) -> Fix | None:
        """`minimal_fix` of ``current``, which lies at position ``at``."""
        candidates: Iterable[tuple[str, int]]
        if releases is None:
            candidates = [(v, p) for v, p in zip(self.fixed, self.fixed_at, strict=True) if p > at]
        else:
            candidates = self._placed(_sorted_versions(releases, self.ordering), current)
        versioning = self.ordering.versioning
        previews: list[tuple[str, int]] = []
        for version, where in candidates:
            if versioning.is_prerelease(version):
                previews.append((version, where))
            elif not bisect_right(self.vulnerable, where) & 1:
                return Fix(version, versioning.update_type(current, version))
        for version, where in previews:
            if not bisect_right(self.vulnerable, where) & 1:
                return Fix(version, versioning.update_type(current, version))
        return None

    def _placed(self, versions: Iterable[str], current: str) -> Iterator[tuple[str, int]]:
        """(version, position) of each version above ``current`` (compared by sort key: two
        versions between the same bounds share a position)."""
        key_of = _key_function(self.ordering)
        floor = key_of(current)
        for version in versions:
            key = key_of(version)
            where = self.position(version) if key is not None and floor < key else None
            if where is not None:
                yield version, where

    def assessment_at(
        self,
        at: int,
        version: str,
        matches: Sequence[Match],
        releases: Sequence[str] | None = None,
    ) -> Assessment:
        """`assess` of ``version`` (at position ``at``) from the `Match` of each of its hits."""
        if not matches:
            return Assessment()
        fix = self.fix_at(at, version, releases)
        return Assessment(merge(matches, self.ordering), fix, len(matches))


def _key_function(ordering: Ordering) -> Callable[[str], Any]:
    """`_key` under ``ordering`` as a one-argument function (memoised when registered)."""
    if _ORDERINGS.get(ordering.osv) is ordering:
        return _KEY_FUNCTIONS[ordering.osv]
    return partial(_uncached_key, ordering)


def index_package(advisories: Iterable[Advisory], ordering: Ordering, name: str) -> PackageIndex:
    """``name``'s entries among ``advisories`` compiled under ``ordering`` (withdrawn records and
    other packages left out); pure, and exactly as `matching` and `minimal_fix` judge."""
    relevant = [a for a in advisories if not a.withdrawn]
    wanted = ordering.name(name)
    named = [
        (advisory.id, index, entry)
        for advisory in relevant
        for index, entry in enumerate(advisory.affected)
        if entry.name == wanted and ordering_for(entry.ecosystem) is ordering
    ]
    fixed = _sorted_versions(_fixed_versions(relevant, ordering, name), ordering)
    bounds = _distinct(
        [v for _, _, entry in named for v in _versions_named(entry)] + fixed, ordering
    )
    keys = [key for key, _ in bounds]

    def point(key: Any) -> int:
        return 2 * bisect_left(keys, key) + 1

    end = 2 * len(keys) + 1
    covered = [_flat(_covered(_compiled(entry, ordering), point, end)) for _, _, entry in named]
    return PackageIndex(
        ordering,
        wanted,
        bounds=tuple(spelling for _, spelling in bounds),
        advisories=tuple(ident for ident, _, _ in named),
        entries=tuple(index for _, index, _ in named),
        offsets=tuple(accumulate((len(spans) for spans in covered), initial=0)),
        spans=tuple(chain.from_iterable(covered)),
        vulnerable=_flat([span for spans in covered for span in _pairs(spans)]),
        fixed=tuple(fixed),
        fixed_at=tuple(point(_key(ordering, v)) for v in fixed),
    )


def _pairs(flat: Sequence[int]) -> Iterator[tuple[int, int]]:
    return zip(flat[::2], flat[1::2], strict=True)


def _versions_named(entry: Affected) -> list[str]:
    """Every version an entry compares with: listed versions and evaluable ranges' events."""
    events = [
        e.version for r in entry.ranges if r.type in ("SEMVER", "ECOSYSTEM") for e in r.events
    ]
    return [*entry.versions, *events]


def _distinct(versions: Iterable[str], ordering: Ordering) -> list[tuple[Any, str]]:
    """(key, spelling) of the readable ``versions``, ascending, one (the first by text) per key."""
    keyed = [(k, v) for v in sorted(set(versions)) if (k := _key(ordering, v)) is not None]
    keyed.sort(key=_first)
    distinct: list[tuple[Any, str]] = []
    for key, spelling in keyed:
        if not distinct or distinct[-1][0] < key:
            distinct.append((key, spelling))
    return distinct


def _first(pair: tuple[Any, str]) -> Any:
    return pair[0]


def _compiled(entry: Affected, ordering: Ordering) -> Compiled:
    compiled = entry.compiled
    if compiled is None or compiled.ordering != ordering.osv:
        compiled = compile_entry(entry, ordering)
    return compiled


def _covered(entry: Compiled, point: Callable[[Any], int], end: int) -> list[tuple[int, int]]:
    """The positions (half-open intervals, below ``end``) a compiled entry affects."""
    spans = [(p, p + 1) for p in map(point, entry.version_keys)]
    for limits, events in entry.ranges:
        spans += _range_spans(limits, events, point, end)
    return spans


def _range_spans(
    limits: tuple[Any, ...] | None,
    events: tuple[tuple[Any, str], ...],
    point: Callable[[Any], int],
    end: int,
) -> list[tuple[int, int]]:
    """`_inside` for every position below ``end`` at once, as half-open intervals.

    The walk's state changes only at the range's own bounds: at a bound its events apply with
    ``last_affected`` keeping the state, above it ``last_affected`` closes too; ``introduced:
    "0"`` applies everywhere. Limits keep the positions below the highest limit (none at all
    when every limit was unreadable).
    """
    ceiling = end if limits is None else min(end, max(map(point, limits), default=0))
    state = False
    steps: list[tuple[int, bool]] = [(0, False)]
    for where, group in groupby(events, key=lambda event: _where(event[0], point)):
        at = after = state
        for _, kind in group:
            at = _step(at, kind, at_bound=True)
            after = _step(after, kind, at_bound=False)
        if where < 0:  # the bottom: before every position
            steps = [(0, after)]
        else:
            steps += [(where, at), (where + 1, after)]
        state = after
    stops = [start for start, _ in steps[1:]] + [end]
    return [
        (start, min(stop, ceiling))
        for (start, value), stop in zip(steps, stops, strict=True)
        if value and start < min(stop, ceiling)
    ]


def _where(bound: Any, point: Callable[[Any], int]) -> int:
    return -1 if bound is _BOTTOM else point(bound)


def _step(state: bool, kind: str, *, at_bound: bool) -> bool:
    """The walk's state after one event (``limit`` events never reach a compiled range)."""
    if kind == "introduced":
        return True
    if kind == "last_affected" and at_bound:
        return state
    return False


def _flat(spans: Iterable[tuple[int, int]]) -> tuple[int, ...]:
    """Half-open intervals merged and flattened: ``[(1, 3), (2, 5), (7, 8)]`` → ``(1, 5, 7, 8)``."""
    merged: list[int] = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1]:
            merged[-1] = max(merged[-1], stop)
        else:
            merged += [start, stop]
    return tuple(merged)


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
# OS distributions (image contents): OSV's "Debian:12" and "Alpine:v3.19" use these orderings.
register(Ordering("Debian", "debian", DpkgVersioning()))
register(Ordering("Alpine", "alpine", ApkVersioning()))
