"""The lookup side of an ecosystem: a `Registry` answers what versions of a package exist.

Errors::

    NotCheckedError          a lookup that could not be made; its ``reason`` is shown to the user
                             as "not checked: <reason>" and the dependency is never called current
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from steward.config import Settings
from steward.model import PackageInfo
from steward.sources.http import HttpClient


class NotCheckedError(Exception):
    """A package could not be looked up; ``reason`` says why in words a user understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RegistryContext:
    """Everything a registry factory may consult to find its base URL and credentials.

    ``env`` is the process environment (tests pass their own), ``root`` the scanned tree (for a
    project ``.npmrc``), ``home`` the user's home (for ``~/.npmrc``, ``~/.netrc``, pip config).
    """

    http: HttpClient
    settings: Settings
    root: Path
    env: Mapping[str, str] = field(default_factory=dict)
    home: Path | None = None


class Registry(ABC):
    """Versions and release metadata of one ecosystem's packages."""

    #: Where the answers come from, for the report (a URL without credentials).
    source: str = ""

    @abstractmethod
    async def fetch(self, name: str) -> PackageInfo:
        """Every release of ``name``; raises `NotCheckedError` when it cannot be looked up.

        A package the registry does not know is also `NotCheckedError` ("not found in …").
        """

    async def describe(self, info: PackageInfo, versions: Collection[str]) -> PackageInfo:
        """``info`` with release dates filled in for ``versions`` when ``fetch`` left them out.

        Registries whose listing already carries dates (PyPI, npm) keep this default.
        """
        return info
