"""Protobuf (``.proto``) contracts: buf-compatible breaking-change rules and deprecation markers.

`check` compiles two versions of a set of ``.proto`` files with the real compiler front end
(``protoc`` from ``grpcio-tools``) and reports what breaks between them under buf's rule IDs and
categories (`rules.RULES`); `deprecations` lists the elements marked ``deprecated = true``.

Modules: `compile` (files → descriptors; the only one that touches the file system),
`index` (descriptors → elements with lines), `breaking` (two indexes → findings, pure),
`deprecations` (index → markers, pure), `rules` (the catalogue), `api` (the entry points).
"""

from __future__ import annotations

from steward.contracts.protobuf.api import check, deprecations
from steward.contracts.protobuf.rules import CATEGORIES, RULES, InvalidCategory

__all__ = ["CATEGORIES", "RULES", "InvalidCategory", "check", "deprecations"]
