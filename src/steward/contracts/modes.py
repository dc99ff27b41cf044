"""Schema Registry compatibility modes over an ordered version history.

The seven modes, as Confluent Schema Registry defines them for a subject whose versions are
ordered oldest first and whose last version is the new one:

===================  =====================================================================
mode                 the new schema must …
===================  =====================================================================
NONE                 nothing is checked
BACKWARD             read data written with the latest earlier version (new = reader)
FORWARD              be readable by the latest earlier version (new = writer)
FULL                 both, against the latest earlier version
BACKWARD_TRANSITIVE  read data written with every earlier version
FORWARD_TRANSITIVE   be readable by every earlier version
FULL_TRANSITIVE      both, against every earlier version
===================  =====================================================================

Findings always point into the new schema; each message names the version it was compared with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from enum import StrEnum

from steward.contracts import avro, jsonschema
from steward.contracts.findings import ContractFinding

#: A format's check: (writer_text, reader_text, path=, locate=) → findings.
Check = Callable[..., list[ContractFinding]]
FORMATS: dict[str, Check] = {"avro": avro.check, "jsonschema": jsonschema.check}


class Mode(StrEnum):
    """A Schema Registry compatibility mode, spelled as the registry spells it."""

    NONE = "NONE"
    BACKWARD = "BACKWARD"
    FORWARD = "FORWARD"
    FULL = "FULL"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"

    @property
    def transitive(self) -> bool:
        """True when the new version is checked against every earlier one."""
        return self.value.endswith("_TRANSITIVE")

    @property
    def backward(self) -> bool:
        """True when the new version must read the earlier ones' data."""
        return self.value.startswith(("BACKWARD", "FULL"))

    @property
    def forward(self) -> bool:
        """True when the earlier versions must read the new one's data."""
        return self.value.startswith(("FORWARD", "FULL"))


class InvalidMode(ValueError):
    """A mode or format name that is not one of the known ones."""


def parse_mode(name: str) -> Mode:
    """The `Mode` called ``name`` (case-insensitive); raises `InvalidMode`."""
    try:
        return Mode(name.upper())
    except ValueError:
        known = ", ".join(m.value for m in Mode)
        raise InvalidMode(f"unknown compatibility mode {name!r} (known: {known})") from None


def check_history(
    format: str, versions: Sequence[str], mode: str, *, path: str = ""
) -> list[ContractFinding]:
    """Findings for registering the last of ``versions`` under ``mode``.

    ``format`` is ``"avro"`` or ``"jsonschema"``; ``versions`` are schema texts, oldest first, the
    new one last. Findings point into the new schema (``path``) and say which version (1-based)
    they come from. Raises `InvalidMode`, or `InvalidSchema` for a version that cannot be read.
    """
    chosen = parse_mode(mode)
    check = FORMATS.get(format)
    if check is None:
        raise InvalidMode(f"unknown schema format {format!r} (known: {', '.join(FORMATS)})")
    if chosen is Mode.NONE or len(versions) < 2:
        return []
    new = versions[-1]
    earlier = range(len(versions) - 1) if chosen.transitive else [len(versions) - 2]
    found: list[ContractFinding] = []
    for index in earlier:
        old = versions[index]
        if chosen.backward:
            found += _tag(check(old, new, path=path, locate="reader"), index, "backward")
        if chosen.forward:
            found += _tag(check(new, old, path=path, locate="writer"), index, "forward")
    return found


def _tag(findings: list[ContractFinding], index: int, direction: str) -> list[ContractFinding]:
    prefix = f"{direction} against version {index + 1}: "
    return [dataclasses.replace(f, message=prefix + f.message) for f in findings]
