"""Facts of the infrastructure area: components, where their versions are set, what else they say.

An `InfraComponent` is one versioned piece of infrastructure a repository declares (an MSK
cluster, an RDS instance, an EKS cluster, a compose service running a Kafka image, Terraform
itself, a provider, a module). Its ``version`` is the resolved value; `VersionSite` says which
token in which file sets it, so a change can be spliced into that text and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    """What a component is, independent of who runs it."""

    KAFKA = "kafka"
    POSTGRESQL = "postgresql"
    KUBERNETES = "kubernetes"
    REDIS = "redis"
    MEMCACHED = "memcached"
    TERRAFORM = "terraform"
    PROVIDER = "terraform-provider"
    MODULE = "terraform-module"
    DATABASE = "database"


@dataclass(frozen=True, slots=True)
class VersionSite:
    """The literal that sets a version: file, 1-based line and the offsets of its text there.

    ``via`` names the indirection that led to it (``var.kafka_version``), "" when the version is
    written on the component itself.
    """

    file: str
    line: int
    start: int
    end: int
    via: str = ""


@dataclass(frozen=True, slots=True)
class InfraComponent:
    """One versioned piece of infrastructure, as the repository declares it.

    ``id`` is stable and short (``aws_msk_cluster.eventshop``, ``compose:kafka``,
    ``terraform``, ``provider:aws``, ``module:vpc``). ``platform`` says who runs it
    (``amazon-msk``, ``amazon-rds``, ``amazon-eks``, ``amazon-elasticache``, ``docker-compose``,
    ``helm``, ``terraform``). ``version`` is None when it cannot be resolved statically, and
    ``unresolved`` then says why. ``settings`` holds what readiness checks read (broker count,
    availability zones, server properties …), as strings.
    """

    id: str
    kind: Kind
    platform: str
    file: str
    line: int
    version: str | None
    site: VersionSite | None = None
    unresolved: str | None = None
    engine: str = ""
    settings: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A file Steward could not read (or a value it could not resolve): path, line, reason."""

    file: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Inventory:
    """Every component found under one root, and the problems met on the way."""

    components: tuple[InfraComponent, ...]
    problems: tuple[Problem, ...] = ()

    def component(self, ident: str) -> InfraComponent | None:
        """The component with ``id`` (or, failing that, the only one of kind/platform ``ident``)."""
        for component in self.components:
            if component.id == ident:
                return component
        matches = [c for c in self.components if ident in (c.kind.value, c.platform)]
        return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True, slots=True)
class Record:
    """``steward infra record``: ``version`` of ``component`` runs in ``environment`` since ``at``."""

    environment: str
    component: str
    version: str
    at: datetime
