"""TST002 spark-session-in-test."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.types import Edit, Fix
from codemods.rules._spark_helpers import fix_with_import, is_test_file, offset_of
from codemods.rules.base import Invalid, Rule, Valid

_CONTEXT_FACTORIES = frozenset(
    {
        "pyspark.SparkContext",
        "pyspark.context.SparkContext",
        "pyspark.SparkContext.getOrCreate",
        "pyspark.context.SparkContext.getOrCreate",
    }
)
_FIXTURE = "spark"


class SparkSessionInTest(Rule):
    """
    ## What it does
    In test files (under the `tests` folders, `test_*.py`, `*_test.py`, `conftest.py`),
    flags code that builds its own Spark session: `SparkSession.builder...getOrCreate()`
    (or `.create()`), `SparkContext(...)`, `SparkContext.getOrCreate()`.

    ## Why is this bad?
    Starting a session takes seconds and a JVM; a test that builds its own pays it again,
    races with other tests over the one active session (`getOrCreate` returns whatever
    session exists, with whatever settings), and often calls `stop()`, which breaks the
    tests that run after it. The `spark` fixture of the toolkit's pytest plugin gives every
    test one shared, local, deterministic session tuned for small data.

    ## Example
    ```python
    def test_dedupe():
        spark = SparkSession.builder.master("local[1]").getOrCreate()
        assert dedupe(spark.range(3)).count() == 3
        spark.stop()
    ```

    ## Use instead
    ```python
    def test_dedupe(spark):
        assert dedupe(spark.range(3)).count() == 3
    ```

    ## Fix safety
    The fix is unsafe: the shared session has the plugin's settings, not the ones the
    builder asked for. It is offered inside a test function (not in a `unittest.TestCase`)
    that assigns the session to a name: it adds the `spark` parameter, removes the
    assignment (or assigns `spark` to the old name) and removes that name's `.stop()` calls.

    ## References
    - [pytest fixtures](https://docs.pytest.org/en/stable/explanation/fixtures.html)
    - [Spark: testing PySpark](https://spark.apache.org/docs/latest/api/python/getting_started/testing_pyspark.html)
    """

    code = "TST002"
    name = "spark-session-in-test"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"getOrCreate", "create", "SparkContext"})
    fixable = True

    valid = [
        Valid(
            """
            def test_dedupe(spark):
                assert spark.range(3).count() == 3
            """,
            path="tests/test_dedupe.py",
        ),
        # Outside tests a job builds its session (other rules judge where).
        Valid(
            """
            from pyspark.sql import SparkSession
            spark = SparkSession.builder.appName("job").getOrCreate()
            """,
            path="src/jobs/orders.py",
        ),
        # Builders of other libraries, and a test helper creating something else.
        Valid(
            """
            from myclient import Client
            def test_client():
                client = Client.builder.getOrCreate()
                cache = make_cache().create()
            """,
            path="tests/test_client.py",
        ),
        Valid(
            """
            def test_new_session(spark):
                other = spark.newSession()
                assert other is not spark
            """,
            path="tests/test_sessions.py",
        ),
    ]
    invalid = [
        Invalid(
            """
            import pytest
            from pyspark.sql import SparkSession

            @pytest.mark.slow
            def test_dedupe():
                spark = SparkSession.builder.master("local[1]").getOrCreate()
                assert spark.range(3).count() == 3
                spark.stop()
            """,
            path="tests/test_dedupe.py",
            at=[(6, 13)],
            unsafe=True,
            fixed="""
            import pytest

            @pytest.mark.slow
            def test_dedupe(spark):
                assert spark.range(3).count() == 3
            """,
        ),
        # Another name, a multi-line builder, and an existing fixture parameter.
        Invalid(
            """
            from pathlib import Path
            from pyspark.sql import SparkSession as Session

            def test_totals(tmp_path: Path):
                session = (
                    Session.builder
                    .master("local[2]")
                    .config("spark.sql.shuffle.partitions", 1)
                    .getOrCreate()
                )
                session.range(1).write.parquet(str(tmp_path))
            """,
            path="tests/unit/test_totals.py",
            at=[(6, 9)],
            unsafe=True,
            fixed="""
            from pathlib import Path

            def test_totals(tmp_path: Path, spark):
                session = spark
                session.range(1).write.parquet(str(tmp_path))
            """,
        ),
        # A fixture in conftest and a module-level session: flagged, no fix.
        Invalid(
            """
            import pytest
            from pyspark.sql import SparkSession

            SESSION = SparkSession.builder.getOrCreate()

            @pytest.fixture(scope="session")
            def session():
                return SparkSession.builder.master("local[1]").getOrCreate()
            """,
            path="tests/conftest.py",
            at=[(4, 11), (8, 12)],
        ),
        # unittest classes cannot take fixtures: no fix.
        Invalid(
            """
            import unittest
            from pyspark import SparkContext

            class OrdersTest(unittest.TestCase):
                def test_orders(self):
                    sc = SparkContext("local", "orders")
                    self.assertEqual(sc.parallelize([1]).count(), 1)
            """,
            path="orders_test.py",
            at=[(6, 14)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if not is_test_file(ctx):
            return
        func = node.func
        builds_session = (
            isinstance(func, ast.Attribute)
            and func.attr in ("getOrCreate", "create")
            and ctx.semantic.kind_of(func.value) == "builder"
        )
        if not builds_session and ctx.semantic.qualified_name(func) not in _CONTEXT_FACTORIES:
            return
        what = "SparkSession" if builds_session else "SparkContext"
        ctx.report(
            node,
            f"Test builds its own {what}; use the shared `spark` fixture",
            fix=_fixture_fix(node, ctx) if builds_session else None,
        )


def _fixture_fix(node: ast.Call, ctx: RuleContext) -> Fix | None:
    statement = ctx.parent(node)
    function = ctx.parent(statement) if statement is not None else None
    if not (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and isinstance(function, ast.FunctionDef)
        and statement in function.body
        and function.name.startswith("test")
    ):
        return None
    owner = ctx.parent(function)
    if isinstance(owner, ast.ClassDef) and owner.bases:
        return None  # unittest.TestCase and friends: no fixtures
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or arguments.defaults:
        return None
    name = statement.targets[0].id
    if _FIXTURE in {a.arg for a in arguments.args} or (
        name != _FIXTURE and _mentions_name(function, _FIXTURE)
    ):
        return None
    stops = _stop_statements(function, name)
    if stops is None:
        return None
    edits = [_add_parameter(function, ctx)]
    if name == _FIXTURE:
        removed = [statement, *stops]
        if len(removed) >= len(function.body):
            return None
        edits += [_delete_lines(s, ctx) for s in removed]
    else:
        edits.append(ctx.replace(statement, f"{name} = {_FIXTURE}"))
        edits += [_delete_lines(s, ctx) for s in stops]
    if any(edit is None for edit in edits):
        return None
    return fix_with_import(
        ctx,
        edits,  # type: ignore[arg-type]
        module=None,
        name=None,
        remove_unused=_builder_import(node, ctx),
        message="Use the `spark` fixture",
    )


def _builder_import(node: ast.Call, ctx: RuleContext) -> list[tuple[str, str | None, str | None]]:
    """The import of the `SparkSession` the builder chain starts from, to drop it when the
    fix leaves it unused."""
    root, _ = ctx.semantic.method_chain(node)
    if not isinstance(root, ast.Name):
        return []
    for binding in ctx.semantic.reaching_bindings(root) or []:
        if binding.kind == "import" and isinstance(binding.node, ast.alias):
            module, _, name = binding.value.rpartition(".")
            if isinstance(binding.stmt, ast.ImportFrom) and module:
                return [(module, name, binding.node.asname)]
    return []


def _mentions_name(function: ast.FunctionDef, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(function))


def _stop_statements(function: ast.FunctionDef, name: str) -> list[ast.stmt] | None:
    """The `name.stop()` statements directly in the function body; None if a stop call
    sits anywhere else (it could not be removed cleanly)."""
    direct = []
    for statement in function.body:
        if _is_stop(statement, name):
            direct.append(statement)
    total = sum(1 for n in ast.walk(function) if isinstance(n, ast.Expr) and _is_stop(n, name))
    return direct if total == len(direct) else None


def _is_stop(statement: ast.AST, name: str) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "stop"
        and isinstance(statement.value.func.value, ast.Name)
        and statement.value.func.value.id == name
    )


def _add_parameter(function: ast.FunctionDef, ctx: RuleContext) -> Edit | None:
    positional = [*function.args.posonlyargs, *function.args.args]
    if positional:
        return ctx.insert_after(positional[-1], f", {_FIXTURE}")
    start = offset_of(ctx, function)
    opening = ctx.source.find("(", ctx.source.find(function.name, start))
    if opening < 0:
        return None
    position = ctx.lines.position_of_offset(opening + 1)
    return Edit(position, position, _FIXTURE)


def _delete_lines(statement: ast.stmt, ctx: RuleContext) -> Edit | None:
    """Delete a statement that sits alone on its lines, with its line break."""
    start, end = offset_of(ctx, statement), offset_of(ctx, statement, end=True)
    line_start = ctx.source.rfind("\n", 0, start) + 1
    line_end = ctx.source.find("\n", end)
    line_end = len(ctx.source) if line_end < 0 else line_end + 1
    if ctx.source[line_start:start].strip() or ctx.source[end:line_end].strip():
        return None
    return Edit(
        ctx.lines.position_of_offset(line_start), ctx.lines.position_of_offset(line_end), ""
    )
