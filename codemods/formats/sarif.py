"""SARIF 2.1.0, what GitHub code scanning (`upload-sarif`) and IDE viewers read.

Every rule that could report is described once in `tool.driver.rules` (name, summary, help
URI, default level); each result points at it by `ruleIndex`. Columns are code points
(`columnKind: unicodeCodePoints`), the unit our positions use. Fixes become SARIF `fixes`
with their replacements, except inside `.ipynb` files, whose positions are cell-relative and
so name no place in the file's JSON text. There the cell is in the message and in
`properties.cell`, and the region is the JSON lines of the cell's source lines when the door
passes `notebook_lines` (see `codemods.notebooks.cell_source_lines`); without them, line 1.

Artifact URIs are percent-encoded: a relative path against `%SRCROOT%`, an absolute one
(outside the working folder) as a `file://` URI.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from codemods.engine.types import Position
    from codemods.findings import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/dataeng-toolkit/toolkit"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF says about a rule: `toolkit.commands.lint` builds these from the registry."""

    code: str
    name: str
    summary: str
    url: str | None
    severity: str
    documentation: str = ""


def render_sarif(
    findings: Sequence[Finding],
    *,
    rules: Sequence[RuleInfo] = (),
    tool_version: str = "0",
    notebook_lines: Mapping[str, Mapping[int, Sequence[int]]] | None = None,
) -> str:
    """SARIF for `findings`; `notebook_lines` maps a notebook's path to where each cell's
    source lines are in its JSON (`cell_source_lines`), for the regions of `.ipynb` findings."""
    described = {rule.code: rule for rule in rules}
    for finding in findings:  # a finding of a rule missing from `rules` still gets an entry
        diagnostic = finding.diagnostic
        if diagnostic.code not in described:
            described[diagnostic.code] = RuleInfo(
                diagnostic.code, diagnostic.name, diagnostic.name, diagnostic.url,
                diagnostic.severity,
            )  # fmt: skip
    ordered = sorted(described.values(), key=lambda rule: rule.code)
    index = {rule.code: position for position, rule in enumerate(ordered)}
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "toolkit",
                        "semanticVersion": tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(rule) for rule in ordered],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(finding, index, (notebook_lines or {}).get(finding.path))
                    for finding in findings
                ],
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _rule(rule: RuleInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "defaultConfiguration": {"level": _LEVELS.get(rule.severity, "warning")},
    }
    if rule.documentation:
        entry["fullDescription"] = {"text": rule.summary or rule.name}
        entry["help"] = {"text": rule.documentation, "markdown": rule.documentation}
    if rule.url:
        entry["helpUri"] = rule.url
    return entry


def _region(start: Position, end: Position) -> dict[str, int]:
    region = {"startLine": start.line, "startColumn": start.column}
    if end > start:
        region.update(endLine=end.line, endColumn=end.column)
    return region


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF `artifactLocation`: percent-encoded, relative to `%SRCROOT%` when relative."""
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def notebook_region(
    cells: Mapping[int, Sequence[int]] | None, cell: int, start: Position, end: Position
) -> dict[str, int]:
    """The JSON-text lines of a cell-relative range (line 1 when the cell is unknown)."""
    lines = (cells or {}).get(cell)
    if not lines:
        return {"startLine": 1}

    def at(line: int) -> int:
        return lines[min(max(line, 1), len(lines)) - 1]

    first, last = at(start.line), at(end.line)
    return {"startLine": first, "endLine": last} if last > first else {"startLine": first}


def _result(
    finding: Finding, index: dict[str, int], cells: Mapping[int, Sequence[int]] | None = None
) -> dict[str, Any]:
    diagnostic = finding.diagnostic
    artifact = artifact_location(finding.path)
    message = diagnostic.message
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": index[diagnostic.code],
        "level": _LEVELS.get(diagnostic.severity, "warning"),
        "message": {"text": message},
    }
    if finding.cell is not None:
        start = diagnostic.start
        result["message"] = {
            "text": f"cell {finding.cell}, line {start.line}, column {start.column}: {message}"
        }
        region = notebook_region(cells, finding.cell, start, diagnostic.end)
        result["locations"] = [
            {"physicalLocation": {"artifactLocation": artifact, "region": region}}
        ]
        result["properties"] = {"cell": finding.cell}
        return result
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": _region(diagnostic.start, diagnostic.end),
            }
        }
    ]
    fix = diagnostic.fix
    if fix is not None:
        result["fixes"] = [
            {
                "description": {"text": f"{fix.message} ({fix.applicability})"},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": edit.start.line,
                                    "startColumn": edit.start.column,
                                    "endLine": edit.end.line,
                                    "endColumn": edit.end.column,
                                },
                                "insertedContent": {"text": edit.content},
                            }
                            for edit in fix.edits
                        ],
                    }
                ],
            }
        ]
    return result
