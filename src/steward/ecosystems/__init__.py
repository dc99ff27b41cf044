"""The registered ecosystems. Add one by adding its folder and a line here."""

from __future__ import annotations

from steward.ecosystems.gomod import PLUGIN as GO
from steward.ecosystems.interface import Plugin
from steward.ecosystems.npm import PLUGIN as NPM
from steward.ecosystems.pypi import PLUGIN as PYPI

PLUGINS: tuple[Plugin, ...] = (GO, PYPI, NPM)


def plugin(name: str) -> Plugin:
    """The plugin for an ecosystem name (``go``, ``pypi``, ``npm``); raises KeyError."""
    for candidate in PLUGINS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)
