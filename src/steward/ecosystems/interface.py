"""What an ecosystem plugs in: its version scheme, the files it reads, and its registry.

Adding an ecosystem means one folder under ``ecosystems/`` exposing a `Plugin` named ``PLUGIN``
and one line in `steward.ecosystems.PLUGINS`; nothing else changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from steward.model import Extraction, NotChecked, Reader
from steward.versioning.interface import Versioning

if TYPE_CHECKING:
    from steward.sources.registry import Registry, RegistryContext

#: ``extract(directory, filenames, read)``: the claimed files of one directory → facts.
#: ``directory`` is the POSIX path of the folder relative to the scan root ("." for the root),
#: ``filenames`` the base names this ecosystem claimed there, ``read`` reads any file by its
#: path relative to the scan root (for ``-r`` includes, workspace roots …). Pure: no other I/O.
Extractor = Callable[[str, Sequence[str], Reader], Extraction]


@dataclass(frozen=True)
class Plugin:
    """One ecosystem's faces: which files it claims, how it reads them, where it looks up."""

    name: str
    versioning: Versioning
    claims: Callable[[str], bool]
    extract: Extractor
    registry: Callable[[RegistryContext], Registry | NotChecked]


RegistryFactory = Callable[["RegistryContext"], "Registry | NotChecked"]


def lazy_registry(module: str) -> RegistryFactory:
    """A factory that imports ``module`` (and so the HTTP stack) only when a lookup is made.

    ``module`` must define ``registry(ctx)``; extraction-only commands never pay for it.
    """

    def factory(ctx: RegistryContext) -> Registry | NotChecked:
        made = importlib.import_module(module).registry
        return cast("RegistryFactory", made)(ctx)

    return factory
