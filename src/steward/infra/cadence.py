"""Cadence: when each component was last upgraded, and whether that is within the team's policy.

Pure. The last upgrade is the newest of: the latest ``steward infra record`` of a *new* version
of the component in ``production`` (or in any environment when production has none), and the
date the line that sets its version last changed in git (given by the caller).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from steward.infra.model import InfraComponent, Record


@dataclass(frozen=True, slots=True)
class Cadence:
    """The last upgrade of one component: when, where that is known from, and the verdict."""

    last_upgrade: date | None
    source: str
    days_since: int | None
    policy_days: int
    overdue: bool


def last_record(component: InfraComponent, records: Sequence[Record]) -> Record | None:
    """The newest record of ``component`` in production, else in any environment."""
    mine = [r for r in records if r.component == component.id]
    production = [r for r in mine if r.environment == "production"]
    chosen = production or mine
    return max(chosen, key=lambda r: r.at) if chosen else None


def assess(
    component: InfraComponent,
    records: Sequence[Record],
    git_changed: datetime | None,
    today: date,
    policy_days: int,
) -> Cadence:
    """The cadence of ``component``: overdue when its last upgrade is older than the policy."""
    candidates: list[tuple[date, str]] = []
    record = last_record(component, records)
    if record is not None:
        candidates.append((record.at.date(), f"record: {record.version} in {record.environment}"))
    if git_changed is not None and component.site is not None:
        candidates.append((git_changed.date(), f"git: {component.site.file}:{component.site.line}"))
    if not candidates:
        return Cadence(None, "no record, no git history", None, policy_days, False)
    when, source = max(candidates)
    days = (today - when).days
    return Cadence(when, source, days, policy_days, days > policy_days)
