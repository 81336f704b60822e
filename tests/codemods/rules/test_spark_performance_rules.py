"""Engine helpers the SPK2xx and TST00x rules rely on (loop-carried DataFrame updates in the
semantic model, the test-file flag of the settings), and their unsafe fixes run on a real local
Spark session: the fixed code gives the same data as the original."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from codemods.engine import LintSettings, fix, lint
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


def test_a_comprehension_runs_its_first_iterable_once() -> None:
    tree = ast.parse(
        "rows = [f(r) for r in once() for c in again(r)]\nwhile x:\n    y = [once2()]\n"
    )
    model = SemanticModel(tree)
    calls = {n.func.id: n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert model.enclosing_loop(calls["once"]) is None
    assert isinstance(model.enclosing_loop(calls["again"]), ast.ListComp)
    assert isinstance(model.enclosing_loop(calls["f"]), ast.ListComp)
    assert isinstance(model.enclosing_loop(calls["once2"]), ast.While)


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


# ---- the unsafe fixes, run on a real local Spark: same data before and after ------------


def _fixed(source: str, code: str, *, path: str = "jobs/orders.py") -> str:
    result = fix(textwrap.dedent(source), path, select=[code], unsafe=True)
    assert result.applied >= 1, f"{code} applied no fix"
    return result.source


def _run(source: str, spark, **names) -> dict:
    namespace = {"spark": spark, **names}
    exec(compile(source, "<snippet>", "exec"), namespace)
    return namespace


def _rows_and_schema(frame) -> tuple[list, str]:
    return frame.collect(), frame.schema.simpleString()


@pytest.mark.slow
def test_merged_with_columns_give_the_same_dataframe(spark) -> None:
    chained = """
    import pyspark.sql.functions as F
    df = (
        spark.createDataFrame([(1, 2.5, "2024-03-05"), (2, None, "2023-12-31")], ["id", "amount", "day"])
        .withColumn("net", F.col("amount") - 1)
        .withColumn("year", F.year("day"))
        .withColumn("month", F.month("day"))
        .withColumn("source", F.lit("web"))
    )
    """
    looped = """
    import pyspark.sql.functions as F
    df = spark.createDataFrame([(" a ", "b  "), (None, " c")], ["first", "last"])
    for name in ["first", "last"]:
        df = df.withColumn(name, F.upper(F.trim(F.col(name))))
    renames = {"first": "first_name", "last": "last_name"}
    for old, new in renames.items():
        df = df.withColumnRenamed(old, new)
    """
    for source, code in ((chained, "SPK204"), (looped, "SPK203")):
        fixed = _fixed(source, code)
        assert "withColumns" in fixed
        before = _run(textwrap.dedent(source), spark)["df"]
        after = _run(fixed, spark)["df"]
        assert _rows_and_schema(after) == _rows_and_schema(before)


@pytest.mark.slow
def test_udf_replaced_by_builtin_gives_the_same_values(spark) -> None:
    source = """
    from pyspark.sql.functions import udf

    @udf(returnType="int")
    def name_length(value):
        return len(value) if value is not None else None

    @udf("string")
    def shout(value):
        return value.upper() if value else None

    @udf("string")
    def slug(value):
        return value.strip().lower().replace(" ", "-") if value is not None else None

    frame = spark.createDataFrame([("ada",), (" Big Data ",), (None,)], ["name"])
    out = frame.select(
        name_length("name").alias("n"), shout(frame.name).alias("s"), slug("name").alias("g")
    )
    """
    fixed = _fixed(source, "SPK206")
    assert "@udf" not in fixed and "F.length(value)" in fixed and "F.upper(value)" in fixed
    assert 'F.replace(F.lower(F.trim(value)), F.lit(" "), F.lit("-"))' in fixed
    before = _run(textwrap.dedent(source), spark)["out"].collect()
    after = _run(fixed, spark)["out"].collect()
    assert after == before
    assert [tuple(row) for row in after] == [
        (3, "ADA", "ada"),
        (10, " BIG DATA ", "big-data"),
        (None, None, None),
    ]


@pytest.mark.slow
def test_fixed_tests_use_the_fixture_and_chispa(spark) -> None:
    source = """
    from pyspark.sql import SparkSession

    def test_dedupe():
        session = SparkSession.builder.master("local[1]").getOrCreate()
        actual = session.createDataFrame([(1,), (1,), (2,)], ["id"]).distinct()
        expected = session.createDataFrame([(2,), (1,)], ["id"])
        assert sorted(actual.collect()) == sorted(expected.collect())
        session.stop()
    """
    once = fix(textwrap.dedent(source), "tests/test_dedupe.py", select=["TST002"], unsafe=True)
    fixed = fix(once.source, "tests/test_dedupe.py", select=["TST003"], unsafe=True).source
    assert "def test_dedupe(spark):" in fixed and ".stop()" not in fixed
    assert "from chispa import assert_df_equality" in fixed
    assert "assert_df_equality(actual, expected, ignore_row_order=True)" in fixed
    test = _run(fixed, spark)["test_dedupe"]
    test(spark)  # passes, and the shared session is still alive afterwards
    assert spark.range(1).count() == 1
    # The chispa assertion also compares types, which the collected rows did not.
    wrong_type = fixed.replace('[(2,), (1,)], ["id"]', '[("2",), ("1",)], ["id"]')
    from chispa.schema_comparer import SchemasNotEqualError

    with pytest.raises(SchemasNotEqualError):
        _run(wrong_type, spark)["test_dedupe"](spark)
