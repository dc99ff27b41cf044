"""Where things are in a JSON text: a small position-aware scanner mapping JSON pointers to lines.

``json.loads`` gives values but no positions; compatibility findings need the line of the
offending field or property. `pointer_lines` walks the text once and records, for every value,
the 1-based line where it is named: the line of its key inside an object, the line where it starts
inside an array, line 1 (or wherever the document starts) for the root ``""``.

The scanner only locates; it trusts ``json.loads`` to have validated the text first and raises
`InvalidSchema` if it meets something it cannot step over.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping

from steward.contracts.findings import InvalidSchema

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?[0-9][0-9eE.+\-]*|true|false|null")
_SPACE = re.compile(r"[ \t\r\n]*")


def escape(token: str) -> str:
    """One JSON-pointer reference token: ``~`` → ``~0`` and ``/`` → ``~1`` (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def child(pointer: str, token: str | int) -> str:
    """The pointer of ``token`` (a key or an array index) inside ``pointer``."""
    return f"{pointer}/{escape(str(token))}"


def pointer_lines(text: str) -> dict[str, int]:
    """Every JSON pointer in ``text`` mapped to the 1-based line where that value is named."""
    return _Scanner(text).run()


def line_of(lines: Mapping[str, int], pointer: str) -> int:
    """The line of ``pointer``, or of its nearest ancestor that ``lines`` knows (0 if none)."""
    while True:
        found = lines.get(pointer)
        if found is not None:
            return found
        if not pointer:
            return 0
        pointer = pointer.rsplit("/", 1)[0]


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[str, int] = {}

    def run(self) -> dict[str, int]:
        self._space()
        self._value("", self._line())
        return self.lines

    def _line(self) -> int:
        return bisect.bisect_right(self.starts, self.pos)

    def _space(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos

    def _fail(self) -> InvalidSchema:
        return InvalidSchema(f"unexpected JSON at offset {self.pos}", line=self._line())

    def _value(self, pointer: str, line: int) -> None:
        self.lines[pointer] = line
        char = self.text[self.pos : self.pos + 1]
        if char == "{":
            self._object(pointer)
        elif char == "[":
            self._array(pointer)
        elif char == '"':
            self._string()
        else:
            match = _SCALAR.match(self.text, self.pos)
            if match is None:
                raise self._fail()
            self.pos = match.end()

    def _string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if match is None:
            raise self._fail()
        self.pos = match.end()
        decoded: str = json.loads(match.group())
        return decoded

    def _expect(self, char: str) -> None:
        self._space()
        if self.text[self.pos : self.pos + 1] != char:
            raise self._fail()
        self.pos += 1

    def _closes(self, char: str) -> bool:
        self._space()
        if self.text[self.pos : self.pos + 1] == char:
            self.pos += 1
            return True
        return False

    def _object(self, pointer: str) -> None:
        self.pos += 1
        if self._closes("}"):
            return
        while True:
            self._space()
            line = self._line()
            key = self._string()
            self._expect(":")
            self._space()
            self._value(child(pointer, key), line)
            if self._closes("}"):
                return
            self._expect(",")

    def _array(self, pointer: str) -> None:
        self.pos += 1
        if self._closes("]"):
            return
        index = 0
        while True:
            self._space()
            self._value(child(pointer, index), self._line())
            index += 1
            if self._closes("]"):
                return
            self._expect(",")
