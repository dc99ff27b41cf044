"""The scan for a person at a terminal: one table per service, colour by update type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from steward.report.document import ScanView, render
from steward.report.markdown import advisory_notes, evidence_notes, summary_line

_STYLES = {"major": "bold red", "minor": "yellow", "patch": "green", "other": "green"}
_RISK_STYLES = {"high": "bold red", "medium": "yellow", "low": "green"}


def render_terminal(view: ScanView, console: Console, *, show_current: bool = False) -> None:
    """Print the report; current dependencies are counted, not listed, unless asked for."""
    doc = render(view)
    rows_by_service: dict[str, list[dict[str, Any]]] = {}
    for row in doc["dependencies"]:
        rows_by_service.setdefault(row["service"], []).append(row)
    for service in doc["services"]:
        rows = rows_by_service.pop(service["name"], [])
        console.print(_service(service["name"], service["owners"], rows, show_current))
    for name, rows in rows_by_service.items():
        console.print(_service(name, [], rows, show_current))
    for problem in doc["problems"]:
        console.print(
            Text.assemble(
                ("unreadable ", "bold red"),
                f"{problem['file']}:{problem['line']}: ",
                problem["message"],
            )
        )
    for ecosystem, source in sorted(doc["registries"].items()):
        console.print(Text(f"{ecosystem}: {source}", style="dim"))
    if doc.get("advisories"):
        console.print(Text(f"advisories: {doc['advisories']}", style="dim"))
    console.print(Text(summary_line(doc["summary"]), style="bold"))


def _service(
    name: str, owners: Sequence[str], rows: list[dict[str, Any]], show_current: bool
) -> RenderableType:
    shown = [r for r in rows if show_current or _needs_attention(r)]
    hidden = [r for r in rows if not (show_current or _needs_attention(r))]
    title = Text.assemble((name, "bold cyan"), (f"  {', '.join(owners)}" if owners else "", "dim"))
    if not shown:
        return Group(
            title, Text(f"  {_not_listed(hidden, everything=True)}", style="green"), Text()
        )
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column in ("package", "eco", "current", "wanted", "latest", "update", "age", "risk"):
        table.add_column(column, no_wrap=True)
    table.add_column("notes", overflow="fold")
    for row in shown:
        table.add_row(*_cells(row))
    footer = Text(f"  + {_not_listed(hidden)}", style="dim") if hidden else Text()
    return Group(title, table, footer, Text())


def _not_listed(rows: list[dict[str, Any]], *, everything: bool = False) -> str:
    """``2 current, 1 skipped``: a skipped dependency was not looked up, so it is never current."""
    skipped = sum(1 for row in rows if row.get("skip_reason"))
    current = len(rows) - skipped
    if everything and not skipped:
        return f"all {current} dependencies current"
    parts = [f"{current} current"] if current else []
    return ", ".join([*parts, *([f"{skipped} skipped"] if skipped else [])])


def _needs_attention(row: dict[str, Any]) -> bool:
    return bool(
        row.get("update_type")
        or row.get("checked") is False
        or row.get("flags")
        or row.get("advisories")
    )


def _cells(row: dict[str, Any]) -> list[RenderableType]:
    update = row.get("update_type")
    vulnerable = advisory_notes(row)
    notes = evidence_notes(row) + list(row.get("flags") or [])
    if row.get("checked") is False:
        notes.append(f"not checked: {row.get('not_checked_reason')}")
    if row.get("skip_reason"):
        notes.append(f"skipped: {row['skip_reason']}")
    age = row.get("current_age_days")
    return [
        row["name"],
        row["ecosystem"],
        row.get("current") or row.get("locked") or row["constraint"] or "—",
        row.get("wanted") or "",
        row.get("latest") or "",
        Text(update or "", style=_STYLES.get(update or "", "")),
        f"{age}d" if age is not None else "",
        Text(row.get("risk") or "", style=_RISK_STYLES.get(row.get("risk") or "", "")),
        Text.assemble(
            ("; ".join(vulnerable) + ("; " if vulnerable and notes else ""), "bold red"),
            ("; ".join(notes), "red" if row.get("checked") is False else "dim"),
        ),
    ]
