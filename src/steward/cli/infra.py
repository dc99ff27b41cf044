"""``steward infra …``: infrastructure versions, end of life, readiness, runbooks, cadence.

``steward infra [PATH]`` and ``steward infra status [PATH]`` report; ``steward infra plan
COMPONENT --to VERSION [--apply]`` writes a runbook (and edits the Terraform text);
``steward infra record ENV COMPONENT VERSION`` records that a version runs in an environment.
The first word decides: a known subcommand, else it is PATH (argparse cannot say "optional
subcommand", so this module parses the rest of the line itself).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

SUBCOMMANDS = ("status", "plan", "record")
FAIL_ON = ("never", "info", "low", "medium", "high", "critical")


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``steward infra`` to the ``steward`` parser."""
    # No option prefix: every word after "infra" (options and -h included) goes to `_dispatch`,
    # which parses them itself (a subcommand, else PATH).
    infra = commands.add_parser(
        "infra",
        help="infrastructure versions, end of life, upgrade readiness, runbooks (infra -h)",
        add_help=False,
        prefix_chars="\x00",
    )
    infra.add_argument("infra_words", nargs=argparse.REMAINDER)
    infra.set_defaults(handler=_dispatch)


def parser() -> argparse.ArgumentParser:
    """The parser of everything after ``steward infra``."""
    top = argparse.ArgumentParser(prog="steward infra", description=__doc__.split("\n\n")[0])
    subs = top.add_subparsers(dest="subcommand", metavar="{status,plan,record}")
    status = subs.add_parser(
        "status", help="components, versions, end of life, readiness (default)"
    )
    status.add_argument("path", nargs="?", default=".", type=Path)
    status.add_argument("--format", choices=("terminal", "json", "markdown"), default="terminal")
    status.add_argument("--fail-on", choices=FAIL_ON, default="never")
    _live_options(status)
    plan = subs.add_parser("plan", help="write the upgrade runbook for one component")
    plan.add_argument(
        "component", help="a component ID (see status) or a kind: kafka, postgresql, kubernetes"
    )
    plan.add_argument("--to", required=True, dest="to", help="the target version")
    plan.add_argument("--path", type=Path, default=Path("."), help="the tree (default: .)")
    plan.add_argument(
        "--env", default="production", help="where the upgrade goes (default: production)"
    )
    plan.add_argument(
        "--apply", action="store_true", help="edit the Terraform text to the target version"
    )
    plan.add_argument("--output", "-o", type=Path, help="write the runbook to a file")
    _live_options(plan)
    record = subs.add_parser("record", help="record that VERSION of COMPONENT runs in ENV")
    record.add_argument("environment")
    record.add_argument("component")
    record.add_argument("version")
    record.add_argument("--path", type=Path, default=Path("."), help="the tree (default: .)")
    return top


def _live_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--bootstrap", help="Kafka bootstrap address for the live checks")
    command.add_argument("--prometheus", help="Prometheus base URL for the host checks")
    command.add_argument(
        "--offline", action="store_true", help="end-of-life data from the cache only"
    )
    command.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    command.add_argument(
        "--no-git", action="store_true", help="do not read git history for cadence"
    )


def words(argv: Sequence[str]) -> list[str]:
    """``argv`` with ``status`` put first when it starts with neither a subcommand nor help."""
    if argv and (argv[0] in SUBCOMMANDS or argv[0] in ("-h", "--help")):
        return list(argv)
    return ["status", *argv]


def _dispatch(args: argparse.Namespace) -> int:
    parsed = parser().parse_args(words(args.infra_words))
    handlers = {"status": _status, "plan": _plan, "record": _record}
    return handlers[parsed.subcommand](parsed)


def _settings(root: Path) -> Any:
    from steward.cli.main import UsageError
    from steward.config import ConfigError
    from steward.infra.settings import load

    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    try:
        return load(root)
    except ConfigError as error:
        raise UsageError(str(error)) from error


def _options(
    args: argparse.Namespace, target: dict[str, str] | None = None, env: str = "production"
) -> Any:
    from steward.infra.status import Options

    return Options(
        today=args.today or date.today(),
        bootstrap=args.bootstrap,
        prometheus_url=args.prometheus,
        target=target or {},
        environment=env,
        offline=args.offline,
        git=not args.no_git,
    )


def _status(args: argparse.Namespace) -> int:
    from steward.cli.main import exit_code
    from steward.infra import report as rendering
    from steward.infra.status import build
    from steward.model import SEVERITY_ORDER, Severity

    settings = _settings(args.path)
    built = _build(build, args.path, settings, _options(args))
    render = {"json": rendering.to_json, "markdown": rendering.render_markdown}.get(
        args.format, rendering.render_text
    )
    sys.stdout.write(render(built))
    found = rendering.findings(built)
    over = 0
    if args.fail_on != "never":
        floor = SEVERITY_ORDER.index(Severity(args.fail_on))
        over = sum(1 for f in found if SEVERITY_ORDER.index(f.severity) >= floor)
    unchecked = (
        len(built.problems)
        + built.unreachable
        + sum(1 for item in built.components if item.component.version is None)
    )
    return exit_code(over, unchecked)


def _plan(args: argparse.Namespace) -> int:
    from steward.cli.main import EXIT_CLEAN, UsageError
    from steward.infra import runbook
    from steward.infra.status import build

    settings = _settings(args.path)
    if args.output is not None and not args.output.parent.is_dir():
        raise UsageError(f"--output {args.output}: no folder {args.output.parent}")
    first = _build(build, args.path, settings, _options(args, env=args.env))
    item = _find(first, args.component)
    if item is None:
        known = ", ".join(i.component.id for i in first.components)
        raise UsageError(f"no component {args.component!r} in {args.path} (known: {known})")
    ident = item.component.id
    chosen = _build(build, args.path, settings, _options(args, {ident: args.to}, args.env))
    item = next(i for i in chosen.components if i.component.id == ident)
    document = runbook.render(item.component, args.to, item.checks, args.env)
    if args.output:
        try:
            args.output.write_text(document, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"--output {args.output}: {error.strerror or error}") from error
    else:
        sys.stdout.write(document)
    if args.apply:
        _apply(args.path, item.component, args.to)
    return EXIT_CLEAN


def _apply(root: Path, component: Any, to: str) -> None:
    """Splice ``to`` into the file that sets ``component``'s version; every other byte is kept.

    The parse saw the text without its BOM and with ``\n`` line ends, so the splice's offsets are
    mapped back onto the file's own bytes (BOM and ``\r\n`` included) before writing.
    """
    from steward.cli.main import UsageError
    from steward.infra.change import ChangeError, splice

    site = component.site
    target = root / (site.file if site else component.file)
    raw = target.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    own = raw[len(bom) :].decode("utf-8", errors="surrogateescape")
    try:
        edit = splice(component, to, own.replace("\r\n", "\n").replace("\r", "\n"))
    except ChangeError as error:
        raise UsageError(f"cannot apply: {error}") from error
    start, end = _raw_offset(own, site.start), _raw_offset(own, site.end)
    text = own[:start] + edit.after + own[end:]
    target.write_bytes(bom + text.encode("utf-8", errors="surrogateescape"))
    print(f"steward: {edit.file}:{edit.line}: {edit.before} → {edit.after}", file=sys.stderr)


def _raw_offset(raw: str, offset: int) -> int:
    """The index in ``raw`` of character ``offset`` of ``raw`` with its line ends read as ``\n``."""
    at = 0
    for _ in range(offset):
        at += 2 if raw.startswith("\r\n", at) else 1
    return at


def _build(build: Any, root: Path, settings: Any, options: Any) -> Any:
    """``build(...)``, with unreadable configuration or records as a usage error."""
    from steward.cli.main import UsageError
    from steward.config import ConfigError
    from steward.infra.records import InvalidRecords

    try:
        return build(root, settings, options)
    except (ConfigError, InvalidRecords) as error:
        raise UsageError(str(error)) from error


def _find(built: Any, wanted: str) -> Any:
    for item in built.components:
        if item.component.id == wanted:
            return item
    matches = [
        i
        for i in built.components
        if wanted in (i.component.kind.value, i.component.platform)
        and i.component.platform not in ("docker-compose", "helm")
    ]
    return matches[0] if len(matches) == 1 else None


def _record(args: argparse.Namespace) -> int:
    from steward.cli.main import EXIT_CLEAN, UsageError
    from steward.infra import records

    if not args.path.is_dir():
        raise UsageError(f"{args.path}: not a folder")
    try:
        saved = records.add(args.path, args.environment, args.component, args.version)
    except records.InvalidRecords as error:
        raise UsageError(str(error)) from error
    print(
        f"recorded: {saved.component} {saved.version} in {saved.environment} at {saved.at.isoformat(timespec='seconds')}"
    )
    return EXIT_CLEAN
