"""Reports of an images scan: JSON (the stable contract), Markdown, terminal text and SARIF.
Pure: an `ImagesResult`-like view in, text out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from steward.images.analysis import ImageStatus
from steward.images.contents import ImageContents
from steward.model import SEVERITY_ORDER, Finding, Problem

SCHEMA_VERSION = 1


def reference_row(status: ImageStatus) -> dict[str, Any]:
    """One reference as the JSON report lists it (fields documented in docs/images.md)."""
    ref, lookup, updates = status.ref, status.lookup, status.updates
    return {
        "file": ref.file,
        "line": ref.line,
        "image": ref.image,
        "tag": ref.tag,
        "digest": ref.digest,
        "skip_reason": ref.skip_reason,
        "source": ref.source,
        "context": ref.context,
        "service": status.service,
        "checked": status.checked,
        "not_checked_reason": lookup.not_checked if ref.skip_reason is None else None,
        "current_digest": lookup.digest,
        "platforms": list(lookup.platforms),
        "updates": None
        if updates is None
        else {"patch": updates.patch, "minor": updates.minor, "major": updates.major},
        "os_update": status.os_update,
        "findings": [finding_row(f) for f in status.findings],
        "contents": contents_row(status.contents),
    }


def contents_row(contents: ImageContents | None) -> dict[str, Any] | None:
    """What is inside the image as JSON (None when the reference was not looked into)."""
    if contents is None:
        return None
    matched = contents.matched
    return {
        "scanned": contents.not_scanned is None,
        "not_scanned_reason": contents.not_scanned,
        "digest": contents.digest or None,
        "platform": contents.platform or None,
        "os": contents.os or None,
        "ecosystem": contents.ecosystem or None,
        "databases": list(contents.databases),
        "packages": contents.packages,
        "advisories": contents.advisories or None,
        "by_severity": matched.by_severity() if matched else {},
        "vulnerabilities": [
            {
                "id": v.key,
                "advisory": v.vulnerability.id,
                "aliases": list(v.vulnerability.aliases),
                "severity": v.severity,
                "source_package": v.source,
                "version": v.version,
                "packages": list(v.binaries),
                "fixed": v.fixed,
            }
            for v in (matched.found if matched else ())
        ],
        "candidates": [
            {
                "tag": c.tag,
                "level": c.level,
                "fixes": c.fixes,
                "remaining": c.remaining,
                "new": c.new,
            }
            for c in contents.candidates
        ],
        "candidate_notes": list(contents.candidate_notes),
    }


def contents_line(contents: ImageContents | None) -> str | None:
    """One line on what is inside the image, for the terminal and Markdown."""
    if contents is None or contents.failed or contents.unsafe:
        return None  # a finding says why
    if contents.not_scanned is not None and contents.matched is None:
        return f"contents not scanned: {contents.not_scanned}"
    found = contents.matched.keys() if contents.matched else frozenset()
    databases = ", ".join(contents.databases)
    return (
        f"contents: {contents.os or 'unknown OS'}, {contents.packages} packages ({databases}), "
        f"{len(found)} known vulnerabilities"
    )


def finding_row(finding: Finding) -> dict[str, Any]:
    """A finding as JSON."""
    remedy = finding.remedy
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "subject": finding.subject,
        "message": finding.message,
        "evidence": list(finding.evidence),
        "remedy": None
        if remedy is None
        else {
            "from": remedy.from_version,
            "to": remedy.to_version,
            "type": remedy.update_type.value,
        },
    }


def render_json(root: str, statuses: Sequence[ImageStatus], problems: Sequence[Problem]) -> str:
    """The JSON report: references sorted by file and line, then problems."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "root": root,
        "references": [reference_row(s) for s in _sorted(statuses)],
        "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in problems],
    }
    return json.dumps(document, indent=2) + "\n"


def _sorted(statuses: Sequence[ImageStatus]) -> list[ImageStatus]:
    return sorted(statuses, key=lambda s: (s.ref.file, s.ref.line, s.ref.text))


def _worst(status: ImageStatus) -> str:
    shown = [f for f in status.findings if f.rule != "image-not-checked"]
    if not shown:
        return "ok" if status.checked else "not checked"
    return max(shown, key=lambda f: SEVERITY_ORDER.index(f.severity)).severity.value


def render_markdown(root: str, statuses: Sequence[ImageStatus], problems: Sequence[Problem]) -> str:
    """A Markdown table of references and a list of findings per reference."""
    lines = [
        f"# Images in `{root}`",
        "",
        "| file | line | image | tag | worst | findings |",
        "|---|---|---|---|---|---|",
    ]
    for status in _sorted(statuses):
        ref = status.ref
        inside = contents_line(status.contents)
        notes = "<br>".join(
            [f"**{f.rule}**: {f.message}" for f in status.findings] + ([inside] if inside else [])
        )
        lines.append(
            f"| `{ref.file}` | {ref.line} | `{ref.image}` | `{ref.tag or ''}` | {_worst(status)} | {notes} |"
        )
    if problems:
        lines += ["", "## Files that could not be read", ""]
        lines += [f"- `{p.file}:{p.line}`: {p.message}" for p in problems]
    return "\n".join(lines) + "\n"


def render_terminal(root: str, statuses: Sequence[ImageStatus], problems: Sequence[Problem]) -> str:
    """Plain text for a terminal: one block per reference, findings indented."""
    lines = [f"Images in {root}: {len(statuses)} references", ""]
    for status in _sorted(statuses):
        ref = status.ref
        lines.append(f"{ref.file}:{ref.line}  {ref.text}  [{_worst(status)}]  ({status.service})")
        lines += [f"    {f.severity.value:<8} {f.rule}: {f.message}" for f in status.findings]
        inside = contents_line(status.contents)
        if inside:
            lines.append(f"    {inside}")
    lines += [f"! {p.file}:{p.line}: {p.message}" for p in problems]
    return "\n".join(lines) + "\n"


_SARIF_LEVEL = {
    "info": "note",
    "low": "note",
    "medium": "warning",
    "high": "error",
    "critical": "error",
}


def render_sarif(
    root: str, statuses: Sequence[ImageStatus], problems: Sequence[Problem], version: str
) -> str:
    """SARIF 2.1.0: one result per finding, located at the reference's file and line (relative
    to ``SRCROOT``, the root as a ``file:`` URI when it is absolute); each unreadable file is a
    warning notification with its path and line."""
    findings = [f for s in _sorted(statuses) for f in s.findings]
    rules = sorted({f.rule for f in findings})
    results = [
        {
            "ruleId": f.rule,
            "level": _SARIF_LEVEL[f.severity.value],
            "message": {"text": f"{f.subject}: {f.message}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file, "uriBaseId": "SRCROOT"},
                        "region": {"startLine": max(1, f.line)},
                    }
                }
            ],
        }
        for f in findings
    ]
    run = {
        "tool": {
            "driver": {
                "name": "steward",
                "version": version,
                "rules": [{"id": rule} for rule in rules],
            }
        },
        "results": results,
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [_notification(p) for p in problems],
            }
        ],
    }
    if PurePosixPath(root).is_absolute():
        base = PurePosixPath(root).as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {"SRCROOT": {"uri": base}}
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, indent=2) + "\n"


def _notification(problem: Problem) -> dict[str, Any]:
    """A file that could not be read, as a SARIF notification located at its path and line."""
    physical: dict[str, Any] = {"artifactLocation": {"uri": problem.file, "uriBaseId": "SRCROOT"}}
    if problem.line > 0:
        physical["region"] = {"startLine": problem.line}
    return {
        "level": "warning",
        "message": {"text": f"{problem.file}:{problem.line}: {problem.message}"},
        "locations": [{"physicalLocation": physical}],
    }
