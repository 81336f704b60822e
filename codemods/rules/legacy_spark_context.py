"""DBX103 legacy-spark-context."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_LEGACY_CLASSES = {
    "pyspark.SparkContext": "SparkContext",
    "pyspark.context.SparkContext": "SparkContext",
    "pyspark.sql.SQLContext": "SQLContext",
    "pyspark.sql.context.SQLContext": "SQLContext",
    "pyspark.sql.HiveContext": "HiveContext",
    "pyspark.sql.context.HiveContext": "HiveContext",
}
_CLASS_NAMES = frozenset(_LEGACY_CLASSES.values())
_FACTORIES = frozenset({"getOrCreate"})
# Uses of the notebook's `sc` that other rules report more precisely: DBX101 (py4j handles),
# DBX102 (RDD sources), DBX104 (log level).
_REPORTED_ELSEWHERE = frozenset(
    {"_jvm", "_jsc", "_gateway", "_jconf", "setLogLevel"}
    | {"parallelize", "textFile", "wholeTextFiles", "binaryFiles", "binaryRecords", "emptyRDD"}
    | {"pickleFile", "sequenceFile", "hadoopFile", "newAPIHadoopFile", "hadoopRDD"}
    | {"newAPIHadoopRDD", "union", "broadcast", "accumulator", "range", "makeRDD", "objectFile"}
)


class LegacySparkContext(Rule):
    """
    ## What it does
    Flags the pre-2.0 entry points: building a `SparkContext(...)`, `SQLContext(...)` or
    `HiveContext(...)` (also through `SparkContext.getOrCreate()` or
    `SQLContext.getOrCreate(sc)`), the notebook's legacy global `sqlContext`, and any use of
    the notebook's implicit `sc` not reported by a more precise rule (`sc.getConf()`,
    `sc.setJobGroup(...)`, `sc.defaultParallelism`).

    ## Why is this bad?
    Serverless compute and clusters in standard (shared) access mode run PySpark through
    Spark Connect, which has only the `SparkSession`: there is no SparkContext to build, and
    `SQLContext`/`HiveContext` wrap one. The code fails when it first runs there.

    ## Example
    ```python
    from pyspark.sql import SQLContext

    sql_context = SQLContext(sc)
    orders = sql_context.table("sales.orders")
    ```

    ## Use instead
    ```python
    orders = spark.table("sales.orders")
    ```

    ## Fix safety
    No fix: what replaces the context depends on how the code gets its session.

    ## References
    - [Databricks: limitations of standard access mode](https://docs.databricks.com/en/compute/access-mode-limitations.html)
    - [SparkSession](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/spark_session.html)
    """

    code = "DBX103"
    name = "legacy-spark-context"
    severity = "error"
    node_types = (ast.Call, ast.Name)
    names = _CLASS_NAMES | _FACTORIES | {"sqlContext", "sc"}

    valid = [
        """
        from pyspark.sql import SparkSession
        spark = SparkSession.builder.getOrCreate()
        """,
        # Local classes and names that look alike.
        """
        class SQLContext:
            pass
        context = SQLContext()
        sqlContext = {"db": "x"}
        value = sqlContext["db"]
        """,
        # A `getOrCreate` of something else.
        """
        import mlflow
        client = mlflow.MlflowClient.getOrCreate()
        """,
        # A parameter named `sqlContext` is the caller's value, not the legacy global.
        """
        def tables(sqlContext):
            return sqlContext.tableNames()
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import SQLContext
            sql_context = SQLContext(sc)
            """,
            at=[(2, 15)],
        ),
        Invalid(
            """
            import pyspark
            conf = pyspark.SparkConf().setAppName("job")
            sc = pyspark.SparkContext(conf=conf)
            """,
            at=[(3, 6)],
        ),
        Invalid(
            """
            from pyspark.sql import HiveContext
            from pyspark import SparkContext as Context

            context = (
                Context
                .getOrCreate()
            )
            hive = HiveContext(context)
            """,
            at=[(5, 5), (8, 8)],
        ),
        Invalid(
            """
            orders = sqlContext.table("sales.orders")
            workers = sc.defaultParallelism
            sc.setJobGroup("nightly", "orders")
            rows = sc.parallelize([1])  # DBX102's finding, not this rule's
            """,
            at=[(1, 10), (2, 11), (3, 1)],
        ),
        Invalid(
            """
            from pyspark.sql.context import SQLContext
            ctx = SQLContext.getOrCreate(sc)
            """,
            at=[(2, 7)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Name):
            if node.id == "sc":
                self._check_sc(node, ctx)
            elif isinstance(node.ctx, ast.Load) and ctx.semantic.reaching_bindings(node) is None:
                ctx.report(
                    node,
                    "The legacy `sqlContext` global does not exist on Spark Connect; use `spark`",
                )
            return
        func = node.func
        if isinstance(func, ast.Name) and func.id == "sc":
            return  # `sc(...)`: a local callable, not the context
        if isinstance(func, ast.Attribute) and func.attr in _FACTORIES:
            func = func.value
        legacy = _LEGACY_CLASSES.get(ctx.semantic.qualified_name(func) or "")
        if legacy is not None:
            ctx.report(
                node,
                f"`{legacy}` is a pre-2.0 entry point that Spark Connect does not have; use the "
                "`SparkSession`",
            )

    def _check_sc(self, node: ast.Name, ctx: RuleContext) -> None:
        """`sc.<anything>` on the notebook's implicit `sc` (bound nowhere in the file)."""
        parent = ctx.parent(node)
        if not (isinstance(parent, ast.Attribute) and parent.value is node):
            return
        if parent.attr in _REPORTED_ELSEWHERE or ctx.semantic.reaching_bindings(node) is not None:
            return
        ctx.report(
            parent,
            "The notebook's legacy `sc` (SparkContext) does not exist on Spark Connect; use "
            "`spark`",
        )
