"""`fix()`: apply non-overlapping fixes, re-parse, repeat until nothing changes."""

from __future__ import annotations

import ast
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
        for one in chosen:  # find the fix that breaks the code, keep the others
            candidate = apply_fixes(current, [one])
            if candidate != current and _parses(candidate, path):
                current, applied, progressed = candidate, applied + 1, True
                break
            rejected.add(_key(one, diagnostics))
        if not progressed:
            break
    remaining = diagnostics if linted == current else lint(current, path, settings, rules=rules)
    return FixResult(source=current, applied=applied, diagnostics=remaining)


def _key(one: Fix, diagnostics: list[Diagnostic]) -> tuple[str, str]:
    for diagnostic in diagnostics:
        if diagnostic.fix is one:
            return (diagnostic.code, one.message)
    return ("", one.message)


def _wanted(diagnostic: Diagnostic, *, unsafe: bool, prefixes: tuple[str, ...] | None) -> bool:
    if diagnostic.fix is None or not diagnostic.fix.edits:
        return False
    if not unsafe and not diagnostic.fix.is_safe:
        return False
    return prefixes is None or diagnostic.code.startswith(prefixes)


def _non_overlapping(fixes: list[Fix], lines: LineIndex) -> list[Fix]:
    """Fixes in source order whose edits touch no range another chosen fix touches."""
    spans = []
    for one in fixes:
        ranges = [(lines.offset(edit.start), lines.offset(edit.end)) for edit in one.edits]
        spans.append((min(start for start, _ in ranges), ranges, one))
    spans.sort(key=lambda item: item[0])
    taken: list[tuple[int, int]] = []
    chosen = []
    for _, ranges, one in spans:
        if any(_overlaps(span, other) for span in ranges for other in taken):
            continue
        taken.extend(ranges)
        chosen.append(one)
    return chosen


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Touching ranges conflict too (two insertions at one point have no defined order).
    return a[0] <= b[1] and b[0] <= a[1]


def apply_fixes(source: str, fixes: Iterable[Fix]) -> str:
    """Apply the edits of non-overlapping fixes to `source` (end to start)."""
    return apply_edits(source, [edit for one in fixes for edit in one.edits])


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits to `source`."""
    lines = LineIndex(source)
    spans = sorted(
        ((lines.offset(edit.start), lines.offset(edit.end), edit.content) for edit in edits),
        key=lambda span: (span[0], span[1]),
        reverse=True,
    )
    text = source
    for start, end, content in spans:
        text = text[:start] + content + text[end:]
    return text


def _parses(source: str, path: str) -> bool:
    try:
        ast.parse(source, filename=path)
    except (SyntaxError, ValueError):
        return False
    return True
