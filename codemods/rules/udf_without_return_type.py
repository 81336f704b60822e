"""SPK105 udf-without-return-type."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_UDF = frozenset({"pyspark.sql.functions.udf", "pyspark.sql.udf.udf"})


class UdfWithoutReturnType(Rule):
    """
    ## What it does
    Flags a Python UDF declared without a return type: `udf(f)`, `F.udf(lambda x: ...)`,
    a bare `@udf` decorator, `@udf()` / `@udf(useArrow=True)` with no `returnType`, and a
    plain function registered for SQL with `spark.udf.register("name", f)` and no return
    type.

    ## Why is this bad?
    A UDF without a return type returns `StringType`. A function that returns numbers,
    booleans or dates gives a column of their string forms ("1.5", "True"): sums concatenate
    or fail, comparisons become string comparisons, and a table write stores the wrong type.
    Nothing fails where the mistake is made.

    ## Example
    ```python
    @udf
    def net_price(price, tax):
        return price * (1 + tax)
    ```

    ## Use instead
    ```python
    @udf(returnType=DoubleType())
    def net_price(price, tax):
        return price * (1 + tax)
    ```
    Better still, use built-in functions (`F.col("price") * (1 + F.col("tax"))`): they need
    no Python worker at all.

    ## Fix safety
    No fix: the return type is what the function returns, which only the author knows.

    ## References
    - [pyspark.sql.functions.udf](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.functions.udf.html)
    - [Databricks: user-defined scalar functions in Python](https://docs.databricks.com/en/udf/python.html)
    """

    code = "SPK105"
    name = "udf-without-return-type"
    severity = "error"
    node_types = (ast.Call, ast.Name, ast.Attribute)
    names = frozenset({"udf", "register"})

    valid = [
        """
        from pyspark.sql.functions import udf
        from pyspark.sql.types import DoubleType

        @udf(returnType=DoubleType())
        def net_price(price, tax):
            return price * (1 + tax)
        """,
        # A return type as the first argument (a DDL string or a DataType), or the second.
        """
        import pyspark.sql.functions as F
        import pyspark.sql.types as T
        shout = F.udf(lambda s: s.upper(), T.StringType())
        size = F.udf(len, "int")

        @F.udf("boolean")
        def is_even(n):
            return n % 2 == 0

        @F.udf(T.LongType())
        def twice(n):
            return 2 * n
        """,
        # Someone else's `udf` decorator.
        """
        from mylib.registry import udf

        @udf
        def clean(value):
            return value.strip()
        """,
        # Registered with a return type, or a UDF object (which carries its own type).
        """
        from pyspark.sql.functions import udf
        twice = udf(lambda n: 2 * n, "long")
        spark.udf.register("twice", twice)
        spark.udf.register("half", lambda n: n / 2, "double")
        spark.udf.register("third", lambda n: n / 3, returnType="double")
        """,
        # An argument of unknown nature (a parameter): silent.
        """
        from pyspark.sql.functions import udf

        def wrap(function_or_type):
            return udf(function_or_type)
        """,
    ]
    invalid = [
        Invalid(
            """
            from pyspark.sql.functions import udf

            @udf
            def net_price(price, tax):
                return price * (1 + tax)
            """,
            at=[(3, 2)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F
            shout = F.udf(lambda s: s.upper())
            size = F.udf(len)
            spark.udf.register("shout", lambda s: s.upper())
            """,
            at=[(2, 9), (3, 8), (4, 1)],
        ),
        Invalid(
            """
            from pyspark.sql import functions as func

            def normalise(code):
                return code.strip().lower()

            normalise_udf = func.udf(
                normalise,
                useArrow=True,
            )

            @func.udf(useArrow=True)
            def first_word(text):
                return text.split()[0]
            """,
            at=[(6, 17), (11, 2)],
        ),
        Invalid(
            """
            import pyspark.sql.functions as F

            @F.udf
            def tokens(text):
                return len(text.split())

            @F.udf()
            def flag(value):
                return value > 0
            """,
            at=[(3, 2), (7, 2)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        parent = ctx.parent(node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "register"
        ):
            self._check_register(node, ctx)
            return
        if isinstance(node, ast.Call):
            if ctx.semantic.qualified_name(node.func) not in _UDF:
                return
            if _has_return_type(node, ctx):
                return
            ctx.report(node, "UDF without a return type returns strings (`StringType`)")
            return
        # A bare `@udf` / `@F.udf` decorator (not a call).
        if not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        if not any(decorator is node for decorator in parent.decorator_list):
            return
        if ctx.semantic.qualified_name(node) in _UDF:
            ctx.report(node, "UDF without a return type returns strings (`StringType`)")

    def _check_register(self, node: ast.Call, ctx: RuleContext) -> None:
        """`spark.udf.register("name", f)` with a plain function and no return type."""
        registry = node.func.value
        if len(node.args) != 2 or node.keywords:
            return  # a return type (positional or keyword), or something else entirely
        if not (isinstance(registry, ast.Attribute) and registry.attr == "udf"):
            return
        function = node.args[1]
        plain = isinstance(function, ast.Lambda) or (
            isinstance(function, (ast.Name, ast.Attribute)) and _is_function(function, ctx)
        )
        if plain and ctx.semantic.is_spark_session(registry.value):
            ctx.report(node, "UDF registered without a return type returns strings (`StringType`)")


def _has_return_type(call: ast.Call, ctx: RuleContext) -> bool:
    """Whether `udf(...)` states a return type, or might (an argument of unknown nature)."""
    keywords = {keyword.arg for keyword in call.keywords}
    if "returnType" in keywords or None in keywords or len(call.args) >= 2:
        return True
    if not call.args:
        return False  # `@udf()` / `@udf(useArrow=True)`
    first = call.args[0]
    if isinstance(first, ast.Lambda):
        return False
    if isinstance(first, (ast.Name, ast.Attribute)):
        return not _is_function(first, ctx)
    return True  # a string, a `DoubleType()` call, or anything else: a type, or unknown


def _is_function(expr: ast.Name | ast.Attribute, ctx: RuleContext) -> bool:
    """A name bound by `def` in this file, or a built-in function (`len`)."""
    if isinstance(expr, ast.Name):
        if ctx.semantic.qualified_name(expr) == f"builtins.{expr.id}":
            return True
        reaching = ctx.semantic.reaching_bindings(expr)
        return bool(reaching) and all(binding.kind == "def" for binding in reaching)
    return False
