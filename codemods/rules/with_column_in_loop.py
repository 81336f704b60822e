"""SPK203 with-column-in-loop."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.engine.types import Fix
from codemods.rules._spark_helpers import offset_of
from codemods.rules.base import Invalid, Rule

_MERGED = {"withColumn": "withColumns", "withColumnRenamed": "withColumnsRenamed"}
# Iterables that read the same inside a comprehension without parentheses.
_BARE_ITERABLES = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Dict, ast.Set)


class WithColumnInLoop(Rule):
    """
    ## What it does
    Flags, inside a `for` or `while` body, a DataFrame name re-assigned from a chain that
    starts with that name's `.withColumn(...)` or `.withColumnRenamed(...)`:
    `df = df.withColumn(c, ...)`.

    ## Why is this bad?
    Every iteration wraps the plan in one more projection. With a few dozen columns the
    analyzer spends seconds to minutes re-resolving the ever deeper plan on each step, and
    long loops end in a `StackOverflowError` on the driver. `withColumns` and
    `withColumnsRenamed` (Spark 3.3+/3.4+) take all columns at once, in one projection.

    ## Example
    ```python
    for name in string_columns:
        df = df.withColumn(name, F.trim(F.col(name)))
    ```

    ## Use instead
    ```python
    df = df.withColumns({name: F.trim(F.col(name)) for name in string_columns})
    ```

    ## Fix safety
    The fix is unsafe: `withColumns` evaluates every expression against the DataFrame
    before the loop, so an iteration that reads a column an earlier iteration created, or an
    iterable that repeats a name, gives a different result. It is offered only for a `for`
    loop whose whole body is the one re-assignment, with no `else`, no comment, and a loop
    variable not used after the loop.

    ## References
    - [DataFrame.withColumns](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.withColumns.html)
    - [DataFrame.withColumnsRenamed](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.withColumnsRenamed.html)
    - [DataFrame.withColumn (note on loops)](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.withColumn.html)
    """

    code = "SPK203"
    name = "with-column-in-loop"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset(_MERGED)
    fixable = True

    valid = [
        """
        import pyspark.sql.functions as F
        df = spark.table("t")
        df = df.withColumns({c: F.trim(F.col(c)) for c in ["a", "b"]})
        """,
        # A new name each time, or the result kept elsewhere, does not grow one plan.
        """
        import pyspark.sql.functions as F
        df = spark.table("t")
        frames = []
        for c in ["a", "b"]:
            frames.append(df.withColumn(c, F.lit(1)))
        """,
        # Not a visible DataFrame (an unannotated parameter, a pandas-like object).
        """
        def widen(frame, names):
            for name in names:
                frame = frame.withColumn(name, 1)
            return frame
        """,
        # Outside a loop, and inside a function defined in a loop.
        """
        from pyspark.sql.functions import lit
        df = spark.table("t")
        df = df.withColumn("a", lit(1))
        for i in range(3):
            def add(frame=df):
                frame = frame.withColumn("x", lit(i))
                return frame
        """,
    ]
    invalid = [
        Invalid(
            """
            import pyspark.sql.functions as F
            df = spark.table("sales.customers")
            for name in ["first_name", "last_name"]:
                df = df.withColumn(name, F.trim(F.col(name)))
            """,
            at=[(4, 5)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F
            df = spark.table("sales.customers")
            df = df.withColumns({name: F.trim(F.col(name)) for name in ["first_name", "last_name"]})
            """,
        ),
        # Renames in a loop, over a DataFrame parameter.
        Invalid(
            """
            from pyspark.sql import DataFrame

            def rename(df: DataFrame, mapping: dict) -> DataFrame:
                for old, new in mapping.items():
                    df = df.withColumnRenamed(old, new)
                return df
            """,
            at=[(5, 9)],
            unsafe=True,
            fixed="""
            from pyspark.sql import DataFrame

            def rename(df: DataFrame, mapping: dict) -> DataFrame:
                df = df.withColumnsRenamed({old: new for old, new in mapping.items()})
                return df
            """,
        ),
        # A `while` loop and a longer chain: flagged, no fix.
        Invalid(
            """
            from pyspark.sql import functions as func
            df = spark.read.parquet("/Volumes/main/raw/orders")
            i = 0
            while i < 10:
                df = df.withColumn(f"lag_{i}", func.lag("amount", i).over(w)).filter("x")
                i += 1
            """,
            at=[(5, 5)],
        ),
        # The loop does more than the re-assignment, and the loop variable is used after it.
        Invalid(
            """
            from pyspark.sql.functions import col
            df = spark.table("t")
            for c in df.columns:
                print(c)
                df = df.withColumn(
                    c,
                    col(c).cast("string"),
                )
            for c in ["a"]:
                df = df.withColumn(c, col(c))
            print(c)
            """,
            at=[(5, 5), (10, 5)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        root = node.func.value  # type: ignore[union-attr]
        if not isinstance(root, ast.Name):
            return
        # Climb the chain that starts here to the statement that holds it.
        top: ast.AST = node
        parent = ctx.parent(node)
        while (isinstance(parent, ast.Attribute) and parent.value is top) or (
            isinstance(parent, ast.Call) and parent.func is top
        ):
            top, parent = parent, ctx.parent(parent)
        if not (
            isinstance(parent, ast.Assign)
            and parent.value is top
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
            and parent.targets[0].id == root.id
        ):
            return
        loop = ctx.semantic.enclosing_loop(parent)
        if loop is None or not ctx.semantic.is_dataframe(root):
            return
        method = node.func.attr  # type: ignore[union-attr]
        ctx.report(
            parent,
            f"`{root.id} = {root.id}.{method}(...)` in a loop adds a projection to the plan on "
            f"every iteration; use one `{_MERGED[method]}({{...}})`",
            fix=_merge_fix(loop, parent, node, ctx),
        )


def _merge_fix(loop: ast.AST, assign: ast.Assign, call: ast.Call, ctx: RuleContext) -> Fix | None:
    if not isinstance(loop, ast.For) or loop.orelse or loop.body != [assign]:
        return None
    if assign.value is not call or len(call.args) != 2 or call.keywords:
        return None
    start, end = offset_of(ctx, loop), offset_of(ctx, loop, end=True)
    if ctx.has_comment(start, end) or _loop_names_used_elsewhere(loop, ctx):
        return None
    key, value = (ctx.text(argument) for argument in call.args)
    if isinstance(call.args[1], (ast.IfExp, ast.Lambda, ast.NamedExpr)):
        value = f"({value})"
    iterable = ctx.text(loop.iter)
    if not isinstance(loop.iter, _BARE_ITERABLES):
        iterable = f"({iterable})"
    name = assign.targets[0].id  # type: ignore[attr-defined]
    method = _MERGED[call.func.attr]  # type: ignore[attr-defined]
    content = (
        f"{name} = {name}.{method}({{{key}: {value} for {ctx.text(loop.target)} in {iterable}}})"
    )
    return ctx.fix(
        f"Replace the loop with one `{method}({{...}})`",
        [ctx.replace(loop, content)],
        applicability="unsafe",
    )


def _loop_names_used_elsewhere(loop: ast.For, ctx: RuleContext) -> bool:
    """Whether a loop variable may be read outside the loop (the comprehension would not
    bind it) in the scope that holds the loop. A text search: any mention counts, which only
    ever withholds the fix, and costs far less than walking the scope's tree."""
    names = [n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)]
    scope = ctx.semantic.enclosing_scope(loop)
    if isinstance(scope, ast.Module):
        scope_start, scope_end = 0, len(ctx.source)
    else:
        scope_start, scope_end = offset_of(ctx, scope), offset_of(ctx, scope, end=True)
    loop_start, loop_end = offset_of(ctx, loop), offset_of(ctx, loop, end=True)
    pattern = re.compile(rf"(?<![\w.])(?:{'|'.join(map(re.escape, names))})(?!\w)")
    source = ctx.source
    return bool(
        pattern.search(source, scope_start, loop_start)
        or pattern.search(source, loop_end, scope_end)
    )
