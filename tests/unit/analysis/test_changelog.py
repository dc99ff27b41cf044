"""Release notes between two versions: slicing real changelog shapes, and the evidence they give."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.analysis.changelog import (
    RULES,
    NotesSlice,
    classify,
    evidence,
    notes_files,
    sections,
    slice_notes,
    tag_version,
)
from steward.model import EvidenceKind
from steward.versioning.gosemver import GoSemver
from steward.versioning.interface import InvalidVersion
from steward.versioning.npm import NpmSemver
from steward.versioning.pep440 import PEP440

DATA = Path(__file__).resolve().parents[2] / "data" / "release-notes"
CHI = (DATA / "github.com" / "go-chi" / "chi" / "v5" / "CHANGELOG.md").read_text()
GO, PY, NPM = GoSemver(), PEP440(), NpmSemver()


def written(name: str) -> str:
    return (DATA / "written" / name).read_text()


def cut(text: str, current: str, candidate: str, versioning: object, name: str = "") -> NotesSlice:
    found = slice_notes(text, current, candidate, versioning, filename=name)  # type: ignore[arg-type]
    assert found is not None
    return found


# --- chi: a real changelog ---------------------------------------------------------------------


def test_every_chi_entry_is_read_with_its_line() -> None:
    found = sections(CHI, GO)
    assert len(found) == 40
    assert (found[0].version, found[0].line) == ("v5.0.12", 3)
    assert (found[-1].version, found[-1].line) == ("v0.9.0", 337)
    assert found[-1].text.startswith("## v0.9.0 (2016-03-31)")
    assert 'chi.URLParam(ctx, "id")' in found[-1].text


def test_chi_is_cut_by_version_order_not_file_order() -> None:
    # The v1.5.x entries sit between v5.0.0 and v4.1.2 in the file; they are not after v4.1.2.
    found = cut(CHI, "v4.1.2", "v5.0.1", GO)
    assert found.versions == ("v5.0.1", "v5.0.0")
    assert "v1.5" not in "".join(found.versions)
    assert "go.mod support" not in found.text


def test_the_current_version_is_excluded_and_the_candidate_included() -> None:
    found = cut(CHI, "v3.3.4", "v4.0.1", GO)
    assert found.versions == ("v4.0.1", "v4.0.0")
    assert found.text.startswith("## v4.0.1 (2019-01-21)")
    assert "## v3.3.4" not in found.text
    assert found.has_candidate and found.newest == "v5.0.12"


def test_a_section_ends_before_the_horizontal_rule_and_next_heading() -> None:
    v150 = next(s for s in sections(CHI, GO) if s.version == "v1.5.0")
    assert v150.text.splitlines()[-1] == "---"
    assert "## v4.1.2" not in v150.text


def test_a_prerelease_between_the_versions_is_kept() -> None:
    found = cut(CHI, "v1.5.4", "v2.0.0", GO)
    assert found.versions == ("v2.0.0", "v2.0.0-rc1")


def test_chi_v4_raises_the_minimum_go_version() -> None:
    pieces = evidence(cut(CHI, "v3.3.4", "v4.0.0", GO, "CHANGELOG.md"))
    assert pieces[0].kind is EvidenceKind.NOTES and pieces[0].breaking
    assert "NOTES_MINIMUM_RUNTIME" in pieces[0].summary
    assert pieces[0].detail.startswith("chi v4 requires Go 1.10.3+")
    assert pieces[0].source == "CHANGELOG.md, v4.0.0 (line 207)"
    assert any("http.CloseNotifier" in p.detail and not p.breaking for p in pieces)


def test_chi_v3_announces_breaking_changes_and_asks_for_new_import_paths() -> None:
    pieces = evidence(cut(CHI, "v2.1.0", "v3.0.0", GO, "CHANGELOG.md"))
    rules = {p.summary.rsplit("[", 1)[1].rstrip("]"): p for p in pieces}
    assert "breaking changes" in rules["NOTES_BREAKING"].detail
    assert "import paths" in rules["NOTES_ACTION_REQUIRED"].detail


def test_a_wrapped_bullet_is_quoted_whole() -> None:
    pieces = evidence(cut(CHI, "v1.5.4", "v2.0.0-rc1", GO))
    upgrading = next(p for p in pieces if "NOTES_ACTION_REQUIRED" in p.summary)
    assert upgrading.detail == "Users upgrading from chi v1 to v2, need to:"


def test_a_changelog_that_stopped_is_said_plainly() -> None:
    found = cut(CHI, "v5.0.12", "v5.3.2", GO, "CHANGELOG.md")
    assert found.sections == () and not found.has_candidate
    (gap,) = evidence(found)
    assert not gap.breaking
    assert gap.summary == (
        "CHANGELOG.md has no entry after v5.0.12 up to v5.3.2; its newest entry is v5.0.12"
    )


def test_a_slice_short_of_the_candidate_says_where_the_file_stops() -> None:
    found = cut(CHI, "v5.0.10", "v5.1.0", GO, "CHANGELOG.md")
    assert found.versions == ("v5.0.12", "v5.0.11")
    assert evidence(found)[-1].summary.startswith("CHANGELOG.md stops at v5.0.12: v5.1.0")


# --- other shapes (written for the tests) --------------------------------------------------------


def test_keep_a_changelog_skips_unreleased_and_link_definitions() -> None:
    found = cut(written("keepachangelog.md"), "2.3.1", "3.0.0", PY)
    assert found.versions == ("3.0.0", "2.4.0")
    assert "Streaming consumer groups" not in found.text
    assert "forge.invalid" not in found.text


def test_keep_a_changelog_evidence_reads_the_removed_section() -> None:
    pieces = evidence(cut(written("keepachangelog.md"), "2.4.0", "3.0.0", PY, "CHANGELOG.md"))
    by_detail = {p.detail: p.summary for p in pieces}
    assert (
        "NOTES_BREAKING"
        in by_detail["**BREAKING:** `Publisher.send` is now async and returns an `Ack`."]
    )
    assert "NOTES_REMOVED" in by_detail["The `legacy_codec` option."]
    assert "NOTES_REMOVED" in by_detail["Python 3.8 wheels."]


def test_a_fix_that_no_longer_loses_data_is_still_quoted_but_deprecations_do_not_break() -> None:
    pieces = evidence(cut(written("keepachangelog.md"), "2.3.0", "2.4.0", PY))
    assert [p.breaking for p in pieces if "send_sync" in p.detail] == [False]


def test_keep_a_changelog_oldest_section_ends_at_the_link_definitions() -> None:
    oldest = sections(written("keepachangelog.md"), PY)[-1]
    assert oldest.version == "2.3.0" and oldest.text.endswith("Requires Python >= 3.9.")
    assert "NOTES_MINIMUM_RUNTIME" in classify("Requires Python >= 3.9.").id  # type: ignore[union-attr]


def test_conventional_changelog_reads_patch_releases_at_a_deeper_level() -> None:
    found = cut(written("conventional.md"), "4.1.0", "5.0.0", NPM)
    assert found.versions == ("5.0.0", "4.2.1", "4.2.0")
    assert "9.9.9" not in found.versions


def test_items_under_breaking_changes_are_breaking_whatever_their_wording() -> None:
    pieces = evidence(cut(written("conventional.md"), "4.2.1", "5.0.0", NPM, "CHANGELOG.md"))
    summaries = {p.detail: p.summary for p in pieces}
    assert "NOTES_DROPPED_SUPPORT" in summaries["drop support for Node 16"]
    assert "NOTES_RENAMED" in summaries["the `validate()` export is renamed to `check()`"]
    assert all("check()` with structured errors" not in d for d in summaries)


def test_engines_node_raised_is_a_minimum_runtime() -> None:
    pieces = evidence(cut(written("conventional.md"), "4.1.0", "4.2.0", NPM))
    assert [p.summary for p in pieces] == [
        "4.2.0: the minimum Go, Python or Node version was raised [NOTES_MINIMUM_RUNTIME]"
    ]


def test_setext_history_in_npm_order() -> None:
    found = cut(written("History.md"), "4.18.2", "4.19.0", NPM, "History.md")
    assert found.versions == ("4.19.0", "4.18.3")
    assert found.text.startswith("4.19.0 / 2024-03-20\n===")
    (removed,) = [p for p in evidence(found) if p.breaking]
    assert removed.detail == "Removed the deprecated `res.sendfile` alias"


def test_restructuredtext_sections_keep_their_subsections() -> None:
    found = cut(written("CHANGES.rst"), "2.0.1", "2.1.0", PY, "CHANGES.rst")
    assert found.versions == ("2.1.0",)
    assert "Client.fetch" in found.text and "Version 2.0.1" not in found.text
    pieces = evidence(found)
    assert "NOTES_NO_LONGER" in pieces[0].summary
    assert pieces[0].detail.startswith(
        "``Client.get`` no longer follows redirects by default; pass"
    )
    assert [p.breaking for p in pieces if "Client.fetch" in p.detail] == [False]


def test_restructuredtext_major_release_drops_python_and_renames() -> None:
    pieces = evidence(cut(written("CHANGES.rst"), "1.9", "2.0.0", PY))
    assert ["DROPPED_SUPPORT" in pieces[0].summary, "RENAMED" in pieces[1].summary] == [True, True]


def test_plain_version_lines_are_headings() -> None:
    found = cut(written("NEWS"), "1.4.1", "1.5.0", PY)
    assert found.versions == ("1.5.0", "1.4.2")
    assert "REMOVED" in evidence(found)[0].summary


def test_release_headings() -> None:
    found = cut(written("RELEASES.md"), "0.8.1", "0.9.0", PY)
    assert found.versions == ("0.9.0",)
    (piece,) = evidence(found)
    assert "NOTES_ACTION_REQUIRED" in piece.summary


def test_an_oldest_first_file_is_cut_the_same() -> None:
    found = cut(written("oldest-first.md"), "v1.1.0", "v1.3.0", GO)
    assert found.versions == ("v1.3.0", "v1.2.0")
    assert found.text.startswith("## v1.2.0")
    assert [p.summary.split("[")[1] for p in evidence(found)] == [
        "NOTES_BREAKING]",
        "NOTES_MINIMUM_RUNTIME]",
    ]


def test_text_without_version_headings_is_none() -> None:
    assert slice_notes("# My project\n\nIt does things.\n", "1.0.0", "2.0.0", PY) is None
    assert slice_notes("## Upgrading to 2.0\n\nRead this.\n", "1.0.0", "2.0.0", PY) is None


def test_versions_outside_the_scheme_are_refused() -> None:
    with pytest.raises(InvalidVersion):
        slice_notes(CHI, "4.1.2", "v5.0.0", GO)


# --- rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("BREAKING CHANGE: the config file moved", "NOTES_BREAKING"),
        ("This is a backwards-incompatible release", "NOTES_BREAKING"),
        ("Bump minimum Go version to 1.21", "NOTES_MINIMUM_RUNTIME"),
        ("requires Node.js >= 18", "NOTES_MINIMUM_RUNTIME"),
        ("Dropped support for Python 3.8", "NOTES_DROPPED_SUPPORT"),
        ("Support for Windows 7 has been removed", "NOTES_DROPPED_SUPPORT"),
        ("`Foo` was renamed to `Bar`", "NOTES_RENAMED"),
        ("Removed `Client.old`", "NOTES_REMOVED"),
        ("Timeouts are no longer retried", "NOTES_NO_LONGER"),
        ("Deprecate `Parse`", "NOTES_DEPRECATED"),
    ],
)
def test_a_line_is_classified_by_its_rule(line: str, rule: str) -> None:
    found = classify(line)
    assert found is not None and found.id == rule


@pytest.mark.parametrize(
    "line", ["Non-breaking internal refactor", "Fix a typo in the README", "Add `Client.stream`"]
)
def test_ordinary_lines_are_not_evidence(line: str) -> None:
    assert classify(line) is None


def test_rule_ids_are_unique_and_upper_snake() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) and all(i.isupper() and i.startswith("NOTES_") for i in ids)


# --- where notes live ----------------------------------------------------------------------------


def test_notes_files_are_ranked_and_confined_to_the_root() -> None:
    names = [
        "m@v1.0.0/docs/CHANGES.rst",
        "m@v1.0.0/vendor/x/CHANGELOG.md",
        "m@v1.0.0/NEWS",
        "m@v1.0.0/CHANGELOG.md",
        "m@v1.0.0/changelog.go",
        "other/CHANGELOG.md",
    ]
    assert notes_files(names, "m@v1.0.0/") == [
        "m@v1.0.0/CHANGELOG.md",
        "m@v1.0.0/NEWS",
        "m@v1.0.0/docs/CHANGES.rst",
    ]


@pytest.mark.parametrize(
    ("tag", "package", "version"),
    [
        ("v5.0.13", "", "v5.0.13"),
        ("release-1.2.3", "", "v1.2.3"),
        ("pkg@1.2.3", "pkg", "v1.2.3"),
        ("other@1.2.3", "pkg", None),
        ("nightly", "", None),
    ],
)
def test_tag_versions(tag: str, package: str, version: str | None) -> None:
    assert tag_version(tag, GO, package) == version


# --- properties ----------------------------------------------------------------------------------

_versions = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)), min_size=1, unique=True
)


@given(_versions, st.booleans(), st.sampled_from(["## v{}", "## [{}] - 2024-01-01", "{} (2024)"]))
def test_any_file_order_gives_the_same_slice(
    triples: list[tuple[int, int, int]], newest_first: bool, shape: str
) -> None:
    versions = sorted(f"{a}.{b}.{c}" for a, b, c in triples)
    ordered = list(reversed(versions)) if newest_first else versions
    text = "\n\n".join(shape.format(v) + f"\n\n- entry of {v}" for v in ordered)
    found = slice_notes(text, "0.0.0-0", "2.2.2", NPM)
    assert found is not None
    expected = [v for v in versions if NPM.compare(v, "2.2.2") <= 0]
    assert [v.lstrip("v") for v in found.versions] == list(reversed(expected))
    assert all(f"- entry of {v}" in found.text for v in expected)
