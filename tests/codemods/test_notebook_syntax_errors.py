"""A notebook cell with a syntax error hides nothing: the other cells are still linted."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from toolkit.cli import main

IMPORTS = "from pyspark.sql import functions as F\n"
FIRST = IMPORTS + 'first = orders.filter(F.col("a") == None)'
BROKEN = "def broken(:\n    pass"
THIRD = 'third = orders.filter(F.col("b") == None)'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\nselect = ["SPK101"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["lint", "--no-cache", *args])
    return code, capsys.readouterr().out.splitlines()


def test_ipynb_with_a_broken_cell_reports_every_other_cell(project, capsys):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in (FIRST, BROKEN, THIRD)]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    (project / "n.ipynb").write_text(nbformat.writes(notebook), encoding="utf-8")
    code, lines = lint(capsys, "n.ipynb")
    assert code == 1
    assert [line.split(" ", 2)[:2] for line in lines[:-1]] == [
        ["n.ipynb:cell", "1:2:23:"],
        ["n.ipynb:cell", "2:1:12:"],
        ["n.ipynb:cell", "3:1:23:"],
    ]
    assert " SPK101 " in lines[0] and " TK001 SyntaxError" in lines[1] and " SPK101 " in lines[2]
    assert lines[-1] == "Found 3 problems (2 fixable)."


def test_fix_leaves_a_notebook_with_a_broken_cell_alone(project, capsys):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in (FIRST, BROKEN, THIRD)]
    path = project / "n.ipynb"
    path.write_text(nbformat.writes(notebook), encoding="utf-8")
    before = path.read_bytes()
    assert main(["fix", "--unsafe-fixes", "--no-cache", "n.ipynb"]) == 1
    assert "not fixed: a cell does not parse (TK001); fix it first" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_source_notebook_with_a_broken_cell_reports_every_other_cell(project, capsys):
    separator = "\n\n# COMMAND ----------\n\n"
    text = "# Databricks notebook source\n" + separator.join((FIRST, BROKEN, THIRD)) + "\n"
    (project / "daily.py").write_text(text, encoding="utf-8")
    code, lines = lint(capsys, "daily.py")
    assert code == 1
    assert [line.split(" ", 2)[:2] for line in lines[:-1]] == [
        ["daily.py:3:23:", "SPK101"],
        ["daily.py:7:12:", "TK001"],
        ["daily.py:12:23:", "SPK101"],
    ]


def test_a_plain_module_with_a_syntax_error_is_still_one_tk001(project, capsys):
    (project / "mod.py").write_text(FIRST + "\n" + BROKEN + "\n" + THIRD + "\n")
    code, lines = lint(capsys, "mod.py")
    assert code == 1 and len(lines) == 2 and " TK001 " in lines[0]
