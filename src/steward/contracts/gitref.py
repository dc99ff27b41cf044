"""Read a tree's schema files as they were at a git ref, with git itself and no checkout.

``git ls-tree -r -z --full-tree REF`` lists the files at the ref, `discover.format_of` keeps the
schema files (by name, then by content for ``*.json``), and one ``git cat-file --batch`` reads
their texts. The work tree and the index are never touched.

Errors::

    GitError(ValueError)    git is missing, the folder is not in a repository, or the ref is unknown
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path, PurePosixPath

from steward.contracts.discover import SchemaFile, decode, format_of
from steward.discover import SKIPPED_DIRS


class GitError(ValueError):
    """git cannot answer: not installed, not a repository, or an unknown ref (git's words kept)."""


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    if shutil.which("git") is None:
        raise GitError("git is not installed")
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False
        )
    except OSError as error:
        raise GitError(f"git could not run: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def toplevel(path: Path) -> Path:
    """The top folder of the git work tree holding ``path``; raises `GitError`."""
    folder = path if path.is_dir() else path.parent
    return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())


def resolve(repo: Path, ref: str) -> str:
    """The commit ``ref`` names in ``repo``; raises `GitError` for an unknown ref."""
    if ref.startswith("-"):
        raise GitError(f"not a git ref: {ref!r}")
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"unknown git ref {ref!r}") from None


def schemas_at_ref(path: Path, ref: str) -> list[SchemaFile]:
    """The schema files under ``path`` as they were at ``ref``, paths relative to ``path``.

    Raises `GitError` when ``path`` is not in a git work tree or ``ref`` is unknown.
    """
    top = toplevel(path)
    commit = resolve(top, ref)
    prefix = path.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    blobs = _schema_blobs(top, commit, prefix)
    texts = _read_blobs(top, [sha for _, sha in blobs])
    found = []
    for (file, _), text in zip(blobs, texts, strict=True):
        kind = format_of(PurePosixPath(file).name, text)
        if kind is not None:
            found.append(SchemaFile(file[len(prefix) :], kind, text))
    return sorted(found, key=lambda s: s.path)


def _schema_blobs(top: Path, commit: str, prefix: str) -> list[tuple[str, str]]:
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit)
    blobs = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.decode("utf-8", "replace").partition("\t")
        _mode, kind, sha = meta.split()
        if kind != "blob" or not name.startswith(prefix):
            continue
        parts = PurePosixPath(name).parts
        if any(p in SKIPPED_DIRS for p in parts[:-1]):
            continue
        if format_of(parts[-1], '"$schema" "json-schema.org"') is not None:
            blobs.append((name, sha))
    return blobs


def _read_blobs(top: Path, shas: list[str]) -> list[str]:
    """Texts of the blobs ``shas``, in order, read by one ``git cat-file --batch``."""
    if not shas:
        return []
    out = _git(top, "cat-file", "--batch", stdin="".join(s + "\n" for s in shas).encode())
    texts, at = [], 0
    for _ in shas:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        start = header_end + 1
        texts.append(decode(out[start : start + size]))
        at = start + size + 1
    return texts


def materialise(schemas: list[SchemaFile], dest: Path) -> Path:
    """Write ``schemas`` under ``dest`` at their relative paths (for checkers that read folders).

    A path is always kept inside ``dest``: a leading ``/``, ``.`` and ``..`` parts are dropped.
    """
    for schema in schemas:
        parts = [p for p in PurePosixPath(schema.path).parts if p not in ("/", ".", "..")]
        file = dest.joinpath(*parts) if parts else dest / "schema"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(schema.text, encoding="utf-8")
    return dest
