"""The Python (PyPI) ecosystem: requirements files, ``pyproject.toml`` and its lock files."""

from steward.ecosystems.interface import Plugin, lazy_registry
from steward.ecosystems.pypi import extract as _extract
from steward.versioning.pep440 import PEP440

PLUGIN = Plugin(
    name="pypi",
    versioning=PEP440(),
    claims=_extract.claims,
    extract=_extract.extract,
    registry=lazy_registry("steward.ecosystems.pypi.registry"),
)
