"""`steward images …` commands (registered by `steward.cli.main`).

``steward images [PATH]``            every image reference with its findings, and what its OS
                                     packages are vulnerable to (not ``--offline``)
``steward images update PATH``       rewrite references to newer tags (``--policy``), print the diff
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

FORMATS = ("terminal", "json", "markdown", "sarif")


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``images`` to the `steward` parser."""
    from steward.cli.main import FAIL_ON

    images = commands.add_parser(
        "images",
        help="container images: references, newer tags, digests, end of life, OS packages",
        description="List every image a tree names (Dockerfiles, compose, Kubernetes, Helm values) "
        "with newer tags, digest drift, end-of-life runtimes and OSes, and the known "
        "vulnerabilities of the OS packages inside each image (Debian, Alpine). "
        "`steward images update PATH --policy minor` rewrites references in place.",
    )
    images.add_argument(
        "target", nargs="*", metavar="[update] PATH", help="the tree to scan (default .)"
    )
    images.add_argument("--format", choices=FORMATS, default="terminal")
    images.add_argument("--offline", action="store_true", help="answer lookups from the cache only")
    images.add_argument("--fail-on", choices=FAIL_ON, default="never")
    images.add_argument("--output", "-o", type=Path, help="write the report to a file")
    images.add_argument(
        "--policy", choices=("patch", "minor", "digest"), default="minor", help="for update"
    )
    images.add_argument("--dry-run", action="store_true", help="for update: print the diff only")
    images.set_defaults(handler=_cmd_images)


def _cmd_images(args: argparse.Namespace) -> int:
    from steward.cli.main import UsageError

    target: list[str] = list(args.target)
    update = bool(target) and target[0] == "update"
    if update:
        target = target[1:]
    if len(target) > 1:
        raise UsageError("images: at most one PATH")
    root = Path(target[0]) if target else Path(".")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    if args.output is not None and not args.output.parent.is_dir():
        raise UsageError(f"--output {args.output}: no folder {args.output.parent}")
    result = _run(root, args.offline)
    if update:
        return _update(root, result, args)
    return _report(root, result, args)


def _run(root: Path, offline: bool) -> Any:
    import os
    from datetime import date

    from steward import config
    from steward.cli.main import UsageError
    from steward.images import pipeline, settings

    try:
        settings_ = _settings(root)
        images = settings.load(root, os.environ, Path.home())
    except (config.ConfigError, settings.ImageSettingsError) as error:
        raise UsageError(str(error)) from error
    return pipeline.run(
        root,
        settings_,
        images,
        offline=offline,
        today=date.today(),
        cache_dir=pipeline.default_cache_dir(),
    )


def _settings(root: Path) -> Any:
    """Steward's settings, with the ``[images]`` table left to `steward.images.settings`."""
    import tomllib

    from steward import config

    path = root / "steward.toml"
    if not path.is_file():
        return config.load(root)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise config.ConfigError(f"{path}: {error}") from error
    table.pop("images", None)
    return config.parse(path, table)


def _report(root: Path, result: Any, args: argparse.Namespace) -> int:
    from steward import __version__
    from steward.analysis.findings import at_least
    from steward.cli.main import exit_code
    from steward.images import render
    from steward.model import Severity

    statuses, problems = result.statuses, result.problems
    text = {
        "json": lambda: render.render_json(str(root), statuses, problems),
        "markdown": lambda: render.render_markdown(str(root), statuses, problems),
        "sarif": lambda: render.render_sarif(str(root), statuses, problems, __version__),
        "terminal": lambda: render.render_terminal(str(root), statuses, problems),
    }[args.format]()
    _write(args, text)
    findings = [f for s in statuses for f in s.findings if f.rule != "image-not-checked"]
    over = 0 if args.fail_on == "never" else len(at_least(findings, Severity(args.fail_on)))
    unchecked = sum(1 for s in statuses if not s.checked and s.ref.skip_reason is None)
    unscanned = sum(1 for s in statuses if s.contents is not None and s.contents.failed)
    return exit_code(over, unchecked + unscanned)


def _update(root: Path, result: Any, args: argparse.Namespace) -> int:
    from steward.images.update import apply, plan

    edits = plan(result.statuses, args.policy)
    diff = apply(root, edits, write=not args.dry_run)
    _write(args, diff or "steward: nothing to update\n")
    return 0


def _write(args: argparse.Namespace, text: str) -> None:
    from steward.cli.main import UsageError

    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"--output {args.output}: {error.strerror or error}") from error
    else:
        sys.stdout.write(text)
