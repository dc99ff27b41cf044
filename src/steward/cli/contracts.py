"""`steward contracts …`: compatibility, deprecation lifecycle and consumer impact of event contracts.

::

    steward contracts check --against REF [PATH]      the working tree's schemas against REF's
    steward contracts diff BEFORE AFTER               two schema files, or two folders of them
    steward contracts history V1 V2 … --mode MODE     a subject's versions, oldest first
    steward contracts ls [PATH]                       subjects, owners, deprecations and dates

``check`` and ``diff`` exit 1 on a breaking change (``check``: one no approved change request
covers), 3 when something could not be checked, 2 on a usage error. The JSON output is
documented in docs/contracts.md. Registered by `steward.cli.main`; top-level imports stay light.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from steward.contracts.catalogue import Catalogue, Subject
    from steward.contracts.discover import SchemaFile
    from steward.contracts.findings import ContractFinding, Deprecation
    from steward.contracts.impact import Impacted
    from steward.contracts.lifecycle import Version
    from steward.contracts.report import ContractReport
    from steward.model import Service

FORMATS = ("terminal", "json", "markdown", "sarif")
PROTOBUF_RULES = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE")
MODES = (
    "NONE",
    "BACKWARD",
    "FORWARD",
    "FULL",
    "BACKWARD_TRANSITIVE",
    "FORWARD_TRANSITIVE",
    "FULL_TRANSITIVE",
)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``steward contracts`` and its sub-commands to the `steward` parser."""
    contracts = commands.add_parser("contracts", help="event contracts: compatibility, lifecycle")
    sub = contracts.add_subparsers(title="contracts commands", metavar="COMMAND")
    contracts.set_defaults(handler=lambda _args: _help(contracts))

    check = sub.add_parser("check", help="compare the tree's schemas with those at a git ref")
    check.add_argument("path", nargs="?", default=".", type=Path, help="the tree (default: .)")
    check.add_argument("--against", required=True, metavar="GIT_REF", help="e.g. origin/main")
    _compare_options(check, default_format="terminal")
    check.set_defaults(handler=_cmd_check)

    diff = sub.add_parser("diff", help="compare two schema files or two folders of schemas")
    diff.add_argument("before", type=Path, help="the old schema (Avro: the writer)")
    diff.add_argument("after", type=Path, help="the new schema (Avro: the reader)")
    _compare_options(diff, default_format="json")
    diff.set_defaults(handler=_cmd_diff)

    history = sub.add_parser("history", help="a subject's versions, oldest first, under a mode")
    history.add_argument("versions", nargs="+", type=Path, help="schema files, oldest first")
    history.add_argument("--mode", type=str.upper, choices=MODES, default="BACKWARD")
    history.add_argument("--format", choices=FORMATS, default="json")
    history.set_defaults(handler=_cmd_history)

    ls = sub.add_parser("ls", help="subjects, owners, deprecations and their dates")
    ls.add_argument("path", nargs="?", default=".", type=Path)
    ls.add_argument("--format", choices=("terminal", "json"), default="terminal")
    ls.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD")
    ls.set_defaults(handler=_cmd_ls)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _compare_options(command: argparse.ArgumentParser, default_format: str) -> None:
    command.add_argument("--format", choices=FORMATS, default=default_format)
    command.add_argument(
        "--mode",
        type=str.upper,
        choices=MODES,
        default=None,
        help="Avro/JSON Schema compatibility mode (default: the catalogue's, else BACKWARD)",
    )
    command.add_argument(
        "--rules",
        type=str.upper,
        choices=PROTOBUF_RULES,
        default="FILE",
        help="Protobuf rule category, as buf names them (default: FILE)",
    )
    command.add_argument("--today", type=_day, default=None, metavar="YYYY-MM-DD")
    command.add_argument(
        "--root", type=Path, default=None, help="folder of contracts.yaml and steward.toml"
    )
    command.add_argument("--output", "-o", type=Path, help="write the report to a file")


# --- the commands ---------------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace) -> int:
    from steward.cli.main import UsageError
    from steward.contracts.discover import find_schemas
    from steward.contracts.gitref import GitError, schemas_at_ref

    tree: Path = args.path
    if not tree.is_dir():
        raise UsageError(f"{tree}: not a folder")
    _check_output(args)
    try:
        before = schemas_at_ref(tree, args.against)
    except GitError as error:
        raise UsageError(f"{tree}: {error}") from error
    after = find_schemas(tree)
    title = f"Contract check against {args.against}"
    return _compare(args, tree, tree, before, after, title, approvals_gate=True)


def _cmd_diff(args: argparse.Namespace) -> int:
    from steward.cli.main import UsageError
    from steward.contracts.discover import schemas_at

    before_path: Path = args.before
    after_path: Path = args.after
    for target in (before_path, after_path):
        if not target.exists():
            raise UsageError(f"{target}: no such file or folder")
    if before_path.is_dir() != after_path.is_dir():
        raise UsageError("BEFORE and AFTER must be two folders or two files")
    _check_output(args)
    before_root, before = schemas_at(before_path)
    after_root, after = schemas_at(after_path)
    if not before_path.is_dir():  # two files: one pair, reported under AFTER's path as given
        before = [_renamed(s, after_path.as_posix()) for s in before]
        after = [_renamed(s, after_path.as_posix()) for s in after]
        before_root = after_root = Path(".")
    title = f"Contract diff {before_path} → {after_path}"
    return _compare(
        args,
        before_root,
        after_root,
        before,
        after,
        title,
        approvals_gate=False,
        origin={after_path.as_posix(): before_path},
    )


def _renamed(schema: SchemaFile, path: str) -> SchemaFile:
    from dataclasses import replace

    return replace(schema, path=path)


def _cmd_history(args: argparse.Namespace) -> int:
    from steward.cli.main import UsageError
    from steward.contracts.discover import AVRO, JSONSCHEMA, read_schema, read_text
    from steward.contracts.findings import TOO_DEEP, InvalidSchema
    from steward.contracts.impact import Impacted
    from steward.contracts.modes import check_history
    from steward.contracts.report import ContractReport

    texts, formats = [], set()
    for file in args.versions:
        if not file.is_file():
            raise UsageError(f"{file}: no such file")
        schema = read_schema(file, file.as_posix())
        formats.add(schema.format if schema else JSONSCHEMA)
        try:
            texts.append(schema.text if schema else read_text(file))
        except OSError as error:
            raise UsageError(f"{file}: cannot be read: {error.strerror or error}") from error
    if len(formats) != 1 or not formats <= {AVRO, JSONSCHEMA}:
        raise UsageError("history compares Avro or JSON Schema versions of one format")
    try:
        found = check_history(formats.pop(), texts, args.mode, path=args.versions[-1].as_posix())
    except InvalidSchema as error:
        raise UsageError(str(error)) from error
    except RecursionError:
        raise UsageError(str(InvalidSchema(TOO_DEEP, path=args.versions[-1].as_posix()))) from None
    report = ContractReport(tuple(Impacted(f) for f in found), title=f"History under {args.mode}")
    _write(args, report)
    return 1 if not report.compatible else 0


def _cmd_ls(args: argparse.Namespace) -> int:
    import json

    from steward.cli.main import UsageError

    tree: Path = args.path
    if not tree.is_dir():
        raise UsageError(f"{tree}: not a folder")
    listing = _listing(tree, args.today or date.today())
    if args.format == "json":
        sys.stdout.write(json.dumps({"subjects": listing}, indent=2) + "\n")
    else:
        sys.stdout.write(_listing_text(listing))
    return 0


# --- comparing two sides ----------------------------------------------------------------------------


def _compare(
    args: argparse.Namespace,
    before_root: Path,
    after_root: Path,
    before: list[SchemaFile],
    after: list[SchemaFile],
    title: str,
    *,
    approvals_gate: bool,
    origin: dict[str, Path] | None = None,
) -> int:
    from steward.cli.main import exit_code
    from steward.contracts import lifecycle
    from steward.contracts.report import ContractReport

    today = args.today or date.today()
    context = _Context.load(args.root, after_root if not origin else next(iter(origin.values())))
    not_checked: list[str] = []
    proto = _protobuf(before, after, args.rules, not_checked)
    items: list[Impacted] = []
    blocking = 0
    for path in sorted({s.path for s in before} | {s.path for s in after}):
        old = next((s for s in before if s.path == path), None)
        new = next((s for s in after if s.path == path), None)
        located = (origin or {}).get(path, (after_root if new else before_root) / path)
        subject = context.subject(located, new or old)
        found, shapes = _pair(old, new, subject, args.mode, today, proto)
        found += lifecycle.approval_findings(found, shapes, subject, today)
        blocking += len(
            lifecycle.blocking(found, shapes, subject)
            if approvals_gate
            else [f for f in found if f.breaking]
        )
        items += context.impact(found, subject, new or old)
    not_checked += [i.finding.message for i in items if "UNCHECKED" in i.finding.categories]
    report = ContractReport(tuple(items), tuple(not_checked), title)
    _write(args, report)
    return exit_code(blocking, len(not_checked))


def _pair(
    old: SchemaFile | None,
    new: SchemaFile | None,
    subject: Subject | None,
    mode: str | None,
    today: date,
    proto: _Protobuf,
) -> tuple[list[ContractFinding], list[Any]]:
    from steward.contracts import lifecycle
    from steward.contracts.findings import TOO_DEEP, InvalidSchema
    from steward.contracts.modes import InvalidMode

    chosen = mode or (subject.compatibility if subject else "BACKWARD")
    try:
        before = lifecycle.version(old, proto.markers(old, "before")) if old else None
        after = lifecycle.version(new, proto.markers(new, "after")) if new else None
        found = lifecycle.compare(before, after, subject=subject, mode=chosen, today=today)
    except (InvalidSchema, InvalidMode) as error:
        return [lifecycle.unreadable((new or old).path, error)], []  # type: ignore[union-attr]  # one side is always given
    except RecursionError:  # read, but too deep for the checker's walk
        too_deep = InvalidSchema(TOO_DEEP, path=(new or old).path, line=1)  # type: ignore[union-attr]
        return [lifecycle.unreadable(too_deep.path, too_deep)], []
    found = proto.findings_for((new or old).path) + found  # type: ignore[union-attr]  # as above
    return found, [v.shape for v in (after, before) if v is not None]


class _Context:
    """The catalogue, services and their source code that findings are related to."""

    def __init__(self, root: Path, catalogue: Catalogue, services: list[Service]) -> None:
        self.root = root
        self.catalogue = catalogue
        self.services = services
        self._sources: dict[str, dict[str, str]] | None = None

    @classmethod
    def load(cls, root: Path | None, near: Path) -> _Context:
        from steward.cli.main import UsageError
        from steward.config import ConfigError, load
        from steward.contracts.catalogue import InvalidCatalogue
        from steward.contracts.discover import find_services, load_catalogue, project_root

        base = (root or project_root(near)).resolve()
        try:
            return cls(base, load_catalogue(base), find_services(base, load(base)))
        except (InvalidCatalogue, ConfigError) as error:
            raise UsageError(str(error)) from error

    def subject(self, file: Path, schema: SchemaFile | None) -> Subject | None:
        folder = Path(self.catalogue.path).parent.resolve()
        try:
            relative = file.resolve().relative_to(folder).as_posix()
        except ValueError:
            return None
        return self.catalogue.for_schema(relative)

    def sources(self) -> dict[str, dict[str, str]]:
        from steward.contracts.discover import read_sources

        if self._sources is None:
            self._sources = {s.name: read_sources(self.root, s) for s in self.services}
        return self._sources

    def impact(
        self, found: list[ContractFinding], subject: Subject | None, schema: SchemaFile | None
    ) -> list[Impacted]:
        from steward.contracts.impact import Impacted, affected

        if not found:
            return []
        reached = affected(subject, schema, self.services, self.sources())
        name, owner = (subject.name, subject.owner) if subject else ("", "")
        return [
            Impacted(f, name, owner, reached if f.breaking or _actionable(f) else ()) for f in found
        ]


def _actionable(found: ContractFinding) -> bool:
    return "LIFECYCLE" in found.categories or "APPROVAL" in found.categories


class _Protobuf:
    """Protobuf findings and deprecation markers, from `steward.contracts.protobuf` when present."""

    def __init__(self) -> None:
        self.found: dict[str, list[ContractFinding]] = {}
        self.marks: dict[tuple[str, str], list[Deprecation]] = {}

    def findings_for(self, path: str) -> list[ContractFinding]:
        return self.found.get(path, [])

    def markers(self, schema: SchemaFile, side: str) -> list[Deprecation] | None:
        from steward.contracts.discover import PROTOBUF

        return self.marks.get((side, schema.path), []) if schema.format == PROTOBUF else None


def _protobuf(
    before: list[SchemaFile], after: list[SchemaFile], rules: str, not_checked: list[str]
) -> _Protobuf:
    """Run the Protobuf checker over the ``.proto`` files of both sides, when it is installed."""
    import tempfile

    from steward.contracts.discover import PROTOBUF
    from steward.contracts.gitref import materialise

    result = _Protobuf()
    old = [s for s in before if s.format == PROTOBUF]
    new = [s for s in after if s.format == PROTOBUF]
    protobuf = _protobuf_package(old or new, not_checked)
    if protobuf is None:
        return result
    with tempfile.TemporaryDirectory() as tmp:
        a, b = materialise(old, Path(tmp, "before")), materialise(new, Path(tmp, "after"))
        try:
            for f in protobuf.check(a, b, categories=(rules,)):
                result.found.setdefault(_relative(f.path, b), []).append(f)
            for side, root, files in (("before", a, old), ("after", b, new)):
                for mark in protobuf.deprecations(root):
                    _attribute(result, side, mark, root, files)
        except Exception as error:  # a checker failure is "not checked", never a crash
            not_checked.append(f"protobuf: the checker failed: {error}")
    return result


def _protobuf_package(files: list[SchemaFile], not_checked: list[str]) -> Any:
    """`steward.contracts.protobuf` when there are ``.proto`` files and it can be imported."""
    import importlib

    if not files:
        return None
    try:
        package = importlib.import_module("steward.contracts.protobuf")
        package.check, package.deprecations  # noqa: B018  # both entry points must exist
    except (ImportError, AttributeError) as error:
        not_checked.append(
            f"protobuf: not available ({error}); {len(files)} .proto file(s) not checked"
        )
        return None
    return package


def _proto_marks(schemas: list[SchemaFile], not_checked: list[str]) -> _Protobuf:
    """Deprecation markers of the ``.proto`` files among ``schemas`` (side "after")."""
    import tempfile

    from steward.contracts.discover import PROTOBUF
    from steward.contracts.gitref import materialise

    result = _Protobuf()
    files = [s for s in schemas if s.format == PROTOBUF]
    protobuf = _protobuf_package(files, not_checked)
    if protobuf is None:
        return result
    with tempfile.TemporaryDirectory() as tmp:
        root = materialise(files, Path(tmp))
        try:
            for mark in protobuf.deprecations(root):
                _attribute(result, "after", mark, root, files)
        except Exception as error:  # a checker failure is "not checked", never a crash
            not_checked.append(f"protobuf: the checker failed: {error}")
    return result


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _attribute(
    result: _Protobuf, side: str, mark: Deprecation, root: Path, files: list[SchemaFile]
) -> None:
    """File a Protobuf deprecation marker under its schema file (by its path, else its location)."""
    path = getattr(mark, "path", None) or getattr(mark, "file", None)
    if isinstance(path, str):
        path = _relative(path, root)
    else:
        path = next((s.path for s in files if mark.location.split("#")[0] == s.path), None)
    targets = [path] if path else [s.path for s in files]
    for target in targets:
        result.marks.setdefault((side, target), []).append(mark)


def _check_output(args: argparse.Namespace) -> None:
    """A usage error, before any work, when ``--output`` points into a folder that is missing."""
    from steward.cli.main import UsageError

    output: Path | None = getattr(args, "output", None)
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"--output {output}: no folder {output.parent}")


def _write(args: argparse.Namespace, report: ContractReport) -> None:
    from steward.cli.main import UsageError
    from steward.contracts.report import render

    text = render(report, args.format)
    output: Path | None = getattr(args, "output", None)
    if not output:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--output {output}: {error.strerror or error}") from error


# --- ls -------------------------------------------------------------------------------------------


def _listing(tree: Path, today: date) -> list[dict[str, Any]]:
    from steward.contracts.discover import find_schemas

    context = _Context.load(None, tree)
    rows = []
    found = find_schemas(tree)
    proto = _proto_marks(found, [])
    schemas = {(tree / s.path).resolve(): s for s in found}
    listed = set()
    for subject in context.catalogue.subjects:
        file = (Path(context.catalogue.path).parent / subject.schema).resolve()
        schema = schemas.get(file)
        listed.add(file)
        rows.append(_row(subject.name, subject, schema, today, context, subject.schema, proto))
    for file, schema in sorted(schemas.items()):
        if file not in listed:
            rows.append(_row("", None, schema, today, context, schema.path, proto))
    return rows


def _row(
    name: str,
    subject: Subject | None,
    schema: SchemaFile | None,
    today: date,
    context: _Context,
    path: str,
    proto: _Protobuf,
) -> dict[str, Any]:
    from steward.contracts import lifecycle
    from steward.contracts.findings import TOO_DEEP, InvalidSchema
    from steward.contracts.impact import affected

    markers: dict[str, str] = {}
    problems: list[str] = []
    current: Version | None = None
    if schema is not None:
        try:
            current = lifecycle.version(schema, proto.markers(schema, "after"))
            markers = {k: v.note for k, v in current.markers.items()}
        except InvalidSchema as error:
            problems.append(str(error))
        except RecursionError:  # read, but too deep for the walk that finds its elements
            problems.append(str(InvalidSchema(TOO_DEEP, path=schema.path, line=1)))
    deprecations: list[dict[str, Any]] = [
        {
            "element": d.element,
            "announced": d.announced.isoformat() if d.announced else None,
            "sunset": d.sunset.isoformat() if d.sunset else None,
            "status": _status(d.sunset, today),
            "marked_in_schema": any(_same(d.element, m) for m in markers),
        }
        for d in (subject.deprecations if subject else ())
    ]
    planned = [d.element for d in (subject.deprecations if subject else ())]
    deprecations += [
        {
            "element": m,
            "announced": None,
            "sunset": None,
            "status": "no sunset recorded",
            "marked_in_schema": True,
            "note": note,
        }
        for m, note in markers.items()
        if not any(_same(p, m) for p in planned)
    ]
    reached = affected(subject, schema, context.services, context.sources())
    return {
        "subject": name,
        "topic": subject.topic if subject else "",
        "schema": path,
        "format": schema.format if schema else "missing",
        "owner": subject.owner if subject else "",
        "approvers": list(subject.approvers) if subject else [],
        "approval_sla": subject.sla.text if subject else "",
        "compatibility": subject.compatibility if subject else "",
        "services": [
            {"service": a.service, "roles": list(a.roles), "owners": list(a.owners)}
            for a in reached
        ],
        "deprecations": deprecations,
        "problems": problems,
    }


def _same(declared: str, element: str) -> bool:
    from steward.contracts.catalogue import same_element

    return same_element(declared, element)


def _status(sunset: date | None, today: date) -> str:
    if sunset is None:
        return "no sunset recorded"
    if sunset < today:
        return f"past sunset by {(today - sunset).days} days"
    return f"{(sunset - today).days} days to sunset"


def _listing_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        head = row["subject"] or "(not in the catalogue)"
        lines.append(f"{head}  {row['schema']}  [{row['format']}]")
        if row["owner"]:
            lines.append(
                f"    owner {row['owner']}; approvers {', '.join(row['approvers']) or '—'}; SLA {row['approval_sla']}; {row['compatibility']}"
            )
        for service in row["services"]:
            lines.append(
                f"    {'/'.join(service['roles']):<18} {service['service']} {' '.join(service['owners'])}"
            )
        for dep in row["deprecations"]:
            lines.append(
                f"    deprecated {dep['element']}: announced {dep['announced'] or '—'}, sunset {dep['sunset'] or '—'} ({dep['status']})"
            )
        lines.extend(f"    problem: {p}" for p in row["problems"])
    return "\n".join(lines) + "\n" if lines else "no contracts found\n"
