"""DBX205 dbutils-in-library."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._databricks import is_notebook_dbutils
from codemods.rules.base import Invalid, Rule

_DBUTILS_CLASSES = frozenset({"pyspark.dbutils.DBUtils"})


class DbutilsInLibrary(Rule):
    """
    ## What it does
    Flags the use of `dbutils` in a library module (a `.py` file under the `src` folders that
    is neither a test nor a notebook): the notebook's implicit global, the object imported
    from `databricks.sdk.runtime`, and `DBUtils(spark)` from `pyspark.dbutils`. A `dbutils` the function receives as a parameter is not
    flagged: the caller decides, and a test can pass a fake. Code under
    `if __name__ == "__main__":` is an entry point and is not flagged.

    ## Why is this bad?
    `dbutils` exists only on a Databricks cluster. A library function that reaches for it
    cannot run in unit tests, locally, or in Databricks Connect, and hides a dependency on
    widgets, secrets or the file system behind an innocent signature.

    ## Example
    ```python
    def source_path() -> str:
        return dbutils.widgets.get("source")
    ```

    ## Use instead
    ```python
    def source_path(source: str) -> str:
        return source
    ```
    Read widgets and secrets in the notebook or job entry point and pass the values in, or
    use `databricks.sdk.WorkspaceClient` for files and secrets.

    ## Fix safety
    No fix: moving the call to the entry point changes the function's signature.

    ## References
    - [Databricks Utilities (dbutils)](https://docs.databricks.com/en/dev-tools/databricks-utils.html)
    - [Databricks SDK for Python](https://docs.databricks.com/en/dev-tools/sdk-python.html)
    """

    code = "DBX205"
    name = "dbutils-in-library"
    severity = "warning"
    node_types = (ast.Name, ast.Call)
    names = frozenset({"dbutils", "DBUtils"})
    library_only = True

    valid = [
        """
        def source_path(source: str) -> str:
            return source
        """,
        # Injected by the caller.
        """
        def secret(dbutils, key: str) -> str:
            return dbutils.secrets.get("shop", key)
        """,
        # A local fake and the entry point.
        """
        from unittest import mock
        dbutils = mock.MagicMock()
        value = dbutils.widgets.get("x")
        """,
        """
        from orders.job import run

        if __name__ == "__main__":
            run(source=dbutils.widgets.get("source"))
        """,
    ]
    invalid = [
        Invalid(
            """
            def source_path() -> str:
                return dbutils.widgets.get("source")
            """,
            at=[(2, 12)],
        ),
        Invalid(
            """
            from databricks.sdk.runtime import dbutils as utils
            from databricks.sdk.runtime import dbutils

            PASSWORD = dbutils.secrets.get("shop", "db")
            """,
            at=[(4, 12)],
        ),
        Invalid(
            """
            from pyspark.dbutils import DBUtils

            def widgets(spark):
                utils = DBUtils(spark)
                return utils.widgets.getAll()
            """,
            at=[(4, 13)],
        ),
        Invalid(
            """
            def landing_files():
                return [
                    info.path
                    for info in dbutils.fs.ls("/Volumes/main/raw/landing")
                ]
            """,
            at=[(4, 21)],
        ),
        Invalid(
            """
            class Settings:
                env = dbutils.widgets.get("env")
                def table(self) -> str:
                    return dbutils.widgets.get("table")
            """,
            at=[(2, 11), (4, 16)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Call):
            if ctx.semantic.qualified_name(
                node.func
            ) in _DBUTILS_CLASSES and not ctx.semantic.in_main_guard(node):
                ctx.report(
                    node,
                    "Library module builds `DBUtils`, which works only against a "
                    "Databricks cluster; pass the values in from the entry point",
                )
            return
        if not isinstance(node, ast.Name):
            return
        if not isinstance(node.ctx, ast.Load) or not is_notebook_dbutils(node, ctx):
            return
        if ctx.semantic.in_main_guard(node):
            return
        ctx.report(
            node,
            "Library module uses `dbutils`, which exists only on a Databricks cluster; pass the "
            "value in from the entry point",
        )
