"""How package.json specs are read, and where dependency lines are found."""

from __future__ import annotations

import pytest

from steward.ecosystems.npm.extract import Spec, claims, extract, read_spec
from steward.ecosystems.npm.lockfile import EntryProblem, InvalidLockfile, Resolution, parse
from steward.ecosystems.npm.positions import key_lines


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("^1.2.3", Spec("^1.2.3")),
        ("", Spec("")),
        ("latest", Spec("latest", notes=("dist-tag 'latest', not a version range",))),
        ("npm:@scope/pkg@~1.0", Spec("~1.0", package="@scope/pkg", notes=("alias of @scope/pkg",))),
        ("npm:pkg", Spec("", package="pkg", notes=("alias of pkg",))),
        ("file:../x", Spec("file:../x", skip_reason="local path (file:)")),
        ("workspace:*", Spec("workspace:*", skip_reason="workspace protocol (workspace:)")),
        ("user/repo#v1", Spec("user/repo#v1", skip_reason="GitHub shorthand (git dependency)")),
        (
            "git+ssh://git@host.invalid/r.git",
            Spec("git+ssh://git@host.invalid/r.git", skip_reason="git dependency"),
        ),
        (
            "https://host.invalid/p.tgz",
            Spec("https://host.invalid/p.tgz", skip_reason="tarball URL"),
        ),
        ("1.2.3.4", Spec("1.2.3.4", skip_reason="not a valid npm version range")),
    ],
)
def test_read_spec(spec: str, expected: Spec) -> None:
    assert read_spec(spec) == expected


def test_claims_manifest_and_lock_files_only() -> None:
    assert all(map(claims, ["package.json", "package-lock.json", "npm-shrinkwrap.json"]))
    assert not any(map(claims, ["yarn.lock", "pnpm-lock.yaml", "tsconfig.json"]))


def test_key_lines_follow_nesting_strings_and_escapes() -> None:
    text = '{\n "a": "x\\"}{",\n "dependencies": {\n  "b": [1, {"c": 2}],\n  "d\\u0041": "1"\n }\n}'
    lines = key_lines(text)
    assert lines[("a",)] == 2
    assert lines[("dependencies", "b")] == 4
    assert lines[("dependencies", "dA")] == 5
    assert ("dependencies", "b", "0") not in lines


def test_extract_reports_a_missing_sibling_lock_only_through_read() -> None:
    files = {"app/package.json": '{"dependencies": {"a": "^1"}}'}

    def read(path: str) -> str:
        if path not in files:
            raise FileNotFoundError(path)
        return files[path]

    result = extract("app", ["package.json"], read)
    assert [(d.name, d.locked, d.lock_file) for d in result.dependencies] == [("a", None, None)]
    assert result.problems == []


def test_malformed_lock_file_has_a_line() -> None:
    with pytest.raises(InvalidLockfile) as error:
        parse('{\n "packages": {\n  "x": 1,\n }\n}')
    assert error.value.line == 4


def test_malformed_v1_entries_are_problems_with_lines_and_the_rest_resolves() -> None:
    lock = parse(
        '{\n "lockfileVersion": 1,\n "dependencies": {\n  "x": "1.0.0",\n'
        '  "y": {"version": 1},\n  "z": {"version": "2.0.0"}\n }\n}'
    )
    assert lock.problems == (
        EntryProblem(4, "dependencies['x'] must be an object"),
        EntryProblem(5, "dependencies['y'].version must be a string"),
    )
    assert lock.resolve("x") == Resolution(None)
    assert lock.resolve("y") == Resolution(None)
    assert lock.resolve("z") == Resolution("2.0.0")


def test_a_packages_section_that_is_not_an_object_is_a_problem() -> None:
    lock = parse('{\n "lockfileVersion": 3,\n "packages": [1, 2]\n}')
    assert lock.problems == (EntryProblem(3, "packages must be an object"),)
    assert lock.resolve("x") is None


def test_a_well_formed_lock_has_no_problems() -> None:
    lock = parse('{"lockfileVersion": 3, "packages": {"node_modules/x": {"version": "1.0.0"}}}')
    assert lock.problems == ()
    assert lock.resolve("x") == Resolution("1.0.0")
