"""Image references (``[host[:port]/]path[:tag][@digest]``), read as the distribution spec reads them.

The first path component is a registry host when it contains ``.`` or ``:`` or is ``localhost``;
otherwise the name belongs to the default registry, whose address is configuration (see
`steward.images.settings`). Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}")
_HOST = re.compile(r"(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::\d+)?")


class InvalidReference(ValueError):
    """Text that is not an image reference."""


@dataclass(frozen=True, slots=True)
class Reference:
    """One image reference, split: registry host (``None``: the default registry), path, tag,
    digest. ``repository`` is the path as written (``python``, ``confluentinc/cp-kafka``)."""

    registry: str | None
    repository: str
    tag: str | None = None
    digest: str | None = None

    @property
    def name(self) -> str:
        """Registry and path as written, without tag or digest (``gcr.io/distroless/static``)."""
        return f"{self.registry}/{self.repository}" if self.registry else self.repository

    @property
    def path(self) -> str:
        """The repository path a registry serves: ``library/`` added to a one-part default name."""
        if self.registry is None and "/" not in self.repository:
            return f"library/{self.repository}"
        return self.repository

    @property
    def basename(self) -> str:
        """The last path component (``cp-kafka``, ``python``, ``static-debian12``)."""
        return self.repository.rpartition("/")[2]

    def __str__(self) -> str:
        text = self.name
        if self.tag is not None:
            text += f":{self.tag}"
        if self.digest is not None:
            text += f"@{self.digest}"
        return text


def parse_reference(text: str) -> Reference:
    """Split ``text``; raises `InvalidReference` naming what is wrong."""
    rest, _, digest = text.strip().partition("@")
    if digest and not _DIGEST.fullmatch(digest):
        raise InvalidReference(f"{text!r}: {digest!r} is not a digest")
    registry, path = _split_registry(rest, text)
    path, tag = _split_tag(path, text)
    for component in path.split("/"):
        if not _COMPONENT.fullmatch(component):
            raise InvalidReference(f"{text!r}: {component!r} is not a valid repository name part")
    return Reference(registry, path, tag, digest or None)


def _split_registry(rest: str, text: str) -> tuple[str | None, str]:
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        if not _HOST.fullmatch(first):
            raise InvalidReference(f"{text!r}: {first!r} is not a registry host")
        return first, remainder
    return None, rest


def _split_tag(path: str, text: str) -> tuple[str, str | None]:
    head, colon, tag = path.rpartition(":")
    if not colon or "/" in tag:
        return path, None
    if not _TAG.fullmatch(tag):
        raise InvalidReference(f"{text!r}: {tag!r} is not a valid tag")
    return head, tag
