"""Reading OSV exports: folders, JSON files and ``all.zip`` archives, hostile ones included."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from steward.sources.osv import ZipLimits, read_json, read_source, read_zip

OSV = Path(__file__).resolve().parents[3] / "examples" / "eventshop" / "advisories" / "osv"


def _record(ident: str, name: str = "pkg") -> bytes:
    data = {
        "id": ident,
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": name},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
            }
        ],
    }
    return json.dumps(data).encode()


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_a_folder_of_records_is_read_whole() -> None:
    read = read_source(OSV)
    assert len(read.records) == len(list(OSV.glob("*/*.json"))) and read.problems == []
    assert len(read_source(OSV / "Go").records) + len(read_source(OSV / "PyPI").records) == 280
    assert {r.record.id for r in read.records} >= {"GO-2023-1988", "PYSEC-2023-74"}


def test_a_zip_export_is_read() -> None:
    read = read_zip(
        _zip({"GHSA-1.json": _record("GHSA-1"), "GHSA-2.json": _record("GHSA-2")}), "all.zip"
    )
    assert sorted(r.record.id for r in read.records) == ["GHSA-1", "GHSA-2"]
    assert read.records[0].origin == "all.zip!GHSA-1.json"


def test_a_json_list_of_records_is_read() -> None:
    read = read_json(b"[" + _record("A") + b"," + _record("B") + b"]", "list.json")
    assert [r.record.id for r in read.records] == ["A", "B"]


def test_malformed_records_are_problems_with_path_and_line(tmp_path: Path) -> None:
    (tmp_path / "good.json").write_bytes(_record("GOOD"))
    (tmp_path / "broken.json").write_text('{\n  "id": "X",\n  "affected": [\n}\n')
    (tmp_path / "shape.json").write_text(
        '{\n  "id": "Y",\n  "affected": [\n    {"package": 3}\n  ]\n}\n'
    )
    read = read_source(tmp_path)
    assert [r.record.id for r in read.records] == ["GOOD"]
    problems = {Path(p.file).name: p for p in read.problems}
    assert problems["broken.json"].line == 4
    assert problems["shape.json"].line == 4 and "package" in problems["shape.json"].message


def test_members_that_climb_out_are_refused() -> None:
    data = _zip(
        {
            "../evil.json": _record("EVIL1"),
            "/etc/evil.json": _record("EVIL2"),
            "a/../../evil.json": _record("EVIL3"),
            "C:/evil.json": _record("EVIL4"),
            "ok/GHSA-1.json": _record("GHSA-1"),
        }
    )
    read = read_zip(data, "all.zip")
    assert [r.record.id for r in read.records] == ["GHSA-1"]
    assert len(read.problems) == 4 and all("refused" in p.message for p in read.problems)


def test_too_many_members_are_refused_before_reading() -> None:
    data = _zip({f"R{i}.json": _record(f"R{i}") for i in range(20)})
    read = read_zip(data, "all.zip", ZipLimits(max_members=10))
    assert read.records == [] and "20 members" in read.problems[0].message


def test_a_zip_bomb_member_is_refused_by_its_compression_ratio() -> None:
    bomb = b'{"id": "BOMB", "details": "' + b"A" * (8 * 2**20) + b'"}'
    data = _zip({"bomb.json": bomb, "GHSA-1.json": _record("GHSA-1")})
    assert len(data) < 100_000  # it really is a bomb: megabytes from kilobytes
    read = read_zip(data, "all.zip", ZipLimits(max_ratio=100))
    assert [r.record.id for r in read.records] == ["GHSA-1"]
    assert "compression ratio" in read.problems[0].message


def test_member_and_total_sizes_are_capped_on_inflated_bytes() -> None:
    big = (
        b'{"id": "BIG", "details": "' + bytes(range(256)) * 8192 + b'"}'
    )  # ~2 MiB, incompressible-ish
    stored = _zip({"big.json": big}, zipfile.ZIP_STORED)
    read = read_zip(stored, "all.zip", ZipLimits(max_member_bytes=2**20))
    assert read.records == [] and "beyond" in read.problems[0].message
    many = _zip({f"R{i}.json": _record(f"R{i}") for i in range(10)}, zipfile.ZIP_STORED)
    total = read_zip(many, "all.zip", ZipLimits(max_total_bytes=800))
    assert 0 < len(total.records) < 10
    assert "the archive inflates beyond" in total.problems[-1].message


def test_a_file_that_is_not_a_zip_is_a_problem() -> None:
    read = read_zip(b"PK\x03\x04 not really", "all.zip")
    assert read.records == [] and read.problems[0].message.startswith("not a zip")


def test_an_encrypted_member_is_refused_and_the_rest_read() -> None:
    data = bytearray(_zip({"A.json": _record("A"), "B.json": _record("B")}))
    data[data.find(b"PK\x03\x04") + 6] |= 1  # the "encrypted" flag of member A
    data[data.find(b"PK\x01\x02") + 8] |= 1
    read = read_zip(bytes(data), "all.zip")
    assert [r.record.id for r in read.records] == ["B"]
    assert [(p.file, p.message) for p in read.problems] == [
        ("all.zip!A.json", "refused: an encrypted member")
    ]


def test_an_unreadable_file_in_a_folder_is_a_problem_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "A.json").write_bytes(_record("A"))
    (tmp_path / "dangling.json").symlink_to(tmp_path / "nowhere")
    read = read_source(tmp_path)
    assert [r.record.id for r in read.records] == ["A"]
    assert [(p.file, p.message) for p in read.problems] == [
        (str(tmp_path / "dangling.json"), "cannot read: No such file or directory")
    ]
