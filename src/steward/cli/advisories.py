"""`steward advisories …` commands (registered by `steward.cli.main`).

``steward advisories sync [PATH] [--source LOCATION …] [--offline]``
    rebuild the advisory database of PATH's settings (``[advisories]``) from its sources, or from
    the ``--source`` locations given (folders, JSON files, ``all.zip`` exports, ``file:`` or
    http(s) URLs); says what it read, what it could not, and how old the database is.
``steward advisories status [PATH] [--format text|json]``
    counts per ecosystem, newest ``modified``, when the database was built and from what.

Exit codes: 0 done, 2 usage (bad configuration, no source), 3 a source could not be read or a
record was malformed (the rest was imported).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``steward advisories sync`` and ``steward advisories status``."""
    advisories = commands.add_parser("advisories", help="the local vulnerability database (OSV)")
    verbs = advisories.add_subparsers(title="commands", metavar="COMMAND")
    sync = verbs.add_parser("sync", help="rebuild the advisory database from its sources")
    sync.add_argument("path", nargs="?", default=".", type=Path, help="where steward.toml is")
    sync.add_argument(
        "--source",
        action="append",
        default=None,
        metavar="PATH_OR_URL",
        help="read these instead of [advisories] sources (repeatable)",
    )
    sync.add_argument("--offline", action="store_true", help="never fetch URL sources")
    sync.set_defaults(handler=_cmd_sync)
    status = verbs.add_parser("status", help="what the advisory database holds and how old it is")
    status.add_argument("path", nargs="?", default=".", type=Path, help="where steward.toml is")
    status.add_argument("--format", choices=("text", "json"), default="text")
    status.set_defaults(handler=_cmd_status)
    advisories.set_defaults(handler=lambda args: _usage(advisories))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _settings(path: Path) -> Any:
    from steward.cli.main import UsageError
    from steward.config import ConfigError, load

    if not path.is_dir():
        raise UsageError(f"{path}: not a folder")
    try:
        return load(path)
    except ConfigError as error:
        raise UsageError(str(error)) from error


def _database(settings: Any, path: Path) -> Any:
    from steward.sources.osv import OsvDatabase

    location = Path(settings.advisories.database)
    base = settings.base_dir if settings.base_dir != Path(".") else path
    return OsvDatabase(location if location.is_absolute() else base / location)


def _cmd_sync(args: argparse.Namespace) -> int:
    import asyncio

    from steward.cli.main import EXIT_CLEAN, EXIT_PARTIAL, UsageError
    from steward.sources.osv import describe, sync

    settings = _settings(args.path)
    sources = list(args.source or settings.advisories.sources)
    if not sources:
        raise UsageError("no advisory source: give --source or set [advisories] sources")
    database = _database(settings, args.path)
    base = settings.base_dir if args.source is None else Path.cwd()
    report = asyncio.run(_sync(database, sources, base, settings, args.offline, sync))
    for problem in report.problems:
        print(f"malformed {problem.file}:{problem.line}: {problem.message}")
    for failure in report.failed:
        print(f"not read: {failure}")
    if report.rebuilt:
        print(f"imported {report.records} advisories into {database.path}")
    else:
        print(f"kept the previous database {database.path}")
    print(describe(database.status()) if database.path.is_file() else "no database")
    return EXIT_PARTIAL if report.failed or report.problems else EXIT_CLEAN


async def _sync(
    database: Any, sources: list[str], base: Path, settings: Any, offline: bool, sync: Any
) -> Any:
    from steward.sources.http import HttpClient
    from steward.sources.osv import SyncReport

    if offline:
        report: SyncReport = await sync(database, sources, base, None)
        return report
    limits = settings.lookups
    http = HttpClient(timeout=limits.timeout, retries=limits.retries, backoff=limits.backoff)
    async with http:
        report = await sync(database, sources, base, http)
    return report


def _cmd_status(args: argparse.Namespace) -> int:
    import json

    from steward.cli.main import EXIT_CLEAN, EXIT_PARTIAL

    settings = _settings(args.path)
    status = _database(settings, args.path).status()
    age = status.age_seconds()
    if args.format == "json":
        document = {
            "database": str(status.path),
            "exists": status.exists,
            "advisories": status.advisories,
            "withdrawn": status.withdrawn,
            "per_ecosystem": status.per_ecosystem,
            "newest_modified": status.newest_modified,
            "built_at": status.built_at.isoformat() if status.built_at else None,
            "age_seconds": round(age) if age is not None else None,
            "sources": list(status.sources),
        }
        print(json.dumps(document, indent=2))
    else:
        print(_status_text(status))
    return EXIT_CLEAN if status.exists else EXIT_PARTIAL


def _status_text(status: Any) -> str:
    from steward.sources.osv import describe

    if not status.exists:
        return f"{status.path}: no advisory database yet (run `steward advisories sync`)"
    lines = [f"{status.path}", describe(status)]
    for ecosystem, count in sorted(status.per_ecosystem.items()):
        lines.append(f"  {ecosystem}: {count}")
    lines.append(f"withdrawn: {status.withdrawn}")
    newest = status.newest_modified or "unknown (no record carries a real modified date)"
    lines.append(f"newest modified: {newest}")
    return "\n".join(lines)
