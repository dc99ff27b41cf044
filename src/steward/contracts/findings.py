"""The one finding shape every schema format reports, and the rule catalogue entry behind it.

A compatibility check compares a *writer* schema (the one data was written with) with a *reader*
schema (the one that will read it) and returns `ContractFinding` objects. Each finding names a
`Rule` from its format's catalogue (``contracts/<format>/rules.py``); rule IDs are stable
UPPER_SNAKE strings, prefixed by the format, and never reused for another meaning.

Errors::

    InvalidSchema(ValueError)       a schema text that cannot be read (bad JSON, bad structure)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: What `load_json` says about a document too deeply nested to be read (or walked) safely.
TOO_DEEP = "nested too deeply to check"


class InvalidSchema(ValueError):
    """A schema text that cannot be read; ``path`` and ``line`` say where (line 0: unknown)."""

    def __init__(self, message: str, *, path: str = "", line: int = 0) -> None:
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line
        self.reason = message


def load_json(text: str, path: str = "") -> Any:
    """The JSON document ``text``; raises `InvalidSchema` (with the line) for text that is not
    JSON or is nested too deeply for the parser."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidSchema(f"not JSON: {error.msg}", path=path, line=error.lineno) from None
    except RecursionError:
        raise InvalidSchema(TOO_DEEP, path=path, line=1) from None


@dataclass(frozen=True, slots=True)
class Rule:
    """One catalogue entry: a stable ID, what the rule detects in one line, and its categories.

    Categories group rules the way buf does: ``WIRE`` (data can no longer be decoded),
    ``SEMANTIC`` (data decodes but means something else), ``DEFAULT`` (a default value is needed or
    wrong), ``VALIDATION`` (a value the writer may produce is rejected), ``INFO`` (worth knowing,
    never breaking), ``UNCHECKED`` (a change the checker cannot prove safe).
    """

    id: str
    purpose: str
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContractFinding:
    """One thing a compatibility check found.

    ``path`` is the schema file the finding points into and ``line`` the 1-based line of the
    offending element there (0 when unknown). ``location`` is the JSON pointer of that element in
    the schema document (``""`` is the whole document). ``breaking`` is true when a reader may fail
    to read, or misread, data the writer produces.
    """

    rule: str
    path: str
    line: int
    location: str
    message: str
    breaking: bool
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A schema element marked deprecated: its JSON pointer, its 1-based line and the note given."""

    location: str
    line: int
    note: str


def is_breaking(findings: Iterable[ContractFinding]) -> bool:
    """True when any finding is breaking: the schemas are not compatible in that direction."""
    return any(finding.breaking for finding in findings)


def catalogue(rules: Iterable[Rule]) -> dict[str, Rule]:
    """Index rules by ID; raises `ValueError` when an ID appears twice."""
    index: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in index:
            raise ValueError(f"duplicate rule id {rule.id}")
        index[rule.id] = rule
    return index
