"""SPK207 action-in-loop."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_ACTIONS = frozenset({"count", "collect", "first", "head", "take", "show", "isEmpty", "toPandas"})


class ActionInLoop(Rule):
    """
    ## What it does
    Flags a DataFrame action (`count`, `collect`, `first`, `head`, `take`, `show`,
    `isEmpty`, `toPandas`) inside the body of a `for` or `while` loop or a comprehension.
    Writes are not flagged: copying several tables in a loop is normal.

    ## Why is this bad?
    Every action starts a Spark job that plans and runs the DataFrame's whole lineage from
    its sources. In a loop that is one job per iteration, each paying scheduling overhead
    and usually re-reading the same data: a loop over 200 columns that counts nulls runs 200
    full scans where one aggregation would do.

    ## Example
    ```python
    for name in orders.columns:
        nulls = orders.filter(F.col(name).isNull()).count()
    ```

    ## Use instead
    One job that computes everything at once:
    ```python
    nulls = orders.select(
        [F.count(F.when(F.col(name).isNull(), 1)).alias(name) for name in orders.columns]
    ).first()
    ```

    ## Fix safety
    No fix: turning a loop of jobs into one query is a redesign.

    ## References
    - [RDD operations: actions](https://spark.apache.org/docs/latest/rdd-programming-guide.html#actions)
    - [Spark job scheduling](https://spark.apache.org/docs/latest/job-scheduling.html)
    """

    code = "SPK207"
    name = "action-in-loop"
    severity = "warning"
    node_types = (ast.Call,)
    names = _ACTIONS

    valid = [
        # One action outside the loop; writes inside it are fine.
        """
        df = spark.table("sales.orders")
        total = df.count()
        for name in ["a", "b"]:
            spark.table(name).write.mode("overwrite").saveAsTable(f"copy.{name}")
        """,
        # Lists and strings have `count`; an unknown parameter stays silent.
        """
        words = ["a", "b", "a"]
        for word in words:
            print(words.count(word), "dosage".count("s"))
        def process(frames):
            for frame in frames:
                frame.count()
        """,
        # A function defined in a loop runs when called, not per iteration.
        """
        handlers = []
        for table in ["a", "b"]:
            def handler(table=table):
                return spark.table(table).count()
            handlers.append(handler)
        """,
        # The loop's iterable runs once, also a comprehension's first one.
        """
        for row in spark.table("config.jobs").collect():
            print(row.name)
        names = [row[0] for row in spark.table("t").select("name").collect()]
        """,
    ]
    invalid = [
        Invalid(
            """
            import pyspark.sql.functions as F
            orders = spark.table("sales.orders")
            for name in orders.columns:
                nulls = orders.filter(F.col(name).isNull()).count()
            """,
            at=[(4, 13)],
        ),
        # A comprehension, a while loop, and a DataFrame re-assigned in the loop.
        Invalid(
            """
            from pyspark.sql import functions as func
            orders = spark.table("sales.orders")
            sizes = [orders.where(func.col("day") == d).count() for d in range(7)]
            while not orders.isEmpty():
                orders = orders.filter("amount > 1")
            """,
            at=[(3, 10), (4, 11)],
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def preview(frames: list, orders: DataFrame) -> None:
                for _ in frames:
                    orders.show()
                    first = orders.head()
                    rows = orders.take(5)
            """,
            at=[(5, 9), (6, 17), (7, 16)],
        ),
        Invalid(
            """
            from pyspark.sql.functions import col
            for table in ["a", "b"]:
                pdf = (
                    spark.table(table)
                    .filter(col("ok"))
                    .toPandas()
                )
            """,
            at=[(4, 9)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if not isinstance(node.func, ast.Attribute):
            return
        if ctx.semantic.enclosing_loop(node) is None:
            return
        if not ctx.semantic.is_dataframe(node.func.value):
            return
        ctx.report(
            node,
            f"`{node.func.attr}()` inside a loop starts a Spark job on every iteration",
        )
