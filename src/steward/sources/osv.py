"""OSV advisories: read records from files, folders and ``all.zip`` exports, keep them in a local
SQLite index keyed by ecosystem and package, and query the OSV API when asked to.

Pieces::

    read_source(location)      a folder (every *.json below it), a JSON file (one record or a list)
                               or a zip export → `Loaded` records and `Problem`s (path and line)
    read_zip(data, origin)     the zip reader, guarded by `ZipLimits`: member count, per-member and
                               total uncompressed size, compression ratio, names that climb out
                               (``..``, absolute, drive letters) — a hostile archive is a problem,
                               never a crash or a disk full
    OsvDatabase(path)          the SQLite index: `rebuild` (atomically, into a temporary file then
                               renamed), `advisories_for` (ecosystem, name) keys, `status`, and
                               `assess`: per dependency version, the matching advisories, merged,
                               and the minimal fix, from the per-package intervals (`PackageIndex`)
                               built with the index; only the records that match are decoded
    sync(...)                  read every configured source (``file:``/paths offline, URLs through
                               `HttpClient` when online) and rebuild the index
    OsvApi(http, url)          online mode: ``POST {url}/v1/querybatch`` (chunks of 1,000, following
                               ``next_page_token``), then ``GET {url}/v1/vulns/{id}`` through the
                               cached HTTP layer

Every location and URL comes from configuration; nothing here names a public host.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import sys
import tempfile
import zipfile
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from steward.analysis.vulnerabilities import (
    Advisory,
    Assessment,
    InvalidAdvisory,
    Match,
    Ordering,
    PackageIndex,
    assess,
    digest,
    index_package,
    match_of,
    ordering_for,
    ordering_of,
    parse,
    signatures,
    undigest,
)
from steward.config import AdvisorySettings
from steward.model import Problem
from steward.sources.archives import is_encrypted, unsafe_name

if TYPE_CHECKING:
    from steward.sources.http import HttpClient

#: The IDs ``modified`` values of golang/vulndb's repository carry: not a real date.
UNSET_MODIFIED = "0001-01-01T00:00:00Z"


class OsvError(Exception):
    """Base of this module's errors; ``str()`` is safe to show."""


class DatabaseError(OsvError):
    """The advisory database cannot be read or written."""


@dataclass(frozen=True)
class ZipLimits:
    """Caps on what an archive may hold before it is refused (a zip bomb, a hostile export).

    ``max_ratio`` bounds each member's uncompressed/compressed size; sizes are checked on the
    bytes actually inflated, never trusted from the archive's headers.
    """

    max_members: int = 2_000_000
    max_member_bytes: int = 64 * 2**20
    max_total_bytes: int = 16 * 2**30
    max_ratio: float = 200.0


@dataclass(frozen=True)
class Loaded:
    """One record read from a source, and where it came from (a path, a member of an archive)."""

    origin: str
    record: Advisory
    raw: bytes


@dataclass
class Read:
    """What reading sources gave: records and the problems met (each with path and line)."""

    records: list[Loaded] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Read) -> None:
        self.records.extend(other.records)
        self.problems.extend(other.problems)


# --- reading ------------------------------------------------------------------------------


def read_source(path: Path, limits: ZipLimits | None = None) -> Read:
    """Records from a folder (``*.json`` below it), a JSON file or a ``.zip`` export."""
    limits = limits or ZipLimits()
    if path.is_dir():
        out = Read()
        for file in sorted(path.rglob("*.json")):
            try:
                data = file.read_bytes()
            except OSError as error:  # a dangling link, a folder named *.json: that file only
                out.problems.append(Problem(str(file), 0, f"cannot read: {error.strerror}"))
                continue
            out.extend(read_json(data, str(file)))
        return out
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)) or path.suffix == ".zip":
        return read_zip(data, str(path), limits)
    return read_json(data, str(path))


def read_json(data: bytes, origin: str) -> Read:
    """One OSV record, or a JSON list of them, from ``data``."""
    try:
        parsed = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", 0)
        return Read(problems=[Problem(origin, line, f"not JSON: {error}")])
    items = parsed if isinstance(parsed, list) else [parsed]
    out = Read()
    for index, item in enumerate(items):
        try:
            advisory = parse(item)
        except InvalidAdvisory as error:
            prefix = f"/{index}" if isinstance(parsed, list) else ""
            line = _line_of(data, prefix + error.pointer)
            out.problems.append(Problem(origin, line, f"not an OSV record: {error}"))
            continue
        raw = data if len(items) == 1 else json.dumps(item).encode()
        out.records.append(Loaded(origin, advisory, raw))
    return out


def _line_of(data: bytes, pointer: str) -> int:
    """The 1-based line where ``pointer`` is named in the JSON ``data`` (1 when unknown)."""
    from steward.contracts.jsonpos import line_of, pointer_lines

    try:
        return line_of(pointer_lines(data.decode("utf-8")), pointer)
    except Exception:  # the locator is best effort: the problem is reported either way
        return 1


def read_zip(data: bytes, origin: str, limits: ZipLimits | None = None) -> Read:
    """Every ``*.json`` member of a zip export, within ``limits``; refusals are problems."""
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as error:
        return Read(problems=[Problem(origin, 0, f"not a zip archive: {error}")])
    members = archive.infolist()
    if len(members) > limits.max_members:
        message = f"refused: {len(members)} members (the limit is {limits.max_members})"
        return Read(problems=[Problem(origin, 0, message)])
    out = Read()
    total = 0
    with archive:
        for info in members:
            where = f"{origin}!{info.filename}"
            if info.is_dir() or not info.filename.endswith(".json"):
                continue
            unsafe = unsafe_name(info.filename)
            if unsafe:
                out.problems.append(Problem(where, 0, f"refused: {unsafe}"))
                continue
            body = _inflate(archive, info, limits, limits.max_total_bytes - total)
            if isinstance(body, str):
                out.problems.append(Problem(where, 0, f"refused: {body}"))
                if body.startswith("the archive"):
                    break
                continue
            total += len(body)
            out.extend(read_json(body, where))
    return out


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, room: int
) -> bytes | str:
    """The member's bytes, read in chunks and stopped at the first cap crossed (the reason)."""
    if is_encrypted(info):
        return "an encrypted member"
    cap = min(limits.max_member_bytes, room)
    compressed = max(info.compress_size, 1)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > cap:
                    if cap == room and room < limits.max_member_bytes:
                        return f"the archive inflates beyond {limits.max_total_bytes} bytes"
                    return f"the member inflates beyond {limits.max_member_bytes} bytes"
                if size / compressed > limits.max_ratio and size > 1 << 20:
                    return f"a compression ratio above {limits.max_ratio:g}"
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        return f"unreadable member: {error}"
    body = b"".join(chunks)
    if size / compressed > limits.max_ratio and size > 4096:
        return f"a compression ratio above {limits.max_ratio:g}"
    return body


# --- the database -------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE advisories (
    id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn TEXT, record BLOB NOT NULL,
    digest TEXT NOT NULL
);
CREATE TABLE packages (ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL);
CREATE TABLE indexes (
    ecosystem TEXT NOT NULL, name TEXT NOT NULL, strings TEXT NOT NULL, numbers BLOB NOT NULL,
    PRIMARY KEY (ecosystem, name)
) WITHOUT ROWID;
CREATE TABLE matches (
    id TEXT NOT NULL, entry INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (id, entry)
) WITHOUT ROWID;
"""
_INDEX = "CREATE INDEX packages_by_name ON packages (ecosystem, name);"
#: The layout of the tables above; a database of another layout is stale and rebuilt.
LAYOUT = "3"
#: Keys per SQL statement when reading many rows by key (well below SQLite's variable limit).
CHUNK = 400


@dataclass(frozen=True)
class Status:
    """What the database holds: counts per ecosystem, newest ``modified``, when it was built,
    and the layout and orderings (`signatures`, as JSON) its indexes were built under."""

    path: Path
    exists: bool
    advisories: int = 0
    withdrawn: int = 0
    per_ecosystem: dict[str, int] = field(default_factory=dict)
    newest_modified: str | None = None
    built_at: datetime | None = None
    sources: tuple[str, ...] = ()
    fingerprint: str = ""
    layout: str = ""
    orderings: str = ""

    def age_seconds(self, now: datetime | None = None) -> float | None:
        """Seconds since the database was built, or None when it was never built."""
        if self.built_at is None:
            return None
        return ((now or datetime.now(UTC)) - self.built_at).total_seconds()


class OsvDatabase:
    """The local advisory index: one SQLite file, rebuilt whole and swapped in atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rebuild(
        self, records: Iterable[Loaded], sources: Sequence[str], fingerprint: str = ""
    ) -> int:
        """Replace the database with ``records`` (a later record of the same ID wins)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".advisories.")
        os.close(handle)
        try:
            count = _write(Path(temporary), records, sources, fingerprint)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return count

    def advisories_for(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], list[Advisory]]:
        """Per (OSV ecosystem, package name as OSV spells it): every advisory naming it."""
        with self._connect() as db:
            try:
                return _load(db, keys)
            except (sqlite3.Error, ValueError) as error:
                raise DatabaseError(f"{self.path}: {error}") from error

    def assess(self, queries: Sequence[Query]) -> list[Assessment]:
        """What the advisories say of each query, in order: the answers `assess` gives over
        `advisories_for`, found by bisection in the per-package indexes built with the database
        (only matching records are decoded). Unreadable versions, and a database built under
        other orderings, are judged by the exact evaluator instead."""
        with self._connect() as db:
            try:
                return _Assessor(db).run(queries)
            except (sqlite3.Error, ValueError) as error:
                raise DatabaseError(f"{self.path}: {error}") from error

    def status(self) -> Status:
        """Counts, newest ``modified`` (the vulndb placeholder date ignored) and build time."""
        if not self.path.is_file():
            return Status(self.path, exists=False)
        try:
            return self._status()
        except (sqlite3.Error, ValueError):
            return Status(self.path, exists=True)  # unreadable or of another layout: stale

    def _status(self) -> Status:
        with self._connect() as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            per = dict(
                db.execute(
                    "SELECT ecosystem, COUNT(DISTINCT id) FROM packages GROUP BY ecosystem"
                ).fetchall()
            )
            total, withdrawn = db.execute(
                "SELECT COUNT(*), COUNT(withdrawn) FROM advisories"
            ).fetchone()
            newest = db.execute(
                "SELECT MAX(modified) FROM advisories WHERE modified > ?", (UNSET_MODIFIED,)
            ).fetchone()[0]
        built = meta.get("built_at")
        return Status(
            path=self.path,
            exists=True,
            advisories=total,
            withdrawn=withdrawn,
            per_ecosystem=per,
            newest_modified=newest,
            built_at=datetime.fromisoformat(built) if built else None,
            sources=tuple(json.loads(meta.get("sources", "[]"))),
            fingerprint=meta.get("fingerprint", ""),
            layout=meta.get("layout", ""),
            orderings=meta.get("orderings", ""),
        )

    def _connect(self) -> contextlib.closing[sqlite3.Connection]:
        if not self.path.is_file():
            raise DatabaseError(
                f"{self.path}: no advisory database (run `steward advisories sync`)"
            )
        try:
            uri = f"file:{quote(str(self.path))}?mode=ro"
            return contextlib.closing(sqlite3.connect(uri, uri=True))
        except sqlite3.Error as error:
            raise DatabaseError(f"{self.path}: {error}") from error


@dataclass(frozen=True)
class Query:
    """One dependency version to assess, in Steward's terms (as `assess` takes them): the
    ecosystem (``go``), the package name as written, the version, and the registry's releases
    when the scan has them (the minimal fix is sought among them, else among fixed versions)."""

    ecosystem: str
    name: str
    version: str
    releases: tuple[str, ...] | None = None


class _Assessor:
    """`OsvDatabase.assess` over one open connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        row = db.execute("SELECT value FROM meta WHERE key = 'orderings'").fetchone()
        built = _signed(row[0] if row else "")
        #: The OSV ecosystems whose indexes were built under the orderings registered now.
        self.trusted = {osv for osv, signed in signatures().items() if built.get(osv) == signed}

    def run(self, queries: Sequence[Query]) -> list[Assessment]:
        """Each query's assessment; a query of no known ecosystem, or whose package no
        advisory names, gets an empty one."""
        keyed = _keyed(queries)
        exact = [query for query, key in keyed.items() if key[0] not in self.trusted]
        indexes = self._indexes({key for key in keyed.values() if key[0] in self.trusted})
        hits: dict[Query, tuple[PackageIndex, int, list[tuple[str, int]]]] = {}
        for query, key in keyed.items():
            index = indexes.get(key)
            if index is None:  # no advisory names the package (or its ordering is not trusted)
                continue
            at = index.position(query.version)
            if at is None:  # unreadable: the exact evaluator compares listed versions as text
                exact.append(query)
            elif found := index.hits_at(at):
                hits[query] = (index, at, found)
        matches = self._matches({hit for _, _, found in hits.values() for hit in found})
        answers = self._exact(exact)
        for query, (index, at, found) in hits.items():
            matched = [matches[hit] for hit in found]
            answers[query] = index.assessment_at(at, query.version, matched, query.releases)
        return [answers.get(q, Assessment()) for q in queries]

    def _indexes(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], PackageIndex]:
        found: dict[tuple[str, str], PackageIndex] = {}
        names: dict[str, list[str]] = {}
        for osv, name in sorted(keys):
            names.setdefault(osv, []).append(name)
        for osv, wanted in names.items():
            ordering = ordering_for(osv)
            if ordering is None:
                continue
            sql = "SELECT name, numbers, strings FROM indexes WHERE ecosystem = ? AND name IN ({})"
            for name, numbers, strings in self._rows(sql, wanted, osv):
                found[(osv, name)] = _decode(strings, numbers, ordering, name)
        return found

    def _matches(self, hits: set[tuple[str, int]]) -> dict[tuple[str, int], Match]:
        sql = "SELECT id, entry, data FROM matches WHERE id IN ({})"
        rows = self._rows(sql, sorted({ident for ident, _ in hits}))
        return {(i, n): Match.from_json(data) for i, n, data in rows if (i, n) in hits}

    def _rows(self, sql: str, values: Sequence[str], *first: str) -> Iterable[list[Any]]:
        """Rows of ``sql`` (after the ``first`` parameters) whose ``IN ({})`` lists ``values``,
        a chunk at a time (SQLite searches the primary key for a one-column ``IN``). The last
        column holds JSON: it is decoded, one `json.loads` per chunk."""
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            query = sql.format(", ".join("?" * len(chunk)))
            rows = self.db.execute(query, [*first, *chunk]).fetchall()
            decoded = json.loads("[" + ",".join(row[-1] for row in rows) + "]")
            yield from ([*row[:-1], data] for row, data in zip(rows, decoded, strict=True))

    def _exact(self, queries: Sequence[Query]) -> dict[Query, Assessment]:
        """The exact evaluator's answers, over every record naming each query's package."""
        keyed = _keyed(queries)
        loaded = _load(self.db, set(keyed.values()))
        return {
            q: assess(loaded[key], q.ecosystem, q.name, q.version, q.releases)
            for q, key in keyed.items()
        }


def _keyed(queries: Iterable[Query]) -> dict[Query, tuple[str, str]]:
    """Each query of a known ecosystem, and its (OSV ecosystem, name as OSV spells it) key."""
    keyed: dict[Query, tuple[str, str]] = {}
    for query in queries:
        ordering = ordering_of(query.ecosystem)
        if ordering is not None:
            keyed[query] = (ordering.osv, ordering.name(query.name))
    return keyed


def _load(
    db: sqlite3.Connection, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Advisory]]:
    """Per (OSV ecosystem, name): every record naming it, decoded once each."""
    found: dict[tuple[str, str], list[Advisory]] = {}
    parsed: dict[str, Advisory] = {}
    for key in keys:
        rows = db.execute(
            "SELECT a.id, a.digest FROM packages p JOIN advisories a ON a.id = p.id "
            "WHERE p.ecosystem = ? AND p.name = ?",
            key,
        ).fetchall()
        found[key] = [_parsed(parsed, ident, text) for ident, text in rows]
    return found


def _parsed(cache: dict[str, Advisory], ident: str, text: str) -> Advisory:
    if ident not in cache:
        cache[ident] = undigest(json.loads(text))
    return cache[ident]


def _write(path: Path, records: Iterable[Loaded], sources: Sequence[str], fingerprint: str) -> int:
    db = sqlite3.connect(path)
    try:
        db.executescript(_SCHEMA)
        latest: dict[str, Loaded] = {}
        for loaded in records:
            latest[loaded.record.id] = loaded
        db.executemany(
            "INSERT INTO advisories VALUES (?, ?, ?, ?, ?)",
            (
                (r.record.id, r.record.modified, r.record.withdrawn, r.raw, _digest(r.record))
                for r in latest.values()
            ),
        )
        db.executemany(
            "INSERT INTO packages VALUES (?, ?, ?)",
            (
                (_base(ecosystem), name, r.record.id)
                for r in latest.values()
                for ecosystem, name in sorted(r.record.packages())
            ),
        )
        db.execute(_INDEX)
        _write_indexes(db, latest.values())
        meta = {
            "built_at": datetime.now(UTC).isoformat(),
            "sources": json.dumps(list(sources)),
            "fingerprint": fingerprint,
            "layout": LAYOUT,
            "orderings": json.dumps(signatures(), sort_keys=True),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
        return len(latest)
    finally:
        db.close()


def _write_indexes(db: sqlite3.Connection, records: Iterable[Loaded]) -> None:
    """A `PackageIndex` per (ordering, package) that non-withdrawn records affect, and the
    `Match` of every entry the indexes hold."""
    named: dict[tuple[str, str], list[Advisory]] = {}
    for loaded in records:
        advisory = loaded.record
        if advisory.withdrawn:
            continue
        for key in dict.fromkeys(_indexed_keys(advisory)):
            named.setdefault(key, []).append(advisory)
    for (osv, name), advisories in named.items():
        ordering = ordering_for(osv)
        if ordering is None:
            continue
        index = index_package(advisories, ordering, name)
        db.execute("INSERT INTO indexes VALUES (?, ?, ?, ?)", (osv, name, *_encode(index)))
        by_id = {a.id: a for a in advisories}
        db.executemany(
            "INSERT INTO matches VALUES (?, ?, ?)",
            (
                (i, n, _compact(match_of(by_id[i], by_id[i].affected[n], ordering).to_json()))
                for i, n in zip(index.advisories, index.entries, strict=True)
            ),
        )


#: A 4-byte unsigned array type code; indexes store their integers little-endian in it.
_UINT32 = next(code for code in ("I", "L") if array(code).itemsize == 4)


def _encode(index: PackageIndex) -> tuple[str, bytes]:
    """A `PackageIndex` as a row: its strings as JSON, its integers as one uint32 array."""
    strings = _compact([list(index.bounds), list(index.advisories), list(index.fixed)])
    numbers = array(_UINT32, [len(index.entries), len(index.vulnerable)])
    for part in (index.entries, index.offsets, index.vulnerable, index.fixed_at, index.spans):
        numbers.extend(part)
    if sys.byteorder == "big":
        numbers.byteswap()
    return strings, numbers.tobytes()


def _decode(strings: list[Any], blob: bytes, ordering: Ordering, name: str) -> PackageIndex:
    """The `PackageIndex` `_encode` wrote, its JSON already decoded (the arrays are used as
    they are: bisect reads them)."""
    bounds, advisories, fixed = strings
    numbers = array(_UINT32)
    numbers.frombytes(blob)
    if sys.byteorder == "big":
        numbers.byteswap()
    count, vulnerable = numbers[0], numbers[1]
    cuts = list(accumulate((2, count, count + 1, vulnerable, len(fixed))))
    return PackageIndex(
        ordering,
        name,
        bounds=bounds,
        advisories=advisories,
        entries=numbers[cuts[0] : cuts[1]],
        offsets=numbers[cuts[1] : cuts[2]],
        vulnerable=numbers[cuts[2] : cuts[3]],
        fixed=fixed,
        fixed_at=numbers[cuts[3] : cuts[4]],
        spans=numbers[cuts[4] :],
    )


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def _indexed_keys(advisory: Advisory) -> Iterable[tuple[str, str]]:
    for entry in advisory.affected:
        ordering = ordering_for(entry.ecosystem)
        if ordering is not None:
            yield ordering.osv, entry.name


def _digest(advisory: Advisory) -> str:
    return json.dumps(digest(advisory), separators=(",", ":"))


def _base(ecosystem: str) -> str:
    """``Debian:11`` → ``Debian``; a known ecosystem keeps its registered spelling."""
    ordering = ordering_for(ecosystem)
    return ordering.osv if ordering else ecosystem.split(":", 1)[0]


# --- sync ---------------------------------------------------------------------------------


@dataclass
class SyncReport:
    """What a sync did: records written, problems met, sources that could not be read."""

    database: Path
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    rebuilt: bool = False


def local_path(location: str, base: Path) -> Path | None:
    """The file-system path of a ``file:`` URL or a plain path (relative to ``base``), else None."""
    if location.startswith("file:"):
        raw = unquote(urlsplit(location).path) if location.startswith("file://") else location[5:]
        path = Path(raw)
    elif "://" in location:
        return None
    else:
        path = Path(location)
    return path if path.is_absolute() else base / path


def fingerprint(locations: Sequence[str], base: Path) -> str:
    """A digest of the local sources' files (names, sizes, modification times): a change of any
    of them makes the database stale."""
    import hashlib

    digest = hashlib.sha256()
    for location in locations:
        path = local_path(location, base)
        if path is None:
            digest.update(f"url {location}\n".encode())
            continue
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        for file in files:
            with contextlib.suppress(OSError):
                stat = file.stat()
                digest.update(f"{file} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


async def sync(
    database: OsvDatabase,
    locations: Sequence[str],
    base: Path,
    http: HttpClient | None = None,
    limits: ZipLimits | None = None,
) -> SyncReport:
    """Read every source and rebuild ``database`` from them.

    Local sources are read directly; URLs need ``http`` (without it, e.g. offline, they are
    listed in ``failed``). When any source fails nothing is rebuilt: the old database, if any,
    is kept (a partial database would pass unchecked packages as clean).
    """
    report = SyncReport(database.path)
    read = Read()
    for location in locations:
        path = local_path(location, base)
        try:
            if path is not None:
                got = read_source(path, limits)
            elif http is None:
                report.failed.append(f"{location}: not fetched (offline)")
                continue
            else:
                got = await _fetch_source(http, location, limits)
        except OSError as error:
            report.failed.append(f"{location}: {error.strerror or error}")
            continue
        except OsvError as error:
            report.failed.append(f"{location}: {error}")
            continue
        read.extend(got)
    report.problems = read.problems
    if report.failed:
        return report
    report.records = database.rebuild(read.records, locations, fingerprint(locations, base))
    report.rebuilt = True
    return report


async def _fetch_source(http: HttpClient, url: str, limits: ZipLimits | None) -> Read:
    from steward.sources.http import HttpError

    try:
        response = await http.get(url)
    except HttpError as error:
        raise OsvError(str(error)) from error
    if zipfile.is_zipfile(io.BytesIO(response.content)):
        return read_zip(response.content, url, limits)
    return read_json(response.content, url)


# --- online: the OSV API ------------------------------------------------------------------

#: The OSV API accepts at most this many queries per batch.
BATCH = 1000


@dataclass
class OsvApi:
    """The OSV API at ``url`` (``POST /v1/querybatch``, then ``GET /v1/vulns/{id}``, cached).

    Records the API cannot serve or that do not parse are left out of the answer.
    """

    http: HttpClient
    url: str
    timeout: float = 30.0
    max_pages: int = 20

    async def query(
        self, queries: Sequence[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], list[Advisory]]:
        """Per (OSV ecosystem, name, version): the advisories the API says affect it."""
        ids: dict[tuple[str, str, str], list[str]] = {q: [] for q in queries}
        pending: list[tuple[tuple[str, str, str], str | None]] = [(q, None) for q in queries]
        for _ in range(self.max_pages):
            if not pending:
                break
            following: list[tuple[tuple[str, str, str], str | None]] = []
            for start in range(0, len(pending), BATCH):
                chunk = pending[start : start + BATCH]
                answer = await post_json(
                    self.http, self._endpoint("v1/querybatch"), _batch(chunk), self.timeout
                )
                results = answer.get("results") if isinstance(answer, dict) else None
                if not isinstance(results, list) or len(results) != len(chunk):
                    raise OsvError(f"{self.url}: malformed querybatch answer")
                for (query, _), result in zip(chunk, results, strict=True):
                    vulns = result.get("vulns", []) if isinstance(result, dict) else []
                    ids[query].extend(v["id"] for v in vulns if isinstance(v, dict) and "id" in v)
                    token = result.get("next_page_token") if isinstance(result, dict) else None
                    if token:
                        following.append((query, str(token)))
            pending = following
        records = await self._records({i for found in ids.values() for i in found})
        return {
            q: [records[i] for i in dict.fromkeys(found) if i in records]
            for q, found in ids.items()
        }

    async def _records(self, wanted: set[str]) -> dict[str, Advisory]:
        import asyncio

        from steward.sources.http import HttpError

        async def one(ident: str) -> tuple[str, Advisory] | None:
            try:
                response = await self.http.get(self._endpoint(f"v1/vulns/{quote(ident)}"))
                return ident, parse(response.json())
            except (HttpError, InvalidAdvisory):
                return None

        found = await asyncio.gather(*(one(i) for i in sorted(wanted)))
        return dict(item for item in found if item is not None)

    def _endpoint(self, path: str) -> str:
        return self.url.rstrip("/") + "/" + path


def _batch(chunk: Sequence[tuple[tuple[str, str, str], str | None]]) -> dict[str, Any]:
    queries = []
    for (ecosystem, name, version), token in chunk:
        query: dict[str, Any] = {
            "package": {"ecosystem": ecosystem, "name": name},
            "version": version,
        }
        if token:
            query["page_token"] = token
        queries.append(query)
    return {"queries": queries}


async def post_json(http: HttpClient, url: str, body: Any, timeout: float) -> Any:
    """POST ``body`` as JSON to ``url`` and parse the answer; raises `OsvError`.

    The shared `HttpClient` only GETs; this is the one POST Steward makes (a few attempts on
    connection errors, 429 and 5xx; credentials are not sent; the URL is shown without user-info).
    """
    import asyncio

    import httpx

    from steward.sources.http import redact

    attempts = max(1, http.retries)
    last = ""
    async with httpx.AsyncClient(timeout=timeout, transport=http.transport) as client:
        for attempt in range(attempts):
            try:
                reply = await client.post(url, json=body)
            except httpx.HTTPError as error:
                last = type(error).__name__
            else:
                if reply.status_code < 400:
                    try:
                        return reply.json()
                    except ValueError as error:
                        raise OsvError(f"{redact(url)}: malformed JSON") from error
                last = f"HTTP {reply.status_code}"
                if reply.status_code not in (429, 500, 502, 503, 504):
                    break
            if attempt + 1 < attempts:
                await asyncio.sleep(http.backoff * 2**attempt)
    raise OsvError(f"{redact(url)}: {last}")


# --- the scan's view ----------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """The database a scan reads (None when there is none) and a sentence on where it came from."""

    database: OsvDatabase | None
    description: str
    problems: tuple[Problem, ...] = ()


async def _sync_opened(
    database: OsvDatabase, sources: Sequence[str], base: Path, http: HttpClient | None
) -> SyncReport:
    """`sync` with ``http`` opened (and closed) in this event loop, as `HttpClient` requires."""
    if http is None:
        return await sync(database, sources, base, None)
    async with http:
        return await sync(database, sources, base, http)


def prepare(
    settings: AdvisorySettings,
    base: Path,
    *,
    offline: bool,
    http: HttpClient | None = None,
    now: datetime | None = None,
) -> Prepared:
    """Open the configured database, rebuilding it first when it is missing or stale.

    Stale means: the configured sources changed, a local source's files changed, or, for URL
    sources and not offline, older than ``max_age_hours``. Offline, URLs are never fetched.
    """
    import asyncio

    database = OsvDatabase(_resolve(settings.database, base))
    status = database.status()
    problems: tuple[Problem, ...] = ()
    if settings.sources and _stale(status, settings, base, offline, now):
        report = asyncio.run(
            _sync_opened(database, settings.sources, base, None if offline else http)
        )
        problems = tuple(report.problems)
        if not report.rebuilt and not status.exists:
            return Prepared(None, "not checked: " + "; ".join(report.failed), problems)
        status = database.status()
    if not status.exists:
        return Prepared(None, "not checked: no advisory database or source configured")
    return Prepared(database, describe(status, now), problems)


def _resolve(location: str, base: Path) -> Path:
    path = Path(location)
    return path if path.is_absolute() else base / path


def _stale(
    status: Status, settings: AdvisorySettings, base: Path, offline: bool, now: datetime | None
) -> bool:
    if not status.exists or status.layout != LAYOUT or _reordered(status.orderings):
        return True
    if list(status.sources) != list(settings.sources):
        return True
    if status.fingerprint != fingerprint(settings.sources, base):
        return True
    remote = any(local_path(s, base) is None for s in settings.sources)
    age = status.age_seconds(now)
    return remote and not offline and (age is None or age > settings.max_age_hours * 3600)


def _reordered(built: str) -> bool:
    """True when an ordering registered now differs from the one the indexes were built with
    (orderings registered since, or not registered now, change nothing: see `signatures`)."""
    then = _signed(built)
    if not then:
        return True
    return any(osv in then and then[osv] != signed for osv, signed in signatures().items())


def _signed(text: str) -> dict[str, str]:
    """The per-ecosystem signatures a database was built under ({} when unreadable)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def describe(status: Status, now: datetime | None = None) -> str:
    """One line: how many advisories, from where, how old the database is."""
    age = status.age_seconds(now)
    counts = ", ".join(f"{eco} {n}" for eco, n in sorted(status.per_ecosystem.items()))
    origin = ", ".join(status.sources) or str(status.path)
    built = f"built {_human(age)} ago" if age is not None else "build time unknown"
    return f"{status.advisories} advisories ({counts}) from {origin}, {built}"


def _human(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = max(0.0, seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            value = int(seconds // size)
            return f"{value} {unit}{'s' if value != 1 else ''}"
    return f"{int(seconds)} seconds"
