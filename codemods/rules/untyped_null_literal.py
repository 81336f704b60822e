"""SPK106 untyped-null-literal."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_LIT = frozenset({"pyspark.sql.functions.lit"})
# Column methods that name a column without giving it a type.
_NAMING_METHODS = frozenset({"alias", "name"})


class UntypedNullLiteral(Rule):
    """
    ## What it does
    Flags `F.lit(None)` without a `.cast(...)` where it becomes a whole column: the value of
    `withColumn` / `withColumns`, an argument of `select`, or a column named with `.alias`.

    ## Why is this bad?
    `lit(None)` has the type `void` (`NullType`). Writers reject such a column or lose it:
    CSV and JSON fail with `UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE` ("doesn't support the
    column of the type VOID"), Delta Lake does not store `void` columns, and a table created
    from the DataFrame gets a column nobody can insert a value into. The column's type is
    what the code should state.

    ## Example
    ```python
    orders = orders.withColumn("discount", F.lit(None))
    ```

    ## Use instead
    ```python
    orders = orders.withColumn("discount", F.lit(None).cast("decimal(10,2)"))
    ```

    ## Fix safety
    No fix: the type the column should have is the author's choice.

    ## References
    - [pyspark.sql.functions.lit](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.functions.lit.html)
    - [Spark SQL data types](https://spark.apache.org/docs/latest/sql-ref-datatypes.html)
    """

    code = "SPK106"
    name = "untyped-null-literal"
    severity = "error"
    node_types = (ast.Call,)
    names = frozenset({"lit"})

    valid = [
        """
        import pyspark.sql.functions as F
        orders = spark.table("sales.orders")
        orders = orders.withColumn("discount", F.lit(None).cast("decimal(10,2)"))
        """,
        # Inside an expression the NULL takes the other branch's type.
        """
        from pyspark.sql import functions as func
        df = spark.table("t")
        df = df.withColumn("x", func.when(func.col("a") > 0, func.col("a")).otherwise(func.lit(None)))
        df = df.select(func.coalesce("b", func.lit(None)).alias("b"))
        """,
        # A literal that is not None, and someone else's `lit`.
        """
        from pyspark.sql.functions import lit
        from mylib.sql import lit as my_lit
        df = spark.table("t").withColumn("source", lit("web")).withColumn("y", my_lit(None))
        """,
        # `withColumn` on something that is not a DataFrame.
        """
        from pyspark.sql.functions import lit
        builder = make_builder()
        builder.withColumn("x", lit(None))
        """,
    ]
    invalid = [
        Invalid(
            """
            import pyspark.sql.functions as F
            orders = spark.table("sales.orders")
            orders = orders.withColumn("discount", F.lit(None))
            """,
            at=[(3, 40)],
        ),
        Invalid(
            """
            from pyspark.sql.functions import col, lit
            from pyspark.sql import DataFrame

            def shape(events: DataFrame) -> DataFrame:
                return events.select(col("id"), lit(None).alias("parent_id"), lit(None))
            """,
            at=[(5, 37), (5, 67)],
        ),
        # A multi-line chain and `withColumns`.
        Invalid(
            """
            from pyspark.sql import functions as func
            result = (
                spark.read.parquet("/Volumes/main/raw/a")
                .withColumns({"note": func.lit(None), "n": func.lit(1)})
                .select("*")
            )
            """,
            at=[(4, 27)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F
            placeholder = F.lit(None).name("reserved")
            """,
            at=[(2, 15)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if len(node.args) != 1 or node.keywords:
            return
        value = node.args[0]
        if not (isinstance(value, ast.Constant) and value.value is None):
            return
        if ctx.semantic.qualified_name(node.func) not in _LIT:
            return
        if _becomes_whole_column(node, ctx):
            ctx.report(node, "`lit(None)` without a cast makes a `void` column")


def _becomes_whole_column(node: ast.Call, ctx: RuleContext) -> bool:
    parent = ctx.parent(node)
    # `lit(None).alias("x")`: a named column of type void.
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return parent.attr in _NAMING_METHODS
    # `withColumns({"x": lit(None)})`
    if isinstance(parent, ast.Dict) and any(value is node for value in parent.values):
        parent = ctx.parent(parent)
        return _is_dataframe_method(parent, "withColumns", ctx) and bool(parent.args)
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return False
    if _is_dataframe_method(parent, "select", ctx):
        return True
    return (
        _is_dataframe_method(parent, "withColumn", ctx)
        and len(parent.args) >= 2
        and parent.args[1] is node
    )


def _is_dataframe_method(call: ast.AST | None, method: str, ctx: RuleContext) -> bool:
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == method
        and ctx.semantic.is_dataframe(call.func.value)
    )
