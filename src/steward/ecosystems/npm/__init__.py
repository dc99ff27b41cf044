"""The npm ecosystem: ``package.json`` + lock files, node-semver ranges, npm registries."""

from __future__ import annotations

from steward.ecosystems.interface import Plugin, lazy_registry
from steward.ecosystems.npm.extract import claims, extract
from steward.versioning.npm import NpmSemver

PLUGIN = Plugin(
    name="npm",
    versioning=NpmSemver(),
    claims=claims,
    extract=extract,
    registry=lazy_registry("steward.ecosystems.npm.registry"),
)
