"""OSV evaluation: the schema's own examples, a brute-force property, alias merging, withdrawn
records, severities, minimal fixes, the real records shipped with the example system, and the
per-package index agreeing with the exact evaluator on random advisories and versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.analysis.vulnerabilities import (
    Advisory,
    InvalidAdvisory,
    affects,
    assess,
    findings,
    index_package,
    match_of,
    matching,
    minimal_fix,
    ordering_for,
    parse,
)
from steward.model import Dependency, DependencyStatus, Severity, UpdateType

OSV = Path(__file__).resolve().parents[3] / "examples" / "eventshop" / "advisories" / "osv"


def record(
    events: list[dict[str, str]] | None = None,
    *,
    ident: str = "GHSA-test",
    ecosystem: str = "npm",
    name: str = "pkg",
    versions: list[str] | None = None,
    kind: str = "SEMVER",
    **extra: Any,
) -> Advisory:
    affected: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": name}}
    if events is not None:
        affected["ranges"] = [{"type": kind, "events": events}]
    if versions is not None:
        affected["versions"] = versions
    return parse({"id": ident, "modified": "2024-01-01T00:00:00Z", "affected": [affected], **extra})


def hit(advisory: Advisory, version: str, ecosystem: str = "npm") -> bool:
    entry = advisory.affected[0]
    ordering = ordering_for(entry.ecosystem)
    assert ordering is not None
    return affects(entry, version, ordering)


# --- the schema's examples ----------------------------------------------------------------


def test_unfixed_vulnerability_affects_every_version() -> None:
    advisory = record([{"introduced": "0"}])
    assert all(hit(advisory, v) for v in ("0.0.0", "1.0.0", "99.0.0-rc.1"))


def test_fixed_vulnerability_affects_everything_before_the_fix() -> None:
    advisory = record([{"introduced": "0"}, {"fixed": "1.0.2"}])
    assert hit(advisory, "1.0.1") and hit(advisory, "1.0.2-rc.1")
    assert not hit(advisory, "1.0.2") and not hit(advisory, "2.0.0")


def test_multiple_ranges_in_one_event_list() -> None:
    advisory = record(
        [{"introduced": "1.0.0"}, {"fixed": "1.0.2"}, {"introduced": "3.0.0"}, {"fixed": "3.2.5"}]
    )
    affected = [v for v in ("0.9.0", "1.0.0", "1.0.1", "1.0.2", "2.0.0", "3.0.0", "3.2.4", "3.2.5")]
    assert [hit(advisory, v) for v in affected] == [
        False, True, True, False, False, True, True, False,
    ]  # fmt: skip


def test_last_affected_is_inclusive_and_fixed_is_exclusive() -> None:
    last = record([{"introduced": "0"}, {"last_affected": "2.1.214"}], kind="ECOSYSTEM")
    fixed = record([{"introduced": "0"}, {"fixed": "2.1.214"}])
    assert hit(last, "2.1.214") and not hit(last, "2.1.215")
    assert not hit(fixed, "2.1.214") and hit(fixed, "2.1.213")


def test_limit_bounds_the_range() -> None:
    advisory = record([{"introduced": "1.0.0"}, {"limit": "2.0.0"}])
    assert hit(advisory, "1.5.0") and not hit(advisory, "2.0.0") and not hit(advisory, "0.9.0")
    assert hit(record([{"introduced": "1.0.0"}, {"limit": "*"}]), "9.0.0")


def test_events_are_evaluated_in_version_order_whatever_their_order_in_the_file() -> None:
    advisory = record([{"fixed": "1.0.2"}, {"introduced": "1.0.0"}])
    assert hit(advisory, "1.0.1") and not hit(advisory, "0.9.0") and not hit(advisory, "1.0.2")


def test_explicit_versions_are_affected_by_the_ecosystems_equality() -> None:
    advisory = record(versions=["1.0"], ecosystem="PyPI", name="Some_Pkg")
    assert hit(advisory, "1.0.0")  # PEP 440: 1.0 == 1.0.0
    assert not hit(advisory, "1.0.1")


def test_git_ranges_are_not_evaluated() -> None:
    advisory = record([{"introduced": "0"}, {"fixed": "abc123"}], kind="GIT")
    assert not hit(advisory, "1.0.0")


def test_go_semver_ranges_are_written_without_the_v() -> None:
    advisory = record(
        [{"introduced": "0"}, {"fixed": "0.13.0"}], ecosystem="Go", name="golang.org/x/net"
    )
    assert hit(advisory, "v0.7.0") and not hit(advisory, "v0.13.0")
    assert hit(advisory, "v0.12.1-0.20230712162946-57553cbff163")  # pseudo-version below the fix


def test_pypi_names_match_when_normalised() -> None:
    advisory = record([{"introduced": "0"}], ecosystem="PyPI", name="Zope_Interface")
    assert matching([advisory], "pypi", "zope.interface", "5.3.1")
    assert matching([advisory], "pypi", "ZOPE-INTERFACE", "5.3.1")
    assert not matching([advisory], "pypi", "zopeinterface", "5.3.1")
    assert not matching([advisory], "npm", "PyYAML", "5.3.1")


def test_withdrawn_advisories_are_ignored() -> None:
    advisory = record([{"introduced": "0"}], withdrawn="2024-02-01T00:00:00Z")
    assert matching([advisory], "npm", "pkg", "1.0.0") == []


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"affected": []}, "/id"),
        ({"id": "X", "affected": {}}, "/affected"),
        ({"id": "X", "affected": [{"package": {"ecosystem": "npm"}}]}, "/affected/0/package/name"),
        (
            {"id": "X", "affected": [{"package": {"ecosystem": "npm", "name": "p"}, "ranges": [
                {"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1.0.0"}]}]}]},
            "/affected/0/ranges/0",
        ),
    ],
)  # fmt: skip
def test_malformed_records_say_where(data: dict[str, Any], pointer: str) -> None:
    with pytest.raises(InvalidAdvisory) as raised:
        parse(data)
    assert raised.value.pointer == pointer


# --- the property: intervals over a sorted version list ------------------------------------

VERSIONS = [
    f"{major}.{minor}.{patch}" for major in range(3) for minor in range(3) for patch in range(3)
]


@st.composite
def interval_sets(draw: st.DrawFn) -> tuple[list[dict[str, Any]], set[int]]:
    """Disjoint intervals over VERSIONS as OSV ranges, and the indices they cover.

    Intervals closed by ``fixed`` share one range (one timeline of several intervals); those
    closed by ``last_affected`` share another (the schema forbids mixing the two in one range).
    Events are shuffled: evaluation must sort them by the ordering.
    """
    cuts = sorted(draw(st.sets(st.integers(0, len(VERSIONS) - 1), max_size=8)))
    timelines: dict[str, list[dict[str, str]]] = {"fixed": [], "last_affected": []}
    covered: set[int] = set()
    for start, end in zip(cuts[0::2], cuts[1::2], strict=False):
        kind = draw(st.sampled_from(sorted(timelines)))
        timelines[kind] += [{"introduced": VERSIONS[start]}, {kind: VERSIONS[end]}]
        covered |= set(range(start, end + 1 if kind == "last_affected" else end))
    if len(cuts) % 2 == 1:  # an open interval: introduced, never fixed
        timelines["fixed"].append({"introduced": VERSIONS[cuts[-1]]})
        covered |= set(range(cuts[-1], len(VERSIONS)))
    ranges = [
        {"type": "SEMVER", "events": draw(st.permutations(events))}
        for events in timelines.values()
        if events
    ]
    return ranges, covered


@settings(max_examples=300, deadline=None)
@given(interval_sets())
def test_a_version_is_affected_iff_it_lies_in_an_interval(
    case: tuple[list[dict[str, Any]], set[int]],
) -> None:
    ranges, covered = case
    advisory = parse(
        {"id": "X", "affected": [{"package": {"ecosystem": "npm", "name": "p"}, "ranges": ranges}]}
    )
    for index, version in enumerate(VERSIONS):
        assert hit(advisory, version) == (index in covered), version


# --- merging, severity, fixes --------------------------------------------------------------


def test_aliases_merge_transitively_into_one_finding() -> None:
    events = [{"introduced": "0"}, {"fixed": "1.2.4"}]
    go = record(events, ident="GO-2024-0001", ecosystem="Go", name="m", aliases=["CVE-2024-1"])
    ghsa = record(events, ident="GHSA-aaaa", ecosystem="Go", name="m", aliases=["CVE-2024-1"])
    other = record(events, ident="GHSA-bbbb", ecosystem="Go", name="m", aliases=["GHSA-aaaa"])
    unrelated = record(events, ident="GO-2024-0002", ecosystem="Go", name="m")
    verdict = assess([go, ghsa, other, unrelated], "go", "m", "v1.2.3")
    ids = {v.id: v.aliases for v in verdict.vulnerabilities}
    assert ids == {
        "GO-2024-0001": ("CVE-2024-1", "GHSA-aaaa", "GHSA-bbbb"),
        "GO-2024-0002": (),
    }


def test_severity_comes_from_the_highest_cvss_then_the_database() -> None:
    events = [{"introduced": "0"}]
    scored = record(
        events,
        ident="A",
        severity=[
            {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"},
            {
                "type": "CVSS_V4",
                "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            },
        ],
    )
    rated = record(events, ident="B", database_specific={"severity": "MODERATE"})
    bare = record(events, ident="C")
    by_id = {v.id: v for v in assess([scored, rated, bare], "npm", "pkg", "1.0.0").vulnerabilities}
    assert (by_id["A"].score, by_id["A"].severity) == (9.3, Severity.CRITICAL)
    assert by_id["A"].vector is not None and by_id["A"].vector.startswith("CVSS:4.0/")
    assert (by_id["B"].score, by_id["B"].severity) == (None, Severity.MEDIUM)
    assert by_id["C"].severity is None


def test_minimal_fix_is_the_lowest_release_no_advisory_affects() -> None:
    first = record([{"introduced": "0"}, {"fixed": "1.2.4"}], ident="A")
    later = record([{"introduced": "1.2.4"}, {"fixed": "1.2.6"}], ident="B")
    releases = ["1.2.3", "1.2.4", "1.2.5", "1.2.6", "1.3.0-rc.1", "1.3.0"]
    fix = minimal_fix([first, later], "npm", "pkg", "1.2.3", releases)
    assert fix is not None and (fix.version, fix.update_type) == ("1.2.6", UpdateType.PATCH)


def test_minimal_fix_without_releases_uses_the_fixed_events() -> None:
    advisory = record([{"introduced": "0"}, {"fixed": "2.0.0"}])
    fix = minimal_fix([advisory], "npm", "pkg", "1.2.3")
    assert fix is not None and (fix.version, fix.update_type) == ("2.0.0", UpdateType.MAJOR)


def test_no_minimal_fix_when_nothing_released_is_clean() -> None:
    assert minimal_fix([record([{"introduced": "0"}])], "npm", "pkg", "1.0.0", ["1.0.1"]) is None


def test_a_vulnerable_status_becomes_a_vulnerable_finding_with_the_fix_as_remedy() -> None:
    advisory = record(
        [{"introduced": "0"}, {"fixed": "1.2.4"}],
        severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
    )
    verdict = assess([advisory], "npm", "pkg", "1.2.3", ["1.2.3", "1.2.4"])
    dep = Dependency("npm", "pkg", "^1.2.0", "package.json", 3, "prod", locked="1.2.3")
    status = DependencyStatus(
        dep, "api", True, current="1.2.3", advisories=verdict.vulnerabilities,
        minimal_fix="1.2.4", minimal_fix_type=UpdateType.PATCH,
    )  # fmt: skip
    [finding] = findings(status)
    assert (finding.rule, finding.severity, finding.line) == ("vulnerable", Severity.HIGH, 3)
    assert finding.remedy is not None and finding.remedy.to_version == "1.2.4"
    assert "patch 1.2.4 fixes" in finding.message
    assert findings(DependencyStatus(dep, "api", True, current="1.2.3")) == []


# --- the real records ------------------------------------------------------------------------


def _real() -> list[Advisory]:
    return [parse(json.loads(p.read_text())) for p in sorted(OSV.glob("*/*.json"))]


def test_every_shipped_record_parses() -> None:
    records = _real()
    assert len(records) == len(list(OSV.glob("*/*.json")))
    assert len([r for r in records if r.id.startswith(("GO-", "PYSEC-"))]) == 280
    assert [r.id for r in records if r.withdrawn] == ["PYSEC-2022-43059"]


def test_x_net_v0_7_0_is_affected_by_the_go_records() -> None:
    verdict = assess(_real(), "go", "golang.org/x/net", "v0.7.0")
    ids = {v.id for v in verdict.vulnerabilities}
    assert {"GO-2023-1988", "GO-2023-2102", "GO-2024-2687", "GO-2024-3333"} <= ids
    html = next(v for v in verdict.vulnerabilities if v.id == "GO-2023-1988")
    assert html.fixed_in == ("v0.13.0",)
    assert html.aliases == ("CVE-2023-3978", "GHSA-2wrh-6pvc-2jm9")
    assert html.imports[0].path == "golang.org/x/net/html" and "Render" in html.imports[0].symbols
    assert verdict.fix is not None and verdict.fix.version == "v0.56.0"


def test_pgx_v5_4_3_and_its_minimal_fix_among_releases() -> None:
    releases = ["v5.4.3", "v5.5.0", "v5.5.4", "v5.9.0", "v5.9.1", "v5.9.2", "v5.10.0"]
    verdict = assess(_real(), "go", "github.com/jackc/pgx/v5", "v5.4.3", releases)
    assert {v.id for v in verdict.vulnerabilities} == {
        "GO-2024-2567", "GO-2024-2606", "GO-2026-4771", "GO-2026-4772", "GO-2026-5004",
    }  # fmt: skip
    assert verdict.fix is not None
    assert (verdict.fix.version, verdict.fix.update_type) == ("v5.9.2", UpdateType.MINOR)


def test_pypi_records_match_by_ecosystem_range_and_versions_list() -> None:
    records = _real()
    requests = assess(records, "pypi", "requests", "2.28.1")
    assert [v.id for v in requests.vulnerabilities] == ["PYSEC-2023-74"]
    assert requests.fix is not None and requests.fix.version == "2.31.0"
    assert assess(records, "pypi", "requests", "2.31.0").vulnerabilities == ()
    aiohttp = assess(records, "pypi", "aiohttp", "3.8.6")
    assert "PYSEC-2022-43059" not in {v.id for v in aiohttp.vulnerabilities}  # withdrawn
    assert {v.id for v in aiohttp.vulnerabilities} == {
        "PYSEC-2023-250", "PYSEC-2023-251", "PYSEC-2024-24", "PYSEC-2024-26",
    }  # fmt: skip


# --- the index agrees with the exact evaluator ---------------------------------------------

#: Per OSV ecosystem: versions as its advisories write them (equal spellings, pre-releases, a
#: pseudo-version, and one the ordering cannot read), for events, lists and queries alike.
POOLS = {
    "npm": ["0.0.1", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "2.0.0-beta.2", "2.0.0", "2.1.3",
            "3.0.0", "not a version"],
    "PyPI": ["0.9", "1.0", "1.0.0", "1.0.post1", "1.1rc1", "1.1", "2.0", "2.0.1", "10.0",
             "not a version"],
    "Go": ["0.1.0", "1.0.0", "1.0.1", "1.2.0-pre", "1.2.0", "1.2.1-0.20230712162946-57553cbff163",
           "2.0.0", "3.1.4", "not a version"],
}  # fmt: skip
STEWARD = {"npm": "npm", "PyPI": "pypi", "Go": "go"}


@st.composite
def packages(draw: st.DrawFn) -> tuple[str, list[Advisory]]:
    """An ecosystem and advisories naming package ``p`` there (and sometimes ``q``): ranges of
    any type and any events in any order — schema-valid or not, the two paths must agree."""
    ecosystem = draw(st.sampled_from(sorted(POOLS)))
    pool = POOLS[ecosystem]
    event = st.one_of(
        st.tuples(st.sampled_from(["introduced", "fixed", "last_affected", "limit"]),
                  st.sampled_from(pool)),
        st.just(("introduced", "0")),
        st.just(("limit", "*")),
    )  # fmt: skip
    range_ = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["SEMVER", "ECOSYSTEM", "ECOSYSTEM", "GIT"]),
            "events": st.lists(event, max_size=6).map(lambda es: [{k: v} for k, v in es]),
        }
    )
    entry = st.fixed_dictionaries(
        {
            "package": st.fixed_dictionaries(
                {"ecosystem": st.just(ecosystem), "name": st.sampled_from(["p", "p", "q"])}
            ),
            "ranges": st.lists(range_, max_size=3),
            "versions": st.lists(st.sampled_from(pool), max_size=3),
        }
    )
    records = []
    for number in range(draw(st.integers(1, 4))):
        record: dict[str, Any] = {
            "id": f"GHSA-{number}",
            "aliases": draw(st.sampled_from([[], ["CVE-1"], [f"GHSA-{number + 1}"]])),
            "affected": draw(st.lists(entry, min_size=1, max_size=3)),
        }
        if draw(st.booleans()):
            record["severity"] = [{"type": "CVSS_V3", "score": draw(st.sampled_from(VECTORS))}]
        if draw(st.integers(0, 5)) == 0:
            record["withdrawn"] = "2024-01-01T00:00:00Z"
        records.append(parse(record))
    return ecosystem, records


VECTORS = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N",
]


def _where(advisory: Advisory, entry: Any) -> int:
    return next(i for i, e in enumerate(advisory.affected) if e is entry)


@settings(max_examples=400, deadline=None)
@given(packages(), st.lists(st.sampled_from(sorted({v for p in POOLS.values() for v in p}))))
def test_the_index_finds_what_the_exact_evaluator_finds(
    case: tuple[str, list[Advisory]], releases: list[str]
) -> None:
    ecosystem, records = case
    ordering = ordering_for(ecosystem)
    assert ordering is not None
    index = index_package(records, ordering, "p")
    steward = STEWARD[ecosystem]
    for written in POOLS[ecosystem] + ["0.0.0", "99.0.0"]:
        version = ordering.version(written)
        exact = matching(records, steward, "p", version)
        hits = index.hits(version)
        if ordering.versioning.is_valid(version):
            assert hits == [(a.id, _where(a, e)) for a, e in exact], version
        else:  # unreadable: the exact evaluator compares listed versions as text
            assert hits is None
            continue
        for candidates in (None, releases):
            fix = minimal_fix(records, steward, "p", version, candidates)
            assert index.minimal_fix(version, candidates) == fix, (version, candidates)
        at = index.position(version)
        assert at is not None
        matches = [match_of(a, e, ordering) for a, e in exact]
        assert index.assessment_at(at, version, matches, releases) == assess(
            records, steward, "p", version, releases
        )


def test_positions_lie_between_and_on_the_bounds() -> None:
    advisory = record([{"introduced": "1.0.0"}, {"fixed": "2.0.0"}], versions=["3.0.0"])
    ordering = ordering_for("npm")
    assert ordering is not None
    index = index_package([advisory], ordering, "pkg")
    assert list(index.bounds) == ["1.0.0", "2.0.0", "3.0.0"]
    positions = [index.position(v) for v in ("0.1.0", "1.0.0", "1.5.0", "2.0.0", "3.0.0", "4.0.0")]
    assert positions == [0, 1, 2, 3, 5, 6]
    assert [index.hits(v) for v in ("0.1.0", "1.5.0", "2.0.0", "3.0.0")] == [
        [], [("GHSA-test", 0)], [], [("GHSA-test", 0)],
    ]  # fmt: skip


def test_withdrawn_advisories_are_left_out_of_the_index() -> None:
    ordering = ordering_for("npm")
    assert ordering is not None
    withdrawn = record([{"introduced": "0"}], withdrawn="2024-02-01T00:00:00Z")
    assert index_package([withdrawn], ordering, "pkg").hits("1.0.0") == []


def test_the_highest_score_gives_the_vector_whatever_the_order() -> None:
    low = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"
    high = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    first = record([{"introduced": "0"}], ident="GHSA-a", aliases=["CVE-1"],
                   severity=[{"type": "CVSS_V3", "score": low}])  # fmt: skip
    second = record([{"introduced": "0"}], ident="GHSA-b", aliases=["CVE-1"],
                    severity=[{"type": "CVSS_V3", "score": high}])  # fmt: skip
    for records in ([first, second], [second, first]):
        [merged] = assess(records, "npm", "pkg", "1.0.0").vulnerabilities
        assert (merged.score, merged.vector) == (9.8, high)
