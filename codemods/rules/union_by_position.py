"""SPK110 union-by-position."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.types import Edit, Position
from codemods.rules.base import Invalid, Rule

_BY_POSITION = frozenset({"union", "unionAll"})


class UnionByPosition(Rule):
    """
    ## What it does
    Flags `a.union(b)` and `a.unionAll(b)` on DataFrames.

    ## Why is this bad?
    `union` matches columns by position, not by name. When the two sides list the same
    columns in another order, or one side gains a column, values land silently in the wrong
    column (an `amount` in `quantity`), as long as the types can be cast. Nothing fails; the
    data is wrong. `unionAll` is the same method under an old name.

    ## Example
    ```python
    all_orders = web_orders.union(store_orders)
    ```

    ## Use instead
    ```python
    all_orders = web_orders.unionByName(store_orders)
    ```
    Add `allowMissingColumns=True` when one side may lack columns that should become NULL.

    ## Fix safety
    The fix (`unionByName`) is unsafe: when the columns were deliberately matched by position
    under different names, the result changes (or fails on the names that differ).

    ## References
    - [DataFrame.union](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.union.html)
    - [DataFrame.unionByName](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.unionByName.html)
    """

    code = "SPK110"
    name = "union-by-position"
    severity = "warning"
    node_types = (ast.Call,)
    names = _BY_POSITION
    fixable = True

    valid = [
        """
        web = spark.table("sales.web_orders")
        store = spark.table("sales.store_orders")
        everything = web.unionByName(store, allowMissingColumns=True)
        """,
        # Python sets have a `union` too.
        """
        seen = {"a", "b"}
        everything = seen.union({"c"})
        """,
        # An unannotated parameter: unknown kind, silent.
        """
        def merge(left, right):
            return left.union(right)
        """,
        # A local `spark` that is not a session makes its results unknown.
        """
        spark = make_fake_session()
        merged = spark.table("a").union(spark.table("b"))
        """,
    ]
    invalid = [
        Invalid(
            """
            web = spark.table("sales.web_orders")
            store = spark.table("sales.store_orders")
            everything = web.union(store)
            """,
            at=[(3, 14)],
            unsafe=True,
            fixed="""
            web = spark.table("sales.web_orders")
            store = spark.table("sales.store_orders")
            everything = web.unionByName(store)
            """,
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def stack(first: DataFrame, second: DataFrame) -> DataFrame:
                return first.unionAll(second)
            """,
            at=[(4, 12)],
            unsafe=True,
            fixed="""
            from pyspark.sql import DataFrame

            def stack(first: DataFrame, second: DataFrame) -> DataFrame:
                return first.unionByName(second)
            """,
        ),
        # A multi-line chain: the finding starts with the chain, the fix touches the name only.
        Invalid(
            """
            import pyspark.sql.functions as F
            combined = (
                spark.read.parquet("/Volumes/main/raw/a")
                .select("id", F.col("amount"))
                .union(spark.table("b").select("id", "amount"))
            )
            """,
            at=[(3, 5)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F
            combined = (
                spark.read.parquet("/Volumes/main/raw/a")
                .select("id", F.col("amount"))
                .unionByName(spark.table("b").select("id", "amount"))
            )
            """,
        ),
        # A union of a union: both are flagged.
        Invalid(
            """
            a = spark.range(3)
            b = a.union(a).union(a)
            """,
            at=[(2, 5), (2, 5)],
            unsafe=True,
            fixed="""
            a = spark.range(3)
            b = a.unionByName(a).unionByName(a)
            """,
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or not ctx.semantic.is_dataframe(func.value):
            return
        end = ctx.end(func)
        name_start = Position(end.line, end.column - len(func.attr))
        fix = ctx.fix(
            "Replace with `unionByName`",
            [Edit(name_start, end, "unionByName")],
            applicability="unsafe",
        )
        ctx.report(
            node,
            f"`{func.attr}` matches columns by position, not by name",
            fix=fix,
        )
