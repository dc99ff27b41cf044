"""Registry lookups for many references at once: one tag list per repository, one HEAD per
reference, concurrently, every failure a "not checked" reason for the references it concerns."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from steward.ecosystems.docker.extract import ImageRef
from steward.ecosystems.docker.reference import Reference
from steward.images.analysis import ImageLookup
from steward.images.auth import DockerAuths
from steward.images.proposals import tag_updates
from steward.images.registry import (
    INDEX_TYPES,
    Manifest,
    OciHttp,
    OciRegistry,
    Platform,
    RegistryError,
)
from steward.images.settings import ImageSettings
from steward.sources.http import OfflineMiss

NO_REGISTRY = "no registry configured"


@dataclass
class Lookups:
    """Shared state of one run: a registry client per base URL, tag lists per repository."""

    http: OciHttp
    settings: ImageSettings
    auths: DockerAuths = field(default_factory=DockerAuths)
    _registries: dict[str, OciRegistry] = field(default_factory=dict)
    _tags: dict[tuple[str, str], asyncio.Future[list[str]]] = field(default_factory=dict)

    def registry(self, reference: Reference) -> OciRegistry | None:
        """The client for the registry serving ``reference``, or ``None`` when none is configured."""
        base = self.settings.base_url(reference.registry)
        if base is None:
            return None
        if base not in self._registries:
            self._registries[base] = OciRegistry(self.http, base, self.auths)
        return self._registries[base]

    async def tags(self, registry: OciRegistry, path: str) -> list[str]:
        """The tags of ``path`` at ``registry``, asked once per run."""
        key = (registry.base_url, path)
        if key not in self._tags:
            self._tags[key] = asyncio.ensure_future(registry.tags(path))
        return await asyncio.shield(self._tags[key])

    async def look_up(self, ref: ImageRef) -> ImageLookup:
        """Tags, current digest and digest drift of one reference."""
        reference = ref.reference
        if reference is None or ref.skip_reason is not None:
            return ImageLookup(not_checked=ref.skip_reason or "unreadable")
        registry = self.registry(reference)
        if registry is None:
            return ImageLookup(not_checked=NO_REGISTRY)
        try:
            return await self._look_up(registry, reference)
        except OfflineMiss:
            return ImageLookup(not_checked="offline, and the answer is not in the cache")
        except RegistryError as error:
            return ImageLookup(not_checked=str(error))

    async def _look_up(self, registry: OciRegistry, reference: Reference) -> ImageLookup:
        tags = tuple(await self.tags(registry, reference.path))
        tag = reference.tag or ("latest" if reference.digest is None else None)
        if tag is None:
            return ImageLookup(tags=tags, digest=reference.digest)
        current = await registry.resolve(reference.path, tag)
        platforms: tuple[str, ...] = ()
        drift = None
        if current.media_type in INDEX_TYPES or reference.digest:
            index = await registry.manifest(reference.path, current.digest)
            platforms = tuple(str(d.platform) for d in index.manifests if d.platform)
            if reference.digest and reference.digest != current.digest:
                drift = await self._drift(registry, reference, index)
        candidates = await self._candidate_digests(registry, reference, tags)
        return ImageLookup(
            None, tags, current.digest, current.media_type, platforms, drift, candidates
        )

    async def _candidate_digests(
        self, registry: OciRegistry, reference: Reference, tags: tuple[str, ...]
    ) -> dict[str, str]:
        """Digests of the proposed tags of a digest-pinned reference (so an update keeps a pin)."""
        updates = tag_updates(reference.tag, tags) if reference.digest and reference.tag else None
        if updates is None:
            return {}
        wanted = {t for t in (updates.patch, updates.minor, updates.major) if t}
        found = await asyncio.gather(
            *(registry.resolve(reference.path, tag) for tag in sorted(wanted))
        )
        return {tag: d.digest for tag, d in zip(sorted(wanted), found, strict=True)}

    async def _drift(
        self, registry: OciRegistry, reference: Reference, current: Manifest
    ) -> str | None:
        """Why the pinned digest differs from the tag's, compared like with like (or ``None``)."""
        pinned = reference.digest
        assert pinned is not None
        if any(entry.digest == pinned for entry in current.manifests):
            return None  # pinned to one platform's manifest, which the current index still holds
        old = await registry.manifest(reference.path, pinned)
        if old.is_index or not current.is_index:
            return (
                f"the tag {reference.tag} now points at {current.digest}, not the pinned {pinned}"
            )
        platform = await self._platform(registry, reference.path, old)
        entry = current.for_platform(platform) if platform else None
        if entry is None:
            return f"the tag {reference.tag} now points at {current.digest}; the pinned manifest's platform is not in it"
        return f"the tag {reference.tag} now points at {entry.digest} for {platform}, not the pinned {pinned}"

    async def _platform(
        self, registry: OciRegistry, path: str, manifest: Manifest
    ) -> Platform | None:
        if manifest.config is None:
            return None
        try:
            config = json.loads(await registry.blob(path, manifest.config.digest))
        except (ValueError, RegistryError):
            return None
        if not isinstance(config, dict) or "os" not in config or "architecture" not in config:
            return None
        return Platform(
            str(config["os"]), str(config["architecture"]), str(config.get("variant", ""))
        )


async def look_up_all(refs: Sequence[ImageRef], lookups: Lookups) -> list[ImageLookup]:
    """`Lookups.look_up` for every reference, concurrently, in order; identical references share."""
    shared: dict[str, asyncio.Future[ImageLookup]] = {}
    async with lookups.http:
        tasks = []
        for ref in refs:
            key = f"{ref.text}|{ref.skip_reason}"
            if key not in shared:
                shared[key] = asyncio.ensure_future(lookups.look_up(ref))
            tasks.append(shared[key])
        return list(await asyncio.gather(*tasks))
