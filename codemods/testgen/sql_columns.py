"""Columns and comparisons inside Spark SQL strings: `filter("amount > 10")`, `F.expr(...)`,
`selectExpr("price * qty AS total")`, read with sqlglot's Spark dialect."""

from __future__ import annotations

from typing import Any

__all__ = ["read_sql"]

_OPERATORS = {"GT": ">", "GTE": ">=", "LT": "<", "LTE": "<=", "EQ": "==", "NEQ": "!="}


def _literal_value(node: Any) -> tuple[bool, Any]:
    from sqlglot import exp

    if isinstance(node, exp.Literal):
        if node.is_string:
            return True, node.this
        text = node.this
        try:
            return True, int(text)
        except ValueError:
            try:
                return True, float(text)
            except ValueError:
                return False, None
    if isinstance(node, exp.Boolean):
        return True, bool(node.this)
    if isinstance(node, exp.Neg):
        ok, value = _literal_value(node.this)
        if ok and isinstance(value, int | float):
            return True, -value
    return False, None


def read_sql(analyzer: Any, text: str, *, kind: str) -> None:
    """Record the columns, types and comparisons of one SQL condition or expression."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError

    from codemods.testgen.inference import _literal
    from codemods.testgen.spark_kinds import (
        DATE_FUNCTIONS,
        NUMERIC_FUNCTIONS,
        STRING_FUNCTIONS,
        cast_evidence,
    )

    try:
        tree = sqlglot.parse_one(text, read="spark")
    except (ParseError, ValueError):
        analyzer.problems.append(f"could not read the SQL text {text!r}")
        return
    if tree is None:
        return
    alias = tree.alias if isinstance(tree, exp.Alias) else None
    columns: dict[int, Any] = {}
    for column in tree.find_all(exp.Column):
        if column.table:
            continue
        columns[id(column)] = analyzer.read(column.name)
    for node in tree.find_all(exp.Binary):
        symbol = _OPERATORS.get(type(node).__name__)
        left, right = node.left, node.right
        if symbol is not None:
            for col_node, lit_node, sym in ((left, right, symbol), (right, left, _flip(symbol))):
                ok, value = _literal_value(lit_node)
                if ok and id(col_node) in columns:
                    analyzer.compare(columns[id(col_node)], sym, _literal(value))
        elif isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Mod):
            for side in (left, right):
                for facts in columns.get(id(side), _literal(None)).columns:
                    facts.add("double" if isinstance(node, exp.Div) else "numeric")
    for node in tree.find_all(exp.In):
        target = columns.get(id(node.this))
        if target is None:
            continue
        for item in node.expressions:
            ok, value = _literal_value(item)
            if ok:
                for facts in target.columns:
                    facts.members.append(value)
                    facts.add("string" if isinstance(value, str) else "numeric")
    for node in tree.find_all(exp.Cast):  # TryCast is a Cast too
        target = columns.get(id(node.this))
        if target is None:
            inner = node.this
            while isinstance(inner, exp.Func) and not isinstance(inner, exp.Cast):
                inner = inner.this  # try_cast(trim(x) AS BIGINT)
            target = columns.get(id(inner))
        evidence = cast_evidence(node.to.sql(dialect="spark")) if target is not None else None
        for facts in target.columns if evidence and target is not None else []:
            facts.add(evidence)
    for node in tree.find_all(exp.Func):
        name = (node.sql_name() or "").lower()
        evidence = (
            "string" if name in STRING_FUNCTIONS
            else "date" if name in DATE_FUNCTIONS
            else "numeric" if name in NUMERIC_FUNCTIONS
            else None
        )  # fmt: skip
        if evidence and id(node.this) in columns:
            for facts in columns[id(node.this)].columns:
                facts.add(evidence)
    if alias:
        analyzer.define(alias)


def _flip(symbol: str) -> str:
    return {">": "<", "<": ">", ">=": "<=", "<=": ">="}.get(symbol, symbol)
