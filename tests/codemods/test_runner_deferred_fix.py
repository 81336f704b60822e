"""Costly (libcst) fixes are computed only when a door prints or applies their edits."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import codemods.engine.cst as cst
from codemods.engine.types import DeferredFix, Edit, Fix, Position
from codemods.runner import RunOptions, run
from codemods.settings import resolve_settings
from toolkit.cli import main

SHADOWING = 'from pyspark.sql.functions import sum, col\n\n\ndef total(df):\n    return df.agg(sum(col("a")))\n'


def test_deferred_fix_computes_once_and_pickles_as_a_plain_fix():
    calls = []
    edit = Edit(Position(1, 1), Position(1, 2), "x")
    deferred = DeferredFix(lambda: calls.append(1) or [edit], "safe", "Replace")
    assert not deferred.is_computed and deferred.is_safe and calls == []
    assert deferred.edits == (edit,) and deferred.edits == (edit,) and calls == [1]
    copy = pickle.loads(pickle.dumps(deferred))
    assert type(copy) is Fix and copy == Fix((edit,), "safe", "Replace")
    assert DeferredFix(lambda: None, "unsafe", "Nothing").edits == ()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.toolkit]\n", encoding="utf-8")
    (tmp_path / "totals.py").write_text(SHADOWING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def libcst_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    original = cst.cst_module

    def counting(ctx):
        parsed.append(ctx.path)
        return original(ctx)

    monkeypatch.setattr(cst, "cst_module", counting)
    return parsed


def test_text_lint_never_computes_a_libcst_fix_but_marks_it(project, libcst_parses, capsys):
    assert main(["lint", "totals.py"]) == 1
    assert capsys.readouterr().out.startswith(
        "totals.py:1:35: SPK104 `sum` from `pyspark.sql.functions` shadows the built-in `sum` [*]"
    )
    assert libcst_parses == []


def test_json_output_computes_the_edits_and_the_cache_follows(project, libcst_parses, capsys):
    settings = resolve_settings(project)
    files = [Path("totals.py")]
    first = run(files, settings, options=RunOptions(need_edits=False))
    (finding,) = first.findings
    assert finding.diagnostic.fix is not None and finding.diagnostic.fix.edits == ()
    assert libcst_parses == []
    second = run(files, settings, options=RunOptions(need_edits=True))
    assert not second.files[0].cached  # the cached entry had no edits
    assert second.findings[0].diagnostic.fix.edits and libcst_parses == ["totals.py"]
    third = run(files, settings, options=RunOptions(need_edits=True))
    assert third.files[0].cached and third.findings[0].diagnostic.fix.edits
    assert main(["lint", "--format", "json", "totals.py"]) == 1
    (data,) = json.loads(capsys.readouterr().out)
    assert "from pyspark.sql import functions as F" in data["fix"]["edits"][0]["content"]


def test_unsafe_fix_applies_the_deferred_edits(project, capsys):
    assert main(["fix", "--unsafe-fixes", "totals.py"]) == 0
    text = (project / "totals.py").read_text(encoding="utf-8")
    assert "F.sum(col(" in text and "from pyspark.sql import functions as F" in text


def test_parallel_workers_return_titles_without_computing(project, libcst_parses):
    for number in range(35):
        (project / f"m{number}.py").write_text(SHADOWING, encoding="utf-8")
    files = sorted(project.glob("m*.py"))
    report = run(files, resolve_settings(project), options=RunOptions(need_edits=False))
    assert len(report.findings) == 35
    assert all(f.diagnostic.fix is not None for f in report.findings)


def test_notebook_cells_keep_deferred_fixes_and_map_their_edits(project, libcst_parses, capsys):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Totals"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": SHADOWING.splitlines(keepends=True)},
    ]  # fmt: skip
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (project / "totals.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    assert main(["lint", "totals.ipynb"]) == 1
    assert capsys.readouterr().out.startswith("totals.ipynb:cell 2:1:35: SPK104")
    assert libcst_parses == []
    assert main(["lint", "--format", "json", "totals.ipynb"]) == 1
    (data,) = json.loads(capsys.readouterr().out)
    assert data["cell"] == 2 and data["fix"]["edits"][0]["start"] == {"line": 1, "column": 35}
    assert libcst_parses == ["totals.ipynb"]


def test_a_fix_that_raises_when_computed_is_tk999_not_a_crash(project, monkeypatch, capsys):
    def broken(ctx):
        raise RuntimeError("no tree")

    monkeypatch.setattr(cst, "cst_module", broken)
    assert main(["lint", "--no-cache", "totals.py"]) == 1  # text: the fix is never computed
    capsys.readouterr()
    assert main(["lint", "--no-cache", "--format", "json", "totals.py"]) == 2
    found = {f["code"]: f for f in json.loads(capsys.readouterr().out)}
    assert set(found) == {"SPK104", "TK999"} and found["SPK104"]["fix"] is None
    assert found["TK999"]["message"] == (
        "Rule SPK104 (spark-function-shadows-builtin) failed computing its fix: "
        "RuntimeError: no tree"
    )
    assert main(["fix", "--unsafe-fixes", "--no-cache", "totals.py"]) == 2
    assert (project / "totals.py").read_text(encoding="utf-8") == SHADOWING
