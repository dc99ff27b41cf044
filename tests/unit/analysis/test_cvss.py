"""CVSS base scores: the specifications' published examples, and the RedHat ``cvss`` package as an
oracle over random vectors (v3.0, v3.1 and v4.0 with threat and environmental metrics)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.analysis.cvss import (
    _V3_ALLOWED,
    _V3_BASE,
    _V4_ALLOWED,
    _V4_BASE,
    InvalidVector,
    rating,
    score,
)
from steward.model import Severity

# "CVSS v3.1: Examples" (FIRST): the vectors and base scores of the worked examples.
V31_EXAMPLES = {
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N": 6.1,  # CVE-2013-1937 phpMyAdmin XSS
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N": 6.4,  # CVE-2013-0375 MySQL
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N": 3.1,  # CVE-2014-3566 POODLE
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H": 9.9,  # CVE-2012-1516 VMware
    "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L": 4.2,  # CVE-2009-0783 Tomcat
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H": 8.8,  # CVE-2012-0384 Cisco IOS
    "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H": 7.8,  # CVE-2015-1098 iWork
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N": 7.5,  # CVE-2014-0160 Heartbleed
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H": 9.8,  # CVE-2014-6271 Shellshock
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N": 6.8,  # CVE-2008-1447 DNS poisoning
    "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H": 6.8,  # CVE-2014-2005 Sophos
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N": 5.8,  # CVE-2010-0467 Joomla
    "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H": 9.3,  # CVE-2013-6014 Juniper
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N": 5.4,  # CVE-2014-9253 DokuWiki
    "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H": 8.8,  # CVE-2011-1265 Bluetooth
    "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N": 4.6,  # CVE-2014-2019 iOS
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H": 8.8,  # CVE-2015-0970 SearchBlox
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N": 7.4,  # CVE-2014-0224 OpenSSL CCS
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H": 9.6,  # CVE-2012-5376 Chrome
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N": 6.8,  # CVE-2016-0128 Badlock
}

# CVSS v4.0: the schema's own example and vectors scored by FIRST's reference calculator.
V40_EXAMPLES = {
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N": 5.1,
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N": 9.3,
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H": 10.0,
    "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N": 8.5,
    "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N": 7.0,
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N": 8.7,
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N": 0.0,
}


@pytest.mark.parametrize(("vector", "expected"), sorted(V31_EXAMPLES.items()))
def test_v31_examples_score_as_published(vector: str, expected: float) -> None:
    assert score(vector) == expected


@pytest.mark.parametrize(("vector", "expected"), sorted(V31_EXAMPLES.items()))
def test_v30_scores_the_examples_alike(vector: str, expected: float) -> None:
    assert score(vector.replace("CVSS:3.1/", "CVSS:3.0/")) == expected


@pytest.mark.parametrize(("vector", "expected"), sorted(V40_EXAMPLES.items()))
def test_v40_examples_score_as_the_reference_calculator(vector: str, expected: float) -> None:
    assert score(vector) == expected


def test_v31_roundup_avoids_the_floating_point_trap_v30_falls_into() -> None:
    # Appendix A of v3.1: Roundup(4.000000001) differs between a naive ceil and the integer form.
    from steward.analysis.cvss import _roundup_30, _roundup_31

    assert _roundup_31(4.02) == 4.1
    assert _roundup_31(4.00) == 4.0
    assert _roundup_31(4.0000000001) == 4.0
    assert _roundup_30(4.0000000001) == 4.1


def test_temporal_metrics_do_not_change_the_v3_base_score() -> None:
    base = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert score(base + "/E:U/RL:O/RC:U") == score(base) == 9.8


def test_v4_threat_metric_lowers_the_score() -> None:
    base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    assert score(base + "/E:U") < score(base + "/E:A") == score(base)


@pytest.mark.parametrize(
    "vector",
    [
        "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",  # no prefix
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",  # A missing
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H",  # A twice
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",  # unknown value
        "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",  # SA missing
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Purple",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/FOO:1",
        "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
    ],
)
def test_malformed_vectors_are_refused(vector: str) -> None:
    with pytest.raises(InvalidVector):
        score(vector)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, Severity.INFO),
        (0.1, Severity.LOW),
        (3.9, Severity.LOW),
        (4.0, Severity.MEDIUM),
        (6.9, Severity.MEDIUM),
        (7.0, Severity.HIGH),
        (8.9, Severity.HIGH),
        (9.0, Severity.CRITICAL),
        (10.0, Severity.CRITICAL),
    ],
)
def test_rating_follows_the_qualitative_scale(value: float, expected: Severity) -> None:
    assert rating(value) == expected


# --- the oracle ---------------------------------------------------------------------------


def _oracle() -> object:
    return pytest.importorskip(
        "cvss", reason="the RedHat `cvss` package is the oracle: pip install cvss (dev extra)"
    )


@st.composite
def v3_vectors(draw: st.DrawFn) -> str:
    minor = draw(st.sampled_from("01"))
    parts = [f"{m}:{draw(st.sampled_from(_V3_ALLOWED[m]))}" for m in _V3_BASE]
    return f"CVSS:3.{minor}/" + "/".join(parts)


@st.composite
def v4_vectors(draw: st.DrawFn) -> str:
    parts = []
    for metric, values in _V4_ALLOWED.items():
        if metric == "U":
            continue
        if metric in _V4_BASE or draw(st.booleans()):
            parts.append(f"{metric}:{draw(st.sampled_from(values))}")
    return "CVSS:4.0/" + "/".join(parts)


@settings(max_examples=300, deadline=None)
@given(v3_vectors())
def test_v3_matches_the_oracle(vector: str) -> None:
    oracle = _oracle()
    assert score(vector) == float(oracle.CVSS3(vector).base_score)  # type: ignore[attr-defined]


@settings(max_examples=500, deadline=None)
@given(v4_vectors())
def test_v4_matches_the_oracle(vector: str) -> None:
    oracle = _oracle()
    assert score(vector) == float(oracle.CVSS4(vector).base_score)  # type: ignore[attr-defined]
