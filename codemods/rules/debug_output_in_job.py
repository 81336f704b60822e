"""DBX206 debug-output-in-job."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.engine.types import Fix
from codemods.rules._databricks import import_edit, name_is_free
from codemods.rules.base import Invalid, Rule

_DATAFRAME_OUTPUT = frozenset({"show", "explain", "printSchema"})
_LOGGER_FACTORIES = frozenset({"toolkit.logging.get_logger", "logging.getLogger"})
_LOGGER_NAMES = ("logger", "log", "LOGGER", "LOG")
_COMMAND_LINE_FILES = frozenset({"__main__.py", "cli.py"})
_CLI_FRAMEWORKS = frozenset({"click", "typer", "argparse", "fire", "docopt"})
_BLUEPRINT_CLI = "databricks.labs.blueprint.cli"
_STDOUT_ASSIGNMENT = re.compile(r"\bsys\.stdout\s*=[^=]")
_NEW_LOGGER = "from toolkit.logging import get_logger\n\nlogger = get_logger(__name__)"


class DebugOutputInJob(Rule):
    """
    ## What it does
    Flags debugging output in a library module: `print(...)`, the notebook's `display(...)`,
    and `.show()`, `.explain()` and `.printSchema()` on a DataFrame, outside
    `if __name__ == "__main__":`. Not flagged: output captured as data (in a function that
    redirects `sys.stdout`), and `print` in a command-line program (`__main__.py`, `cli.py`,
    or a module importing `click`, `typer`, `argparse`, `fire` or `docopt`), whose interface
    is standard output.

    ## Why is this bad?
    In a job nobody reads standard output: `print` lines have no level, no timestamp and no
    context, and are lost among the driver's logs. `show()` and `display()` run a Spark job
    each time only to print rows, and `display` does not exist outside a notebook, so the
    module fails in tests and jobs. The project logger writes structured JSON lines with the
    job's context that log queries and alerts can use.

    ## Example
    ```python
    def clean(orders):
        print("cleaning", orders.columns)
        orders.show()
        return orders.dropna()
    ```

    ## Use instead
    ```python
    from toolkit.logging import get_logger

    logger = get_logger(__name__)

    def clean(orders):
        logger.info("cleaning %s", orders.columns)
        return orders.dropna()
    ```

    ## Fix safety
    `print(...)` becomes `logger.info(...)` on the module's logger (a module-level `logger`
    or `log` from `get_logger`/`logging.getLogger`), adding
    `from toolkit.logging import get_logger` and `logger = get_logger(__name__)` when there
    is none; several arguments become a `"%s %s"` format. The fix is unsafe: the text moves
    from standard output to the log, with a level and a format. `print` with `sep`, `end` or
    `file`, `show`, `explain` and `display` have no fix.

    ## References
    - [Python logging](https://docs.python.org/3/library/logging.html)
    - [DataFrame.show](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrame.show.html)
    - [Databricks: job run output and logs](https://docs.databricks.com/en/jobs/monitor.html)
    """

    code = "DBX206"
    name = "debug-output-in-job"
    severity = "warning"
    node_types = (ast.Call,)
    names = _DATAFRAME_OUTPUT | {"print", "display"}
    library_only = True
    fixable = True

    valid = [
        """
        from toolkit.logging import get_logger

        logger = get_logger(__name__)

        def clean(orders):
            logger.info("cleaning %s", orders.columns)
            return orders.dropna()
        """,
        # The entry point may print.
        """
        from orders.job import run

        if __name__ == "__main__":
            print(run())
        """,
        # Look-alikes: a shadowed print, a `show` of a non-DataFrame, a local display.
        """
        import matplotlib.pyplot as plt

        def print(*args):
            return None
        print("x")
        plt.show()

        def display(value):
            return value
        display(1)
        """,
        # A command-line program prints its results.
        """
        import argparse
        import json

        def main(argv=None):
            options = argparse.ArgumentParser().parse_args(argv)
            print(json.dumps(vars(options)))
        """,
        # A `show` on an unknown parameter stays silent; a plan captured as a string is data.
        """
        import contextlib
        import io
        from pyspark.sql import DataFrame

        def render(chart):
            chart.show()

        def plan_of(df: DataFrame) -> str:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                df.explain(True)
            return buffer.getvalue()
        """,
    ]
    invalid = [
        Invalid(
            """
            from toolkit.logging import get_logger

            logger = get_logger(__name__)

            def clean(orders):
                print("cleaning", orders.columns)
                return orders.dropna()
            """,
            at=[(6, 5)],
            unsafe=True,
            fixed="""
            from toolkit.logging import get_logger

            logger = get_logger(__name__)

            def clean(orders):
                logger.info("%s %s", "cleaning", orders.columns)
                return orders.dropna()
            """,
        ),
        Invalid(
            """
            import pyspark.sql.functions as F

            def late(days: int):
                print(f"late orders over {days} days")
                return spark.table("sales.orders").filter(F.col("age") > days)
            """,
            at=[(4, 5)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F
            from toolkit.logging import get_logger

            logger = get_logger(__name__)

            def late(days: int):
                logger.info(f"late orders over {days} days")
                return spark.table("sales.orders").filter(F.col("age") > days)
            """,
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def clean(orders: DataFrame) -> DataFrame:
                orders.show()
                (
                    orders
                    .filter("amount > 0")
                    .explain(mode="formatted")
                )
                display(orders)
                return orders
            """,
            at=[(4, 5), (6, 9), (10, 5)],
        ),
        Invalid(
            """
            import logging

            log = logging.getLogger(__name__)

            def report(total):
                print(total)
                print("done", end="")

            def audit(log):
                print("audit")
            """,
            at=[(6, 5), (7, 5), (10, 5)],
            unsafe=True,
            fixed="""
            import logging

            log = logging.getLogger(__name__)

            def report(total):
                log.info(total)
                print("done", end="")

            def audit(log):
                print("audit")
            """,
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in _DATAFRAME_OUTPUT and ctx.semantic.is_dataframe(func.value):
                self._report(node, ctx, f"`DataFrame.{func.attr}()`")
            return
        if not isinstance(func, ast.Name):
            return
        if func.id == "print" and ctx.semantic.is_builtin(func, "print"):
            if not _is_command_line_module(ctx):
                self._report(node, ctx, "`print()`", fix=_print_fix(node, ctx))
        elif func.id == "display" and ctx.semantic.reaching_bindings(func) is None:
            self._report(node, ctx, "The notebook's `display()`")

    def _report(self, node: ast.Call, ctx: RuleContext, what: str, fix: Fix | None = None):
        if ctx.semantic.in_main_guard(node) or _captures_stdout(node, ctx):
            return
        ctx.report(node, f"{what} in a library module is debugging output; log it", fix=fix)


def _print_fix(node: ast.Call, ctx: RuleContext) -> Fix | None:
    if node.keywords or not node.args or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    logger, edits = _module_logger(ctx)
    if logger is None:
        return None
    if _bound_in_functions(node, logger, ctx):
        return None  # a local `logger` would shadow the module's
    if edits and not name_is_free(ctx, node, "get_logger"):
        return None  # `get_logger` is something else here
    arguments = [ctx.text(argument) for argument in node.args]
    if len(arguments) > 1:
        arguments.insert(0, '"' + " ".join(["%s"] * len(arguments)) + '"')
    edits.insert(0, ctx.replace(node, f"{logger}.info({', '.join(arguments)})"))
    return ctx.fix(f"Replace with `{logger}.info(...)`", edits, applicability="unsafe")


def _module_logger(ctx: RuleContext):
    """The module's logger name and the edits that create it when there is none; (None, [])
    when a module-level `logger` exists but is something else."""
    bindings = ctx.semantic.bindings(ctx.tree)
    for name in _LOGGER_NAMES:
        found = bindings.get(name)
        if not found:
            continue
        if all(_is_logger_factory_call(binding, ctx) for binding in found):
            return name, []
        if name == "logger":
            return None, []
    return "logger", [import_edit(ctx, _NEW_LOGGER)]


def _is_logger_factory_call(binding, ctx: RuleContext) -> bool:
    value = binding.value if binding.kind == "assign" else None
    return isinstance(value, ast.Call) and (
        ctx.semantic.qualified_name(value.func) in _LOGGER_FACTORIES
    )


def _bound_in_functions(node: ast.AST, name: str, ctx: RuleContext) -> bool:
    """Whether a function around `node` binds `name` (so it would not be the module's)."""
    scope = ctx.semantic.enclosing_scope(node)
    while scope is not ctx.tree:
        if name in ctx.semantic.bindings(scope):
            return True
        scope = ctx.semantic.enclosing_scope(scope)
    return False


def _captures_stdout(node: ast.AST, ctx: RuleContext) -> bool:
    """The function around `node` redirects standard output (`sys.stdout = buffer`,
    `redirect_stdout(...)`): the output is captured as data (an `explain()` plan kept as a
    string), not shown."""
    function = ctx.semantic.enclosing_function(node)
    text = ctx.text(function) if function is not None else ctx.source
    return "redirect_stdout" in text or _STDOUT_ASSIGNMENT.search(text) is not None


def _is_command_line_module(ctx: RuleContext) -> bool:
    """A command-line program (`__main__.py`, `cli.py`, or a module importing a CLI
    framework): standard output is its interface, so `print` is output, not debugging."""
    name = ctx.path.replace("\\", "/").rsplit("/", 1)[-1]
    if name in _COMMAND_LINE_FILES:
        return True
    for bindings in ctx.semantic.bindings(ctx.tree).values():
        for binding in bindings:
            if binding.kind == "import" and binding.value.split(".")[0] in _CLI_FRAMEWORKS:
                return True
            if binding.kind == "import" and binding.value.startswith(_BLUEPRINT_CLI):
                return True
    return False
