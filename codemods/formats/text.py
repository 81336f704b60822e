"""The text format: `path:line:col: CODE message [*]`, the form Ruff and compilers print."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemods.findings import Finding


def location(finding: Finding) -> str:
    """`path:line:col`, or `path:cell N:line:col` inside a Jupyter notebook."""
    start = finding.diagnostic.start
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{finding.path}:{cell}{start.line}:{start.column}"


def render_text(findings: Sequence[Finding], *, show_fixes: bool = False) -> str:
    """One line per finding; with `show_fixes`, each fix's title on an indented line."""
    lines = []
    for finding in findings:
        diagnostic = finding.diagnostic
        marker = " [*]" if diagnostic.fix is not None else ""
        lines.append(f"{location(finding)}: {diagnostic.code} {diagnostic.message}{marker}")
        if show_fixes and diagnostic.fix is not None:
            fix = diagnostic.fix
            lines.append(f"    fix ({fix.applicability}): {fix.message}")
    return "".join(line + "\n" for line in lines)


def summary_line(findings: Sequence[Finding], *, fixed: int = 0) -> str:
    """`Found N problems (M fixable).`, `All checks passed.`, or after fixing
    `Found N problems (M fixed, K remaining).`"""
    remaining = len(findings)
    if fixed:
        total = remaining + fixed
        return f"Found {_problems(total)} ({fixed} fixed, {remaining} remaining)."
    if not remaining:
        return "All checks passed."
    fixable = sum(1 for finding in findings if finding.diagnostic.fix is not None)
    return f"Found {_problems(remaining)} ({fixable} fixable)."


def render_statistics(findings: Sequence[Finding]) -> str:
    """Counts per code, most frequent first: `  12  SPK101  [*] column-compared-to-none`."""
    counts = Counter(finding.diagnostic.code for finding in findings)
    names = {finding.diagnostic.code: finding.diagnostic.name for finding in findings}
    fixable = {finding.diagnostic.code for finding in findings if finding.fixable}
    width = max((len(str(count)) for count in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = "[*]" if code in fixable else "   "
        lines.append(f"{count:>{width}}  {code:<7} {marker} {names[code]}")
    return "".join(line + "\n" for line in lines)


def _problems(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''}"
