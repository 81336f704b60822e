"""SPK103 bitwise-operator-precedence."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.types import Edit
from codemods.rules.base import Invalid, Rule

_BIT_OPERATORS = (ast.BitAnd, ast.BitOr, ast.BitXor)


class _Part:
    """An operand or operator of the comparison as the author wrote it, left to right."""

    __slots__ = ("bit", "node")

    def __init__(self, node: ast.AST | None, *, bit: bool = False) -> None:
        self.node = node  # the operand; None for an operator
        self.bit = bit  # an `&` / `|` / `^` between operands


class BitwiseOperatorPrecedence(Rule):
    """
    ## What it does
    Flags a comparison of Columns written next to `&` or `|` without parentheses:
    `F.col("a") > 1 & F.col("b") < 2`.

    ## Why is this bad?
    In Python `&`, `|` and `^` bind tighter than `==`, `<`, `>`. The example means
    `F.col("a") > (1 & F.col("b")) < 2`, a chained comparison, which raises `ValueError`
    ("Cannot convert column into bool"), or, with a single comparison
    (`F.col("a") == "x" | F.col("b").isNull()`), silently compares with the wrong value.

    ## Example
    ```python
    recent = orders.filter(F.col("year") >= 2024 & F.col("status") == "paid")
    ```

    ## Use instead
    ```python
    recent = orders.filter((F.col("year") >= 2024) & (F.col("status") == "paid"))
    ```

    ## Fix safety
    The fix puts each comparison in parentheses. It is safe: the original either raises or
    compares with a bitwise combination of the operands, which is never what such code
    means. When a part is itself a chained comparison no fix is offered.

    ## References
    - [Python operator precedence](https://docs.python.org/3/reference/expressions.html#operator-precedence)
    - [Column operators](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/column.html)
    """

    code = "SPK103"
    name = "bitwise-operator-precedence"
    severity = "error"
    node_types = (ast.Compare,)
    fixable = True

    valid = [
        """
        from pyspark.sql import functions as F
        orders = spark.table("sales.orders")
        recent = orders.filter((F.col("year") >= 2024) & (F.col("status") == "paid"))
        """,
        # Plain Python bit tests are what the precedence is for.
        """
        flags = 6
        if flags & 4 == 4 and flags | 1 > 2:
            pass
        """,
        # Parentheses that say what is meant.
        """
        import pyspark.sql.functions as func
        masked = func.col("flags") == (func.col("a") & func.col("b"))
        """,
        # Unknown kinds (unannotated parameters): silent.
        """
        def both(a, b):
            return a > 1 & b < 2
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import functions as F
            orders = spark.table("sales.orders")
            recent = orders.filter(F.col("year") >= 2024 & F.col("status") == "paid")
            """,
            at=[(3, 24)],
            fixed="""
            from pyspark.sql import functions as F
            orders = spark.table("sales.orders")
            recent = orders.filter((F.col("year") >= 2024) & (F.col("status") == "paid"))
            """,
        ),
        Invalid(
            """
            from pyspark.sql.functions import col
            suspicious = col("country") == "NL" | col("vat_id").isNull()
            """,
            at=[(2, 14)],
            fixed="""
            from pyspark.sql.functions import col
            suspicious = (col("country") == "NL") | col("vat_id").isNull()
            """,
        ),
        # A multi-line condition keeps its layout; three parts, `&` before `|`.
        Invalid(
            """
            import pyspark.sql.functions as func
            df = spark.table("events")
            kept = df.where(
                func.col("kind") == "click"
                & func.col("ms") > 100
                | func.col("forced")
            )
            """,
            at=[(4, 5)],
            fixed="""
            import pyspark.sql.functions as func
            df = spark.table("events")
            kept = df.where(
                (func.col("kind") == "click")
                & (func.col("ms") > 100)
                | func.col("forced")
            )
            """,
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def valid_rows(df: DataFrame) -> DataFrame:
                return df.filter(df.amount > 0 & (df.currency) != "XXX")
            """,
            at=[(4, 22)],
            fixed="""
            from pyspark.sql import DataFrame

            def valid_rows(df: DataFrame) -> DataFrame:
                return df.filter((df.amount > 0) & ((df.currency) != "XXX"))
            """,
        ),
        # A part that is a chained comparison: flagged, no fix.
        Invalid(
            """
            from pyspark.sql.functions import col
            odd = col("a") > 1 & 0 < col("b") < 5
            """,
            at=[(2, 7)],
        ),
    ]

    def check(self, node: ast.Compare, ctx: RuleContext) -> None:
        operands = (node.left, *node.comparators)
        if not any(isinstance(operand, ast.BinOp) for operand in operands):
            return  # most comparisons: nothing to split
        parts = _flatten(node, ctx)
        if not any(part.bit for part in parts):
            return
        if not any(part.node is not None and ctx.semantic.is_column(part.node) for part in parts):
            return
        groups: list[list[_Part]] = [[]]
        for part in parts:
            if part.bit:
                groups.append([])
            else:
                groups[-1].append(part)
        fix = None
        if all(len(group) <= 3 for group in groups):
            edits: list[Edit] = []
            for group in groups:
                if len(group) > 1:  # a comparison: wrap it
                    start = ctx.lines.position_of_offset(_outer_range(group[0].node, ctx)[0])
                    end = ctx.lines.position_of_offset(_outer_range(group[-1].node, ctx)[1])
                    edits += [Edit(start, start, "("), Edit(end, end, ")")]
            fix = ctx.fix("Parenthesize each comparison", edits)
        ctx.report(
            node,
            "`&` / `|` bind tighter than comparisons: this compares with a bitwise combination",
            fix=fix,
        )


def _flatten(node: ast.Compare, ctx: RuleContext) -> list[_Part]:
    """Operands and comparison operators left to right, with every `&`/`|`/`^` written
    without parentheses inside an operand split out as a separator."""
    parts = _expand(node.left, ctx)
    for operand in node.comparators:
        parts.append(_Part(None))
        parts.extend(_expand(operand, ctx))
    return parts


def _expand(expr: ast.AST, ctx: RuleContext) -> list[_Part]:
    if (
        isinstance(expr, ast.BinOp)
        and isinstance(expr.op, _BIT_OPERATORS)
        and not _is_parenthesized(expr, ctx)
    ):
        bit = _Part(None, bit=True)
        return [*_expand(expr.left, ctx), bit, *_expand(expr.right, ctx)]
    return [_Part(expr)]


def _is_parenthesized(expr: ast.AST, ctx: RuleContext) -> bool:
    start, end = _range(expr, ctx)
    return ctx.source[:start].rstrip().endswith("(") and ctx.source[end:].lstrip().startswith(")")


def _range(expr: ast.AST, ctx: RuleContext) -> tuple[int, int]:
    return ctx.lines.offset(ctx.start(expr)), ctx.lines.offset(ctx.end(expr))


def _outer_range(expr: ast.AST, ctx: RuleContext) -> tuple[int, int]:
    """The range of `expr` including the parentheses written around it."""
    start, end = _range(expr, ctx)
    source = ctx.source
    while True:
        before = source[:start].rstrip()
        after_offset = end + (len(source[end:]) - len(source[end:].lstrip()))
        if not (before.endswith("(") and source[after_offset : after_offset + 1] == ")"):
            return start, end
        start, end = len(before) - 1, after_offset + 1
