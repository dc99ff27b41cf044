"""Contract findings rendered for people and tools: terminal text, JSON, a Markdown PR comment,
SARIF 2.1.0. Pure: a `ContractReport` in, a string (or a JSON-ready dict) out.

The JSON shape is a contract (docs/contracts.md)::

    {"compatible": bool, "findings": [{"rule", "path", "line", "message", "location", "breaking",
     "severity", "categories", "subject", "owner", "affected": [{"service", "roles", "owners",
     "evidence"}]}], "not_checked": [str]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from steward import __version__
from steward.contracts import avro, jsonschema, lifecycle
from steward.contracts.findings import Rule
from steward.contracts.impact import Affected, Impacted, severity
from steward.model import Severity

FORMATS = ("terminal", "json", "markdown", "sarif")
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {Severity.HIGH: "error", Severity.CRITICAL: "error", Severity.MEDIUM: "warning"}


@dataclass(frozen=True, slots=True)
class ContractReport:
    """What a contracts command found: findings with their impact, and what was not checked."""

    items: tuple[Impacted, ...]
    not_checked: tuple[str, ...] = ()
    title: str = "Contract check"

    @property
    def compatible(self) -> bool:
        """True when no finding is breaking."""
        return not any(item.finding.breaking for item in self.items)

    @property
    def verdict(self) -> str:
        """``compatible``, ``BREAKING CHANGES``, or ``compatible as far as checked; N not checked``."""
        if not self.compatible:
            return "BREAKING CHANGES"
        if self.not_checked:
            return f"compatible as far as checked; {len(self.not_checked)} not checked"
        return "compatible"


def known_rules(extra: Iterable[Rule] = ()) -> dict[str, Rule]:
    """Every rule this report can describe: Avro, JSON Schema, lifecycle, and ``extra``."""
    rules = {**avro.RULES, **jsonschema.RULES, **lifecycle.RULES}
    rules.update({r.id: r for r in extra})
    return rules


def render(report: ContractReport, format: str) -> str:
    """``report`` in one of `FORMATS`; raises `ValueError` for another."""
    if format == "json":
        return json.dumps(to_json(report), indent=2) + "\n"
    if format == "sarif":
        return json.dumps(to_sarif(report), indent=2) + "\n"
    if format == "markdown":
        return to_markdown(report)
    if format == "terminal":
        return to_terminal(report)
    raise ValueError(f"unknown format {format!r} (known: {', '.join(FORMATS)})")


def _affected_json(item: Affected) -> dict[str, Any]:
    return {
        "service": item.service,
        "roles": list(item.roles),
        "owners": list(item.owners),
        "evidence": list(item.evidence),
    }


def to_json(report: ContractReport) -> dict[str, Any]:
    """The JSON contract of ``steward contracts diff|check --format json``."""
    return {
        "compatible": report.compatible,
        "findings": [
            {
                "rule": i.finding.rule,
                "path": i.finding.path,
                "line": i.finding.line,
                "message": i.finding.message,
                "location": i.finding.location,
                "breaking": i.finding.breaking,
                "severity": severity(i.finding).value,
                "categories": list(i.finding.categories),
                "subject": i.subject,
                "owner": i.owner,
                "affected": [_affected_json(a) for a in i.affected],
            }
            for i in report.items
        ],
        "not_checked": list(report.not_checked),
    }


def _who(item: Affected) -> str:
    owners = " ".join(item.owners) or "no owner"
    return f"{item.service} ({'/'.join(item.roles)}; {owners})"


def to_terminal(report: ContractReport) -> str:
    """Plain text for a terminal: per subject, its findings (breaking first), then who they reach."""
    lines = [f"{report.title}: {report.verdict}"]
    groups: dict[tuple[str, str], list[Impacted]] = {}
    for item in report.items:
        groups.setdefault((item.subject, item.owner), []).append(item)
    for (subject, owner), items in groups.items():
        lines += [
            "",
            f"{subject or '(not in the catalogue)'}" + (f" — owner {owner}" if owner else ""),
        ]
        for item in sorted(items, key=lambda i: (not i.finding.breaking, i.finding.line)):
            f = item.finding
            mark = "BREAKING" if f.breaking else severity(f).value
            lines.append(f"  {mark:>8}  {f.rule}  {f.path}:{f.line}")
            lines.append(f"            {f.message}")
        reached = {a.service: a for item in items for a in item.affected}
        if reached:
            lines.append("  affected services:")
        for service in reached.values():
            lines.append(f"    {_who(service)}")
            lines.extend(f"      · {why}" for why in service.evidence)
    for note in report.not_checked:
        lines.append(f"\nnot checked: {note}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: ContractReport) -> str:
    """A pull-request comment: verdict, a table of findings, and who to tell."""
    if not report.compatible:
        verdict = "❌ **breaking changes**"
    else:
        verdict = f"{'⚠️' if report.not_checked else '✅'} {report.verdict}"
    out = [f"### {report.title}: {verdict}", ""]
    if report.items:
        out += ["| | rule | where | what | affects |", "|---|---|---|---|---|"]
        for item in report.items:
            f = item.finding
            icon = "❌" if f.breaking else "⚠️" if severity(f) is not Severity.INFO else "ℹ️"
            reached = "<br>".join(_cell(_who(a)) for a in item.affected) or "—"
            out.append(
                f"| {icon} | `{f.rule}` | `{_cell(f.path)}:{f.line}` | {_cell(f.message)} | {reached} |"
            )
        owners = _owners_to_tell(report.items)
        if owners:
            out += ["", "Owners to involve: " + " ".join(owners)]
    else:
        out.append("No findings.")
    for note in report.not_checked:
        out += ["", f"> not checked: {_cell(note)}"]
    return "\n".join(out) + "\n"


def _owners_to_tell(items: Iterable[Impacted]) -> list[str]:
    owners: dict[str, None] = {}
    for item in items:
        if not item.finding.breaking:
            continue
        if item.owner:
            owners[item.owner] = None
        for reached in item.affected:
            owners.update(dict.fromkeys(reached.owners))
    return list(owners)


def to_sarif(report: ContractReport, rules: Mapping[str, Rule] | None = None) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: the rules met, and one result per finding."""
    catalogue = dict(rules) if rules is not None else known_rules()
    used = list(dict.fromkeys(item.finding.rule for item in report.items))
    index = {rule: n for n, rule in enumerate(used)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "steward",
                        "version": __version__,
                        "rules": [_sarif_rule(rule, catalogue.get(rule)) for rule in used],
                    }
                },
                "results": [_sarif_result(item, index[item.finding.rule]) for item in report.items],
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [
                            {"level": "warning", "message": {"text": note}}
                            for note in report.not_checked
                        ],
                    }
                ],
            }
        ],
    }


def _sarif_rule(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    return {
        "id": rule_id,
        "shortDescription": {"text": rule.purpose if rule else rule_id},
        "properties": {"tags": list(rule.categories) if rule else []},
    }


def _sarif_result(item: Impacted, rule_index: int) -> dict[str, Any]:
    f = item.finding
    physical: dict[str, Any] = {"artifactLocation": {"uri": f.path}}
    if f.line > 0:
        physical["region"] = {"startLine": f.line}
    reached = "; ".join(_who(a) for a in item.affected)
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL.get(severity(f), "note"),
        "message": {"text": f.message + (f" — affects {reached}" if reached else "")},
        "locations": [{"physicalLocation": physical}],
        "properties": {
            "breaking": f.breaking,
            "subject": item.subject,
            "owner": item.owner,
            "affected": [_affected_json(a) for a in item.affected],
        },
    }
