"""The local advisory index: rebuild, look up by package, status and staleness, and assessing
dependency versions through its per-package indexes exactly as the exact evaluator does."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from steward.analysis.vulnerabilities import Assessment, assess, ordering_for, ordering_of
from steward.config import AdvisorySettings
from steward.sources.osv import Loaded, OsvDatabase, Query, prepare, read_source, sync

OSV = Path(__file__).resolve().parents[3] / "examples" / "eventshop" / "advisories" / "osv"


def test_the_index_answers_by_ecosystem_and_package(tmp_path: Path) -> None:
    database = OsvDatabase(tmp_path / "advisories.db")
    assert database.rebuild(read_source(OSV).records, ["file:osv"]) == len(
        list(OSV.glob("*/*.json"))
    )
    found = database.advisories_for([("Go", "golang.org/x/net"), ("PyPI", "pyyaml"), ("npm", "x")])
    assert len(found[("Go", "golang.org/x/net")]) == 30
    assert {a.id for a in found[("PyPI", "pyyaml")]} >= {"PYSEC-2021-142"}
    assert found[("npm", "x")] == []


def test_status_counts_and_ignores_the_vulndb_placeholder_dates(tmp_path: Path) -> None:
    database = OsvDatabase(tmp_path / "advisories.db")
    assert not database.status().exists
    go_only = [r for r in read_source(OSV).records if r.record.id.startswith("GO-")]
    database.rebuild(go_only, ["file:osv/Go"])
    status = database.status()
    assert status.per_ecosystem == {"Go": 47}
    assert status.newest_modified is None  # every vulndb record says 0001-01-01
    database.rebuild(read_source(OSV / "Go").records + read_source(OSV / "PyPI").records, ["osv"])
    status = database.status()
    assert status.per_ecosystem == {"Go": 47, "PyPI": 233} and status.withdrawn == 1
    assert status.newest_modified is not None and status.newest_modified > "2024"
    assert status.age_seconds() is not None and status.age_seconds() < 600  # type: ignore[operator]


def test_a_later_record_of_the_same_id_replaces_the_earlier(tmp_path: Path) -> None:
    first = tmp_path / "a"
    second = tmp_path / "b"
    for folder, fixed in ((first, "1.0.0"), (second, "2.0.0")):
        folder.mkdir()
        record = {"id": "X", "modified": "2024-01-01T00:00:00Z", "affected": [{
            "package": {"ecosystem": "npm", "name": "p"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}  # fmt: skip
        (folder / "X.json").write_text(json.dumps(record))
    database = OsvDatabase(tmp_path / "db")
    report = asyncio.run(sync(database, [str(first), str(second)], tmp_path))
    assert report.rebuilt and report.records == 1
    [advisory] = database.advisories_for([("npm", "p")])[("npm", "p")]
    assert advisory.affected[0].ranges[0].events[1].version == "2.0.0"


def test_prepare_builds_once_and_rebuilds_when_a_local_source_changes(tmp_path: Path) -> None:
    source = tmp_path / "osv"
    source.mkdir()
    (source / "A.json").write_text(json.dumps({"id": "A", "affected": []}))
    config = AdvisorySettings(sources=["file:osv"], database="db/advisories.db")
    first = prepare(config, tmp_path, offline=True)
    assert first.database is not None and first.database.status().advisories == 1
    built = first.database.status().built_at
    again = prepare(config, tmp_path, offline=True)
    assert again.database is not None and again.database.status().built_at == built
    (source / "B.json").write_text(json.dumps({"id": "B", "affected": []}))
    changed = prepare(config, tmp_path, offline=True)
    assert changed.database is not None and changed.database.status().advisories == 2


def test_offline_never_fetches_a_url_source(tmp_path: Path) -> None:
    config = AdvisorySettings(sources=["http://127.0.0.1:9/all.zip"], database="advisories.db")
    prepared = prepare(config, tmp_path, offline=True)
    assert prepared.database is None
    assert "not fetched (offline)" in prepared.description


def test_a_stale_database_from_url_sources_is_kept_offline(tmp_path: Path) -> None:
    database = OsvDatabase(tmp_path / "advisories.db")
    config = AdvisorySettings(sources=["http://127.0.0.1:9/all.zip"], database="advisories.db")
    from steward.sources.osv import fingerprint

    database.rebuild(
        read_source(OSV / "Go").records, config.sources, fingerprint(config.sources, tmp_path)
    )
    later = datetime.now(UTC) + timedelta(days=3)
    prepared = prepare(config, tmp_path, offline=True, now=later)
    assert prepared.database is not None
    assert "built 3 days ago" in prepared.description


def test_a_database_of_an_older_layout_is_rebuilt(tmp_path: Path) -> None:
    import sqlite3

    (tmp_path / "osv").mkdir()
    (tmp_path / "osv" / "A.json").write_text(json.dumps({"id": "A", "affected": []}))
    old = sqlite3.connect(tmp_path / "advisories.db")
    old.executescript("CREATE TABLE advisories (id TEXT, record BLOB); CREATE TABLE meta (k, v);")
    old.close()
    config = AdvisorySettings(sources=["file:osv"], database="advisories.db")
    prepared = prepare(config, tmp_path, offline=True)
    assert prepared.database is not None and prepared.database.status().advisories == 1
    assert prepared.database.advisories_for([("npm", "x")]) == {("npm", "x"): []}


# --- assessing through the per-package indexes ----------------------------------------------


def _queries(records: list[Loaded]) -> list[Query]:
    """Every Go and PyPI package of ``records`` at every version they name and around them;
    some of them with a list of releases too."""
    steward = {"Go": "go", "PyPI": "pypi"}
    versions: dict[tuple[str, str], set[str]] = {}
    for loaded in records:
        for entry in loaded.record.affected:
            if entry.ecosystem in steward:
                named = versions.setdefault((entry.ecosystem, entry.name), set())
                named.update(entry.versions)
                named.update(e.version for r in entry.ranges for e in r.events)
    queries = []
    for (ecosystem, name), named in sorted(versions.items()):
        ordering = ordering_for(ecosystem)
        assert ordering is not None
        spelled = sorted({ordering.version(v) for v in named | {"0.0.1", "99.0.0"} if v != "0"})
        releases = tuple(spelled[::3])
        queries += [Query(steward[ecosystem], name, version) for version in spelled]
        queries += [Query(steward[ecosystem], name, v, releases) for v in spelled[::5]]
    return queries


def test_the_index_answers_as_the_exact_evaluator_does(tmp_path: Path) -> None:
    records = read_source(OSV).records
    database = OsvDatabase(tmp_path / "advisories.db")
    database.rebuild(records, ["file:osv"])
    queries = _queries(records)
    found = database.advisories_for({(ordering_key(q)) for q in queries})
    expected = [
        assess(found[ordering_key(q)], q.ecosystem, q.name, q.version, q.releases) for q in queries
    ]
    answers = database.assess(queries)
    assert answers == expected
    assert sum(1 for a in answers if a.vulnerabilities) > 500  # the comparison is not vacuous
    assert database.assess([Query("npm", "left-pad", "1.0.0"), Query("cargo", "x", "1")]) == [
        Assessment(), Assessment(),
    ]  # fmt: skip


def ordering_key(query: Query) -> tuple[str, str]:
    ordering = ordering_of(query.ecosystem)
    assert ordering is not None
    return ordering.osv, ordering.name(query.name)


def test_an_index_built_under_other_orderings_is_not_trusted(tmp_path: Path) -> None:
    import sqlite3

    database = OsvDatabase(tmp_path / "advisories.db")
    database.rebuild(read_source(OSV / "Go").records, ["file:osv/Go"])
    query = Query("go", "golang.org/x/net", "v0.7.0")
    [before] = database.assess([query])
    tampered = sqlite3.connect(database.path)
    stranger = {"Go": "another ordering", "PyPI": "another", "npm": "another"}
    tampered.execute("UPDATE meta SET value = ? WHERE key = 'orderings'", (json.dumps(stranger),))
    tampered.execute("DELETE FROM indexes")  # were it read, nothing would match
    tampered.commit()
    tampered.close()
    [after] = database.assess([query])
    assert len(after.vulnerabilities) >= 4 and after == before  # the exact evaluator answered


def test_prepare_rebuilds_an_index_built_under_other_orderings(tmp_path: Path) -> None:
    import sqlite3

    source = tmp_path / "osv"
    source.mkdir()
    (source / "A.json").write_text(json.dumps({"id": "A", "affected": []}))
    config = AdvisorySettings(sources=["file:osv"], database="advisories.db")
    first = prepare(config, tmp_path, offline=True)
    assert first.database is not None
    built = first.database.status().built_at
    tampered = sqlite3.connect(first.database.path)
    tampered.execute("UPDATE meta SET value = '{\"Go\": \"another\"}' WHERE key = 'orderings'")
    tampered.commit()
    tampered.close()
    again = prepare(config, tmp_path, offline=True)
    assert again.database is not None and again.database.status().built_at != built


def test_an_unreadable_version_is_judged_by_the_listed_versions_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "osv"
    folder.mkdir()
    record = {"id": "PYSEC-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "p"},
              "versions": ["1.0", "weird build"]}]}  # fmt: skip
    (folder / "PYSEC-1.json").write_text(json.dumps(record))
    database = OsvDatabase(tmp_path / "advisories.db")
    database.rebuild(read_source(folder).records, ["file:osv"])
    weird, other, listed = database.assess(
        [Query("pypi", "p", "weird build"), Query("pypi", "p", "odd"), Query("pypi", "p", "1.0.0")]
    )
    assert [v.id for v in weird.vulnerabilities] == ["PYSEC-1"]
    assert other == Assessment()
    assert [v.id for v in listed.vulnerabilities] == ["PYSEC-1"]  # PEP 440: 1.0 == 1.0.0
