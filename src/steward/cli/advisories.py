"""`steward advisories …` commands (registered by `steward.cli.main`)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add this area's commands to the `steward` parser (none yet)."""
