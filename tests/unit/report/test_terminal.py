"""The terminal report: what it lists, and what it only counts."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from steward.model import Dependency, DependencyStatus, Service
from steward.report.document import ScanView
from steward.report.terminal import render_terminal

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _view(*, with_current: bool) -> ScanView:
    toolchain = Dependency(
        "go", "go", "1.21", "svc/go.mod", 3, "go", skip_reason="Go toolchain version: not a module"
    )
    dependencies = [("svc", toolchain)]
    statuses = []
    if with_current:
        module = Dependency("go", "github.com/a/b", "v1.0.0", "svc/go.mod", 5, "require")
        dependencies.append(("svc", module))
        statuses.append(DependencyStatus(module, "svc", True, current="v1.0.0", latest="v1.0.0"))
    return ScanView(
        root="shop",
        version="0.1.0",
        started=NOW,
        services=[Service("svc", "svc")],
        dependencies=dependencies,
        problems=[],
        statuses=statuses,
        sources={"go": "http://127.0.0.1:1/"},
        looked_up=True,
    )


def _text(view: ScanView) -> str:
    console = Console(file=io.StringIO(), width=200, record=True, color_system=None)
    render_terminal(view, console)
    return console.export_text()


def test_a_skipped_dependency_is_never_called_current() -> None:
    text = _text(_view(with_current=False))
    assert "current" not in text.split("1 services")[0]
    assert "1 skipped" in text.split("1 services")[0]


def test_current_and_skipped_dependencies_are_counted_apart() -> None:
    text = _text(_view(with_current=True))
    assert "  1 current, 1 skipped\n" in text
