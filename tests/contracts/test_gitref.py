"""Schemas at a git ref, read with git itself from a real repository, without a checkout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from steward.contracts.gitref import GitError, materialise, schemas_at_ref

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

V1 = '{"type": "record", "name": "A", "fields": [{"name": "id", "type": "string"}]}\n'
V2 = '{"type": "record", "name": "A", "fields": [{"name": "id", "type": "long"}]}\n'


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def make_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    return repo


def test_schemas_are_read_as_they_were_at_the_ref_and_the_tree_is_untouched(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "contracts/a.avsc": V1,
            "contracts/b.schema.json": '{"type": "object"}',
            "contracts/c.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema"}',
            "tsconfig.json": '{"$schema": "https://json.schemastore.invalid/tsconfig"}',
            "contracts/o.proto": 'syntax = "proto3";\n',
            "node_modules/x/v.avsc": V1,
            "README.md": "hello",
        },
    )
    (repo / "contracts" / "a.avsc").write_text(V2)
    found = {s.path: s for s in schemas_at_ref(repo, "HEAD")}
    assert sorted(found) == [
        "contracts/a.avsc",
        "contracts/b.schema.json",
        "contracts/c.json",
        "contracts/o.proto",
    ]
    assert found["contracts/a.avsc"].text == V1 and found["contracts/a.avsc"].format == "avro"
    assert found["contracts/o.proto"].format == "protobuf"
    assert (repo / "contracts" / "a.avsc").read_text() == V2
    assert git(repo, "status", "--porcelain").strip() == "M contracts/a.avsc"


def test_a_subfolder_gives_paths_relative_to_itself(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"contracts/a.avsc": V1, "other/b.avsc": V1})
    assert [s.path for s in schemas_at_ref(repo / "contracts", "HEAD")] == ["a.avsc"]


def test_an_unknown_ref_is_a_git_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.avsc": V1})
    with pytest.raises(GitError):
        schemas_at_ref(repo, "no-such-branch")
    with pytest.raises(GitError):
        schemas_at_ref(repo, "--output=/tmp/x")


def test_a_folder_outside_a_repository_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(GitError):
        schemas_at_ref(tmp_path, "HEAD")


def test_materialise_keeps_every_file_inside_the_destination(tmp_path: Path) -> None:
    from steward.contracts.discover import SchemaFile

    dest = tmp_path / "out"
    outside = tmp_path / "victim.avsc"
    materialise([SchemaFile(str(outside), "avro", V2), SchemaFile("../up.avsc", "avro", V2)], dest)
    assert not outside.exists() and not (tmp_path / "up.avsc").exists()
    assert (dest / outside.relative_to("/")).read_text() == V2
    assert (dest / "up.avsc").read_text() == V2
