"""OS packages of an image × OSV Debian/Alpine advisories → its vulnerabilities. Pure.

Debian and Alpine publish advisories per **source** package (``glibc``, not ``libc6``;
``openssl``, not ``libcrypto3``) and per release (OSV ecosystems ``Debian:12``,
``Alpine:v3.19``), with ``ECOSYSTEM`` ranges in the distribution's own version ordering. So a
package is matched by its source name and source version, only against the entries of the
image's own release, with `steward.versioning.dpkg` or `steward.versioning.apk` ordering the
versions. The evaluation and the merging of aliases are `steward.analysis.vulnerabilities`'
(the orderings are registered there by importing this module).

A vulnerability is counted once per image even when several source packages or several records
(``DSA-…``, ``DEBIAN-CVE-…``) name it: records are keyed by the CVE they are about (an alias, or
the ``CVE-…`` inside ``DEBIAN-CVE-…``/``ALPINE-CVE-…``), else by their own ID.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from steward.analysis.vulnerabilities import (
    Advisory,
    matching,
    vulnerabilities,
)
from steward.images.ospackages import Inventory, OsPackage, osv_ecosystem
from steward.model import SEVERITY_ORDER, Severity, Vulnerability

#: Steward's ecosystem name of each OSV distribution ecosystem.
ECOSYSTEMS = {"Debian": "debian", "Alpine": "alpine"}
#: The label of vulnerabilities no advisory rates.
UNRATED = "unrated"


@dataclass(frozen=True, slots=True)
class PackageVulnerability:
    """One vulnerability of one source package as installed: its binaries, the installed
    source version, the merged advisories and the version of the release that fixes it."""

    source: str
    version: str
    binaries: tuple[str, ...]
    vulnerability: Vulnerability
    key: str

    @property
    def fixed(self) -> str | None:
        """The lowest fixed version the release's advisories name (None: not fixed yet)."""
        return self.vulnerability.fixed_in[0] if self.vulnerability.fixed_in else None

    @property
    def severity(self) -> str:
        """The severity label, ``unrated`` when no advisory gives one."""
        rated = self.vulnerability.severity
        return rated.value if rated is not None else UNRATED


@dataclass(frozen=True)
class Matched:
    """The vulnerabilities of one image's OS packages."""

    ecosystem: str
    found: tuple[PackageVulnerability, ...] = ()

    def keys(self) -> frozenset[str]:
        """The distinct vulnerabilities (one key per CVE)."""
        return frozenset(item.key for item in self.found)

    def by_severity(self) -> dict[str, int]:
        """Distinct vulnerabilities per severity, most severe first, ``unrated`` last."""
        worst: dict[str, int] = {}
        for item in self.found:
            rank = _rank(item.vulnerability.severity)
            worst[item.key] = max(worst.get(item.key, -1), rank)
        labels = [*(s.value for s in reversed(SEVERITY_ORDER)), UNRATED]
        counts = {label: 0 for label in labels}
        for rank in worst.values():
            counts[SEVERITY_ORDER[rank].value if rank >= 0 else UNRATED] += 1
        return {label: count for label, count in counts.items() if count}

    def worst(self) -> Severity | None:
        """The most severe rating among the vulnerabilities (None: none rated)."""
        rated = [i.vulnerability.severity for i in self.found if i.vulnerability.severity]
        return max(rated, key=SEVERITY_ORDER.index) if rated else None


def _rank(severity: Severity | None) -> int:
    return SEVERITY_ORDER.index(severity) if severity is not None else -1


def sources(packages: Iterable[OsPackage]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(source, source version) → the binary packages built from it that are installed."""
    found: dict[tuple[str, str], list[str]] = {}
    for package in packages:
        found.setdefault((package.source, package.source_version), []).append(package.name)
    return {key: tuple(sorted(set(names))) for key, names in found.items()}


def lookup_keys(inventory: Inventory) -> list[tuple[str, str]]:
    """The (OSV ecosystem, source package) keys to ask the advisory index for."""
    ecosystem = osv_ecosystem(inventory.os) if inventory.os else None
    if ecosystem is None:
        return []
    base = ecosystem.split(":", 1)[0]
    return sorted({(base, source) for source, _ in sources(inventory.packages)})


def match(
    inventory: Inventory, advisories: Mapping[tuple[str, str], Sequence[Advisory]]
) -> Matched:
    """The vulnerabilities of ``inventory``'s packages among ``advisories`` (keyed as
    `lookup_keys` asks); empty when the release has no OSV ecosystem."""
    ecosystem = osv_ecosystem(inventory.os) if inventory.os else None
    if ecosystem is None:
        return Matched("")
    base = ecosystem.split(":", 1)[0]
    ours = ECOSYSTEMS[base]
    found: list[PackageVulnerability] = []
    for (source, version), binaries in sorted(sources(inventory.packages).items()):
        relevant = _of_release(advisories.get((base, source), ()), ecosystem)
        hits = matching(relevant, ours, source, version)
        for vulnerability in vulnerabilities(hits, ours):
            found.append(
                PackageVulnerability(
                    source, version, binaries, vulnerability, key_of(vulnerability)
                )
            )
    return Matched(ecosystem, tuple(found))


def _of_release(advisories: Iterable[Advisory], ecosystem: str) -> list[Advisory]:
    """The advisories reduced to their entries for exactly ``ecosystem`` (``Debian:12``)."""
    kept = []
    for advisory in advisories:
        entries = tuple(e for e in advisory.affected if e.ecosystem == ecosystem)
        if entries:
            same = len(entries) == len(advisory.affected)
            kept.append(advisory if same else dataclasses.replace(advisory, affected=entries))
    return kept


def key_of(vulnerability: Vulnerability) -> str:
    """The CVE a merged vulnerability is about, else its own ID."""
    for name in (vulnerability.id, *vulnerability.aliases):
        for prefix in ("", "DEBIAN-", "ALPINE-"):
            if name.startswith(prefix + "CVE-"):
                return name[len(prefix) :]
    return vulnerability.id


@dataclass(frozen=True, slots=True)
class Comparison:
    """What moving to ``tag`` does: how many of the current vulnerabilities it fixes, how many
    remain and how many it brings that the current image does not have. ``level`` is how far
    the tag is (``patch``, ``minor``, ``major``)."""

    tag: str
    fixes: int
    remaining: int
    new: int
    level: str = ""


def compare(current: Matched, tag: str, candidate: Matched, level: str = "") -> Comparison:
    """The `Comparison` of a candidate tag's vulnerabilities with the current image's."""
    now, then = current.keys(), candidate.keys()
    return Comparison(tag, len(now - then), len(now & then), len(then - now), level)
