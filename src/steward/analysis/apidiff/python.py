"""Python packages: griffe's breaking-change detection on two versions' sources.

The modules are *visited* (parsed to an AST by griffe), never imported, so no code of the
package runs. Input is the extracted text of a wheel's (or sdist's) ``.py`` / ``.pyi`` files;
``*.dist-info``, ``*.data``, tests and private top-level modules are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import griffe

from steward.analysis.apidiff import ApiChange, Files

_SKIPPED_PARTS = ("tests", "test", "testing")


def modules(files: Files) -> dict[str, str]:
    """Dotted module name → source, for the public modules of a distribution's files."""
    found: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith((".py", ".pyi")):
            continue
        parts = path.rsplit(".", 1)[0].split("/")
        if any(p.endswith((".dist-info", ".data", ".egg-info")) for p in parts):
            continue
        if parts[0].startswith("_") or parts[0] in _SKIPPED_PARTS or not _identifiers(parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name and (name not in found or path.endswith(".pyi")):
            found[name] = text
    return found


def _identifiers(parts: list[str]) -> bool:
    return all(p.isidentifier() for p in parts)


def load(files: Files) -> dict[str, griffe.Module]:
    """Top-level package name → griffe module tree, visited statically from ``files``."""
    sources = modules(files)
    lines = griffe.LinesCollection()
    collection = griffe.ModulesCollection()
    built: dict[str, griffe.Module] = {}
    for name in sorted(sources, key=lambda n: (n.count("."), n)):
        parent_name, _, short = name.rpartition(".")
        parent = built.get(parent_name) if parent_name else None
        if parent_name and parent is None:
            continue  # a sub-module whose package has no __init__: not importable as such
        filepath = Path(*name.split("."), "__init__.py" if _is_package(name, sources) else "")
        lines[filepath] = sources[name].splitlines()
        try:
            module = griffe.visit(
                short,
                filepath,
                sources[name],
                parent=parent,
                lines_collection=lines,
                modules_collection=collection,
            )
        except (SyntaxError, ValueError):
            continue
        if parent is not None:
            parent.set_member(short, module)
        else:
            collection.set_member(short, module)
        built[name] = module
    return {name: module for name, module in built.items() if "." not in name}


def _is_package(name: str, sources: dict[str, str]) -> bool:
    return any(other.startswith(name + ".") for other in sources)


def diff(old: Files, new: Files) -> list[ApiChange]:
    """Breaking changes griffe finds between the two versions' public APIs, in order."""
    before, after = load(old), load(new)
    changes: list[ApiChange] = []
    for name, module in sorted(before.items()):
        if name not in after:
            changes.append(ApiChange(name, "removed", "package no longer shipped"))
            continue
        try:
            found = list(griffe.find_breaking_changes(module, after[name]))
        except (griffe.AliasResolutionError, griffe.CyclicAliasError, KeyError):
            continue
        changes += [_change(b) for b in found]
    return changes


def _change(breakage: griffe.Breakage) -> ApiChange:
    kind = breakage.kind
    change = "removed" if kind is griffe.BreakageKind.OBJECT_REMOVED else "changed"
    detail = kind.value
    old, new = _value(breakage.old_value), _value(breakage.new_value)
    if kind is not griffe.BreakageKind.OBJECT_REMOVED and (old or new):
        detail += f": {old or '(none)'} → {new or '(none)'}"
    return ApiChange(breakage.obj.path, change, detail)


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, griffe.Parameter):
        default = f" = {value.default}" if value.default is not None else ""
        return f"{value.name}{default}"
    if isinstance(value, griffe.Object | griffe.Alias):
        return value.kind.value if hasattr(value, "kind") else str(value)
    return str(value)
