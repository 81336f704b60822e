"""`# noqa` comments as the editor sees them: the code under the cursor, and the edit that
disables a code on one line. The comment syntax is the engine's (`codemods.engine.
suppressions`), so what the action writes is exactly what the engine honours."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

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
    need not be added (a bare `# noqa` already covers it; the line ends inside a string)."""
    if code.startswith("TK"):
        return None  # reserved findings are never suppressed
    tokens = _tokens(source)
    if tokens is None or line < 1:
        return None
    comment = None
    for token in tokens:
        if token.type == tokenize.STRING and token.start[0] <= line < token.end[0]:
            return None  # a comment here would land inside a multi-line string
        if token.type == tokenize.COMMENT and token.start[0] == line:
            comment = token
    line_text = Document("", source).line_text(line - 1)  # real line ends only
    if comment is not None:
        match = _LINE_NOQA.search(comment.string)
        if match is not None:
            column = comment.start[1]
            if match.group("codes") is None:
                return None
            listed = [part.strip().upper() for part in match.group("codes").split(",")]
            if any(code.startswith(prefix) for prefix in listed):
                return None
            at = column + match.end("codes")
            return LineEdit(line, at, at, f", {code}")
    stripped = line_text.rstrip()
    return LineEdit(line, len(stripped), len(line_text), f"  # noqa: {code}")


def _tokens(source: str) -> list[tokenize.TokenInfo] | None:
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
