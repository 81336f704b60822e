"""SPK206 udf-replaceable-by-builtin."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.types import Edit, Fix
from codemods.rules._spark_helpers import (
    fix_with_import,
    functions_alias,
    name_is_free,
    offset_of,
)
from codemods.rules._udf_bodies import ALIAS, Translation, builtin_equivalent
from codemods.rules.base import Invalid, Rule

_UDF = frozenset({"pyspark.sql.functions.udf"})


class UdfReplaceableByBuiltin(Rule):
    """
    ## What it does
    Flags a Python UDF (`F.udf(lambda s: ...)` or a function decorated with `@udf`) whose
    whole body is built-in operations on its one argument: `s.upper()`, `s.lower()`,
    `s.strip()`/`lstrip()`/`rstrip()`, `s.title()`, `s.startswith("x")`,
    `s.endswith("x")`, `s.replace("a", "b")`, `"x" in s`, `s[::-1]`, `len(s)`, `abs(x)`,
    `round(x, n)`, `math.sqrt/floor/ceil(x)`, and compositions of them
    (`s.strip().lower()`), also behind a `... if s is not None else None` guard.

    ## Why is this bad?
    A Python UDF ships every row from the JVM to a Python worker and back, serializing it
    twice, and is a black box for the optimizer (no predicate pushdown, no code generation).
    The built-in function does the same work inside the JVM, typically ten or more times
    faster, and handles NULL without a guard.

    ## Example
    ```python
    upper_name = F.udf(lambda s: s.upper(), StringType())
    people = people.withColumn("name", upper_name("name"))
    ```

    ## Use instead
    ```python
    people = people.withColumn("name", F.upper("name"))
    ```

    ## Fix safety
    The fix is unsafe: built-ins differ from Python at the edges. `F.round` rounds half up
    where Python rounds half to even and returns a double, `initcap` capitalizes words
    differently from `str.title`, `trim` removes spaces only, and a NULL input now gives NULL
    where the UDF raised. It rewrites the UDF into a function returning the built-in column
    expression (call sites stay as they are), only when every use of the UDF's name is a
    call, and adds `from pyspark.sql import functions as F` when needed.

    ## References
    - [pyspark.sql.functions](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/functions.html)
    - [Databricks: user-defined functions (performance)](https://docs.databricks.com/en/udf/index.html)
    """

    code = "SPK206"
    name = "udf-replaceable-by-builtin"
    severity = "warning"
    node_types = (ast.Call, ast.FunctionDef)
    names = frozenset({"udf"})
    fixable = True

    valid = [
        # UDFs that do more than one built-in operation.
        """
        import pyspark.sql.functions as F
        mask = F.udf(lambda s: s[:2] + "***", "string")
        @F.udf("string")
        def first_part(s):
            return s.split(",")[0].strip()
        """,
        # A local `udf` function, and a decorator from another library.
        """
        def udf(f):
            return f
        shout = udf(lambda s: s.upper())
        import functools
        @functools.lru_cache
        def lower(s):
            return s.lower()
        """,
        # The built-in itself, and a method on another argument than the parameter.
        """
        from pyspark.sql.functions import udf, upper
        df = spark.table("t").withColumn("u", upper("name"))
        pick = udf(lambda s: PREFIX.upper(), "string")
        """,
        # Two parameters.
        """
        from pyspark.sql import functions as func
        join = func.udf(lambda a, b: a.strip(), "string")
        """,
    ]
    invalid = [
        Invalid(
            """
            import pyspark.sql.functions as F
            from pyspark.sql.types import StringType
            upper_name = F.udf(lambda s: s.upper(), StringType())
            people = spark.table("people").withColumn("name", upper_name("name"))
            """,
            at=[(3, 14)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F
            from pyspark.sql.types import StringType
            upper_name = F.upper
            people = spark.table("people").withColumn("name", upper_name("name"))
            """,
        ),
        # A decorated function with a NULL guard; `F` gets imported.
        Invalid(
            """
            from pyspark.sql.functions import udf

            @udf(returnType="int")
            def name_length(value):
                return len(value) if value is not None else None
            """,
            at=[(3, 2)],
            unsafe=True,
            fixed="""
            from pyspark.sql.functions import udf
            from pyspark.sql import functions as F

            def name_length(value):
                return F.length(value)
            """,
        ),
        # An argument besides the column, and a UDF called in place.
        Invalid(
            """
            from pyspark.sql import functions as func
            rounded = func.udf(lambda x: round(x, 2), "double")
            flags = spark.table("t").select(func.udf(lambda s: s.startswith("EU-"), "boolean")("id"))
            """,
            at=[(2, 11), (3, 33)],
            unsafe=True,
            fixed="""
            from pyspark.sql import functions as func
            rounded = lambda x: func.round(x, 2)
            flags = spark.table("t").select((lambda s: func.startswith(s, func.lit("EU-")))("id"))
            """,
        ),
        # A composition of built-ins.
        Invalid(
            """
            import pyspark.sql.functions as F

            @F.udf("string")
            def slug(s):
                return s.strip().lower().replace(" ", "-")
            """,
            at=[(3, 2)],
            unsafe=True,
            fixed="""
            import pyspark.sql.functions as F

            def slug(s):
                return F.replace(F.lower(F.trim(s)), F.lit(" "), F.lit("-"))
            """,
        ),
        # Registered for SQL: the name is used other than by calls, so no fix.
        Invalid(
            """
            import pyspark.sql.functions as F
            trim_udf = F.udf(lambda s: s.strip())
            spark.udf.register("trim_udf", trim_udf)
            """,
            at=[(2, 12)],
        ),
        Invalid(
            """
            import math
            from pyspark.sql.functions import udf

            @udf
            def root(x):
                '''Square root.'''
                return math.sqrt(x)
            """,
            at=[(4, 2)],
            unsafe=True,
            fixed="""
            import math
            from pyspark.sql.functions import udf
            from pyspark.sql import functions as F

            def root(x):
                '''Square root.'''
                return F.sqrt(x)
            """,
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Call):
            self._check_call(node, ctx)
        elif isinstance(node, ast.FunctionDef) and node.decorator_list:
            self._check_decorated(node, ctx)

    def _check_call(self, node: ast.Call, ctx: RuleContext) -> None:
        function = node.args[0] if node.args else _keyword(node, "f")
        if not isinstance(function, ast.Lambda) or not _is_udf(node.func, ctx):
            return
        parameter = _single_parameter(function.args)
        found = parameter and builtin_equivalent(function.body, parameter, ctx)
        if not found:
            return
        ctx.report(node, _message(found), fix=self._lambda_fix(node, parameter, found, ctx))

    def _check_decorated(self, node: ast.FunctionDef, ctx: RuleContext) -> None:
        decorator = next((d for d in node.decorator_list if _is_udf_decorator(d, ctx)), None)
        if decorator is None:
            return
        body = [s for s in node.body if not _is_docstring(s)]
        parameter = _single_parameter(node.args)
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            return
        found = parameter and builtin_equivalent(body[0].value, parameter, ctx)
        if not found:
            return
        fix = None
        if len(node.decorator_list) == 1 and _only_called(node.name, ctx, exclude=node):
            alias = _alias(ctx)
            if alias is not None:
                line_start = ctx.source.rfind("\n", 0, offset_of(ctx, decorator)) + 1
                line_end = ctx.source.find("\n", offset_of(ctx, decorator, end=True)) + 1
                if ctx.source[line_start : offset_of(ctx, decorator)].strip() == "@":
                    edits = [
                        Edit(
                            ctx.lines.position_of_offset(line_start),
                            ctx.lines.position_of_offset(line_end),
                            "",
                        ),
                        ctx.replace(body[0].value, found.text(alias[0])),
                    ]
                    fix = _finish(ctx, edits, alias)
        ctx.report(decorator, _message(found), fix=fix)

    def _lambda_fix(
        self, node: ast.Call, parameter: str, found: Translation, ctx: RuleContext
    ) -> Fix | None:
        parent = ctx.parent(node)
        called_in_place = isinstance(parent, ast.Call) and parent.func is node
        if not called_in_place:
            target = _assigned_name(node, ctx)
            if target is None or not _only_called(target, ctx, exclude=parent):
                return None
        alias = _alias(ctx)
        if alias is None:
            return None
        if found.template == f"{ALIAS}.{found.builtins[0]}({parameter})":
            replacement = f"{alias[0]}.{found.builtins[0]}"
        else:
            replacement = f"lambda {parameter}: {found.text(alias[0])}"
            if called_in_place:
                replacement = f"({replacement})"
        return _finish(ctx, [ctx.replace(node, replacement)], alias)


def _message(found: Translation) -> str:
    names = ", ".join(f"`{name}`" for name in dict.fromkeys(found.builtins))
    what = "the built-in" if len(found.builtins) == 1 else "the built-ins"
    verb = "does" if len(found.builtins) == 1 else "do"
    return f"Python UDF does what {what} {names} {verb}, row by row in Python"


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def _is_udf(func: ast.AST, ctx: RuleContext) -> bool:
    return ctx.semantic.qualified_name(func) in _UDF


def _is_udf_decorator(decorator: ast.AST, ctx: RuleContext) -> bool:
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    return _is_udf(decorator, ctx)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _single_parameter(arguments: ast.arguments) -> str | None:
    positional = [*arguments.posonlyargs, *arguments.args]
    if len(positional) != 1 or arguments.vararg or arguments.kwarg or arguments.kwonlyargs:
        return None
    return positional[0].arg


def _assigned_name(node: ast.Call, ctx: RuleContext) -> str | None:
    parent = ctx.parent(node)
    if (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
        and ctx.semantic.enclosing_scope(parent) is ctx.tree
    ):
        return parent.targets[0].id
    return None


def _only_called(name: str, ctx: RuleContext, *, exclude: ast.AST | None) -> bool:
    """Every read of the module-level `name` is a call (`name(...)`), and it is bound once."""
    if len(ctx.semantic.bindings(ctx.tree).get(name, [])) != 1:
        return False
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            parent = ctx.parent(node)
            if not (isinstance(parent, ast.Call) and parent.func is node):
                return False
    return True


def _alias(ctx: RuleContext) -> tuple[str, bool] | None:
    """The name to call functions through, and whether it must be imported."""
    existing = functions_alias(ctx)
    if existing is not None:
        return existing, False
    return ("F", True) if name_is_free(ctx, "F") else None


def _finish(ctx: RuleContext, edits: list[Edit], alias: tuple[str, bool]) -> Fix | None:
    message = "Replace the UDF with the built-in function"
    if not alias[1]:
        return ctx.fix(message, edits, applicability="unsafe")
    return fix_with_import(
        ctx, edits, module="pyspark.sql", name="functions", asname="F", message=message
    )
