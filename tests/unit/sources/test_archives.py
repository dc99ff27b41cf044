"""Guarded archive reading: well-formed zips and tarballs are read, hostile ones refused."""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile

import pytest

from steward.sources.archives import ArchiveLimits, InvalidArchive, read_archive, unsafe_name


def make_zip(members: dict[str, bytes], modes: dict[str, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if modes and name in modes:
                info.external_attr = modes[name] << 16
            archive.writestr(info, body)
    return buffer.getvalue()


def make_tar(members: list[tarfile.TarInfo | tuple[str, bytes]], gz: bool = True) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if gz else "w") as archive:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
            else:
                info = tarfile.TarInfo(member[0])
                info.size = len(member[1])
                archive.addfile(info, io.BytesIO(member[1]))
    return buffer.getvalue()


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def test_a_module_zip_is_read() -> None:
    data = make_zip({"m@v1.0.0/CHANGELOG.md": b"## v1.0.0\n", "m@v1.0.0/go.mod": b"module m\n"})
    got = read_archive(data, "m.zip")
    assert [m.name for m in got.members] == ["m@v1.0.0/CHANGELOG.md", "m@v1.0.0/go.mod"]
    assert got.member("m@v1.0.0/CHANGELOG.md").data == b"## v1.0.0\n"  # type: ignore[union-attr]
    assert got.refused == ()


def test_an_npm_tarball_is_read_and_only_wanted_members_inflated() -> None:
    data = make_tar([("package/package.json", b"{}"), ("package/CHANGELOG.md", b"# 1.0.0\n")])
    got = read_archive(data, "pkg.tgz", wanted=lambda n: n.endswith(".md"))
    assert [m.name for m in got.members] == ["package/CHANGELOG.md"]
    assert got.names == ("package/package.json", "package/CHANGELOG.md")


def test_a_plain_tar_is_read() -> None:
    got = read_archive(make_tar([("a/NEWS", b"1.0 (x)\n")], gz=False), "a.tar")
    assert got.members[0].data == b"1.0 (x)\n"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd", "a member path with '..'"),
        ("pkg/../../x", "a member path with '..'"),
        ("/etc/passwd", "an absolute member path"),
        ("C:\\Windows\\x", "an absolute member path"),
        ("a\x00b", "a NUL byte in the member path"),
    ],
)
def test_names_that_climb_out_are_refused(name: str, reason: str) -> None:
    assert unsafe_name(name) == reason


def test_traversal_members_of_a_zip_are_refused_and_the_rest_read() -> None:
    data = make_zip({"../evil": b"x", "/abs": b"y", "ok/CHANGELOG.md": b"z"})
    got = read_archive(data, "hostile.zip")
    assert [m.name for m in got.members] == ["ok/CHANGELOG.md"]
    assert {(r.name, r.reason) for r in got.refused} == {
        ("../evil", "a member path with '..'"),
        ("/abs", "an absolute member path"),
    }


def test_traversal_and_links_in_a_tarball_are_refused() -> None:
    data = make_tar(
        [
            ("package/../../evil", b"x"),
            link("package/CHANGELOG.md", "/etc/passwd"),
            link("package/NEWS", "package/x", tarfile.LNKTYPE),
            ("package/README.md", b"ok"),
        ]
    )
    got = read_archive(data, "hostile.tgz")
    assert [m.name for m in got.members] == ["package/README.md"]
    assert [r.reason for r in got.refused] == [
        "a member path with '..'",
        "a symlink",
        "a hard link",
    ]


def test_a_symlink_in_a_zip_is_refused() -> None:
    data = make_zip({"m/CHANGELOG.md": b"/etc/passwd"}, {"m/CHANGELOG.md": stat.S_IFLNK | 0o777})
    got = read_archive(data, "link.zip")
    assert got.members == () and got.refused[0].reason == "a symlink"


def test_an_encrypted_zip_member_is_refused_and_the_rest_read() -> None:
    data = bytearray(make_zip({"secret.txt": b"hidden", "go.mod": b"module x\n"}))
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 6] |= 1  # the general-purpose "encrypted" flag of the first entry
    data[central + 8] |= 1
    extracted = read_archive(bytes(data), "m.zip")
    assert [m.name for m in extracted.members] == ["go.mod"]
    assert [(r.name, r.reason) for r in extracted.refused] == [
        ("secret.txt", "an encrypted member")
    ]


def test_a_zip_bomb_member_is_refused_by_ratio() -> None:
    data = make_zip({"bomb.txt": b"\0" * (4 * 2**20), "CHANGELOG.md": b"## 1.0.0\n"})
    got = read_archive(data, "bomb.zip", limits=ArchiveLimits(max_member_bytes=64 * 2**20))
    assert [m.name for m in got.members] == ["CHANGELOG.md"]
    assert got.refused[0].reason == "a compression ratio above 100"


def test_an_oversized_member_is_refused() -> None:
    data = make_zip({"big.txt": bytes(range(256)) * 4096})
    got = read_archive(data, "big.zip", limits=ArchiveLimits(max_member_bytes=1000))
    assert got.refused[0].reason == "the member inflates beyond 1000 bytes"


def test_a_tar_gz_bomb_is_refused_as_a_whole() -> None:
    data = make_tar([("package/zeros", b"\0" * (8 * 2**20))])
    with pytest.raises(InvalidArchive, match="compression ratio above 100"):
        read_archive(data, "bomb.tgz", wanted=lambda n: False)


def test_a_tarball_inflating_beyond_the_total_is_refused() -> None:
    data = make_tar([("package/a", bytes(range(256)) * 8192)])
    with pytest.raises(InvalidArchive, match="inflates beyond 100000 bytes"):
        read_archive(data, "big.tgz", limits=ArchiveLimits(max_total_bytes=100_000))


@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_too_many_members_refuse_the_archive(kind: str) -> None:
    names = {f"f{i}": b"" for i in range(11)}
    data = make_zip(names) if kind == "zip" else make_tar(list(names.items()))
    with pytest.raises(InvalidArchive, match="more than 10 members"):
        read_archive(data, "many", limits=ArchiveLimits(max_members=10))


@pytest.mark.parametrize(
    "data", [b"", b"not an archive at all", b"PK\x03\x04broken", b"\x1f\x8bxx"]
)
def test_garbage_is_not_an_archive(data: bytes) -> None:
    with pytest.raises(InvalidArchive, match="garbage: not a"):
        read_archive(data, "garbage")
