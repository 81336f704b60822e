"""SPK101 column-compared-to-none."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

# Expressions that need no parentheses before `.isNull()`.
_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)
_FILTER_METHODS = frozenset({"filter", "where"})


class ColumnComparedToNone(Rule):
    """
    ## What it does
    Flags a Spark Column compared to `None` with `==` or `!=`, such as
    `F.col("x") == None` or `df.x != None`.

    ## Why is this bad?
    In Spark SQL any comparison with NULL is NULL, never true. `F.col("x") == None` is the
    column expression `x = NULL`: a `filter` with it drops every row, a `when` never matches,
    and a derived column is NULL everywhere. Python's `is None` is no better: it compares the
    Column object itself and is always `False`.

    ## Example
    ```python
    from pyspark.sql import functions as F

    missing = orders.filter(F.col("customer_id") == None)
    ```

    ## Use instead
    ```python
    missing = orders.filter(F.col("customer_id").isNull())
    ```

    ## Fix safety
    Replaces `== None` with `.isNull()` and `!= None` with `.isNotNull()`. Inside the
    condition of `filter` or `where` the fix is safe: the original keeps no row at all, so
    the fix can only be what was meant. Elsewhere (a `select`, `withColumn` or `when`) the
    fix changes the values of the column from NULL to true/false, so it is unsafe.

    ## References
    - [Column.isNull](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.Column.isNull.html)
    - [NULL semantics](https://spark.apache.org/docs/latest/sql-ref-null-semantics.html)
    """

    code = "SPK101"
    name = "column-compared-to-none"
    severity = "error"
    node_types = (ast.Compare,)
    fixable = True

    valid = [
        """
        from pyspark.sql import functions as F
        df = spark.table("sales.orders")
        df.filter(F.col("customer_id").isNull())
        """,
        # A plain Python value compared to None is fine.
        """
        value = compute()
        if value == None:
            pass
        """,
        # `col` here is a local function, not pyspark's.
        """
        def col(name):
            return name
        flag = col("x") == None
        """,
        # A parameter that merely shares a conventional name is not a Column.
        """
        def check(row, F):
            return F.col("x") == None
        """,
        # `is None` compares the Python object, a different mistake (and not this rule).
        """
        import pyspark.sql.functions as F
        ok = F.col("x").isNotNull()
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import functions as F
            df = spark.table("sales.orders")
            missing = df.filter(F.col("customer_id") == None)
            """,
            at=[(3, 21)],
            fixed="""
            from pyspark.sql import functions as F
            df = spark.table("sales.orders")
            missing = df.filter(F.col("customer_id").isNull())
            """,
        ),
        Invalid(
            """
            import pyspark.sql.functions as func
            df = spark.read.parquet("/Volumes/main/raw/orders")
            kept = df.where((func.col("a") != None) & (None == func.col("b")))
            """,
            at=[(3, 18), (3, 44)],
            fixed="""
            import pyspark.sql.functions as func
            df = spark.read.parquet("/Volumes/main/raw/orders")
            kept = df.where((func.col("a").isNotNull()) & (func.col("b").isNull()))
            """,
        ),
        # Outside a filter the fix changes values from NULL to booleans: unsafe.
        Invalid(
            """
            from pyspark.sql.functions import col
            from pyspark.sql import DataFrame

            def flag(orders: DataFrame) -> DataFrame:
                return orders.withColumn("no_customer", col("customer_id") == None)
            """,
            at=[(5, 45)],
            unsafe=True,
            fixed="""
            from pyspark.sql.functions import col
            from pyspark.sql import DataFrame

            def flag(orders: DataFrame) -> DataFrame:
                return orders.withColumn("no_customer", col("customer_id").isNull())
            """,
        ),
        # `df.amount` is a Column of a known DataFrame; a multi-line chain.
        Invalid(
            """
            df = (
                spark.table("sales.orders")
                .select("id", "amount")
            )
            empty = df.filter(
                df.amount
                == None
            )
            """,
            at=[(6, 5)],
            fixed="""
            df = (
                spark.table("sales.orders")
                .select("id", "amount")
            )
            empty = df.filter(
                df.amount.isNull()
            )
            """,
        ),
        # Arithmetic on a column needs parentheses before the method call.
        Invalid(
            """
            from pyspark.sql import functions as F
            df = spark.table("t")
            bad = df.filter(F.col("a") + 1 == None)
            """,
            at=[(3, 17)],
            fixed="""
            from pyspark.sql import functions as F
            df = spark.table("t")
            bad = df.filter((F.col("a") + 1).isNull())
            """,
        ),
    ]

    def check(self, node: ast.Compare, ctx: RuleContext) -> None:
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            return
        left, right = node.left, node.comparators[0]
        if _is_none(right):
            column = left
        elif _is_none(left):
            column = right
        else:
            return
        if not ctx.semantic.is_column(column):
            return
        method = "isNull" if isinstance(node.ops[0], ast.Eq) else "isNotNull"
        operator = "==" if method == "isNull" else "!="
        text = ctx.text(column)
        if not isinstance(column, _ATOMS):
            text = f"({text})"
        safe = _inside_filter_condition(node, ctx)
        fix = ctx.fix(
            f"Replace with `.{method}()`",
            [ctx.replace(node, f"{text}.{method}()")],
            applicability="safe" if safe else "unsafe",
        )
        ctx.report(
            node,
            f"Column compared to `None` with `{operator}` is always NULL; use `.{method}()`",
            fix=fix,
        )


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _inside_filter_condition(node: ast.AST, ctx: RuleContext) -> bool:
    """Whether `node` is (a part joined by `&`, `|`, `~` of) the condition of
    `<DataFrame>.filter(...)` / `.where(...)`."""
    child = node
    parent = ctx.parent(node)
    while (isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.BitAnd, ast.BitOr))) or (
        isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Invert)
    ):
        child, parent = parent, ctx.parent(parent)
    if not (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute)):
        return False
    if parent.func.attr not in _FILTER_METHODS or child not in parent.args:
        return False
    return ctx.semantic.is_dataframe(parent.func.value)
