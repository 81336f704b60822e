"""SPK201 collect-without-limit."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._spark_helpers import is_row_bounded
from codemods.rules.base import Invalid, Rule

_METHODS = frozenset({"collect", "toLocalIterator"})


class CollectWithoutLimit(Rule):
    """
    ## What it does
    Flags `.collect()` and `.toLocalIterator()` on a DataFrame that is not evidently small:
    not bounded by `.limit(n)` or a global aggregate (`df.agg(...)`, a `select` of aggregate
    functions only, `summary()`/`describe()`), nor made by `createDataFrame` from rows written
    in the code. Bounds are followed through assignments and into the file's own functions,
    methods and `self` attributes. `groupBy(...)` and `distinct()` are not bounds.

    ## Why is this bad?
    `collect()` copies every row of the DataFrame into the driver's memory as Python
    objects. A table that is small in development grows in production, and the job then
    fails with a driver out-of-memory error (or spends minutes in serialization).
    `toLocalIterator()` holds a whole partition at a time and runs one job per partition.

    ## Example
    ```python
    rows = spark.table("sales.orders").filter("amount > 100").collect()
    ```

    ## Use instead
    Keep the work in Spark (write the result, join instead of looping), or bound it:
    ```python
    rows = spark.table("sales.orders").filter("amount > 100").limit(1000).collect()
    ```

    ## Fix safety
    No fix: how many rows the driver may hold is a decision for the author.

    ## References
    - [DataFrame.collect](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.collect.html)
    - [Spark tuning: memory management](https://spark.apache.org/docs/latest/tuning.html#memory-management-overview)
    """

    code = "SPK201"
    name = "collect-without-limit"
    severity = "warning"
    node_types = (ast.Call,)
    names = _METHODS

    valid = [
        """
        rows = spark.table("sales.orders").limit(100).collect()
        """,
        # Global aggregates return one row; a limit earlier in the chain or the assignment.
        """
        import pyspark.sql.functions as F
        orders = spark.table("sales.orders")
        total = orders.agg(F.sum("amount")).collect()[0][0]
        top = orders.select(F.max("amount").alias("m"), F.min("amount")).collect()
        sample = orders.limit(10)
        rows = sample.filter("amount > 0").collect()
        stats = orders.summary().collect()
        """,
        # Rows written in the code are on the driver already.
        """
        lookup = spark.createDataFrame([("a", 1), ("b", 2)], "code string, n int")
        pairs = lookup.select("code").collect()
        """,
        # SQL that returns few rows: a LIMIT, aggregates without GROUP BY, SHOW/DESCRIBE.
        """
        total = spark.sql("SELECT COUNT(*) AS n, MAX(amount) FROM sales.orders").collect()[0]
        latest = spark.sql("SELECT * FROM sales.orders ORDER BY ts DESC LIMIT 10").collect()
        tables = spark.sql("SHOW TABLES IN sales").collect()
        """,
        # Every assignment that may reach the name is bounded.
        """
        from pyspark.sql import functions as F
        agg_df = spark.table("t").agg(F.min("x").alias("lo"), F.max("x").alias("hi"))
        if as_text:
            agg_df = agg_df.select(F.col("lo").cast("string"), F.col("hi").cast("string"))
        low, high = agg_df.collect()[0]
        """,
        # Not DataFrames: a list-like object, an unannotated parameter, a local `spark`.
        """
        import gc
        gc.collect()
        def rows_of(frame):
            return frame.collect()
        spark = make_fake()
        items = spark.table("x").collect()
        """,
        # An RDD-like object from an unknown call, and a pandas DataFrame annotation.
        """
        import pandas as pd
        def f(frame: pd.DataFrame):
            return frame.collect()
        """,
        # Bounded where it is made: in a function of the file, a method, an attribute.
        """
        from pyspark.sql import DataFrame

        def latest(spark) -> DataFrame:
            return spark.table("sales.orders").orderBy("ts").limit(20)

        class Report:
            def __init__(self, spark):
                self.sample = spark.table("sales.orders").limit(5)

            def top(self):
                return self.sample.orderBy("amount")

            def rows(self, spark):
                return latest(spark).collect(), self.top().collect(), self.sample.collect()
        """,
    ]
    invalid = [
        Invalid(
            """
            rows = spark.table("sales.orders").filter("amount > 100").collect()
            """,
            at=[(1, 8)],
        ),
        # `groupBy` and `distinct` are not bounds; the DataFrame arrives annotated.
        Invalid(
            """
            from pyspark.sql import DataFrame

            def countries(orders: DataFrame) -> list:
                by_country = orders.groupBy("country").count().collect()
                return orders.select("country").distinct().collect()
            """,
            at=[(4, 18), (5, 12)],
        ),
        # A multi-line chain and `toLocalIterator`.
        Invalid(
            """
            from pyspark.sql import functions as func
            late = (
                spark.read.table("sales.orders")
                .where(func.col("late"))
                .select("id")
            )
            for row in late.toLocalIterator():
                print(row.id)
            """,
            at=[(7, 12)],
        ),
        # A limit that is followed by a join is no longer a bound.
        Invalid(
            """
            from pyspark.sql.functions import col
            orders = spark.table("sales.orders")
            customers = spark.table("sales.customers")
            rows = orders.limit(10).join(customers, "customer_id").filter(col("x")).collect()
            """,
            at=[(4, 8)],
        ),
        Invalid(
            """
            by_day = spark.sql("SELECT day, COUNT(*) FROM sales.orders GROUP BY day").collect()
            """,
            at=[(1, 10)],
        ),
        # Unbounded where it is made: a function's return, an instance attribute.
        Invalid(
            """
            def orders(spark):
                return spark.table("sales.orders").filter("amount > 0")

            class Report:
                def __init__(self, spark):
                    self.orders = orders(spark)

                def rows(self):
                    return self.orders.collect()
            """,
            at=[(9, 16)],
        ),
        Invalid(
            """
            df = spark.sql("SELECT * FROM sales.orders")
            df = df.withColumn("y", df.x + 1)
            everything = df.collect()
            """,
            at=[(3, 14)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if not isinstance(node.func, ast.Attribute):
            return
        if node.func.attr == "collect" and (node.args or node.keywords):
            return
        frame = node.func.value
        if not ctx.semantic.is_dataframe(frame) or is_row_bounded(frame, ctx):
            return
        method = node.func.attr
        ctx.report(
            node,
            f"`{method}()` brings every row of an unbounded DataFrame to the driver; "
            "add `.limit(n)` or keep the work in Spark",
        )
