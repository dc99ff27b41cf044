"""Python manifests → dependencies: requirements files, ``pyproject.toml`` and its lock file.

Pure: files are read only through the ``read`` callback. Which files are claimed:

* ``requirements*.txt`` / ``requirements*.in`` and ``constraints*.txt`` / ``.in`` (files in a
  ``requirements/`` folder are reached through ``-r`` / ``-c`` includes);
* ``pyproject.toml`` (PEP 621, PEP 735, Poetry);
* ``uv.lock`` and ``poetry.lock``: they only enrich the ``pyproject.toml`` next to them (``locked``,
  ``lock_file``) and declare nothing of their own; ``uv.lock`` is preferred when both are present.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from steward.ecosystems.pypi._common import join
from steward.ecosystems.pypi._locks import LOCK_FILES, apply_lock, read_lock
from steward.ecosystems.pypi._pyproject import extract_pyproject
from steward.ecosystems.pypi._requirements import extract_requirements
from steward.model import Extraction, Problem, Reader

_REQUIREMENTS = re.compile(r"^(requirements|constraints)[\w.-]*\.(txt|in)$", re.IGNORECASE)
_PROJECT_FILES = frozenset({"pyproject.toml", *LOCK_FILES})


def claims(basename: str) -> bool:
    """True for the files this ecosystem reads (see the module docstring)."""
    return basename in _PROJECT_FILES or bool(_REQUIREMENTS.match(basename))


def extract(directory: str, filenames: Sequence[str], read: Reader) -> Extraction:
    """The dependencies declared by the claimed ``filenames`` of ``directory``."""
    result = Extraction()
    requirements = [name for name in filenames if _REQUIREMENTS.match(name)]
    if requirements:
        result.extend(extract_requirements(directory, requirements, read))
    if "pyproject.toml" in filenames:
        result.extend(_project(directory, filenames, read))
    return result


def _read(path: str, read: Reader) -> str | Problem:
    try:
        return read(path)
    except (OSError, UnicodeDecodeError) as error:
        return Problem(path, 0, f"cannot read: {type(error).__name__}")


def _project(directory: str, filenames: Sequence[str], read: Reader) -> Extraction:
    path = join(directory, "pyproject.toml")
    text = _read(path, read)
    if isinstance(text, Problem):
        return Extraction(problems=[text])
    result = extract_pyproject(path, text)
    lock_name = next((name for name in LOCK_FILES if name in filenames), None)
    if lock_name is None or not result.dependencies:
        return result
    lock_path = join(directory, lock_name)
    lock_text = _read(lock_path, read)
    if isinstance(lock_text, Problem):
        result.problems.append(lock_text)
        return result
    versions, problems = read_lock(lock_path, lock_text)
    result.problems.extend(problems)
    result.dependencies = [apply_lock(d, lock_path, versions) for d in result.dependencies]
    return result
