"""Engine helpers the SPK2xx and TST00x rules rely on, tested directly: loop-carried
DataFrame updates in the semantic model, and the test-file flag of the settings."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from codemods.engine import LintSettings, lint
from codemods.engine.options import looks_like_test_file
from codemods.engine.semantic import SemanticModel
from codemods.settings import resolve_settings


def _kinds_of(source: str, name: str) -> list[str | None]:
    tree = ast.parse(textwrap.dedent(source))
    model = SemanticModel(tree)
    uses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    ]
    return [model.kind_of(use) for use in sorted(uses, key=lambda n: (n.lineno, n.col_offset))]


def test_dataframe_updated_in_a_loop_stays_a_dataframe() -> None:
    source = """
    import pyspark.sql.functions as F
    df = spark.table("t")
    for c in ["a", "b"]:
        df = df.withColumn(c, F.trim(F.col(c)))
    while df.isEmpty():
        df = df.filter("x > 1").groupBy("k").agg(F.sum("x"))
    result = df
    """
    assert _kinds_of(source, "df") == ["dataframe"] * 4


def test_loop_update_that_changes_the_kind_is_unknown() -> None:
    source = """
    df = spark.table("t")
    for c in ["a", "b"]:
        print(df)
        df = df.groupBy(c)
    """
    assert _kinds_of(source, "df") == [None, None]


def test_self_update_outside_a_loop_is_followed_as_before() -> None:
    source = """
    df = spark.table("t")
    df = df.filter("x > 1")
    rows = df
    """
    assert _kinds_of(source, "df") == ["dataframe", "dataframe"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/test_orders.py", True),
        ("pkg/tests/helpers.py", True),
        ("orders_test.py", True),
        ("conftest.py", True),
        ("notebooks/test_run.ipynb", True),
        ("src/jobs/orders.py", False),
        ("src/jobs/contest.py", False),
        ("src/testing_utils.py", False),
    ],
)
def test_looks_like_test_file(path: str, expected: bool) -> None:
    assert looks_like_test_file(path) is expected


def test_resolver_marks_files_under_the_configured_tests_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\ntests = ["checks"]\n')
    settings = resolve_settings(tmp_path)
    codes = [("SPK209", False)]
    in_checks = settings.lint_settings_for(tmp_path / "checks" / "io.py", "", codes)
    in_src = settings.lint_settings_for(tmp_path / "src" / "io.py", "", codes)
    assert in_checks.test_file is True and in_src.test_file is False
    source = 'df = spark.read.json("/Volumes/main/raw/events")\n'
    assert lint(source, "checks/io.py", in_checks) == []
    assert [d.code for d in lint(source, "src/io.py", in_src)] == ["SPK209"]


def test_explicit_flag_beats_the_path() -> None:
    assert LintSettings(test_file=False).is_test_file("tests/test_x.py") is False
    assert LintSettings(test_file=True).is_test_file("src/x.py") is True
