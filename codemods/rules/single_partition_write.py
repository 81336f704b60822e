"""SPK208 single-partition-write."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._spark_helpers import words
from codemods.rules.base import Invalid, Rule

# What may follow `.write` in a writer chain: seeing one of them after `coalesce(1).write`
# shows a Spark DataFrame writer even when the DataFrame's origin is not visible.
_WRITER_METHODS = words(
    """format mode option options partitionBy bucketBy sortBy clusterBy save saveAsTable
    insertInto parquet csv json orc text jdbc"""
)


class SinglePartitionWrite(Rule):
    """
    ## What it does
    Flags `coalesce(1)` or `repartition(1)` in the same chain as a DataFrame `.write`,
    also when a name carries the chain: `out = df.coalesce(1)` then `out.write...`.

    ## Why is this bad?
    One partition means one task: the whole DataFrame is written by a single core on a
    single machine, however large the cluster, and `coalesce(1)` also pulls the upstream
    computation into that one task. It is the usual cause of a write that takes an hour and
    of executor out-of-memory errors. A single output file is rarely needed: Delta tables
    and readers of Parquet folders do not care about the file count.

    ## Example
    ```python
    orders.coalesce(1).write.mode("overwrite").saveAsTable("sales.orders_daily")
    ```

    ## Use instead
    ```python
    orders.write.mode("overwrite").saveAsTable("sales.orders_daily")
    ```
    and let Delta's optimized writes and auto compaction size the files.

    ## Fix safety
    No fix: when a single file is really required (a CSV hand-off), the author decides.

    ## References
    - [DataFrame.coalesce](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.coalesce.html)
    - [Databricks: auto optimize (optimized writes)](https://docs.databricks.com/en/delta/tune-file-size.html)
    """

    code = "SPK208"
    name = "single-partition-write"
    severity = "warning"
    node_types = (ast.Call, ast.Attribute)
    names = frozenset({"coalesce", "repartition", "write", "writeStream"})

    valid = [
        """
        orders = spark.table("sales.orders")
        orders.write.mode("overwrite").saveAsTable("sales.copy")
        orders.repartition(8).write.mode("overwrite").parquet("/Volumes/main/out/orders")
        """,
        # `coalesce(1)` without a write in the chain (a small lookup that is broadcast).
        """
        small = spark.table("ref.countries").coalesce(1)
        """,
        # `F.coalesce` is a function on columns, not a partition count.
        """
        import pyspark.sql.functions as F
        df = spark.table("t").select(F.coalesce(F.col("a"), F.lit(1)).alias("a"))
        df.write.mode("append").saveAsTable("t2")
        """,
        # A name coalesced on one path only, or to more partitions.
        """
        orders = spark.table("sales.orders")
        out = orders.coalesce(8)
        out.write.mode("overwrite").saveAsTable("sales.copy")
        if small:
            orders = orders.coalesce(1)
        orders.write.mode("overwrite").saveAsTable("sales.copy2")
        """,
        # A different object with a `coalesce` method and a `write` attribute.
        """
        buffer = make_buffer()
        buffer.coalesce(1).write("data")
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = spark.table("sales.orders")
            orders.coalesce(1).write.mode("overwrite").saveAsTable("sales.orders_daily")
            """,
            at=[(2, 1)],
        ),
        # A multi-line chain; the DataFrame comes from an unannotated parameter, but the
        # writer chain after `.write` shows it.
        Invalid(
            """
            def export(frame, path):
                (
                    frame.repartition(1)
                    .write.format("csv")
                    .option("header", True)
                    .save(path)
                )
            """,
            at=[(3, 9)],
        ),
        Invalid(
            """
            from pyspark.sql.functions import col
            from pyspark.sql import DataFrame

            def publish(orders: DataFrame) -> None:
                orders.filter(col("ok")).repartition(1, "day").write.parquet("/tmp/out")
            """,
            at=[(5, 5)],
        ),
        # The chain split by a name.
        Invalid(
            """
            orders = spark.table("sales.orders")
            single = orders.coalesce(1)
            single.write.mode("overwrite").csv("/Volumes/main/out/orders")
            """,
            at=[(3, 1)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as func
            out = spark.sql("SELECT 1 AS x").withColumn("y", func.lit(2))
            out.coalesce(numPartitions=1).write.mode("append").json("/tmp/out")
            """,
            at=[(3, 1)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Attribute):
            self._check_write_of_name(node, ctx)
            return
        assert isinstance(node, ast.Call)
        if not isinstance(node.func, ast.Attribute) or not _is_one_partition(node):
            return
        # Climb the chain this call is part of: `<node>.a(...).write.b(...)`.
        seen_write = False
        writer_method = False
        child: ast.AST = node
        parent = ctx.parent(node)
        while True:
            if isinstance(parent, ast.Attribute) and parent.value is child:
                if parent.attr in ("write", "writeStream"):
                    seen_write = True
                elif seen_write and parent.attr in _WRITER_METHODS:
                    writer_method = True
            elif not (isinstance(parent, ast.Call) and parent.func is child):
                break
            child, parent = parent, ctx.parent(parent)
        if not seen_write:
            return
        if not writer_method and not ctx.semantic.is_dataframe(node.func.value):
            return
        ctx.report(
            node,
            f"`{node.func.attr}(1)` before `.write` writes the whole DataFrame from one task",
        )

    def _check_write_of_name(self, node: ast.Attribute, ctx: RuleContext) -> None:
        """`out = df.coalesce(1)` and later `out.write...`: the same chain, split by a name."""
        frame = node.value
        if not isinstance(frame, ast.Name):
            return
        reaching = ctx.semantic.reaching_bindings(frame)
        if not reaching or len(reaching) != 1 or reaching[0].kind != "assign":
            return
        value = reaching[0].value
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("coalesce", "repartition")
            and _is_one_partition(value)
            and ctx.semantic.is_dataframe(value.func.value)
        ):
            return
        ctx.report(
            node,
            f"`{frame.id}` has one partition (`{value.func.attr}(1)` on line {value.lineno}); "
            "`.write` writes the whole DataFrame from one task",
        )


def _is_one_partition(node: ast.Call) -> bool:
    if node.args:
        first = node.args[0]
    else:
        keyword = next((k for k in node.keywords if k.arg == "numPartitions"), None)
        if keyword is None:
            return False
        first = keyword.value
    return isinstance(first, ast.Constant) and type(first.value) is int and first.value == 1
