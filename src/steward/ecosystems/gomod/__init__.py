"""The Go ecosystem: go.mod / go.work files, Go module versions, the GOPROXY protocol."""

from __future__ import annotations

from steward.ecosystems.gomod.extract import claims, extract
from steward.ecosystems.interface import Plugin, lazy_registry
from steward.versioning.gosemver import GoSemver

PLUGIN = Plugin(
    name="go",
    versioning=GoSemver(),
    claims=claims,
    extract=extract,
    registry=lazy_registry("steward.ecosystems.gomod.registry"),
)
