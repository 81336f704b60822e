"""DBX202 spark-session-built-in-module."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.options import LintSettings
from codemods.rules._databricks import import_edit, module_imports_name, name_is_free
from codemods.rules.base import Invalid, Rule, Valid

_GET_SPARK = "toolkit.spark.get_spark"


class SparkSessionBuiltInModule(Rule):
    """
    ## What it does
    Flags `SparkSession.builder...getOrCreate()` in a library module (a `.py` file under the
    `src` folders that is neither a test nor a notebook), outside
    `if __name__ == "__main__":`.

    ## Why is this bad?
    A library function that builds its own session decides, for every caller, which master,
    configuration and extensions Spark runs with: tests cannot hand it their local session,
    and on Databricks the builder's settings are silently ignored (the cluster's session
    already exists) or, on serverless, rejected. Building it at import time also starts a
    JVM as a side effect of `import`. The project's `toolkit.spark.get_spark()` returns the
    active session (the notebook's, the job's, the test fixture's) and creates one from the
    environment's config only when there is none.

    ## Example
    ```python
    from pyspark.sql import SparkSession

    def load_orders():
        spark = SparkSession.builder.appName("orders").getOrCreate()
        return spark.table("sales.orders")
    ```

    ## Use instead
    ```python
    from toolkit.spark import get_spark

    def load_orders():
        spark = get_spark()
        return spark.table("sales.orders")
    ```
    or take the session as a parameter.

    ## Fix safety
    The fix replaces the builder chain with `get_spark()` and adds
    `from toolkit.spark import get_spark`. It is unsafe: the builder's `config`, `master`
    and `appName` settings are dropped (move them to `spark.conf` in the project config), and
    the `SparkSession` import may become unused.

    ## References
    - [SparkSession.builder](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.SparkSession.builder.html)
    - [Databricks: the SparkSession in notebooks and jobs](https://docs.databricks.com/en/dev-tools/databricks-connect/python/index.html)
    """

    code = "DBX202"
    name = "spark-session-built-in-module"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"getOrCreate", "create"})
    library_only = True
    fixable = True

    valid = [
        """
        from toolkit.spark import get_spark

        def load_orders():
            return get_spark().table("sales.orders")
        """,
        # An entry point may build its session.
        """
        from pyspark.sql import SparkSession

        if __name__ == "__main__":
            spark = SparkSession.builder.appName("orders").getOrCreate()
        """,
        # Look-alikes: another library's builder, a local class called SparkSession.
        """
        import mlflow
        class SparkSession:
            builder = None
        client = mlflow.tracking.MlflowClient.builder.getOrCreate()
        """,
        # A test file is not a library module.
        Valid(
            """
            from pyspark.sql import SparkSession
            spark = SparkSession.builder.getOrCreate()
            """,
            path="tests/test_orders.py",
            settings=LintSettings(enabled_codes=frozenset({"DBX202"})),
        ),
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import SparkSession

            def load_orders():
                spark = SparkSession.builder.appName("orders").getOrCreate()
                return spark.table("sales.orders")
            """,
            at=[(4, 13)],
            unsafe=True,
            fixed="""
            from pyspark.sql import SparkSession
            from toolkit.spark import get_spark

            def load_orders():
                spark = get_spark()
                return spark.table("sales.orders")
            """,
        ),
        Invalid(
            '''
            """Orders pipeline."""
            import pyspark.sql as ps

            spark = (
                ps.SparkSession.builder
                .config("spark.sql.shuffle.partitions", "8")
                .getOrCreate()
            )
            ''',
            at=[(5, 5)],
            unsafe=True,
            fixed='''
            """Orders pipeline."""
            import pyspark.sql as ps
            from toolkit.spark import get_spark

            spark = (
                get_spark()
            )
            ''',
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession as Session
            from toolkit.spark import get_spark as session_of_job

            def totals():
                return Session.builder.getOrCreate().table("t").count()
            """,
            at=[(5, 12)],
            unsafe=True,
            fixed="""
            from pyspark.sql import SparkSession as Session
            from toolkit.spark import get_spark as session_of_job

            def totals():
                return session_of_job().table("t").count()
            """,
        ),
        Invalid(
            """
            from pyspark.sql.session import SparkSession
            remote = SparkSession.builder.remote("sc://localhost").create()
            """,
            at=[(2, 10)],
        ),
        # The project's own factory: flagged, but `get_spark()` here would call itself.
        Invalid(
            """
            from pyspark.sql import SparkSession

            def get_spark() -> SparkSession:
                return SparkSession.builder.getOrCreate()
            """,
            at=[(4, 12)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or ctx.semantic.kind_of(func.value) != "builder":
            return
        if ctx.semantic.in_main_guard(node):
            return
        fix = None
        if func.attr == "getOrCreate" and _may_call_get_spark(node, ctx):
            local = module_imports_name(ctx, _GET_SPARK)
            edits = [ctx.replace(node, f"{local or 'get_spark'}()")]
            if local is None:
                edits.append(import_edit(ctx, "from toolkit.spark import get_spark"))
            fix = ctx.fix("Replace with `get_spark()`", edits, applicability="unsafe")
        ctx.report(
            node,
            "Library module builds its own SparkSession; use `toolkit.spark.get_spark()` or "
            "take the session as a parameter",
            fix=fix,
        )


def _may_call_get_spark(node: ast.Call, ctx: RuleContext) -> bool:
    """No fix inside the project's own session factory, or where `get_spark` is another
    function: the fix would call itself or the wrong thing."""
    local = module_imports_name(ctx, _GET_SPARK)
    if local is not None:
        return True
    function = ctx.semantic.enclosing_function(node)
    if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and "spark" in function.name:
        return False
    return name_is_free(ctx, node, "get_spark")
