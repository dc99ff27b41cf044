"""One image reference + what its registry says → findings. Pure.

Finding rules (stable IDs; never reused)::

    image-not-checked        info      the registry could not be asked (the reason says why)
    image-unreadable         info      a reference Steward cannot read (a variable, bad syntax)
    image-outdated           low…high  a newer compatible tag (patch low, minor medium, major high)
    image-os-update          low       the same version on a newer release of its OS (separate)
    image-unpinned           low       ``latest`` or no tag
    image-digest-drift       medium    the pinned digest is no longer what the tag points at
    image-end-of-life        high      the runtime or base OS is past its end of life
    image-extended-support   medium    regular support over, extended (LTS) support still running
    image-minimal-base       info      a distroless image to run on instead (final stages only)

The rules of an image's contents (``image-vulnerable``, ``image-layer-unsafe``,
``image-contents-not-scanned``) are in `steward.images.contents`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from steward.ecosystems.docker.extract import ImageRef
from steward.images.contents import ImageContents
from steward.images.lifecycle import EolTable, Lifecycle, distroless, lifecycles, newer_os_cycle
from steward.images.proposals import TagUpdates, os_move, tag_updates, unpinned
from steward.model import Finding, Severity, Update, UpdateType


@dataclass(frozen=True)
class ImageLookup:
    """What the registry said about one reference (or why it could not be asked).

    ``digest`` is what the tag points at now; ``drift`` explains a pinned digest that no longer
    matches it, compared like with like (an index with an index, a platform's manifest with the
    same platform's manifest in the current index).
    """

    not_checked: str | None = None
    tags: tuple[str, ...] | None = None
    digest: str | None = None
    media_type: str = ""
    platforms: tuple[str, ...] = ()
    drift: str | None = None
    #: Digests of the proposed tags (looked up only for references pinned by digest).
    candidate_digests: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImageStatus:
    """One reference with its lookup, the proposals made for it and its findings."""

    ref: ImageRef
    service: str
    lookup: ImageLookup
    updates: TagUpdates | None = None
    os_update: str | None = None
    lifecycles: tuple[Lifecycle, ...] = ()
    findings: tuple[Finding, ...] = field(default=())
    #: What is inside the image (None: not looked at, e.g. the reference was not checked).
    contents: ImageContents | None = None

    @property
    def checked(self) -> bool:
        """True when the registry answered for this reference."""
        return self.ref.skip_reason is None and self.lookup.not_checked is None


_UPDATE_SEVERITY = {
    UpdateType.PATCH: Severity.LOW,
    UpdateType.MINOR: Severity.MEDIUM,
    UpdateType.MAJOR: Severity.HIGH,
}


def analyse(
    ref: ImageRef, service: str, lookup: ImageLookup, table: EolTable, today: date
) -> ImageStatus:
    """The `ImageStatus` of one reference on ``today``."""
    if ref.reference is None:
        finding = _finding(
            ref, service, "image-unreadable", Severity.INFO, ref.skip_reason or "unreadable"
        )
        return ImageStatus(ref, service, lookup, findings=(finding,))
    cycles = tuple(lifecycles(ref.reference, table, today))
    updates = tag_updates(ref.tag, lookup.tags) if ref.tag and lookup.tags is not None else None
    move = _os_update(ref, lookup, cycles, table, today)
    findings = [
        *_lookup_findings(ref, service, lookup),
        *_update_findings(ref, service, updates),
        *_os_findings(ref, service, move, lookup),
        *_lifecycle_findings(ref, service, cycles),
        *_base_findings(ref, service),
    ]
    return ImageStatus(ref, service, lookup, updates, move, cycles, tuple(findings))


def _finding(
    ref: ImageRef,
    service: str,
    rule: str,
    severity: Severity,
    message: str,
    evidence: tuple[str, ...] = (),
    remedy: Update | None = None,
) -> Finding:
    subject = str(ref.reference) if ref.reference else ref.text
    return Finding(rule, severity, subject, message, service, ref.file, ref.line, evidence, remedy)


def _lookup_findings(ref: ImageRef, service: str, lookup: ImageLookup) -> list[Finding]:
    found = []
    if lookup.not_checked is not None:
        found.append(
            _finding(
                ref,
                service,
                "image-not-checked",
                Severity.INFO,
                f"not checked: {lookup.not_checked}",
            )
        )
    why = unpinned(ref.tag, ref.digest)
    if why is not None:
        evidence = (f"current digest {lookup.digest}",) if lookup.digest else ()
        found.append(_finding(ref, service, "image-unpinned", Severity.LOW, why, evidence))
    if lookup.drift is not None:
        found.append(_finding(ref, service, "image-digest-drift", Severity.MEDIUM, lookup.drift))
    return found


def _update_findings(ref: ImageRef, service: str, updates: TagUpdates | None) -> list[Finding]:
    if updates is None or ref.tag is None:
        return []
    best = updates.best("major")
    if best is None:
        return []
    tag, kind = best
    steps = ", ".join(
        f"{level} {getattr(updates, level)}"
        for level in ("patch", "minor", "major")
        if getattr(updates, level)
    )
    remedy = Update("docker", ref.image, ref.tag, tag, kind)
    return [
        _finding(
            ref,
            service,
            "image-outdated",
            _UPDATE_SEVERITY[kind],
            f"newer tags: {steps}",
            remedy=remedy,
        )
    ]


def _os_update(
    ref: ImageRef, lookup: ImageLookup, cycles: tuple[Lifecycle, ...], table: EolTable, today: date
) -> str | None:
    if ref.tag is None:
        return None
    newest_alpine = None
    for cycle in cycles:
        if cycle.product == "alpine-linux":
            newest_alpine = newer_os_cycle("alpine-linux", cycle.cycle, table, today)
    return os_move(ref.tag, lookup.tags, newest_alpine)


def _os_findings(
    ref: ImageRef, service: str, move: str | None, lookup: ImageLookup
) -> list[Finding]:
    if move is None or ref.tag is None:
        return []
    verified = "" if lookup.tags is not None else " (the tag's existence was not checked)"
    remedy = Update("docker", ref.image, ref.tag, move, UpdateType.OTHER)
    message = (
        f"OS update proposal: {ref.tag} → {move}, the same version on a newer OS release{verified}"
    )
    return [_finding(ref, service, "image-os-update", Severity.LOW, message, remedy=remedy)]


def _lifecycle_findings(
    ref: ImageRef, service: str, cycles: tuple[Lifecycle, ...]
) -> list[Finding]:
    found = []
    for cycle in cycles:
        what = f"{cycle.product} {cycle.cycle}" + (" (base OS)" if cycle.kind == "os" else "")
        eol = cycle.eol.isoformat() if cycle.eol else "a past date"
        if cycle.ended and cycle.extended_until is not None:
            message = f"{what}: regular support ended {eol}; extended support until {cycle.extended_until.isoformat()}"
            found.append(_finding(ref, service, "image-extended-support", Severity.MEDIUM, message))
        elif cycle.ended:
            found.append(
                _finding(
                    ref,
                    service,
                    "image-end-of-life",
                    Severity.HIGH,
                    f"{what}: end of life since {eol}",
                )
            )
    return found


def _base_findings(ref: ImageRef, service: str) -> list[Finding]:
    if not ref.final_stage or ref.reference is None:
        return []
    replacement = distroless(ref.reference)
    if replacement is None:
        return []
    message = f"runs on a full OS image; a minimal base would do: {replacement}"
    return [
        _finding(
            ref,
            service,
            "image-minimal-base",
            Severity.INFO,
            message,
            (f"recommended: {replacement}",),
        )
    ]
