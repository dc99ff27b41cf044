"""`.proto` files → a ``FileDescriptorSet``, through ``protoc`` as shipped in ``grpcio-tools``.

This is the one module of the Protobuf package that touches the file system: it lists the
``.proto`` files under an import root, runs the real compiler front end in-process
(``grpc_tools.protoc``, with the well-known types shipped beside it on the import path) and reads
back the descriptor set it wrote, source info included. A file that does not compile becomes a
`CompileError` with its path and line; the other files are compiled without it, so one broken file
never hides the rest.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from google.protobuf import descriptor_pb2
from grpc_tools import protoc  # type: ignore[import-untyped]  # ships no type information

#: Folders never searched for ``.proto`` files.
SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "vendor", "__pycache__"})
#: How often compilation is retried without the files that failed.
MAX_ATTEMPTS = 8

_ERROR_LINE = re.compile(r"^(?P<path>[^:\n]+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")


@dataclass(frozen=True, slots=True)
class CompileError:
    """A file ``protoc`` rejected: its path relative to the root, 1-based line (0: unknown), why."""

    path: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Compiled:
    """What compiling one import root gave.

    ``targets`` are the files of the root that compiled (relative POSIX paths, as the descriptors
    name them); ``files`` holds their descriptors and those of everything they import, imports
    first; ``errors`` lists the files that did not compile.
    """

    targets: tuple[str, ...]
    files: tuple[descriptor_pb2.FileDescriptorProto, ...]
    errors: tuple[CompileError, ...]


def well_known_root() -> Path:
    """The folder holding ``google/protobuf/*.proto`` as shipped inside ``grpcio-tools``."""
    return Path(str(resources.files("grpc_tools") / "_proto"))


def discover(root: Path) -> list[str]:
    """Every ``.proto`` file under ``root``, as sorted POSIX paths relative to it."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        base = Path(folder).relative_to(root)
        found += [(base / name).as_posix() for name in files if name.endswith(".proto")]
    return sorted(found)


def compile_root(root: Path, files: Sequence[str] | None = None) -> Compiled:
    """Compile ``files`` (default: every ``.proto`` under ``root``) with ``root`` as import root."""
    root = root.resolve()
    pending = list(discover(root) if files is None else files)
    errors: list[CompileError] = []
    for _ in range(MAX_ATTEMPTS):
        if not pending:
            break
        descriptors, failed = _run_protoc(root, pending)
        if not failed:
            return Compiled(tuple(pending), descriptors, tuple(errors))
        errors += failed
        broken = {error.path for error in failed}
        pending = [name for name in pending if name not in broken]
    return Compiled((), (), tuple(errors))


def compile_file(path: Path, *, name: str | None = None) -> Compiled:
    """Compile one ``.proto`` file with its folder as import root, optionally renamed ``name``."""
    compiled = compile_root(path.parent, [path.name])
    if name is None or name == path.name or not compiled.targets:
        return compiled
    files = tuple(_renamed(f, path.name, name) for f in compiled.files)
    return Compiled((name,), files, compiled.errors)


def _renamed(
    file: descriptor_pb2.FileDescriptorProto, old: str, new: str
) -> descriptor_pb2.FileDescriptorProto:
    if file.name != old:
        return file
    copy = descriptor_pb2.FileDescriptorProto()
    copy.CopyFrom(file)
    copy.name = new
    return copy


def _run_protoc(
    root: Path, files: Sequence[str]
) -> tuple[tuple[descriptor_pb2.FileDescriptorProto, ...], list[CompileError]]:
    with tempfile.TemporaryDirectory(prefix="steward-protoc-") as scratch:
        out = Path(scratch) / "set.pb"
        arguments = [
            "protoc",
            f"--proto_path={root}",
            f"--proto_path={well_known_root()}",
            f"--descriptor_set_out={out}",
            "--include_imports",
            "--include_source_info",
            *files,
        ]
        with _captured_stderr(Path(scratch) / "stderr") as captured:
            status = protoc.main(arguments)
        messages = captured.read_text(encoding="utf-8", errors="replace")
        if status != 0:
            return (), _errors(messages, root, files)
        descriptor_set = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
        return tuple(descriptor_set.file), []


@contextmanager
def _captured_stderr(target: Path) -> Iterator[Path]:
    """Send file descriptor 2 (where ``protoc`` writes) to ``target`` while the block runs."""
    saved = os.dup(2)
    try:
        with target.open("wb") as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield target
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _errors(messages: str, root: Path, files: Sequence[str]) -> list[CompileError]:
    errors: dict[str, CompileError] = {}
    for raw in messages.splitlines():
        error = _parse_error(raw, root)
        if error is not None and error.path in files and error.path not in errors:
            errors[error.path] = error
    if not errors:
        reason = messages.strip().splitlines()[-1] if messages.strip() else "protoc failed"
        errors = {name: CompileError(name, 0, reason) for name in files}
    return list(errors.values())


def _parse_error(raw: str, root: Path) -> CompileError | None:
    match = _ERROR_LINE.match(raw.strip())
    if match is None:
        text = raw.strip()
        if ": " in text and text.split(": ", 1)[0].endswith(".proto"):
            path, message = text.split(": ", 1)
            return CompileError(_relative(path, root), 0, message)
        return None
    if match["message"].startswith("warning:"):
        return None
    return CompileError(_relative(match["path"], root), int(match["line"]), match["message"])


def _relative(path: str, root: Path) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            return candidate.as_posix()
    try:
        return candidate.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return candidate.as_posix()
