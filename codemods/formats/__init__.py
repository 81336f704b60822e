"""Renderers for lint results: pure functions from findings to text.

`render(format_name, findings, ...)` picks one; each format also has its own module. None of
them reads or writes files: the door decides where the text goes (`--output`, stdout).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from codemods.formats.github import render_github
from codemods.formats.json_format import render_json
from codemods.formats.junit import render_junit
from codemods.formats.sarif import RuleInfo, render_sarif
from codemods.formats.text import location, render_statistics, render_text, summary_line

if TYPE_CHECKING:
    from codemods.runner import Finding

FORMATS = ("text", "json", "sarif", "github", "junit")

__all__ = [
    "FORMATS",
    "RuleInfo",
    "location",
    "render",
    "render_github",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_statistics",
    "render_text",
    "summary_line",
]


def render(
    format_name: str,
    findings: Sequence[Finding],
    *,
    files: Sequence[str] = (),
    rules: Sequence[RuleInfo] = (),
    tool_version: str = "0",
    show_fixes: bool = False,
) -> str:
    """The findings in one of `FORMATS` (text without a summary line: the door adds it)."""
    if format_name == "text":
        return render_text(findings, show_fixes=show_fixes)
    if format_name == "json":
        return render_json(findings)
    if format_name == "sarif":
        return render_sarif(findings, rules=rules, tool_version=tool_version)
    if format_name == "github":
        return render_github(findings)
    if format_name == "junit":
        return render_junit(findings, files=files)
    raise ValueError(f"unknown format {format_name!r}; expected one of {', '.join(FORMATS)}")
