"""SPK210 jdbc-read-without-partitioning."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._spark_helpers import reader_terminal
from codemods.rules.base import Invalid, Rule

# Either of these spreads the read over several connections and tasks.
_PARTITIONING_OPTIONS = frozenset({"partitioncolumn", "numpartitions", "predicates", "column"})
# `DataFrameReader.jdbc(url, table, column, lowerBound, upperBound, numPartitions,
# predicates, properties)`: a third positional argument is the partition column.
_JDBC_POSITIONAL_PARTITIONING = 3


class JdbcReadWithoutPartitioning(Rule):
    """
    ## What it does
    Flags a JDBC read (`spark.read.jdbc(url, table)`, or `.format("jdbc")...load()`)
    that sets neither `partitionColumn`/`numPartitions` (with `lowerBound`/`upperBound`) nor
    `predicates`.

    ## Why is this bad?
    Without partitioning options Spark opens one connection and reads the whole table in a
    single task: however large the cluster, one core pulls every row over one socket, and
    that task's executor must hold the result. Large tables take hours or fail with
    out-of-memory errors.

    ## Example
    ```python
    orders = (
        spark.read.format("jdbc")
        .option("url", JDBC_URL)
        .option("dbtable", "sales.orders")
        .load()
    )
    ```

    ## Use instead
    ```python
    orders = (
        spark.read.format("jdbc")
        .option("url", JDBC_URL)
        .option("dbtable", "sales.orders")
        .option("partitionColumn", "order_id")
        .option("lowerBound", 1)
        .option("upperBound", 50_000_000)
        .option("numPartitions", 32)
        .load()
    )
    ```

    ## Fix safety
    No fix: the partition column and its bounds depend on the source table.

    ## References
    - [JDBC to other databases: data source options](https://spark.apache.org/docs/latest/sql-data-sources-jdbc.html)
    - [Databricks: query databases using JDBC (parallelism)](https://docs.databricks.com/en/connect/external-systems/jdbc.html)
    """

    code = "SPK210"
    name = "jdbc-read-without-partitioning"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"jdbc", "load"})

    valid = [
        """
        orders = (
            spark.read.format("jdbc")
            .option("url", "jdbc:postgresql://db/sales")
            .option("dbtable", "orders")
            .option("partitionColumn", "id")
            .option("lowerBound", 1)
            .option("upperBound", 1000000)
            .option("numPartitions", 16)
            .load()
        )
        """,
        # `.jdbc` with a partition column or with predicates.
        """
        url = "jdbc:postgresql://db/sales"
        a = spark.read.jdbc(url, "orders", "id", 1, 1000000, 16)
        b = spark.read.jdbc(url, "orders", predicates=["region = 'EU'", "region = 'US'"])
        c = spark.read.jdbc(url=url, table="orders", column="id", lowerBound=1,
                            upperBound=10, numPartitions=4)
        """,
        # Writes are not reads; other formats are not JDBC.
        """
        df = spark.table("sales.orders")
        df.write.mode("append").jdbc("jdbc:postgresql://db/sales", "orders")
        rows = spark.read.format("delta").load("/Volumes/main/raw/orders")
        """,
        # A look-alike `jdbc` method on another object; options we cannot see.
        """
        client = make_client()
        client.read.jdbc("url", "orders")
        opts = {"partitionColumn": "id"}
        df = spark.read.format("jdbc").options(**opts).load()
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = (
                spark.read.format("jdbc")
                .option("url", "jdbc:postgresql://db/sales")
                .option("dbtable", "sales.orders")
                .load()
            )
            """,
            at=[(2, 5)],
        ),
        Invalid(
            """
            orders = spark.read.jdbc("jdbc:postgresql://db/sales", "orders", properties={})
            """,
            at=[(1, 10)],
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession

            def read_orders(session: SparkSession, url: str):
                return session.read.options(url=url, dbtable="orders").format("jdbc").load()
            """,
            at=[(4, 12)],
        ),
        Invalid(
            """
            def read_orders(spark, url):
                return spark.read.load(format="jdbc", url=url, dbtable="orders")
            """,
            at=[(2, 12)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        read = reader_terminal(node, ctx)
        if read is None or read.hidden_options:
            return
        if read.method == "jdbc":
            if len(node.args) >= _JDBC_POSITIONAL_PARTITIONING:
                return
        elif read.format != "jdbc":
            return
        if any(option in read.options for option in _PARTITIONING_OPTIONS):
            return
        ctx.report(
            node,
            "JDBC read without `partitionColumn`/`numPartitions` or `predicates` runs in "
            "one task over one connection",
        )
