"""SPK202 to-pandas-without-limit."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._spark_helpers import is_row_bounded
from codemods.rules.base import Invalid, Rule


class ToPandasWithoutLimit(Rule):
    """
    ## What it does
    Flags `.toPandas()` on a DataFrame that is not evidently small: not bounded by
    `.limit(n)` or a global aggregate (`df.agg(...)`, a `select` of aggregate functions only,
    `summary()`/`describe()`), as for `collect-without-limit` (SPK201).

    ## Why is this bad?
    `toPandas()` collects every row to the driver and then builds a pandas DataFrame from
    it, which needs the data in memory at least twice. On a production-sized table the
    driver runs out of memory, and every row is processed by one machine instead of the
    cluster.

    ## Example
    ```python
    report = spark.table("sales.orders").toPandas()
    ```

    ## Use instead
    ```python
    report = spark.table("sales.orders").limit(10_000).toPandas()
    ```
    or aggregate in Spark first, or use the pandas API on Spark (`df.pandas_api()`).

    ## Fix safety
    No fix: how many rows the driver may hold is a decision for the author.

    ## References
    - [DataFrame.toPandas](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.toPandas.html)
    - [Pandas API on Spark](https://spark.apache.org/docs/latest/api/python/user_guide/pandas_on_spark/index.html)
    """

    code = "SPK202"
    name = "to-pandas-without-limit"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"toPandas"})

    valid = [
        """
        head = spark.table("sales.orders").limit(500).toPandas()
        """,
        """
        from pyspark.sql import functions as F
        orders = spark.table("sales.orders")
        totals = orders.agg(F.sum("amount").alias("total")).toPandas()
        described = orders.describe("amount").toPandas()
        """,
        # Not a Spark DataFrame: a pandas-on-Spark frame from an unknown call, a parameter.
        """
        def to_frame(table):
            return table.toPandas()
        psdf = load_frame()
        pdf = psdf.toPandas()
        """,
        # A local variable named `spark` that is not a session.
        """
        spark = {"table": None}
        pdf = spark.table("x").toPandas()
        """,
    ]
    invalid = [
        Invalid(
            """
            report = spark.table("sales.orders").toPandas()
            """,
            at=[(1, 10)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F
            from pyspark.sql import DataFrame

            def by_day(orders: DataFrame):
                return orders.groupBy("day").agg(F.sum("amount")).toPandas()
            """,
            at=[(5, 12)],
        ),
        Invalid(
            """
            from pyspark.sql.functions import col
            pdf = (
                spark.read.format("delta")
                .load("/Volumes/main/raw/orders")
                .filter(col("amount") > 0)
                .toPandas()
            )
            """,
            at=[(3, 5)],
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession
            session = SparkSession.builder.getOrCreate()
            orders = session.sql("SELECT * FROM sales.orders")
            pdf = orders.distinct().toPandas()
            """,
            at=[(4, 7)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if not isinstance(node.func, ast.Attribute):
            return
        frame = node.func.value
        if not ctx.semantic.is_dataframe(frame) or is_row_bounded(frame, ctx):
            return
        ctx.report(
            node,
            "`toPandas()` brings every row of an unbounded DataFrame to the driver; "
            "add `.limit(n)` or aggregate in Spark first",
        )
