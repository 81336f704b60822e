"""What the server asks of the engine: findings for one open text or one open notebook, with
every position in the coordinates of the document the user sees. No analysis of its own: the
engine lints, the settings resolver selects, `codemods.notebooks` maps notebook cells.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from codemods.engine.reparse import Reparser
from codemods.engine.types import Diagnostic, Edit, Fix, Position

_TOP = Position(1, 1)


@dataclass(frozen=True, slots=True)
class Finding:
    """One engine diagnostic placed in one document (`uri`), positions in that document."""

    uri: str
    diagnostic: Diagnostic


def lint_text(
    text: str, path: str, settings: Any, reparser: Reparser | None = None
) -> list[Diagnostic]:
    """The engine's findings for `text` linted as `path` under resolved `settings`;
    `reparser` holds the parse of the document's previous version, to reuse.

    Anything the engine raises outside a rule still becomes a finding (TK999), as in
    `toolkit lint`: an editor must never lose its diagnostics to one odd text.
    """
    from codemods.engine import lint
    from codemods.runner import registry_pairs

    try:
        per_file = settings.lint_settings_for(path, text, registry_pairs())
        return lint(text, path, per_file, reparser=reparser)
    except Exception as error:
        message = f"Internal error while linting: {type(error).__name__}: {error}"
        return [Diagnostic("TK999", "internal-error", message, "error", _TOP, _TOP)]


def fix_all_text(text: str, path: str, settings: Any) -> str:
    """`text` with every safe fix applied (the engine's fixed point); `text` when none."""
    from codemods.engine import fix
    from codemods.runner import registry_pairs

    per_file = settings.lint_settings_for(path, text, registry_pairs())
    return fix(text, path, per_file, unsafe=False).source


@dataclass(frozen=True, slots=True)
class NotebookCell:
    uri: str
    kind: str  # "code" | "markdown"
    text: str


def lint_notebook(
    cells: list[NotebookCell], path: str, settings: Any, reparser: Reparser | None = None
) -> list[Finding]:
    """Findings of a Jupyter notebook given as cells, each placed in its cell's document.

    The cells are assembled into notebook JSON and read by `codemods.notebooks.parse_ipynb`,
    the same reader `toolkit lint` uses for `.ipynb` files, so magics, `%sql` cells and cell
    counts are treated identically. A finding with no cell (TK codes on an empty notebook)
    goes to the first cell. `reparser` keeps the parse of the notebook's previous version:
    an edit in one cell re-parses only the statements it touched.
    """
    from codemods.engine import lint
    from codemods.notebooks import NotebookError, parse_ipynb
    from codemods.runner import registry_pairs

    if not cells:
        return []
    document = {
        "cells": [{"cell_type": cell.kind, "metadata": {}, "source": cell.text} for cell in cells],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    try:
        notebook = parse_ipynb(json.dumps(document), path=path)
    except NotebookError as error:
        message = f"The notebook cannot be read: {error.reason}"
        tk002 = Diagnostic("TK002", "unreadable-file", message, "error", _TOP, _TOP)
        return [Finding(cells[0].uri, tk002)]
    view = notebook.view
    try:
        per_file = settings.lint_settings_for(path, view.python_text, registry_pairs())
        diagnostics = lint(
            view.python_text, path, replace(per_file, notebook=view), reparser=reparser
        )
    except Exception as error:
        message = f"Internal error while linting: {type(error).__name__}: {error}"
        tk999 = Diagnostic("TK999", "internal-error", message, "error", _TOP, _TOP)
        return [Finding(cells[0].uri, tk999)]
    findings = []
    for diagnostic in diagnostics:
        start = view.to_cell_position(diagnostic.start.line, diagnostic.start.column)
        cell_number = start.cell if start is not None else 1
        uri = cells[cell_number - 1].uri
        findings.append(Finding(uri, _in_cell(diagnostic, view, cell_number)))
    return findings


def _in_cell(diagnostic: Diagnostic, view: Any, cell_number: int) -> Diagnostic:
    """`diagnostic` with positions inside its cell; a fix touching another cell is dropped."""

    def moved(position: Position) -> Position | None:
        mapped = view.to_cell_position(position.line, position.column)
        if mapped is None:
            return position
        if mapped.cell != cell_number:
            return None
        return Position(mapped.line, mapped.column)

    start = moved(diagnostic.start) or diagnostic.start
    end = moved(diagnostic.end) or Position(start.line + 1, 1)  # to the end of the cell
    fix = diagnostic.fix
    if fix is not None:
        edits = []
        for edit in fix.edits:
            edit_start, edit_end = moved(edit.start), moved(edit.end)
            if edit_start is None or edit_end is None:
                edits = None
                break
            edits.append(Edit(edit_start, edit_end, edit.content))
        fix = Fix(tuple(edits), fix.applicability, fix.message) if edits else None
    return Diagnostic(
        diagnostic.code,
        diagnostic.name,
        diagnostic.message,
        diagnostic.severity,
        start,
        end,
        fix,
        diagnostic.url,
    )
