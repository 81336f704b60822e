"""SPK205 count-for-emptiness."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

# (operator, number) with the count on the left -> True when the test means "is empty".
_EMPTY_WHEN = {
    (ast.Eq, 0): True,
    (ast.Lt, 1): True,
    (ast.LtE, 0): True,
    (ast.NotEq, 0): False,
    (ast.Gt, 0): False,
    (ast.GtE, 1): False,
}
# `0 < df.count()` is `df.count() > 0`.
_MIRRORED = {ast.Eq: ast.Eq, ast.NotEq: ast.NotEq, ast.Lt: ast.Gt, ast.Gt: ast.Lt}
_MIRRORED |= {ast.LtE: ast.GtE, ast.GtE: ast.LtE}


class CountForEmptiness(Rule):
    """
    ## What it does
    Flags a DataFrame's row count used only to learn whether it has rows:
    `df.count() == 0`, `df.count() > 0`, `df.count() >= 1`, `len(df.collect()) == 0`, and
    a bare `if df.count():` or `not df.count()`.

    ## Why is this bad?
    `count()` scans every partition of the DataFrame and `collect()` ships every row to the
    driver, only to compare the result with zero. `isEmpty()` stops at the first row it
    finds, which on a large table is the difference between seconds and minutes.

    ## Example
    ```python
    if spark.table("sales.orders").count() == 0:
        raise ValueError("no orders")
    ```

    ## Use instead
    ```python
    if spark.table("sales.orders").isEmpty():
        raise ValueError("no orders")
    ```

    ## Fix safety
    The fix is safe: `isEmpty()` answers the same question (PySpark 3.3 and later) and the
    comparison's truth value is unchanged.

    ## References
    - [DataFrame.isEmpty](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.isEmpty.html)
    """

    code = "SPK205"
    name = "count-for-emptiness"
    severity = "warning"
    node_types = (ast.Compare, ast.If, ast.While, ast.IfExp, ast.Assert, ast.UnaryOp)
    fixable = True

    valid = [
        """
        df = spark.table("sales.orders")
        if df.isEmpty():
            pass
        """,
        # The count is used as a number, not as an emptiness test.
        """
        df = spark.table("sales.orders")
        if df.count() > 100:
            print("large")
        total = df.count()
        """,
        # A list's count() and a pandas-like object are not Spark DataFrames.
        """
        items = [1, 2, 0]
        if items.count(0) == 0:
            pass
        """,
        # `len` is shadowed here, and `rows` is not a DataFrame.
        """
        def len(value):
            return 0
        rows = load()
        if len(rows.collect()) == 0:
            pass
        """,
        # A parameter without a Spark annotation: unknown, stays silent.
        """
        def report(frame):
            if frame.count() == 0:
                return None
        """,
    ]
    invalid = [
        Invalid(
            """
            df = spark.table("sales.orders")
            if df.count() == 0:
                raise ValueError("no orders")
            """,
            at=[(2, 4)],
            fixed="""
            df = spark.table("sales.orders")
            if df.isEmpty():
                raise ValueError("no orders")
            """,
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def has_rows(orders: DataFrame) -> bool:
                return 0 < orders.count()
            """,
            at=[(4, 12)],
            fixed="""
            from pyspark.sql import DataFrame

            def has_rows(orders: DataFrame) -> bool:
                return not orders.isEmpty()
            """,
        ),
        # A multi-line chain, `len(collect())`, and a bare truth test.
        Invalid(
            """
            import pyspark.sql.functions as F
            late = (
                spark.read.table("sales.orders")
                .filter(F.col("late"))
            )
            if len(late.collect()) >= 1:
                pass
            while late.count():
                pass
            """,
            at=[(6, 4), (8, 7)],
            fixed="""
            import pyspark.sql.functions as F
            late = (
                spark.read.table("sales.orders")
                .filter(F.col("late"))
            )
            if not late.isEmpty():
                pass
            while not late.isEmpty():
                pass
            """,
        ),
        Invalid(
            """
            orders = spark.sql("SELECT * FROM sales.orders")
            done = not orders.where("amount < 0").count()
            check = "empty" if orders.count() <= 0 else "rows"
            """,
            at=[(2, 8), (3, 20)],
            fixed="""
            orders = spark.sql("SELECT * FROM sales.orders")
            done = orders.where("amount < 0").isEmpty()
            check = "empty" if orders.isEmpty() else "rows"
            """,
        ),
        Invalid(
            """
            df = spark.createDataFrame([(1,)], ["id"])
            assert df.count() != 0, "no rows"
            """,
            at=[(2, 8)],
            fixed="""
            df = spark.createDataFrame([(1,)], ["id"])
            assert not df.isEmpty(), "no rows"
            """,
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Compare):
            self._check_compare(node, ctx)
        elif isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                self._check_truth_test(node.operand, ctx, negated=True, report_on=node)
        else:
            self._check_truth_test(node.test, ctx, negated=False, report_on=node.test)

    def _check_compare(self, node: ast.Compare, ctx: RuleContext) -> None:
        if len(node.ops) != 1:
            return
        operator = type(node.ops[0])
        left, right = node.left, node.comparators[0]
        if _is_int(right):
            counted, number = left, right.value
        elif _is_int(left) and operator in _MIRRORED:
            counted, number, operator = right, left.value, _MIRRORED[operator]
        else:
            return
        empty = _EMPTY_WHEN.get((operator, number))
        frame = _counted_frame(counted, ctx)
        if empty is None or frame is None:
            return
        self._report(node, frame, ctx, empty=empty)

    def _check_truth_test(
        self, test: ast.AST, ctx: RuleContext, *, negated: bool, report_on: ast.AST
    ) -> None:
        frame = _counted_frame(test, ctx)
        if frame is not None:
            self._report(report_on, frame, ctx, empty=negated)

    def _report(self, node: ast.AST, frame: ast.AST, ctx: RuleContext, *, empty: bool) -> None:
        replacement = f"{ctx.text(frame)}.isEmpty()"
        if not empty:
            replacement = f"not {replacement}"
        fix = ctx.fix(f"Replace with `{replacement}`", [ctx.replace(node, replacement)])
        question = "is empty" if empty else "has rows"
        ctx.report(
            node,
            f"Counting every row to learn whether a DataFrame {question}; use `isEmpty()`",
            fix=fix,
        )


def _is_int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value in (0, 1)


def _counted_frame(node: ast.AST, ctx: RuleContext) -> ast.AST | None:
    """The DataFrame of `df.count()` or `len(df.collect())`, when `node` is one of those."""
    if not isinstance(node, ast.Call) or node.args or node.keywords:
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and not node.keywords
            and ctx.semantic.is_builtin(node.func, "len")
        ):
            inner = node.args[0]
            if _is_method_call(inner, "collect") and ctx.semantic.is_dataframe(inner.func.value):
                return inner.func.value
        return None
    if _is_method_call(node, "count") and ctx.semantic.is_dataframe(node.func.value):
        return node.func.value
    return None


def _is_method_call(node: ast.AST, method: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and not node.args
        and not node.keywords
    )
