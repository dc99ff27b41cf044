"""Line numbers of object keys in JSON text: the ``json`` module gives values but no positions.

`key_lines` walks text that ``json.loads`` has already accepted and returns, for every object key
down to a given depth, the 1-based line where the key is written (``("dependencies", "express")``
→ 7). Pure and forgiving: on text it cannot follow it returns what it found so far.
"""

from __future__ import annotations

import contextlib
import json
import re
from bisect import bisect_right

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]\}\s]+")
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()

KeyPath = tuple[str, ...]


class _Walker:
    """A recursive-descent pass over valid JSON that records key positions."""

    def __init__(self, text: str, depth: int) -> None:
        self.text = text
        self.depth = depth
        self.lines: dict[KeyPath, int] = {}
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, index: int) -> int:
        return bisect_right(self._starts, index)

    def skip_space(self, index: int) -> int:
        match = _SPACE.match(self.text, index)
        return match.end() if match else index

    def value(self, index: int, path: KeyPath) -> int:
        """Walk the value starting at ``index``; return the index just after it."""
        index = self.skip_space(index)
        if len(path) >= self.depth:  # no keys wanted below here: let the C decoder skip it
            return _DECODER.raw_decode(self.text, index)[1]
        char = self.text[index : index + 1]
        if char == "{":
            return self.members(index + 1, path)
        if char == "[":
            return self.elements(index + 1, path)
        pattern = _STRING if char == '"' else _SCALAR
        match = pattern.match(self.text, index)
        if match is None:
            raise ValueError(f"unexpected text at {index}")
        return match.end()

    def members(self, index: int, path: KeyPath) -> int:
        index = self.skip_space(index)
        while self.text[index : index + 1] != "}":
            key = _STRING.match(self.text, index)
            if key is None:
                raise ValueError(f"expected a key at {index}")
            raw = key.group(0)
            name = raw[1:-1] if "\\" not in raw else json.loads(raw)
            self.lines[(*path, name)] = self.line(index)
            index = self.skip_space(key.end()) + 1  # past the colon
            index = self.skip_space(self.value(index, (*path, name)))
            index = self.skip_space(index + 1) if self.text[index : index + 1] == "," else index
        return index + 1

    def elements(self, index: int, path: KeyPath) -> int:
        index = self.skip_space(index)
        position = 0
        while self.text[index : index + 1] != "]":
            index = self.skip_space(self.value(index, (*path, str(position))))
            index = self.skip_space(index + 1) if self.text[index : index + 1] == "," else index
            position += 1
        return index + 1


def key_lines(text: str, depth: int = 2) -> dict[KeyPath, int]:
    """The 1-based line of every object key down to ``depth`` levels (array items count as a level).

    Meant for text ``json.loads`` accepted; a leading byte-order mark is allowed. When a key is
    written twice the last one wins, as it does for ``json.loads``.
    """
    walker = _Walker(text, depth)
    start = 1 if text.startswith("\ufeff") else 0
    with contextlib.suppress(ValueError, IndexError, RecursionError):  # JSONDecodeError too
        walker.value(start, ())
    return walker.lines
