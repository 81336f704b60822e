"""Findings as the doors see them: a diagnostic at its place in a file (path, and cell inside
a Jupyter notebook), and how they travel: mapped from a notebook's Python text to its cells,
stored in the cache, and settled before they leave the runner (deferred fixes computed or
reduced to their titles).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from codemods.engine.types import DeferredFix, Diagnostic, Edit, Fix, Position


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic at its place in a file as the user sees it: path, and cell for `.ipynb`."""

    path: str
    cell: int | None
    diagnostic: Diagnostic

    def to_dict(self) -> dict[str, Any]:
        return self.diagnostic.to_dict(path=self.path, cell=self.cell)

    @property
    def fixable(self) -> bool:
        return self.diagnostic.fix is not None

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.cell or 0, *self.diagnostic.sort_key())


def mapped_findings(diagnostics: list[Diagnostic], shown: str, notebook: Any) -> list[Finding]:
    if notebook is None:
        return [Finding(shown, None, diagnostic) for diagnostic in diagnostics]
    view = notebook.view
    findings = []
    for diagnostic in diagnostics:
        start = view.to_cell_position(diagnostic.start.line, diagnostic.start.column)
        cell = start.cell if start is not None else None
        findings.append(Finding(shown, cell, _to_cell(diagnostic, view)))
    return findings


def _to_cell(diagnostic: Diagnostic, view: Any) -> Diagnostic:
    """A diagnostic of a notebook's Python text with every position inside its cell."""

    def moved(position: Position) -> Position:
        mapped = view.to_cell_position(position.line, position.column)
        return position if mapped is None else Position(mapped.line, mapped.column)

    fix = diagnostic.fix
    if fix is not None:

        def moved_edits(original: Fix = fix) -> tuple[Edit, ...]:
            return tuple(Edit(moved(e.start), moved(e.end), e.content) for e in original.edits)

        if isinstance(fix, DeferredFix) and not fix.is_computed:
            fix = DeferredFix(moved_edits, fix.applicability, fix.message)
        else:
            fix = Fix(moved_edits(), fix.applicability, fix.message)
    return Diagnostic(
        diagnostic.code,
        diagnostic.name,
        diagnostic.message,
        diagnostic.severity,
        moved(diagnostic.start),
        moved(diagnostic.end),
        fix,
        diagnostic.url,
    )


def unreadable(shown: str, reason: str, error: Any = None) -> Finding:
    line = getattr(error, "line", 0) or 1
    column = getattr(error, "column", 0) or 1
    position = Position(line, column)
    message = f"The file cannot be read: {reason}"
    return Finding(shown, None, Diagnostic("TK002", "unreadable-file", message, "error",
                                           position, position))  # fmt: skip


def _is_pending(fix: Fix | None) -> bool:
    return isinstance(fix, DeferredFix) and not fix.is_computed


def cache_entry(finding: Finding) -> dict[str, Any]:
    """The finding as JSON; a fix whose edits were never computed is stored without them."""
    fix = finding.diagnostic.fix
    if not _is_pending(fix):
        return finding.to_dict()
    entry = replace(finding.diagnostic, fix=None).to_dict(path=finding.path, cell=finding.cell)
    entry["fix"] = {"applicability": fix.applicability, "message": fix.message, "edits": None}
    return entry


def deferred_entry(entry: dict[str, Any]) -> bool:
    fix = entry.get("fix")
    return fix is not None and fix.get("edits") is None


def settled(findings: list[Finding], *, need_edits: bool) -> list[Finding]:
    """Findings ready to leave the runner (and, from a worker, to be pickled): with
    `need_edits` every deferred fix is computed (one with nothing to do is dropped), without
    it an uncomputed one becomes a title without edits, so it is never computed anywhere."""
    settled = []
    for finding in findings:
        fix = finding.diagnostic.fix
        if isinstance(fix, DeferredFix):
            if need_edits or fix.is_computed:
                plain = Fix(fix.edits, fix.applicability, fix.message) if fix.edits else None
                if fix.failure is not None:
                    settled.append(_fix_failure(finding, fix.failure))
            else:
                plain = Fix((), fix.applicability, fix.message)
            finding = Finding(finding.path, finding.cell, replace(finding.diagnostic, fix=plain))
        settled.append(finding)
    return settled


def _fix_failure(finding: Finding, failure: str) -> Finding:
    diagnostic = finding.diagnostic
    message = f"Rule {diagnostic.code} ({diagnostic.name}) failed computing its fix: {failure}"
    position = diagnostic.start
    tk999 = Diagnostic("TK999", "internal-error", message, "error", position, position)
    return Finding(finding.path, finding.cell, tk999)


def finding_from_dict(entry: dict[str, Any], shown: str) -> Finding:
    from codemods.lint_cache import diagnostic_from_dict

    return Finding(shown, entry.get("cell"), diagnostic_from_dict(entry))
