"""What to update an image reference to. Pure.

- **Tag updates** follow Renovate's docker versioning (`steward.versioning.docker`): only tags
  with the same suffix and the same precision are candidates, pre-releases never, and the
  newest patch, minor and major are proposed separately.
- **OS moves** are a separate, labelled proposal: the same version on a newer release of the
  suffix's OS (``3.11-alpine3.19`` → ``3.11-alpine3.20``, ``3.8-slim-buster`` →
  ``3.8-slim-bookworm``), only to a tag that exists when the tags are known.
- **Unpinned** references: ``latest`` or no tag at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from steward.model import UpdateType
from steward.versioning.docker import DockerVersioning, is_compatible, parse_tag

_SCHEME = DockerVersioning()
DEBIAN_ORDER = ("jessie", "stretch", "buster", "bullseye", "bookworm", "trixie")
UBUNTU_ORDER = ("xenial", "bionic", "focal", "jammy", "noble")
_ALPINE = re.compile(r"^alpine(\d+)\.(\d+)$")


@dataclass(frozen=True, slots=True)
class TagUpdates:
    """The newest compatible tag at each distance from the current one (``None``: none newer)."""

    current: str
    patch: str | None = None
    minor: str | None = None
    major: str | None = None

    def best(self, policy: str) -> tuple[str, UpdateType] | None:
        """The tag a policy (``patch``, ``minor``, ``major``) moves to, and how far it is."""
        order = {
            "patch": ("patch",),
            "minor": ("minor", "patch"),
            "major": ("major", "minor", "patch"),
        }
        for level in order.get(policy, ()):
            tag = getattr(self, level)
            if tag is not None:
                return tag, UpdateType(level)
        return None


def tag_updates(current: str, tags: Iterable[str]) -> TagUpdates | None:
    """Newer compatible tags than ``current``; ``None`` when ``current`` is not a version."""
    if parse_tag(current) is None:
        return None
    newer = [
        tag
        for tag in tags
        if is_compatible(tag, current)
        and not _SCHEME.is_prerelease(tag)
        and _SCHEME.compare(tag, current) > 0
    ]
    best: dict[UpdateType, str] = {}
    for tag in _SCHEME.sorted(newer):
        best[_SCHEME.update_type(current, tag)] = tag
    return TagUpdates(
        current, best.get(UpdateType.PATCH), best.get(UpdateType.MINOR), best.get(UpdateType.MAJOR)
    )


def os_moves(tag: str) -> list[tuple[str, str]]:
    """(OS token in ``tag``, each newer token of the same OS), newest last, as tag rewrites.

    ``3.11-alpine3.19`` → [("alpine3.19", "alpine3.20"), …] only for tokens that can be named
    without data (Debian and Ubuntu codenames); Alpine moves are built by `alpine_moves`.
    """
    moves: list[tuple[str, str]] = []
    for token in tag.split("-"):
        for order in (DEBIAN_ORDER, UBUNTU_ORDER):
            if token in order:
                moves.extend((token, newer) for newer in order[order.index(token) + 1 :])
    return moves


def os_move(tag: str, tags: Sequence[str] | None, newest_alpine: str | None) -> str | None:
    """The tag on the newest OS release for the same version, or ``None``.

    With ``tags`` known the new tag must be among them; without, the newest Alpine cycle
    (``newest_alpine``, e.g. ``"3.22"``) or the newest codename is proposed unverified.
    """
    candidates: list[str] = []
    for token in tag.split("-"):
        alpine = _ALPINE.match(token)
        if alpine:
            candidates.extend(_alpine_candidates(tag, token, tags, newest_alpine))
    candidates.extend(tag.replace(old, new) for old, new in os_moves(tag))
    if tags is not None:
        known = set(tags)
        candidates = [c for c in candidates if c in known]
    return candidates[-1] if candidates else None


def _alpine_candidates(
    tag: str, token: str, tags: Sequence[str] | None, newest: str | None
) -> list[str]:
    current = _alpine_key(token)
    if tags is not None:
        found = []
        for other in tags:
            for part in other.split("-"):
                key = _alpine_key(part)
                if key and current and key > current and other == tag.replace(token, part):
                    found.append((key, other))
        return [other for _, other in sorted(found)]
    if newest and current and tuple(int(n) for n in newest.split(".")) > current:
        return [tag.replace(token, f"alpine{newest}")]
    return []


def _alpine_key(token: str) -> tuple[int, int] | None:
    match = _ALPINE.match(token)
    return (int(match.group(1)), int(match.group(2))) if match else None


def unpinned(tag: str | None, digest: str | None) -> str | None:
    """Why a reference floats (``latest`` or untagged without a digest), else ``None``."""
    if digest is not None:
        return None
    if tag is None:
        return "no tag: the registry's default (latest) is pulled, whatever it is today"
    if tag == "latest":
        return "the tag latest moves with every release"
    return None
