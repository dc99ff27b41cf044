"""Risk, explained: the table of update type × evidence × release age × fixes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from steward.analysis.risk import (
    InvalidDuration,
    RiskLevel,
    UpdateFacts,
    assess_risk,
    parse_duration,
)
from steward.model import Evidence, EvidenceKind, Severity, UpdateType, Vulnerability

NOW = datetime(2026, 11, 27, tzinfo=UTC)
OLD = NOW - timedelta(days=90)
COOLDOWN = timedelta(days=3)
META = Evidence(EvidenceKind.METADATA, "GO_DIRECTIVE_RAISED", "needs Go 1.23")
NOTES = Evidence(EvidenceKind.NOTES, "CHANGELOG.md", "removed X [REMOVED]")
API = Evidence(EvidenceKind.API, "public API", "public API: 1 removed")
INFO = Evidence(EvidenceKind.API, "public API", "not checked: offline", breaking=False)
FIX = Vulnerability("GO-1", severity=Severity.HIGH, fixed_in=("v1.2.0",))

L, M, H = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH


@pytest.mark.parametrize(
    ("update", "evidence", "published", "fixed", "withdrawn", "expected"),
    [
        (UpdateType.PATCH, (), OLD, (), None, L),
        (UpdateType.MINOR, (), OLD, (), None, L),
        (UpdateType.MAJOR, (), OLD, (), None, M),
        (UpdateType.MINOR, (META,), OLD, (), None, M),
        (UpdateType.MINOR, (INFO,), OLD, (), None, L),
        (UpdateType.MINOR, (META, NOTES), OLD, (), None, H),
        (UpdateType.PATCH, (API,), OLD, (), None, H),
        (UpdateType.MAJOR, (API,), OLD, (), None, H),
        (UpdateType.MAJOR, (META, NOTES, API), OLD, (), None, H),
        (UpdateType.PATCH, (), NOW - timedelta(days=1), (), None, M),
        (UpdateType.PATCH, (), NOW - timedelta(days=4), (), None, L),
        (UpdateType.PATCH, (), None, (), None, L),
        (UpdateType.MINOR, (META,), OLD, (FIX,), None, L),
        (UpdateType.PATCH, (), OLD, (FIX,), None, L),
        (UpdateType.MAJOR, (META,), OLD, (FIX,), None, M),
        (UpdateType.PATCH, (), OLD, (FIX,), "retracted: bad", H),
    ],
)
def test_risk_table(
    update: UpdateType,
    evidence: tuple[Evidence, ...],
    published: datetime | None,
    fixed: tuple[Vulnerability, ...],
    withdrawn: str | None,
    expected: RiskLevel,
) -> None:
    facts = UpdateFacts(update, "v1.2.0", evidence, published, fixed, withdrawn)
    assert assess_risk(facts, now=NOW, cooldown=COOLDOWN).level is expected


def test_every_step_is_a_reason() -> None:
    facts = UpdateFacts(UpdateType.MINOR, "v1.2.0", (META,), NOW - timedelta(hours=5), (FIX,))
    risk = assess_risk(facts, now=NOW, cooldown=COOLDOWN)
    assert risk.reasons == (
        "minor update",
        "metadata evidence: needs Go 1.23",
        "v1.2.0 released 5 hours ago, inside the 3 days cooldown",
        "fixes 1 known advisory (worst: high): staying is riskier",
    )
    assert risk.level is M


def test_unknown_release_date_is_said() -> None:
    risk = assess_risk(UpdateFacts(UpdateType.PATCH, "1.0.1"), now=NOW, cooldown=COOLDOWN)
    assert "release date of 1.0.1 unknown: cooldown not checked" in risk.reasons


def test_no_cooldown_never_raises() -> None:
    facts = UpdateFacts(UpdateType.PATCH, "1.0.1", published=NOW)
    assert assess_risk(facts, now=NOW, cooldown=timedelta(0)).level is L


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 days", timedelta(days=3)),
        ("12h", timedelta(hours=12)),
        ("1 week", timedelta(weeks=1)),
        ("30 minutes", timedelta(minutes=30)),
        ("90s", timedelta(seconds=90)),
        ("0", timedelta(0)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "3 fortnights", "-1 day"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InvalidDuration):
        parse_duration(text)
