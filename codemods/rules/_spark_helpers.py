"""Small facts about PySpark code shared by several rules (not a rule module: the registry
skips names starting with `_`)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from codemods.engine.types import Applicability, Edit, Fix

if TYPE_CHECKING:
    from codemods.engine.context import RuleContext

FUNCTIONS_MODULE = "pyspark.sql.functions"


def words(text: str) -> frozenset[str]:
    """The whitespace-separated names in `text`, for readable tables of method names."""
    return frozenset(text.split())


# Aggregate functions: a `select` of only these returns one row.
_AGGREGATE_FUNCTIONS = words(
    """any_value approx_count_distinct avg bit_and bit_or bit_xor bool_and bool_or
    collect_list collect_set corr count count_distinct countDistinct count_if covar_pop
    covar_samp first kurtosis last max max_by mean median min min_by mode percentile
    percentile_approx product skewness stddev stddev_pop stddev_samp sum sum_distinct
    sumDistinct var_pop var_samp variance"""
)
# DataFrame methods that never return more rows than they get.
_ROW_PRESERVING = words(
    """alias cache checkpoint coalesce distinct drop dropDuplicates drop_duplicates dropna
    fillna filter hint localCheckpoint orderBy persist repartition repartitionByRange replace
    sample sort sortWithinPartitions toDF unpersist where withColumn withColumnRenamed
    withColumns withColumnsRenamed withMetadata select selectExpr"""
)
_MAX_HOPS = 8


def method_call(node: ast.AST) -> tuple[ast.expr, str] | None:
    """`(receiver, method)` of `receiver.method(...)`, or None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.value, node.func.attr
    return None


def string_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_test_file(ctx: RuleContext) -> bool:
    return ctx.settings.is_test_file(ctx.path)


def is_row_bounded(frame: ast.AST, ctx: RuleContext, *, depth: int = 0) -> bool:
    """Whether the DataFrame expression `frame` evidently holds few rows: a `.limit(...)`, a
    global aggregate (`df.agg(...)`, a `select` of aggregate functions only), `summary` or
    `describe`, `createDataFrame` of rows written in the code, through row-preserving methods, assignments (every assignment that may give
    a name its value must be bounded), and the values the semantic model follows calls of the
    file's own functions and instance attributes to (all of them must be bounded)."""
    semantic = ctx.semantic
    while True:
        if depth > _MAX_HOPS:
            return False
        sources = semantic.value_sources(frame)
        if sources is not None:
            return all(is_row_bounded(source, ctx, depth=depth + 1) for source in sources)
        if isinstance(frame, ast.Name):
            reaching = semantic.reaching_bindings(frame)
            return bool(reaching) and all(
                binding.kind == "assign" and is_row_bounded(binding.value, ctx, depth=depth + 1)
                for binding in reaching
            )
        if not (isinstance(frame, ast.Call) and isinstance(frame.func, ast.Attribute)):
            return False
        name, receiver = frame.func.attr, frame.func.value
        if name in ("limit", "summary", "describe"):
            return True
        if name == "agg":
            return semantic.kind_of(receiver) == "dataframe"
        if name == "select" and _selects_only_aggregates(frame, ctx):
            return True
        if name == "sql" and semantic.is_spark_session(receiver):
            return _sql_is_bounded(frame)
        if name == "createDataFrame" and semantic.is_spark_session(receiver):
            # Rows written out in the code are already on the driver.
            data = frame.args[0] if frame.args else None
            return isinstance(data, (ast.List, ast.Tuple, ast.ListComp))
        if name not in _ROW_PRESERVING:
            return False
        frame = receiver  # down the chain: `.filter(...)` keeps the bound of what it filters


def _sql_is_bounded(call: ast.Call) -> bool:
    """`spark.sql("...")` of a query that returns few rows: a top-level `LIMIT`, aggregates
    without `GROUP BY`, or a `SHOW`/`DESCRIBE` statement. Parsed with sqlglot, only for a
    literal query and only when a finding is otherwise due."""
    query = string_value(call.args[0]) if call.args else None
    if query is None:
        return False
    if query.lstrip().upper().startswith(("SHOW ", "DESCRIBE ", "DESC ")):
        return True
    import logging

    import sqlglot
    from sqlglot import expressions

    sqlglot_logger = logging.getLogger("sqlglot")
    previous = sqlglot_logger.level
    sqlglot_logger.setLevel(logging.CRITICAL)  # no "unsupported syntax" noise on stderr
    try:
        tree = sqlglot.parse_one(query, read="databricks")
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
        return False
    finally:
        sqlglot_logger.setLevel(previous)
    if tree.args.get("limit") is not None:
        return True
    return (
        isinstance(tree, expressions.Select)
        and tree.args.get("group") is None
        and bool(tree.expressions)
        and all(isinstance(p.unalias(), expressions.AggFunc) for p in tree.expressions)
    )


def _selects_only_aggregates(call: ast.Call, ctx: RuleContext) -> bool:
    if not call.args or call.keywords:
        return False
    for argument in call.args:
        inner = argument
        # `F.max("x").alias("m")`
        while (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr in ("alias", "cast", "name", "astype")
        ):
            inner = inner.func.value
        if not isinstance(inner, ast.Call):
            return False
        qualified = ctx.semantic.qualified_name(inner.func)
        if qualified is None or not qualified.startswith(FUNCTIONS_MODULE + "."):
            return False
        if qualified.rsplit(".", 1)[1] not in _AGGREGATE_FUNCTIONS:
            return False
    return True


def functions_alias(ctx: RuleContext) -> str | None:
    """The module-level name bound to `pyspark.sql.functions` (`F`, `func`...), if any."""
    for name, bindings in ctx.semantic.bindings(ctx.tree).items():
        if all(b.kind == "import" and b.value == FUNCTIONS_MODULE for b in bindings):
            return name
    return None


def name_is_free(ctx: RuleContext, name: str) -> bool:
    """No module-level binding uses `name` (so an import of it would not clash)."""
    return name not in ctx.semantic.bindings(ctx.tree)


def fix_with_import(
    ctx: RuleContext,
    edits: Iterable[Edit],
    *,
    module: str | None,
    name: str | None,
    asname: str | None = None,
    remove_unused: Sequence[tuple[str, str | None, str | None]] = (),
    message: str,
    applicability: Applicability = "unsafe",
) -> Fix | None:
    """One fix: `edits`, plus `from module import name [as asname]` (or `import module`
    when `name` is None; nothing when `module` is None) added with libcst's
    `AddImportsVisitor` when it is not there yet, and the imports `(module, name, asname)`
    in `remove_unused` dropped if the edits left them unused. The whole change is reduced to
    one minimal edit."""
    import libcst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

    from codemods.engine.cst import minimal_edit
    from codemods.engine.fixer import apply_edits

    text = apply_edits(ctx.source, edits)
    try:
        module_tree = libcst.parse_module(text)
    except libcst.ParserSyntaxError:
        return None
    if module is not None:
        context = CodemodContext()
        AddImportsVisitor.add_needed_import(context, module, name, asname=asname)
        module_tree = AddImportsVisitor(context).transform_module(module_tree)
    if remove_unused:
        context = CodemodContext()
        for unused_module, unused_name, unused_asname in remove_unused:
            RemoveImportsVisitor.remove_unused_import(
                context, unused_module, unused_name, asname=unused_asname
            )
        module_tree = RemoveImportsVisitor(context).transform_module(module_tree)
    new_text = module_tree.code
    if not ctx.source.startswith("\n"):
        new_text = new_text.lstrip("\n")  # a removed first import leaves no blank first line
    edit = minimal_edit(ctx, new_text)
    if edit is None:
        return None
    return Fix((edit,), applicability, message)


class ReaderChain:
    """What a `spark.read...<terminal>(...)` call says about the read: its format, its
    options (keys lower-cased, from `.option`, `.options` and the terminal's keywords),
    whether a schema is given, and whether some options are not visible (`**opts`)."""

    def __init__(self, terminal: ast.Call, ctx: RuleContext) -> None:
        assert isinstance(terminal.func, ast.Attribute)
        self.terminal = terminal
        self.method = terminal.func.attr
        self.options: dict[str, ast.expr] = {}
        self.has_schema = False
        self.hidden_options = False
        self.format: str | None = self.method if self.method != "load" else None
        _, links = ctx.semantic.method_chain(terminal.func.value)
        for name, call in links:
            if call is None:
                continue
            if name == "format" and call.args:
                self.format = (string_value(call.args[0]) or "").lower() or None
            elif name == "schema":
                self.has_schema = True
            elif name == "option" and len(call.args) == 2:
                key = string_value(call.args[0])
                if key is None:
                    self.hidden_options = True
                else:
                    self.options[key.lower()] = call.args[1]
            elif name == "options":
                self._keywords(call.keywords)
                if call.args:
                    self.hidden_options = True
        self._keywords(terminal.keywords)

    def _keywords(self, keywords: list[ast.keyword]) -> None:
        for keyword in keywords:
            if keyword.arg is None:
                self.hidden_options = True
            elif keyword.arg == "schema":
                self.has_schema = True
            elif keyword.arg == "format" and self.method == "load":
                self.format = (string_value(keyword.value) or "").lower() or None
            else:
                self.options[keyword.arg.lower()] = keyword.value


def reader_terminal(node: ast.Call, ctx: RuleContext) -> ReaderChain | None:
    """The read described by `node` when it is `<reader>.<method>(...)`, else None."""
    if not isinstance(node.func, ast.Attribute):
        return None
    # Cheap first: a reader chain goes through `.read` or `.readStream` (skips `spark.table`).
    _, links = ctx.semantic.method_chain(node.func.value)
    if not any(call is None and name in ("read", "readStream") for name, call in links):
        return None
    if ctx.semantic.kind_of(node.func.value) != "reader":
        return None
    return ReaderChain(node, ctx)


def is_true_literal(node: ast.AST) -> bool:
    """`True`, `"true"` (any case): how options are switched on."""
    if isinstance(node, ast.Constant):
        if node.value is True:
            return True
        return isinstance(node.value, str) and node.value.strip().lower() == "true"
    return False


def offset_of(ctx: RuleContext, node: ast.AST, *, end: bool = False) -> int:
    """The character offset in the file where `node` starts (or ends)."""
    return ctx.lines.offset(ctx.end(node) if end else ctx.start(node))


def line_indent(ctx: RuleContext, offset: int) -> str:
    """The leading whitespace of the line holding `offset`."""
    line_start = ctx.source.rfind("\n", 0, offset) + 1
    line = ctx.source[line_start:offset]
    return line[: len(line) - len(line.lstrip())]
