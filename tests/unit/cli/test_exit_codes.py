"""Exit codes: one mapping, findings win over partial results."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.cli.main import EXIT_CLEAN, EXIT_FINDINGS, EXIT_PARTIAL, EXIT_USAGE, exit_code, main


@pytest.mark.parametrize(
    ("over", "not_checked", "expected"),
    [(0, 0, EXIT_CLEAN), (2, 0, EXIT_FINDINGS), (0, 1, EXIT_PARTIAL), (1, 1, EXIT_FINDINGS)],
)
def test_exit_code_mapping(over: int, not_checked: int, expected: int) -> None:
    assert exit_code(over, not_checked) == expected


def test_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deps", str(tmp_path / "nope")]) == EXIT_USAGE
    assert "not a folder" in capsys.readouterr().err


def test_unknown_option_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["deps", "--format", "xml"])
    assert raised.value.code == EXIT_USAGE


def test_a_broken_steward_toml_is_a_usage_error_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "steward.toml").write_text("[registries\n")
    assert main(["deps", str(tmp_path), "--no-lookup"]) == EXIT_USAGE
    assert "steward.toml" in capsys.readouterr().err


def test_an_output_file_that_cannot_be_written_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "report.json"
    assert main(["deps", str(tmp_path), "--no-lookup", "--output", str(target)]) == EXIT_USAGE
    assert "cannot write" in capsys.readouterr().err
