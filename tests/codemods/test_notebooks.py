"""Databricks source notebooks and .ipynb files as Python text, positions, and writing back."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest

from codemods.notebooks import (
    CellPosition,
    NotebookError,
    is_databricks_notebook,
    notebook_view,
    parse_ipynb,
    parse_source_notebook,
)

SOURCE_NOTEBOOK = """\
# Databricks notebook source
# MAGIC %md
# MAGIC # Daily load

# COMMAND ----------

# MAGIC %pip install requests

# COMMAND ----------

from pyspark.sql import functions as F
df = spark.table("main.sales.orders")

# COMMAND ----------

# DBTITLE 1,Totals
# MAGIC %sql
# MAGIC SELECT region, sum(amount)
# MAGIC FROM main.sales.orders GROUP BY region

# COMMAND ----------

# MAGIC %run ./shared/setup

# COMMAND ----------

display(df.filter(F.col("x") == None))
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_source_notebook_keeps_the_files_lines(newline: str) -> None:
    text = SOURCE_NOTEBOOK.replace("\n", newline)
    view = parse_source_notebook(text)
    file_lines = text.split(newline)
    python_lines = view.python_text.split(newline)
    assert len(python_lines) == len(file_lines)
    for number, (original, converted) in enumerate(
        zip(file_lines, python_lines, strict=True), start=1
    ):
        if original.startswith("# MAGIC"):
            assert converted == "", number
        else:
            assert converted == original, number
    tree = ast.parse(view.python_text)
    compare = next(node for node in ast.walk(tree) if isinstance(node, ast.Compare))
    assert compare.lineno == file_lines.index('display(df.filter(F.col("x") == None))') + 1
    assert view.to_cell_position(3, 1) is None  # source notebooks use the file's own lines
    lf_cells = parse_source_notebook(SOURCE_NOTEBOOK).cells
    assert view.cells == lf_cells  # cell texts use "\n" whatever the file's line ending


def test_source_notebook_cells_and_magics() -> None:
    view = parse_source_notebook(SOURCE_NOTEBOOK)
    summary = [(c.number, c.kind, c.language, c.magic, c.start_line) for c in view.cells]
    assert summary == [
        (1, "markdown", "markdown", "md", 2),
        (2, "code", "pip", "pip", 7),
        (3, "code", "python", None, 11),
        (4, "code", "sql", "sql", 16),
        (5, "code", "run", "run", 23),
        (6, "code", "python", None, 27),
    ]
    assert view.cell_count == 6
    sql = view.cells[3]
    assert sql.text == "SELECT region, sum(amount)\nFROM main.sales.orders GROUP BY region\n"
    # Line 2, column 6 of the SQL text ("main") is line 19, column 14 of the file.
    assert sql.python_position(2, 6) == (19, 14)
    assert SOURCE_NOTEBOOK.splitlines()[18][13:17] == "main"
    run = view.cells[4]
    assert (run.magic_args, run.text) == ("./shared/setup", "%run ./shared/setup\n")
    assert [(m.line, m.column, m.command, m.args) for m in view.magics] == [
        (2, 9, "md", ""),
        (7, 9, "pip", "install requests"),
        (17, 9, "sql", ""),
        (23, 9, "run", "./shared/setup"),
    ]


def test_one_line_sql_magic_maps_columns() -> None:
    text = "# Databricks notebook source\n# MAGIC %sql SELEC 1 FROM t\n"
    cell = parse_source_notebook(text).cells[0]
    assert (cell.language, cell.text) == ("sql", "SELEC 1 FROM t\n")
    line, column = cell.python_position(1, 1)
    assert text.splitlines()[line - 1][column - 1 :].startswith("SELEC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Databricks notebook source\nx = 1\n", True),
        ("# Databricks notebook source\r\nx = 1\r\n", True),
        ("\ufeff# Databricks notebook source\n", True),
        ("# Databricks notebook source", True),
        ("import os\n# Databricks notebook source\n", False),
        ("#Databricks notebook source\n", False),
        ("", False),
    ],
)
def test_is_databricks_notebook(text: str, expected: bool) -> None:
    assert is_databricks_notebook(text) is expected


def make_ipynb() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.0"},
        "custom": {"team": "data", "tags": ["é"]},
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\nSome *text*"),
        nbformat.v4.new_code_cell(
            "%pip install chispa\nimport pyspark.sql.functions as F\nfiles = !ls /tmp\n"
            "for f in files:\n    %time print(f)\ndf = spark.table('t')",
            execution_count=3,
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="hello\n"),
                nbformat.v4.new_output(
                    "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<img>"}
                ),
            ],
            metadata={"collapsed": False, "tags": ["setup"]},
        ),
        nbformat.v4.new_code_cell("%%sql\nSELECT * FROM t WHERE"),
        nbformat.v4.new_code_cell("bad = df.filter(F.col('x') == None)\ndf?\n!echo done"),
        nbformat.v4.new_code_cell("%sql\nSELECT 1"),  # Databricks' single-% language line
        nbformat.v4.new_code_cell("%%time\ntotal = df.count()"),
        nbformat.v4.new_code_cell(""),
        nbformat.v4.new_raw_cell("raw text"),
    ]
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"
    return nb


def test_ipynb_python_text_blanks_magics_and_parses() -> None:
    text = nbformat.writes(make_ipynb())
    view = parse_ipynb(text, path="analysis.ipynb").view
    assert view.python_text.splitlines() == [
        "",
        "import pyspark.sql.functions as F",
        "",
        "for f in files:",
        "    pass",
        "df = spark.table('t')",
        "",
        "",
        "bad = df.filter(F.col('x') == None)",
        "",
        "",
        "",
        "",
        "",
        "total = df.count()",
    ]
    ast.parse(view.python_text)
    assert [(m.line, m.command, m.args) for m in view.magics] == [
        (1, "pip", "install chispa"),
        (3, "sh", "ls /tmp"),  # files = !ls /tmp
        (5, "time", "print(f)"),
        (7, "sql", ""),
        (11, "sh", "echo done"),
        (12, "sql", ""),
        (14, "time", ""),
    ]
    kinds = [(c.number, c.kind, c.language, c.start_line) for c in view.cells]
    assert kinds == [
        (1, "markdown", "markdown", None),
        (2, "code", "python", 1),
        (3, "code", "sql", 7),
        (4, "code", "python", 9),
        (5, "code", "sql", 12),
        (6, "code", "python", 14),
        (7, "code", "python", 16),
        (8, "raw", "text", None),
    ]
    sql = view.cells[2]
    assert sql.text == "SELECT * FROM t WHERE\n"
    assert sql.python_position(1, 15) == (8, 15)


@pytest.mark.parametrize(
    ("python_line", "column", "expected"),
    [
        (2, 8, CellPosition(2, 2, 8)),
        (6, 1, CellPosition(2, 6, 1)),
        (9, 17, CellPosition(4, 1, 17)),
        (15, 3, CellPosition(6, 2, 3)),
        (99, 1, CellPosition(6, 3, 1)),  # past the end: after the last line
    ],
)
def test_ipynb_positions_map_to_cells(
    python_line: int, column: int, expected: CellPosition
) -> None:
    view = parse_ipynb(nbformat.writes(make_ipynb())).view
    assert view.to_cell_position(python_line, column) == expected


def test_ipynb_fix_round_trip_changes_only_the_edited_cell() -> None:
    original = nbformat.writes(make_ipynb())
    notebook = parse_ipynb(original, path="analysis.ipynb")
    assert notebook.with_python_text(notebook.view.python_text) == original
    fixed_python = notebook.view.python_text.replace(" == None", ".isNull()")
    written = notebook.with_python_text(fixed_python)
    before, after = json.loads(original), json.loads(written)
    assert after["cells"][3]["source"] == [  # nbformat stores a list of lines: kept
        "bad = df.filter(F.col('x').isNull())\n",
        "df?\n",
        "!echo done",
    ]
    after["cells"][3]["source"] = before["cells"][3]["source"]
    assert after == before
    # Only the edited line differs in the file's text: outputs, ids, metadata, indentation.
    changed = [
        (old, new)
        for old, new in zip(original.splitlines(), written.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == 1 and ".isNull()" in changed[0][1]
    assert nbformat.validate(nbformat.reads(written, as_version=4)) is None


def test_ipynb_fix_adding_lines_keeps_list_sources_and_trailing_newline_style() -> None:
    nb = make_ipynb()
    raw = json.loads(nbformat.writes(nb))
    raw["cells"][1]["source"] = "".join(raw["cells"][1]["source"])  # the one-string form
    original = json.dumps(raw, indent=2, ensure_ascii=True) + "\n"
    notebook = parse_ipynb(original)
    assert notebook.with_python_text(notebook.view.python_text) == original
    fixed = notebook.view.python_text.replace(
        "df = spark.table('t')", "from toolkit.spark import get_spark\ndf = spark.table('t')"
    )
    written = notebook.with_python_text(fixed)
    cell = json.loads(written)["cells"][1]
    assert cell["source"].endswith("from toolkit.spark import get_spark\ndf = spark.table('t')")
    assert cell["source"].startswith("%pip install chispa\n")  # the magic line is kept
    assert cell["outputs"] == raw["cells"][1]["outputs"]
    assert written.startswith('{\n  "cells"') and "\\u00e9" in written


@pytest.mark.parametrize(
    ("dump", "newline"),
    [
        (lambda raw: json.dumps(raw, separators=(",", ":"), ensure_ascii=False), "\n"),
        (lambda raw: json.dumps(raw, indent=4, sort_keys=True) + "\n", "\r\n"),
        (lambda raw: json.dumps(raw, indent="\t"), "\n"),
    ],
)
def test_ipynb_write_keeps_foreign_layouts(dump, newline: str) -> None:
    raw = json.loads(nbformat.writes(make_ipynb()))
    original = dump(raw).replace("\n", newline)
    notebook = parse_ipynb(original)
    assert notebook.with_python_text(notebook.view.python_text) == original
    fixed = notebook.view.python_text.replace("total = df.count()", "total = df.isEmpty()")
    written = notebook.with_python_text(fixed)
    expected = json.loads(original)
    expected["cells"][5]["source"] = ["%%time\n", "total = df.isEmpty()"]
    assert json.loads(written) == expected
    # Everything outside the edited value is untouched.
    prefix = len(original.split('"total = df.count()"')[0])
    assert written[:prefix] == original[:prefix]
    assert written.endswith(original.split('"total = df.count()"')[1])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("import pyspark", "import  pyspark", None),
        ("\nfor f in files:\n    pass\n", "\nfor f in files:\n    print(1)\n", "magic line"),
        ("df = spark.table('t')\n\n", "df = spark.table('t')\nX\n", "magic line"),
    ],
)
def test_ipynb_fix_refuses_to_touch_magics(old: str, new: str, message: str | None) -> None:
    notebook = parse_ipynb(nbformat.writes(make_ipynb()))
    python = notebook.view.python_text
    assert old in python
    if message is None:
        assert "import  pyspark" in notebook.with_python_text(python.replace(old, new))
        return
    with pytest.raises(NotebookError, match=message):
        notebook.with_python_text(python.replace(old, new))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"cells": [\n  {"cell_type": "code",\n   "source": "x"\n  ,]}',
            r"x\.ipynb:4:4: invalid notebook JSON",
        ),
        ("[1, 2]", r"x\.ipynb: not a Jupyter notebook"),
        ('{"metadata": {}}', r"x\.ipynb: not a Jupyter notebook"),
        ('{"cells": [{"source": "x"}]}', r"cell 1: not a notebook cell"),
        ('{"cells": [{"cell_type": "code", "source": 3}]}', r"cell 1: 'source' must be text"),
        ("", r"x\.ipynb:1:1: invalid notebook JSON"),
    ],
)
def test_malformed_ipynb_names_file_and_position(text: str, message: str) -> None:
    with pytest.raises(NotebookError, match=message) as caught:
        parse_ipynb(text, path=Path("x.ipynb"))
    assert caught.value.path == Path("x.ipynb")


@pytest.mark.parametrize(
    ("metadata", "is_python"),
    [
        ({"kernelspec": {"language": "scala", "name": "spylon", "display_name": "S"}}, False),
        ({"application/vnd.databricks.v1+notebook": {"language": "sql"}}, False),
        ({"application/vnd.databricks.v1+notebook": {"language": "python"}}, True),
        ({"language_info": {"name": "python"}}, True),
        ({}, True),
    ],
)
def test_only_python_notebooks_have_python_text(metadata: dict, is_python: bool) -> None:
    nb = nbformat.v4.new_notebook(metadata=metadata)
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    view = parse_ipynb(nbformat.writes(nb)).view
    assert (view.python_text == "x = 1\n") is is_python
    assert (view.cells[0].start_line is not None) is is_python


def test_nbformat_3_notebook_is_read_but_not_written() -> None:
    v3 = nbformat.v3.new_notebook(
        worksheets=[nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell(input="x == None")])]
    )
    notebook = parse_ipynb(nbformat.writes(v3, version=3), path="old.ipynb")
    assert notebook.view.python_text == "x == None\n"
    with pytest.raises(NotebookError, match=r"old\.ipynb: nbformat 3 notebooks are read-only"):
        notebook.with_python_text("x is None\n")


def test_notebook_view_dispatches_on_file_kind() -> None:
    assert notebook_view("job.py", "import os\n") is None
    assert notebook_view("job.py", SOURCE_NOTEBOOK).cell_count == 6
    ipynb = notebook_view("a.ipynb", nbformat.writes(make_ipynb()))
    assert ipynb.to_cell_position(2, 1) == CellPosition(2, 2, 1)
    with pytest.raises(NotebookError, match=r"b\.ipynb:1:1: invalid notebook JSON"):
        notebook_view("b.ipynb", "not json")
    md = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%md\n# Title")])
    assert notebook_view("c.ipynb", nbformat.writes(md)).cells[0].kind == "markdown"


def test_bare_magic_lines_and_lookalike_comments() -> None:
    text = (
        "# Databricks notebook source\n# MAGIC %md\n# MAGIC\n# MAGIC text\n"
        "# COMMAND ----------\n# MAGICAL thinking is a comment\nx = 1\n"
    )
    view = parse_source_notebook(text)
    assert view.cells[0].text == "\ntext\n"
    assert view.cells[1].language == "python"
    assert view.python_text.splitlines()[5] == "# MAGICAL thinking is a comment"


def test_notebooks_through_the_real_engine_and_settings(tmp_path: Path) -> None:
    """The contract the doors rely on: settings -> per-file engine settings -> view -> lint/fix."""
    from codemods.engine import fix, lint
    from codemods.rules import all_rules
    from codemods.settings import resolve_settings

    registry = [(rule.code, rule.opt_in) for rule in all_rules()]
    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\nselect = ["SPK101"]\n')
    settings = resolve_settings(tmp_path)

    source_path = tmp_path / "daily.py"
    source_text = SOURCE_NOTEBOOK
    view = notebook_view(source_path, source_text)
    per_file = settings.lint_settings_for(source_path, source_text, registry)
    assert per_file.library_module is False  # a notebook is never a library module
    found = [(d.code, d.start.line) for d in lint(view.python_text, str(source_path), per_file)]
    assert found == [("SPK101", 27)]  # the file's own line

    ipynb_path = tmp_path / "analysis.ipynb"
    original = nbformat.writes(make_ipynb())
    notebook = parse_ipynb(original, path=ipynb_path)
    per_file = settings.lint_settings_for(ipynb_path, original, registry)
    diagnostics = lint(notebook.view.python_text, str(ipynb_path), per_file)
    positions = [notebook.view.to_cell_position(d.start.line, d.start.column) for d in diagnostics]
    assert [(d.code, p) for d, p in zip(diagnostics, positions, strict=True)] == [
        ("SPK101", CellPosition(4, 1, 17))
    ]
    result = fix(notebook.view.python_text, str(ipynb_path), per_file)
    written = notebook.with_python_text(result.source)
    assert "F.col('x').isNull()" in json.loads(written)["cells"][3]["source"][0]
    assert json.loads(written)["cells"][1] == json.loads(original)["cells"][1]
