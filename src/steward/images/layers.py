"""Image layers → the few files Steward reads, merged as the container runtime would. Pure.

A layer is a tar archive, plain, gzip or zstd compressed (told by its magic bytes, whatever the
media type says). `read_layer` streams it once, in memory, and keeps only:

* regular files the caller ``wants`` (by path; a few package databases and ``os-release``),
* every symbolic link (name → target: small, and needed to resolve ``etc/os-release`` →
  ``../usr/lib/os-release`` or a merged ``/usr``),
* whiteouts (``dir/.wh.name`` deletes ``dir/name`` from the layers below) and opaque
  directories (``dir/.wh..wh..opq`` hides everything the layers below put in ``dir``),
* the paths of other non-directory entries only as far as they hide a lower directory.

`merge` applies layers in order (OCI image spec, "Applying Changesets"): a layer's whiteouts
and opaque markers act on the layers below it only, then its own entries are added; an entry
replaces whatever a lower layer had at that path and below it. `RootFs.read` resolves symbolic
links inside the image root (at most 40 hops).

Guards, each an `InvalidLayer` naming the layer and the member::

    UnsafeLayer       a member name or hard link that climbs out of the root (``../``), or a
                      relative symbolic link on a path Steward reads that leaves the root
    LayerTooLarge     more than ``max_layer_bytes`` uncompressed, a wanted file above
                      ``max_file_bytes``, or more than ``max_entries`` kept entries
    InvalidLayer      anything else: not a tar, a truncated or corrupt stream

Nothing is written to disk.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
MAX_HOPS = 40


class InvalidLayer(ValueError):
    """A layer Steward refuses to read; ``layer`` is its digest, ``member`` the entry at fault."""

    def __init__(self, message: str, layer: str = "", member: str = "") -> None:
        super().__init__(message)
        self.layer = layer
        self.member = member


class UnsafeLayer(InvalidLayer):
    """A layer whose names or links would reach outside the image root."""


class LayerTooLarge(InvalidLayer):
    """A layer, or a file in it, beyond the configured limits."""


@dataclass(frozen=True)
class LayerLimits:
    """How much one layer may hold before it is refused."""

    max_layer_bytes: int = 512 * 2**20
    max_file_bytes: int = 64 * 2**20
    max_entries: int = 1_000_000


@dataclass(frozen=True)
class LayerFiles:
    """What one layer contributes: wanted files, links, whiteouts and hiding entries."""

    digest: str
    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    whiteouts: frozenset[str] = frozenset()
    opaque: frozenset[str] = frozenset()
    #: Paths of every other non-directory entry (they hide a lower directory of that name).
    others: frozenset[str] = frozenset()


def clean(name: str, layer: str = "") -> str:
    """A member name as a path relative to the root (``./a//b/`` → ``a/b``); raises
    `UnsafeLayer` when ``..`` would climb above the root."""
    parts: list[str] = []
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise UnsafeLayer(f"layer {layer}: {name!r} climbs out of the root", layer, name)
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def decompressed(data: bytes) -> IO[bytes]:
    """A stream of ``data`` decompressed: gzip and zstd by their magic bytes, else as is."""
    if data.startswith(GZIP_MAGIC):
        return gzip.GzipFile(fileobj=io.BytesIO(data))  # type: ignore[return-value]  # IO[bytes] in all but name
    if data.startswith(ZSTD_MAGIC):
        try:
            import zstandard
        except ImportError as error:  # pragma: no cover - a runtime dependency
            raise InvalidLayer("a zstd layer, and the zstandard package is missing") from error
        reader = zstandard.ZstdDecompressor().stream_reader(
            io.BytesIO(data), read_across_frames=True
        )
        return reader  # a binary reader
    return io.BytesIO(data)


class _Capped(io.RawIOBase):
    """Reads ``stream`` and refuses to go past ``limit`` bytes (a decompression bomb)."""

    def __init__(self, stream: IO[bytes], limit: int, layer: str) -> None:
        self.stream, self.limit, self.layer, self.count = stream, limit, layer, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.stream.read(len(buffer))
        self.count += len(chunk)
        if self.count > self.limit:
            raise LayerTooLarge(
                f"layer {self.layer}: more than {self.limit} bytes uncompressed", self.layer
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def read_layer(
    data: bytes,
    digest: str,
    wanted: Callable[[str], bool],
    limits: LayerLimits | None = None,
) -> LayerFiles:
    """The entries of one layer Steward keeps (see the module docstring); raises `InvalidLayer`."""
    limits = limits or LayerLimits()
    try:
        stream = _Capped(decompressed(data), limits.max_layer_bytes, digest)
        with tarfile.open(fileobj=io.BufferedReader(stream), mode="r|") as archive:
            return _collect(archive, digest, wanted, limits)
    except InvalidLayer:
        raise
    except (tarfile.TarError, zlib.error, EOFError, OSError, ValueError) as error:
        raise InvalidLayer(f"layer {digest}: not a readable tar stream ({error})", digest) from None
    except Exception as error:  # zstandard.ZstdError and kin: a corrupt stream, nothing else
        if type(error).__module__.startswith("zstandard"):
            raise InvalidLayer(f"layer {digest}: corrupt zstd stream ({error})", digest) from None
        raise


def _collect(
    archive: tarfile.TarFile, digest: str, wanted: Callable[[str], bool], limits: LayerLimits
) -> LayerFiles:
    files: dict[str, bytes] = {}
    links: dict[str, str] = {}
    whiteouts: set[str] = set()
    opaque: set[str] = set()
    others: set[str] = set()
    for member in archive:
        path = clean(member.name, digest)
        if not path or member.isdir():
            continue
        parent, _, base = path.rpartition("/")
        if base == OPAQUE:
            opaque.add(parent)
        elif base.startswith(WHITEOUT):
            whiteouts.add(f"{parent}/{base[len(WHITEOUT) :]}".lstrip("/"))
        elif member.issym():
            links[path] = member.linkname
        elif member.islnk():
            _hard_link(files, others, path, clean(member.linkname, digest))
        elif member.isfile() and wanted(path):
            files[path] = _content(archive, member, path, digest, limits)
        else:
            others.add(path)
        if len(files) + len(links) + len(whiteouts) > limits.max_entries:
            raise LayerTooLarge(f"layer {digest}: more than {limits.max_entries} entries", digest)
    return LayerFiles(
        digest, files, links, frozenset(whiteouts), frozenset(opaque), frozenset(others)
    )


def _hard_link(files: dict[str, bytes], others: set[str], path: str, target: str) -> None:
    """A hard link shares its target's content; only a target kept earlier can be read."""
    if target in files:
        files[path] = files[target]
    else:
        others.add(path)


def _content(
    archive: tarfile.TarFile, member: tarfile.TarInfo, path: str, digest: str, limits: LayerLimits
) -> bytes:
    if member.size > limits.max_file_bytes:
        raise LayerTooLarge(
            f"layer {digest}: {path} is {member.size} bytes (the limit is {limits.max_file_bytes})",
            digest,
            path,
        )
    handle = archive.extractfile(member)
    return handle.read() if handle is not None else b""


# --- the merged root ----------------------------------------------------------------------


@dataclass
class RootFs:
    """The files and links Steward kept, after every layer was applied in order."""

    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)

    def read(self, path: str) -> bytes | None:
        """The content at ``path`` (links followed inside the root), or None when absent."""
        resolved = self.resolve(path)
        return None if resolved is None else self.files.get(resolved)

    def listdir(self, path: str) -> list[str]:
        """Names of the kept files directly inside directory ``path`` (links followed)."""
        resolved = self.resolve(path)
        if resolved is None:
            return []
        prefix = resolved + "/" if resolved else ""
        return sorted(
            name[len(prefix) :]
            for name in self.files
            if name.startswith(prefix) and "/" not in name[len(prefix) :]
        )

    def resolve(self, path: str) -> str | None:
        """``path`` with every symbolic link on it followed; raises `UnsafeLayer` for a
        relative link that leaves the root, None for a loop or more than 40 hops."""
        pending = [p for p in path.split("/") if p]
        done: list[str] = []
        hops = 0
        while pending:
            part = pending.pop(0)
            if part == ".":
                continue
            if part == "..":
                if done:
                    done.pop()
                continue
            current = "/".join([*done, part])
            target = self.links.get(current)
            if target is None:
                done.append(part)
                continue
            hops += 1
            if hops > MAX_HOPS:
                return None
            done = _link_base(done, target, current)
            pending = [p for p in target.split("/") if p] + pending
        return "/".join(done)


def _link_base(done: list[str], target: str, link: str) -> list[str]:
    """Where a link's target is resolved from: the root, or the link's own folder; a relative
    target that climbs above the root is refused."""
    if target.startswith("/"):
        return []
    depth = len(done)
    for part in target.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                raise UnsafeLayer(f"the symbolic link {link} → {target} leaves the image root")
        elif part not in ("", "."):
            depth += 1
    return list(done)


def merge(layers: Iterable[LayerFiles]) -> RootFs:
    """The layers applied bottom to top, whiteouts and opaque directories honoured."""
    root = RootFs()
    for layer in layers:
        _apply(root, layer)
    return root


def _apply(root: RootFs, layer: LayerFiles) -> None:
    folders = _folders(root)
    for directory in layer.opaque:
        if not directory or directory in folders:
            _remove_below(root, directory)
    for path in (*layer.whiteouts, *layer.files, *layer.links, *layer.others):
        root.files.pop(path, None)
        root.links.pop(path, None)
        if path in folders:
            _remove_below(root, path)
    root.files.update(layer.files)
    root.links.update(layer.links)


def _folders(root: RootFs) -> set[str]:
    """Every folder that holds a kept file or link (so a path is checked once, not scanned)."""
    found: set[str] = set()
    for name in (*root.files, *root.links):
        parent = name.rpartition("/")[0]
        while parent and parent not in found:
            found.add(parent)
            parent = parent.rpartition("/")[0]
    return found


def _remove_below(root: RootFs, directory: str) -> None:
    prefix = directory + "/" if directory else ""
    for table in (root.files, root.links):
        for name in [name for name in table if name.startswith(prefix)]:
            del table[name]
