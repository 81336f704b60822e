"""Open documents and position conversions between the engine and the protocol. Pure.

The engine counts 1-based lines and 1-based columns in characters (code points); the protocol
counts 0-based lines and 0-based columns in the negotiated position encoding: UTF-16 code
units by default (an emoji or any astral character is two), UTF-8 bytes or UTF-32 code points
when the client asks for them. Lines end at `\\r\\n`, `\\r` or `\\n` only, as in the protocol and
in Python's tokenizer (`str.splitlines` would also split at `\\f` or `\\u2028` and shift every
position after one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from codemods.engine.positions import line_index_of

_NEWLINE = re.compile(r"\r\n|\r|\n")

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def _units(text: str, encoding: str) -> int:
    """Length of `text` in the code units of `encoding`."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    # UTF-16: one unit per character, two for characters outside the Basic Multilingual Plane.
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _characters(text: str, units: int, encoding: str) -> int:
    """How many characters of `text` fit in its first `units` code units (clamped)."""
    if units <= 0:
        return 0
    if encoding == UTF32 or text.isascii():
        return min(units, len(text))
    counted = 0
    for index, char in enumerate(text):
        code = ord(char)
        if encoding == UTF8:
            width = 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        else:
            width = 2 if code > 0xFFFF else 1
        if counted + width > units:
            return index  # a position inside a character snaps to its start
        counted += width
    return len(text)


@dataclass
class Document:
    """The text of one open document, with its line starts, as the client last sent it."""

    uri: str
    text: str
    version: int | None = None
    language_id: str = "python"
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        text = self.text
        if "\r" in text:
            self._line_starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
        else:  # the common case, at C speed: split at \n and add up the lengths
            self._line_starts = list(
                accumulate((len(part) + 1 for part in text.split("\n")[:-1]), initial=0)
            )

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_text(self, line: int) -> str:
        """0-based `line` without its ending; "" past the end."""
        if line < 0 or line >= len(self._line_starts):
            return ""
        start = self._line_starts[line]
        end = self._line_starts[line + 1] if line + 1 < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_ending(self) -> str:
        """The document's first line ending, for inserted lines ("\\n" when there is none)."""
        found = _NEWLINE.search(self.text)
        return found.group(0) if found else "\n"

    # ---- protocol positions (0-based line, column in code units) <-> offsets ------------
    def offset_at(self, line: int, units: int, encoding: str = UTF16) -> int:
        """Character offset of a protocol position; clamped to the document, as the protocol
        asks (a column past the end of a line means the end of that line)."""
        if line < 0:
            return 0
        if line >= len(self._line_starts):
            return len(self.text)
        text = self.line_text(line)
        return self._line_starts[line] + _characters(text, units, encoding)

    def protocol_position(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """The 0-based (line, column in code units) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        low = line_index_of(self._line_starts, offset)
        start = self._line_starts[low]
        line_text = self.line_text(low)
        column = min(offset - start, len(line_text))
        return low, _units(line_text[:column], encoding)

    # ---- engine positions (1-based line, 1-based character column) ---------------------
    def engine_to_protocol(self, line: int, column: int, encoding: str = UTF16) -> tuple[int, int]:
        """An engine `Position` (1-based line and character column) as a protocol position.

        A position past the last line (an end at the end of the text) maps to the end."""
        if line > len(self._line_starts):
            return self.protocol_position(len(self.text), encoding)
        line_index = max(line, 1) - 1
        text = self.line_text(line_index)
        characters = max(column, 1) - 1
        if characters > len(text):  # the end of a line, past its last character
            characters = len(text)
        return line_index, _units(text[:characters], encoding)

    def protocol_to_engine(self, line: int, units: int, encoding: str = UTF16) -> tuple[int, int]:
        """A protocol position as an engine (1-based line, 1-based character column)."""
        if line >= len(self._line_starts):
            last = len(self._line_starts) - 1
            return last + 1, len(self.line_text(last)) + 1
        line = max(line, 0)
        return line + 1, _characters(self.line_text(line), units, encoding) + 1

    # ---- changes ---------------------------------------------------------------------
    def apply_change(
        self,
        text: str,
        start: tuple[int, int] | None = None,
        end: tuple[int, int] | None = None,
        encoding: str = UTF16,
    ) -> None:
        """Replace the range from `start` to `end` (protocol positions) with `text`; without
        a range, replace the whole document."""
        if start is None or end is None:
            self.text = text
        else:
            first = self.offset_at(*start, encoding)
            last = max(first, self.offset_at(*end, encoding))
            self.text = self.text[:first] + text + self.text[last:]
        self._index()

    def apply_changes(
        self,
        changes: Iterable[tuple[str, tuple[int, int] | None, tuple[int, int] | None]],
        encoding: str = UTF16,
    ) -> None:
        for text, start, end in changes:
            self.apply_change(text, start, end, encoding)


def ranges_overlap(
    first: tuple[tuple[int, int], tuple[int, int]],
    second: tuple[tuple[int, int], tuple[int, int]],
) -> bool:
    """Whether two protocol ranges share a position (an empty range touching counts)."""
    (start_a, end_a), (start_b, end_b) = first, second
    return start_a <= end_b and start_b <= end_a
