"""Scan history in words: a table of scans over time with deltas, and the drift between two scans.

Pure: summaries and a `Drift` in, text out. Three shapes of the same content: plain text lines
for a terminal (`history_lines`, `drift_lines`), Markdown for pull requests and wikis
(`history_markdown`, `drift_markdown`), and JSON-able dicts (`history_dicts`, `drift_dict`).
`render` picks one by name.

Every row after the first shows how each count moved since the row before it, and a trend:
``↑ worse`` when more dependencies are outdated than before (or as many, with more libyears),
``↓ better`` in the opposite case, ``→ steady`` otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC
from enum import StrEnum

from steward.history_model import DependencyChange, Drift, ScanCounts, ScanSummary, StoredStatus


class InvalidReportFormat(ValueError):
    """A history report was asked for in a format that does not exist."""


class Trend(StrEnum):
    """Which way a scan went compared with the one before it."""

    WORSE = "worse"
    BETTER = "better"
    STEADY = "steady"


#: The formats `render` knows.
FORMATS = ("text", "markdown", "json")

_ARROWS = {Trend.WORSE: "↑ worse", Trend.BETTER: "↓ better", Trend.STEADY: "→ steady"}
_COLUMNS = (
    "Scan",
    "Finished (UTC)",
    "Deps",
    "Major",
    "Minor",
    "Patch",
    "Other",
    "Not checked",
    "Problems",
    "Libyears",
    "Trend",
)
_NUMERIC = frozenset(range(2, 10))
_COUNTED: tuple[str, ...] = (
    "dependencies",
    "outdated_major",
    "outdated_minor",
    "outdated_patch",
    "outdated_other",
    "not_checked",
    "problems",
)
_EMPTY_HISTORY = "No scans recorded yet."

_SECTIONS: tuple[tuple[str, str], ...] = (
    ("newly_outdated", "Newly outdated"),
    ("newly_current", "Newly current"),
    ("version_changes", "Version changes"),
    ("added", "Added"),
    ("removed", "Removed"),
)


def trend(before: ScanCounts, after: ScanCounts) -> Trend:
    """Whether ``after`` is worse, better or as good as ``before``: outdated first, then libyears."""
    old = (before.outdated, round(before.libyears, 1))
    new = (after.outdated, round(after.libyears, 1))
    if new > old:
        return Trend.WORSE
    if new < old:
        return Trend.BETTER
    return Trend.STEADY


def history_lines(summaries: Sequence[ScanSummary]) -> list[str]:
    """The scans, oldest first, as an aligned plain-text table (header, rule, one line a scan)."""
    if not summaries:
        return [_EMPTY_HISTORY]
    rows = _table(summaries)
    widths = [
        max(len(row[index]) for row in [list(_COLUMNS), *rows]) for index in range(len(_COLUMNS))
    ]
    lines = [_aligned(list(_COLUMNS), widths), "  ".join("-" * width for width in widths)]
    lines.extend(_aligned(row, widths) for row in rows)
    return [line.rstrip() for line in lines]


def history_markdown(summaries: Sequence[ScanSummary]) -> str:
    """The scans, oldest first, as a Markdown table under a heading."""
    if not summaries:
        return f"## Scan history\n\n{_EMPTY_HISTORY}\n"
    align = ["---:" if index in _NUMERIC else "---" for index in range(len(_COLUMNS))]
    lines = ["## Scan history", "", _markdown_row(list(_COLUMNS)), _markdown_row(align)]
    lines.extend(_markdown_row(row) for row in _table(summaries))
    return "\n".join(lines) + "\n"


def history_dicts(summaries: Sequence[ScanSummary]) -> list[dict[str, object]]:
    """The scans, oldest first, as JSON-able dicts with ``delta`` and ``trend`` (None on the first)."""
    result: list[dict[str, object]] = []
    for index, summary in enumerate(summaries):
        previous = summaries[index - 1].counts if index else None
        result.append(
            {
                "id": summary.id,
                "started_at": summary.started_at.isoformat(),
                "finished_at": summary.finished_at.isoformat(),
                "root": summary.root,
                "version": summary.version,
                "counts": {**asdict(summary.counts), "outdated": summary.counts.outdated},
                "delta": _deltas(previous, summary.counts) if previous else None,
                "trend": trend(previous, summary.counts).value if previous else None,
            }
        )
    return result


def drift_lines(drift: Drift) -> list[str]:
    """The drift as plain text: a title, then one indented line a dependency under each section."""
    title = f"Drift from scan #{drift.previous_id} to scan #{drift.current_id}"
    if drift.empty:
        return [title, "  No dependency changed."]
    lines = [title]
    for field, heading in _SECTIONS:
        changes: tuple[DependencyChange, ...] = getattr(drift, field)
        if changes:
            lines.append(f"{heading} ({len(changes)})")
            lines.extend(f"  {_subject(change)}  {_DESCRIBE[field](change)}" for change in changes)
    return lines


def drift_markdown(drift: Drift) -> str:
    """The drift as Markdown: a heading, then a bulleted list under a subheading a section."""
    lines = [f"## Drift from scan #{drift.previous_id} to scan #{drift.current_id}", ""]
    if drift.empty:
        return "\n".join([*lines, "No dependency changed."]) + "\n"
    for field, heading in _SECTIONS:
        changes: tuple[DependencyChange, ...] = getattr(drift, field)
        if changes:
            lines.extend([f"### {heading} ({len(changes)})", ""])
            lines.extend(f"- `{_subject(change)}` {_DESCRIBE[field](change)}" for change in changes)
            lines.append("")
    return "\n".join(lines)


def drift_dict(drift: Drift) -> dict[str, object]:
    """The drift as a JSON-able dict: both scan ids and one list of changes a section."""
    result: dict[str, object] = {"previous_id": drift.previous_id, "current_id": drift.current_id}
    for field, _heading in _SECTIONS:
        result[field] = [_change_dict(change) for change in getattr(drift, field)]
    return result


def render(summaries: Sequence[ScanSummary], drift: Drift | None, fmt: str) -> str:
    """The history (and the drift, when there is one) in ``fmt``: one of `FORMATS`."""
    if fmt == "json":
        document = {
            "scans": history_dicts(summaries),
            "drift": drift_dict(drift) if drift else None,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        parts = [history_markdown(summaries), drift_markdown(drift) if drift else ""]
        return "\n".join(part for part in parts if part)
    if fmt == "text":
        lines = history_lines(summaries) + (["", *drift_lines(drift)] if drift else [])
        return "\n".join(lines) + "\n"
    raise InvalidReportFormat(f"unknown history format {fmt!r}: use one of {', '.join(FORMATS)}")


def _table(summaries: Sequence[ScanSummary]) -> list[list[str]]:
    rows = []
    for index, summary in enumerate(summaries):
        previous = summaries[index - 1].counts if index else None
        rows.append(_cells(summary, previous))
    return rows


def _cells(summary: ScanSummary, previous: ScanCounts | None) -> list[str]:
    counts = summary.counts
    cells = [f"#{summary.id}", summary.finished_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")]
    for name in _COUNTED:
        now = getattr(counts, name)
        cells.append(_with_delta(str(now), now - getattr(previous, name) if previous else 0))
    libyears_delta = round(counts.libyears - previous.libyears, 2) if previous else 0.0
    cells.append(_with_delta(f"{counts.libyears:.2f}", libyears_delta, "{:+.2f}"))
    cells.append(_ARROWS[trend(previous, counts)] if previous else "")
    return cells


def _with_delta(value: str, delta: float, form: str = "{:+d}") -> str:
    return f"{value} ({form.format(delta)})" if delta else value


def _deltas(before: ScanCounts, after: ScanCounts) -> dict[str, object]:
    deltas: dict[str, object] = {
        name: getattr(after, name) - getattr(before, name) for name in _COUNTED
    }
    deltas["outdated"] = after.outdated - before.outdated
    deltas["libyears"] = round(after.libyears - before.libyears, 2)
    return deltas


def _aligned(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        cell.rjust(width) if index in _NUMERIC else cell.ljust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )


def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _subject(change: DependencyChange) -> str:
    service, ecosystem, name = change.key
    return f"{service} · {ecosystem} · {name}"


def _version(status: StoredStatus | None) -> str:
    if status is None:
        return "?"
    return status.current or status.constraint or "?"


def _newly_outdated(change: DependencyChange) -> str:
    after = change.after
    kind = after.update_type.value if after and after.update_type else "?"
    return f"{_version(after)} → {after.latest if after else '?'} available ({kind})"


def _newly_current(change: DependencyChange) -> str:
    return f"{_version(change.before)} → {_version(change.after)}, up to date"


def _version_change(change: DependencyChange) -> str:
    return f"{_version(change.before)} → {_version(change.after)}"


def _added(change: DependencyChange) -> str:
    after = change.after
    if after is not None and after.outdated and after.update_type is not None:
        return f"{_version(after)} ({after.update_type.value} behind {after.latest})"
    return _version(after)


def _removed(change: DependencyChange) -> str:
    return f"was {_version(change.before)}"


_DESCRIBE: dict[str, Callable[[DependencyChange], str]] = {
    "newly_outdated": _newly_outdated,
    "newly_current": _newly_current,
    "version_changes": _version_change,
    "added": _added,
    "removed": _removed,
}


def _change_dict(change: DependencyChange) -> dict[str, object]:
    service, ecosystem, name = change.key
    return {
        "service": service,
        "ecosystem": ecosystem,
        "name": name,
        "before": _side_dict(change.before),
        "after": _side_dict(change.after),
    }


def _side_dict(status: StoredStatus | None) -> dict[str, object] | None:
    if status is None:
        return None
    return {
        "file": status.file,
        "line": status.line,
        "current": status.current,
        "latest": status.latest,
        "update_type": status.update_type.value if status.update_type else None,
        "checked": status.checked,
        "libyears": status.libyears,
    }
