"""SPK107 ambiguous-join-columns."""

from __future__ import annotations

import ast
import json

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule


class AmbiguousJoinColumns(Rule):
    """
    ## What it does
    Flags a join whose condition compares two columns of the same name, one from each side:
    `a.join(b, a.id == b.id)`, `a["id"] == b["id"]`, several such equalities joined with `&`
    or given as a list.

    ## Why is this bad?
    A join on an expression keeps both key columns, so the result has two columns called
    `id`. The next `select("id")` or `F.col("id")` fails with `AMBIGUOUS_REFERENCE`, a write
    to a table fails on the duplicate name, and `toPandas()` silently keeps both. Joining on
    the column name (`on="id"`) keeps one.

    ## Example
    ```python
    enriched = orders.join(customers, orders.customer_id == customers.customer_id)
    ```

    ## Use instead
    ```python
    enriched = orders.join(customers, on="customer_id")
    ```

    ## Fix safety
    The fix (`on="<name>"` or `on=[...]`) is unsafe: the result loses one of the two key
    columns and, for outer joins, the key that remains is the non-NULL one of the two
    (`coalesce`), which code reading `b.id` afterwards may not expect.

    ## References
    - [DataFrame.join](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.join.html)
    - [Databricks: prevent duplicated columns when joining](https://kb.databricks.com/data/join-two-dataframes-duplicated-columns)
    """

    code = "SPK107"
    name = "ambiguous-join-columns"
    severity = "error"
    node_types = (ast.Call,)
    names = frozenset({"join"})
    fixable = True

    valid = [
        """
        orders = spark.table("sales.orders")
        customers = spark.table("sales.customers")
        enriched = orders.join(customers, on="customer_id", how="left")
        """,
        # Keys with different names: no duplicate column.
        """
        orders = spark.table("sales.orders")
        customers = spark.table("sales.customers")
        enriched = orders.join(customers, orders.customer_id == customers.id)
        """,
        # Not DataFrames (unannotated parameters), and str.join.
        """
        def combine(a, b):
            return a.join(b, a.id == b.id)
        text = ",".join(["a.id", "b.id"])
        """,
        # A non-equality condition on the same name is a range join: both columns matter.
        """
        a = spark.table("prices")
        b = spark.table("prices_previous")
        moved = a.join(b, a.price > b.price)
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = spark.table("sales.orders")
            customers = spark.table("sales.customers")
            enriched = orders.join(customers, orders.customer_id == customers.customer_id)
            """,
            at=[(3, 35)],
            unsafe=True,
            fixed="""
            orders = spark.table("sales.orders")
            customers = spark.table("sales.customers")
            enriched = orders.join(customers, on="customer_id")
            """,
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def attach(left: DataFrame, right: DataFrame) -> DataFrame:
                return left.join(
                    right,
                    (left["id"] == right["id"]) & (right.day == left.day),
                    "left",
                )
            """,
            at=[(6, 9)],
            unsafe=True,
            fixed="""
            from pyspark.sql import DataFrame

            def attach(left: DataFrame, right: DataFrame) -> DataFrame:
                return left.join(
                    right,
                    ["id", "day"],
                    "left",
                )
            """,
        ),
        Invalid(
            """
            a = spark.read.parquet("/Volumes/main/raw/a")
            b = spark.read.parquet("/Volumes/main/raw/b")
            joined = a.join(b, on=[a.id == b.id, a.day == b.day], how="inner")
            """,
            at=[(3, 23)],
            unsafe=True,
            fixed="""
            a = spark.read.parquet("/Volumes/main/raw/a")
            b = spark.read.parquet("/Volumes/main/raw/b")
            joined = a.join(b, on=["id", "day"], how="inner")
            """,
        ),
        # One key shares its name, the other does not: flagged, no fix.
        Invalid(
            """
            a = spark.table("a")
            b = spark.table("b")
            joined = a.join(b, (a.id == b.id) & (a.day == b.event_day))
            """,
            at=[(3, 20)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or not node.args:
            return
        left, right = func.value, node.args[0]
        condition, keyword = _condition(node)
        equalities = None if condition is None else _equalities(condition)
        if not equalities:  # the cheap, syntactic test first
            return
        if not ctx.semantic.is_dataframe(left) or not ctx.semantic.is_dataframe(right):
            return
        frames = (ctx.text(left), ctx.text(right))
        if frames[0] == frames[1]:
            return
        shared: list[str] = []
        other_keys = False
        for equality in equalities:
            name = _shared_key(equality, frames, ctx)
            if name is None:
                other_keys = True
            elif name not in shared:
                shared.append(name)
        if not shared:
            return
        fix = None
        if not other_keys:
            names = json.dumps(shared[0] if len(shared) == 1 else shared)
            # A positional condition followed by a positional `how` must stay positional.
            named = keyword is None and condition is node.args[-1]
            content = f"on={names}" if named else names
            fix = ctx.fix(
                f"Join on {names}", [ctx.replace(condition, content)], applicability="unsafe"
            )
        listed = ", ".join(f"`{name}`" for name in shared)
        ctx.report(condition, f"The join keeps both {listed} columns, one from each side", fix=fix)


def _condition(call: ast.Call) -> tuple[ast.AST | None, str | None]:
    if len(call.args) >= 2:
        return call.args[1], None
    for keyword in call.keywords:
        if keyword.arg == "on":
            return keyword.value, "on"
    return None, None


def _equalities(condition: ast.AST) -> list[ast.Compare] | None:
    """The `==` comparisons a condition is made of (`&` and lists); None for anything else."""
    if isinstance(condition, ast.List):
        parts = [_equalities(element) for element in condition.elts]
        if any(part is None for part in parts):
            return None
        return [equality for part in parts for equality in part or ()]
    if isinstance(condition, ast.BinOp) and isinstance(condition.op, ast.BitAnd):
        left, right = _equalities(condition.left), _equalities(condition.right)
        return None if left is None or right is None else left + right
    if (
        isinstance(condition, ast.Compare)
        and len(condition.ops) == 1
        and isinstance(condition.ops[0], ast.Eq)
    ):
        return [condition]
    return None


def _shared_key(equality: ast.Compare, frames: tuple[str, str], ctx: RuleContext) -> str | None:
    """The column name when `equality` is `<one frame>.<name> == <other frame>.<name>`."""
    sides = [_column_of(equality.left, ctx), _column_of(equality.comparators[0], ctx)]
    if None in sides:
        return None
    (frame_a, name_a), (frame_b, name_b) = sides  # type: ignore[misc]
    if name_a != name_b or {frame_a, frame_b} != set(frames):
        return None
    return name_a


def _column_of(expr: ast.AST, ctx: RuleContext) -> tuple[str, str] | None:
    """(frame text, column name) for `frame.name` and `frame["name"]`."""
    if isinstance(expr, ast.Attribute):
        frame, name = expr.value, expr.attr
    elif (
        isinstance(expr, ast.Subscript)
        and isinstance(expr.slice, ast.Constant)
        and isinstance(expr.slice.value, str)
    ):
        frame, name = expr.value, expr.slice.value
    else:
        return None
    if not ctx.semantic.is_column(expr):
        return None
    return ctx.text(frame), name
