"""go.mod / go.work reading: comments, retractions, deprecation, module path majors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from steward.ecosystems.gomod.extract import claims, extract
from steward.ecosystems.gomod.modfile import (
    check_path_major,
    is_directory_path,
    lex_line,
    parse_mod,
    parse_work,
    split_path_version,
)


def test_lexer_splits_punctuation_strings_and_comments() -> None:
    tokens, comment = lex_line('retract [v1.0.0,v1.0.1] "a b" x//y // note')
    assert tokens == ["retract", "[", "v1.0.0", ",", "v1.0.1", "]", '"a b"', "x"]
    assert comment == "y // note"


def test_comment_markers_inside_a_quoted_string_are_text() -> None:
    tokens, comment = lex_line('require "example.com/a//b" v1.0.0')
    assert tokens == ["require", '"example.com/a//b"', "v1.0.0"]
    assert comment is None


def test_retract_rationale_is_the_comment_before_or_after_the_directive() -> None:
    mod = parse_mod(
        "module example.com/m\n"
        "\n"
        "// v1.0.0 was published too early.\n"
        "retract v1.0.0\n"
        "\n"
        "// separated by a blank line: not attached\n"
        "\n"
        "retract [v1.1.0, v1.1.2] // data race\n"
        "retract ( // applies to lines without their own comment\n"
        "\tv1.2.0\n"
        "\tv1.3.0 // own reason\n"
        ")\n"
    )
    assert [(r.low, r.high, r.rationale) for r in mod.retracts] == [
        ("v1.0.0", "v1.0.0", "v1.0.0 was published too early."),
        ("v1.1.0", "v1.1.2", "data race"),
        ("v1.2.0", "v1.2.0", "applies to lines without their own comment"),
        ("v1.3.0", "v1.3.0", "own reason"),
    ]
    assert mod.problems == []


def test_module_deprecation_paragraph_is_read() -> None:
    mod = parse_mod(
        "// Package m does things.\n//\n// Deprecated: use example.com/m/v2.\nmodule example.com/m\n"
    )
    assert mod.module == "example.com/m"
    assert mod.deprecated == "use example.com/m/v2."


def test_lax_reading_ignores_what_only_a_main_module_may_say() -> None:
    text = "module example.com/dep\nfrobnicate x\nreplace a => ../a\nexclude b v1.0.0\nretract v0.1.0\n"
    lax = parse_mod(text, strict=False)
    assert lax.problems == [] and lax.replaces == [] and lax.excludes == []
    assert [r.low for r in lax.retracts] == ["v0.1.0"]
    strict = parse_mod(text)
    assert [p.message for p in strict.problems] == ["unknown directive: frobnicate"]


def test_non_canonical_versions_are_read_in_canonical_form() -> None:
    mod = parse_mod("require example.com/a v1.2\nrequire example.com/b v1.2.3+meta\n")
    assert [(r.written, r.version) for r in mod.requires] == [
        ("v1.2", "v1.2.0"),
        ("v1.2.3+meta", "v1.2.3"),
    ]


def test_go_work_reads_use_and_replace() -> None:
    work = parse_work('go 1.22\nuse (\n\t./a\n\t"./b c"\n)\nreplace x.org/y => ./y\n')
    assert [u.value for u in work.uses] == ["./a", "./b c"]
    assert [(r.old_path, r.new_path, r.is_local) for r in work.replaces] == [
        ("x.org/y", "./y", True)
    ]
    assert work.go is not None and work.go.value == "1.22"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("example.com/x", ("example.com/x", "")),
        ("example.com/x/v2", ("example.com/x", "/v2")),
        ("example.com/x/v10", ("example.com/x", "/v10")),
        ("example.com/x/v1", None),
        ("example.com/x/v02", None),
        ("example.com/x/v2.1", None),
        ("example.com/v2x", ("example.com/v2x", "")),
        ("gopkg.in/yaml.v3", ("gopkg.in/yaml", ".v3")),
        ("gopkg.in/yaml.v0", ("gopkg.in/yaml", ".v0")),
        ("gopkg.in/check.v1-unstable", ("gopkg.in/check", ".v1-unstable")),
        ("gopkg.in/yaml", None),
    ],
)
def test_split_path_version_as_the_go_command(path: str, expected: tuple[str, str] | None) -> None:
    assert split_path_version(path) == expected


@pytest.mark.parametrize(
    ("path", "version", "ok"),
    [
        ("example.com/x", "v1.5.0", True),
        ("example.com/x", "v0.1.0", True),
        ("example.com/x", "v2.0.0+incompatible", True),
        ("example.com/x", "v2.0.0", False),
        ("example.com/x/v2", "v2.3.0", True),
        ("example.com/x/v2", "v3.0.0", False),
        ("gopkg.in/check.v1", "v0.0.0-20161208181325-20d25e280405", True),
        ("gopkg.in/check.v1-unstable", "v1.0.0", True),
        ("gopkg.in/yaml.v2", "v3.0.0", False),
    ],
)
def test_check_path_major(path: str, version: str, ok: bool) -> None:
    assert (check_path_major(path, version) is None) is ok


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("./x", True),
        ("../x", True),
        ("/abs", True),
        ("C:\\x", True),
        (".\\x", True),
        ("x/y", False),
        ("example.com/x", False),
    ],
)
def test_directory_paths(path: str, expected: bool) -> None:
    assert is_directory_path(path) is expected


def reader(files: dict[str, str]) -> Callable[[str], str]:
    """A Reader over in-memory files: missing ones raise FileNotFoundError, as the contract says."""

    def read(path: str) -> str:
        if path not in files:
            raise FileNotFoundError(path)
        return files[path]

    return read


def test_claims_only_go_mod_and_go_work() -> None:
    assert claims("go.mod") and claims("go.work")
    assert not claims("go.sum") and not claims("go.work.sum") and not claims("Gopkg.toml")


def test_extract_names_files_relative_to_the_scan_root() -> None:
    files = {"svc/a/go.mod": "module m\nrequire example.com/x v1.0.0\n"}
    result = extract("svc/a", ["go.mod"], reader(files))
    assert [(d.file, d.line, d.name) for d in result.dependencies] == [
        ("svc/a/go.mod", 2, "example.com/x")
    ]


def test_extract_reports_an_unreadable_file_and_goes_on() -> None:
    def read(path: str) -> str:
        raise FileNotFoundError(path)

    result = extract(".", ["go.mod"], read)
    assert result.dependencies == []
    assert [(p.file, p.line) for p in result.problems] == [("go.mod", 0)]


def test_a_go_work_above_that_does_not_use_the_module_changes_nothing() -> None:
    files = {
        "go.work": "go 1.22\nuse ./other\nreplace example.com/x => example.com/y v1.0.0\n",
        "svc/go.mod": "module m\nrequire example.com/x v1.0.0\n",
    }
    result = extract("svc", ["go.mod"], reader(files))
    assert result.dependencies[0].package is None
