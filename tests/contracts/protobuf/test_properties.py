"""Hypothesis: every generated Protobuf schema is compatible with itself, under every category."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from steward.contracts import protobuf

SCALARS = ["int32", "int64", "uint32", "sint64", "fixed32", "double", "bool", "string", "bytes"]
names = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)


@st.composite
def schemas(draw: st.DrawFn) -> str:
    syntax = draw(
        st.sampled_from(['syntax = "proto3";', 'syntax = "proto2";', 'edition = "2023";'])
    )
    lines = [syntax, "package gen.v1;", ""]
    for m in range(draw(st.integers(1, 3))):
        lines.append(f"message M{m} {{")
        fields = draw(st.lists(names, min_size=1, max_size=6, unique=True))
        for number, name in enumerate(fields, start=1):
            kind = draw(st.sampled_from([*SCALARS, "E", f"M{m}", "map<string, int32>"]))
            label = draw(st.sampled_from(["", "repeated "])) if not kind.startswith("map") else ""
            if syntax.startswith('syntax = "proto2"') and not label and not kind.startswith("map"):
                label = "optional "
            lines.append(f"  {label}{kind} {name} = {number};")
        if draw(st.booleans()):
            lines.append(f"  reserved {len(fields) + 1} to {len(fields) + 3};")
        lines.append("}")
    lines += ["enum E {", "  E_UNSPECIFIED = 0;", "  E_ONE = 1;", "}"]
    lines += ["service S {", "  rpc Call(M0) returns (stream M0);", "}"]
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(schemas())
def test_every_schema_is_compatible_with_itself(text: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "gen.proto"
        path.write_text(text)
        for category in protobuf.CATEGORIES:
            assert protobuf.check(path, path, categories=[category]) == []
