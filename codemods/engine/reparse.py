"""Parsing successive versions of one text (an editor's document), reusing what did not change.

`ast.parse` is a third of a lint, and in an editor most versions differ from the last by a few
characters. A top-level statement starts a fresh logical line at column 0 with no bracket or
string open, so it parses the same on its own as inside its file. `Reparser` parses only the
top-level statements whose lines an edit touched
(with any blank or comment lines it touched between them) and keeps every other statement
object of the previous tree. The result is the tree `ast.parse` gives for the whole new text,
node for node, positions included; `tests/codemods/test_engine_reparse.py` checks that on
thousands of random edits of real files.

When the edit adds or removes lines, every statement after it moves, so the region runs from
the first statement the edit touched to the end of the text; the statements before it are
kept. Whenever the argument does not hold the whole text is parsed: the line before the
region ends in a backslash (a statement may continue over blank and comment lines, which
its span does not cover), the text ends a line with a lone carriage return, the changed lines do not parse on their own (an opened bracket
or string, `else:` without its `if`: the full parse then reports the error where Python
would), or they hold a `from __future__` import (whose rules depend on what precedes it).
"""

from __future__ import annotations

import ast
import warnings
from bisect import bisect_right
from dataclasses import dataclass

from codemods.engine.positions import common_affixes


@dataclass(frozen=True, slots=True)
class _Parsed:
    source: str
    tree: ast.Module
    first_lines: list[int]  # of each top-level statement, decorators included
    last_lines: list[int]


class Reparser:
    """Parses the versions of one document in turn; `parse` is `ast.parse`, faster on the
    next version of the same text. Not shared between threads."""

    __slots__ = ("_last", "reused", "walk_key", "walks")

    def __init__(self) -> None:
        self._last: _Parsed | None = None
        self.reused = 0  # how many parses reused the previous tree (for tests and benchmarks)
        # What the engine's walk found inside each top-level statement of the last tree
        # (parent links, wanted nodes, binding nodes), for the rules' filters `walk_key`.
        self.walks: dict[ast.stmt, tuple] = {}
        self.walk_key: object = None

    def parse(self, source: str, path: str = "<unknown>") -> ast.Module:
        """The module `ast.parse(source, filename=path)` gives; raises what it raises."""
        tree = _reparse(self._last, source) if self._last is not None else None
        if tree is None:
            tree = parse_module(source, path)
        else:
            self.reused += 1
        first_lines, last_lines = _statement_lines(tree)
        self._last = _Parsed(source, tree, first_lines, last_lines)
        return tree


def parse_module(source: str, path: str = "<unknown>") -> ast.Module:
    """`ast.parse`, without the `SyntaxWarning`s Python prints about the code it reads
    (`1if x else 2`, `"\\d"`): a linter's output is its findings, not the compiler's remarks."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=path, type_comments=False)


def _statement_lines(tree: ast.Module) -> tuple[list[int], list[int]]:
    first_lines, last_lines = [], []
    for statement in tree.body:
        first = statement.lineno
        for decorator in getattr(statement, "decorator_list", ()):
            first = min(first, decorator.lineno)
        first_lines.append(first)
        last_lines.append(statement.end_lineno or first)
    return first_lines, last_lines


def _reparse(last: _Parsed, source: str) -> ast.Module | None:
    """The tree of `source` built from `last` and a parse of the changed lines, or None."""
    old = last.source
    if old == source:
        return last.tree
    prefix, suffix = common_affixes(old, source)
    old_changed, new_changed = (
        old[prefix : len(old) - suffix],
        source[prefix : len(source) - suffix],
    )
    if _has_lone_carriage_return(source) or _has_lone_carriage_return(old):
        return None  # Python ends a line there too: counting "\n" would misplace lines
    # Lines (1-based) the edit touches, numbered as in the old text.
    first_changed = old.count("\n", 0, prefix) + 1
    last_changed = first_changed + old_changed.count("\n")
    if old_changed.count("\n") != new_changed.count("\n"):
        # Every later line moves: the statements after the edit are parsed again too (a
        # statement object cannot be shared with other line numbers), those before are kept.
        last_changed = old.count("\n") + 1
    # Statements whose lines meet the changed lines: those from the first ending at or after
    # `first_changed` to the last starting at or before `last_changed` (spans are in order).
    start = _first_ending_at_or_after(last.last_lines, first_changed)
    stop = bisect_right(last.first_lines, last_changed)
    region_first, region_last = first_changed, last_changed
    if start < stop:
        region_first = min(region_first, last.first_lines[start])
        region_last = max(region_last, last.last_lines[stop - 1])
    # Whole lines are parsed again, so a statement sharing a line with the region (`a; b`)
    # belongs to it too, and so on until no statement straddles its edges.
    first_lines, last_lines = last.first_lines, last.last_lines
    while True:
        if start > 0 and last_lines[start - 1] >= region_first:
            start -= 1
            region_first = min(region_first, first_lines[start])
        elif stop < len(first_lines) and first_lines[stop] <= region_last:
            region_last = max(region_last, last_lines[stop])
            stop += 1
        else:
            break
    region_start = _line_start(source, region_first)
    # After the last statement the region runs to the end, whatever the line count now.
    at_end = stop == len(first_lines)
    region_end = len(source) if at_end else _line_start(source, region_last + 1)
    # A backslash at the end of the line before the region, or of its last line, joins
    # lines across its edge (`x = 1 \` continues over a blank line its span does not cover).
    if _continues(source[:region_start]) or _continues(source[region_start:region_end]):
        return None
    try:
        # Blank lines in front put every node of the region at its line in the file: cheaper
        # than `ast.increment_lineno`, a Python walk over every node of the region.
        region = parse_module("\n" * (region_first - 1) + source[region_start:region_end])
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    for statement in region.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            return None
    body = last.tree.body
    return ast.Module(body=[*body[:start], *region.body, *body[stop:]], type_ignores=[])


def _continues(text: str) -> bool:
    """Whether `text`'s last line ends in a line-continuation backslash."""
    return text.rstrip("\r\n").endswith("\\")


def _has_lone_carriage_return(text: str) -> bool:
    return "\r" in text and text.count("\r") != text.count("\r\n")


def _first_ending_at_or_after(last_lines: list[int], line: int) -> int:
    """Index of the first statement whose last line is >= `line` (last lines never decrease:
    statements follow one another)."""
    low, high = 0, len(last_lines)
    while low < high:
        middle = (low + high) // 2
        if last_lines[middle] < line:
            low = middle + 1
        else:
            high = middle
    return low


def _line_start(source: str, line: int) -> int:
    """Offset where 1-based `line` starts; the end of the text past the last line."""
    offset = 0
    for _ in range(line - 1):
        found = source.find("\n", offset)
        if found < 0:
            return len(source)
        offset = found + 1
    return offset
