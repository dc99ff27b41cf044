"""``steward``: the command line. The only code that prints and exits.

Exit codes (one mapping, `exit_code`):
    0  clean
    1  findings at or above ``--fail-on``
    2  usage error (bad arguments, unreadable configuration, missing path)
    3  partial: something could not be checked (and nothing crossed ``--fail-on``)

Heavy modules (rich, the store) are imported only by the commands that need them, so
``steward deps --format json`` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from steward import __version__
from steward.model import Severity

if TYPE_CHECKING:
    from rich.progress import Progress

    from steward.report.document import ScanView
    from steward.scan import ScanResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

#: Each area's commands: a module with ``register(commands)`` adding its sub-parsers. Keep their
#: top-level imports light (argparse only); handlers import what they need.
COMMAND_MODULES = (
    "steward.cli.contracts",
    "steward.cli.advisories",
    "steward.cli.infra",
    "steward.cli.images",
    "steward.cli.explain",
)
FAIL_ON = ("never", *(s.value for s in Severity))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``steward`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"steward: {error}", file=sys.stderr)
        return EXIT_USAGE
    return code


class UsageError(Exception):
    """Bad input from the user: shown in one line, exit code 2."""


def exit_code(findings_over_threshold: int, not_checked: int) -> int:
    """The one mapping from a scan's outcome to an exit code (findings win over partial)."""
    if findings_over_threshold:
        return EXIT_FINDINGS
    if not_checked:
        return EXIT_PARTIAL
    return EXIT_CLEAN


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="steward",
        description="Keep an event-driven system's dependencies current, safe and understood.",
    )
    parser.add_argument("--version", action="version", version=f"steward {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    scan = commands.add_parser("scan", help="scan a tree, report per service, keep the history")
    _scan_options(scan, default_format="terminal")
    scan.add_argument("--no-history", action="store_true", help="do not store this scan")
    scan.add_argument("--all", action="store_true", help="list current dependencies too")
    scan.set_defaults(handler=_cmd_scan, store=True)

    deps = commands.add_parser("deps", help="every dependency with its lookup (JSON by default)")
    _scan_options(deps, default_format="json")
    deps.add_argument("--no-lookup", action="store_true", help="extract only, no registry lookups")
    deps.set_defaults(handler=_cmd_scan, store=False)

    history = commands.add_parser("history", help="how the scans of a tree changed over time")
    history.add_argument("path", nargs="?", default=".", type=Path)
    history.add_argument("--limit", type=int, default=20)
    history.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    history.set_defaults(handler=_cmd_history)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands)
    return parser


def _scan_options(command: argparse.ArgumentParser, default_format: str) -> None:
    command.add_argument("path", nargs="?", default=".", type=Path, help="the tree to scan")
    command.add_argument(
        "--format", choices=("terminal", "json", "markdown", "sarif"), default=default_format
    )
    command.add_argument(
        "--evidence",
        action="store_true",
        help="download both versions of each update for a public-API diff (not with --offline)",
    )
    command.add_argument("--offline", action="store_true", help="answer lookups from the cache")
    command.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="never",
        help="exit 1 when a finding is at least this severe (default: never)",
    )
    command.add_argument("--output", "-o", type=Path, help="write the report to a file")


def _cmd_scan(args: argparse.Namespace) -> int:
    from steward.analysis.findings import at_least, findings_of
    from steward.config import ConfigError
    from steward.scan import scan

    root: Path = args.path
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    progress = _progress_bar() if args.format == "terminal" and sys.stderr.isatty() else None
    try:
        result = scan(
            root,
            lookups=not getattr(args, "no_lookup", False),
            offline=args.offline,
            progress=progress[1] if progress else None,
            evidence=args.evidence,
        )
    except ConfigError as error:
        raise UsageError(str(error)) from error
    finally:
        if progress:
            progress[0].stop()
    view = _view(result)
    _emit(args, view)
    if args.store and not args.no_history:
        _store(result)
    findings = findings_of(result.statuses, result.problems)
    over = 0 if args.fail_on == "never" else len(at_least(findings, Severity(args.fail_on)))
    return exit_code(over, sum(1 for s in result.statuses if not s.checked))


def _view(result: ScanResult) -> ScanView:
    from steward.report.document import ScanView

    return ScanView(
        root=str(result.root),
        version=result.version,
        started=result.started,
        services=result.services,
        dependencies=[(item.service, item.dependency) for item in result.dependencies],
        problems=result.problems,
        statuses=result.statuses,
        sources=result.sources,
        looked_up=result.looked_up,
        advisories=result.advisories,
    )


def _emit(args: argparse.Namespace, view: ScanView) -> None:
    """Write the report in the chosen format to ``--output`` or standard output."""
    with contextlib.ExitStack() as stack:
        out: TextIO = _open_output(stack, args.output) if args.output else sys.stdout
        if args.format == "json":
            from steward.report.document import write

            write(view, out, with_findings=args.store)  # `deps` lists dependencies only
        elif args.format == "sarif":
            from steward.report.sarif import render_sarif

            out.write(render_sarif(view))
        elif args.format == "markdown":
            from steward.report.markdown import render_markdown

            out.write(render_markdown(view))
        else:
            from rich.console import Console

            from steward.report.terminal import render_terminal

            # Piped or written to a file: a wide page keeps package names on one line.
            console = Console(file=out) if out.isatty() else Console(file=out, width=160)
            render_terminal(view, console, show_current=getattr(args, "all", False))


def _open_output(stack: contextlib.ExitStack, path: Path) -> TextIO:
    """``--output`` opened for writing; a path that cannot be written is a usage error."""
    try:
        return stack.enter_context(open(path, "w", encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from error


def _progress_bar() -> tuple[Progress, Callable[[int, int], None]]:
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("looking up", total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


def _store(result: ScanResult) -> None:
    """Keep the scan in the tree's history; a store that fails is said, the scan still counts."""
    from steward.history import record_scan
    from steward.store import StoreError

    try:
        record_scan(result)
    except StoreError as error:
        print(f"steward: history not stored: {error}", file=sys.stderr)


def _cmd_history(args: argparse.Namespace) -> int:
    from steward.history import history_report

    root: Path = args.path
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    from steward.store import StoreError

    try:
        sys.stdout.write(history_report(root, args.limit, args.format))
    except StoreError as error:
        raise UsageError(f"history of {root} cannot be read: {error}") from error
    return EXIT_CLEAN


if __name__ == "__main__":
    raise SystemExit(main())
