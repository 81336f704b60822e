"""SARIF 2.1.0, what GitHub code scanning (`upload-sarif`) and IDE viewers read.

Every rule that could report is described once in `tool.driver.rules` (name, summary, help
URI, default level); each result points at it by `ruleIndex`. Columns are code points
(`columnKind: unicodeCodePoints`), the unit our positions use. Fixes become SARIF `fixes`
with their replacements, except inside `.ipynb` files, whose positions are cell-relative and
so name no place in the file's JSON text; there the cell is in the message and in
`properties.cell`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    findings: Sequence[Finding], *, rules: Sequence[RuleInfo] = (), tool_version: str = "0"
) -> str:
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
                "results": [_result(finding, index) for finding in findings],
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


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    diagnostic = finding.diagnostic
    artifact = {"uri": finding.path, "uriBaseId": "%SRCROOT%"}
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
        result["locations"] = [{"physicalLocation": {"artifactLocation": artifact}}]
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
