"""The risk of taking one update, explained: update type × evidence × release age × fixes.

Pure. The level starts from the update type and moves one step per reason, never below ``low``
nor above ``high``:

=============================================  ======================================
what                                           effect
=============================================  ======================================
major update                                   starts at ``medium`` (else ``low``)
breaking evidence from metadata                +1
breaking evidence from the release notes       +1
breaking evidence from the public API          +1 (``high`` at once for a non-major)
released inside the cooldown                   +1 (``minimum_release_age``, as Renovate)
candidate retracted or yanked                  ``high``
fixes advisories of the version in use         −1 (staying has known vulnerabilities)
=============================================  ======================================

A fix never lowers a level raised by a withdrawn candidate. Every step is a reason, in words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from steward.model import SEVERITY_ORDER, Evidence, EvidenceKind, UpdateType, Vulnerability


class RiskLevel(StrEnum):
    """How likely an update is to break its users, as the JSON contract spells it."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


_LEVELS = tuple(RiskLevel)


class InvalidDuration(ValueError):
    """A duration (``minimum_release_age``) that cannot be read."""


_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|mins?|minutes?|h|hours?|d|days?|w|weeks?)\s*$",
    re.I,
)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """``"3 days"``, ``"12h"``, ``"1 week"``, ``"0"`` → a timedelta; raises `InvalidDuration`."""
    if text.strip() == "0":
        return timedelta(0)
    match = _DURATION.match(text)
    if match is None:
        raise InvalidDuration(f"cannot read duration {text!r} (e.g. '3 days', '12 hours')")
    unit = match[2].lower()
    seconds = _UNIT_SECONDS["m" if unit.startswith("mi") or unit == "m" else unit[0]]
    return timedelta(seconds=float(match[1]) * seconds)


@dataclass(frozen=True, slots=True)
class Risk:
    """A risk level and the reasons that led to it, in order."""

    level: RiskLevel
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UpdateFacts:
    """What the risk of one update is judged on.

    ``published`` is the candidate's release date (None: unknown); ``fixed`` the advisories of the
    current version that the candidate fixes; ``withdrawn`` why the candidate is retracted or
    yanked, if it is.
    """

    update_type: UpdateType
    candidate: str
    evidence: Sequence[Evidence] = ()
    published: datetime | None = None
    fixed: Sequence[Vulnerability] = ()
    withdrawn: str | None = None


def assess_risk(facts: UpdateFacts, *, now: datetime, cooldown: timedelta) -> Risk:
    """The risk of updating to ``facts.candidate``, with its reasons."""
    level, reasons = _start(facts.update_type)
    for kind in EvidenceKind:
        breaking = [e for e in facts.evidence if e.kind is kind and e.breaking]
        if breaking:
            jump = 2 if kind is EvidenceKind.API and facts.update_type != UpdateType.MAJOR else 1
            level = _up(level, jump)
            reasons.append(f"{kind.value} evidence: {breaking[0].summary}" + _more(breaking))
    level = _age(facts, now, cooldown, level, reasons)
    if facts.withdrawn:
        reasons.append(f"{facts.candidate} is withdrawn: {facts.withdrawn}")
        return Risk(RiskLevel.HIGH, tuple(reasons))
    if facts.fixed:
        level = _up(level, -1)
        reasons.append(_fixes(facts.fixed))
    return Risk(level, tuple(reasons))


def _start(update_type: UpdateType) -> tuple[RiskLevel, list[str]]:
    if update_type == UpdateType.MAJOR:
        return RiskLevel.MEDIUM, ["major update: breaking by the version scheme's own rules"]
    return RiskLevel.LOW, [f"{update_type.value} update"]


def _up(level: RiskLevel, steps: int) -> RiskLevel:
    index = min(len(_LEVELS) - 1, max(0, _LEVELS.index(level) + steps))
    return _LEVELS[index]


def _more(items: Sequence[Evidence]) -> str:
    return f" (+{len(items) - 1} more)" if len(items) > 1 else ""


def _age(
    facts: UpdateFacts, now: datetime, cooldown: timedelta, level: RiskLevel, reasons: list[str]
) -> RiskLevel:
    if not cooldown:
        return level
    if facts.published is None:
        reasons.append(f"release date of {facts.candidate} unknown: cooldown not checked")
        return level
    age = now - facts.published
    if age >= cooldown:
        return level
    reasons.append(
        f"{facts.candidate} released {_words(age)} ago, inside the {_words(cooldown)} cooldown"
    )
    return _up(level, 1)


def _words(span: timedelta) -> str:
    seconds = max(0, int(span.total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def _fixes(fixed: Sequence[Vulnerability]) -> str:
    rated = [v.severity for v in fixed if v.severity is not None]
    worst = max(rated, key=SEVERITY_ORDER.index).value if rated else "unrated"
    plural = "advisory" if len(fixed) == 1 else "advisories"
    return f"fixes {len(fixed)} known {plural} (worst: {worst}): staying is riskier"
