"""``steward images update``: rewrite references in place, formatting preserved, as a reviewable diff.

Policies: ``patch`` (newest patch of the same suffix and precision), ``minor`` (newest minor,
else patch) and ``digest`` (pin the digest the tag points at now, or refresh a pinned one). A
reference pinned by digest keeps a digest: the new tag's digest, resolved during the lookup.
Only references written literally on one line are rewritten (not ``${VAR}`` ones, nor Helm
values split over several keys); the text is replaced on its own line, nothing else changes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from steward.images.analysis import ImageStatus


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``old`` with ``new`` on ``line`` (1-based) of ``file``."""

    file: str
    line: int
    old: str
    new: str


def plan(statuses: Iterable[ImageStatus], policy: str) -> list[Edit]:
    """The edits a policy asks for, one per reference that has somewhere to go."""
    edits: list[Edit] = []
    for status in statuses:
        new = _target(status, policy)
        ref = status.ref
        if (
            new is not None
            and ref.written is not None
            and ref.written == ref.text
            and new != ref.text
        ):
            edits.append(Edit(ref.file, ref.line, ref.written, new))
    return edits


def _target(status: ImageStatus, policy: str) -> str | None:
    ref, lookup = status.ref, status.lookup
    reference = ref.reference
    if reference is None or not status.checked:
        return None
    if policy == "digest":
        if lookup.digest is None or reference.tag is None:
            return None
        return f"{reference.name}:{reference.tag}@{lookup.digest}"
    best = status.updates.best(policy) if status.updates else None
    if best is None:
        return None
    tag = best[0]
    if reference.digest is None:
        return f"{reference.name}:{tag}"
    digest = lookup.candidate_digests.get(tag)
    return f"{reference.name}:{tag}@{digest}" if digest else None


def apply(root: Path, edits: Sequence[Edit], *, write: bool) -> str:
    """Apply ``edits`` (when ``write``) and return the unified diff of every changed file."""
    diffs: list[str] = []
    for file in sorted({edit.file for edit in edits}):
        path = root / file
        with open(path, encoding="utf-8", newline="") as stream:
            before = stream.read().splitlines(keepends=True)
        after = _edited(before, [e for e in edits if e.file == file])
        if after == before:
            continue
        diffs.extend(difflib.unified_diff(before, after, f"a/{file}", f"b/{file}"))
        if write:
            with open(path, "w", encoding="utf-8", newline="") as stream:
                stream.write("".join(after))
    return "".join(diffs)


def _edited(lines: list[str], edits: Sequence[Edit]) -> list[str]:
    result = list(lines)
    for edit in edits:
        index = edit.line - 1
        if 0 <= index < len(result) and edit.old in result[index]:
            result[index] = result[index].replace(edit.old, edit.new, 1)
    return result
