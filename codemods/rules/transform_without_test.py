"""TST001 transform-without-test."""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Iterator

from codemods.engine.context import RuleContext
from codemods.engine.options import LintSettings
from codemods.engine.project import NamesInTests, names_in_tests_for_options
from codemods.rules.base import Invalid, Rule, Valid

_SPARK_DATAFRAME_PREFIX = "pyspark."
_DEF_NAME = re.compile(r"(?:async\s+)?def\s+([A-Za-z_][A-Za-z0-9_]*)")


def _tests_mention(*names: str, exists: bool = True) -> LintSettings:
    """Example settings: a project whose test files mention `names`."""
    index = NamesInTests(frozenset(names), folders_exist=exists, files=1)
    return LintSettings(
        enabled_codes=frozenset({"TST001"}),
        library_module=True,
        rule_options={"TST001": {"names-in-tests": index}},
    )


_TESTS_MENTION_NOTHING = _tests_mention("pytest", "spark", "assert_df_equality")
_EXAMPLE_PATH = "src/shop/orders.py"


class TransformWithoutTest(Rule):
    """
    ## What it does
    Flags a public DataFrame-to-DataFrame function (or method, or a function that returns
    one) in a library module under the `src` folders that no file under the `tests` folders
    imports or names. A transform is what `toolkit gen-tests` finds: a PySpark `DataFrame`
    parameter and return annotation, or a parameter the body calls DataFrame methods on and
    whose derived value it returns, in a module that imports `pyspark`.

    A project with no test folder at all is reported only when the rule is selected by name
    (`--select TST001`, `extend-select = ["TST"]`, the `toolkit-tests` hook): otherwise every
    transform of a project that has not started testing would be flagged.

    ## Why is this bad?
    Transforms hold the business logic of a pipeline: a filter on the wrong column or a join
    of the wrong type changes what lands in the tables without failing anything. A transform
    no test even imports is one whose behaviour nobody will notice changing.

    ## Example
    ```python
    # src/shop/orders.py, and no file under tests/ mentions `paid_orders`
    from pyspark.sql import DataFrame, functions as F

    def paid_orders(orders: DataFrame) -> DataFrame:
        return orders.filter(F.col("amount") > 0)
    ```

    ## Use instead
    ```python
    # tests/shop/test_orders.py, written by `toolkit gen-tests src/shop/orders.py`
    from chispa import assert_df_equality
    from shop.orders import paid_orders

    def test_paid_orders(spark):
        orders = spark.createDataFrame([(1, 10.0), (2, 0.0)], ["order_id", "amount"])
        expected = spark.createDataFrame([(1, 10.0)], ["order_id", "amount"])
        assert_df_equality(paid_orders(orders), expected, ignore_nullable=True)
    ```

    ## Fix safety
    There is no text fix: the test is another file, which needs Spark to compute its expected
    rows. The message names the command that writes it,
    `toolkit gen-tests PATH --function NAME`, and the `toolkit-tests` pre-commit hook with
    `args: [--fix]` runs it for the staged files.

    ## References
    - [PySpark testing utilities](https://spark.apache.org/docs/latest/api/python/getting_started/testing_pyspark.html)
    - [Databricks: unit testing for notebooks and code](https://docs.databricks.com/en/notebooks/testing.html)
    """

    code = "TST001"
    name = "transform-without-test"
    severity = "warning"
    node_types = (ast.Module,)
    library_only = True
    fixable = False

    valid = [
        # A test imports it.
        Valid(
            """
            from pyspark.sql import DataFrame
            import pyspark.sql.functions as F

            def paid_orders(orders: DataFrame) -> DataFrame:
                return orders.filter(F.col("amount") > 0)
            """,
            path=_EXAMPLE_PATH,
            settings=_tests_mention("paid_orders", "shop", "orders"),
        ),
        # Private functions, pandas DataFrames, and functions that return no DataFrame.
        Valid(
            """
            import pandas as pd
            from pyspark.sql import DataFrame

            def _dedupe(orders: DataFrame) -> DataFrame:
                return orders.dropDuplicates(["order_id"])

            def summarize(report: pd.DataFrame) -> pd.DataFrame:
                return report.filter(items=["total"])

            def row_count(orders: DataFrame) -> int:
                return orders.count()
            """,
            path=_EXAMPLE_PATH,
            settings=_TESTS_MENTION_NOTHING,
        ),
        # No pyspark import: a `.filter().select()` chain on an unknown object is not Spark.
        Valid(
            """
            def active(records):
                return records.filter(lambda r: r.active).select("id")
            """,
            path=_EXAMPLE_PATH,
            settings=_TESTS_MENTION_NOTHING,
        ),
        # A method named in a test through its instance, and a transform patched by string.
        Valid(
            """
            from pyspark.sql import DataFrame

            class OrderCleaner:
                def drop_refunds(self, orders: DataFrame) -> DataFrame:
                    return orders.where("refunded = false")

            def with_vat(orders: DataFrame) -> DataFrame:
                return orders.withColumn("vat", orders.amount * 0.2)
            """,
            path=_EXAMPLE_PATH,
            settings=_tests_mention("OrderCleaner", "drop_refunds", "with_vat"),
        ),
        # No test folder, and TST001 not selected by name: silent.
        Valid(
            """
            from pyspark.sql import DataFrame

            def paid_orders(orders: DataFrame) -> DataFrame:
                return orders.filter("amount > 0")
            """,
            path=_EXAMPLE_PATH,
            settings=_tests_mention(exists=False),
        ),
        # Without project facts (no `tests` setting) the rule cannot know: silent.
        """
        from pyspark.sql import DataFrame

        def paid_orders(orders: DataFrame) -> DataFrame:
            return orders.filter("amount > 0")
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql import DataFrame
            import pyspark.sql.functions as F

            def paid_orders(orders: DataFrame) -> DataFrame:
                return orders.filter(F.col("amount") > 0)
            """,
            path=_EXAMPLE_PATH,
            settings=_TESTS_MENTION_NOTHING,
            at=[(4, 1)],
        ),
        # Annotated through an aliased module, a multi-line chain, a decorator, async.
        Invalid(
            """
            import functools
            from pyspark.sql import functions as func
            import pyspark.sql as ps

            @functools.lru_cache
            def daily_totals(orders: ps.DataFrame, *, day: str) -> "ps.DataFrame":
                return (
                    orders.where(func.col("day") == day)
                    .groupBy("store")
                    .agg(func.sum("amount").alias("total"))
                )

            async def late(orders: ps.DataFrame) -> ps.DataFrame:
                return orders.filter("late")
            """,
            path=_EXAMPLE_PATH,
            settings=_tests_mention("orders", "late_orders", "day"),
            at=[(6, 1), (13, 1)],
        ),
        # Found from the body in a Spark module; a method; a higher-order transform.
        Invalid(
            """
            from typing import Callable
            from pyspark.sql import DataFrame
            from pyspark.sql.functions import col

            def only_paid(frame):
                cleaned = frame.dropna(subset=["amount"])
                return cleaned.filter(col("amount") > 0)

            class Enricher:
                def add_region(self, orders: DataFrame, regions: DataFrame) -> DataFrame:
                    return orders.join(regions, "store_id", "left")

            def with_currency(code: str) -> Callable[[DataFrame], DataFrame]:
                def apply(frame: DataFrame) -> DataFrame:
                    return frame.withColumn("currency", col("amount"))
                return apply
            """,
            path=_EXAMPLE_PATH,
            settings=_tests_mention("Enricher", "only_paid_total"),
            at=[(5, 1), (10, 5), (13, 1)],
        ),
        # A string that merely contains the name, and a comment, are not mentions; the test
        # folder exists but is empty of it.
        Invalid(
            """
            from pyspark.sql import DataFrame

            def dosage(prescriptions: DataFrame) -> DataFrame:
                return prescriptions.select("patient_id", "dosage")
            """,
            path=_EXAMPLE_PATH,
            settings=_tests_mention("dosage_mg", "patient_id dosage"),
            at=[(3, 1)],
        ),
        # No test folder at all, but TST001 selected by name: every transform is reported.
        Invalid(
            """
            from pyspark.sql import DataFrame

            def paid_orders(orders: DataFrame) -> DataFrame:
                return orders.filter("amount > 0")
            """,
            path=_EXAMPLE_PATH,
            settings=LintSettings(
                enabled_codes=frozenset({"TST001"}),
                library_module=True,
                rule_options={
                    "TST001": {
                        "names-in-tests": NamesInTests(folders_exist=False),
                        "explicit": True,
                    }
                },
            ),
            at=[(3, 1)],
        ),
    ]

    def check(self, node: ast.Module, ctx: RuleContext) -> None:
        # Cheap checks first: a PySpark transform needs a `def` and a pyspark import (the
        # only way an annotation or the module can show its DataFrames are Spark ones).
        if "def " not in ctx.source or "pyspark" not in ctx.source:
            return
        if _is_private_module(ctx.path):
            return
        # Without project facts (`names_in_tests_for_options` is None) the rule is silent:
        # known before any transform is looked for.
        options = ctx.options
        if not isinstance(options.get("names-in-tests"), NamesInTests) and not options.get("tests"):
            return
        imports = _module_imports(ctx.tree)
        if not any(name.split(".")[0] == "pyspark" for name in imports.values()):
            return
        from codemods.testgen.discovery import discover_nodes

        found = discover_nodes(ctx.tree, ctx.path)
        if not found:
            return
        transforms = [
            (transform, function)
            for transform, function in found
            if _is_spark_transform(function, imports, ctx)
        ]
        if not transforms:
            return
        names = names_in_tests_for_options(ctx.options)
        if names is None:
            return
        if not names.folders_exist and not ctx.options.get("explicit"):
            return
        for transform, function in transforms:
            if names.mentions(transform.name):
                continue
            command = f"toolkit gen-tests {shlex.quote(ctx.path)} --function {transform.qualname}"
            where = (
                "no file under the test folders imports or names it"
                if names.folders_exist
                else "the project has no test folder"
            )
            ctx.report(
                _def_header(function, ctx),
                f"Transform `{transform.qualname}` has no test: {where}; "
                f"generate one with `{command}`",
            )


def _is_private_module(path: str) -> bool:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.startswith("_") and name != "__init__.py"


def _module_imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name for the module's imports (top level and `if` blocks
    such as `if TYPE_CHECKING:`), for string annotations the semantic model does not see."""
    imports: dict[str, str] = {}
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, ast.If | ast.Try):
            pending.extend(stmt.body)
            pending.extend(stmt.orelse)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    imports[top] = top
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            for alias in stmt.names:
                imports[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
    return imports


def _is_spark_transform(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    imports: dict[str, str],
    ctx: RuleContext,
) -> bool:
    """Whether the code shows the transform's DataFrames are PySpark ones.

    Every annotation naming a `DataFrame` must resolve to pyspark's (a pandas or unknown
    `DataFrame` anywhere: silent); without such annotations the body evidence counts only in
    a module that imports pyspark.
    """
    resolved = list(_dataframe_annotations(function, imports, ctx))
    if resolved:
        return all(
            name is not None and name.startswith(_SPARK_DATAFRAME_PREFIX) for name in resolved
        )
    return True  # body evidence, in a module that imports pyspark (`check` made sure)


def _dataframe_annotations(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    imports: dict[str, str],
    ctx: RuleContext,
) -> Iterator[str | None]:
    """The qualified name (None: unknown) of every `DataFrame` an annotation names, in
    `function` and the functions it defines (a higher-order transform's inner function)."""
    # The engine's node index, not `ast.walk` over every body (a third of the lint time of
    # a 2,000-line file went there).
    functions = [function, *ctx.nodes(ast.FunctionDef, ast.AsyncFunctionDef, within=function)]
    for node in functions:
        arguments = node.args
        annotations = [
            arg.annotation
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
            if arg.annotation is not None
        ]
        if node.returns is not None:
            annotations.append(node.returns)
        for annotation in annotations:
            yield from _dataframes_in(annotation, imports, ctx)


def _dataframes_in(
    annotation: ast.expr, imports: dict[str, str], ctx: RuleContext
) -> Iterator[str | None]:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            parsed = ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return
        for node in ast.walk(parsed):
            dotted = _dotted(node)
            if dotted is not None and dotted.rsplit(".", 1)[-1] == "DataFrame":
                head, _, rest = dotted.partition(".")
                base = imports.get(head)
                yield None if base is None else ".".join(filter(None, (base, rest)))
        return
    for node in ast.walk(annotation):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield from _dataframes_in(node, imports, ctx)
            continue
        dotted = _dotted(node)
        if dotted is None or dotted.rsplit(".", 1)[-1] != "DataFrame":
            continue
        if isinstance(ctx.semantic.parent(node), ast.Attribute):
            continue  # the outer attribute of the chain is the one that counts
        yield ctx.semantic.qualified_name(node)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


class _Span:
    """A position-only node: from `def` to the end of the function's name."""

    def __init__(self, lineno: int, col_offset: int, end_col_offset: int) -> None:
        self.lineno = self.end_lineno = lineno
        self.col_offset = col_offset
        self.end_col_offset = end_col_offset


def _def_header(function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: RuleContext) -> ast.AST:
    """The `def name` part of a function (the whole function when it cannot be found), so an
    editor underlines the header and not the body."""
    line = ctx.lines.line_text(function.lineno).encode("utf-8")
    match = _DEF_NAME.match(line[function.col_offset :].decode("utf-8", "replace"))
    if match is None or match.group(1) != function.name:
        return function
    end = function.col_offset + len(match.group(0).encode("utf-8"))
    return _Span(function.lineno, function.col_offset, end)  # type: ignore[return-value]
