"""Docker tag, dpkg and apk orderings; dpkg cross-checked against ``dpkg --compare-versions``."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest

from steward.images.proposals import tag_updates
from steward.versioning.apk import compare as apk_compare
from steward.versioning.docker import DockerVersioning, is_compatible
from steward.versioning.dpkg import compare as dpkg_compare

DPKG_VERSIONS = [
    "1.0~rc1", "1.0", "1.0-1", "1.0-1+deb12u1", "1.0-2", "1.0a", "1.0+b1", "1.01", "1.1~", "1.1",
    "1.10", "1:0.9", "2.36-9+deb12u4", "2.36-9+deb12u10", "3.0.11-1~deb12u2", "3.0.11-1",
    "7.88.1-10+deb12u5", "0.0~git20230101.abc-1", "2:1.0", "1.2.3.4-0ubuntu1",
]  # fmt: skip


STATUS = Path(__file__).parent / "data" / "dpkg-status"
#: Versions of the Debian advisories shipped with the example, and the fixture's own versions.
DPKG_MORE = [
    "2.36-9+deb12u1", "2.36-9+deb12u3", "2.36-9+deb12u6", "2.31-13+deb11u7", "2.37-12",
    "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", "3.0.14-1~deb12u1", "1:1.2.13.dfsg-1",
    "1.2.13.dfsg-1", "2.5.0-1", "2.5.0-1+deb12u1", "7.88.1-10+deb12u4", "5.2.15-2+b8",
    "5.2.15-2", "1.34+dfsg-1.2+deb12u1", "12.4+deb12u11", "0", "1.0-0", "1.0~~", "1.0~~a",
]  # fmt: skip


def _dpkg_says(a: str, op: str, b: str) -> bool:
    return subprocess.run(["dpkg", "--compare-versions", a, op, b], check=False).returncode == 0


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is not installed")
def test_dpkg_order_of_real_and_advisory_versions_matches_dpkg() -> None:
    real = [
        line.split(": ", 1)[1]
        for line in STATUS.read_text().splitlines()
        if line.startswith("Version: ")
    ]
    versions = sorted(set(real + DPKG_MORE))
    for a, b in itertools.combinations(versions, 2):
        ours = dpkg_compare(a, b)
        assert _dpkg_says(a, "lt", b) == (ours < 0), (a, b)
        assert _dpkg_says(a, "eq", b) == (ours == 0), (a, b)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is not installed")
def test_dpkg_order_matches_dpkg_compare_versions() -> None:
    for a, b in itertools.combinations(DPKG_VERSIONS, 2):
        ours = dpkg_compare(a, b)
        for op, holds in (("lt", ours < 0), ("eq", ours == 0), ("gt", ours > 0)):
            real = (
                subprocess.run(["dpkg", "--compare-versions", a, op, b], check=False).returncode
                == 0
            )
            assert real == holds, (a, op, b)


APK_ORDERED = [
    "1.1_alpha",
    "1.1_alpha1",
    "1.1_beta2",
    "1.1_rc1",
    "1.1",
    "1.1-r1",
    "1.1_p1",
    "1.1a",
    "1.1.1",
    "1.1.1t-r1",
    "1.1.1w-r0",
    "3.0.8-r0",
    "3.0.12-r0",
]


def test_apk_order_follows_apk_tools() -> None:
    for a, b in itertools.combinations(APK_ORDERED, 2):
        assert apk_compare(a, b) == -1 and apk_compare(b, a) == 1, (a, b)


APK_TABLE = Path(__file__).parent / "data" / "apk-version.data"


def test_apk_order_matches_every_line_of_apk_tools_version_table() -> None:
    checked = 0
    for number, line in enumerate(APK_TABLE.read_text().splitlines(), 1):
        text = line.split("#")[0].strip()
        if not text:
            continue
        a, op, b = text.split()
        want = {"<": -1, "=": 0, ">": 1}[op]
        assert (apk_compare(a, b), apk_compare(b, a)) == (want, -want), (number, line)
        checked += 1
    assert checked == 729


def test_apk_a_dot_zero_component_is_a_fraction_as_in_apk_tools() -> None:
    # apk-tools' get_token gives a component starting with "0" the value -(zeros), even a lone
    # "0": 1.0.1 < 1.06-r1 (a line of its table), and so 1.0_alpha sorts above 1.0 there.
    assert apk_compare("1.0.1", "1.06-r1") == -1
    assert apk_compare("1.0_alpha", "1.0") == 1
    assert apk_compare("1.1_alpha", "1.1") == -1


def test_docker_shorter_release_sorts_higher_and_prerelease_lower() -> None:
    scheme = DockerVersioning()
    assert scheme.sorted(["3.11", "3.11.9", "3.11.0rc1", "latest"]) == [
        "3.11.0rc1",
        "3.11.9",
        "3.11",
    ]


def test_docker_compatibility_needs_same_suffix_and_precision() -> None:
    assert is_compatible("3.12-slim", "3.11-slim")
    assert not is_compatible("3.12.1-slim", "3.11-slim")
    assert not is_compatible("3.12-alpine", "3.11-slim")


def test_tag_updates_pick_newest_patch_minor_major() -> None:
    tags = ["1.2.3", "1.2.9", "1.3.0", "1.4.1", "2.0.0", "3.0.0-rc1", "1.4", "latest"]
    found = tag_updates("1.2.3", tags)
    assert found is not None
    assert (found.patch, found.minor, found.major) == ("1.2.9", "1.4.1", "2.0.0")
