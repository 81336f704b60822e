"""DBX101 jvm-internal-access."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

# py4j handles PySpark keeps on its objects: none exists under Spark Connect.
_JVM_ATTRIBUTES = frozenset({"_jvm", "_jsc", "_jdf", "_jcol", "_jsparkSession", "_jconf"})
_CONTEXT_ONLY_ATTRIBUTES = frozenset({"_gateway"})  # generic name: only on a SparkContext


class JvmInternalAccess(Rule):
    """
    ## What it does
    Flags access to PySpark's py4j handles into the JVM: `_jvm`, `_jsc`, `_jdf`, `_jcol`,
    `_jsparkSession`, `_jconf`, and `_gateway` on a SparkContext (`sc._gateway`,
    `spark.sparkContext._gateway`), as attributes or through `getattr(obj, "_jvm")`.

    ## Why is this bad?
    Serverless compute and clusters in standard (shared) access mode run PySpark over Spark
    Connect: there is no JVM in the Python process, so these attributes do not exist and the
    job fails with an `AttributeError` or a `PySparkAttributeError` the first time it runs
    there. They are private API on any compute, and change between Spark versions.

    ## Example
    ```python
    hadoop_conf = spark._jsc.hadoopConfiguration()
    ```

    ## Use instead
    Use the public API: `spark.conf.get(...)` / `spark.conf.set(...)` for settings, Unity
    Catalog volumes and `dbutils.fs` or the Databricks SDK for files, DataFrame methods for
    plans (`df.explain()`).

    ## Fix safety
    No fix: the public replacement depends on what the JVM call was for.

    ## References
    - [Databricks: limitations of standard access mode](https://docs.databricks.com/en/compute/access-mode-limitations.html)
    - [Serverless compute limitations](https://docs.databricks.com/en/compute/serverless/limitations.html)
    """

    code = "DBX101"
    name = "jvm-internal-access"
    severity = "error"
    node_types = (ast.Attribute, ast.Call)
    names = _JVM_ATTRIBUTES | _CONTEXT_ONLY_ATTRIBUTES | {"getattr"}

    valid = [
        """
        value = spark.conf.get("spark.sql.shuffle.partitions")
        """,
        # Names that merely look alike.
        """
        _jvm = start_gateway()
        settings = {"_jsc": 1}
        options.jvm_args = ["-Xmx1g"]
        """,
        # `_gateway` on something that is not a SparkContext (an HTTP client here).
        """
        import httpx
        client = httpx.Client()
        client._gateway = "api"
        """,
        # `getattr` with a computed name, or a public attribute.
        """
        name = "schema"
        df = spark.table("t")
        value = getattr(df, name)
        cols = getattr(df, "columns")
        """,
    ]
    invalid = [
        Invalid(
            """
            conf = spark._jsc.hadoopConfiguration()
            """,
            at=[(1, 8)],
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession

            session = (
                SparkSession.builder
                .getOrCreate()
            )
            plan = session._jsparkSession.sessionState()
            jvm = session.sparkContext._gateway.jvm
            """,
            at=[(7, 8), (8, 7)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F
            df = spark.table("sales.orders")
            size = df._jdf.queryExecution().optimizedPlan().stats().sizeInBytes()
            java_col = F.col("id")._jcol
            """,
            at=[(3, 8), (4, 12)],
        ),
        Invalid(
            """
            def log4j(sc):
                return sc._jvm.org.apache.log4j
            handle = getattr(spark, "_jsparkSession")
            """,
            at=[(2, 12), (3, 10)],
        ),
        Invalid(
            """
            gateway = sc._gateway  # noqa: E501
            """,
            at=[(1, 11)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Attribute):
            flagged = node.attr in _JVM_ATTRIBUTES or (
                node.attr in _CONTEXT_ONLY_ATTRIBUTES and _is_spark_context(node.value, ctx)
            )
            if flagged:
                ctx.report(node, _message(node.attr))
            return
        if (
            isinstance(node, ast.Call)
            and len(node.args) >= 2
            and ctx.semantic.is_builtin(node.func, "getattr")
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in _JVM_ATTRIBUTES
        ):
            ctx.report(node, _message(node.args[1].value))


def _message(attribute: str) -> str:
    return (
        f"`{attribute}` reaches into the JVM through py4j, which serverless and shared "
        "compute (Spark Connect) do not have"
    )


def _is_spark_context(node: ast.AST, ctx: RuleContext) -> bool:
    """`sc` (the notebook global or a parameter so named), `<session>.sparkContext`, or
    `SparkContext...` itself."""
    if isinstance(node, ast.Attribute) and node.attr == "sparkContext":
        return ctx.semantic.is_spark_session(node.value)
    if isinstance(node, ast.Name) and node.id == "sc":
        reaching = ctx.semantic.reaching_bindings(node)
        # Unassigned: the notebook's global; a parameter without annotation: the convention.
        return reaching is None or all(
            binding.kind == "param" and binding.value[0] is None for binding in reaching
        )
    qualified = ctx.semantic.qualified_name(node)
    return qualified is not None and qualified.startswith("pyspark") and "SparkContext" in qualified
