"""The scan as Markdown: a summary line, then one table per service (for PRs and wikis)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from steward.report.document import ScanView, render

_COLUMNS = (
    "Package",
    "Eco",
    "Current",
    "Wanted",
    "Latest",
    "Update",
    "Age (days)",
    "Libyears",
    "Risk",
    "Notes",
)


def render_markdown(view: ScanView) -> str:
    """A Markdown report of the scan."""
    doc = render(view)
    lines = [f"# Dependency report — {doc['root']}", "", summary_line(doc["summary"]), ""]
    rows_by_service: dict[str, list[dict[str, Any]]] = {}
    for row in doc["dependencies"]:
        rows_by_service.setdefault(row["service"], []).append(row)
    for service in doc["services"]:
        rows = rows_by_service.pop(service["name"], [])
        lines.extend(_service_section(service["name"], service["owners"], rows))
    for name, rows in rows_by_service.items():
        lines.extend(_service_section(name, [], rows))
    if doc.get("advisories"):
        lines += [f"Advisories: {_escape(doc['advisories'])}", ""]
    if doc["problems"]:
        lines += ["## Files that could not be read", ""]
        lines += [f"- `{p['file']}:{p['line']}` — {_escape(p['message'])}" for p in doc["problems"]]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def summary_line(summary: dict[str, Any]) -> str:
    """One sentence: services, dependencies, outdated by type, vulnerable, not checked, libyears."""
    vulnerable = ""
    if summary.get("vulnerable"):
        vulnerable = (
            f"{summary['vulnerable']} vulnerable ({summary['advisories']} known advisories), "
        )
    return (
        f"{summary['services']} services, {summary['dependencies']} dependencies: "
        f"{summary['outdated']} outdated ({summary['major']} major, {summary['minor']} minor, "
        f"{summary['patch'] + summary['other']} patch), {vulnerable}"
        f"{_risky(summary)}{summary['not_checked']} not checked, "
        f"{summary['skipped']} skipped, {summary['problems']} unreadable files, "
        f"{summary['libyears']} libyears behind."
    )


def _risky(summary: dict[str, Any]) -> str:
    """``3 with breaking evidence, 2 high-risk, `` when there are any."""
    parts = []
    if summary.get("with_evidence"):
        parts.append(f"{summary['with_evidence']} with breaking evidence")
    high = (summary.get("risk") or {}).get("high")
    if high:
        parts.append(f"{high} high-risk")
    return "".join(f"{part}, " for part in parts)


#: Advisory IDs listed per row; the rest are counted (the JSON report has every one).
ADVISORIES_SHOWN = 3


def advisory_notes(row: dict[str, Any]) -> list[str]:
    """A row's advisories for a person: ``ID (severity)`` each, then what fixes them."""
    advisories = row.get("advisories") or []
    if not advisories:
        return []
    shown = [f"{a['id']} ({a['severity'] or 'unrated'})" for a in advisories[:ADVISORIES_SHOWN]]
    if len(advisories) > ADVISORIES_SHOWN:
        shown.append(f"+{len(advisories) - ADVISORIES_SHOWN} more")
    notes = [", ".join(shown)]
    count = len(advisories)
    plural = "advisory" if count == 1 else "advisories"
    if row.get("minimal_fix"):
        notes.append(f"{row['minimal_fix_type']} {row['minimal_fix']} fixes {count} {plural}")
    else:
        notes.append(f"no release fixes the {count} {plural} yet")
    return notes


#: Evidence summaries listed per row; the rest are counted (the JSON report has every one).
EVIDENCE_SHOWN = 2


def evidence_notes(row: dict[str, Any]) -> list[str]:
    """A row's breaking-change evidence for a person: ``kind: summary`` each, the rest counted."""
    breaking = [e for e in row.get("evidence") or [] if e.get("breaking", True)]
    notes = [f"{e['kind']}: {e['summary']}" for e in breaking[:EVIDENCE_SHOWN]]
    if len(breaking) > EVIDENCE_SHOWN:
        notes.append(f"+{len(breaking) - EVIDENCE_SHOWN} more evidence")
    unchecked = [e for e in row.get("evidence") or [] if not e.get("breaking", True)]
    notes += [f"{e['kind']}: {e['summary']}" for e in unchecked[:1]]
    return notes


def _service_section(name: str, owners: Sequence[str], rows: list[dict[str, Any]]) -> list[str]:
    owned = f" (owners: {', '.join(owners)})" if owners else ""
    interesting = [r for r in rows if _is_interesting(r)]
    header = [f"## {name}{owned}", ""]
    if not interesting:
        return [*header, f"All {len(rows)} dependencies are current.", ""]
    table = ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
    table += ["| " + " | ".join(_cells(r)) + " |" for r in interesting]
    current = len(rows) - len(interesting)
    return [*header, *table, "", f"{current} more dependencies are current.", ""]


def _is_interesting(row: dict[str, Any]) -> bool:
    return bool(
        row.get("update_type")
        or row.get("checked") is False
        or row.get("skip_reason")
        or row.get("flags")
        or row.get("advisories")
    )


def _cells(row: dict[str, Any]) -> list[str]:
    notes = advisory_notes(row) + evidence_notes(row) + list(row.get("flags") or [])
    if row.get("checked") is False:
        notes.append(f"not checked: {row.get('not_checked_reason')}")
    if row.get("skip_reason"):
        notes.append(f"skipped: {row['skip_reason']}")
    return [
        f"`{row['name']}`",
        row["ecosystem"],
        row.get("current") or row.get("locked") or row["constraint"] or "—",
        row.get("wanted") or "—",
        row.get("latest") or "—",
        row.get("update_type") or "—",
        str(row.get("current_age_days") if row.get("current_age_days") is not None else "—"),
        str(row.get("libyears") if row.get("libyears") is not None else "—"),
        row.get("risk") or "—",
        _escape("; ".join(notes)),
    ]


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
