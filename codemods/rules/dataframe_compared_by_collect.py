"""TST003 dataframe-compared-by-collect."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.types import Fix
from codemods.rules._spark_helpers import fix_with_import, is_test_file
from codemods.rules.base import Invalid, Rule, Valid

_ASSERTION = "assert_df_equality"
# unittest methods -> whether they ignore the order of the rows.
_UNITTEST_ASSERTS = {"assertEqual": False, "assertListEqual": False, "assertCountEqual": True}
_PANDAS_ASSERTS = frozenset(
    {"pandas.testing.assert_frame_equal", "pandas.util.testing.assert_frame_equal"}
)


class DataframeComparedByCollect(Rule):
    """
    ## What it does
    In test files, flags two DataFrames compared through their collected rows:
    `assert a.collect() == b.collect()`, the same with `sorted(...)` or `set(...)` around
    both sides, `self.assertEqual(a.collect(), b.collect())`, `assertCountEqual`,
    `assert a.toPandas().equals(b.toPandas())` and
    `pandas.testing.assert_frame_equal(a.toPandas(), b.toPandas())`.

    ## Why is this bad?
    Comparing rows checks neither the column names nor the types (rows compare as tuples,
    so `Row(a=1)` equals `Row(b=1)`, and `1 == 1.0`), and a failure prints two long lists
    of rows with no hint of which column differs. `sorted` fails on rows holding `None`.
    chispa's `assert_df_equality` compares schemas and rows and prints a colored diff of the
    first differing rows.

    ## Example
    ```python
    assert actual.collect() == expected.collect()
    ```

    ## Use instead
    ```python
    from chispa import assert_df_equality

    assert_df_equality(actual, expected)
    ```

    ## Fix safety
    The fix is unsafe: `assert_df_equality` also compares the schemas (names, types,
    nullability), so a test that passed may now fail, which is the point. `sorted`, `set`
    and `assertCountEqual` become `ignore_row_order=True`. The fix adds
    `from chispa import assert_df_equality`; an assertion message is dropped.

    ## References
    - [chispa](https://github.com/MrPowers/chispa)
    - [Spark: testing PySpark (assertDataFrameEqual)](https://spark.apache.org/docs/latest/api/python/getting_started/testing_pyspark.html)
    """

    code = "TST003"
    name = "dataframe-compared-by-collect"
    severity = "warning"
    node_types = (ast.Assert, ast.Call)
    names = frozenset({*_UNITTEST_ASSERTS, "assert_frame_equal"})
    fixable = True

    valid = [
        Valid(
            """
            from chispa import assert_df_equality
            def test_it(spark):
                assert_df_equality(spark.range(2), spark.range(2))
            """,
            path="tests/test_it.py",
        ),
        # Rows compared with literal expectations, and lists that merely have `collect`.
        Valid(
            """
            from pyspark.sql import Row
            def test_rows(spark):
                assert spark.range(1).collect() == [Row(id=0)]
                assert bag.collect() == other.collect()
            """,
            path="tests/test_rows.py",
        ),
        # Outside test files.
        Valid(
            """
            a = spark.table("x")
            b = spark.table("y")
            assert a.collect() == b.collect()
            """,
            path="src/jobs/check.py",
        ),
        # A local `sorted` and pandas frames that are not from Spark.
        Valid(
            """
            import pandas as pd
            def test_pd(left, right):
                pd.testing.assert_frame_equal(left, right)
                assert left.collect() != right.collect()
            """,
            path="tests/test_pd.py",
        ),
    ]
    invalid = [
        Invalid(
            """
            def test_dedupe(spark):
                actual = spark.range(3).distinct()
                expected = spark.range(3)
                assert actual.collect() == expected.collect()
            """,
            path="tests/test_dedupe.py",
            at=[(4, 5)],
            unsafe=True,
            fixed="""
            from chispa import assert_df_equality

            def test_dedupe(spark):
                actual = spark.range(3).distinct()
                expected = spark.range(3)
                assert_df_equality(actual, expected)
            """,
        ),
        # Sorted rows, with `F` imported and the import already there.
        Invalid(
            """
            import pyspark.sql.functions as F
            from chispa import assert_df_equality

            def test_totals(spark):
                out = spark.range(3).withColumn("x", F.lit(1))
                assert sorted(out.collect()) == sorted(
                    spark.createDataFrame([(0, 1), (1, 1), (2, 1)], ["id", "x"]).collect()
                ), "totals differ"
            """,
            path="tests/test_totals.py",
            at=[(6, 5)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F
            from chispa import assert_df_equality

            def test_totals(spark):
                out = spark.range(3).withColumn("x", F.lit(1))
                assert_df_equality(out, spark.createDataFrame([(0, 1), (1, 1), (2, 1)], ["id", "x"]), ignore_row_order=True)
            """,
        ),
        # unittest style, order-insensitive.
        Invalid(
            """
            import unittest
            from pyspark.sql import DataFrame

            class T(unittest.TestCase):
                def check(self, left: DataFrame, right: DataFrame) -> None:
                    self.assertCountEqual(left.collect(), right.collect())
            """,
            path="tests/test_unit.py",
            at=[(6, 9)],
            unsafe=True,
            fixed="""
            import unittest
            from pyspark.sql import DataFrame
            from chispa import assert_df_equality

            class T(unittest.TestCase):
                def check(self, left: DataFrame, right: DataFrame) -> None:
                    assert_df_equality(left, right, ignore_row_order=True)
            """,
        ),
        Invalid(
            """
            def test_pandas_equals(spark):
                assert spark.range(2).toPandas().equals(spark.range(2).toPandas())
            """,
            path="tests/test_equals.py",
            at=[(2, 5)],
            unsafe=True,
            fixed="""
            from chispa import assert_df_equality

            def test_pandas_equals(spark):
                assert_df_equality(spark.range(2), spark.range(2))
            """,
        ),
        # Through pandas; `assert_df_equality` means something else here: no fix.
        Invalid(
            """
            import pandas as pd
            from helpers import assert_df_equality

            def test_pandas(spark):
                a = spark.table("a")
                pd.testing.assert_frame_equal(a.toPandas(), spark.table("b").toPandas())
            """,
            path="tests/test_pandas.py",
            at=[(6, 5)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if not is_test_file(ctx):
            return
        if isinstance(node, ast.Assert):
            test = node.test
            if (
                isinstance(test, ast.Compare)
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.Eq)
            ):
                left = _collected(test.left, ctx)
                right = _collected(test.comparators[0], ctx)
            elif (  # `a.toPandas().equals(b.toPandas())`
                isinstance(test, ast.Call)
                and isinstance(test.func, ast.Attribute)
                and test.func.attr == "equals"
                and len(test.args) == 1
            ):
                left = _collected(test.func.value, ctx, method="toPandas")
                right = _collected(test.args[0], ctx, method="toPandas")
            else:
                return
            statement: ast.stmt = node
            report_on: ast.AST = node
        else:
            assert isinstance(node, ast.Call)
            if len(node.args) < 2:
                return
            statement_or_none = ctx.parent(node)
            if not isinstance(statement_or_none, ast.Expr):
                return
            statement = statement_or_none
            report_on = node
            if isinstance(node.func, ast.Attribute) and node.func.attr in _UNITTEST_ASSERTS:
                unordered = _UNITTEST_ASSERTS[node.func.attr]
                left = _collected(node.args[0], ctx, unordered=unordered)
                right = _collected(node.args[1], ctx, unordered=unordered)
            elif ctx.semantic.qualified_name(node.func) in _PANDAS_ASSERTS:
                left = _collected(node.args[0], ctx, method="toPandas")
                right = _collected(node.args[1], ctx, method="toPandas")
            else:
                return
        if left is None or right is None or left[1] != right[1]:
            return
        kinds = {ctx.semantic.kind_of(left[0]), ctx.semantic.kind_of(right[0])}
        if "dataframe" not in kinds or not kinds <= {"dataframe", None}:
            return
        ctx.report(
            report_on,
            "DataFrames compared by their collected rows, without names or types; "
            "use `assert_df_equality`",
            fix=_chispa_fix(statement, left[0], right[0], unordered=left[1], ctx=ctx),
        )


def _collected(
    node: ast.AST, ctx: RuleContext, *, method: str = "collect", unordered: bool = False
) -> tuple[ast.expr, bool] | None:
    """The DataFrame of `df.collect()` (or `sorted(...)`/`set(...)` of it), and whether the
    comparison ignores row order."""
    if (
        isinstance(node, ast.Call)
        and len(node.args) == 1
        and not node.keywords
        and (
            ctx.semantic.is_builtin(node.func, "sorted")
            or ctx.semantic.is_builtin(node.func, "set")
        )
    ):
        inner = _collected(node.args[0], ctx, method=method)
        return None if inner is None else (inner[0], True)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and not node.args
        and not node.keywords
    ):
        return node.func.value, unordered
    return None


def _chispa_fix(
    statement: ast.stmt, left: ast.expr, right: ast.expr, *, unordered: bool, ctx: RuleContext
) -> Fix | None:
    bound = ctx.semantic.bindings(ctx.tree).get(_ASSERTION, [])
    if any(not (b.kind == "import" and b.value.startswith("chispa")) for b in bound):
        return None
    arguments = [ctx.text(left), ctx.text(right)]
    if unordered:
        arguments.append("ignore_row_order=True")
    replacement = f"{_ASSERTION}({', '.join(arguments)})"
    return fix_with_import(
        ctx,
        [ctx.replace(statement, replacement)],
        module="chispa",
        name=_ASSERTION,
        message="Replace with `assert_df_equality`",
    )
