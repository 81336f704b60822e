"""SARIF and GitHub reports of a real notebook point at the lines of its JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from toolkit.cli import main

CELL = 'from pyspark.sql import functions as F\n\nlate = orders.filter(F.col("a") == None)'


@pytest.fixture
def notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\nselect = ["SPK101"]\n')
    monkeypatch.chdir(tmp_path)
    document = nbformat.v4.new_notebook()
    document.cells = [nbformat.v4.new_markdown_cell("# Orders"), nbformat.v4.new_code_cell(CELL)]
    path = tmp_path / "my nb.ipynb"
    path.write_text(nbformat.writes(document), encoding="utf-8")
    return path


def json_line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if fragment in line)


def test_sarif_region_of_a_notebook_finding_is_its_json_line(notebook, capsys):
    assert main(["lint", "--no-cache", "--format", "sarif"]) == 1
    result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20nb.ipynb"
    assert location["region"] == {"startLine": json_line_of(notebook, "late = orders")}
    assert result["properties"] == {"cell": 2}
    assert result["message"]["text"].startswith("cell 2, line 3, column 22: ")


def test_github_annotation_of_a_notebook_finding_has_its_json_line(notebook, capsys):
    assert main(["lint", "--no-cache", "--format", "github"]) == 1
    line = json_line_of(notebook, "late = orders")
    assert capsys.readouterr().out.startswith(
        f"::error file=my nb.ipynb,line={line},endLine={line},title=SPK101::cell 2, line 3,"
    )
