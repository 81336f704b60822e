"""JUnit XML: one test suite per file, one failing test case per finding, one passing case for
a clean file, so CI test-report widgets show lint results next to the tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from codemods.findings import Finding

from codemods.formats.text import location


def render_junit(findings: Sequence[Finding], *, files: Sequence[str] = ()) -> str:
    by_file: dict[str, list[Finding]] = {path: [] for path in files}
    for finding in findings:
        by_file.setdefault(finding.path, []).append(finding)
    root = ElementTree.Element(
        "testsuites",
        name="toolkit",
        tests=str(sum(max(len(found), 1) for found in by_file.values())),
        failures=str(len(findings)),
    )
    for path, found in by_file.items():
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=path,
            tests=str(max(len(found), 1)),
            failures=str(len(found)),
            errors="0",
        )
        if not found:
            ElementTree.SubElement(suite, "testcase", name="toolkit lint", classname=path)
            continue
        for finding in found:
            diagnostic = finding.diagnostic
            start = diagnostic.start
            cell = f"cell {finding.cell} " if finding.cell is not None else ""
            case = ElementTree.SubElement(
                suite,
                "testcase",
                name=f"{diagnostic.code} {diagnostic.name} at {cell}{start.line}:{start.column}",
                classname=path,
                line=str(start.line),
                file=path,
            )
            failure = ElementTree.SubElement(
                case, "failure", message=diagnostic.message, type=diagnostic.code
            )
            failure.text = f"{location(finding)}: {diagnostic.code} {diagnostic.message}"
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
