"""Scan history: store each scan under ``<root>/.steward/`` and report drift over time."""

from __future__ import annotations

from pathlib import Path

from steward.scan import ScanResult


def database(root: Path) -> Path:
    """Where a tree's scan history lives."""
    return root / ".steward" / "steward.db"


def record_scan(result: ScanResult) -> None:
    """Store ``result`` (placeholder until the store lands)."""


def history_report(root: Path, limit: int, fmt: str) -> str:
    """The history of ``root``'s scans, rendered (placeholder until the store lands)."""
    return "no history yet\n"
