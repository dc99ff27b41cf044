"""When did the line that sets a version last change? ``git blame`` on that one line (I/O).

Used for cadence when no ``steward infra record`` says when a component was upgraded. Outside a
git work tree, without ``git``, or for a line not yet committed, the answer is None.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path


def line_changed(root: Path, file: str, line: int) -> datetime | None:
    """The committer time of the last commit that changed ``file``'s ``line`` (1-based)."""
    if shutil.which("git") is None or line < 1:
        return None
    try:
        done = subprocess.run(
            ["git", "blame", "--porcelain", "-L", f"{line},{line}", "--", file],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0 or done.stdout.startswith("0000000000000000000000000000000000000000"):
        return None
    for row in done.stdout.splitlines():
        if row.startswith("committer-time "):
            return datetime.fromtimestamp(int(row.split()[1]), UTC)
    return None
