"""``poetry.lock`` and ``uv.lock``: the versions a project's lock file resolved, by PEP 503 name.

Both are TOML with one ``[[package]]`` table per resolved distribution (``name``, ``version``).
uv may resolve one package to several versions (forks by environment marker); all are kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from packaging.utils import canonicalize_name

from steward.ecosystems.pypi._pyproject import toml_error_line
from steward.ecosystems.pypi._toml import tomllib
from steward.model import Dependency, Problem

#: Lock files in the order they are preferred when a folder has more than one.
LOCK_FILES = ("uv.lock", "poetry.lock")


def read_lock(file: str, text: str) -> tuple[dict[str, list[str]], list[Problem]]:
    """normalised name → resolved versions (in file order), and the problems met."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problem = Problem(file, toml_error_line(error, text), f"malformed lock file: {error}")
        return {}, [problem]
    packages = document.get("package")
    versions: dict[str, list[str]] = {}
    for package in packages if isinstance(packages, list) else []:
        name, version = package.get("name"), package.get("version")
        if isinstance(name, str) and isinstance(version, str):
            found = versions.setdefault(canonicalize_name(name, validate=False), [])
            if version not in found:
                found.append(version)
    return versions, []


def apply_lock(dep: Dependency, lock_file: str, versions: Mapping[str, list[str]]) -> Dependency:
    """``dep`` with the version ``lock_file`` resolved for it as ``locked``.

    When the lock holds several versions of the package, the one the manifest pins is kept if it
    is among them; otherwise ``locked`` stays unset and a note lists the versions.
    """
    found = versions.get(dep.package or dep.name)
    if dep.skip_reason is not None or not found:
        return dep
    if len(found) == 1:
        return dataclasses.replace(dep, locked=found[0], lock_file=lock_file)
    if dep.locked in found:
        return dataclasses.replace(dep, lock_file=lock_file)
    note = f"locked at several versions in {lock_file}: {', '.join(found)}"
    return dataclasses.replace(dep, notes=(*dep.notes, note))
