"""SPK104 spark-function-shadows-builtin."""

from __future__ import annotations

import ast
import builtins
from functools import cache

from codemods.engine.context import RuleContext
from codemods.engine.cst import cst_fix
from codemods.engine.types import Fix
from codemods.rules.base import Invalid, Rule

_FUNCTIONS_MODULE = "pyspark.sql.functions"
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
# Aliases tried, in order, for `from pyspark.sql import functions as <alias>`.
_ALIASES = ("F", "sf", "spark_functions")


class SparkFunctionShadowsBuiltin(Rule):
    """
    ## What it does
    Flags `from pyspark.sql.functions import *`, and a name imported from
    `pyspark.sql.functions` without `as` that is also a Python built-in: `sum`, `min`,
    `max`, `abs`, `round`, `filter`, `hash`, `pow`, `slice`, `hex`, `bin`, `ascii`.

    ## Why is this bad?
    After `from pyspark.sql.functions import sum`, every `sum(...)` in the module is Spark's:
    `sum([1, 2, 3])` on a Python list raises a confusing error, or, worse, `max(a, b)` on two
    numbers builds a Column where a number was expected. The wildcard import does this for
    every built-in at once and hides where each name comes from.

    ## Example
    ```python
    from pyspark.sql.functions import col, sum

    totals = orders.groupBy("day").agg(sum(col("amount")))
    ```

    ## Use instead
    ```python
    from pyspark.sql.functions import col
    from pyspark.sql import functions as F

    totals = orders.groupBy("day").agg(F.sum(col("amount")))
    ```

    ## Fix safety
    The fix imports `functions as F` (or reuses such an import, or picks a free alias) and
    qualifies every use of the shadowing names in the scopes where the import is what they
    mean (scope analysis with libcst). Under a wildcard every use of a name the wildcard
    shadows is qualified too (`max(values)` becomes `F.max(values)`, which is what it
    called), so a mistaken call becomes visible instead of changing meaning. It is unsafe: code that relied on the shadowing, or
    on a name the wildcard brought in from another module, changes meaning. No fix is offered
    when a shadowing name is also bound elsewhere in the same scope, or when another wildcard
    import could provide the same names.

    ## References
    - [PySpark functions](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/functions.html)
    - [PEP 8: wildcard imports](https://peps.python.org/pep-0008/#imports)
    """

    code = "SPK104"
    name = "spark-function-shadows-builtin"
    severity = "error"
    node_types = (ast.ImportFrom,)
    fixable = True

    valid = [
        """
        from pyspark.sql import functions as F
        from pyspark.sql.functions import col, lit
        totals = spark.table("t").groupBy("day").agg(F.sum(col("amount")), lit(1))
        """,
        # Renamed on import: nothing is shadowed.
        """
        from pyspark.sql.functions import max as spark_max, sum as spark_sum
        both = spark_max("a"), spark_sum("b")
        """,
        # Another library's `sum`, and a relative import named like pyspark.
        """
        from numpy import sum
        from .pyspark.sql.functions import max
        total = sum([1, 2])
        """,
        # `import pyspark.sql.functions` binds no function names.
        """
        import pyspark.sql.functions
        import pyspark.sql.functions as func
        x = pyspark.sql.functions.sum("a"), func.max("b")
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql.functions import col, sum

            totals = spark.table("t").groupBy("day").agg(sum(col("amount")))
            """,
            at=[(1, 40)],
            unsafe=True,
            fixed="""
            from pyspark.sql.functions import col
            from pyspark.sql import functions as F

            totals = spark.table("t").groupBy("day").agg(F.sum(col("amount")))
            """,
        ),
        # Scope-aware: a parameter named `max` inside a function is left alone, and an
        # existing `functions` import is reused.
        Invalid(
            """
            import pyspark.sql.functions as func
            from pyspark.sql.functions import (
                max,
                round,
            )

            def top(df, max=3):
                return df.limit(max)

            def stats(df):
                return df.agg(round(max("amount"), 2))
            """,
            at=[(3, 5), (4, 5)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as func

            def top(df, max=3):
                return df.limit(max)

            def stats(df):
                return df.agg(func.round(func.max("amount"), 2))
            """,
        ),
        # An import inside a function reuses the module's `F`.
        Invalid(
            """
            from pyspark.sql import functions as F

            def totals(df):
                from pyspark.sql.functions import sum
                return df.agg(sum("amount"), F.count("*"))
            """,
            at=[(4, 39)],
            unsafe=True,
            fixed="""
            from pyspark.sql import functions as F

            def totals(df):
                return df.agg(F.sum("amount"), F.count("*"))
            """,
        ),
        # The wildcard: every pyspark function used becomes qualified; `F` is taken, so
        # another alias is chosen.
        Invalid(
            """
            from pyspark.sql.functions import *

            F = 1.8
            df = spark.table("t").select(col("a"), abs(col("b")), lit(F))
            print(len(df.columns))
            """,
            at=[(1, 1)],
            unsafe=True,
            fixed="""
            from pyspark.sql import functions as sf

            F = 1.8
            df = spark.table("t").select(sf.col("a"), sf.abs(sf.col("b")), sf.lit(F))
            print(len(df.columns))
            """,
        ),
        # Rebound later in the same scope: flagged, but no fix (the uses are ambiguous).
        Invalid(
            """
            from pyspark.sql.functions import filter
            expr = filter("xs", lambda x: x > 0)
            filter = None
            """,
            at=[(1, 35)],
        ),
        # A second wildcard could provide the same names: no fix.
        Invalid(
            """
            from helpers import *
            from pyspark.sql.functions import *
            value = col("a")
            """,
            at=[(2, 1)],
        ),
    ]

    def check(self, node: ast.ImportFrom, ctx: RuleContext) -> None:
        if node.level != 0 or node.module != _FUNCTIONS_MODULE:
            return
        star = any(alias.name == "*" for alias in node.names)
        shadowing = [
            alias for alias in node.names if alias.asname is None and alias.name in _BUILTINS
        ]
        if not star and not shadowing:
            return
        # One fix for the whole import, shared by its findings. Kept in a local, not on the
        # rule: a fix held by the rule would hold the context holding the rule (a cycle).
        fix = _qualifying_fix(node, ctx)
        if star:
            ctx.report(
                node,
                "`import *` from `pyspark.sql.functions` shadows built-ins such as `sum`, "
                "`min`, `max`, `abs`, `round`",
                fix=fix,
            )
            return
        for alias in shadowing:
            ctx.report(
                alias,
                f"`{alias.name}` from `pyspark.sql.functions` shadows the built-in `{alias.name}`",
                fix=fix,
            )


def _qualifying_fix(node: ast.ImportFrom, ctx: RuleContext) -> Fix | None:
    from codemods.rules._qualify_functions import qualify_functions

    star = any(alias.name == "*" for alias in node.names)
    if star and _other_wildcards(node, ctx):
        return None
    names = (
        None
        if star
        else frozenset(
            alias.name for alias in node.names if alias.asname is None and alias.name in _BUILTINS
        )
    )
    functions = _spark_function_names() if star else frozenset()
    if star and not functions:
        return None  # pyspark is not installed: the wildcard's names are unknown
    existing = _existing_alias(node, ctx)
    alias = existing or _free_alias(ctx)
    if alias is None:
        return None
    return cst_fix(
        ctx,
        lambda module: qualify_functions(
            module,
            import_line=node.lineno,
            names=names,
            alias=alias,
            add_import=existing is None,
            functions=functions,
        ),
        message=f"Import `functions as {alias}` and qualify the uses",
        applicability="unsafe",
    )


def _other_wildcards(node: ast.ImportFrom, ctx: RuleContext) -> bool:
    return any(
        isinstance(other, ast.ImportFrom)
        and other is not node
        and any(alias.name == "*" for alias in other.names)
        for other in ast.walk(ctx.tree)
    )


def _existing_alias(node: ast.ImportFrom, ctx: RuleContext) -> str | None:
    """A name bound to the functions module (`import pyspark.sql.functions as F`) in the
    import's scope or at module level, and bound to nothing else anywhere in the file, so
    `F.max` means the same in every scope the fix touches."""
    scopes = [ctx.semantic.enclosing_scope(node), ctx.tree]
    for scope in scopes:
        for name, bindings in ctx.semantic.bindings(scope).items():
            if (
                bindings
                and all(
                    binding.kind == "import" and binding.value == _FUNCTIONS_MODULE
                    for binding in bindings
                )
                and not _bound_otherwise(name, ctx)
            ):
                return name
    return None


def _bound_otherwise(name: str, ctx: RuleContext) -> bool:
    """Whether `name` is bound anywhere in the file by something other than an import of
    the functions module (an assignment, a parameter, a def, another import)."""
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == name
        ):
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            parent = ctx.parent(node)
            module = parent.module if isinstance(parent, ast.ImportFrom) else None
            imported = f"{module}.{node.name}" if module else node.name
            if imported != _FUNCTIONS_MODULE:
                return True
    return False


def _free_alias(ctx: RuleContext) -> str | None:
    used: set[str] = set()
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.arg):
            used.add(node.arg)
        elif isinstance(node, ast.alias):
            used.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            used.add(node.name)
    return next((alias for alias in _ALIASES if alias not in used), None)


@cache
def _spark_function_names() -> frozenset[str]:
    """The public names of `pyspark.sql.functions` (imported only to fix a wildcard)."""
    try:
        import pyspark.sql.functions as functions
    except ImportError:  # the `spark` extra is not installed
        return frozenset()
    exported = getattr(functions, "__all__", None) or dir(functions)
    return frozenset(name for name in exported if not name.startswith("_"))
