"""DBX203 implicit-spark-global."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class ImplicitSparkGlobal(Rule):
    """
    ## What it does
    Flags, in a library module, a function that uses a name `spark` that is neither its
    parameter, nor assigned in it or an enclosing function, nor assigned or imported at
    module level: the session a Databricks notebook defines implicitly. One finding per
    function, at the first use, and one for module-level code (run at import) that uses it
    outside `if __name__ == "__main__":`.

    ## Why is this bad?
    Outside a notebook no `spark` global exists: importing the module works, but the first
    call fails with `NameError`, in tests, in jobs that run the file as a wheel, and in
    Databricks Connect. Where it happens to work, the function silently depends on whichever
    session the caller's notebook holds.

    ## Example
    ```python
    def load_orders():
        return spark.table("sales.orders")
    ```

    ## Use instead
    ```python
    from pyspark.sql import DataFrame, SparkSession

    def load_orders(spark: SparkSession) -> DataFrame:
        return spark.table("sales.orders")
    ```
    or `spark = get_spark()` from `toolkit.spark` inside the function.

    ## Fix safety
    No fix: adding a parameter changes every caller.

    ## References
    - [SparkSession in Databricks notebooks](https://docs.databricks.com/en/notebooks/notebooks-code.html)
    - [Databricks Connect for Python](https://docs.databricks.com/en/dev-tools/databricks-connect/python/index.html)
    """

    code = "DBX203"
    name = "implicit-spark-global"
    severity = "warning"
    node_types = (ast.Name,)
    names = frozenset({"spark"})
    library_only = True

    valid = [
        """
        from pyspark.sql import SparkSession

        def load_orders(spark: SparkSession):
            return spark.table("sales.orders")
        """,
        # Assigned in the function, or at module level, or imported.
        """
        from toolkit.spark import get_spark

        def load_orders():
            spark = get_spark()
            return spark.table("sales.orders")

        spark_session = None
        """,
        """
        from toolkit.spark import get_spark
        spark = get_spark()

        def load_orders():
            return spark.table("sales.orders")
        """,
        # A property named `spark` (its decorator runs in the class body), an enclosing
        # function's parameter, a lambda's, and the entry point.
        """
        class Listener:
            @property
            def spark(self):
                return self._spark
            @spark.setter
            def spark(self, value):
                self._spark = value
        """,
        """
        def make_loader(spark):
            def load():
                return spark.table("t")
            return load
        loader = lambda spark: spark.table("t")
        if __name__ == "__main__":
            print(spark.version)
        """,
    ]
    invalid = [
        Invalid(
            """
            def load_orders():
                return spark.table("sales.orders")
            """,
            at=[(2, 12)],
        ),
        Invalid(
            """
            from pyspark.sql import functions as F

            def late_orders(days: int):
                orders = spark.table("sales.orders")
                return orders.filter(F.col("age") > days).union(spark.table("sales.late"))

            class Loader:
                def run(self):
                    return spark.sql("SELECT 1")
            """,
            at=[(4, 14), (9, 16)],
        ),
        Invalid(
            """
            def totals():
                return (
                    spark
                    .table("sales.orders")
                    .count()
                )
            """,
            at=[(3, 9)],
        ),
        Invalid(
            """
            from pyspark.sql import functions as F

            ORDERS = spark.table("sales.orders").filter(F.col("amount") > 0)
            CUSTOMERS = spark.table("sales.customers")
            """,
            at=[(3, 10)],
        ),
        Invalid(
            """
            async def refresh(table: str) -> None:
                spark.catalog.refreshTable(table)
            """,
            at=[(2, 5)],
        ),
    ]

    def __init__(self) -> None:
        self._reported: set[ast.AST] = set()

    def check(self, node: ast.Name, ctx: RuleContext) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        function = _function_whose_body_holds(node, ctx)
        if function is None:
            self._check_module_level(node, ctx)
            return
        if function in self._reported:
            return
        if ctx.semantic.reaching_bindings(node) != []:
            return  # bound somewhere: a parameter, an assignment, an import
        self._reported.add(function)
        ctx.report(
            node,
            "Function uses the notebook's implicit `spark` global, which a library module does "
            "not have; take the session as a parameter",
        )

    def _check_module_level(self, node: ast.Name, ctx: RuleContext) -> None:
        """Module-level code (run at import) using the implicit global, once per file."""
        if ctx.tree in self._reported:
            return
        if any(isinstance(a, _SCOPES) for a in ctx.semantic.ancestors(node)):
            return  # a class body, a decorator or a default: not plain module code
        if ctx.semantic.in_main_guard(node) or ctx.semantic.reaching_bindings(node) != []:
            return
        self._reported.add(ctx.tree)
        ctx.report(
            node,
            "Module code uses the notebook's implicit `spark` global at import time, which a "
            "library module does not have; use `get_spark()` inside a function",
        )


def _function_whose_body_holds(node: ast.AST, ctx: RuleContext) -> ast.AST | None:
    """The function whose body runs `node`; None at module level and for the parts of a
    `def` its enclosing scope evaluates (decorators, defaults, annotations)."""
    child = node
    for ancestor in ctx.semantic.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return ancestor if any(child is stmt for stmt in ancestor.body) else None
        if isinstance(ancestor, ast.Lambda):
            return ancestor if child is ancestor.body else None
        child = ancestor
    return None
