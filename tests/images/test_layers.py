"""Layers: decompression, whiteouts, opaque directories, links, and the guards."""

from __future__ import annotations

import gzip

import pytest

from steward.images.layers import (
    InvalidLayer,
    LayerLimits,
    LayerTooLarge,
    UnsafeLayer,
    merge,
    read_layer,
)
from steward.images.ospackages import inventory, wanted
from tests.images.layers_kit import Entry, debian_base, debian_top, files, older_status, tar


@pytest.mark.parametrize("compress", ["gzip", "zstd", "none"])
def test_every_compression_reads_the_same_files(compress: str) -> None:
    layer = read_layer(debian_base("Package: a\nVersion: 1\n", compress), "sha256:x", wanted)
    assert set(layer.files) == {
        "usr/lib/os-release",
        "var/lib/dpkg/status",
        "var/lib/dpkg/status.d/stray",
        "lib/apk/db/installed",
    }
    assert layer.links == {"etc/os-release": "../usr/lib/os-release"}


def test_only_wanted_files_are_kept() -> None:
    layer = read_layer(tar(files({"etc/passwd": "root", "etc/os-release": "ID=x"})), "d", wanted)
    assert set(layer.files) == {"etc/os-release"}
    assert layer.others == {"etc/passwd"}


def test_whiteouts_and_opaque_directories_hide_lower_layers() -> None:
    base = read_layer(debian_base(older_status()), "sha256:base", wanted)
    top = read_layer(debian_top(), "sha256:top", wanted)
    root = merge([base, top])
    assert root.read("lib/apk/db/installed") is None
    assert root.listdir("var/lib/dpkg/status.d") == []
    found = inventory(root)
    assert found.databases == ("dpkg",)
    assert found.os is not None and found.os.version_id == "12"
    assert "stray" not in {p.name for p in found.packages}
    assert merge([base]).read("lib/apk/db/installed") is not None  # present without the top


def test_a_whiteout_does_not_hide_its_own_layer() -> None:
    layer = read_layer(
        tar([Entry("etc/.wh.os-release"), *files({"etc/os-release": "ID=debian"})]), "d", wanted
    )
    lower = read_layer(tar(files({"etc/os-release": "ID=alpine"})), "l", wanted)
    assert merge([lower, layer]).read("etc/os-release") == b"ID=debian"


def test_a_file_replacing_a_directory_hides_what_was_below_it() -> None:
    lower = read_layer(tar(files({"var/lib/dpkg/status": "Package: a"})), "l", wanted)
    upper = read_layer(tar([Entry("var/lib/dpkg", content=b"now a file")]), "u", wanted)
    assert merge([lower, upper]).read("var/lib/dpkg/status") is None


def test_absolute_links_resolve_inside_the_root_and_directories_too() -> None:
    layer = read_layer(
        tar(
            [
                Entry("lib", "symlink", target="/usr/lib"),
                *files({"usr/lib/apk/db/installed": "P:musl\nV:1.2.4-r2\n"}),
            ]
        ),
        "d",
        wanted,
    )
    assert merge([layer]).read("lib/apk/db/installed") == b"P:musl\nV:1.2.4-r2\n"


def test_a_hard_link_shares_its_targets_content() -> None:
    layer = read_layer(
        tar(
            [
                *files({"usr/lib/os-release": "ID=debian"}),
                Entry("etc/os-release", "hardlink", target="usr/lib/os-release"),
            ]
        ),
        "d",
        wanted,
    )
    assert merge([layer]).read("etc/os-release") == b"ID=debian"


def test_a_member_climbing_out_of_the_root_is_refused() -> None:
    with pytest.raises(UnsafeLayer, match="climbs out"):
        read_layer(tar(files({"../../etc/os-release": "ID=x"})), "sha256:bad", wanted)


def test_a_hard_link_climbing_out_is_refused() -> None:
    with pytest.raises(UnsafeLayer):
        read_layer(tar([Entry("etc/x", "hardlink", target="../../../etc/shadow")]), "d", wanted)


def test_a_relative_link_leaving_the_root_is_refused_when_followed() -> None:
    layer = read_layer(
        tar([Entry("etc/os-release", "symlink", target="../../../../etc/shadow")]), "d", wanted
    )
    with pytest.raises(UnsafeLayer, match="leaves the image root"):
        merge([layer]).read("etc/os-release")


def test_a_link_loop_reads_as_absent() -> None:
    layer = read_layer(
        tar([Entry("etc/a", "symlink", target="b"), Entry("etc/b", "symlink", target="a")]),
        "d",
        wanted,
    )
    assert merge([layer]).read("etc/a/os-release") is None


def test_a_decompression_bomb_is_refused() -> None:
    big = tar([Entry("srv/zeros", content=b"\0" * (4 * 2**20))])  # 4 MiB, a few KiB gzipped
    with pytest.raises(LayerTooLarge, match="uncompressed"):
        read_layer(big, "sha256:bomb", wanted, LayerLimits(max_layer_bytes=2**20))


def test_a_wanted_file_above_the_limit_is_refused() -> None:
    layer = tar(files({"var/lib/dpkg/status": "x" * 5000}))
    with pytest.raises(LayerTooLarge, match="var/lib/dpkg/status"):
        read_layer(layer, "d", wanted, LayerLimits(max_file_bytes=1000))


@pytest.mark.parametrize(
    "data",
    [
        b"\x1f\x8b\x08\x00garbage",
        b"\x28\xb5\x2f\xfdgarbage",
        gzip.compress(b"not a tar archive at all" * 40),
    ],
)
def test_corrupt_layers_are_invalid_not_crashes(data: bytes) -> None:
    with pytest.raises(InvalidLayer):
        read_layer(data, "sha256:corrupt", wanted)


def test_a_truncated_layer_is_invalid() -> None:
    whole = debian_base(older_status())
    with pytest.raises(InvalidLayer):
        read_layer(whole[: len(whole) // 2], "sha256:cut", wanted)
