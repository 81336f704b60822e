"""SPK301 sql-built-by-string-formatting."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.types import Fix
from codemods.rules._sql_parameters import (
    concatenated,
    is_formatted_text,
    is_string,
    parameterized,
    python_string,
    query_pieces,
)
from codemods.rules.base import Invalid, Rule


class SqlBuiltByStringFormatting(Rule):
    """
    ## What it does
    Flags `spark.sql(...)` whose query is built by pasting values into the text: an
    f-string, `.format(...)`, `%` or `+` with a part that is not a string literal (also
    `f"..." + clause`; directly, or through a variable assigned once in the same function).

    ## Why is this bad?
    A value pasted into SQL is SQL: a quote in a customer name breaks the query, and a
    value from a widget, a job parameter or a file can change what the query does (SQL
    injection, including `DROP TABLE`). Every distinct text is also a new query to parse and
    plan. Named parameter markers (`:name`, with `args=`) pass values as values, and
    `IDENTIFIER(:name)` passes table names safely.

    ## Example
    ```python
    orders = spark.sql(f"SELECT * FROM {table} WHERE day = '{day}' AND amount > {minimum}")
    ```

    ## Use instead
    ```python
    orders = spark.sql(
        "SELECT * FROM IDENTIFIER(:table) WHERE day = :day AND amount > :minimum",
        args={"table": table, "day": day, "minimum": minimum},
    )
    ```

    ## Fix safety
    The fix rewrites the query with named parameter markers and adds `args={...}`. It is
    unsafe: a parameter is typed (`:day` is a string where `'{day}'` was a string, but
    `> {minimum}` pasted whatever text the value had), a value that held a piece of SQL
    (a list of columns, a whole condition) cannot be a parameter, and when the query comes
    from a variable the values are read at the `spark.sql` call instead of the assignment.
    Parameter markers need Spark 3.4 (Databricks Runtime 12.1) and `IDENTIFIER` Spark 3.5
    (Databricks Runtime 13.3). No fix is offered when a value is formatted (`{x!r}`,
    `{x:%Y}`), part of a list (`IN ({ids})`), starts the query, or is glued to other text
    (a quoted string, another value) outside a table name.

    ## References
    - [Parameter markers](https://docs.databricks.com/en/sql/language-manual/sql-ref-parameter-marker.html)
    - [IDENTIFIER clause](https://docs.databricks.com/en/sql/language-manual/sql-ref-names-identifier-clause.html)
    - [SparkSession.sql](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.SparkSession.sql.html)
    """

    code = "SPK301"
    name = "sql-built-by-string-formatting"
    severity = "error"
    node_types = (ast.Call,)
    names = frozenset({"sql"})
    fixable = True

    valid = [
        """
        orders = spark.sql(
            "SELECT * FROM IDENTIFIER(:table) WHERE day = :day",
            args={"table": "main.sales.orders", "day": "2024-01-01"},
        )
        """,
        # Only literals: an f-string without values, literal concatenation, a constant.
        """
        QUERY = "SELECT * FROM main.sales.orders"
        a = spark.sql(f"SELECT 1")
        b = spark.sql("SELECT * " + "FROM main.sales.orders")
        c = spark.sql(QUERY)
        """,
        # Constants pasted into the text are not values from outside.
        """
        CATALOG = "main"
        TABLE = f"{CATALOG}.sales.orders"
        a = spark.sql(f"SELECT * FROM {TABLE} LIMIT {10}")
        b = spark.sql("SELECT * FROM " + TABLE)
        c = spark.sql("SELECT * FROM {}".format(TABLE))
        """,
        # Not a Spark session: a database client, a local `spark`.
        """
        import duckdb
        day = "2024-01-01"
        duckdb.sql(f"SELECT * FROM t WHERE day = '{day}'")
        spark = connect_warehouse()
        spark.sql(f"SELECT * FROM t WHERE day = '{day}'")
        """,
        # A variable assigned more than once: cannot tell which text reaches the call.
        """
        def load(day, full):
            query = "SELECT * FROM t"
            if not full:
                query = f"SELECT * FROM t WHERE day = '{day}'"
            return spark.sql(query)
        """,
    ]
    invalid = [
        Invalid(
            """
            def load(table, day, minimum):
                return spark.sql(f"SELECT * FROM {table} WHERE day = '{day}' AND amount > {minimum}")
            """,
            at=[(2, 22)],
            unsafe=True,
            fixed="""
            def load(table, day, minimum):
                return spark.sql("SELECT * FROM IDENTIFIER(:table) WHERE day = :day AND amount > :minimum", args={"table": table, "day": day, "minimum": minimum})
            """,
        ),
        # `.format`, a three-part name, and a multi-line query through a variable.
        Invalid(
            """
            from pyspark.sql import SparkSession

            def daily(session: SparkSession, settings, day: str):
                query = \"\"\"
                    SELECT *
                    FROM {catalog}.sales.orders
                    WHERE day = '{day}'
                \"\"\".format(catalog=settings.catalog, day=day)
                return session.sql(query)
            """,
            at=[(9, 24)],
            unsafe=True,
            fixed="""
            from pyspark.sql import SparkSession

            def daily(session: SparkSession, settings, day: str):
                query = \"\"\"
                    SELECT *
                    FROM IDENTIFIER(:catalog || '.sales.orders')
                    WHERE day = :day
                \"\"\"
                return session.sql(query, args={"catalog": settings.catalog, "day": day})
            """,
        ),
        Invalid(
            """
            customer = dbutils.widgets.get("customer")
            rows = spark.sql("SELECT * FROM crm.customers WHERE name = '%s'" % customer)
            more = spark.sql("SELECT * FROM crm.customers WHERE id = " + customer)
            """,
            at=[(2, 18), (3, 18)],
            unsafe=True,
            fixed="""
            customer = dbutils.widgets.get("customer")
            rows = spark.sql("SELECT * FROM crm.customers WHERE name = :customer", args={"customer": customer})
            more = spark.sql("SELECT * FROM crm.customers WHERE id = :customer", args={"customer": customer})
            """,
        ),
        # An f-string (or `.format`) glued to more text with `+`: its values are parameters.
        Invalid(
            """
            def load(day, region):
                rows = spark.sql(f"SELECT * FROM t WHERE day = '{day}' AND region = " + region)
                latest = spark.sql(f"SELECT * FROM t WHERE day = '{day}'" + " ORDER BY ts")
                return rows, latest
            """,
            at=[(2, 22), (3, 24)],
            unsafe=True,
            fixed="""
            def load(day, region):
                rows = spark.sql("SELECT * FROM t WHERE day = :day AND region = :region", args={"day": day, "region": region})
                latest = spark.sql("SELECT * FROM t WHERE day = :day ORDER BY ts", args={"day": day})
                return rows, latest
            """,
        ),
        # A variable holding SQL glued to an f-string, or starting the query: flagged, no fix
        # (a clause or the head of a query cannot be a parameter).
        Invalid(
            """
            def load(day, clause, head):
                filtered = spark.sql(f"SELECT * FROM t WHERE day = '{day}'" + clause)
                dated = spark.sql(head + f" WHERE day = '{day}'")
                return filtered, dated
            """,
            at=[(2, 26), (3, 23)],
        ),
        # The query text is also logged: flagged, no fix (the log would change).
        Invalid(
            """
            def load(day, log):
                query = f"SELECT * FROM t WHERE day = '{day}'"
                log.info(query)
                return spark.sql(query)
            """,
            at=[(4, 22)],
        ),
        # A list pasted into `IN (...)` and a formatted value: flagged, no fix.
        Invalid(
            """
            ids = ", ".join(["1", "2"])
            picked = spark.sql(f"SELECT * FROM t WHERE id IN ({ids})")
            dated = spark.sql(f"SELECT * FROM t WHERE day = '{when:%Y-%m-%d}'")
            TEMPLATE = "SELECT * FROM t WHERE day = '{day}'"
            daily = spark.sql(TEMPLATE.format(day=dbutils.widgets.get("day")))
            """,
            at=[(2, 20), (3, 19), (5, 19)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or not ctx.semantic.is_spark_session(func.value):
            return
        argument = node.args[0] if node.args else None
        if argument is None:
            argument = next((k.value for k in node.keywords if k.arg == "sqlQuery"), None)
        if argument is None:
            return
        built = argument
        if isinstance(argument, ast.Name):
            built = _single_assignment(argument, ctx)
            if built is None:
                return
        how = _formatting(built, ctx)
        if how is None:
            return
        ctx.report(
            argument,
            f"SQL built with {how} pastes values into the query text; "
            "pass them as parameters (`:name` with `args=`)",
            fix=_parameter_fix(node, argument, built, ctx),
        )


def _single_assignment(name: ast.Name, ctx: RuleContext) -> ast.AST | None:
    """The value of `name` when it is assigned exactly once, in the function of the use."""
    scope = ctx.semantic.enclosing_scope(name)
    bindings = ctx.semantic.bindings(scope).get(name.id, [])
    if len(bindings) != 1 or bindings[0].kind != "assign":
        return None
    return bindings[0].value


def _formatting(expr: ast.AST, ctx: RuleContext) -> str | None:
    """How `expr` pastes values that are not constant text into a string, or None."""
    if isinstance(expr, ast.JoinedStr):
        values = [value.value for value in expr.values if isinstance(value, ast.FormattedValue)]
        if any(not _is_constant_text(value, ctx) for value in values):
            return "an f-string"
        return None
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and _is_constant_text(expr.func.value, ctx)
    ):
        values = [*expr.args, *(keyword.value for keyword in expr.keywords)]
        if any(not _is_constant_text(value, ctx) for value in values):
            return "`.format()`"
        return None
    if (
        isinstance(expr, ast.BinOp)
        and isinstance(expr.op, ast.Mod)
        and _is_constant_text(expr.left, ctx)
    ):
        right = expr.right
        values = list(right.elts) if isinstance(right, ast.Tuple) else [right]
        if any(not _is_constant_text(value, ctx) for value in values):
            return "`%`"
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        parts = concatenated(expr)
        if any(is_string(part) or is_formatted_text(part) for part in parts) and not all(
            _is_constant_text(part, ctx) for part in parts
        ):
            return "`+`"
    return None


def _is_constant_text(node: ast.AST, ctx: RuleContext, depth: int = 0) -> bool:
    """A string literal, or a name every reaching binding of which assigns constant text
    (`TABLE = "main.sales.orders"`): pasting it is not pasting a value from outside."""
    if is_string(node) or (isinstance(node, ast.Constant) and isinstance(node.value, int)):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(
            _is_constant_text(value.value, ctx, depth + 1)
            for value in node.values
            if isinstance(value, ast.FormattedValue)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return all(_is_constant_text(part, ctx, depth + 1) for part in concatenated(node))
    if isinstance(node, ast.Call) and is_formatted_text(node):
        values = [*node.args, *(keyword.value for keyword in node.keywords)]
        return all(_is_constant_text(value, ctx, depth + 1) for value in values)
    if isinstance(node, ast.BinOp) and is_formatted_text(node):
        right = node.right
        values = list(right.elts) if isinstance(right, ast.Tuple) else [right]
        return all(_is_constant_text(value, ctx, depth + 1) for value in values)
    if not isinstance(node, ast.Name) or depth > 3:
        return False
    reaching = ctx.semantic.reaching_bindings(node)
    return bool(reaching) and all(
        binding.kind == "assign" and _is_constant_text(binding.value, ctx, depth + 1)
        for binding in reaching
    )


# ---- the fix ------------------------------------------------------------------------------


def _parameter_fix(
    call: ast.Call, argument: ast.AST, built: ast.AST, ctx: RuleContext
) -> Fix | None:
    if any(keyword.arg in ("args", None) for keyword in call.keywords) or len(call.args) > 1:
        return None
    if isinstance(argument, ast.Name) and _loads_of(argument, ctx) > 1:
        return None  # the text is used elsewhere too: rewriting it here would break there
    pieces = query_pieces(built, ctx)
    if pieces is None:
        return None
    rewritten = parameterized(pieces)
    if rewritten is None:
        return None
    sql, parameters = rewritten
    literal = python_string(sql)
    args = ", ".join(f'"{name}": {text}' for name, text in parameters.items())
    last = max(
        [*call.args, *call.keywords], key=lambda node: (node.end_lineno, node.end_col_offset)
    )
    edits = [ctx.replace(built, literal), ctx.insert_after(last, f", args={{{args}}}")]
    return ctx.fix("Pass the values as named parameters", edits, applicability="unsafe")


def _loads_of(name: ast.Name, ctx: RuleContext) -> int:
    scope = ctx.semantic.enclosing_scope(name)
    return sum(
        1
        for node in ast.walk(scope)
        if isinstance(node, ast.Name) and node.id == name.id and isinstance(node.ctx, ast.Load)
    )
