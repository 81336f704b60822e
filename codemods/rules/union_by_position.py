"""SPK110 union-by-position."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.types import Edit, Position
from codemods.rules.base import Invalid, Rule

_BY_POSITION = frozenset({"union", "unionAll"})
# `reduce(DataFrame.union, frames)`: the method itself, passed as a function.
_UNBOUND = frozenset(
    f"{cls}.{method}"
    for cls in ("pyspark.sql.DataFrame", "pyspark.sql.dataframe.DataFrame")
    for method in _BY_POSITION
)


class UnionByPosition(Rule):
    """
    ## What it does
    Flags `a.union(b)` and `a.unionAll(b)` on DataFrames, and the method passed as a
    function: `reduce(DataFrame.union, frames)`.

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
    severity = "error"
    node_types = (ast.Call, ast.Attribute)
    names = _BY_POSITION
    fixable = True

    valid = [
        """
        web = spark.table("sales.web_orders")
        store = spark.table("sales.store_orders")
        everything = web.unionByName(store, allowMissingColumns=True)
        """,
        # Python sets have a `union` too, also as an unbound method.
        """
        from functools import reduce
        seen = {"a", "b"}
        everything = seen.union({"c"})
        merged = reduce(set.union, [seen, {"d"}])
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
        # `reduce(DataFrame.union, ...)` passes the method itself.
        Invalid(
            """
            from functools import reduce
            from pyspark.sql import DataFrame

            def stack_all(frames: list[DataFrame]) -> DataFrame:
                return reduce(DataFrame.union, frames)
            """,
            at=[(5, 19)],
            unsafe=True,
            fixed="""
            from functools import reduce
            from pyspark.sql import DataFrame

            def stack_all(frames: list[DataFrame]) -> DataFrame:
                return reduce(DataFrame.unionByName, frames)
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

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Attribute):
            parent = ctx.parent(node)
            if isinstance(parent, ast.Call) and parent.func is node:
                return  # a call: checked as one
            if ctx.semantic.qualified_name(node) in _UNBOUND:
                self._report(node, node, ctx)
            return
        func = node.func
        if isinstance(func, ast.Attribute) and ctx.semantic.is_dataframe(func.value):
            self._report(node, func, ctx)

    def _report(self, node: ast.AST, method: ast.Attribute, ctx: RuleContext) -> None:
        end = ctx.end(method)
        name_start = Position(end.line, end.column - len(method.attr))
        fix = ctx.fix(
            "Replace with `unionByName`",
            [Edit(name_start, end, "unionByName")],
            applicability="unsafe",
        )
        ctx.report(
            node,
            f"`{method.attr}` matches columns by position, not by name",
            fix=fix,
        )
