"""Guarded reading of package archives: zip (Go module zips, wheels, sdists) and tar.gz (npm
tarballs, sdists). Bytes in, members out; nothing is written to disk and no link is followed.

What is refused, and how::

    the whole archive (`InvalidArchive`)   not a zip or tar archive; more members than
                                           ``max_members``; more than ``max_total_bytes``
                                           inflated in all; a tar stream inflating above
                                           ``max_ratio`` times its compressed size
    one member (a `Refused` entry)         a path with ``..``, an absolute or drive path, a NUL
                                           byte; a symlink, hard link, device or FIFO; a member
                                           inflating beyond ``max_member_bytes`` or (zip) above
                                           ``max_ratio`` times its compressed size; an
                                           encrypted zip member

Sizes are counted on the bytes actually inflated, never trusted from the archive's headers. Only
members the caller asks for (``wanted``) are inflated; every member's name and type is checked.
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

_CHUNK = 1 << 16
#: Below this many inflated bytes the compression ratio is not checked (small text compresses well).
_RATIO_FLOOR = 1 << 20
#: The zip general-purpose flag of an encrypted entry (`zipfile` would raise RuntimeError on it).
_ENCRYPTED = 0x1


class InvalidArchive(ValueError):
    """An archive refused as a whole; the message names the archive (``origin``) and why."""


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Caps on what an archive may hold before it, or one of its members, is refused.

    The defaults fit package archives: a module zip may hold 500 MB (the Go proxy's own limit is
    lower) but a release-notes reader never needs a member above 8 MiB.
    """

    max_members: int = 20_000
    max_member_bytes: int = 8 * 2**20
    max_total_bytes: int = 512 * 2**20
    max_ratio: float = 100.0


@dataclass(frozen=True, slots=True)
class Member:
    """One regular file read from an archive: its name as stored and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Refused:
    """A member that was not read, and why ("a member path with '..'", "a symlink" …)."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Extracted:
    """What reading one archive gave: the wanted members and the refusals met on the way."""

    origin: str
    members: tuple[Member, ...] = ()
    refused: tuple[Refused, ...] = ()
    names: tuple[str, ...] = field(default=(), repr=False)

    def member(self, name: str) -> Member | None:
        """The member stored as ``name``, if it was read."""
        return next((m for m in self.members if m.name == name), None)


def _everything(name: str) -> bool:
    return True


def read_archive(
    data: bytes,
    origin: str,
    *,
    wanted: Callable[[str], bool] = _everything,
    limits: ArchiveLimits | None = None,
) -> Extracted:
    """The regular-file members of a zip, tar or gzip-compressed tar archive in ``data``.

    ``wanted`` picks the members to inflate by name (every safe name is listed in ``names``);
    ``origin`` names the archive in messages. Raises `InvalidArchive`.
    """
    limits = limits or ArchiveLimits()
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return read_zip(data, origin, wanted=wanted, limits=limits)
    return read_tar(data, origin, wanted=wanted, limits=limits)


def unsafe_name(name: str) -> str | None:
    """Why a member name is refused (it could climb out of the folder it is read into), or None."""
    if "\x00" in name:
        return "a NUL byte in the member path"
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return "an absolute member path"
    if ".." in PurePosixPath(posix).parts:
        return "a member path with '..'"
    return None


# --- zip -----------------------------------------------------------------------------------------


def read_zip(
    data: bytes,
    origin: str,
    *,
    wanted: Callable[[str], bool] = _everything,
    limits: ArchiveLimits | None = None,
) -> Extracted:
    """The members of a zip archive (see `read_archive`); raises `InvalidArchive`."""
    limits = limits or ArchiveLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InvalidArchive(f"{origin}: not a zip archive ({error})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise _too_many(origin, limits)
        return _read_zip_members(archive, infos, origin, wanted, limits)


def _read_zip_members(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    origin: str,
    wanted: Callable[[str], bool],
    limits: ArchiveLimits,
) -> Extracted:
    members: list[Member] = []
    refused: list[Refused] = []
    names: list[str] = []
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        reason = unsafe_name(info.filename) or _zip_type(info)
        if reason is not None:
            refused.append(Refused(info.filename, reason))
            continue
        names.append(info.filename)
        if not wanted(info.filename):
            continue
        body = _inflate_zip(archive, info, limits)
        if isinstance(body, str):
            refused.append(Refused(info.filename, body))
            continue
        total += len(body)
        if total > limits.max_total_bytes:
            raise _too_big(origin, limits)
        members.append(Member(info.filename, body))
    return Extracted(origin, tuple(members), tuple(refused), tuple(names))


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    """True for a zip entry stored encrypted (reading it needs a password; it is never read)."""
    return bool(info.flag_bits & _ENCRYPTED)


def _zip_type(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry is not a regular file (its Unix mode says symlink, device …), or None."""
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) == 0 or stat.S_ISREG(mode):  # many writers store permissions only
        return None
    if stat.S_ISLNK(mode):
        return "a symlink"
    return "not a regular file"


def _inflate_zip(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits
) -> bytes | str:
    """The member's bytes, read in chunks and stopped at the first cap crossed (then: why)."""
    if is_encrypted(info):
        return "an encrypted member"
    compressed = max(info.compress_size, 1)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limits.max_member_bytes:
                    return f"the member inflates beyond {limits.max_member_bytes} bytes"
                if size > _RATIO_FLOOR and size / compressed > limits.max_ratio:
                    return f"a compression ratio above {limits.max_ratio:g}"
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        return f"unreadable member ({error})"
    return b"".join(chunks)


# --- tar -----------------------------------------------------------------------------------------


class _Budget(io.RawIOBase):
    """A gzip (or plain) stream that raises `InvalidArchive` once it inflates past its caps."""

    def __init__(self, data: bytes, origin: str, limits: ArchiveLimits) -> None:
        self._origin = origin
        self._limits = limits
        self._compressed = max(len(data), 1)
        self._inflated = 0
        gzipped = data[:2] == b"\x1f\x8b"
        self._source = io.BytesIO(data)
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]  # RawIOBase's buffer type is wider than mypy's stub
        while not self._pending:
            if not self._fill():
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _fill(self) -> bool:
        """Inflate the next piece into ``_pending``; False at the end of the stream."""
        if self._inflater is None:
            piece = self._source.read(_CHUNK)
            if not piece:
                return False
        else:
            raw = self._inflater.unconsumed_tail or self._source.read(_CHUNK)
            piece = self._inflater.decompress(raw, _CHUNK) if raw else self._inflater.flush()
            if not raw and not piece:
                return False
        self._count(len(piece))
        self._pending = piece
        return True

    def _count(self, size: int) -> None:
        self._inflated += size
        if self._inflated > self._limits.max_total_bytes:
            raise _too_big(self._origin, self._limits)
        ratio = self._inflated / self._compressed
        if self._inflated > _RATIO_FLOOR and ratio > self._limits.max_ratio:
            raise InvalidArchive(
                f"{self._origin}: refused: a compression ratio above {self._limits.max_ratio:g}"
            )


def read_tar(
    data: bytes,
    origin: str,
    *,
    wanted: Callable[[str], bool] = _everything,
    limits: ArchiveLimits | None = None,
) -> Extracted:
    """The members of a tar or tar.gz archive (see `read_archive`); raises `InvalidArchive`."""
    limits = limits or ArchiveLimits()
    stream = io.BufferedReader(_Budget(data, origin, limits), _CHUNK)
    try:
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            return _read_tar_members(archive, origin, wanted, limits)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise InvalidArchive(f"{origin}: not a tar archive ({error})") from None


def _read_tar_members(
    archive: tarfile.TarFile, origin: str, wanted: Callable[[str], bool], limits: ArchiveLimits
) -> Extracted:
    members: list[Member] = []
    refused: list[Refused] = []
    names: list[str] = []
    count = 0
    for info in archive:
        count += 1
        if count > limits.max_members:
            raise _too_many(origin, limits)
        if info.isdir():
            continue
        reason = unsafe_name(info.name) or _tar_type(info)
        if reason is not None:
            refused.append(Refused(info.name, reason))
            continue
        names.append(info.name)
        if not wanted(info.name):
            continue
        body = _read_tar_member(archive, info, limits)
        if isinstance(body, str):
            refused.append(Refused(info.name, body))
        else:
            members.append(Member(info.name, body))
    return Extracted(origin, tuple(members), tuple(refused), tuple(names))


def _tar_type(info: tarfile.TarInfo) -> str | None:
    if info.issym():
        return "a symlink"
    if info.islnk():
        return "a hard link"
    if not info.isreg():
        return "not a regular file"
    return None


def _read_tar_member(
    archive: tarfile.TarFile, info: tarfile.TarInfo, limits: ArchiveLimits
) -> bytes | str:
    if info.size > limits.max_member_bytes:
        return f"the member inflates beyond {limits.max_member_bytes} bytes"
    stream: IO[bytes] | None = archive.extractfile(info)
    if stream is None:
        return "not a regular file"
    body = stream.read(limits.max_member_bytes + 1)
    if len(body) > limits.max_member_bytes:
        return f"the member inflates beyond {limits.max_member_bytes} bytes"
    return body


def _too_many(origin: str, limits: ArchiveLimits) -> InvalidArchive:
    return InvalidArchive(f"{origin}: refused: more than {limits.max_members} members")


def _too_big(origin: str, limits: ArchiveLimits) -> InvalidArchive:
    return InvalidArchive(f"{origin}: refused: it inflates beyond {limits.max_total_bytes} bytes")
