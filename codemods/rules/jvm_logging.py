"""DBX104 jvm-logging."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._databricks import chain_links, is_spark_context
from codemods.rules.base import Invalid, Rule

_JVM_HANDLES = frozenset({"_jvm", "_gateway"})


class JvmLogging(Rule):
    """
    ## What it does
    Flags Spark's JVM-side logging from Python: `sc.setLogLevel(...)` /
    `spark.sparkContext.setLogLevel(...)` and log4j reached through py4j
    (`sc._jvm.org.apache.log4j.LogManager.getLogger(...)`, or any `<jvm>.org.apache.log4j`).

    ## Why is this bad?
    On serverless compute and clusters in standard (shared) access mode, PySpark talks to
    Spark through Spark Connect: there is no SparkContext and no py4j gateway in the Python
    process, so the call raises and the job fails before it does any work. Log4j loggers
    reached this way also write to the driver's JVM log, not to the job's Python log.

    ## Example
    ```python
    spark.sparkContext.setLogLevel("WARN")
    log = sc._jvm.org.apache.log4j.LogManager.getLogger("orders")
    ```

    ## Use instead
    ```python
    from toolkit.logging import get_logger

    log = get_logger(__name__)
    ```

    ## Fix safety
    No fix: the Python logger to use is the project's choice.

    ## References
    - [Databricks: limitations of standard access mode](https://docs.databricks.com/en/compute/access-mode-limitations.html)
    - [Python logging](https://docs.python.org/3/library/logging.html)
    """

    code = "DBX104"
    name = "jvm-logging"
    severity = "error"
    node_types = (ast.Call, ast.Attribute)
    names = frozenset({"setLogLevel", "log4j"})

    valid = [
        """
        import logging
        logging.getLogger("orders").setLevel(logging.WARNING)
        """,
        # `setLogLevel` of a non-Spark object.
        """
        import mylib
        client = mylib.Client()
        client.setLogLevel("WARN")
        """,
        # A Python package named like log4j, not reached through the JVM.
        """
        import log4j_config
        settings = log4j_config.log4j
        """,
        # `sc` is a local dict here.
        """
        sc = {}
        def quiet(sc: dict) -> None:
            sc.setLogLevel("ERROR")
        """,
    ]
    invalid = [
        Invalid(
            """
            spark.sparkContext.setLogLevel("WARN")
            """,
            at=[(1, 1)],
        ),
        Invalid(
            """
            sc.setLogLevel("ERROR")
            """,
            at=[(1, 1)],
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession

            session = SparkSession.builder.getOrCreate()
            log4j = session.sparkContext._jvm.org.apache.log4j
            logger = log4j.LogManager.getLogger(__name__)
            """,
            at=[(4, 9)],
        ),
        Invalid(
            """
            def logger_for(spark, name):
                return (
                    spark.sparkContext
                    ._jvm.org.apache
                    .log4j.LogManager.getLogger(name)
                )
            """,
            at=[(3, 9)],
        ),
        # A py4j view kept in a variable: `org.apache.log4j` is a JVM package either way.
        Invalid(
            """
            jvm = get_gateway().jvm
            root = jvm.org.apache.log4j.Logger.getRootLogger()
            """,
            at=[(2, 8)],
        ),
        Invalid(
            """
            from pyspark import SparkContext
            context = SparkContext.getOrCreate()
            context.setLogLevel("INFO")
            """,
            at=[(3, 1)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Attribute):
            links = chain_links(node.value)
            if _JVM_HANDLES & set(links) or links[-2:] == ["org", "apache"]:
                ctx.report(node, "log4j reached through py4j does not exist on Spark Connect")
            return
        func = node.func
        if isinstance(func, ast.Attribute) and is_spark_context(func.value, ctx):
            ctx.report(
                node,
                "`SparkContext.setLogLevel` does not exist on Spark Connect; set the level of "
                "a Python logger",
            )
