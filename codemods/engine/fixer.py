"""`fix()`: apply non-overlapping fixes, re-parse, repeat until nothing changes."""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Iterable

from codemods.engine.options import LintSettings
from codemods.engine.positions import LineIndex
from codemods.engine.runner import lint
from codemods.engine.types import Diagnostic, Edit, Fix, FixResult

MAX_ROUNDS = 10


def fix(
    source: str,
    path: str,
    settings: LintSettings | None = None,
    *,
    unsafe: bool = False,
    select: Iterable[str] | None = None,
    rules=None,
) -> FixResult:
    """Apply every applicable fix until a fixed point (at most `MAX_ROUNDS` rounds).

    `unsafe` also applies unsafe fixes; `select` limits fixing to these codes or prefixes
    (diagnostics of other rules are still reported). The returned text always parses when
    the input did; a round whose result does not parse is retried one fix at a time, and a
    fix that still breaks the code is skipped. Fixing the result again changes nothing.
    """
    prefixes = tuple(select) if select is not None else None
    current = source
    applied = 0
    rejected: set[tuple[str, str]] = set()  # (code, fix message) pairs that broke the code
    diagnostics: list[Diagnostic] = []
    linted = None  # the text `diagnostics` belong to: lint each text once
    for _ in range(MAX_ROUNDS):
        diagnostics, linted = lint(current, path, settings, rules=rules), current
        if any(d.code == "TK001" for d in diagnostics):
            break
        fixes = [
            d.fix
            for d in diagnostics
            if _wanted(d, unsafe=unsafe, prefixes=prefixes)
            and (d.code, d.fix.message) not in rejected  # type: ignore[union-attr]
        ]
        chosen = _non_overlapping(fixes, LineIndex(current))
        if not chosen:
            break
        candidate = apply_fixes(current, chosen)
        if candidate != current and _parses(candidate, path):
            current, applied = candidate, applied + len(chosen)
            continue
        progressed = False
        code_of_fix = {id(d.fix): d.code for d in diagnostics if d.fix is not None}
        for one in chosen:  # find the fix that breaks the code, keep the others
            candidate = apply_fixes(current, [one])
            if candidate != current and _parses(candidate, path):
                current, applied, progressed = candidate, applied + 1, True
                break
            rejected.add((code_of_fix.get(id(one), ""), one.message))
        if not progressed:
            break
    remaining = diagnostics if linted == current else lint(current, path, settings, rules=rules)
    return FixResult(source=current, applied=applied, diagnostics=remaining)


def _wanted(diagnostic: Diagnostic, *, unsafe: bool, prefixes: tuple[str, ...] | None) -> bool:
    if diagnostic.fix is None or not diagnostic.fix.edits:
        return False
    if not unsafe and not diagnostic.fix.is_safe:
        return False
    return prefixes is None or diagnostic.code.startswith(prefixes)


def _non_overlapping(fixes: list[Fix], lines: LineIndex) -> list[Fix]:
    """Fixes in source order whose edits touch no range another chosen fix touches.

    The taken ranges are kept merged, disjoint and sorted, so one binary search tells whether
    a range conflicts: O(n log n) for n fixes (a 50,000-fix file used to take minutes).
    """
    spans = []
    for one in fixes:
        ranges = [(lines.offset(edit.start), lines.offset(edit.end)) for edit in one.edits]
        spans.append((min(start for start, _ in ranges), ranges, one))
    spans.sort(key=lambda item: item[0])
    taken = _DisjointRanges()
    chosen = []
    for _, ranges, one in spans:
        if any(taken.touches(span) for span in ranges):
            continue
        for span in _merged(ranges):
            taken.add(span)
        chosen.append(one)
    return chosen


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`ranges` sorted, with ranges that overlap or touch joined into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _DisjointRanges:
    """Closed ranges that neither overlap nor touch, sorted by start (so also by end)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def touches(self, span: tuple[int, int]) -> bool:
        # Touching ranges conflict too (two insertions at one point have no defined order).
        # Only the last range starting at or before span's end can reach back to its start.
        index = bisect_right(self._starts, span[1]) - 1
        return index >= 0 and self._ends[index] >= span[0]

    def add(self, span: tuple[int, int]) -> None:
        """Add a range that touches none already here (fixes come in source order, so this
        is nearly always an append)."""
        index = bisect_right(self._starts, span[0])
        self._starts.insert(index, span[0])
        self._ends.insert(index, span[1])


def apply_fixes(source: str, fixes: Iterable[Fix]) -> str:
    """Apply the edits of non-overlapping fixes to `source`."""
    return apply_edits(source, [edit for one in fixes for edit in one.edits])


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits to `source` in one pass: sort once, join the pieces.

    Insertions at one point go in the reverse of their given order, as they did when edits
    were applied one by one from the end of the text.
    """
    lines = LineIndex(source)
    spans = [(lines.offset(edit.start), lines.offset(edit.end), edit.content) for edit in edits]
    # A stable descending sort, read backwards: ascending, ties in reverse given order.
    spans.sort(key=lambda span: (span[0], span[1]), reverse=True)
    pieces = []
    copied_up_to = 0
    for start, end, content in reversed(spans):
        pieces.append(source[copied_up_to:start])
        pieces.append(content)
        copied_up_to = max(copied_up_to, end)
    pieces.append(source[copied_up_to:])
    return "".join(pieces)


def _parses(source: str, path: str) -> bool:
    try:
        ast.parse(source, filename=path)
    except (SyntaxError, ValueError):
        return False
    return True
