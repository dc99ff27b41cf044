"""Placeholder plugin: replaced by the real one."""

from steward.ecosystems.interface import Plugin
from steward.model import Extraction, NotChecked
from steward.versioning.pep440 import PEP440

PLUGIN = Plugin(
    name="npm",
    versioning=PEP440(),
    claims=lambda name: False,
    extract=lambda directory, names, read: Extraction(),
    registry=lambda ctx: NotChecked("not implemented"),
)
