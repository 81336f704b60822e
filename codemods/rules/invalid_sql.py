"""SPK302 invalid-sql."""

from __future__ import annotations

import ast
import logging
import re
from functools import lru_cache

from codemods.engine.context import RuleContext
from codemods.rules._databricks import notebook_view, point_node
from codemods.rules.base import Invalid, Rule

_EXPR_FUNCTIONS = frozenset({"pyspark.sql.functions.expr"})
_DATAFRAME_EXPRESSION_METHODS = frozenset({"selectExpr", "filter", "where"})
# Valid Databricks SQL that sqlglot does not parse (yet): stay silent rather than be wrong.
_SQLGLOT_GAPS = re.compile(
    r"""^\s*(?:BEGIN|RESTORE|CONVERT|FSCK|REORG|GENERATE|APPLY|SYNC|UNDROP)\b  # statements
    |^\s*DESC(?:RIBE)?\s+DETAIL\b
    |\bWITH\s+SCHEMA\s+EVOLUTION\b                 # MERGE / INSERT with schema evolution
    |\bTABLE\s*\(                                  # table arguments of table functions""",
    re.IGNORECASE | re.VERBOSE,
)
# sqlglot names what is missing by its class; a user knows clauses, not classes.
_CLAUSES = {
    "Where": "WHERE clause",
    "Order": "ORDER BY clause",
    "Group": "GROUP BY clause",
    "Having": "HAVING clause",
    "Limit": "LIMIT clause",
    "Join": "JOIN",
    "Select": "SELECT",
}
_MISSING = re.compile(r"Required keyword: '\w+' missing for <class '[\w.]+\.(\w+)'>")


class InvalidSql(Rule):
    """
    ## What it does
    Flags a SQL string literal that does not parse (with sqlglot's `databricks` dialect):
    the statement of `spark.sql("...")`, the expressions of `F.expr("...")`,
    `df.selectExpr("...")`, `df.filter("...")` and `df.where("...")`, and the `%sql` cells of
    Databricks source notebooks. Strings built at run time are not checked.

    ## Why is this bad?
    Spark parses SQL only when the line runs: a typo in a query fails the job after the
    cluster has started and every earlier step has run, often at night. Python tools see a
    string and have nothing to say. A statement where an expression belongs
    (`df.filter("SELECT ...")`) fails the same way.

    ## Example
    ```python
    late = orders.filter("shipped_at > promised_at AND")
    ```

    ## Use instead
    ```python
    late = orders.filter("shipped_at > promised_at AND status = 'open'")
    ```

    ## Fix safety
    No fix: what the query should say is the author's to write.

    ## References
    - [Databricks SQL language reference](https://docs.databricks.com/en/sql/language-manual/index.html)
    - [SparkSession.sql](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.SparkSession.sql.html)
    - [sqlglot](https://sqlglot.com/sqlglot.html)
    """

    code = "SPK302"
    name = "invalid-sql"
    severity = "warning"
    node_types = (ast.Call, ast.Module)
    names = frozenset({"sql", "expr", "selectExpr", "filter", "where"})

    valid = [
        """
        orders = spark.sql(
            "MERGE INTO main.sales.orders t USING updates s ON t.id = s.id "
            "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"
        )
        spark.sql("OPTIMIZE main.sales.orders ZORDER BY (customer_id)")
        spark.sql("SELECT * FROM main.sales.orders WHERE id = :id", args={"id": 7})
        # Valid Spark SQL that sqlglot cannot parse: silent.
        spark.sql("SELECT * FROM my_udtf(TABLE(events) PARTITION BY id ORDER BY ts)")
        spark.sql("DESCRIBE DETAIL main.sales.orders")
        spark.sql("RESTORE TABLE main.sales.orders TO VERSION AS OF 3")
        """,
        # Expressions, with aliased imports.
        """
        import pyspark.sql.functions as F
        from pyspark.sql.functions import expr
        df = spark.table("t")
        df = df.selectExpr("id", "CAST(amount AS DECIMAL(10, 2)) AS amount", "*")
        df = df.filter("amount > 0 AND status IN ('paid', 'shipped')").where("id IS NOT NULL")
        total = F.expr("sum(amount) OVER (PARTITION BY id)")
        flag = expr("amount > 100")
        """,
        # Not literals, not Spark: a list's filter, another object's sql, an f-string.
        """
        table = "main.sales.orders"
        rows = spark.sql(f"SELECT * FROM {table}")
        kept = filter(None, ["SELEC"])
        db = connect()
        db.sql("SELEC broken")
        """,
        # A local `spark` that is not a session.
        """
        spark = build_fake()
        spark.sql("this is not sql")
        """,
        # A Databricks notebook whose SQL cell parses.
        """
        # Databricks notebook source
        # MAGIC %sql
        # MAGIC SELECT count(*) FROM main.sales.orders

        # COMMAND ----------

        x = 1
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = spark.table("sales.orders")
            late = orders.filter("shipped_at > promised_at AND")
            """,
            at=[(2, 22)],
        ),
        Invalid(
            """
            daily = spark.sql(
                \"\"\"
                SELECT day, count(*) AS orders
                FROM main.sales.orders
                GROUP BY day
                ORDER BY
                \"\"\"
            )
            """,
            at=[(2, 5)],
        ),
        # A statement where an expression belongs, and aliased imports.
        Invalid(
            """
            from pyspark.sql import functions as func
            from pyspark.sql import DataFrame

            def shape(df: DataFrame) -> DataFrame:
                return df.selectExpr("id", "SELECT amount FROM t").withColumn(
                    "x", func.expr("amount +")
                )
            """,
            at=[(5, 32), (6, 24)],
        ),
        Invalid(
            """
            # Databricks notebook source
            x = 1

            # COMMAND ----------

            # MAGIC %sql
            # MAGIC SELECT id,
            # MAGIC FROM main.sales.orders WHERE (amount > 0
            """,
            at=[(8, 48)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Module):
            self._check_notebook_cells(ctx)
            return
        for literal, statement in _sql_literals(node, ctx):
            problem = sql_problem(literal.value, statement=statement)
            if problem is not None:
                ctx.report(literal, problem)

    def _check_notebook_cells(self, ctx: RuleContext) -> None:
        view = notebook_view(ctx)
        if view is None:
            return
        for cell in view.cells:
            if cell.language != "sql" or cell.start_line is None:
                continue
            located = _sql_error(cell.text, statement=True)
            if located is None:
                continue
            message, line, column, length = located
            line, column = cell.python_position(line, column)
            ctx.report(point_node(ctx, line, column, length), message)


def _sql_literals(call: ast.Call, ctx: RuleContext) -> list[tuple[ast.Constant, bool]]:
    """The literal SQL strings of a call, each with whether it is a statement."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "sql":
        keywords = {keyword.arg for keyword in call.keywords}
        query = call.args[0] if call.args else _keyword(call, "sqlQuery")
        # Other keywords format the string (`spark.sql("... {t}", t=df)`): not plain SQL.
        if not _is_string(query) or keywords - {"args", "sqlQuery"}:
            return []
        return [(query, True)] if ctx.semantic.is_spark_session(func.value) else []
    if isinstance(func, ast.Attribute) and func.attr in _DATAFRAME_EXPRESSION_METHODS:
        arguments = call.args if func.attr == "selectExpr" else call.args[:1]
        literals = [(argument, False) for argument in arguments if _is_string(argument)]
        # The cheap test first: most filters take Columns, not strings.
        if not literals or not ctx.semantic.is_dataframe(func.value):
            return []
        return literals
    if call.args and ctx.semantic.qualified_name(func) in _EXPR_FUNCTIONS:
        return [(call.args[0], False)] if _is_string(call.args[0]) else []
    return []


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _is_string(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def sql_problem(text: str, *, statement: bool) -> str | None:
    """Why `text` is not valid SQL (a statement, or an expression), or None when it parses."""
    located = _sql_error(text, statement=statement)
    return None if located is None else located[0]


@lru_cache(maxsize=2048)
def _sql_error(text: str, *, statement: bool) -> tuple[str, int, int, int] | None:
    """(message, line, column, length) of the first error in `text`, or None. Cached: the
    same query string is often repeated across files and runs of the language server."""
    if not text.strip() or _SQLGLOT_GAPS.search(text):
        return None
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # sqlglot warns when it falls back to a generic command
    try:
        if statement:
            sqlglot.parse(text, read="databricks")
        else:
            parsed = sqlglot.parse_one(text, read="databricks")
            if isinstance(parsed, (exp.Query, exp.DDL, exp.DML, exp.Command)):
                return ("A SQL statement where an expression is expected", 1, 1, 0)
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        description = str(detail.get("description", "syntax error"))
        missing = _MISSING.match(description)
        if missing:
            description = f"incomplete {_CLAUSES.get(missing.group(1), 'expression')}"
        highlight = str(detail.get("highlight", ""))
        line, column = int(detail.get("line", 1)), int(detail.get("col", 1))
        near = f" near `{highlight}`" if highlight else ""
        start = max(column - len(highlight) + 1, 1)
        message = f"SQL does not parse: {description}{near} (line {line} of the SQL)"
        return (message, line, start, len(highlight))
    except TokenError as error:
        return (f"SQL does not parse: {str(error).splitlines()[0]}", 1, 1, 0)
    finally:
        logger.setLevel(level)
    return None
