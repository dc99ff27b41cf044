"""Pull an image's manifest and layers and scan its OS packages against OSV advisories.

For each checked reference: the manifest (a platform's entry of an index, ``linux/amd64`` unless
configured), every layer streamed through `OciRegistry.layer` and read by
`steward.images.layers` in a worker thread, the merged root's package databases
(`steward.images.ospackages`), the advisories of its source packages from the local index or the
OSV API, and the match (`steward.images.osvmatch`). The newest patch, minor and major tags of
the same flavour are scanned the same way and compared. Images and layers are read once per run
however many references share them.

Every failure is data: a registry error, a corrupt, oversized or hostile layer becomes an
`ImageContents` with the reason, for that image only.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from steward.analysis.vulnerabilities import Advisory
from steward.images.analysis import ImageStatus
from steward.images.contents import ImageContents
from steward.images.layers import (
    InvalidLayer,
    LayerFiles,
    LayerLimits,
    UnsafeLayer,
    merge,
    read_layer,
)
from steward.images.lookup import Lookups
from steward.images.ospackages import Inventory, inventory, osv_ecosystem, wanted
from steward.images.osvmatch import Matched, compare, lookup_keys, match, sources
from steward.images.registry import Descriptor, Manifest, OciRegistry, Platform, RegistryError
from steward.model import Problem
from steward.sources.http import OfflineMiss
from steward.sources.osv import OsvApi, OsvDatabase


class ContentError(Exception):
    """Why one image's contents could not be read; ``unsafe`` for a hostile layer."""

    def __init__(self, message: str, unsafe: bool = False) -> None:
        super().__init__(message)
        self.unsafe = unsafe


@dataclass(frozen=True)
class Scanned:
    """One image read: the manifest digest, its platform, the inventory and the match."""

    digest: str
    platform: str
    inventory: Inventory
    matched: Matched | None


@dataclass
class Advisories:
    """Where advisories come from: the local index, the OSV API, or nowhere (``reason``)."""

    database: OsvDatabase | None = None
    api: OsvApi | None = None
    reason: str = ""

    async def for_inventory(
        self, found: Inventory
    ) -> Mapping[tuple[str, str], Sequence[Advisory]] | None:
        """The advisories of ``found``'s source packages (None when none can be asked)."""
        if self.api is not None:
            return await self._from_api(self.api, found)
        if self.database is None:
            return None
        keyed = await asyncio.to_thread(self.database.advisories_for, lookup_keys(found))
        return keyed

    @staticmethod
    async def _from_api(
        api: OsvApi, found: Inventory
    ) -> Mapping[tuple[str, str], Sequence[Advisory]]:
        ecosystem = osv_ecosystem(found.os) if found.os else None
        if ecosystem is None:
            return {}
        base = ecosystem.split(":", 1)[0]
        queries = [(ecosystem, source, version) for source, version in sources(found.packages)]
        answers = await api.query(queries)
        keyed: dict[tuple[str, str], list[Advisory]] = {}
        for (_, source, _), records in answers.items():
            keyed.setdefault((base, source), []).extend(records)
        return keyed


@dataclass
class ContentScanner:
    """Scans image contents for one run, sharing images and layers between references."""

    lookups: Lookups
    advisories: Advisories
    limits: LayerLimits = field(default_factory=LayerLimits)
    platform: Platform = field(default_factory=lambda: Platform("linux", "amd64"))
    _images: dict[tuple[str, str, str], asyncio.Future[Scanned]] = field(default_factory=dict)
    _layers: dict[str, asyncio.Future[LayerFiles]] = field(default_factory=dict)

    async def scan(self, status: ImageStatus) -> ImageContents | None:
        """The contents of one reference (None when the reference itself was not checked)."""
        reference = status.ref.reference
        if reference is None or not status.checked:
            return None
        registry = self.lookups.registry(reference)
        pointer = reference.digest or status.lookup.digest or reference.tag
        if registry is None or pointer is None:
            return None
        try:
            current = await self._image(registry, reference.path, pointer)
        except ContentError as error:
            return ImageContents(str(error), failed=True, unsafe=error.unsafe)
        contents = _contents(current, self.advisories.reason)
        if current.matched is None or not current.matched.found or status.updates is None:
            return contents
        return await self._compare(contents, current.matched, registry, reference.path, status)

    async def _compare(
        self,
        contents: ImageContents,
        current: Matched,
        registry: OciRegistry,
        path: str,
        status: ImageStatus,
    ) -> ImageContents:
        assert status.updates is not None
        levels = [(lvl, getattr(status.updates, lvl)) for lvl in ("patch", "minor", "major")]
        comparisons, notes = [], []
        for level, tag in levels:
            if tag is None:
                continue
            try:
                scanned = await self._image(registry, path, tag)
            except ContentError as error:
                notes.append(f"{tag}: not scanned: {error}")
                continue
            if scanned.matched is not None and scanned.matched.ecosystem:
                comparisons.append(compare(current, tag, scanned.matched, level))
            else:
                notes.append(f"{tag}: not compared: {_why_unmatched(scanned)}")
        return dataclasses.replace(
            contents, candidates=tuple(comparisons), candidate_notes=tuple(notes)
        )

    async def _image(self, registry: OciRegistry, path: str, pointer: str) -> Scanned:
        key = (registry.base_url, path, pointer)
        if key not in self._images:
            self._images[key] = asyncio.ensure_future(self._read_image(registry, path, pointer))
        return await asyncio.shield(self._images[key])

    async def _read_image(self, registry: OciRegistry, path: str, pointer: str) -> Scanned:
        try:
            manifest, platform = await self._manifest(registry, path, pointer)
            layers = [await self._layer(registry, path, layer) for layer in manifest.layers]
        except OfflineMiss:
            raise ContentError("offline") from None
        except RegistryError as error:
            raise ContentError(str(error)) from None
        try:
            root = merge(layers)
            found = inventory(root, f"{path}@{manifest.digest}")
        except UnsafeLayer as error:
            raise ContentError(str(error), unsafe=True) from None
        matched = None
        try:
            advisories = await self.advisories.for_inventory(found)
        except Exception as error:  # the advisory source's own errors: reported, never fatal
            self.advisories.reason = f"not checked: {error}"
            advisories = None
        if advisories is not None:
            matched = match(found, advisories)
        return Scanned(manifest.digest, platform, found, matched)

    async def _manifest(
        self, registry: OciRegistry, path: str, pointer: str
    ) -> tuple[Manifest, str]:
        manifest = await registry.manifest(path, pointer)
        if not manifest.is_index:
            return manifest, ""
        entry = manifest.for_platform(self.platform)
        if entry is None:
            raise ContentError(f"the index {manifest.digest} has no {self.platform} image")
        return await registry.manifest(path, entry.digest), str(self.platform)

    async def _layer(self, registry: OciRegistry, path: str, descriptor: Descriptor) -> LayerFiles:
        if descriptor.digest not in self._layers:
            self._layers[descriptor.digest] = asyncio.ensure_future(
                self._read_layer(registry, path, descriptor)
            )
        return await asyncio.shield(self._layers[descriptor.digest])

    async def _read_layer(
        self, registry: OciRegistry, path: str, descriptor: Descriptor
    ) -> LayerFiles:
        data = await registry.layer(path, descriptor, self.limits.max_layer_bytes)
        try:
            return await asyncio.to_thread(read_layer, data, descriptor.digest, wanted, self.limits)
        except UnsafeLayer as error:
            raise ContentError(str(error), unsafe=True) from None
        except InvalidLayer as error:
            raise ContentError(str(error)) from None


def _contents(scanned: Scanned, advisories_reason: str) -> ImageContents:
    found = scanned.inventory
    facts = ImageContents(
        digest=scanned.digest,
        platform=scanned.platform,
        os=found.os.label if found.os else "",
        databases=found.databases,
        packages=len(found.packages),
        problems=found.problems,
    )
    if not found.databases:
        return dataclasses.replace(facts, not_scanned="no OS package database in the image")
    if scanned.matched is None:
        reason = advisories_reason or "advisories not checked"
        return dataclasses.replace(facts, not_scanned=reason, failed=True)
    if not scanned.matched.ecosystem:
        return dataclasses.replace(facts, not_scanned=_why_unmatched(scanned))
    return dataclasses.replace(
        facts,
        ecosystem=scanned.matched.ecosystem,
        matched=scanned.matched,
        advisories=advisories_reason,
    )


def _why_unmatched(scanned: Scanned) -> str:
    release = scanned.inventory.os
    if release is None:
        return "no os-release in the image"
    return f"no OSV advisories for {release.label}"


async def scan_all(
    statuses: Sequence[ImageStatus], scanner: ContentScanner
) -> list[ImageContents | None]:
    """`ContentScanner.scan` for every status, concurrently, in order."""
    async with scanner.lookups.http:
        return list(await asyncio.gather(*(scanner.scan(s) for s in statuses)))


def problems_of(contents: Sequence[ImageContents | None]) -> list[Problem]:
    """The package-database problems of every scanned image, once each."""
    seen: dict[tuple[str, int, str], Problem] = {}
    for item in contents:
        for problem in item.problems if item else ():
            seen.setdefault((problem.file, problem.line, problem.message), problem)
    return list(seen.values())
