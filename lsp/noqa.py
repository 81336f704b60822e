"""`# noqa` comments as the editor sees them: the code under the cursor, and the edit that
disables a code on one line. The comment syntax is the engine's (`codemods.engine.
suppressions`), so what the action writes is exactly what the engine honours."""

from __future__ import annotations

from dataclasses import dataclass

from codemods.engine.comments import find_comments_and_strings
from codemods.engine.suppressions import _LINE_NOQA  # one syntax for reading and writing
from lsp.text import Document


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Replace characters `[start, end)` (0-based) of 1-based `line` with `content`."""

    line: int
    start: int
    end: int
    content: str


def code_at(line_text: str, column: int) -> str | None:
    """The code of a `# noqa: A, B` comment under 0-based character `column`, if any."""
    for match in _LINE_NOQA.finditer(line_text):
        codes_start = match.start("codes")
        if codes_start < 0:
            continue
        offset = codes_start
        for part in match.group("codes").split(","):
            stripped = part.strip()
            begin = offset + (len(part) - len(part.lstrip()))
            if stripped and begin <= column <= begin + len(stripped):
                return stripped.upper()
            offset += len(part) + 1
    return None


def disable_code_edit(source: str, line: int, code: str) -> LineEdit | None:
    """The edit adding `code` to the `# noqa` of 1-based `line`, or None when it cannot or
    need not be added (a bare `# noqa` already covers it; the line ends inside a string or
    with a `\\` continuation). Comments and strings come from the engine's scan, a few
    milliseconds on a 2,000-line file: editors ask for code actions at every cursor move."""
    if code.startswith("TK"):
        return None  # reserved findings are never suppressed
    document = Document("", source)
    if line < 1 or line > document.line_count:
        return None
    line_start = document.offset_at(line - 1, 0)
    line_text = document.line_text(line - 1)  # real line ends only
    line_end = line_start + len(line_text)
    comments, strings = find_comments_and_strings(source)
    if any(start < line_end < end for start, end in strings):
        return None  # a comment here would land inside a multi-line string
    comment = next((c for c in comments if line_start <= c.start < line_end), None)
    if comment is not None:
        match = _LINE_NOQA.search(comment.text)
        if match is not None:
            column = comment.start - line_start
            if match.group("codes") is None:
                return None
            listed = [part.strip().upper() for part in match.group("codes").split(",")]
            if any(code.startswith(prefix) for prefix in listed):
                return None
            at = column + match.end("codes")
            return LineEdit(line, at, at, f", {code}")
    stripped = line_text.rstrip()
    if comment is None and stripped.endswith("\\"):
        return None  # a comment after a line continuation would end the statement early
    return LineEdit(line, len(stripped), len(line_text), f"  # noqa: {code}")
