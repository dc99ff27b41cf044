"""End-of-life runtimes and base OSes of images, and minimal-base recommendations. Pure.

The runtime is read from official images (``python:3.8-slim`` → Python 3.8, ``node:16`` →
Node.js 16, ``confluentinc/cp-kafka:7.3.0`` → Apache Kafka 3.3); the base OS from the tag's
suffix (``alpine3.19``, ``buster``, ``jammy``) or from an OS image itself (``alpine:3.19``,
``debian:bookworm``, ``…/static-debian12``). Cycles and dates come from endoflife.date data
passed in as an `EolTable`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from steward.ecosystems.docker.reference import Reference

#: Official image name → endoflife.date product slug.
RUNTIMES = {
    "python": "python",
    "node": "nodejs",
    "golang": "go",
    "postgres": "postgresql",
    "redis": "redis",
    "valkey": "valkey",
    "nginx": "nginx",
    "mysql": "mysql",
    "mongo": "mongodb",
    "rabbitmq": "rabbitmq",
    "elasticsearch": "elasticsearch",
    "zookeeper": "zookeeper",
    "eclipse-temurin": "eclipse-temurin",
    "alpine": "alpine-linux",
    "debian": "debian",
    "ubuntu": "ubuntu",
}
OS_PRODUCTS = frozenset({"alpine-linux", "debian", "ubuntu"})
DEBIAN_CODENAMES = {
    "jessie": "8",
    "stretch": "9",
    "buster": "10",
    "bullseye": "11",
    "bookworm": "12",
    "trixie": "13",
}
UBUNTU_CODENAMES = {
    "xenial": "16.04",
    "bionic": "18.04",
    "focal": "20.04",
    "jammy": "22.04",
    "noble": "24.04",
}
#: Confluent Platform x.y ships Apache Kafka: 7.0 → 3.0 … 7.9 → 3.9, 8.0 → 4.0.
_CONFLUENT_KAFKA = {f"7.{m}": f"3.{m}" for m in range(10)} | {"8.0": "4.0", "8.1": "4.1"}
_ALPINE = re.compile(r"^alpine(\d+\.\d+)$")
_DEBIAN_IMAGE = re.compile(r"-debian(\d+)$")


@dataclass(frozen=True, slots=True)
class EolCycle:
    """One release cycle of a product: end of life (a date, or reached without one), end of
    extended support, newest version."""

    cycle: str
    eol: date | None = None
    eol_reached: bool = False
    eoes: date | None = None
    latest: str = ""

    def ended(self, today: date) -> bool:
        """True when the cycle's (regular) support is over on ``today``."""
        return self.eol_reached or (self.eol is not None and self.eol <= today)


#: Product slug → its cycles, newest first (as endoflife.date lists them).
EolTable = Mapping[str, Sequence[EolCycle]]


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """A product and cycle an image runs, and its state on a date."""

    product: str
    cycle: str
    kind: str  # "runtime" or "os"
    eol: date | None
    eoes: date | None
    ended: bool
    extended_until: date | None


def official(reference: Reference) -> str | None:
    """The official image name (``python``) of ``reference``, else ``None``."""
    if reference.registry is None and "/" not in reference.repository:
        return reference.repository
    if reference.registry is None and reference.repository.startswith("library/"):
        return reference.repository.removeprefix("library/")
    return None


def runtime_of(reference: Reference) -> tuple[str, str] | None:
    """(product slug, version) of the runtime an image provides, when known."""
    tag = reference.tag or ""
    version = tag.removeprefix("v").split("-")[0]
    if not re.match(r"^\d+(\.\d+)*$", version):
        return None
    name = official(reference)
    if name is not None and name in RUNTIMES and RUNTIMES[name] not in OS_PRODUCTS:
        return RUNTIMES[name], version
    if reference.repository == "confluentinc/cp-kafka":
        kafka = _CONFLUENT_KAFKA.get(".".join(version.split(".")[:2]))
        return ("apache-kafka", kafka) if kafka else None
    return None


def os_of(reference: Reference) -> tuple[str, str] | None:
    """(product slug, cycle) of the base OS, from the tag's suffix or an OS image itself."""
    name = official(reference)
    tag = reference.tag or ""
    if name in ("alpine", "debian", "ubuntu"):
        found = _os_image(name, tag)
        if found:
            return found
    debian = _DEBIAN_IMAGE.search(reference.repository)
    if debian:
        return "debian", debian.group(1)
    for token in tag.split("-")[1:] if "-" in tag else tag.split("-"):
        found = _os_token(token)
        if found:
            return found
    return None


def _os_image(name: str, tag: str) -> tuple[str, str] | None:
    head = tag.split("-")[0]
    if name == "alpine" and re.match(r"^\d+\.\d+", head):
        return "alpine-linux", ".".join(head.split(".")[:2])
    if name == "debian":
        cycle = DEBIAN_CODENAMES.get(head) or (head.split(".")[0] if head[:1].isdigit() else None)
        return ("debian", cycle) if cycle else None
    if name == "ubuntu":
        cycle = UBUNTU_CODENAMES.get(head) or (head if re.match(r"^\d+\.\d+$", head) else None)
        return ("ubuntu", cycle) if cycle else None
    return None


def _os_token(token: str) -> tuple[str, str] | None:
    alpine = _ALPINE.match(token)
    if alpine:
        return "alpine-linux", alpine.group(1)
    if token in DEBIAN_CODENAMES:
        return "debian", DEBIAN_CODENAMES[token]
    if token in UBUNTU_CODENAMES:
        return "ubuntu", UBUNTU_CODENAMES[token]
    return None


def cycle_for(cycles: Sequence[EolCycle], version: str) -> EolCycle | None:
    """The cycle ``version`` belongs to: the longest dotted prefix that names a cycle."""
    by_name = {cycle.cycle: cycle for cycle in cycles}
    parts = version.split(".")
    for length in range(len(parts), 0, -1):
        found = by_name.get(".".join(parts[:length]))
        if found is not None:
            return found
    return None


def lifecycles(reference: Reference, table: EolTable, today: date) -> list[Lifecycle]:
    """The runtime and OS cycles of ``reference`` that the table knows, with their state."""
    found: list[Lifecycle] = []
    for kind, pair in (("runtime", runtime_of(reference)), ("os", os_of(reference))):
        if pair is None or pair[0] not in table:
            continue
        cycle = cycle_for(table[pair[0]], pair[1])
        if cycle is None:
            continue
        extended = cycle.eoes if cycle.eoes is not None and cycle.eoes > today else None
        found.append(
            Lifecycle(
                pair[0], cycle.cycle, kind, cycle.eol, cycle.eoes, cycle.ended(today), extended
            )
        )
    return found


def newer_os_cycle(product: str, current: str, table: EolTable, today: date) -> str | None:
    """The newest supported cycle of an OS product newer than ``current`` (``None`` if none)."""
    cycles = [c for c in table.get(product, ()) if not c.ended(today)]
    if not cycles:
        return None
    newest = max(cycles, key=lambda c: tuple(int(n) for n in c.cycle.split(".") if n.isdigit()))
    current_key = tuple(int(n) for n in current.split(".") if n.isdigit())
    newest_key = tuple(int(n) for n in newest.cycle.split(".") if n.isdigit())
    return newest.cycle if newest_key > current_key else None


#: Language → (builder images it is recognised by, the distroless runtime to use instead).
DISTROLESS = {
    "python": "gcr.io/distroless/python3-debian12:nonroot",
    "node": "gcr.io/distroless/nodejs22-debian12:nonroot",
    "java": "gcr.io/distroless/java21-debian12:nonroot",
    "static": "gcr.io/distroless/static-debian12:nonroot",
    "cc": "gcr.io/distroless/cc-debian12:nonroot",
}
_LANGUAGE = {
    "python": "python",
    "node": "node",
    "eclipse-temurin": "java",
    "openjdk": "java",
    "amazoncorretto": "java",
    "golang": "static",
    "alpine": "static",
    "debian": "cc",
    "ubuntu": "cc",
    "rust": "cc",
    "busybox": "static",
}
_NODE_DISTROLESS = {
    "18": "nodejs18-debian12",
    "20": "nodejs20-debian12",
    "22": "nodejs22-debian12",
    "24": "nodejs24-debian12",
}


def distroless(reference: Reference) -> str | None:
    """The minimal image to run on instead of ``reference`` (for a Dockerfile's final stage).

    ``None`` for images that are already minimal (distroless, chiseled, ``scratch``-like) or
    whose language is unknown. Node keeps its major where a distroless image exists for it.
    """
    if "distroless" in reference.repository or "chiseled" in (reference.tag or ""):
        return None
    name = official(reference)
    language = _LANGUAGE.get(name or "")
    if language is None:
        return None
    if language == "node":
        major = (reference.tag or "").split(".")[0].split("-")[0]
        image = _NODE_DISTROLESS.get(major)
        if image:
            return f"gcr.io/distroless/{image}:nonroot"
    return DISTROLESS[language]
