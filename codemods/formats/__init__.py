"""Renderers for lint results: pure functions from findings to text.

`render(format_name, findings, ...)` picks one; each format also has its own module. None of
them reads or writes files: the door decides where the text goes (`--output`, stdout).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from codemods.formats.sarif import RuleInfo
from codemods.formats.text import location, render_statistics, render_text, summary_line

if TYPE_CHECKING:
    from codemods.findings import Finding

FORMATS = ("text", "json", "sarif", "github", "junit")

# Imported when used: a hook printing text never loads the XML or JSON machinery.
_LAZY = {
    "render_github": "codemods.formats.github",
    "render_json": "codemods.formats.json_format",
    "render_junit": "codemods.formats.junit",
    "render_sarif": "codemods.formats.sarif",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'codemods.formats' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


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
    notebook_lines: Mapping[str, Mapping[int, Sequence[int]]] | None = None,
) -> str:
    """The findings in one of `FORMATS` (text without a summary line: the door adds it)."""
    if format_name == "text":
        return render_text(findings, show_fixes=show_fixes)
    if format_name == "json":
        from codemods.formats.json_format import render_json

        return render_json(findings)
    if format_name == "sarif":
        from codemods.formats.sarif import render_sarif

        return render_sarif(
            findings, rules=rules, tool_version=tool_version, notebook_lines=notebook_lines
        )
    if format_name == "github":
        from codemods.formats.github import render_github

        return render_github(findings, notebook_lines=notebook_lines)
    if format_name == "junit":
        from codemods.formats.junit import render_junit

        return render_junit(findings, files=files)
    raise ValueError(f"unknown format {format_name!r}; expected one of {', '.join(FORMATS)}")
