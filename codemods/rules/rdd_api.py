"""DBX102 rdd-api."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.rules._databricks import is_spark_context
from codemods.rules.base import Invalid, Rule

# SparkContext methods that create or read RDDs.
_RDD_SOURCES = frozenset(
    {
        "parallelize",
        "textFile",
        "wholeTextFiles",
        "binaryFiles",
        "binaryRecords",
        "emptyRDD",
        "pickleFile",
        "sequenceFile",
        "hadoopFile",
        "newAPIHadoopFile",
        "hadoopRDD",
        "newAPIHadoopRDD",
        "union",
        "broadcast",
        "accumulator",
        "range",
        "makeRDD",
        "objectFile",
    }
)
# RDD methods worth naming when the receiver is visibly an RDD (an `RDD` parameter).
_RDD_METHODS = frozenset({"mapPartitions", "mapPartitionsWithIndex", "foreachPartition"})
_RDD_TYPES = frozenset({"pyspark.RDD", "pyspark.rdd.RDD"})


_CONTEXT_MENTION = re.compile(r"\bsc\b|SparkContext")


class RddApi(Rule):
    """
    ## What it does
    Flags the RDD API and the SparkContext: `df.rdd`, `spark.sparkContext`, and RDD sources
    on a SparkContext (`sc.parallelize`, `sc.textFile`, `sc.wholeTextFiles`,
    `sc.broadcast`, ...), which is how `map`, `mapPartitions` and friends are reached.

    ## Why is this bad?
    Serverless compute and clusters in standard (shared) access mode run PySpark through
    Spark Connect, which has no RDDs and no SparkContext: `df.rdd` and `spark.sparkContext`
    raise the moment the code runs there. Unity Catalog's fine-grained access control cannot
    be enforced on RDD code either.

    ## Example
    ```python
    ids = df.rdd.map(lambda row: row.id).collect()
    numbers = spark.sparkContext.parallelize(range(10))
    ```

    ## Use instead
    ```python
    ids = [row.id for row in df.select("id").collect()]
    numbers = spark.range(10)
    ```
    Per-partition Python code becomes `df.mapInPandas(...)` or `df.mapInArrow(...)`.

    ## Fix safety
    No fix: the DataFrame equivalent depends on what the RDD code computes.

    ## References
    - [Databricks: limitations of standard access mode](https://docs.databricks.com/en/compute/access-mode-limitations.html)
    - [Serverless compute limitations](https://docs.databricks.com/en/compute/serverless/limitations.html)
    - [Spark Connect: unsupported APIs](https://spark.apache.org/docs/latest/spark-connect-overview.html)
    """

    code = "DBX102"
    name = "rdd-api"
    severity = "error"
    node_types = (ast.Attribute, ast.Call)
    names = _RDD_SOURCES | _RDD_METHODS | {"rdd", "sparkContext"}

    valid = [
        """
        ids = spark.table("sales.orders").select("id").collect()
        numbers = spark.range(10)
        """,
        # Look-alikes: an attribute `rdd` on something that is not a DataFrame, a list method.
        """
        class Job:
            rdd = None
        job = Job()
        value = job.rdd
        values = [1, 2]
        values.union = None
        """,
        # `sc` is a local value here, not a SparkContext.
        """
        sc = {"parallelize": 1}
        def load(sc: dict) -> None:
            sc.textFile("x")
        """,
        # `parallelize` of an unknown object and a `sparkContext` attribute of a non-session.
        """
        import ray
        data = ray.data.parallelize([1, 2])
        config = load_config()
        ctx = config.sparkContext
        """,
    ]
    invalid = [
        Invalid(
            """
            df = spark.table("sales.orders")
            ids = df.rdd.map(lambda row: row.id).collect()
            """,
            at=[(2, 7)],
        ),
        Invalid(
            """
            numbers = spark.sparkContext.parallelize(range(10))
            lines = sc.textFile("/Volumes/main/raw/logs")
            """,
            at=[(1, 11), (2, 9)],
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def partitions(orders: DataFrame) -> int:
                return (
                    orders
                    .filter("amount > 0")
                    .rdd
                    .getNumPartitions()
                )
            """,
            at=[(5, 9)],
        ),
        Invalid(
            """
            from pyspark import SparkContext

            context = SparkContext.getOrCreate()
            lookup = context.broadcast({"a": 1})

            def run(sc):
                return sc.wholeTextFiles("/Volumes/main/raw/docs")
            """,
            at=[(4, 10), (7, 12)],
        ),
        Invalid(
            """
            from pyspark import RDD

            def sizes(lines: RDD) -> RDD:
                return lines.mapPartitions(lambda rows: [sum(1 for _ in rows)])
            """,
            at=[(4, 12)],
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession
            session = SparkSession.builder.getOrCreate()
            session.sparkContext.setJobGroup("g", "d")
            """,
            at=[(3, 1)],
        ),
    ]

    def __init__(self) -> None:
        self._may_hold_context: bool | None = None

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Attribute):
            if node.attr == "rdd" and ctx.semantic.is_dataframe(node.value):
                ctx.report(node, "`DataFrame.rdd` does not exist on Spark Connect")
            elif node.attr == "sparkContext" and ctx.semantic.is_spark_session(node.value):
                ctx.report(node, "`SparkSession.sparkContext` does not exist on Spark Connect")
            return
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        receiver = func.value
        if func.attr in _RDD_METHODS:
            if _is_rdd_parameter(receiver, ctx):
                ctx.report(node, f"`RDD.{func.attr}` needs RDDs, which Spark Connect does not have")
            return
        if isinstance(receiver, ast.Attribute) and receiver.attr == "sparkContext":
            return  # reported at `.sparkContext`
        if self._may_hold_context is None:
            # A SparkContext comes from `sc` or the `SparkContext` class: without either
            # in the text, calls like `df.union(...)` need no name resolution.
            self._may_hold_context = _CONTEXT_MENTION.search(ctx.source) is not None
        if not self._may_hold_context:
            return
        if is_spark_context(receiver, ctx):
            ctx.report(
                node,
                f"`SparkContext.{func.attr}` builds an RDD, which Spark Connect does not have",
            )


def _is_rdd_parameter(node: ast.AST, ctx: RuleContext) -> bool:
    """A name whose every binding is a parameter annotated `RDD`."""
    if not isinstance(node, ast.Name):
        return False
    reaching = ctx.semantic.reaching_bindings(node)
    return bool(reaching) and all(
        binding.kind == "param"
        and binding.value[0] is not None
        and ctx.semantic.qualified_name(binding.value[0]) in _RDD_TYPES
        for binding in reaching
    )
