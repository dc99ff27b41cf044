"""Package databases, os-release, and matching against the example's Debian/Alpine advisories."""

from __future__ import annotations

from pathlib import Path

from steward.images.layers import RootFs
from steward.images.ospackages import (
    OsRelease,
    inventory,
    osv_ecosystem,
    parse_apk_installed,
    parse_dpkg_status,
    parse_os_release,
)
from steward.images.osvmatch import compare, lookup_keys, match
from steward.sources.osv import OsvDatabase, read_source
from tests.images.layers_kit import (
    ALPINE_319,
    APK_INSTALLED,
    DEBIAN_12,
    REAL_STATUS,
    older_status,
)

OSV = Path(__file__).resolve().parents[2] / "examples" / "eventshop" / "advisories" / "osv"


def test_dpkg_status_gives_source_packages_and_source_versions() -> None:
    packages, problems = parse_dpkg_status(REAL_STATUS, "status")
    assert problems == []
    by_name = {p.name: p for p in packages}
    assert len(packages) == 9
    assert (by_name["libc6"].source, by_name["libc6"].source_version) == (
        "glibc",
        "2.36-9+deb12u14",
    )
    assert (by_name["bash"].version, by_name["bash"].source_version) == ("5.2.15-2+b8", "5.2.15-2")
    assert by_name["tar"].source == "tar" and by_name["zlib1g"].source_version == "1:1.2.13.dfsg-1"


def test_dpkg_packages_not_installed_are_left_out() -> None:
    text = "Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0-1\n\nPackage: here\nStatus: install ok installed\nVersion: 2.0-1\n"
    packages, _ = parse_dpkg_status(text, "status")
    assert [p.name for p in packages] == ["here"]


def test_a_malformed_stanza_is_a_problem_with_its_line_and_the_rest_is_kept() -> None:
    text = "Package: a\nVersion: 1.0-1\n\nPackage: b\nthis is not a field\nVersion: !!\n\nPackage: c\nVersion: 2.0-1\n"
    packages, problems = parse_dpkg_status(text, "img!var/lib/dpkg/status")
    assert [p.name for p in packages] == ["a", "c"]
    assert [(p.file, p.line) for p in problems] == [
        ("img!var/lib/dpkg/status", 5),
        ("img!var/lib/dpkg/status", 4),
    ]
    assert "not a Debian version" in problems[1].message


def test_apk_installed_gives_origins() -> None:
    packages, problems = parse_apk_installed(APK_INSTALLED, "installed")
    assert problems == []
    assert [(p.name, p.source, p.version) for p in packages] == [
        ("musl", "musl", "1.2.4_git20230717-r4"),
        ("busybox", "busybox", "1.36.1-r15"),
        ("libcrypto3", "openssl", "3.1.4-r1"),
        ("libssl3", "openssl", "3.1.4-r1"),
        ("zlib", "zlib", "1.3.1-r0"),
    ]


def test_apk_block_without_a_version_is_a_problem() -> None:
    packages, problems = parse_apk_installed("P:a\nV:1.0-r0\n\nP:b\nA:x86_64\n", "db")
    assert [p.name for p in packages] == ["a"] and [p.line for p in problems] == [4]


def test_os_release_and_its_osv_ecosystem() -> None:
    assert osv_ecosystem(parse_os_release(DEBIAN_12)) == "Debian:12"
    assert osv_ecosystem(parse_os_release(ALPINE_319)) == "Alpine:v3.19"
    assert osv_ecosystem(OsRelease("debian", "", "Debian GNU/Linux trixie/sid")) is None
    assert osv_ecosystem(OsRelease("alpine", "3.20.0_alpha20240329")) is None
    assert osv_ecosystem(OsRelease("ubuntu", "22.04")) is None


def _advisories(tmp_path: Path, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list]:  # type: ignore[type-arg]
    database = OsvDatabase(tmp_path / "advisories.db")
    records = read_source(OSV / "Debian").records + read_source(OSV / "Alpine").records
    database.rebuild(records, ["test"])
    return database.advisories_for(keys)  # type: ignore[return-value]


def _root(os_release: str, path: str, database: str) -> RootFs:
    return RootFs(files={"etc/os-release": os_release.encode(), path: database.encode()})


def test_debian_packages_match_by_source_only_for_their_release(tmp_path: Path) -> None:
    found = inventory(_root(DEBIAN_12, "var/lib/dpkg/status", older_status()))
    matched = match(found, _advisories(tmp_path, lookup_keys(found)))
    rows = {(v.key, v.source, v.version, v.fixed) for v in matched.found}
    assert rows == {
        ("CVE-2023-4911", "glibc", "2.36-9+deb12u1", "2.36-9+deb12u3"),
        ("CVE-2024-2961", "glibc", "2.36-9+deb12u1", "2.36-9+deb12u6"),
        ("CVE-2023-5678", "openssl", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1"),
        ("CVE-2024-5535", "openssl", "3.0.11-1~deb12u2", "3.0.14-1~deb12u1"),
        ("CVE-2023-45853", "zlib", "1:1.2.13.dfsg-1", None),
        ("CVE-2023-52425", "expat", "2.5.0-1", "2.5.0-1+deb12u1"),
    }  # not CVE-2019-1010022 (Debian 11 only), not CVE-2023-38545 (curl is newer than its fix)
    assert matched.by_severity() == {"critical": 2, "high": 2, "medium": 1, "unrated": 1}
    glibc = next(v for v in matched.found if v.key == "CVE-2023-4911")
    assert glibc.binaries == ("libc6",) and glibc.vulnerability.id == "DEBIAN-CVE-2023-4911"


def test_a_newer_image_fixes_what_its_versions_are_above(tmp_path: Path) -> None:
    old = inventory(_root(DEBIAN_12, "var/lib/dpkg/status", older_status()))
    new = inventory(_root(DEBIAN_12, "var/lib/dpkg/status", REAL_STATUS))
    advisories = _advisories(tmp_path, lookup_keys(old))
    result = compare(match(old, advisories), "12.1-slim", match(new, advisories), "minor")
    assert (result.fixes, result.remaining, result.new) == (5, 1, 0)  # zlib has no fix yet


def test_alpine_packages_match_through_their_origin_with_apk_ordering(tmp_path: Path) -> None:
    found = inventory(_root(ALPINE_319, "lib/apk/db/installed", APK_INSTALLED))
    matched = match(found, _advisories(tmp_path, lookup_keys(found)))
    rows = {(v.key, v.source, v.binaries) for v in matched.found}
    assert rows == {
        ("CVE-2024-0727", "openssl", ("libcrypto3", "libssl3")),  # 3.1.4-r1 < 3.1.4-r5
        ("CVE-2023-42363", "busybox", ("busybox",)),
        ("CVE-2025-26519", "musl", ("musl",)),  # _git20230717-r4 < _git20230717-r5
    }  # not CVE-2023-5678: fixed in 3.1.4-r1, the installed version


def test_an_os_without_osv_advisories_matches_nothing(tmp_path: Path) -> None:
    ubuntu = 'ID=ubuntu\nVERSION_ID="22.04"\n'
    found = inventory(_root(ubuntu, "var/lib/dpkg/status", REAL_STATUS))
    assert lookup_keys(found) == [] and match(found, {}).found == ()
