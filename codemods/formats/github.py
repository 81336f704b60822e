"""GitHub Actions workflow commands: each finding an annotation on the pull request's diff.

`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=CODE::message`; the
command follows the severity (`error`, `warning`, `notice`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemods.findings import Finding

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(
    findings: Sequence[Finding],
    *,
    notebook_lines: Mapping[str, Mapping[int, Sequence[int]]] | None = None,
) -> str:
    """One annotation per finding; `.ipynb` findings point at the JSON lines of their cell's
    source when `notebook_lines` has them (`codemods.notebooks.cell_source_lines`)."""
    from codemods.formats.sarif import notebook_region

    lines = []
    for finding in findings:
        diagnostic = finding.diagnostic
        command = _COMMANDS.get(diagnostic.severity, "warning")
        properties = {
            "file": finding.path,
            "line": diagnostic.start.line,
            "col": diagnostic.start.column,
            "endLine": diagnostic.end.line,
            "endColumn": diagnostic.end.column,
            "title": diagnostic.code,
        }
        message = diagnostic.message
        if finding.cell is not None:
            # Annotations address file lines: the cell's lines in the JSON when known (columns
            # in the JSON text are not the cell's), and the cell position in the message.
            properties.pop("line"), properties.pop("endLine")
            properties.pop("col"), properties.pop("endColumn")
            start = diagnostic.start
            cells = (notebook_lines or {}).get(finding.path)
            if cells and cells.get(finding.cell):
                region = notebook_region(cells, finding.cell, start, diagnostic.end)
                properties = {
                    "file": finding.path,
                    "line": region["startLine"],
                    "endLine": region.get("endLine", region["startLine"]),
                    "title": diagnostic.code,
                }
            message = f"cell {finding.cell}, line {start.line}, column {start.column}: {message}"
        rendered = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items())
        lines.append(f"::{command} {rendered}::{_data(message)}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
