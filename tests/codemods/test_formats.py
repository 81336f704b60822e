"""The renderers, as pure functions over findings: SARIF against the official schema, GitHub
annotations, JUnit XML, JSON and text locations."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest

from codemods.engine.types import Diagnostic, Edit, Fix, Position
from codemods.formats import (
    RuleInfo,
    render_github,
    render_json,
    render_junit,
    render_sarif,
    render_text,
    summary_line,
)
from codemods.runner import Finding

FIX = Fix((Edit(Position(5, 26), Position(5, 53), 'F.col("a").isNull()'),), "safe", "Use isNull")
SPK101 = Diagnostic(
    "SPK101", "column-compared-to-none", "Column compared to `None`", "error",
    Position(5, 26), Position(5, 53), FIX, "https://example.test/rules#spk101",
)  # fmt: skip
SPK201 = Diagnostic(
    "SPK201", "collect-without-limit", "`collect()` of 100%, a: b", "warning",
    Position(2, 1), Position(2, 12), None, None,
)  # fmt: skip
FINDINGS = [
    Finding("jobs/orders.py", None, SPK101),
    Finding("nb/daily.ipynb", 3, SPK201),
]
RULES = [
    RuleInfo("SPK101", "column-compared-to-none", "Flags `== None`.", SPK101.url, "error",
             "## What it does\nFlags."),
    RuleInfo("SPK201", "collect-without-limit", "Flags collect.", None, "warning"),
]  # fmt: skip


def _schema() -> dict:
    folders = [os.environ.get("TOOLKIT_TEST_DATA", "")]
    folders.append(str(Path(__file__).resolve().parents[3] / "shared" / "data"))
    for folder in folders:
        candidate = Path(folder) / "sarif-schema-2.1.0.json"
        if folder and candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    pytest.skip("sarif-schema-2.1.0.json not found (set TOOLKIT_TEST_DATA)")


def test_sarif_validates_and_carries_rules_levels_and_fixes():
    import jsonschema

    document = json.loads(render_sarif(FINDINGS, rules=RULES, tool_version="1.2.3"))
    jsonschema.Draft4Validator(_schema()).validate(document)
    run = document["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["SPK101", "SPK201"]
    assert rules[0]["helpUri"] == SPK101.url
    assert rules[0]["defaultConfiguration"]["level"] == "error"
    first, second = run["results"]
    assert first["ruleIndex"] == 0 and first["level"] == "error"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 26, "endLine": 5, "endColumn": 53}
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == 'F.col("a").isNull()'
    assert second["message"]["text"].startswith("cell 3, line 2, column 1: ")
    assert second["properties"] == {"cell": 3}


def test_sarif_describes_a_rule_missing_from_the_metadata():
    import jsonschema

    document = json.loads(render_sarif(FINDINGS, rules=[]))
    jsonschema.Draft4Validator(_schema()).validate(document)
    assert [r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]] == [
        "SPK101",
        "SPK201",
    ]


def test_github_annotations_escape_and_follow_severity():
    lines = render_github(FINDINGS).splitlines()
    assert lines[0] == (
        "::error file=jobs/orders.py,line=5,col=26,endLine=5,endColumn=53,"
        "title=SPK101::Column compared to `None`"
    )
    assert lines[1] == (
        "::warning file=nb/daily.ipynb,title=SPK201::"
        "cell 3, line 2, column 1: `collect()` of 100%25, a: b"
    )


def test_junit_has_a_suite_per_file_and_a_failure_per_finding():
    root = ElementTree.fromstring(render_junit(FINDINGS, files=["clean.py", "jobs/orders.py"]))
    assert root.get("failures") == "2"
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"clean.py", "jobs/orders.py", "nb/daily.ipynb"}
    assert suites["clean.py"].find("testcase/failure") is None
    failure = suites["jobs/orders.py"].find("testcase/failure")
    assert failure.get("type") == "SPK101"
    assert failure.text == "jobs/orders.py:5:26: SPK101 Column compared to `None`"


def test_json_is_the_documented_shape():
    data = json.loads(render_json(FINDINGS))
    assert list(data[0]) == [
        "code", "name", "message", "severity", "path", "cell", "start", "end", "fix", "url",
    ]  # fmt: skip
    assert data[0]["fix"]["edits"][0]["start"] == {"line": 5, "column": 26}
    assert data[1]["cell"] == 3 and data[1]["fix"] is None


def test_text_lines_mark_fixes_and_cells():
    assert render_text(FINDINGS).splitlines() == [
        "jobs/orders.py:5:26: SPK101 Column compared to `None` [*]",
        "nb/daily.ipynb:cell 3:2:1: SPK201 `collect()` of 100%, a: b",
    ]
    assert summary_line(FINDINGS) == "Found 2 problems (1 fixable)."
    assert summary_line([]) == "All checks passed."
    assert summary_line(FINDINGS[:1], fixed=2) == "Found 3 problems (2 fixed, 1 remaining)."


def test_sarif_uris_are_percent_encoded_and_absolute_paths_are_file_uris():
    import jsonschema

    odd = [
        Finding("un term.py", None, SPK201),
        Finding("a,b:c.py", None, SPK101),
        Finding("/tmp/elsewhere/x y.py", None, SPK201),
    ]
    document = json.loads(render_sarif(odd, rules=RULES))
    jsonschema.Draft4Validator(_schema()).validate(document)
    results = document["runs"][0]["results"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert locations == [
        {"uri": "un%20term.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "a%2Cb%3Ac.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///tmp/elsewhere/x%20y.py"},
    ]
    fix_location = results[1]["fixes"][0]["artifactChanges"][0]["artifactLocation"]
    assert fix_location["uri"] == "a%2Cb%3Ac.py"


def test_notebook_findings_keep_a_region_in_sarif_and_github():
    lines = {"nb/daily.ipynb": {3: (40, 41, 42)}}
    document = json.loads(render_sarif(FINDINGS, rules=RULES, notebook_lines=lines))
    notebook = document["runs"][0]["results"][1]
    assert notebook["locations"][0]["physicalLocation"]["region"] == {"startLine": 41}
    assert notebook["message"]["text"].startswith("cell 3, line 2, column 1: ")
    unknown = json.loads(render_sarif(FINDINGS, rules=RULES))["runs"][0]["results"][1]
    assert unknown["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    annotation = render_github(FINDINGS, notebook_lines=lines).splitlines()[1]
    assert annotation == (
        "::warning file=nb/daily.ipynb,line=41,endLine=41,title=SPK201::"
        "cell 3, line 2, column 1: `collect()` of 100%25, a: b"
    )
