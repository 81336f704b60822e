"""SPK102 column-used-as-python-bool."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

# Expressions that need no parentheses as an operand of `&`, `|` or `~`.
_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)
_BITWISE = {ast.And: "&", ast.Or: "|"}
_KEYWORD = {ast.And: "and", ast.Or: "or"}


class ColumnUsedAsPythonBool(Rule):
    """
    ## What it does
    Flags a Spark Column whose Python truth value is asked for: an operand of `and` / `or`
    (all but the last), the operand of `not`, the middle of a chained comparison
    (`0 < F.col("x") < 10`), and the test of `if`, `while`, `assert` or a conditional
    expression.

    ## Why is this bad?
    A Column is an expression to be evaluated later on the cluster; it has no truth value
    now. Python's `and`, `or`, `not` and `if` call `bool()` on it, which raises
    `ValueError: Cannot convert column into bool: please use '&' for 'and', '|' for 'or',
    '~' for 'not'`. The line fails every time it runs, often in a rarely taken branch.

    ## Example
    ```python
    active = customers.filter(F.col("active") and F.col("country") == "NL")
    ```

    ## Use instead
    ```python
    active = customers.filter(F.col("active") & (F.col("country") == "NL"))
    ```
    A chained comparison becomes `F.col("x").between(0, 10)` or two comparisons joined
    with `&`; a Column in an `if` test is usually meant as `F.when(...)`.

    ## Fix safety
    `and`, `or` and `not` on Columns are replaced with `&`, `|` and `~`, each operand in
    parentheses. The fix is safe: the original raises every time, and the bitwise
    operators are what Spark means by these words. Chained comparisons and `if` tests get no
    fix: what they should become depends on the intent.

    ## References
    - [Column operators](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/column.html)
    - [PySpark: boolean expressions](https://spark.apache.org/docs/latest/api/python/user_guide/sql/type_conversions.html)
    """

    code = "SPK102"
    name = "column-used-as-python-bool"
    severity = "error"
    node_types = (ast.BoolOp, ast.UnaryOp, ast.Compare, ast.If, ast.While, ast.Assert, ast.IfExp)
    fixable = True

    valid = [
        """
        from pyspark.sql import functions as F
        customers = spark.table("crm.customers")
        active = customers.filter(F.col("active") & (F.col("country") == "NL"))
        """,
        # Python booleans and values are fine with `and`, `not` and `if`.
        """
        import pyspark.sql.functions as F
        debug = False
        limit = 10
        if debug and limit > 5 or not debug:
            pass
        cond = F.col("a") > 1 if limit else F.col("b") > 2
        """,
        # A local `col` function, and a DataFrame's truthiness is not a Column's.
        """
        def col(name):
            return name
        flag = col("x") and col("y")
        """,
        # Unknown kinds (unannotated parameters) stay silent.
        """
        def both(left, right):
            return left and right
        """,
        # A chain made by `&` without parentheses is SPK103's finding, not this rule's.
        """
        from pyspark.sql.functions import col
        odd = col("a") > 1 & col("b") < 2
        """,
        # `is None` on a Column is a different mistake; `in` on a list is plain Python.
        """
        from pyspark.sql.functions import col
        value = col("x")
        missing = value is None and "x" in ["x"]
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import functions as F
            customers = spark.table("crm.customers")
            active = customers.filter(F.col("active") and F.col("country") == "NL")
            """,
            at=[(3, 27)],
            fixed="""
            from pyspark.sql import functions as F
            customers = spark.table("crm.customers")
            active = customers.filter(F.col("active") & (F.col("country") == "NL"))
            """,
        ),
        # Nested `or` / `and` / `not` make one finding and one fix.
        Invalid(
            """
            import pyspark.sql.functions as func
            df = spark.table("events")
            kept = df.where(
                (func.col("kind") == "click" or func.col("kind") == "view")
                and not func.col("bot")
            )
            """,
            at=[(4, 5)],
            fixed="""
            import pyspark.sql.functions as func
            df = spark.table("events")
            kept = df.where(
                ((func.col("kind") == "click") | (func.col("kind") == "view"))
                & ~func.col("bot")
            )
            """,
        ),
        Invalid(
            """
            from pyspark.sql.functions import col
            in_range = 0 < col("amount") < 100
            """,
            at=[(2, 12)],
        ),
        # Truth tests of a Column: no fix.
        Invalid(
            """
            from pyspark.sql import Column, DataFrame

            def label(df: DataFrame, flag: Column) -> DataFrame:
                if flag:
                    return df
                assert df.amount > 0
                return df.withColumn("x", "yes" if df.amount > 0 else "no")
            """,
            at=[(4, 8), (6, 12), (7, 40)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F
            df = spark.table("t")
            inverted = df.filter(not (df.amount > 0))
            """,
            at=[(3, 22)],
            fixed="""
            import pyspark.sql.functions as F
            df = spark.table("t")
            inverted = df.filter(~(df.amount > 0))
            """,
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, (ast.BoolOp, ast.UnaryOp)):
            self._check_operator(node, ctx)
        elif isinstance(node, ast.Compare):
            self._check_chain(node, ctx)
        elif ctx.semantic.is_column(node.test):
            ctx.report(node.test, "A Column has no truth value: this test raises `ValueError`")

    def _check_operator(self, node: ast.BoolOp | ast.UnaryOp, ctx: RuleContext) -> None:
        if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.Not):
            return
        if not _truth_tests_column(node, ctx):
            return
        parent = ctx.parent(node)
        if isinstance(parent, (ast.BoolOp, ast.UnaryOp)) and _truth_tests_column(parent, ctx):
            return  # the outermost operator reports, and its fix covers this one
        fix = None
        if _is_columnish(node, ctx):
            text = _bitwise(node, ctx)
            fix = ctx.fix(f"Replace with `{_operator_words(node)}`", [ctx.replace(node, text)])
        word = "not" if isinstance(node, ast.UnaryOp) else _KEYWORD[type(node.op)]
        ctx.report(
            node,
            f"`{word}` asks a Column for its truth value, which raises `ValueError`; "
            "use `&`, `|`, `~`",
            fix=fix,
        )

    def _check_chain(self, node: ast.Compare, ctx: RuleContext) -> None:
        if len(node.ops) < 2:
            return
        operands = [node.left, *node.comparators]
        if any(_is_bare_bitwise(operand, ctx) for operand in operands):
            return  # `a > 1 & b < 2`: a precedence mistake, SPK103's finding and fix
        for index, operator in enumerate(node.ops[:-1]):
            if isinstance(operator, (ast.Is, ast.IsNot)):
                continue
            if ctx.semantic.is_column(operands[index]) or ctx.semantic.is_column(
                operands[index + 1]
            ):
                ctx.report(
                    node,
                    "A chained comparison asks a Column for its truth value, which raises "
                    "`ValueError`; use `.between()` or `&`",
                )
                return


def _is_bare_bitwise(expr: ast.AST, ctx: RuleContext) -> bool:
    """`&`, `|` or `^` written without parentheses of its own."""
    if not (
        isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.BitAnd, ast.BitOr, ast.BitXor))
    ):
        return False
    start, end = ctx.lines.offset(ctx.start(expr)), ctx.lines.offset(ctx.end(expr))
    before, after = ctx.source[:start].rstrip(), ctx.source[end:].lstrip()
    return not (before.endswith("(") and after.startswith(")"))


def _is_columnish(expr: ast.AST, ctx: RuleContext) -> bool:
    """A Column, or `and`/`or`/`not` over Columns (which the fix turns into a Column)."""
    if isinstance(expr, ast.BoolOp):
        return all(_is_columnish(value, ctx) for value in expr.values)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return _is_columnish(expr.operand, ctx)
    return ctx.semantic.is_column(expr)


def _truth_tests_column(node: ast.AST, ctx: RuleContext) -> bool:
    """Whether the operator calls `bool()` on something that is a Column."""
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not) and _is_columnish(node.operand, ctx)
    if isinstance(node, ast.BoolOp):
        return any(_is_columnish(value, ctx) for value in node.values[:-1])
    return False


def _bitwise(node: ast.AST, ctx: RuleContext) -> str:
    """The source text of `node` with every `and`/`or`/`not` over Columns written as
    `&`/`|`/`~` and operands parenthesized; line breaks and comments stay where they were."""
    edits: list[tuple[int, int, str]] = []
    _collect_edits(node, ctx, edits)
    base = _offset(ctx, ctx.start(node))
    text = ctx.text(node)
    for start, end, content in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
        text = text[: start - base] + content + text[end - base :]
    return text


def _collect_edits(expr: ast.AST, ctx: RuleContext, edits: list[tuple[int, int, str]]) -> None:
    if isinstance(expr, ast.BoolOp):
        keyword = _KEYWORD[type(expr.op)]
        for index, value in enumerate(expr.values):
            _collect_edits(value, ctx, edits)
            _parenthesize(value, ctx, edits, operator=_BITWISE[type(expr.op)])
            if index + 1 < len(expr.values):
                gap_start = _offset(ctx, ctx.end(value))
                gap_end = _offset(ctx, ctx.start(expr.values[index + 1]))
                found = _find_keyword(ctx.source, gap_start, gap_end, keyword)
                if found is not None:
                    edits.append((found, found + len(keyword), _BITWISE[type(expr.op)]))
    elif isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        start = _offset(ctx, ctx.start(expr))
        end = start + len("not")
        while ctx.source[end : end + 1] in (" ", "\t"):
            end += 1
        edits.append((start, end, "~"))
        _collect_edits(expr.operand, ctx, edits)
        _parenthesize(expr.operand, ctx, edits, operator="~")


def _parenthesize(
    expr: ast.AST, ctx: RuleContext, edits: list[tuple[int, int, str]], *, operator: str
) -> None:
    """Parentheses around an operand of the new `&` / `|` / `~`, unless it binds tighter."""
    if isinstance(expr, (*_ATOMS, ast.UnaryOp)):
        return  # `~x`, `-x` bind tighter than `&`; `not` becomes `~` itself
    if isinstance(expr, ast.BinOp) and operator != "~":
        looser = (ast.BitOr, ast.BitXor) if operator == "&" else ()
        if not isinstance(expr.op, looser):
            return  # `a & b` inside `&`, `a * 2` anywhere: no parentheses needed
    start, end = _offset(ctx, ctx.start(expr)), _offset(ctx, ctx.end(expr))
    if ctx.source[:start].rstrip().endswith("(") and ctx.source[end:].lstrip().startswith(")"):
        return  # already in parentheses
    edits.append((start, start, "("))
    edits.append((end, end, ")"))


def _find_keyword(source: str, start: int, end: int, keyword: str) -> int | None:
    """The offset of `keyword` between two operands, skipping comments."""
    gap = re.sub(r"#[^\n]*", lambda match: " " * len(match.group()), source[start:end])
    match = re.search(rf"(?<![\w]){keyword}(?![\w])", gap)
    return None if match is None else start + match.start()


def _offset(ctx: RuleContext, position) -> int:
    return ctx.lines.offset(position)


def _operator_words(node: ast.AST) -> str:
    if isinstance(node, ast.UnaryOp):
        return "~"
    return _BITWISE[type(node.op)]
