"""SPK108 cartesian-join."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

# `how` values that name the cartesian product explicitly.
_CROSS = frozenset({"cross"})


class CartesianJoin(Rule):
    """
    ## What it does
    Flags a cartesian product of two DataFrames: `a.crossJoin(b)`, and `a.join(b)` with no
    join condition (no `on`, or `on=None`, or `how="cross"`).

    ## Why is this bad?
    A cartesian product pairs every row of one side with every row of the other: a million
    rows joined with ten thousand make ten billion. It is almost always a forgotten join
    condition, and when it is meant it still deserves a second look (and a `broadcast` of
    the small side). A job with an accidental one runs for hours, then fails on disk space.

    ## Example
    ```python
    enriched = orders.join(customers)
    ```

    ## Use instead
    ```python
    enriched = orders.join(customers, on="customer_id", how="left")
    ```
    When the product is really meant, keep the `crossJoin` and silence the finding with
    `# noqa: SPK108`, which documents the intent.

    ## Fix safety
    No fix: only the author knows the join condition.

    ## References
    - [DataFrame.join](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.join.html)
    - [DataFrame.crossJoin](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.crossJoin.html)
    """

    code = "SPK108"
    name = "cartesian-join"
    severity = "error"
    node_types = (ast.Call,)
    names = frozenset({"join", "crossJoin"})

    valid = [
        """
        orders = spark.table("sales.orders")
        customers = spark.table("sales.customers")
        enriched = orders.join(customers, on="customer_id", how="left")
        """,
        # Look-alikes: str.join, os.path.join, a thread's join.
        """
        import os
        import threading
        label = ",".join(["a", "b"])
        path = os.path.join("/Volumes", "main")
        worker = threading.Thread(target=print)
        worker.join()
        """,
        # A join condition given positionally, as a column expression.
        """
        from pyspark.sql import functions as F
        a = spark.table("a")
        b = spark.table("b")
        joined = a.join(b, F.col("a.id") == F.col("b.id"), "inner")
        """,
        # A receiver of unknown kind (an unannotated parameter): silent.
        """
        def combine(left, right):
            return left.join(right)
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = spark.table("sales.orders")
            customers = spark.table("sales.customers")
            enriched = orders.join(customers)
            """,
            at=[(3, 12)],
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame
            from pyspark.sql.functions import broadcast

            def every_pair(days: DataFrame, stores: DataFrame) -> DataFrame:
                return days.crossJoin(broadcast(stores))
            """,
            at=[(5, 12)],
        ),
        # A multi-line chain, `on=None`, and `how="cross"`.
        Invalid(
            """
            import pyspark.sql.functions as F
            left = spark.read.parquet("/Volumes/main/raw/left")
            pairs = (
                left
                .filter(F.col("active"))
                .join(spark.table("right"), on=None)
            )
            more = left.join(spark.table("other"), how="cross")
            """,
            at=[(4, 5), (8, 8)],
        ),
        Invalid(
            """
            a = spark.range(10)
            product = a.join(a.alias("b"), None, "inner")
            """,
            at=[(2, 11)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        cross = func.attr == "crossJoin"
        if not cross and _has_condition(node):  # the cheap, syntactic test first
            return
        if not ctx.semantic.is_dataframe(func.value):
            return
        if cross:
            ctx.report(node, "`crossJoin` pairs every row with every row of the other side")
            return
        ctx.report(node, "`join` without a condition pairs every row with every row")


def _has_condition(call: ast.Call) -> bool:
    """Whether `df.join(other, on, how)` names a condition (anything but a missing or None
    `on`, and a `how` that is not "cross")."""
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    if None in keywords:  # `**options`: cannot tell
        return True
    if not call.args and "other" not in keywords:
        return True  # not a DataFrame join call at all
    how = call.args[2] if len(call.args) > 2 else keywords.get("how")
    if isinstance(how, ast.Constant) and how.value in _CROSS:
        return False
    on = call.args[1] if len(call.args) > 1 else keywords.get("on")
    return not (on is None or (isinstance(on, ast.Constant) and on.value is None))
