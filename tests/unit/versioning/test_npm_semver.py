"""npm versions and ranges: hand-checked rules, then a large table cross-checked with node-semver."""

from __future__ import annotations

import itertools
import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from steward.model import UpdateType
from steward.versioning.interface import InvalidConstraint, InvalidVersion
from steward.versioning.npm import NpmSemver, parse_range

NPM = NpmSemver()
ORACLE = Path(__file__).resolve().parents[2] / "oracles" / "node"


def desugared(constraint: str, *, include_prerelease: bool = False) -> str:
    sets = parse_range(constraint, include_prerelease)
    return "||".join(" ".join(c.value for c in comparators) for comparators in sets)


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.2.3", ">=1.2.3 <2.0.0-0"),
        ("^0.2.3", ">=0.2.3 <0.3.0-0"),
        ("^0.0.3", ">=0.0.3 <0.0.4-0"),
        ("^0.0", "<0.1.0-0"),
        ("^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0"),
        ("~1.2.3", ">=1.2.3 <1.3.0-0"),
        ("~1", ">=1.0.0 <2.0.0-0"),
        ("~> 1.2", ">=1.2.0 <1.3.0-0"),
        ("1.x", ">=1.0.0 <2.0.0-0"),
        ("1.2.*", ">=1.2.0 <1.3.0-0"),
        ("*", ""),
        ("", ""),
        ("x || 1.2.3", ""),
        ("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"),
        ("1.2 - 2.3.4", ">=1.2.0 <=2.3.4"),
        (">1.2", ">=1.3.0"),
        ("<=1.x", "<2.0.0-0"),
        (">= 1.2.3 < 2", ">=1.2.3 <2.0.0-0"),
        ("=1.2.3", "1.2.3"),
        ("v1.2.3+build.5", "1.2.3"),
        ("<0.0.0-0 || 1.x", ">=1.0.0 <2.0.0-0"),
        (">=0.0.0", ""),
    ],
)
def test_ranges_desugar_as_node_semver_does(constraint: str, expected: str) -> None:
    assert desugared(constraint) == expected


def test_include_prerelease_lowers_bounds_to_the_first_prerelease() -> None:
    assert desugared("^1.2", include_prerelease=True) == ">=1.2.0-0 <2.0.0-0"


@pytest.mark.parametrize(
    "constraint", ["latest", "next", "1.2.3.4", ">>1", "1.x.2", "01.2.3", "^1 ||| 2"]
)
def test_dist_tags_and_garbage_are_not_ranges(constraint: str) -> None:
    with pytest.raises(InvalidConstraint):
        NPM.satisfies("1.0.0", constraint)


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("1.9.9", "^1.2.3", True),
        ("2.0.0-alpha", "^1.2.3", False),
        ("1.2.4-beta", ">=1.2.3 <2", False),
        ("1.2.3-beta.3", "^1.2.3-beta.2", True),
        ("1.2.4-beta.3", "^1.2.3-beta.2", False),
        ("1.2.3-beta.1", "^1.2.3-beta.2", False),
        ("3.0.0-rc.1", "1.x || >=3.0.0-rc.0", True),
        ("0.3.0", "^0.2.3", False),
        ("0.0.4", "^0.0.3", False),
        ("1.2.3", "1.2.3 || 2.x", True),
        ("2.5.0", "1.2.3 || 2.x", True),
        ("v1.2.3", "1.2.3", True),
        ("not-a-version", "*", False),
    ],
)
def test_satisfies(version: str, constraint: str, expected: bool) -> None:
    assert NPM.satisfies(version, constraint) is expected


def test_include_prerelease_lets_any_prerelease_in_range_satisfy() -> None:
    assert NpmSemver(include_prerelease=True).satisfies("1.2.4-beta", ">=1.2.3 <2")


def test_versions_order_as_semver_2() -> None:
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.10.0",
        "2.0.0",
    ]
    for a, b in itertools.pairwise(ordered):
        assert NPM.compare(a, b) == -1
        assert NPM.compare(b, a) == 1
    assert NPM.sorted(reversed(ordered)) == ordered


def test_build_metadata_does_not_order() -> None:
    assert NPM.compare("1.0.0+a", "1.0.0+b") == 0


@pytest.mark.parametrize(
    "version", ["=1.2.3", "01.2.3", "1.2", "1.2.3.4", "latest", "1.2.3-", "9" * 17 + ".0.0"]
)
def test_invalid_versions(version: str) -> None:
    assert not NPM.is_valid(version)
    with pytest.raises(InvalidVersion):
        NPM.sort_key(version)


def test_prerelease_and_release_tuple() -> None:
    assert NPM.is_prerelease("1.2.3-rc.1")
    assert not NPM.is_prerelease("1.2.3+build")
    assert NPM.release_tuple("v4.5.6-rc.1") == (4, 5, 6)


@pytest.mark.parametrize(
    ("current", "candidate", "expected"),
    [
        ("1.2.3", "2.0.0", UpdateType.MAJOR),
        ("1.2.3", "1.3.0", UpdateType.MINOR),
        ("1.2.3", "1.2.4", UpdateType.PATCH),
        ("1.2.3-rc.1", "1.2.3", UpdateType.OTHER),
    ],
)
def test_update_type(current: str, candidate: str, expected: UpdateType) -> None:
    assert NPM.update_type(current, candidate) is expected


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("1.2.3", "1.2.3"),
        ("=1.2.3", "1.2.3"),
        ("v1.2.3-rc.1", "1.2.3-rc.1"),
        ("^1.2.3", None),
        ("1.2", None),
        ("1.2.3 || 1.2.4", None),
        ("latest", None),
    ],
)
def test_pinned(constraint: str, expected: str | None) -> None:
    assert NPM.pinned(constraint) == expected


def test_max_satisfying_keeps_the_first_of_equal_versions() -> None:
    assert NPM.max_satisfying(["1.2.3+b", "1.2.3+a", "1.1.0", "2.0.0"], "^1") == "1.2.3+b"
    assert NPM.max_satisfying(["1.0.0", "2.0.0-rc.1"], ">=1") == "1.0.0"
    assert NPM.max_satisfying(["1.0.0"], "^2") is None


# --- cross-check with the real node-semver -------------------------------------------------

VERSIONS = [
    "0.0.0",
    "0.0.1",
    "0.0.3",
    "0.0.4-0",
    "0.0.4",
    "0.1.0",
    "0.2.3",
    "0.2.9",
    "0.3.0-beta",
    "0.3.0",
    "1.0.0-0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0",
    "1.0.1",
    "1.1.0",
    "1.2.0",
    "1.2.2",
    "1.2.3-alpha",
    "1.2.3-beta.2",
    "1.2.3-beta.11",
    "1.2.3",
    "1.2.3+build.1",
    "1.2.4-rc.1",
    "1.2.4",
    "1.3.0",
    "1.9.9",
    "2.0.0-0",
    "2.0.0-rc.1",
    "2.0.0",
    "2.3.4",
    "2.4.0",
    "3.0.0",
    "3.4.5",
    "10.0.0",
    "v1.2.3",
    " 1.2.5 ",
    "=1.2.3",
    "01.2.3",
    "1.2",
    "x",
    "",
    "1.2.3-01",
    "1.2.3-a..b",
    "1.2.3-x.7.z.92",
    "9007199254740991.0.0",
    "9007199254740992.0.0",
]
PARTIALS = [
    "",
    "*",
    "x",
    "X",
    "1",
    "1.2",
    "1.2.3",
    "1.x",
    "1.2.x",
    "1.x.x",
    "1.*",
    "0",
    "0.0",
    "0.2",
    "0.0.3",
    "0.2.3",
    "2",
    "2.3",
    "1.2.3-beta.2",
    "0.0.3-rc",
    "1.2.3+build",
    "x.1",
    "1.x.3",
    "01",
    "v1.2",
    "=1.2.3",
    "2.0.0-0",
]
OPERATORS = ["", "=", "<", "<=", ">", ">=", "~", "~>", "^", "v", "> ", "^ ", "~ ", ">= ", "<="]
FUZZ_TOKENS = [
    "0",
    "1",
    "2",
    "3",
    ".",
    "x",
    "*",
    "-",
    "^",
    "~",
    ">",
    "<",
    "=",
    " ",
    " ",
    "||",
    " - ",
    "beta",
    "v",
    "+b",
    "01",
    "X",
    "\t",
    "rc.1",
]


def oracle_table() -> tuple[list[str], list[tuple[str, str]]]:
    singles = [op + p for op in OPERATORS for p in PARTIALS]
    rng = random.Random(20240601)
    pairs_of = [
        f"{a} {b}" for a, b in zip(rng.sample(singles, 300), rng.sample(singles, 300), strict=True)
    ]
    alternatives = [
        f"{a} || {b}"
        for a, b in zip(rng.sample(singles, 200), rng.sample(pairs_of, 200), strict=True)
    ]
    hyphens = [f"{a} - {b}" for a in PARTIALS for b in PARTIALS]
    fuzz = ["".join(rng.choice(FUZZ_TOKENS) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    ranges = list(dict.fromkeys(singles + pairs_of + alternatives + hyphens + fuzz))
    pairs = [(r, v) for r in ranges for v in VERSIONS]
    return ranges, pairs


def ask_oracle(payload: dict[str, Any]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (ORACLE / "node_modules" / "semver").is_dir():
        pytest.skip("node-semver oracle not installed: run `npm ci --prefix tests/oracles/node`")
    done = subprocess.run(
        [node, "oracle.js"],
        cwd=ORACLE,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def ours_desugared(constraint: str, include_prerelease: bool) -> str | None:
    try:
        return desugared(constraint, include_prerelease=include_prerelease)
    except InvalidConstraint:
        return None


@pytest.mark.parametrize("include_prerelease", [False, True])
def test_ranges_agree_with_node_semver(include_prerelease: bool) -> None:
    ranges, pairs = oracle_table()
    truth = ask_oracle(
        {
            "options": {"includePrerelease": include_prerelease},
            "ranges": ranges,
            "pairs": pairs,
            "versions": VERSIONS,
        }
    )
    npm = NpmSemver(include_prerelease=include_prerelease)
    mine = [ours_desugared(r, include_prerelease) for r in ranges]
    assert [(r, m) for r, m in zip(ranges, mine, strict=True)] == list(
        zip(ranges, truth["ranges"], strict=True)
    )
    satisfied = [npm.is_valid_range(r) and npm.satisfies(v, r) for r, v in pairs]
    wrong = [(p, s) for p, s, t in zip(pairs, satisfied, truth["satisfies"], strict=True) if s != t]
    assert wrong == [], f"{len(wrong)} of {len(pairs)} disagree"
    best = [npm.max_satisfying(VERSIONS, r) if npm.is_valid_range(r) else None for r in ranges]
    assert list(zip(ranges, best, strict=True)) == list(zip(ranges, truth["max"], strict=True))


def test_versions_agree_with_node_semver() -> None:
    truth = ask_oracle({"versions": VERSIONS})
    assert [NPM.is_valid(v) for v in VERSIONS] == truth["valid"]
    assert [NPM.sort_key(v) for v in NPM.sorted(VERSIONS)] == [
        NPM.sort_key(v) for v in truth["sorted"]
    ]
