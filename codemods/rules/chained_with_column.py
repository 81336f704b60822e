"""SPK204 chained-with-column."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.engine.types import Edit, Fix
from codemods.rules._spark_helpers import line_indent, offset_of, string_value
from codemods.rules.base import Invalid, Rule

_MIN_RUN = 4


class ChainedWithColumn(Rule):
    """
    ## What it does
    Flags four or more consecutive `.withColumn(...)` calls in one chain on a DataFrame.

    ## Why is this bad?
    Each `withColumn` adds a projection to the logical plan, and the analyzer re-resolves
    the whole plan at every step: a few dozen chained calls make planning take seconds or
    minutes, and very long chains end in a `StackOverflowError`. `withColumns` (Spark 3.3+)
    adds them all in one projection.

    ## Example
    ```python
    orders = (
        spark.table("sales.orders")
        .withColumn("net", F.col("amount") - F.col("discount"))
        .withColumn("year", F.year("ordered_at"))
        .withColumn("month", F.month("ordered_at"))
        .withColumn("source", F.lit("web"))
    )
    ```

    ## Use instead
    ```python
    orders = (
        spark.table("sales.orders")
        .withColumns(
            {
                "net": F.col("amount") - F.col("discount"),
                "year": F.year("ordered_at"),
                "month": F.month("ordered_at"),
                "source": F.lit("web"),
            }
        )
    )
    ```

    ## Fix safety
    The fix is unsafe: `withColumns` evaluates every expression against the DataFrame
    before the call, so it is offered only when no later expression in the run mentions a
    column an earlier call of the run creates (then the results are the same), when every
    name is a distinct string literal, and when no comment sits inside the run. The column
    order of the result is the same.

    ## References
    - [DataFrame.withColumns](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.withColumns.html)
    - [DataFrame.withColumn (note on calling it multiple times)](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.withColumn.html)
    """

    code = "SPK204"
    name = "chained-with-column"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"withColumn"})
    fixable = True

    valid = [
        # Three calls are fine.
        """
        import pyspark.sql.functions as F
        df = spark.table("t").withColumn("a", F.lit(1)).withColumn("b", F.lit(2))
        df = df.withColumn("c", F.lit(3))
        """,
        """
        from pyspark.sql import functions as F
        df = spark.table("t").withColumns({"a": F.lit(1), "b": F.lit(2), "c": F.lit(3)})
        """,
        # A run broken by another method is two short runs.
        """
        from pyspark.sql.functions import lit
        df = (
            spark.table("t")
            .withColumn("a", lit(1))
            .withColumn("b", lit(2))
            .filter("a > 0")
            .withColumn("c", lit(3))
            .withColumn("d", lit(4))
        )
        """,
        # Not a visible DataFrame: an unannotated parameter, a builder with the same method.
        """
        def enrich(frame):
            return frame.withColumn("a", 1).withColumn("b", 2).withColumn("c", 3).withColumn(
                "d", 4
            )
        """,
    ]
    invalid = [
        Invalid(
            """
            import pyspark.sql.functions as F
            orders = (
                spark.table("sales.orders")
                .withColumn("net", F.col("amount") - F.col("discount"))
                .withColumn("year", F.year("ordered_at"))
                .withColumn("month", F.month("ordered_at"))
                .withColumn("source", F.lit("web"))
            )
            """,
            at=[(3, 5)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F
            orders = (
                spark.table("sales.orders")
                .withColumns(
                    {
                        "net": F.col("amount") - F.col("discount"),
                        "year": F.year("ordered_at"),
                        "month": F.month("ordered_at"),
                        "source": F.lit("web"),
                    }
                )
            )
            """,
        ),
        # One line, a DataFrame parameter, `col` imported directly.
        Invalid(
            """
            from pyspark.sql import DataFrame
            from pyspark.sql.functions import col, lit

            def flags(df: DataFrame) -> DataFrame:
                return df.withColumn("a", lit(1)).withColumn("b", lit(2)).withColumn("c", col("x")).withColumn("d", lit(4))
            """,
            at=[(5, 12)],
            unsafe=True,
            fixed="""
            from pyspark.sql import DataFrame
            from pyspark.sql.functions import col, lit

            def flags(df: DataFrame) -> DataFrame:
                return df.withColumns({"a": lit(1), "b": lit(2), "c": col("x"), "d": lit(4)})
            """,
        ),
        # A later column uses one created earlier in the run: no fix.
        Invalid(
            """
            from pyspark.sql import functions as func
            df = (
                spark.read.parquet("/Volumes/main/raw/orders")
                .withColumn("net", func.col("amount") - 1)
                .withColumn("tax", func.col("net") * 0.2)
                .withColumn("day", func.to_date("ts"))
                .withColumn("gross", func.expr("net + tax"))
            )
            """,
            at=[(3, 5)],
        ),
        # A comment inside the run would be lost: no fix. Five calls, one finding.
        Invalid(
            """
            import pyspark.sql.functions as F
            df = (
                spark.table("t")
                .withColumn("a", F.lit(1))  # first
                .withColumn("b", F.lit(2))
                .withColumn("c", F.lit(3))
                .withColumn("d", F.lit(4))
                .withColumn("e", F.lit(5))
            )
            """,
            at=[(3, 5)],
        ),
        # The run starts mid-line on a DataFrame parameter.
        Invalid(
            """
            import pyspark.sql.functions as F
            from pyspark.sql import DataFrame

            def enrich(orders: DataFrame) -> DataFrame:
                return (
                    orders.withColumn("net", F.col("amount") - F.col("discount"))
                    .withColumn("year", F.year("ordered_at"))
                    .withColumn("month", F.month("ordered_at"))
                    .withColumn("day", F.dayofmonth("ordered_at"))
                )
            """,
            at=[(6, 9)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F
            from pyspark.sql import DataFrame

            def enrich(orders: DataFrame) -> DataFrame:
                return (
                    orders.withColumns(
                        {
                            "net": F.col("amount") - F.col("discount"),
                            "year": F.year("ordered_at"),
                            "month": F.month("ordered_at"),
                            "day": F.dayofmonth("ordered_at"),
                        }
                    )
                )
            """,
        ),
        # Computed column names cannot go in a literal dict safely: no fix.
        Invalid(
            """
            import pyspark.sql.functions as F
            name = "x"
            df = spark.table("t").withColumn(name, F.lit(1)).withColumn("b", F.lit(2)).withColumn(
                "c", F.lit(3)
            ).withColumn("d", F.lit(4)).select("*")
            """,
            at=[(3, 6)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if _continues_run(node, ctx):
            return  # only the outermost call of a run reports
        run = [node]
        inner = node.func.value  # type: ignore[union-attr]
        while _is_with_column(inner):
            run.append(inner)
            inner = inner.func.value
        if len(run) < _MIN_RUN or not ctx.semantic.is_dataframe(inner):
            return
        run.reverse()
        ctx.report(
            node,
            f"{len(run)} chained `withColumn` calls each add a projection to the plan; "
            "use one `withColumns({...})`",
            fix=_merge_fix(run, ctx),
        )


def _is_with_column(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "withColumn"
    )


def _continues_run(node: ast.Call, ctx: RuleContext) -> bool:
    parent = ctx.parent(node)
    if not isinstance(parent, ast.Attribute) or parent.attr != "withColumn":
        return False
    return _is_with_column(ctx.parent(parent))


def _merge_fix(run: list[ast.Call], ctx: RuleContext) -> Fix | None:
    pairs: list[tuple[str, ast.expr]] = []
    for call in run:
        if len(call.args) != 2 or call.keywords:
            return None
        name = string_value(call.args[0])
        if name is None or any(name == earlier for earlier, _ in pairs):
            return None
        if any(_mentions(call.args[1], earlier) for earlier, _ in pairs):
            return None
        pairs.append((name, call.args[1]))
    first, last = run[0], run[-1]
    source = ctx.source
    attribute_end = offset_of(ctx, first.func, end=True)
    dot = source.rfind(".", offset_of(ctx, first.func.value, end=True), attribute_end)
    end = offset_of(ctx, last, end=True)
    if dot < 0 or ctx.has_comment(dot, end):
        return None
    entries = [
        (repr(name) if '"' in name else f'"{name}"', ctx.text(value)) for name, value in pairs
    ]
    if first.lineno == last.end_lineno:
        body = ", ".join(f"{key}: {value}" for key, value in entries)
        content = f".withColumns({{{body}}})"
    else:
        indent = line_indent(ctx, dot)
        lines = [".withColumns(", f"{indent}    {{"]
        lines += [f"{indent}        {key}: {value}," for key, value in entries]
        lines += [f"{indent}    }}", f"{indent})"]
        content = "\n".join(lines)
    start_position = ctx.lines.position_of_offset(dot)
    end_position = ctx.lines.position_of_offset(end)
    return ctx.fix(
        "Merge into one `withColumns({...})`",
        [Edit(start_position, end_position, content)],
        applicability="unsafe",
    )


def _mentions(value: ast.AST, column: str) -> bool:
    """Whether the expression may refer to the column `column`: a string naming it (also
    inside a SQL expression string) or an attribute of that name."""
    word = re.compile(rf"(?<![\w.]){re.escape(column)}(?!\w)")
    for node in ast.walk(value):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if word.search(node.value):
                return True
        elif isinstance(node, ast.Attribute) and node.attr == column:
            return True
    return False
