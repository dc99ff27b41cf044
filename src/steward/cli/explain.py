"""``steward explain SERVICE PACKAGE [PATH]``: one update, explained.

Prints the update (current → latest), its risk and the reasons behind it, the breaking-change
evidence (registry metadata always; the release notes excerpt and the public-API diff unless
``--offline``, which says "not checked: offline"), and the advisories of the version in use.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from steward.model import DependencyStatus

#: Lines of the release notes excerpt printed; the JSON output has all of it.
NOTES_LINES = 40


def register(commands: Any) -> None:
    """Add ``explain`` to the ``steward`` command line."""
    explain = commands.add_parser("explain", help="one update: notes, evidence, advisories, risk")
    explain.add_argument("service", help="the service (as `steward scan` names it)")
    explain.add_argument("package", help="the dependency's name or package name")
    explain.add_argument("path", nargs="?", default=".", help="the tree (default: .)")
    explain.add_argument("--offline", action="store_true", help="answer lookups from the cache")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.set_defaults(handler=_cmd_explain)


def _cmd_explain(args: argparse.Namespace) -> int:
    import json
    import os
    import sys
    from pathlib import Path

    from steward.cli.main import EXIT_CLEAN, EXIT_PARTIAL, UsageError
    from steward.config import ConfigError
    from steward.scan import scan

    root = Path(args.path)
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    try:
        result = scan(root, offline=args.offline)
    except ConfigError as error:
        raise UsageError(str(error)) from error
    status = _find(result.statuses, args.service, args.package)
    if status is None:
        known = sorted({s.service for s in result.statuses})
        raise UsageError(
            f"no dependency {args.package!r} in service {args.service!r} (services: "
            f"{', '.join(known) or 'none'})"
        )
    notes_text = ""
    if status.outdated and status.current and status.latest:
        status, notes_text = _with_downloads(result, status, args.offline, dict(os.environ))
    if args.format == "json":
        json.dump(_json(status, notes_text), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(status, notes_text))
    return EXIT_CLEAN if status.checked else EXIT_PARTIAL


def _find(statuses: Any, service: str, package: str) -> DependencyStatus | None:
    matches = [
        s
        for s in statuses
        if s.service == service and package in (s.dependency.name, s.dependency.lookup_name)
    ]
    matches.sort(key=lambda s: (not s.outdated, s.dependency.file, s.dependency.line))
    return matches[0] if matches else None


def _with_downloads(
    result: Any, status: DependencyStatus, offline: bool, env: dict[str, str]
) -> tuple[DependencyStatus, str]:
    """The status with notes and API evidence added (or "not checked: offline"), re-judged."""
    import asyncio

    from steward.config import load
    from steward.model import Evidence, EvidenceKind
    from steward.scan import add_evidence
    from steward.sources.artifacts import NOT_CHECKED_OFFLINE

    settings = load(result.root)
    dep = status.dependency
    pair = (dep.ecosystem, dep.lookup_name, status.current or "", status.latest or "")
    if offline:
        notes = Evidence(
            EvidenceKind.NOTES, "release notes", "not checked: offline", breaking=False
        )
        extra: tuple[Evidence, ...] = (notes, NOT_CHECKED_OFFLINE)
        text = ""
    else:
        extra, text = asyncio.run(_fetch(result.root, settings, pair, env))
    return add_evidence(status, extra, settings, result.started), text


async def _fetch(root: Any, settings: Any, pair: Any, env: dict[str, str]) -> tuple[Any, str]:
    from pathlib import Path

    from steward.scan import cache_dir
    from steward.sources.artifacts import gather_evidence
    from steward.sources.credentials import Credentials
    from steward.sources.http import HttpClient
    from steward.sources.registry import RegistryContext

    home = Path(env["HOME"]) if env.get("HOME") else None
    limits = settings.lookups
    http = HttpClient(
        cache_dir=cache_dir(env),
        timeout=limits.timeout,
        retries=limits.retries,
        backoff=limits.backoff,
        max_per_host=limits.max_per_host,
        credentials=Credentials.from_environment(env, home),
    )
    texts: dict[Any, str] = {}
    async with http:
        ctx = RegistryContext(http=http, settings=settings, root=root, env=env, home=home)
        found = await gather_evidence(http, ctx, [pair], texts)
    return found[pair], texts.get(pair, "")


def render_text(status: DependencyStatus, notes_text: str = "") -> str:
    """The explanation for a person (plain text, one section per kind of fact)."""
    dep = status.dependency
    lines = [f"{dep.lookup_name} ({dep.ecosystem}) in {status.service} — {dep.file}:{dep.line}"]
    if not status.checked:
        return "\n".join([*lines, f"not checked: {status.not_checked_reason}", ""])
    if not status.outdated:
        lines.append(f"{status.current} is the latest version: nothing to explain.")
    else:
        kind = status.update_type.value if status.update_type else "update"
        lines.append(f"update {status.current} → {status.latest} ({kind}), risk {status.risk}")
        lines += [f"  - {reason}" for reason in status.risk_reasons]
    lines += ["", "Evidence:"]
    lines += [_evidence_line(e) for e in status.evidence] or ["  none found"]
    if notes_text:
        excerpt = notes_text.splitlines()
        lines += ["", "Release notes:"] + [f"  {line}" for line in excerpt[:NOTES_LINES]]
        if len(excerpt) > NOTES_LINES:
            lines.append(f"  … {len(excerpt) - NOTES_LINES} more lines")
    lines += ["", "Advisories of the version in use:"]
    lines += [
        f"  {v.id} ({v.severity.value if v.severity else 'unrated'}): {v.summary or ''}".rstrip()
        + (f" — fixed in {', '.join(v.fixed_in)}" if v.fixed_in else "")
        for v in status.advisories
    ] or ["  none known"]
    if status.minimal_fix:
        lines.append(f"  minimal fix: {status.minimal_fix} ({status.minimal_fix_type})")
    return "\n".join(lines) + "\n"


def _evidence_line(evidence: Any) -> str:
    mark = "!" if evidence.breaking else "·"
    out = f"  {mark} [{evidence.kind.value}] {evidence.summary}  ({evidence.source})"
    if evidence.detail:
        out += "".join(f"\n      {line}" for line in evidence.detail.splitlines()[:12])
    return out


def _json(status: DependencyStatus, notes_text: str) -> dict[str, Any]:
    from steward.report.document import _advisory, evidence_dict

    dep = status.dependency
    return {
        "service": status.service,
        "ecosystem": dep.ecosystem,
        "package": dep.lookup_name,
        "file": dep.file,
        "line": dep.line,
        "checked": status.checked,
        "not_checked_reason": status.not_checked_reason,
        "current": status.current,
        "latest": status.latest,
        "update_type": status.update_type.value if status.update_type else None,
        "risk": status.risk,
        "risk_reasons": list(status.risk_reasons),
        "evidence": [evidence_dict(e) for e in status.evidence],
        "notes": notes_text,
        "advisories": [_advisory(v) for v in status.advisories],
        "minimal_fix": status.minimal_fix,
    }
