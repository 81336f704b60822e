"""DBX105 input-file-name."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.rules._databricks import (
    import_edit,
    module_imports_name,
    name_is_free,
    string_constant,
)
from codemods.rules.base import Invalid, Rule

_FUNCTIONS = "pyspark.sql.functions"
_SQL_TAKERS = frozenset({"expr", "selectExpr", "sql"})
_SQL_CALL = re.compile(r"(?i)\binput_file_name\s*\(\s*\)")
_REPLACEMENT_COLUMN = '"_metadata.file_path"'


class InputFileName(Rule):
    """
    ## What it does
    Flags `input_file_name()`: the function from `pyspark.sql.functions` (however imported)
    and the SQL function inside `expr(...)`, `selectExpr(...)` and `spark.sql(...)` strings.

    ## Why is this bad?
    `input_file_name()` is not supported on Unity Catalog compute (serverless, standard
    access mode, Databricks Runtime 13.3 and later on shared clusters): the query fails. The
    file a row came from is in the hidden `_metadata` column of file sources instead.

    ## Example
    ```python
    from pyspark.sql import functions as F

    raw = spark.read.json("/Volumes/main/raw/events").withColumn("source", F.input_file_name())
    ```

    ## Use instead
    ```python
    raw = spark.read.json("/Volumes/main/raw/events").withColumn(
        "source", F.col("_metadata.file_path")
    )
    ```

    ## Fix safety
    The fix replaces the call with `col("_metadata.file_path")` (adding
    `from pyspark.sql.functions import col` when no `col` or functions module is imported).
    It is unsafe: `_metadata` exists only on a DataFrame read straight from files, not after
    a join or an aggregation, and the same file may be spelled differently
    (`file:///tmp/a.json` where `input_file_name()` gave `file:/tmp/a.json`). SQL strings
    are not rewritten.

    ## References
    - [File metadata column](https://docs.databricks.com/en/ingestion/file-metadata-column.html)
    - [Unity Catalog limitations: input_file_name](https://docs.databricks.com/en/compute/access-mode-limitations.html)
    """

    code = "DBX105"
    name = "input-file-name"
    severity = "error"
    # `ast.alias`: an import under another name (`input_file_name as source_file`), whose
    # calls the `names` filter cannot see; those are found from the import.
    node_types = (ast.Call, ast.alias)
    names = _SQL_TAKERS | {"input_file_name"}
    fixable = True

    valid = [
        """
        from pyspark.sql import functions as F
        raw = spark.read.json("/Volumes/main/raw/events")
        raw = raw.withColumn("source", F.col("_metadata.file_path"))
        """,
        # A local function that shares the name.
        """
        def input_file_name():
            return "orders.csv"
        name = input_file_name()
        """,
        # The text in a string that is not SQL handed to Spark.
        """
        message = "input_file_name() is not supported"
        print(message)
        """,
        # `expr` of another library.
        """
        import sympy
        value = sympy.expr("input_file_name()")
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import functions as F
            raw = spark.read.json("/Volumes/main/raw/events")
            raw = raw.withColumn("source", F.input_file_name())
            """,
            at=[(3, 32)],
            unsafe=True,
            fixed="""
            from pyspark.sql import functions as F
            raw = spark.read.json("/Volumes/main/raw/events")
            raw = raw.withColumn("source", F.col("_metadata.file_path"))
            """,
        ),
        Invalid(
            """
            from pyspark.sql.functions import input_file_name
            raw = spark.read.parquet("/Volumes/main/raw/orders").select(
                "*",
                input_file_name().alias("source"),
            )
            """,
            at=[(4, 5)],
            unsafe=True,
            fixed="""
            from pyspark.sql.functions import input_file_name
            from pyspark.sql.functions import col
            raw = spark.read.parquet("/Volumes/main/raw/orders").select(
                "*",
                col("_metadata.file_path").alias("source"),
            )
            """,
        ),
        Invalid(
            """
            import pyspark.sql.functions as func
            from pyspark.sql.functions import col, input_file_name as source_file
            df = spark.read.csv("/Volumes/main/raw/a").withColumn("f", source_file())
            """,
            at=[(3, 60)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as func
            from pyspark.sql.functions import col, input_file_name as source_file
            df = spark.read.csv("/Volumes/main/raw/a").withColumn("f", col("_metadata.file_path"))
            """,
        ),
        Invalid(
            """
            from pyspark.sql import functions as F
            df = spark.read.csv("/Volumes/main/raw/a")
            a = df.selectExpr("*", "input_file_name() AS source")
            b = df.withColumn("source", F.expr("input_file_name()"))
            c = spark.sql("SELECT *, INPUT_FILE_NAME() FROM csv.`/Volumes/main/raw/a`")
            """,
            at=[(3, 5), (4, 29), (5, 5)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.alias):
            if node.name == "input_file_name" and node.asname:
                for call in ast.walk(ctx.tree):
                    if (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Name)
                        and call.func.id == node.asname
                    ):
                        self._check_call(call, ctx)
            return
        self._check_call(node, ctx)

    def _check_call(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        qualified = ctx.semantic.qualified_name(func)
        if qualified == f"{_FUNCTIONS}.input_file_name":
            ctx.report(
                node,
                "`input_file_name()` is not supported on Unity Catalog; use the "
                "`_metadata.file_path` column",
                fix=_fix(node, ctx),
            )
            return
        if name not in _SQL_TAKERS or not _is_spark_sql_taker(node, name, qualified, ctx):
            return
        for argument in node.args:
            text = string_constant(argument)
            if text is not None and _SQL_CALL.search(text):
                ctx.report(
                    node,
                    "`input_file_name()` in SQL is not supported on Unity Catalog; use the "
                    "`_metadata.file_path` column",
                )
                return


def _is_spark_sql_taker(node: ast.Call, name: str, qualified: str | None, ctx) -> bool:
    if name == "expr":
        return qualified == f"{_FUNCTIONS}.expr"
    if not isinstance(node.func, ast.Attribute):
        return False
    if name == "sql":
        return ctx.semantic.is_spark_session(node.func.value)
    return ctx.semantic.is_dataframe(node.func.value)


def _fix(node: ast.Call, ctx: RuleContext):
    edits = []
    if isinstance(node.func, ast.Attribute):
        col = f"{ctx.text(node.func.value)}.col"
    else:
        col = module_imports_name(ctx, f"{_FUNCTIONS}.col")
        if col is None:
            module = module_imports_name(ctx, _FUNCTIONS)
            if module is not None:
                col = f"{module}.col"
            elif name_is_free(ctx, node, "col"):
                col = "col"
                edits.append(import_edit(ctx, f"from {_FUNCTIONS} import col"))
            else:
                return None  # `col` is something else here
    edits.insert(0, ctx.replace(node, f"{col}({_REPLACEMENT_COLUMN})"))
    return ctx.fix('Replace with `col("_metadata.file_path")`', edits, applicability="unsafe")
