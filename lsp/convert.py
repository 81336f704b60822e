"""Engine values -> protocol values, positions converted at this edge only."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from codemods.engine.positions import common_affixes
from codemods.engine.types import Diagnostic, Edit, Position
from lsp.text import UTF16, Document

SOURCE = "toolkit"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def protocol_range(
    document: Document, start: Position, end: Position, encoding: str = UTF16
) -> types.Range:
    start_line, start_column = document.engine_to_protocol(start.line, start.column, encoding)
    end_line, end_column = document.engine_to_protocol(end.line, end.column, encoding)
    if (end_line, end_column) < (start_line, start_column):
        end_line, end_column = start_line, start_column
    return types.Range(
        start=types.Position(line=start_line, character=start_column),
        end=types.Position(line=end_line, character=end_column),
    )


def fix_data(diagnostic: Diagnostic) -> dict[str, Any]:
    """What `data` says about a fix: whether one exists, and whether it is safe."""
    found = diagnostic.fix
    return {
        "fixable": found is not None,
        "applicability": found.applicability if found is not None else None,
        "fix": found.message if found is not None else None,
    }


def to_protocol_diagnostic(
    document: Document, diagnostic: Diagnostic, encoding: str = UTF16
) -> types.Diagnostic:
    message = diagnostic.message
    return types.Diagnostic(
        range=protocol_range(document, diagnostic.start, diagnostic.end, encoding),
        message=message,
        severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Warning),
        code=diagnostic.code,
        code_description=(types.CodeDescription(href=diagnostic.url) if diagnostic.url else None),
        source=SOURCE,
        data={"name": diagnostic.name, **fix_data(diagnostic)},
        tags=None,
    )


def to_text_edit(document: Document, edit: Edit, encoding: str = UTF16) -> types.TextEdit:
    return types.TextEdit(
        range=protocol_range(document, edit.start, edit.end, encoding), new_text=edit.content
    )


def whole_text_edit(document: Document, new_text: str, encoding: str = UTF16) -> types.TextEdit:
    """One edit turning the document into `new_text`: the changed middle only, so the
    editor keeps the cursor and folds outside it."""
    old = document.text
    prefix, suffix = common_affixes(old, new_text)
    # A protocol position cannot point between \r and \n: widen to the whole pair.
    if 0 < prefix < len(old) and old[prefix - 1] == "\r" and old[prefix] == "\n":
        prefix -= 1
    end_offset = len(old) - suffix
    if 0 < end_offset < len(old) and old[end_offset - 1] == "\r" and old[end_offset] == "\n":
        suffix -= 1
        end_offset += 1
    if suffix < 0 or prefix > len(old) - suffix:
        prefix, suffix = 0, 0
    start = document.protocol_position(prefix, encoding)
    end = document.protocol_position(len(old) - suffix, encoding)
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        new_text=new_text[prefix : len(new_text) - suffix],
    )
