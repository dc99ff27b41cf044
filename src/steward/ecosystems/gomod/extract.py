"""go.mod and go.work → Dependencies. Pure: files are read only through the given reader.

For a go.mod every ``require`` is one dependency: ``constraint`` is the version as written and
``locked`` its canonical form (Minimal Version Selection starts from it), ``dep_type`` is
``indirect`` for a ``// indirect`` line and ``require`` otherwise. ``replace`` directives apply as
the go command applies them (a replacement naming the version wins over one for every version):
a local directory makes the dependency skipped, a module makes it looked up under the replacement.
``go`` and ``toolchain`` lines are reported, never looked up.

When the go.mod belongs to a Go workspace (the nearest go.work in its folder or above lists it in
``use``), the go.work's replacements win over the go.mod's, and a requirement on another
workspace module is satisfied by that local module, so it is skipped.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from steward.ecosystems.gomod.modfile import (
    ModFile,
    Pinned,
    Replace,
    Require,
    parse_mod,
    parse_work,
)
from steward.model import Dependency, Extraction, Problem, Reader

ECOSYSTEM = "go"
TOOLCHAIN_SKIP = "Go toolchain version: not a module"
_CLAIMED = ("go.mod", "go.work")


def claims(basename: str) -> bool:
    """True for the files this ecosystem reads: ``go.mod`` and ``go.work``."""
    return basename in _CLAIMED


def extract(directory: str, filenames: Sequence[str], read: Reader) -> Extraction:
    """The dependencies declared by the go.mod / go.work of one folder, and their problems."""
    result = Extraction()
    for name in _CLAIMED:
        if name not in filenames:
            continue
        path = _join(directory, name)
        try:
            text = read(path)
        except (OSError, ValueError) as error:
            result.problems.append(Problem(path, 0, f"cannot read {name}: {error}"))
            continue
        if name == "go.mod":
            result.extend(_extract_mod(directory, path, text, read))
        else:
            result.extend(_extract_work(directory, path, text, read))
    return result


def _join(directory: str, name: str) -> str:
    return name if directory in (".", "") else f"{directory}/{name}"


def _problems(path: str, file: ModFile) -> list[Problem]:
    return [Problem(path, p.line, p.message) for p in file.problems]


def _toolchain_deps(path: str, file: ModFile) -> list[Dependency]:
    found = [("go", file.go), ("toolchain", file.toolchain)]
    return [
        Dependency(ECOSYSTEM, "go", pin.value, path, pin.line, kind, skip_reason=TOOLCHAIN_SKIP)
        for kind, pin in found
        if pin is not None
    ]


# --- go.mod -------------------------------------------------------------------------------------


def _extract_mod(directory: str, path: str, text: str, read: Reader) -> Extraction:
    mod = parse_mod(text)
    workspace = find_workspace(directory, read)
    deps = _toolchain_deps(path, mod)
    deps += [_require(path, mod, workspace, req) for req in mod.requires]
    deps.sort(key=lambda d: d.line)
    return Extraction(deps, _problems(path, mod) + _conflicts(path, mod.replaces))


def _require(path: str, mod: ModFile, workspace: Workspace | None, req: Require) -> Dependency:
    dep = Dependency(
        ecosystem=ECOSYSTEM,
        name=req.path,
        constraint=req.written,
        file=path,
        line=req.line,
        dep_type="indirect" if req.indirect else "require",
        locked=req.version,
    )
    dep = _excluded(dep, mod.excludes)
    member = workspace.members.get(req.path) if workspace else None
    if member is not None and workspace is not None:
        return replace(dep, skip_reason=f"workspace module {member} ({workspace.file})")
    if workspace is not None:
        found = _replacement(workspace.replaces, req)
        if found is not None:
            return _replaced(dep, found, f" ({workspace.file})")
    found = _replacement(mod.replaces, req)
    return dep if found is None else _replaced(dep, found, "")


def _excluded(dep: Dependency, excludes: list[Pinned]) -> Dependency:
    for pin in excludes:
        if pin.path == dep.name and pin.value == dep.locked:
            note = f"{pin.value} is excluded at line {pin.line}: the go command ignores this requirement"
            return replace(dep, notes=(*dep.notes, note))
    return dep


def _replacement(replaces: list[Replace], req: Require) -> Replace | None:
    """The replacement the go command uses: one naming this version, else one for any version."""
    same_path = [r for r in replaces if r.old_path == req.path]
    for rule in same_path:
        if rule.old_version == req.version:
            return rule
    return next((r for r in same_path if r.old_version is None), None)


def _replaced(dep: Dependency, rule: Replace, origin: str) -> Dependency:
    if rule.new_version is None:
        return replace(dep, skip_reason=f"replaced by local path {rule.new_path}{origin}")
    note = f"replaced by {rule.new_path} {rule.new_version}{origin}"
    return replace(dep, package=rule.new_path, locked=rule.new_version, notes=(*dep.notes, note))


def _conflicts(path: str, replaces: list[Replace]) -> list[Problem]:
    """Two replacements of the same module (and version) with different targets."""
    seen: dict[tuple[str, str | None], Replace] = {}
    problems = []
    for rule in replaces:
        key = (rule.old_path, rule.old_version)
        first = seen.setdefault(key, rule)
        if (first.new_path, first.new_version) != (rule.new_path, rule.new_version):
            old = rule.old_path + (f"@{rule.old_version}" if rule.old_version else "")
            message = f"conflicting replacements for {old}: line {first.line} wins over this one"
            problems.append(Problem(path, rule.line, message))
    return problems


# --- go.work ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workspace:
    """The go.work a module belongs to: its replacements and its modules (path → use entry)."""

    file: str
    replaces: list[Replace] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)


def _ancestors(directory: str) -> list[str]:
    folders = []
    current = posixpath.normpath(directory)
    while current not in (".", "", "/"):
        folders.append(current)
        current = posixpath.dirname(current)
    return [*folders, "."]


def _try_read(read: Reader, path: str) -> str | None:
    try:
        return read(path)
    except (OSError, ValueError):
        return None


def _use_target(workdir: str, use: str) -> str | None:
    """The folder a ``use`` entry names, relative to the scan root; None if outside it."""
    if use.startswith("/") or "\\" in use:
        return None
    target = posixpath.normpath(posixpath.join(workdir, use))
    return None if target == ".." or target.startswith("../") else target


def find_workspace(directory: str, read: Reader) -> Workspace | None:
    """The workspace of the module in ``directory``: the nearest go.work above that uses it."""
    for folder in _ancestors(directory):
        work_path = _join(folder, "go.work")
        text = _try_read(read, work_path)
        if text is None:
            continue
        work = parse_work(text)
        targets = {_use_target(folder, use.value): use.value for use in work.uses}
        if posixpath.normpath(directory) not in targets:
            return None  # the go command refuses to run here; nothing to apply
        members = {}
        for target, use in targets.items():
            module = _module_path(read, target) if target is not None else None
            if module is not None and target != posixpath.normpath(directory):
                members[module] = use
        return Workspace(work_path, work.replaces, members)
    return None


def _module_path(read: Reader, folder: str) -> str | None:
    text = _try_read(read, _join(folder, "go.mod"))
    return None if text is None else parse_mod(text).module


def _extract_work(directory: str, path: str, text: str, read: Reader) -> Extraction:
    work = parse_work(text)
    problems = _problems(path, work) + _conflicts(path, work.replaces)
    seen: set[str | None] = set()
    for use in work.uses:
        target = _use_target(directory, use.value)
        if target in seen and target is not None:
            message = f"use {use.value}: path appears multiple times in workspace"
            problems.append(Problem(path, use.line, message))
        elif target is None or _try_read(read, _join(target, "go.mod")) is None:
            message = f"use {use.value}: no go.mod in that folder under the scanned tree"
            problems.append(Problem(path, use.line, message))
        seen.add(target)
    problems.sort(key=lambda p: p.line)
    return Extraction(_toolchain_deps(path, work), problems)
