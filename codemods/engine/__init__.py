"""The lint engine: source text -> diagnostics, and source text -> fixed text. Pure: no I/O.

Public API (see docs/writing-rules.md and docs/architecture.md):

    lint(source, path, settings=None) -> list[Diagnostic]
    fix(source, path, settings=None, *, unsafe=False, select=None) -> FixResult
    LintSettings, Diagnostic, Fix, Edit, Position, FixResult
"""

from __future__ import annotations

from codemods.engine.fixer import apply_edits, apply_fixes, fix
from codemods.engine.options import DEFAULT_SETTINGS, LintSettings
from codemods.engine.runner import lint
from codemods.engine.types import (
    Applicability,
    Diagnostic,
    Edit,
    Fix,
    FixResult,
    Position,
    Severity,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "FixResult",
    "LintSettings",
    "Position",
    "Severity",
    "apply_edits",
    "apply_fixes",
    "fix",
    "lint",
]
