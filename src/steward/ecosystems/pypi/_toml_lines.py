"""Line numbers for values of a TOML document, which ``tomllib`` does not report.

The document is parsed by ``tomllib``; this module only finds where a value is written, by text:

* a table ``[a.b]`` spans from its header line to the next header line;
* a key ``k`` of table ``a.b`` is a line starting with ``k =`` in that span, or a dotted key
  (``b.k =`` in ``[a]``, ``a.b.k =`` before any header), bare or quoted;
* the elements of an array are found in order after their key, each as its quoted string outside
  comments (a cursor moves forward, so a repeated string maps to successive lines).

When the text cannot be found (unusual quoting, escapes) the key's line, else the table's header
line, is used; 0 only when neither is found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=8192)
def _pattern(source: str) -> re.Pattern[str]:
    """``re.compile`` with a cache larger than ``re``'s own (one pattern per dependency name)."""
    return re.compile(source)


_HEADER = re.compile(r"(?m)^[ \t]*\[")


def _segment(name: str) -> str:
    escaped = re.escape(name)
    return f"(?:{escaped}|\"{escaped}\"|'{escaped}')"


def _dotted(path: Sequence[str]) -> str:
    return r"[ \t]*\.[ \t]*".join(_segment(p) for p in path)


_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'""")


def _in_comment(text: str, offset: int) -> bool:
    """True when ``offset`` follows a ``#`` outside strings on its line."""
    line = text[text.rfind("\n", 0, offset) + 1 : offset]
    return "#" in _QUOTED.sub("", line)


class TomlLines:
    """Finds the line (1-based) where a table, key or array element of ``text`` is written."""

    def __init__(self, text: str) -> None:
        self._text = text

    @property
    def text(self) -> str:
        """The document."""
        return self._text

    def line(self, offset: int) -> int:
        """The 1-based line of a character offset."""
        return self._text.count("\n", 0, offset) + 1

    def _span(self, table: Sequence[str]) -> tuple[int, int] | None:
        if not table:
            first = _HEADER.search(self._text)
            return (0, first.start() if first else len(self._text))
        header = _pattern(rf"(?m)^[ \t]*\[[ \t]*{_dotted(table)}[ \t]*\][ \t]*(?:#.*)?$")
        match = header.search(self._text)
        if match is None:
            return None
        following = _HEADER.search(self._text, match.end())
        return (match.start(), following.start() if following else len(self._text))

    def key_offset(self, table: Sequence[str], key: str) -> tuple[int, int] | None:
        """(offset after ``key =``, end of its table) for ``key`` of ``table``, or None."""
        full = (*table, key)
        for split in range(len(table), -1, -1):
            span = self._span(full[:split])
            if span is None:
                continue
            pattern = _pattern(rf"(?m)^[ \t]*{_dotted(full[split:])}[ \t]*=")
            match = pattern.search(self._text, span[0], span[1])
            if match is not None:
                return (match.end(), span[1])
        return None

    def table_line(self, table: Sequence[str]) -> int:
        """The header line of ``table``, 0 when it has none."""
        span = self._span(table)
        return self.line(span[0]) if span and table else 0

    def key_line(self, table: Sequence[str], key: str) -> int:
        """The line where ``key`` of ``table`` is assigned; the table's line when not found."""
        found = self.key_offset(table, key)
        return self.line(found[0]) if found else self.table_line(table)

    def elements(self, table: Sequence[str], key: str) -> ElementCursor:
        """A cursor over the array assigned to ``key`` of ``table``."""
        found = self.key_offset(table, key)
        if found is None:
            line = self.table_line(table)
            return ElementCursor(self, len(self._text), len(self._text), line)
        return ElementCursor(self, found[0], found[1], self.line(found[0]))


class ElementCursor:
    """Finds successive array elements of one key, in document order."""

    def __init__(self, lines: TomlLines, start: int, end: int, default: int) -> None:
        self._lines = lines
        self._position = start
        self._end = end
        self._default = default

    def next_match(self, pattern: str) -> int:
        """The line of the next text matching ``pattern``; the key's line when there is none."""
        text, compiled = self._lines.text, _pattern(pattern)
        match = compiled.search(text, self._position, self._end)
        while match is not None and _in_comment(text, match.start()):
            match = compiled.search(text, match.end(), self._end)
        if match is None:
            return self._default
        self._position = match.end()
        return self._lines.line(match.start())

    def next_string(self, value: str) -> int:
        """The line of the next quoted string equal to ``value`` (plain search: no regex)."""
        text = self._lines.text
        best: tuple[int, int] | None = None
        for quoted in (f'"{value}"', f"'{value}'"):
            found = text.find(quoted, self._position, self._end)
            while found != -1 and _in_comment(text, found):
                found = text.find(quoted, found + len(quoted), self._end)
            if found != -1 and (best is None or found < best[0]):
                best = (found, found + len(quoted))
        if best is None:
            return self._default
        self._position = best[1]
        return self._lines.line(best[0])
