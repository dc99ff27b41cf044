"""``steward infra record``: which version runs in which environment since when (I/O).

Records live in ``.steward/infra-records.json`` under the tree's root: a JSON list of
``{"environment", "component", "version", "at"}`` (``at`` in ISO 8601, UTC). A broken file is an
`InvalidRecords` error naming it; nothing is silently dropped.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from steward.infra.model import Record

FILE = Path(".steward") / "infra-records.json"


class InvalidRecords(ValueError):
    """The records file cannot be read; the message names it."""


def path(root: Path) -> Path:
    """Where the records of the tree at ``root`` are kept."""
    return root / FILE


def load(root: Path) -> tuple[Record, ...]:
    """Every record of the tree at ``root`` (none when the file does not exist)."""
    target = path(root)
    if not target.is_file():
        return ()
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
        return tuple(
            Record(e["environment"], e["component"], e["version"], datetime.fromisoformat(e["at"]))
            for e in raw
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise InvalidRecords(f"{target}: {error}") from error


def add(
    root: Path, environment: str, component: str, version: str, at: datetime | None = None
) -> Record:
    """Append a record (now, unless ``at`` is given) and write the file atomically."""
    record = Record(environment, component, version, at or datetime.now(UTC))
    records = [*load(root), record]
    target = path(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(
        [
            {
                "environment": r.environment,
                "component": r.component,
                "version": r.version,
                "at": r.at.isoformat(),
            }
            for r in records
        ],
        indent=2,
    )
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".infra-records.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(body + "\n")
    os.replace(temporary, target)
    return record
