"""The two entry points: compare two versions of a Protobuf contract, list its deprecations.

Both take paths: an import root (a directory; every ``.proto`` under it is compiled, imports
resolve against it and the well-known types) or a single ``.proto`` file (its folder is the import
root). Compilation goes through `compile`; the comparison and the deprecation scan are pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from steward.contracts.findings import ContractFinding, Deprecation, InvalidSchema
from steward.contracts.protobuf import breaking
from steward.contracts.protobuf import deprecations as marks
from steward.contracts.protobuf.compile import Compiled, compile_file, compile_root
from steward.contracts.protobuf.index import index
from steward.contracts.protobuf.rules import COMPILE, rules_for


def check(
    before: Path, after: Path, *, categories: Sequence[str] = ("FILE",)
) -> list[ContractFinding]:
    """Breaking changes from ``before`` to ``after`` under buf's rule ``categories``.

    ``before`` and ``after`` are both import roots or both ``.proto`` files (two files are compared
    as one file under ``after``'s name). ``categories`` are buf's (``FILE``, ``PACKAGE``,
    ``WIRE_JSON``, ``WIRE``, ``CSR``); informational findings (a field or enum value deleted with
    its number and name reserved) come whatever the categories. A file that does not compile on
    either side is a breaking ``COMPILE`` finding with its path and line, and the rest is still
    compared (a file broken on one side is left out on both, so it is not reported as deleted).
    Raises `rules.InvalidCategory` for an unknown category and `InvalidSchema` when a
    path does not exist or the two are not of the same kind.
    """
    chosen = rules_for(list(categories))
    old, new = _compile_pair(before, after)
    found = _compile_findings(old, "before") + _compile_findings(new, "after")
    broken = {error.path for error in (*old.errors, *new.errors)}
    old_side = index(old.files, [name for name in old.targets if name not in broken])
    new_side = index(new.files, [name for name in new.targets if name not in broken])
    return found + breaking.compare(old_side, new_side, chosen)


def deprecations(root: Path) -> list[Deprecation]:
    """Every element marked ``deprecated = true`` under ``root`` (an import root or one file).

    Files that do not compile are skipped.
    """
    compiled = _compile(root)
    return marks.deprecations(index(compiled.files, compiled.targets))


def _compile(path: Path, *, name: str | None = None) -> Compiled:
    if path.is_dir():
        return compile_root(path)
    if path.is_file():
        return compile_file(path, name=name)
    raise InvalidSchema("no such file or directory", path=str(path))


def _compile_pair(before: Path, after: Path) -> tuple[Compiled, Compiled]:
    for path in (before, after):
        if not path.exists():
            raise InvalidSchema("no such file or directory", path=str(path))
    if before.is_dir() != after.is_dir():
        raise InvalidSchema(
            "before and after must both be directories or both .proto files", path=str(after)
        )
    return _compile(before, name=after.name), _compile(after)


def _compile_findings(compiled: Compiled, side: str) -> list[ContractFinding]:
    return [
        ContractFinding(
            COMPILE.id,
            error.path,
            error.line,
            "",
            f"{side}: {error.message}",
            True,
            COMPILE.categories,
        )
        for error in compiled.errors
    ]
