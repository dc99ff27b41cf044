"""Breaking-change evidence from registry metadata: one test per rule, and the quiet cases."""

from __future__ import annotations

import pytest

from steward.analysis.evidence import (
    PYTHON_GRID,
    dropped,
    go_version_key,
    metadata_evidence,
    next_major_path,
    npm_allows,
    python_allows,
)
from steward.model import EvidenceKind, PackageInfo, Release


def _info(ecosystem: str, *releases: Release, deprecated: str | None = None) -> PackageInfo:
    return PackageInfo(ecosystem, "pkg", releases, deprecated=deprecated)


def _rules(found: tuple[object, ...]) -> list[str]:
    return [e.source.split(" ", 1)[0] for e in found]  # type: ignore[attr-defined]


def test_raising_the_go_directive_is_evidence() -> None:
    info = _info(
        "go",
        Release("v5.0.10", metadata=(("go", "1.14"),)),
        Release("v5.3.2", metadata=(("go", "1.23"),)),
    )
    found = metadata_evidence(info, "v5.0.10", "v5.3.2")
    assert _rules(found) == ["GO_DIRECTIVE_RAISED"]
    assert found[0].kind is EvidenceKind.METADATA and found[0].breaking
    assert "needs Go 1.23 (was go 1.14)" in found[0].summary


@pytest.mark.parametrize(
    ("before", "after"), [("1.21", "1.21"), ("1.22", "1.21.5"), ("1.21.0", "1.21")]
)
def test_keeping_or_lowering_the_go_directive_is_no_evidence(before: str, after: str) -> None:
    info = _info(
        "go",
        Release("v1.0.0", metadata=(("go", before),)),
        Release("v1.1.0", metadata=(("go", after),)),
    )
    assert metadata_evidence(info, "v1.0.0", "v1.1.0") == ()


def test_go_versions_order_numerically() -> None:
    assert (
        go_version_key("1.9")
        < go_version_key("1.10")
        < go_version_key("1.21rc1")
        <= go_version_key("1.21.0")
    )  # type: ignore[operator]
    assert go_version_key("go") is None


def test_retracted_candidate_is_evidence() -> None:
    info = _info("go", Release("v1.0.0"), Release("v1.1.0", retracted="broke the API"))
    found = metadata_evidence(info, "v1.0.0", "v1.1.0")
    assert _rules(found) == ["RETRACTED"]
    assert "broke the API" in found[0].summary


def test_deprecated_module_is_evidence() -> None:
    info = _info("go", Release("v1.0.0"), Release("v1.1.0"), deprecated="use example.com/m/v2")
    assert _rules(metadata_evidence(info, "v1.0.0", "v1.1.0")) == ["DEPRECATED"]


def test_incompatible_and_new_major_path() -> None:
    info = _info("go", Release("v1.0.0"), Release("v2.0.0+incompatible"))
    assert _rules(metadata_evidence(info, "v1.0.0", "v2.0.0+incompatible")) == ["GO_INCOMPATIBLE"]
    found = metadata_evidence(
        _info("go", Release("v5.0.0"), Release("v5.1.0")),
        "v5.0.0",
        "v5.1.0",
        newer_major_path="example.com/m/v6",
    )
    assert _rules(found) == ["GO_MAJOR_PATH"]
    assert next_major_path("example.com/m/v5", "v5.1.0") == "example.com/m/v6"
    assert next_major_path("example.com/m", "v1.4.0") == "example.com/m/v2"
    assert next_major_path("example.com/m", "v0.4.0") == "example.com/m/v2"


def test_narrowed_requires_python_names_the_dropped_versions() -> None:
    info = _info(
        "pypi",
        Release("2.28.1", metadata=(("requires_python", ">=3.7, <4"),)),
        Release("2.34.2", metadata=(("requires_python", ">=3.10"),)),
    )
    found = metadata_evidence(info, "2.28.1", "2.34.2")
    assert _rules(found) == ["REQUIRES_PYTHON_NARROWED"]
    assert found[0].summary.endswith("drops Python 3.7–3.9")


def test_widened_requires_python_is_no_evidence() -> None:
    info = _info(
        "pypi",
        Release("1.0", metadata=(("requires_python", ">=3.9"),)),
        Release("1.1", metadata=(("requires_python", ">=3.8"),)),
    )
    assert metadata_evidence(info, "1.0", "1.1") == ()


def test_unreadable_requires_python_is_no_evidence() -> None:
    info = _info("pypi", Release("1.0"), Release("1.1", metadata=(("requires_python", ">=3.x!"),)))
    assert metadata_evidence(info, "1.0", "1.1") == ()


def test_yanked_candidate_is_evidence() -> None:
    info = _info("pypi", Release("1.0"), Release("1.1", yanked="data loss"))
    assert _rules(metadata_evidence(info, "1.0", "1.1")) == ["YANKED"]


def test_narrowed_engines_is_evidence() -> None:
    info = _info(
        "npm",
        Release("4.22.3", metadata=(("engines.node", ">= 0.10.0"),)),
        Release("5.3.0", metadata=(("engines.node", ">= 18"),)),
    )
    found = metadata_evidence(info, "4.22.3", "5.3.0")
    assert _rules(found) == ["ENGINES_NARROWED"]
    assert "drops node 0.10–17" in found[0].summary


def test_peer_dependency_changes() -> None:
    info = _info(
        "npm",
        Release(
            "1.0.0",
            metadata=(("peerDependencies.react", "^17.0.0"), ("peerDependencies.vue", "^3")),
        ),
        Release(
            "2.0.0",
            metadata=(("peerDependencies.react", "^18.0.0"), ("peerDependencies.zod", "^3")),
        ),
    )
    found = metadata_evidence(info, "1.0.0", "2.0.0")
    summaries = {e.summary: e.breaking for e in found}
    assert summaries == {
        "peer dependency react ^17.0.0 → ^18.0.0": True,
        "peer dependency vue dropped (was ^3)": False,
        "new peer dependency zod ^3": True,
    }


def test_same_metadata_is_no_evidence() -> None:
    meta = (("engines.node", ">=14"), ("peerDependencies.react", "^18"))
    info = _info("npm", Release("1.0.0", metadata=meta), Release("1.0.1", metadata=meta))
    assert metadata_evidence(info, "1.0.0", "1.0.1") == ()


def test_range_oracles() -> None:
    assert python_allows(">=3.8,<4", "3.12.0") and not python_allows(">=3.8", "3.7.0")
    assert npm_allows("^14.17.0 || >=16", "16.0.0") and not npm_allows("^14.17.0 || >=16", "15.0.0")
    assert dropped(None, ">=3.0", PYTHON_GRID, python_allows) == [f"2.{m}" for m in range(8)]
