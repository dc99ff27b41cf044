"""The real ``buf breaking`` as the oracle: same verdict and same rule IDs on every case.

Every case folder is checked under each of buf's four main categories, by buf and by Steward.
Steward's informational findings (a deletion with number and name reserved) are not buf's and are
left out of the comparison; they are never breaking.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from steward.contracts import protobuf
from tests.contracts.protobuf.cases import BUF_MISSING, buf_available, buf_breaking, case_dirs

pytestmark = pytest.mark.skipif(not buf_available(), reason=BUF_MISSING)

CATEGORIES = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE")
#: Where Steward deliberately differs from buf 1.75: (case, category) → the rule only Steward
#: reports. buf lists PACKAGE_ENUM_NO_DELETE and PACKAGE_EXTENSION_NO_DELETE in its PACKAGE
#: category but reports nothing when an enum or an extension is deleted from a package (its
#: PACKAGE_MESSAGE_NO_DELETE does report a deleted message); generated code that used them breaks
#: all the same, so Steward reports them.
DIFFERENCES: dict[tuple[str, str], str] = {
    ("ENUM_NO_DELETE", "PACKAGE"): "PACKAGE_ENUM_NO_DELETE",
    ("PACKAGE_ENUM_NO_DELETE", "PACKAGE"): "PACKAGE_ENUM_NO_DELETE",
    ("EXTENSION_NO_DELETE", "PACKAGE"): "PACKAGE_EXTENSION_NO_DELETE",
    ("PACKAGE_EXTENSION_NO_DELETE", "PACKAGE"): "PACKAGE_EXTENSION_NO_DELETE",
}
CASES = case_dirs()
PAIRS = [(case, category) for case in CASES for category in CATEGORIES]

Verdict = tuple[bool, list[str]]


@pytest.fixture(scope="module")
def buf_verdicts() -> dict[tuple[str, str], Verdict]:
    """buf's verdict on every (case, category), run a few at a time."""

    def run(pair: tuple[Path, str]) -> Verdict:
        case, category = pair
        return buf_breaking(case / "previous", case / "current", category)

    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(run, PAIRS))
    return {(case.name, category): v for (case, category), v in zip(PAIRS, verdicts, strict=True)}


def steward_verdict(case: Path, category: str) -> Verdict:
    found = protobuf.check(case / "previous", case / "current", categories=[category])
    breaking = [f for f in found if f.breaking]
    return bool(breaking), sorted(f.rule for f in breaking)


@pytest.mark.parametrize(("case", "category"), PAIRS, ids=[f"{c.name}-{cat}" for c, cat in PAIRS])
def test_same_verdict_and_rules_as_buf(
    case: Path, category: str, buf_verdicts: dict[tuple[str, str], Verdict]
) -> None:
    ours, theirs = steward_verdict(case, category), buf_verdicts[(case.name, category)]
    only_ours = DIFFERENCES.get((case.name, category))
    if only_ours is not None:
        assert theirs == (False, []), "buf now reports this: drop it from DIFFERENCES"
        assert ours == (True, [only_ours])
        return
    assert ours == theirs
