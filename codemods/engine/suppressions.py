"""`# noqa` comments: per line (`# noqa`, `# noqa: SPK101, DBX1`) and per file
(`# toolkit: noqa`, `# toolkit: noqa: SPK101`).

Comments are found by `codemods.engine.comments` (the file's one scan, shared with the rules),
and only when the text contains "noqa" at all, so files without suppressions pay nothing. A line suppression applies to the line where a diagnostic
*starts*. Codes match exactly or by prefix (`SPK1` covers `SPK101`), as in ruff. `TK` codes
are never suppressed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from codemods.engine.comments import Comment, find_comments
from codemods.engine.positions import LineIndex

# Codes are letters then digits, as in ruff; a list of them may be in any case (`spk101` is
# SPK101: a lower-case list must not read as a bare suppression that hides every finding). A
# lone prefix (`SPK`) must be upper case, so words after the colon ("small table") keep
# the comment a bare suppression, as they always did. Text after the codes is a free comment.
_CODES = r"(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*|[A-Z]+[0-9]*))?"
_LINE_NOQA = re.compile(r"#\s*(?i:noqa)" + _CODES)
_FILE_NOQA = re.compile(r"#\s*(?i:toolkit):\s*(?i:noqa)" + _CODES)
_CODE = re.compile(r"[A-Za-z]+[0-9]*")
OUR_PREFIXES = ("SPK", "DBX", "TST")


@dataclass(slots=True)
class LineSuppression:
    """One `# noqa` comment: codes=None means every code on the line."""

    line: int
    column: int
    codes: tuple[str, ...] | None
    used: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Suppressions:
    lines: dict[int, LineSuppression] = field(default_factory=dict)
    file_all: bool = False
    file_codes: tuple[str, ...] = ()

    def suppresses(self, code: str, line: int) -> bool:
        """Whether `code` reported at `line` is suppressed; records the use."""
        if code.startswith("TK"):
            return False
        if self.file_all or _matches(code, self.file_codes):
            return True
        entry = self.lines.get(line)
        if entry is None:
            return False
        if entry.codes is None:
            entry.used.add(code)
            return True
        for listed in entry.codes:
            if code.startswith(listed):
                entry.used.add(listed)
                return True
        return False

    def unused(self) -> list[tuple[LineSuppression, str]]:
        """Our codes listed in a `# noqa: ...` that suppressed nothing (others serve ruff)."""
        found = []
        for entry in self.lines.values():
            for listed in entry.codes or ():
                if listed.startswith(OUR_PREFIXES) and listed not in entry.used:
                    found.append((entry, listed))
        return found


def _matches(code: str, listed: tuple[str, ...]) -> bool:
    return any(code.startswith(prefix) for prefix in listed)


def _codes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(code.upper() for code in _CODE.findall(text))


def parse_suppressions(
    source: str,
    comments: Callable[[], list[Comment]] | None = None,
    lines: LineIndex | None = None,
) -> Suppressions:
    """The suppressions of `source`. `comments` returns the file's comments when the caller
    keeps them (asked only if the text mentions "noqa"), `lines` is its line index."""
    suppressions = Suppressions()
    if "noqa" not in source.lower():
        return suppressions
    for comment in comments() if comments is not None else find_comments(source):
        if "noqa" not in comment.text.lower():
            continue
        file_match = _FILE_NOQA.match(comment.text)
        if file_match:
            codes = _codes(file_match.group("codes"))
            if codes is None:
                suppressions.file_all = True
            else:
                suppressions.file_codes += codes
            continue
        line_match = _LINE_NOQA.search(comment.text)
        if line_match:
            if lines is None:
                lines = LineIndex(source)
            position = lines.position_of_offset(comment.start)
            suppressions.lines[position.line] = LineSuppression(
                position.line, position.column, _codes(line_match.group("codes"))
            )
    return suppressions
