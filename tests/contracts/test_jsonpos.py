"""The position-aware JSON scanner: every pointer lands on the line where its value is named."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward.contracts.findings import InvalidSchema
from steward.contracts.jsonpos import child, line_of, pointer_lines

TEXT = """{
  "a": 1,
  "b/c": {
    "d~e": [
      10,
      {"f": "x\\"y"}
    ]
  },
  "g": []
}
"""


def test_object_members_are_placed_on_their_key_line() -> None:
    lines = pointer_lines(TEXT)
    assert lines[""] == 1
    assert lines["/a"] == 2
    assert lines["/b~1c"] == 3
    assert lines["/b~1c/d~0e"] == 4
    assert lines["/g"] == 9


def test_array_elements_are_placed_where_they_start() -> None:
    lines = pointer_lines(TEXT)
    assert lines["/b~1c/d~0e/0"] == 5
    assert lines["/b~1c/d~0e/1"] == 6
    assert lines["/b~1c/d~0e/1/f"] == 6


def test_an_unknown_pointer_falls_back_to_its_nearest_ancestor() -> None:
    lines = pointer_lines(TEXT)
    assert line_of(lines, "/b~1c/d~0e/1/missing/deeper") == 6
    assert line_of({}, "/x") == 0


def test_a_key_on_a_later_line_than_its_value_opening_is_the_key_line() -> None:
    assert pointer_lines('{"k":\n\n  [1]}')["/k"] == 1


def test_garbage_is_rejected() -> None:
    with pytest.raises(InvalidSchema):
        pointer_lines("{'a': 1}")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


def _pointers(value: object, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _pointers(sub, child(pointer, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found += _pointers(sub, child(pointer, index))
    return found


@given(JSON_VALUES)
def test_every_pointer_of_any_document_is_found(value: object) -> None:
    text = json.dumps(value, indent=1)
    lines = pointer_lines(text)
    assert set(lines) == set(_pointers(value))
    assert all(1 <= line <= text.count("\n") + 1 for line in lines.values())
