"""Python extraction rules that golden cases show less directly: claims, lines, includes, locks."""

from __future__ import annotations

import pytest

from steward.ecosystems.pypi import PLUGIN
from steward.ecosystems.pypi._requirements import logical_lines
from steward.ecosystems.pypi._toml_lines import TomlLines
from steward.model import Extraction


def _extract(files: dict[str, str], directory: str = ".") -> Extraction:
    def read(path: str) -> str:
        if path not in files:
            raise FileNotFoundError(path)
        return files[path]

    prefix = "" if directory == "." else directory + "/"
    names = [
        p.removeprefix(prefix)
        for p in files
        if p.startswith(prefix) and "/" not in p.removeprefix(prefix)
    ]
    return PLUGIN.extract(directory, [n for n in names if PLUGIN.claims(n)], read)


@pytest.mark.parametrize(
    ("basename", "claimed"),
    [
        ("requirements.txt", True),
        ("requirements-dev.txt", True),
        ("requirements_test.txt", True),
        ("requirements.in", True),
        ("constraints.txt", True),
        ("pyproject.toml", True),
        ("poetry.lock", True),
        ("uv.lock", True),
        ("base.txt", False),
        ("setup.py", False),
        ("package.json", False),
        ("requirements.txt.bak", False),
    ],
)
def test_claims(basename: str, claimed: bool) -> None:
    assert PLUGIN.claims(basename) is claimed


def test_continuation_lines_keep_the_first_physical_line_number() -> None:
    text = "a==1 \\\n    --hash=sha256:x \\\n    --hash=sha256:y\n# only a comment \\\nb==2  # trailing\n"
    assert list(logical_lines(text)) == [
        (1, "a==1     --hash=sha256:x     --hash=sha256:y"),
        (4, ""),
        (5, "b==2"),
    ]


def test_egg_fragments_are_not_comments() -> None:
    assert list(logical_lines("git+https://h.invalid/r.git#egg=r")) == [
        (1, "git+https://h.invalid/r.git#egg=r")
    ]


def test_includes_resolve_relative_to_the_including_file_in_a_subfolder() -> None:
    files = {
        "svc/requirements.txt": "-r reqs/base.txt\n",
        "svc/reqs/base.txt": "-r ../pins.txt\nflask==3.0.0\n",
        "svc/pins.txt": "click==8.1.7\n",
    }
    found = _extract(files, "svc")
    assert [(d.name, d.file, d.line) for d in found.dependencies] == [
        ("click", "svc/pins.txt", 1),
        ("flask", "svc/reqs/base.txt", 2),
    ]
    assert found.problems == []


def test_a_file_included_twice_yields_its_dependencies_once() -> None:
    files = {
        "requirements.txt": "-r common.txt\n-r common.txt\n",
        "requirements-dev.txt": "-r common.txt\n-r requirements.txt\n",
        "common.txt": "six==1.16.0\n",
    }
    assert [d.name for d in _extract(files).dependencies] == ["six"]


def test_a_standalone_constraints_file_declares_nothing() -> None:
    assert _extract({"constraints.txt": "requests==2.31.0\n"}).dependencies == []


def test_a_constraint_pin_does_not_override_the_requirement_s_own_pin() -> None:
    files = {"requirements.txt": "-c c.txt\nidna==3.5\n", "c.txt": "idna==3.6\n"}
    (dep,) = _extract(files).dependencies
    assert (dep.locked, dep.lock_file) == ("3.5", None)


def test_index_credentials_are_never_kept() -> None:
    found = _extract({"requirements.txt": "-i https://user:hunter2@mirror.invalid/simple\nx==1\n"})
    assert "hunter2" not in repr(found)
    assert found.dependencies[0].notes == ("index-url: https://mirror.invalid/simple",)


def test_lock_versions_fill_locked_but_a_manifest_pin_among_several_wins() -> None:
    files = {
        "pyproject.toml": '[project]\nname="x"\ndependencies=["numpy==1.26.4"]\n',
        "uv.lock": '[[package]]\nname="numpy"\nversion="1.26.4"\n[[package]]\nname="numpy"\nversion="2.0.0"\n',
    }
    (dep,) = _extract(files).dependencies
    assert (dep.locked, dep.lock_file) == ("1.26.4", "uv.lock")


def test_a_malformed_lock_file_is_a_problem_with_its_line_and_the_manifest_still_counts() -> None:
    files = {
        "pyproject.toml": '[project]\nname="x"\ndependencies=["attrs"]\n',
        "poetry.lock": "[[package]]\nname = \n",
    }
    found = _extract(files)
    assert [d.name for d in found.dependencies] == ["attrs"]
    assert [(p.file, p.line) for p in found.problems] == [("poetry.lock", 2)]


def test_poetry_2_does_not_repeat_project_dependencies() -> None:
    text = '[project]\nname="x"\ndependencies=["httpx>=0.27"]\n[tool.poetry.dependencies]\nhttpx={source="internal"}\nrich="^13"\n'
    assert [(d.name, d.line) for d in _extract({"pyproject.toml": text}).dependencies] == [
        ("httpx", 3),
        ("rich", 6),
    ]


TOML = """\
[project]
name = "x"
optional-dependencies.extra = ["b"]
dependencies = [
  "a>=1",  # "a>=1" again in a comment
  "a>=1",
]

[tool.poetry.dependencies]
"zope.interface" = "^6"
'quoted' = "*"
"""


def test_lines_of_keys_and_repeated_elements() -> None:
    lines = TomlLines(TOML)
    cursor = lines.elements(("project",), "dependencies")
    assert [cursor.next_string("a>=1"), cursor.next_string("a>=1")] == [5, 6]
    assert lines.key_line(("tool", "poetry", "dependencies"), "zope.interface") == 10
    assert lines.key_line(("tool", "poetry", "dependencies"), "quoted") == 11
    assert lines.elements(("project", "optional-dependencies"), "extra").next_string("b") == 3
    assert lines.key_line(("tool", "poetry", "dependencies"), "absent") == 9
