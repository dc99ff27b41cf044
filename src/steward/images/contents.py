"""What is inside an image, as a report sees it, and the findings it gives. Pure.

Finding rules (stable IDs; never reused)::

    image-vulnerable               the worst rated   OS packages with known vulnerabilities; the
                                   (medium unrated)  message counts them by severity and says which
                                                     newer tag of the same flavour fixes how many
    image-layer-unsafe             high              a layer with a path or link that climbs out of
                                                     the image root: the contents are not read
    image-contents-not-scanned     info              the layers or the advisories could not be read
                                                     (registry error, corrupt or oversized layer)

Offline, an unsupported OS or an image without a package database are not findings: the
report's ``contents`` says why nothing was scanned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from steward.ecosystems.docker.extract import ImageRef
from steward.images.osvmatch import Comparison, Matched
from steward.model import Finding, Problem, Severity, Update, UpdateType

#: The severity of ``image-vulnerable`` when no advisory gives a rating.
UNRATED_SEVERITY = Severity.MEDIUM


@dataclass(frozen=True)
class ImageContents:
    """One image's OS, packages and vulnerabilities, or why they were not read.

    ``not_scanned`` is the reason nothing (or, with ``matched`` None, no advisory) was looked at;
    ``failed`` marks reasons that are errors rather than choices (offline, unsupported OS);
    ``unsafe`` a layer refused as hostile. ``candidates`` compare newer tags of the same flavour.
    """

    not_scanned: str | None = None
    failed: bool = False
    unsafe: bool = False
    digest: str = ""
    platform: str = ""
    os: str = ""
    ecosystem: str = ""
    databases: tuple[str, ...] = ()
    packages: int = 0
    matched: Matched | None = None
    advisories: str = ""
    candidates: tuple[Comparison, ...] = ()
    candidate_notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())


def findings(ref: ImageRef, service: str, contents: ImageContents) -> list[Finding]:
    """The findings of one reference's contents."""
    subject = str(ref.reference) if ref.reference else ref.text

    def finding(
        rule: str,
        severity: Severity,
        message: str,
        evidence: tuple[str, ...] = (),
        remedy: Update | None = None,
    ) -> Finding:
        return Finding(
            rule, severity, subject, message, service, ref.file, ref.line, evidence, remedy
        )

    if contents.unsafe:
        return [
            finding(
                "image-layer-unsafe", Severity.HIGH, f"contents not scanned: {contents.not_scanned}"
            )
        ]
    if contents.failed:
        return [
            finding(
                "image-contents-not-scanned",
                Severity.INFO,
                f"contents not scanned: {contents.not_scanned}",
            )
        ]
    matched = contents.matched
    if matched is None or not matched.found:
        return []
    return [
        finding(
            "image-vulnerable",
            matched.worst() or UNRATED_SEVERITY,
            vulnerable_message(contents),
            evidence(matched),
            _remedy(ref, contents.candidates),
        )
    ]


def vulnerable_message(contents: ImageContents) -> str:
    """``7 known vulnerabilities in OS packages (Debian:12): high 2, medium 1, unrated 4;
    3.11.9-slim fixes 3, 3.12.1-slim fixes 5``."""
    assert contents.matched is not None
    counts = contents.matched.by_severity()
    total = sum(counts.values())
    plural = "vulnerability" if total == 1 else "vulnerabilities"
    text = f"{total} known {plural} in OS packages ({contents.ecosystem}): " + ", ".join(
        f"{label} {count}" for label, count in counts.items()
    )
    moves = [f"{c.tag} fixes {c.fixes}" for c in contents.candidates]
    return text + ("; " + ", ".join(moves) if moves else "")


def evidence(matched: Matched) -> tuple[str, ...]:
    """One line per vulnerable source package and vulnerability, most severe first."""
    order = {label: i for i, label in enumerate(("critical", "high", "medium", "low", "info"))}
    rows = sorted(matched.found, key=lambda v: (order.get(v.severity, 9), v.key, v.source))
    return tuple(
        f"{v.key} {v.source} {v.version} ({v.severity}): "
        + (f"fixed in {v.fixed}" if v.fixed else "no fix yet")
        for v in rows
    )


def _remedy(ref: ImageRef, candidates: tuple[Comparison, ...]) -> Update | None:
    """The candidate fixing the most (the nearest one on a tie), when it fixes any."""
    best = max(candidates, key=lambda c: c.fixes, default=None)
    if best is None or best.fixes == 0 or ref.tag is None:
        return None
    kind = UpdateType(best.level) if best.level else UpdateType.OTHER
    return Update("docker", ref.image, ref.tag, best.tag, kind)
