"""End-of-life data: the live endoflife.date API when one is configured, else the bundled snapshot.

``[infra] endoflife_url`` in ``steward.toml`` names the API's base (a mirror, or the public
service); products are fetched as ``GET {url}/api/{slug}.json`` (API v0) through the one HTTP
layer. With no URL configured, or when the API cannot be reached, the snapshot bundled under
``steward/data/endoflife/`` is used and the `Product` says so (``source`` and ``as_of``), so a
report can say how old its data is. A product the API does not know falls back to the snapshot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources

import yaml

from steward.infra.eol import InvalidProductData, Product, parse_cycles
from steward.sources.http import HttpClient, HttpError, redact

#: The date of the endoflife.date commit the bundled snapshot was taken from.
SNAPSHOT_DATE = date(2026, 8, 22)
SNAPSHOT_SOURCE = f"bundled endoflife.date snapshot of {SNAPSHOT_DATE.isoformat()}"


@dataclass(frozen=True, slots=True)
class EolData:
    """Products by slug, and notes on where they came from (fallbacks and their reasons)."""

    products: dict[str, Product]
    notes: tuple[str, ...]


def snapshot(slug: str) -> Product | None:
    """The bundled snapshot's data for ``slug``, or None when the snapshot has no such product."""
    folder = resources.files("steward").joinpath("data", "endoflife")
    entry = folder.joinpath(f"{slug}.yaml")
    if not entry.is_file():
        return None
    document = yaml.safe_load(entry.read_text(encoding="utf-8"))
    releases = document.get("releases") if isinstance(document, dict) else None
    return Product(slug, parse_cycles(releases, slug), SNAPSHOT_SOURCE, SNAPSHOT_DATE)


def load(slugs: Iterable[str], url: str | None, http: HttpClient | None, today: date) -> EolData:
    """Products for ``slugs``: live from ``url`` through ``http`` when given, else the snapshot."""
    wanted = sorted(set(slugs))
    if not url or http is None:
        products = {slug: p for slug in wanted if (p := snapshot(slug)) is not None}
        return EolData(products, (f"end-of-life data: {SNAPSHOT_SOURCE} (no live API configured)",))
    return asyncio.run(_load_live(wanted, url, http, today))


async def _load_live(slugs: list[str], url: str, http: HttpClient, today: date) -> EolData:
    async with http:
        found = await asyncio.gather(*(_fetch(http, url, slug, today) for slug in slugs))
    products: dict[str, Product] = {}
    notes: list[str] = []
    for slug, (product, note) in zip(slugs, found, strict=True):
        if product is not None:
            products[slug] = product
        if note:
            notes.append(note)
    if not notes:
        notes.append(f"end-of-life data: live from {redact(url)} on {today.isoformat()}")
    return EolData(products, tuple(notes))


async def _fetch(
    http: HttpClient, url: str, slug: str, today: date
) -> tuple[Product | None, str | None]:
    address = f"{url.rstrip('/')}/api/{slug}.json"
    try:
        response = await http.get(address, headers={"Accept": "application/json"})
        cycles = parse_cycles(response.json(), slug)
    except (HttpError, InvalidProductData) as error:
        fallback = snapshot(slug)
        return (
            fallback,
            f"{slug}: live end-of-life data unavailable ({error}); using the {SNAPSHOT_SOURCE}",
        )
    as_of = today
    return Product(slug, cycles, f"live {redact(address)}", as_of), None
