"""End of life on a frozen date: the bundled snapshot, the live API on 127.0.0.1, the fallback."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from steward.infra.eol import assess, cycle_of, parse_cycles
from steward.infra.model import InfraComponent, Kind
from steward.sources.endoflife import SNAPSHOT_DATE, load, snapshot
from steward.sources.http import HttpClient
from tests.servers import serve

TODAY = date(2026, 11, 27)


def _component(platform: str, kind: Kind, version: str, engine: str = "") -> InfraComponent:
    return InfraComponent("x", kind, platform, "f.tf", 1, version, engine=engine)


def _assess(component: InfraComponent, today: date = TODAY, horizon: int = 90) -> list[str]:
    products = load(
        [
            "amazon-msk",
            "apache-kafka",
            "amazon-rds-postgresql",
            "postgresql",
            "amazon-eks",
            "kubernetes",
            "redis",
        ],
        None,
        None,
        today,
    ).products
    return [f"{s.product} {s.cycle} {s.state}" for s in assess(component, products, today, horizon)]


def test_msk_2_8_is_past_end_of_support_on_msk_and_upstream() -> None:
    assert _assess(_component("amazon-msk", Kind.KAFKA, "2.8.1", "kafka")) == [
        "amazon-msk 2.8 past",
        "apache-kafka 2.8 past",
    ]


def test_rds_postgresql_13_is_in_paid_extended_support() -> None:
    assert (
        _assess(_component("amazon-rds", Kind.POSTGRESQL, "13.13", "postgres"))[0]
        == "amazon-rds-postgresql 13 extended"
    )


def test_eks_1_34_ends_within_the_horizon() -> None:
    eks = _component("amazon-eks", Kind.KUBERNETES, "1.34", "kubernetes")
    assert _assess(eks)[0] == "amazon-eks 1.34 soon"  # standard support ends 2026-12-02
    assert _assess(eks, horizon=3)[0] == "amazon-eks 1.34 supported"


def test_compose_redis_image_maps_to_redis() -> None:
    assert _assess(_component("docker-compose", Kind.REDIS, "6.2", "redis")) == [
        "redis 6.2 supported"
    ]


def test_newest_supported_cycle_is_reported() -> None:
    products = load(["amazon-eks"], None, None, TODAY).products
    status = assess(_component("amazon-eks", Kind.KUBERNETES, "1.27"), products, TODAY, 90)[0]
    assert status.newest_cycle == "1.36"
    assert status.source.endswith(SNAPSHOT_DATE.isoformat())


def test_cycle_matching_takes_the_longest_prefix_by_components() -> None:
    cycles = parse_cycles([{"releaseCycle": "1"}, {"releaseCycle": "1.2"}, {"cycle": "1.20"}], "p")
    assert cycle_of(cycles, "1.2.9").name == "1.2"  # type: ignore[union-attr]
    assert cycle_of(cycles, "1.20.1").name == "1.20"  # type: ignore[union-attr]
    assert cycle_of(cycles, "2.0") is None


def test_without_a_url_the_data_says_it_is_the_bundled_snapshot() -> None:
    data = load(["amazon-eks"], None, None, TODAY)
    assert data.notes == (
        "end-of-life data: bundled endoflife.date snapshot of 2026-08-22 (no live API configured)",
    )
    assert snapshot("no-such-product") is None


def test_live_api_on_loopback_is_used_when_configured(tmp_path: Path) -> None:
    api = tmp_path / "api"
    api.mkdir()
    (api / "amazon-eks.json").write_text(
        json.dumps(
            [
                {
                    "cycle": "1.40",
                    "releaseDate": "2027-01-01",
                    "eol": "2028-03-01",
                    "extendedSupport": "2029-03-01",
                    "latest": "1.40-eks-1",
                }
            ]
        )
    )
    with serve(tmp_path) as url:
        data = load(["amazon-eks", "amazon-msk"], url, HttpClient(retries=1), TODAY)
    eks = data.products["amazon-eks"]
    assert [c.name for c in eks.cycles] == ["1.40"]
    assert eks.cycles[0].eoes == date(2029, 3, 1)
    assert eks.as_of == TODAY and eks.source.startswith("live ")
    # The API does not know amazon-msk: that product falls back to the snapshot, and says so.
    assert data.products["amazon-msk"].as_of == SNAPSHOT_DATE
    assert any("amazon-msk: live end-of-life data unavailable" in note for note in data.notes)


def test_unreachable_api_falls_back_to_the_snapshot_with_the_reason() -> None:
    data = load(["amazon-eks"], "http://127.0.0.1:9/", HttpClient(retries=1, timeout=2), TODAY)
    assert data.products["amazon-eks"].as_of == SNAPSHOT_DATE
    assert "using the bundled endoflife.date snapshot of 2026-08-22" in data.notes[0]
