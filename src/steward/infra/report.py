"""The infrastructure report: per component its version, end of life, readiness and cadence (pure).

`assemble` joins what the other modules computed; `findings` turns it into the one `Finding`
shape every area reports; `to_json`, `render_markdown` and `render_text` print it. The JSON is
documented in docs/infra.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from steward.infra import eol as eol_rules
from steward.infra.cadence import Cadence
from steward.infra.checks import CheckResult, Status, verdict
from steward.infra.eol import EolStatus
from steward.infra.model import InfraComponent, Kind, Problem
from steward.infra.readiness import assessed
from steward.model import Finding, Severity

#: Finding rule IDs of this area (stable, never reused).
EOL_PAST = "INFRA_EOL_PAST"
EOL_SOON = "INFRA_EOL_SOON"
EOL_EXTENDED_SUPPORT = "INFRA_EXTENDED_SUPPORT"
NEWER_CYCLE = "INFRA_NEWER_CYCLE"
NOT_RESOLVABLE = "INFRA_NOT_RESOLVABLE"
MALFORMED = "INFRA_MALFORMED_FILE"
NOT_READY = "INFRA_UPGRADE_NOT_READY"
CADENCE_OVERDUE = "INFRA_CADENCE_OVERDUE"


@dataclass(frozen=True, slots=True)
class ComponentReport:
    """One component with everything concluded about it."""

    component: InfraComponent
    eol: tuple[EolStatus, ...]
    target: str | None
    target_note: str
    checks: tuple[CheckResult, ...]
    cadence: Cadence

    @property
    def readiness(self) -> str:
        """``ready``, ``not ready`` or ``unknown`` (see `steward.infra.checks.verdict`)."""
        return verdict(list(self.checks)) if self.checks else "not assessed"


@dataclass(frozen=True, slots=True)
class InfraReport:
    """Every component under one root, the problems met, and where the data came from."""

    root: str
    today: date
    components: tuple[ComponentReport, ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    #: Live sources asked for (Kafka, Prometheus) that could not be reached: their checks are
    #: not checked, so the run is partial.
    unreachable: int = 0


def default_target(
    component: InfraComponent, statuses: Sequence[EolStatus]
) -> tuple[str | None, str]:
    """The target readiness is assessed for when none is given, and why that one."""
    if component.version is None:
        return None, "no target: the current version is unknown"
    if not assessed(component):
        return None, "readiness is assessed for managed services declared in Terraform"
    if component.kind is Kind.KUBERNETES:
        parts = [int(p) for p in eol_rules.version_of(component).split(".")[:2]]  # type: ignore[union-attr]
        if len(parts) == 2:
            return f"{parts[0]}.{parts[1] + 1}", "the next minor version (one at a time)"
    governing = eol_rules.governing(statuses)
    if governing is None or governing.newest_cycle is None:
        return None, "no target: no end-of-life data for this component"
    if governing.cycle == governing.newest_cycle:
        return None, f"already on the newest supported cycle ({governing.newest_cycle})"
    return governing.newest_cycle, f"the newest supported cycle of {governing.product}"


def findings(report: InfraReport) -> list[Finding]:
    """Every finding of the report, in component order, problems first."""
    found = [
        Finding(MALFORMED, Severity.MEDIUM, p.file, p.message, file=p.file, line=p.line)
        for p in report.problems
    ]
    for item in report.components:
        found.extend(_component_findings(item))
    return found


def _component_findings(item: ComponentReport) -> list[Finding]:
    c = item.component
    base: dict[str, Any] = {"subject": c.id, "file": c.file, "line": c.line}
    found: list[Finding] = []
    if c.version is None:
        found.append(
            Finding(NOT_RESOLVABLE, Severity.INFO, message=c.unresolved or "unknown", **base)
        )
    governing = eol_rules.governing(item.eol)
    if governing is not None:
        found.extend(_eol_findings(c, governing, base))
    failing = [r for r in item.checks if r.status is Status.FAIL]
    if failing:
        message = f"not ready for {item.target}: {', '.join(r.id for r in failing)}"
        evidence = tuple(f"{r.id}: {'; '.join(r.evidence)}" for r in failing)
        found.append(
            Finding(NOT_READY, Severity.MEDIUM, message=message, evidence=evidence, **base)
        )
    if item.cadence.overdue:
        message = f"last upgraded {item.cadence.last_upgrade} ({item.cadence.days_since} days ago; policy: every {item.cadence.policy_days} days)"
        found.append(
            Finding(
                CADENCE_OVERDUE,
                Severity.LOW,
                message=message,
                evidence=(item.cadence.source,),
                **base,
            )
        )
    return found


def _eol_findings(c: InfraComponent, status: EolStatus, base: dict[str, Any]) -> list[Finding]:
    cycle = f"{status.product} {status.cycle}"
    newest = f"; newest supported cycle: {status.newest_cycle}" if status.newest_cycle else ""
    evidence = (f"source: {status.source}",)
    if status.state == "past":
        return [
            Finding(
                EOL_PAST,
                Severity.HIGH,
                message=f"{cycle}: end of support {status.eol or 'reached'}{newest}",
                evidence=evidence,
                **base,
            )
        ]
    if status.state == "extended":
        policy = c.settings.get("support_type")
        cost = f" (upgrade_policy support_type = {policy})" if policy else ""
        message = f"{cycle}: standard support ended {status.eol}; paid extended support until {status.eoes}{cost}{newest}"
        return [
            Finding(EOL_EXTENDED_SUPPORT, Severity.HIGH, message=message, evidence=evidence, **base)
        ]
    if status.state == "soon":
        message = f"{cycle}: end of support {status.eol}, in {status.days_left} days{newest}"
        return [Finding(EOL_SOON, Severity.MEDIUM, message=message, evidence=evidence, **base)]
    if status.state == "supported" and status.newest_cycle and status.cycle != status.newest_cycle:
        return [
            Finding(
                NEWER_CYCLE,
                Severity.INFO,
                message=f"{cycle} is supported{newest}",
                evidence=evidence,
                **base,
            )
        ]
    return []


# --- JSON ----------------------------------------------------------------------------------------


def to_json(report: InfraReport) -> str:
    """The report as the JSON document described in docs/infra.md."""
    document = {
        "root": report.root,
        "date": report.today.isoformat(),
        "notes": list(report.notes),
        "components": [_component_json(item) for item in report.components],
        "problems": [
            {"file": p.file, "line": p.line, "message": p.message} for p in report.problems
        ],
        "findings": [_finding_json(f) for f in findings(report)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _component_json(item: ComponentReport) -> dict[str, Any]:
    c = item.component
    return {
        "id": c.id,
        "kind": c.kind.value,
        "platform": c.platform,
        "engine": c.engine,
        "file": c.file,
        "line": c.line,
        "version": c.version,
        "unresolved": c.unresolved,
        "version_site": None
        if c.site is None
        else {"file": c.site.file, "line": c.site.line, "via": c.site.via},
        "settings": dict(c.settings),
        "eol": [_eol_json(s) for s in item.eol],
        "target": item.target,
        "target_note": item.target_note,
        "readiness": item.readiness,
        "checks": [
            {"id": r.id, "status": r.status.value, "evidence": list(r.evidence)}
            for r in item.checks
        ],
        "cadence": {
            "last_upgrade": item.cadence.last_upgrade.isoformat()
            if item.cadence.last_upgrade
            else None,
            "source": item.cadence.source,
            "days_since": item.cadence.days_since,
            "policy_days": item.cadence.policy_days,
            "overdue": item.cadence.overdue,
        },
    }


def _eol_json(status: EolStatus) -> dict[str, Any]:
    return {
        "product": status.product,
        "cycle": status.cycle,
        "state": status.state,
        "eol": status.eol.isoformat() if status.eol else None,
        "extended_support_until": status.eoes.isoformat() if status.eoes else None,
        "days_left": status.days_left,
        "newest_cycle": status.newest_cycle,
        "newest_version": status.newest_version,
        "source": status.source,
        "as_of": status.as_of.isoformat() if status.as_of else None,
    }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "subject": finding.subject,
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "evidence": list(finding.evidence),
    }


# --- Markdown and text ---------------------------------------------------------------------------


def _eol_cell(statuses: Sequence[EolStatus]) -> str:
    governing = eol_rules.governing(statuses)
    if governing is None:
        return "—"
    if governing.cycle is None:
        return f"{governing.product}: unknown"
    words = {"past": "ended", "extended": "extended support", "soon": "ends", "supported": "until"}
    when = governing.eol.isoformat() if governing.eol else "no date"
    if governing.state == "extended" and governing.eoes:
        when = f"{when}, extended until {governing.eoes.isoformat()}"
    return f"{governing.product} {governing.cycle}: {words.get(governing.state, governing.state)} {when}"


def _rows(report: InfraReport) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for item in report.components:
        c = item.component
        failing = [r.id for r in item.checks if r.status is Status.FAIL]
        readiness = item.readiness + (f" ({', '.join(failing)})" if failing else "")
        if item.target:
            readiness = f"→ {item.target}: {readiness}"
        cadence = (
            "overdue"
            if item.cadence.overdue
            else (str(item.cadence.last_upgrade) if item.cadence.last_upgrade else "unknown")
        )
        rows.append(
            (
                c.id,
                c.version or f"? ({c.unresolved})",
                f"{c.file}:{c.line}",
                _eol_cell(item.eol),
                readiness,
                cadence,
            )
        )
    return rows


_HEADER = ("component", "version", "declared at", "end of life", "readiness", "last upgrade")


def render_markdown(report: InfraReport) -> str:
    """The report as Markdown: a table of components, then findings, problems and data notes."""
    lines = [f"# Infrastructure of `{report.root}` ({report.today.isoformat()})", ""]
    lines += ["| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in _rows(report)
    ]
    found = findings(report)
    if found:
        lines += ["", "## Findings", ""]
        lines += [f"- **{f.rule}** `{f.subject}` ({f.file}:{f.line}): {f.message}" for f in found]
    lines += ["", "## Data", ""] + [f"- {note}" for note in report.notes]
    return "\n".join(lines) + "\n"


def render_text(report: InfraReport) -> str:
    """The report as plain text for a terminal: one block per component."""
    lines = [f"Infrastructure of {report.root} ({report.today.isoformat()})", ""]
    for item, row in zip(report.components, _rows(report), strict=True):
        lines.append(f"{row[0]}  {row[1]}  ({row[2]})")
        lines.append(f"    end of life: {row[3]}")
        lines.append(f"    readiness:   {row[4]}")
        for result in item.checks:
            if result.status is Status.FAIL:
                lines.append(f"      ✗ {result.id}: {'; '.join(result.evidence)}")
        lines.append(
            f"    cadence:     {row[5]}"
            + (f" ({item.cadence.source})" if item.cadence.last_upgrade else "")
        )
    for problem in report.problems:
        lines.append(f"problem: {problem.file}:{problem.line}: {problem.message}")
    lines += ["", *report.notes]
    return "\n".join(lines) + "\n"


def counts(report: InfraReport) -> Mapping[str, int]:
    """How many findings of each severity the report holds."""
    tally: dict[str, int] = {}
    for finding in findings(report):
        tally[finding.severity.value] = tally.get(finding.severity.value, 0) + 1
    return tally
