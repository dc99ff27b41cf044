"""Public-API diffs of two versions of a package, from their files' text (never executed).

One module per ecosystem, each with ``surface`` / ``diff`` functions that read extracted file
texts (``{path: text}``) and return `ApiChange` items: `python` (griffe, static analysis only),
`npm` (the ``.d.ts`` type declarations a package ships) and `golang` (exported declarations read
with the tree-sitter Go grammar). `evidence` turns changes into `steward.model.Evidence`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from steward.model import Evidence, EvidenceKind

#: Extracted files of one version: POSIX path inside the package → text.
Files = Mapping[str, str]

#: Breaking changes quoted per evidence detail; the rest are counted.
DETAIL_SHOWN = 20


@dataclass(frozen=True, slots=True)
class ApiChange:
    """One difference in a public API: ``removed``, ``changed`` or ``added`` ``symbol``."""

    symbol: str
    change: str
    detail: str = ""
    breaking: bool = True


def diff_surfaces(old: Mapping[str, str], new: Mapping[str, str]) -> list[ApiChange]:
    """Changes between two API surfaces (symbol → normalised signature), breaking first.

    A removed symbol or a changed signature breaks; an added one does not.
    """
    changes = [ApiChange(s, "removed", old[s]) for s in sorted(old) if s not in new]
    changes += [
        ApiChange(s, "changed", f"{old[s]} → {new[s]}")
        for s in sorted(old)
        if s in new and old[s] != new[s]
    ]
    changes += [ApiChange(s, "added", new[s], breaking=False) for s in sorted(new) if s not in old]
    return changes


def evidence(changes: Sequence[ApiChange], source: str) -> tuple[Evidence, ...]:
    """One `Evidence` summing up ``changes`` (breaking when any change breaks)."""
    breaking = [c for c in changes if c.breaking]
    added = len(changes) - len(breaking)
    if not breaking:
        summary = f"no breaking public-API change ({added} additions)"
        return (Evidence(EvidenceKind.API, source, summary, breaking=False),)
    counts: dict[str, int] = {}
    for change in breaking:
        counts[change.change] = counts.get(change.change, 0) + 1
    parts = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    first = breaking[0]
    summary = f"public API: {parts} (e.g. {first.symbol} {first.change})"
    lines = [f"{c.change}: {c.symbol}" + (f" — {c.detail}" if c.detail else "") for c in breaking]
    if len(lines) > DETAIL_SHOWN:
        lines = [*lines[:DETAIL_SHOWN], f"… and {len(lines) - DETAIL_SHOWN} more"]
    return (Evidence(EvidenceKind.API, source, summary, "\n".join(lines)),)
