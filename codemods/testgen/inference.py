"""Static inference: which input columns a transform reads, their likely types and the literals
it compares them against, read from the function body without running it.

Columns come from `F.col`/`col`/`df["x"]`/`df.x`, from the string arguments of `select`,
`filter`, `where`, `groupBy`, `agg`, `join`, `withColumn` and friends, and from SQL strings
(`filter("amount > 10")`, `F.expr`, `selectExpr`, parsed with sqlglot). Types come from what is
done to a column: arithmetic means numeric, string functions mean string, date functions mean
date or timestamp, a comparison with a literal means the literal's type. A column the function
creates (`withColumn`, `alias`, `withColumnRenamed`) before reading it is not an input.

The analyzer is one class, longer than most modules here, because every handler shares the
walk's state (frames, defined columns, the chain being read) and PySpark's API is wide.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from codemods.testgen.arguments import UNSUPPORTED, compared_values, synthesize_argument
from codemods.testgen.discovery import DATAFRAME_METHODS, Transform
from codemods.testgen.spark_kinds import (
    COLUMN_ARGUMENT_FUNCTIONS,
    DATE_FUNCTIONS,
    NUMERIC_FUNCTIONS,
    PARSING_FUNCTIONS,
    STRING_FUNCTIONS,
    TIMESTAMP_FUNCTIONS,
    cast_evidence,
    literal_evidence,
)
from codemods.testgen.sql_columns import read_sql

__all__ = ["ColumnFacts", "Inference", "infer"]

_KEY_METHODS = {"groupBy", "groupby", "rollup", "cube", "dropDuplicates", "drop_duplicates",
                "partitionBy", "repartition"}  # fmt: skip
_COLUMN_LIST_METHODS = _KEY_METHODS | {"select", "orderBy", "sort", "sortWithinPartitions",
                                       "drop", "pivot", "rowsBetween"}  # fmt: skip
_FRAME_PROPERTIES = {"columns", "schema", "dtypes", "rdd", "write", "writeStream", "sparkSession",
                     "isStreaming", "storageLevel", "na", "stat"}  # fmt: skip
_COMPARISONS = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<=", ast.Eq: "==",
                ast.NotEq: "!="}  # fmt: skip


@dataclass
class ColumnFacts:
    """What the body says about one input column."""

    name: str
    evidence: list[str] = field(default_factory=list)
    comparisons: list[tuple[str, Any]] = field(default_factory=list)
    members: list[Any] = field(default_factory=list)
    is_key: bool = False
    date_format: str | None = None

    def add(self, evidence: str) -> None:
        if evidence not in self.evidence:
            self.evidence.append(evidence)


@dataclass
class Inference:
    """Inputs of one transform: columns per DataFrame parameter, and value arguments."""

    frames: dict[str, dict[str, ColumnFacts]]
    arguments: dict[str, Any]  # value parameter -> the value the test passes
    sorts: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class _Val:
    """What an expression denotes, as far as the analysis can tell."""

    columns: list[ColumnFacts] = field(default_factory=list)  # a direct column reference
    frame: frozenset[str] | None = None  # a DataFrame derived from these parameters
    method: str | None = None  # the last DataFrame method of a chain
    literal: Any = None
    has_literal: bool = False
    items: list[_Val] | None = None  # a list or tuple display


_NOTHING = _Val()


def _literal(value: Any) -> _Val:
    return _Val(literal=value, has_literal=True)


class _Analyzer:
    def __init__(
        self, transform: Transform, constants: dict[str, Any], choices: dict[str, Any]
    ) -> None:
        self.choices = choices
        self.frames: dict[str, dict[str, ColumnFacts]] = {
            name: {} for name in transform.dataframe_params
        }
        self.primary = transform.dataframe_params[0]
        self.frame_vars: dict[str, frozenset[str]] = {
            name: frozenset({name}) for name in transform.dataframe_params
        }
        self.column_vars: dict[str, _Val] = {}
        self.constants = constants
        self.arguments: dict[str, Any] = {}
        self.problems: list[str] = []
        self.defined: set[str] = set()
        self.context: list[frozenset[str]] = []
        self.sorts = False
        for param in transform.value_params:
            self._choose_argument(param)

    # -- value parameters -------------------------------------------------------------------
    def _choose_argument(self, param: Any) -> None:
        if param.default is not None:
            try:
                self.constants[param.name] = ast.literal_eval(param.default)
            except ValueError:
                pass  # an expression default: the call leaves it out and Python evaluates it
            return
        value = self.choices.get(param.name, UNSUPPORTED)
        if value is UNSUPPORTED:
            value = synthesize_argument(param.name, param.annotation)
        if value is UNSUPPORTED:
            self.problems.append(
                f"cannot choose a value for parameter `{param.name}`"
                + (f" of type `{param.annotation}`" if param.annotation else "")
            )
            return
        self.arguments[param.name] = value
        self.constants[param.name] = value

    # -- columns ----------------------------------------------------------------------------
    def _origin(self) -> frozenset[str]:
        return self.context[-1] if self.context else frozenset({self.primary})

    def read(self, name: str, origins: frozenset[str] | None = None, *, key: bool = False) -> _Val:
        if name in self.defined or name == "*" or not name:
            return _Val(columns=[])
        origins = origins or self._origin()
        ordered = sorted(origins, key=lambda o: list(self.frames).index(o))
        target = next((o for o in ordered if name in self.frames[o]), None)
        if target is None:
            target = self.primary if self.primary in origins else ordered[0]
        facts = self.frames[target].setdefault(name, ColumnFacts(name))
        facts.is_key = facts.is_key or key
        return _Val(columns=[facts])

    def read_in_each(self, name: str, origins: frozenset[str]) -> None:
        """A join key: read from both sides."""
        if name in self.defined:
            return
        for origin in origins:
            facts = self.frames[origin].setdefault(name, ColumnFacts(name))
            facts.is_key = True

    def define(self, name: Any) -> None:
        if isinstance(name, str):
            self.defined.add(name)

    # -- statements -------------------------------------------------------------------------
    def statements(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            value = self.expr(stmt.value) if stmt.value is not None else _NOTHING
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    if value.frame is not None:
                        self.frame_vars[target.id] = value.frame
                    elif value.columns or value.has_literal:
                        self.column_vars[target.id] = value
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            value = self.expr(stmt.value)
            if value.frame is not None and value.method in {"orderBy", "sort"}:
                self.sorts = True
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return
        else:
            for child in ast.iter_child_nodes(stmt):
                if isinstance(child, ast.stmt):
                    self.statement(child)
                elif isinstance(child, ast.expr):
                    self.expr(child)

    # -- expressions ------------------------------------------------------------------------
    def expr(self, node: ast.expr | None) -> _Val:
        if node is None:
            return _NOTHING
        if isinstance(node, ast.Constant):
            return _literal(node.value)
        if isinstance(node, ast.Name):
            if node.id in self.frame_vars:
                return _Val(frame=self.frame_vars[node.id])
            if node.id in self.column_vars:
                return self.column_vars[node.id]
            if node.id in self.constants:
                return _literal(self.constants[node.id])
            return _NOTHING
        if isinstance(node, ast.Attribute):
            base = self.expr(node.value)
            if base.frame is not None:
                if node.attr in _FRAME_PROPERTIES or node.attr in DATAFRAME_METHODS:
                    return _Val(frame=base.frame) if node.attr == "na" else _NOTHING
                return self.read(node.attr, base.frame)
            return _NOTHING
        if isinstance(node, ast.Subscript):
            base = self.expr(node.value)
            index = self.expr(node.slice)
            if base.frame is not None and index.has_literal and isinstance(index.literal, str):
                return self.read(index.literal, base.frame)
            return _NOTHING
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return _Val(items=[self.expr(e) for e in node.elts])
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand)
            if isinstance(node.op, ast.USub) and operand.has_literal:
                try:
                    return _literal(-operand.literal)
                except TypeError:
                    return _NOTHING
            evidence = "boolean" if isinstance(node.op, ast.Invert | ast.Not) else "numeric"
            for facts in operand.columns:
                facts.add(evidence)
            return _NOTHING
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.expr(value)
            return _NOTHING
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                self.expr(key)
                self.expr(value)
            return _NOTHING
        if isinstance(node, ast.Lambda | ast.ListComp | ast.GeneratorExp | ast.DictComp):
            return _NOTHING
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
        return _NOTHING

    def _binop(self, node: ast.BinOp) -> _Val:
        left, right = self.expr(node.left), self.expr(node.right)
        if isinstance(node.op, ast.BitAnd | ast.BitOr):
            for facts in left.columns + right.columns:
                facts.add("boolean")
            return _NOTHING
        if left.has_literal and right.has_literal:
            try:
                return _literal(eval(compile(ast.Expression(node), "<lit>", "eval"), {}, {}))
            except Exception:
                return _NOTHING
        for mine, other in ((left, right), (right, left)):
            evidence = "numeric"
            if other.has_literal:
                evidence = literal_evidence(other.literal) or "numeric"
                if evidence in {"date", "timestamp"}:
                    evidence = "string"
            if isinstance(node.op, ast.Div):
                evidence = "double" if evidence != "string" else evidence
            for facts in mine.columns:
                facts.add(evidence)
        return _NOTHING

    def _compare(self, node: ast.Compare) -> _Val:
        operands = [self.expr(node.left), *(self.expr(c) for c in node.comparators)]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            symbol = _COMPARISONS.get(type(op))
            if symbol is None:
                continue
            self.compare(left, symbol, right)
        return _NOTHING

    def compare(self, left: _Val, symbol: str, right: _Val) -> None:
        flipped = {">": "<", "<": ">", ">=": "<=", "<=": ">="}
        if right.columns and left.has_literal:
            left, right, symbol = right, left, flipped.get(symbol, symbol)
        if symbol in {">", "<", ">=", "<="} and left.columns and right.columns:
            # Two columns ordered against each other: numbers, unless their names say dates.
            for facts in left.columns + right.columns:
                facts.add("numeric")
            return
        if len(left.columns) == 1 and right.has_literal and right.literal is not None:
            facts = left.columns[0]
            evidence = literal_evidence(right.literal)
            if evidence:
                facts.add(evidence)
                facts.comparisons.append((symbol, right.literal))

    def _call(self, node: ast.Call) -> _Val:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.expr(func.value)
            if receiver.frame is not None:
                return self._frame_method(receiver.frame, func.attr, node)
            if receiver.columns or (func.attr in _COLUMN_METHODS and not _is_module(func.value)):
                return self._column_method(receiver, func.attr, node)
            name = func.attr
        elif isinstance(func, ast.Name):
            name = func.id
        else:
            self._walk_args(node)
            return _NOTHING
        return self._function(name, node)

    def _walk_args(self, node: ast.Call) -> list[_Val]:
        values = [self.expr(a.value if isinstance(a, ast.Starred) else a) for a in node.args]
        for keyword in node.keywords:
            self.expr(keyword.value)
        return values

    def _function(self, name: str, node: ast.Call) -> _Val:
        if name in {"col", "column"} and node.args:
            arg = self.expr(node.args[0])
            if arg.has_literal and isinstance(arg.literal, str):
                return self.read(arg.literal)
            return _NOTHING
        if name == "lit" and node.args:
            return self.expr(node.args[0])
        if name == "expr" and node.args:
            arg = self.expr(node.args[0])
            if arg.has_literal and isinstance(arg.literal, str):
                read_sql(self, arg.literal, kind="expression")
            return _NOTHING
        if name == "when" and len(node.args) >= 1:
            self._walk_args(node)
            return _NOTHING
        if name in {"udf", "pandas_udf"}:
            return _NOTHING
        args: list[_Val] = []
        for index, arg in enumerate(node.args):
            value = self.expr(arg.value if isinstance(arg, ast.Starred) else arg)
            takes_name = name in COLUMN_ARGUMENT_FUNCTIONS and (
                index == 0
                or name
                in {
                    "concat",
                    "concat_ws",
                    "coalesce",
                    "greatest",
                    "least",
                    "countDistinct",
                    "count_distinct",
                }
            )
            if (
                takes_name
                and not isinstance(arg, ast.Call)  # F.lit("x") is a value, not a column name
                and value.has_literal
                and isinstance(value.literal, str)
                and not (name == "concat_ws" and index == 0)
            ):
                value = self.read(value.literal)
            args.append(value)
        for keyword in node.keywords:
            self.expr(keyword.value)
        evidence = self._function_evidence(name, node, args)
        if evidence:
            targets = args if name in {"concat", "concat_ws"} else args[:1]
            for value in targets:
                for facts in value.columns:
                    facts.add(evidence)
        if name in {"partitionBy", "orderBy", "sortBy"}:  # Window.partitionBy("k")
            self._column_list(args, key=name == "partitionBy")
        return _NOTHING

    def _function_evidence(self, name: str, node: ast.Call, args: list[_Val]) -> str | None:
        if name in STRING_FUNCTIONS:
            return "string"
        if name in DATE_FUNCTIONS:
            return "date"
        if name in TIMESTAMP_FUNCTIONS:
            return "timestamp"
        if name in NUMERIC_FUNCTIONS:
            return "numeric"
        if name in PARSING_FUNCTIONS:
            fmt = args[1].literal if len(args) > 1 and args[1].has_literal else None
            for keyword in node.keywords:
                if keyword.arg == "format":
                    fmt = self.expr(keyword.value).literal
            for facts in args[0].columns if args else []:
                facts.date_format = fmt if isinstance(fmt, str) else facts.date_format
            return PARSING_FUNCTIONS[name]
        return None

    def _column_list(self, values: list[_Val], *, key: bool = False) -> None:
        for value in values:
            for item in value.items if value.items is not None else [value]:
                if item.has_literal and isinstance(item.literal, str):
                    self.read(item.literal, key=key)
                elif item.has_literal and isinstance(item.literal, list | tuple):
                    for name in item.literal:  # select(*COLUMNS) with a module constant
                        if isinstance(name, str):
                            self.read(name, key=key)
                for facts in item.columns:
                    facts.is_key = facts.is_key or key

    def _column_method(self, receiver: _Val, method: str, node: ast.Call) -> _Val:
        args = self._walk_args(node)
        columns = receiver.columns
        if method in {"alias", "name", "as_"} and args and args[0].has_literal:
            self.define(args[0].literal)
            return receiver
        if method in {"cast", "astype"} and args and isinstance(args[0].literal, str):
            evidence = cast_evidence(args[0].literal)
            for facts in columns:
                if evidence:
                    facts.add(evidence)
            return _NOTHING
        if method == "isin":
            values = [i for a in args for i in (a.items if a.items is not None else [a])]
            literals = []
            for value in values:
                if value.has_literal and isinstance(value.literal, list | tuple | set):
                    literals.extend(value.literal)  # isin(ALLOWED) or isin(allowed_param)
                elif value.has_literal:
                    literals.append(value.literal)
            for facts in columns:
                for literal in literals:
                    if literal is not None:
                        facts.members.append(literal)
                        facts.add(literal_evidence(literal) or "string")
            return _NOTHING
        if method == "between" and len(args) == 2:
            self.compare(receiver, ">=", args[0])
            self.compare(receiver, "<=", args[1])
            return _NOTHING
        if method in {"eqNullSafe"} and args:
            self.compare(receiver, "==", args[0])
            return _NOTHING
        if method in {"startswith", "endswith", "contains", "like", "rlike", "ilike", "substr"}:
            for facts in columns:
                facts.add("string")
                if method in {"startswith", "endswith", "contains"} and args[0].has_literal:
                    facts.members.append(args[0].literal)
            return _NOTHING
        if method in {"asc", "desc", "asc_nulls_first", "asc_nulls_last", "desc_nulls_first",
                      "desc_nulls_last", "over"}:  # fmt: skip
            return receiver if method != "over" else _NOTHING
        return _NOTHING

    def _frame_method(self, origin: frozenset[str], method: str, node: ast.Call) -> _Val:
        self.context.append(origin)
        try:
            return self._frame_method_in_context(origin, method, node)
        finally:
            self.context.pop()

    def _frame_method_in_context(self, origin: frozenset[str], method: str, node: ast.Call) -> _Val:
        result = origin
        if method in {"join", "crossJoin", "union", "unionByName", "unionAll", "exceptAll",
                      "intersect", "intersectAll", "subtract"} and node.args:  # fmt: skip
            other = self.expr(node.args[0])
            both = origin | (other.frame or frozenset())
            result = both
            if method == "join":
                on = node.args[1] if len(node.args) > 1 else None
                for keyword in node.keywords:
                    if keyword.arg == "on":
                        on = keyword.value
                self.context.append(both)
                on_value = self.expr(on) if on is not None else _NOTHING
                self.context.pop()
                names = on_value.items if on_value.items is not None else [on_value]
                for item in names:
                    if item.has_literal and isinstance(item.literal, str):
                        self.read_in_each(item.literal, both)
                    for facts in item.columns:
                        facts.is_key = True
                for extra in node.args[2:]:
                    self.expr(extra)
            return _Val(frame=result, method=method)
        if method in {"filter", "where"} and node.args:
            value = self.expr(node.args[0])
            if value.has_literal and isinstance(value.literal, str):
                read_sql(self, value.literal, kind="condition")
            for facts in value.columns:
                facts.add("boolean")
            return _Val(frame=result, method=method)
        if method == "selectExpr":
            for value in self._walk_args(node):
                if value.has_literal and isinstance(value.literal, str):
                    read_sql(self, value.literal, kind="expression")
            return _Val(frame=result, method=method)
        if method == "withColumn" and len(node.args) >= 2:
            name = self.expr(node.args[0])
            self.expr(node.args[1])
            self.define(name.literal)
            return _Val(frame=result, method=method)
        if method in {"withColumns", "withColumnsRenamed"} and node.args:
            mapping = node.args[0]
            if isinstance(mapping, ast.Dict):
                for key, value in zip(mapping.keys, mapping.values, strict=True):
                    key_value, new_value = self.expr(key), self.expr(value)
                    if method == "withColumns":
                        self.define(key_value.literal)
                    elif key_value.has_literal:
                        self.read(key_value.literal)
                        self.define(new_value.literal)
            return _Val(frame=result, method=method)
        if method == "withColumnRenamed" and len(node.args) >= 2:
            old, new = self.expr(node.args[0]), self.expr(node.args[1])
            if old.has_literal and isinstance(old.literal, str):
                self.read(old.literal)
            self.define(new.literal)
            return _Val(frame=result, method=method)
        if method == "agg":
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    for key, value in zip(arg.keys, arg.values, strict=True):
                        key_value, fn = self.expr(key), self.expr(value)
                        if key_value.has_literal and isinstance(key_value.literal, str):
                            facts = self.read(key_value.literal)
                            if fn.literal in NUMERIC_FUNCTIONS:
                                for f in facts.columns:
                                    f.add("numeric")
                else:
                    self.expr(arg)
            return _Val(frame=result, method=method)
        if method in {"fillna", "fill"} and node.args and isinstance(node.args[0], ast.Dict):
            for key, value in zip(node.args[0].keys, node.args[0].values, strict=True):
                key_value, fill = self.expr(key), self.expr(value)
                if key_value.has_literal and isinstance(key_value.literal, str):
                    facts = self.read(key_value.literal)
                    evidence = literal_evidence(fill.literal) if fill.has_literal else None
                    for f in facts.columns:
                        if evidence:
                            f.add(evidence)
            return _Val(frame=result, method=method)
        args = self._walk_args(node)
        for keyword in node.keywords:
            if keyword.arg == "subset":
                self._column_list([self.expr(keyword.value)], key=method != "dropna")
        if method in _COLUMN_LIST_METHODS:
            self._column_list(args, key=method in _KEY_METHODS)
        if method in {"count", "collect", "first", "head", "take", "toPandas", "show"}:
            return _NOTHING if method != "count" or len(node.args) else _Val(frame=result)
        return _Val(frame=result, method=method)


_COLUMN_METHODS = {"isin", "between", "cast", "astype", "alias", "startswith", "endswith",
                   "contains", "like", "rlike", "substr", "isNull", "isNotNull", "otherwise",
                   "when", "over", "desc", "asc", "eqNullSafe"}  # fmt: skip


def _is_module(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"F", "functions", "f", "sf", "Window"}


def _module_constants(tree: ast.Module) -> dict[str, Any]:
    constants: dict[str, Any] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                try:
                    constants[target.id] = ast.literal_eval(stmt.value)
                except (ValueError, TypeError, SyntaxError, RecursionError):
                    pass
    return constants


def infer(
    transform: Transform,
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    tree: ast.Module,
) -> Inference:
    """What `transform` (whose node is `func` in `tree`) reads, and the arguments to call it."""
    analyzer = _Analyzer(transform, _module_constants(tree), compared_values(func))
    body = func.body
    if transform.kind == "higher_order":
        body = _inner_body(func, transform.inner_dataframe_param or "df")
    analyzer.statements(body)
    return Inference(analyzer.frames, analyzer.arguments, analyzer.sorts, analyzer.problems)


def _inner_body(func: ast.FunctionDef | ast.AsyncFunctionDef, param: str) -> list[ast.stmt]:
    """The statements of the callable a higher-order transform returns."""
    for stmt in func.body:
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Lambda):
            return [*_outer_setup(func), ast.Return(stmt.value.body)]
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Name):
            for inner in func.body:
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    inner.name == stmt.value.id
                ):
                    return [*_outer_setup(func), *inner.body]
    return func.body


def _outer_setup(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    return [s for s in func.body if isinstance(s, ast.Assign | ast.AnnAssign)]
