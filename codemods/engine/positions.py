"""Conversions between `ast` positions (UTF-8 byte columns) and character positions.

`ast` reports `col_offset` in UTF-8 bytes of the line; users, editors and our outputs count
characters. Pure-ASCII lines (nearly all code) skip the conversion entirely.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from codemods.engine.types import Position

# Python's tokenizer ends lines at \r\n, \r or \n only (not at \f or \u2028, which
# str.splitlines would also split on), so positions must be computed the same way.
_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Line starts of one source text, built once and shared by every conversion."""

    __slots__ = ("_ascii", "_line_starts", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._line_starts = [0] + [match.end() for match in _NEWLINE.finditer(source)]
        # Bytes are characters in an ASCII text: no line needs slicing to convert a column.
        self._ascii = source.isascii()

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_text(self, line: int) -> str:
        """The text of 1-based `line` without its line ending."""
        if line < 1 or line > len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self._source)
        return self._source[start:end].rstrip("\r\n")

    def char_column(self, line: int, byte_column: int) -> int:
        """0-based character column of a 0-based UTF-8 byte column on 1-based `line`."""
        if self._ascii:
            return byte_column
        text = self.line_text(line)
        if text.isascii():
            return byte_column
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))

    def position(self, line: int, byte_column: int) -> Position:
        """The 1-based character `Position` of an `ast` (lineno, col_offset) pair."""
        return Position(line, self.char_column(line, byte_column) + 1)

    def offset(self, position: Position) -> int:
        """Absolute character offset into the source of a `Position`, clamped to the text."""
        line = min(max(position.line, 1), len(self._line_starts))
        start = self._line_starts[line - 1]
        return min(start + position.column - 1, len(self._source))

    def position_of_offset(self, offset: int) -> Position:
        """The `Position` of an absolute character offset."""
        index = line_index_of(self._line_starts, offset)
        return Position(index + 1, offset - self._line_starts[index] + 1)


def line_index_of(line_starts: list[int], offset: int) -> int:
    """0-based index of the line holding character `offset`, given the lines' start offsets
    (the first is 0); an offset past the end is on the last line."""
    return max(bisect_right(line_starts, offset) - 1, 0)


def common_affixes(old: str, new: str) -> tuple[int, int]:
    """Lengths of the longest common prefix and (not overlapping it) suffix of two texts.

    `old[prefix : len(old) - suffix]` is the part that changed; replacing it with
    `new[prefix : len(new) - suffix]` turns `old` into `new` with the smallest single edit.
    """
    limit = min(len(old), len(new))
    # Binary searches over slice comparisons: each step compares only the part not yet known
    # to match, so the work is one pass in C rather than a Python loop per character.
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, limit - prefix
    old_end, new_end = len(old), len(new)
    while low < high:
        middle = (low + high + 1) // 2
        if old[old_end - middle : old_end - low] == new[new_end - middle : new_end - low]:
            low = middle
        else:
            high = middle - 1
    return prefix, low
