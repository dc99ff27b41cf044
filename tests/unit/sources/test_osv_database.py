"""The local advisory index: rebuild, look up by package, status and staleness."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from steward.config import AdvisorySettings
from steward.sources.osv import OsvDatabase, prepare, read_source, sync

OSV = Path(__file__).resolve().parents[3] / "examples" / "eventshop" / "advisories" / "osv"


def test_the_index_answers_by_ecosystem_and_package(tmp_path: Path) -> None:
    database = OsvDatabase(tmp_path / "advisories.db")
    assert database.rebuild(read_source(OSV).records, ["file:osv"]) == 280
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
    database.rebuild(read_source(OSV).records, ["file:osv"])
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
