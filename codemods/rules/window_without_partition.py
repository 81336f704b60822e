"""SPK109 window-without-partition."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_WINDOW_METHODS = frozenset({"partitionBy", "orderBy", "rowsBetween", "rangeBetween"})


class WindowWithoutPartition(Rule):
    """
    ## What it does
    Flags a window specification built from `Window` with `orderBy`, `rowsBetween` or
    `rangeBetween` and no `partitionBy` (or an empty `partitionBy()`):
    `Window.orderBy("ts")`.

    ## Why is this bad?
    Without a partition, the window covers the whole DataFrame: Spark moves every row to a
    single partition, so one task sorts the entire data set while the cluster waits (Spark
    logs "No Partition Defined for Window operation!"). On a large table the task runs out
    of memory or spills for hours.

    ## Example
    ```python
    w = Window.orderBy("event_time")
    events = events.withColumn("previous", F.lag("value").over(w))
    ```

    ## Use instead
    ```python
    w = Window.partitionBy("device_id").orderBy("event_time")
    events = events.withColumn("previous", F.lag("value").over(w))
    ```
    A global rank over a small, already-aggregated result is fine: silence the finding there
    with `# noqa: SPK109`.

    ## Fix safety
    No fix: the partition key is a decision about the data.

    ## References
    - [Window](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.Window.html)
    - [Window functions](https://spark.apache.org/docs/latest/sql-ref-syntax-qry-select-window.html)
    """

    code = "SPK109"
    name = "window-without-partition"
    severity = "error"
    node_types = (ast.Call,)
    names = _WINDOW_METHODS

    valid = [
        """
        from pyspark.sql import Window
        w = Window.partitionBy("device_id").orderBy("event_time")
        """,
        # partitionBy after orderBy still partitions.
        """
        from pyspark.sql.window import Window as W
        w = (
            W.orderBy("ts")
            .partitionBy("id")
            .rowsBetween(W.unboundedPreceding, W.currentRow)
        )
        """,
        # A DataFrame's orderBy, and a writer's partitionBy, are not windows.
        """
        df = spark.table("t").orderBy("ts")
        df.write.partitionBy("day").mode("overwrite").parquet("/Volumes/main/out")
        """,
        # A spec completed later in the same scope.
        """
        from pyspark.sql import Window
        base = Window.orderBy("ts")
        by_device = base.partitionBy("device_id")
        """,
        # A local class named Window is not pyspark's.
        """
        class Window:
            @staticmethod
            def orderBy(*names):
                return names
        w = Window.orderBy("ts")
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import Window
            w = Window.orderBy("event_time")
            """,
            at=[(2, 5)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F
            from pyspark.sql.window import Window as W
            df = spark.table("events")
            ranked = df.withColumn("rank", F.row_number().over(W.orderBy(F.desc("score"))))
            """,
            at=[(4, 52)],
        ),
        # A multi-line chain is one finding, at its start.
        Invalid(
            """
            from pyspark.sql import Window
            running = (
                Window
                .orderBy("day")
                .rowsBetween(Window.unboundedPreceding, Window.currentRow)
            )
            """,
            at=[(3, 5)],
        ),
        Invalid(
            """
            import pyspark.sql as ps
            frame = ps.Window.rangeBetween(-7, 0)
            empty = ps.Window.partitionBy().orderBy("ts")
            """,
            at=[(2, 9), (3, 9)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if _continues_window_chain(node, ctx):
            return  # the outermost call of the chain reports
        names: set[str] = set()
        receiver: ast.AST = node
        while (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Attribute)
            and receiver.func.attr in _WINDOW_METHODS
        ):
            # `partitionBy()` with no column partitions nothing.
            if receiver.func.attr != "partitionBy" or receiver.args or receiver.keywords:
                names.add(receiver.func.attr)
            receiver = receiver.func.value
        if "partitionBy" in names or not names & {"orderBy", "rowsBetween", "rangeBetween"}:
            return
        if ctx.semantic.kind_of(receiver) != "window_class":
            return
        if _partitioned_later(node, ctx):
            return
        ctx.report(node, "Window without `partitionBy` moves every row to a single partition")


def _continues_window_chain(node: ast.Call, ctx: RuleContext) -> bool:
    """Whether `node` is the receiver of another window method call (`<node>.partitionBy(...)`)."""
    parent = ctx.parent(node)
    if not isinstance(parent, ast.Attribute) or parent.attr not in _WINDOW_METHODS:
        return False
    grandparent = ctx.parent(parent)
    return isinstance(grandparent, ast.Call) and grandparent.func is parent


def _partitioned_later(node: ast.Call, ctx: RuleContext) -> bool:
    """`w = Window.orderBy("ts")` followed by `w.partitionBy(...)` in the same scope: the
    spec is completed elsewhere."""
    parent = ctx.parent(node)
    if not (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        return False
    name = parent.targets[0].id
    scope = ctx.semantic.enclosing_scope(node)
    return any(
        isinstance(use, ast.Attribute)
        and use.attr == "partitionBy"
        and isinstance(use.value, ast.Name)
        and use.value.id == name
        for use in ast.walk(scope)
    )
