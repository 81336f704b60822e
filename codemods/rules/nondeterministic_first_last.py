"""SPK111 nondeterministic-first-last."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_FIRST_LAST = frozenset(
    f"pyspark.sql.functions.{name}" for name in ("first", "last", "first_value", "last_value")
)
_DICT_FUNCTIONS = frozenset({"first", "last"})
# Where the search for an enclosing `.agg(...)` stops: the expression is not built there.
_BOUNDARIES = (ast.stmt, ast.Lambda, ast.comprehension)


class NondeterministicFirstLast(Rule):
    """
    ## What it does
    Flags `F.first(...)` and `F.last(...)` (and their aliases `first_value`, `last_value`)
    inside `.agg(...)` after `groupBy`, `rollup` or `cube` (also the dictionary form
    `.agg({"x": "first"})`).

    ## Why is this bad?
    Rows reach an aggregate in whatever order the shuffle delivers them, so `first` and
    `last` return an arbitrary row of each group, and a different one from run to run. An
    `orderBy` before the `groupBy` does not help: the shuffle discards that order. Reports
    and tests then disagree between runs for no visible reason.

    ## Example
    ```python
    latest = events.groupBy("device_id").agg(F.last("status").alias("status"))
    ```

    ## Use instead
    ```python
    latest = events.groupBy("device_id").agg(F.max_by("status", "event_time").alias("status"))
    ```
    `max_by` / `min_by` pick the value of the row with the largest or smallest ordering
    column; a window with `row_number()` over an ordered partition works too.

    ## Fix safety
    No fix: the column that defines "first" is the author's to name.

    ## References
    - [pyspark.sql.functions.first](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.functions.first.html)
    - [pyspark.sql.functions.max_by](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.functions.max_by.html)
    """

    code = "SPK111"
    name = "nondeterministic-first-last"
    severity = "error"
    node_types = (ast.Call,)
    names = frozenset({"first", "last", "first_value", "last_value", "agg"})

    valid = [
        """
        import pyspark.sql.functions as F
        events = spark.table("events")
        latest = events.groupBy("device_id").agg(F.max_by("status", "event_time"))
        """,
        # `DataFrame.first()` returns a row; not an aggregate function.
        """
        df = spark.table("events")
        row = df.first()
        head = df.orderBy("ts").first()
        """,
        # In a window ordered by time, `first` is deterministic.
        """
        from pyspark.sql import Window
        from pyspark.sql.functions import first
        w = Window.partitionBy("id").orderBy("ts")
        df = spark.table("events").withColumn("opening", first("price").over(w))
        """,
        # Someone else's `first`, and a list's aggregation helper.
        """
        from toolz import first
        rows = [[1, 2], [3]]
        value = first(rows)
        summary = metrics.agg({"x": "first"})
        """,
    ]
    invalid = [
        Invalid(
            """
            import pyspark.sql.functions as F
            events = spark.table("events")
            latest = events.groupBy("device_id").agg(F.last("status").alias("status"))
            """,
            at=[(3, 42)],
        ),
        # An earlier orderBy does not make it deterministic; a multi-line chain.
        Invalid(
            """
            from pyspark.sql.functions import first, sum as total
            orders = spark.table("sales.orders")
            summary = (
                orders.orderBy("created_at")
                .groupBy("customer_id")
                .agg(
                    first("channel", ignorenulls=True).alias("first_channel"),
                    total("amount"),
                )
            )
            """,
            at=[(7, 9)],
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame
            from pyspark.sql import functions as func

            def per_store(sales: DataFrame) -> DataFrame:
                return sales.rollup("region", "store").agg(func.first(func.col("manager")))
            """,
            at=[(5, 48)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F
            df = spark.table("events")
            out = df.groupBy("k").agg({"status": "last", "n": "sum"})
            cubed = df.cube("k").agg(F.first_value("status"))
            """,
            at=[(3, 38), (4, 26)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "agg":
            self._check_dict_form(node, ctx)
            return
        if ctx.semantic.qualified_name(node.func) not in _FIRST_LAST:
            return
        aggregation = _enclosing_agg(node, ctx)
        if aggregation is not None and _is_grouped_agg(aggregation, ctx):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            ctx.report(node, _message(name))

    def _check_dict_form(self, node: ast.Call, ctx: RuleContext) -> None:
        if len(node.args) != 1 or not isinstance(node.args[0], ast.Dict):
            return
        flagged = [
            value
            for value in node.args[0].values
            if isinstance(value, ast.Constant) and value.value in _DICT_FUNCTIONS
        ]
        if flagged and _is_grouped_agg(node, ctx):
            for value in flagged:
                ctx.report(value, _message(value.value))


def _message(function: str) -> str:
    return f"`{function}` in a grouped aggregation returns an arbitrary row of each group"


def _enclosing_agg(node: ast.AST, ctx: RuleContext) -> ast.Call | None:
    """The `.agg(...)` call `node` is an argument (or part of an argument) of."""
    child = node
    for ancestor in ctx.semantic.ancestors(node):
        if isinstance(ancestor, _BOUNDARIES):
            return None
        if isinstance(ancestor, ast.Call):
            if child is ancestor.func:
                # `first(...).over(w)`: a window function, ordered by its window.
                if isinstance(child, ast.Attribute) and child.attr == "over":
                    return None
            elif isinstance(ancestor.func, ast.Attribute) and ancestor.func.attr == "agg":
                return ancestor
        child = ancestor
    return None


def _is_grouped_agg(call: ast.Call, ctx: RuleContext) -> bool:
    return (
        isinstance(call.func, ast.Attribute) and ctx.semantic.kind_of(call.func.value) == "grouped"
    )
