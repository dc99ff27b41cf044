"""End of life: release cycles of a product, the cycle a component runs, and what that means today.

Pure: product data comes in already read (the bundled endoflife.date snapshot or the live API,
see `steward.sources.endoflife`), the date of "today" is a parameter.

A component maps to one or more products (`products_for`): an MSK cluster to ``amazon-msk`` and
``apache-kafka``, RDS PostgreSQL to ``amazon-rds-postgresql``, EKS to ``amazon-eks``, a compose
``postgres`` image to ``postgresql``. The first product is the one whose support dates govern; the
others are shown as context (upstream end of life).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from steward.infra.model import InfraComponent


class InvalidProductData(ValueError):
    """Release data that cannot be read (not a list of cycles, a cycle without a name)."""


@dataclass(frozen=True, slots=True)
class Cycle:
    """One release cycle: name (``"2.8"``), dates, and the newest version in it.

    ``eol`` is the end of (standard) support, None when the data says ``false``/unknown;
    ``eol_reached`` is True when the data says ``true`` without a date. ``eoes`` is the end of
    extended (paid) support where the product has one.
    """

    name: str
    release_date: date | None = None
    eol: date | None = None
    eol_reached: bool = False
    eoes: date | None = None
    latest: str = ""


@dataclass(frozen=True, slots=True)
class Product:
    """A product's cycles (newest first) and where the data came from, as of which date."""

    slug: str
    cycles: tuple[Cycle, ...]
    source: str
    as_of: date | None


@dataclass(frozen=True, slots=True)
class EolStatus:
    """What end-of-life data says about one component's version in one product.

    ``state`` is ``past`` (end of support reached), ``soon`` (within the horizon), ``supported``,
    ``extended`` (past standard support, within paid extended support) or ``unknown`` (no cycle
    matches, or no data). ``days_left`` counts to ``eol`` (negative once past).
    """

    product: str
    cycle: str | None
    state: str
    eol: date | None = None
    eoes: date | None = None
    days_left: int | None = None
    newest_cycle: str | None = None
    newest_version: str | None = None
    source: str = ""
    as_of: date | None = None


#: Product slugs per (platform, kind or engine); the first governs support.
_PRODUCTS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("amazon-msk", "kafka"): ("amazon-msk", "apache-kafka"),
    ("amazon-rds", "postgresql"): ("amazon-rds-postgresql", "postgresql"),
    ("amazon-rds", "mysql"): ("amazon-rds-mysql", "mysql"),
    ("amazon-aurora", "postgresql"): ("amazon-aurora-postgresql", "postgresql"),
    ("amazon-eks", "kubernetes"): ("amazon-eks", "kubernetes"),
    ("amazon-elasticache", "redis"): ("amazon-elasticache-redis", "redis"),
    ("amazon-elasticache", "valkey"): ("valkey",),
    ("terraform", "terraform"): ("terraform",),
}
_IMAGE_PRODUCTS: Mapping[str, tuple[str, ...]] = {
    "kafka": ("apache-kafka",),
    "postgresql": ("postgresql",),
    "redis": ("redis",),
    "valkey": ("valkey",),
}


def products_for(component: InfraComponent) -> tuple[str, ...]:
    """The endoflife.date products of ``component``, governing one first; () when none."""
    if component.platform in ("docker-compose", "helm"):
        return _IMAGE_PRODUCTS.get(component.engine or component.kind.value, ())
    engine = "mysql" if "mysql" in component.engine else component.kind.value
    if component.platform == "amazon-elasticache":
        engine = component.engine or "redis"
    return _PRODUCTS.get((component.platform, engine), ())


def parse_cycles(releases: object, slug: str) -> tuple[Cycle, ...]:
    """Cycles from the snapshot's ``releases:`` list or the live API's list; newest first."""
    if not isinstance(releases, list):
        raise InvalidProductData(f"{slug}: expected a list of release cycles")
    cycles = [_cycle(entry, slug) for entry in releases]
    return tuple(sorted(cycles, key=lambda c: _numbers(c.name), reverse=True))


def _cycle(entry: object, slug: str) -> Cycle:
    if not isinstance(entry, dict):
        raise InvalidProductData(f"{slug}: a release cycle is not a mapping")
    name = entry.get("releaseCycle", entry.get("cycle"))
    if name is None:
        raise InvalidProductData(f"{slug}: a release cycle has no name")
    eol = entry.get("eol")
    return Cycle(
        name=str(name),
        release_date=_date(entry.get("releaseDate")),
        eol=_date(eol),
        eol_reached=eol is True,
        eoes=_date(entry.get("eoes", entry.get("extendedSupport"))),
        latest=str(entry.get("latest") or ""),
    )


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


def version_of(component: InfraComponent) -> str | None:
    """The version to match against cycles: a Terraform constraint's lowest version, else as is."""
    if component.version is None:
        return None
    found = re.search(r"\d+(?:\.\d+)*", component.version)
    return found.group(0) if found else None


def cycle_of(cycles: Sequence[Cycle], version: str) -> Cycle | None:
    """The cycle ``version`` belongs to: the longest cycle name that prefixes it by components."""
    numbers = _numbers(version)
    best: Cycle | None = None
    for cycle in cycles:
        wanted = _numbers(cycle.name)
        longer = best is None or len(wanted) > len(_numbers(best.name))
        if wanted and numbers[: len(wanted)] == wanted and longer:
            best = cycle
    return best


def assess(
    component: InfraComponent, products: Mapping[str, Product], today: date, horizon_days: int
) -> list[EolStatus]:
    """The end-of-life status of ``component`` in each of its products (governing first)."""
    version = version_of(component)
    statuses: list[EolStatus] = []
    for slug in products_for(component):
        product = products.get(slug)
        if product is None or version is None:
            statuses.append(EolStatus(slug, None, "unknown"))
            continue
        statuses.append(_status(product, version, today, horizon_days))
    return statuses


def _status(product: Product, version: str, today: date, horizon_days: int) -> EolStatus:
    cycle = cycle_of(product.cycles, version)
    newest = next((c for c in product.cycles if not _ended(c, today)), None)
    base: dict[str, Any] = {
        "product": product.slug,
        "newest_cycle": newest.name if newest else None,
        "newest_version": (newest.latest or newest.name) if newest else None,
        "source": product.source,
        "as_of": product.as_of,
    }
    if cycle is None:
        return EolStatus(cycle=None, state="unknown", **base)
    days = (cycle.eol - today).days if cycle.eol else None
    state = _state(cycle, today, days, horizon_days)
    return EolStatus(
        cycle=cycle.name, state=state, eol=cycle.eol, eoes=cycle.eoes, days_left=days, **base
    )


def _state(cycle: Cycle, today: date, days: int | None, horizon_days: int) -> str:
    if cycle.eol_reached or (days is not None and days < 0):
        return "extended" if cycle.eoes is not None and today <= cycle.eoes else "past"
    if days is not None and days <= horizon_days:
        return "soon"
    return "supported"


def _ended(cycle: Cycle, today: date) -> bool:
    return cycle.eol_reached or (cycle.eol is not None and cycle.eol < today)


def governing(statuses: Iterable[EolStatus]) -> EolStatus | None:
    """The status that decides support: the first product's (its platform's own dates)."""
    return next(iter(statuses), None)
