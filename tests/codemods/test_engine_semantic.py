"""The semantic model: import resolution, Spark kinds, scopes and structural helpers."""

from __future__ import annotations

import ast
import textwrap

import pytest

from codemods.engine.semantic import SemanticModel


def model_and_marked(source: str) -> tuple[SemanticModel, ast.AST]:
    """Parse `source`; return the model and the expression assigned to `target` (last one)."""
    tree = ast.parse(textwrap.dedent(source))
    model = SemanticModel(tree)
    marked = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "target"
    ]
    return model, max(marked, key=lambda node: node.lineno)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import pyspark.sql.functions as F\ntarget = F.col", "pyspark.sql.functions.col"),
        (
            "from pyspark.sql import functions as func\ntarget = func.sum",
            "pyspark.sql.functions.sum",
        ),
        ("from pyspark.sql.functions import col\ntarget = col", "pyspark.sql.functions.col"),
        ("from pyspark.sql.functions import col as c\ntarget = c", "pyspark.sql.functions.col"),
        ("from pyspark.sql import SparkSession, Window\ntarget = Window", "pyspark.sql.Window"),
        ("import pyspark\ntarget = pyspark.sql.functions.lit", "pyspark.sql.functions.lit"),
        ("target = len", "builtins.len"),
        ("def len(x):\n    return 0\ntarget = len", None),
        ("import pyspark.sql.functions as F\nF = object()\ntarget = F.col", None),
        ("target = undefined_name.attr", None),
        ("from . import helpers\ntarget = helpers.run", ".helpers.run"),
        # An import inside a function is visible there only.
        ("def f():\n    import pyspark.sql.functions as F\n    return F\ntarget = F", None),
    ],
)
def test_qualified_name(source: str, expected: str | None) -> None:
    model, marked = model_and_marked(source)
    assert model.qualified_name(marked) == expected


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ('target = spark.table("t")', "dataframe"),
        ('target = spark.read.format("csv").option("h", "1").load("/x")', "dataframe"),
        ('target = spark.read.parquet("/x")', "dataframe"),
        ('target = spark.sql("SELECT 1")', "dataframe"),
        ("target = spark.range(10)", "dataframe"),
        ("target = spark.createDataFrame([(1,)], ['a'])", "dataframe"),
        ('df = spark.table("t")\ntarget = df.groupBy("a").agg({"b": "sum"})', "dataframe"),
        ('df = spark.table("t")\ntarget = df.groupBy("a")', "grouped"),
        (
            'df = spark.table("t")\ntarget = df.join(df, "id").select("a").withColumn("b", df.a)',
            "dataframe",
        ),
        ('df = spark.table("t")\ntarget = df.write.mode("overwrite")', "writer"),
        ('df = spark.table("t")\ntarget = df.amount', "column"),
        ('df = spark.table("t")\ntarget = df["amount"]', "column"),
        ('df = spark.table("t")\ntarget = df.columns', None),
        ('import pyspark.sql.functions as F\ntarget = F.col("a").cast("int").alias("b")', "column"),
        ('from pyspark.sql.functions import col, lit\ntarget = (col("a") + lit(1)) > 2', "column"),
        ('import pyspark.sql.functions as F\ntarget = ~(F.col("a") == 1) & F.col("b")', "column"),
        ('import pyspark.sql.functions as F\ntarget = F.broadcast(spark.table("t"))', "dataframe"),
        ("import pyspark.sql.functions as F\ntarget = F.udf(lambda x: x)", None),
        (
            "from pyspark.sql import SparkSession\ntarget = SparkSession.builder.appName('a').getOrCreate()",
            "session",
        ),
        ("from pyspark.sql import Window\ntarget = Window.partitionBy('a').orderBy('b')", "window"),
        ("target = spark", "session"),
        ("target = dbutils", "dbutils"),
        ("spark = 3\ntarget = spark", "other"),
        ("spark = 3\ntarget = spark.table('t')", None),
        ("rows = [1, 2]\ntarget = rows", "other"),
        ("rows = [1, 2]\ntarget = rows.collect()", None),
        ("target = frame.collect()", None),
    ],
)
def test_kind_of(source: str, kind: str | None) -> None:
    model, marked = model_and_marked(source)
    assert model.kind_of(marked) == kind


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        # Parameters annotated with Spark types, including string annotations.
        (
            """
            from pyspark.sql import DataFrame, Column
            def f(a: DataFrame, b: "Column"):
                target = a.filter(b)
            """,
            "dataframe",
        ),
        (
            """
            import pandas as pd
            def f(a: pd.DataFrame):
                target = a
            """,
            "other",
        ),
        # An unannotated parameter is unknown, except the conventional `spark`.
        ("def f(frame):\n    target = frame", None),
        ("def f(spark):\n    target = spark.table('t')", "dataframe"),
        ("def f(spark: int):\n    target = spark", "other"),
        # Assignments followed within a function, including reassignment from itself.
        (
            """
            def f():
                df = spark.read.table("t")
                df = df.filter("a > 1")
                target = df
            """,
            "dataframe",
        ),
        # Conditional bindings must agree.
        (
            """
            def f(flag):
                data = [1]
                if flag:
                    data = spark.table("t")
                target = data
            """,
            None,
        ),
        (
            """
            def f(flag):
                if flag:
                    data = spark.table("a")
                else:
                    data = spark.table("b")
                target = data
            """,
            "dataframe",
        ),
        # The latest unconditional binding wins over earlier ones.
        (
            """
            def f():
                data = [1]
                data = spark.table("t")
                target = data
            """,
            "dataframe",
        ),
        # A binding later in the loop reaches uses at the top of the loop.
        (
            """
            def f(names):
                df = spark.table("t")
                for name in names:
                    target = df
                    df = [name]
            """,
            None,
        ),
        # Module-level names are seen from functions; a local `spark` shadows the global.
        (
            """
            orders = spark.table("t")
            def f():
                target = orders
            """,
            "dataframe",
        ),
        (
            """
            def f():
                spark = "not a session"
                target = spark
            """,
            "other",
        ),
        # A class attribute is not visible as a bare name inside a method.
        (
            """
            class Job:
                df = [1]
                def run(self):
                    target = df
            """,
            None,
        ),
        ("with open('f') as spark:\n    target = spark", None),
    ],
)
def test_kind_of_names_through_scopes(source: str, kind: str | None) -> None:
    model, marked = model_and_marked(source)
    assert model.kind_of(marked) == kind


def test_classifier_shortcuts_and_builtins() -> None:
    model, marked = model_and_marked('df = spark.table("t")\ntarget = len(df.collect())')
    assert model.is_builtin(marked.func, "len")
    collect_receiver = marked.args[0].func.value
    assert model.is_dataframe(collect_receiver)
    assert not model.is_column(collect_receiver)
    assert model.is_spark_session(marked.args[0].func.value) is False


def test_method_chain_of_a_multi_line_write() -> None:
    model, marked = model_and_marked(
        """
        df = spark.table("t")
        target = (
            df.write
            .mode("overwrite")
            .saveAsTable("main.sales.orders")
        )
        """
    )
    root, links = model.method_chain(marked)
    assert isinstance(root, ast.Name) and root.id == "df"
    assert [name for name, _ in links] == ["write", "mode", "saveAsTable"]
    assert links[0][1] is None and isinstance(links[2][1], ast.Call)
    assert model.kind_of(links[1][1]) == "writer"


def test_enclosing_loop_function_and_main_guard() -> None:
    tree = ast.parse(
        textwrap.dedent(
            """
            def job(tables):
                for t in spark.table("x").collect():
                    spark.table(t).count()
                    def inner():
                        return spark.table("y").count()
                while True:
                    break
            if __name__ == "__main__":
                job([])
            else:
                job(None)
            """
        )
    )
    model = SemanticModel(tree)
    calls = {
        ast.unparse(node): node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
    }
    in_loop = calls["spark.table(t).count()"]
    iterable = calls["spark.table('x').collect()"]
    in_inner = calls["spark.table('y').count()"]
    assert isinstance(model.enclosing_loop(in_loop), ast.For)
    assert model.enclosing_loop(iterable) is None  # the iterable runs once
    assert model.enclosing_loop(in_inner) is None  # a function body is not the loop's
    assert model.enclosing_function(in_inner).name == "inner"
    assert model.enclosing_function(in_loop).name == "job"
    assert model.in_main_guard(calls["job([])"])
    assert not model.in_main_guard(calls["job(None)"])
    assert not model.in_main_guard(in_loop)


def test_comprehension_variables_shadow_outer_names() -> None:
    model, marked = model_and_marked("target = [spark.table(n) for spark in sessions]")
    assert model.kind_of(marked.elt) is None  # `spark` here is not the notebook's session
    model, marked = model_and_marked('df = spark.table("t")\ntarget = [df.count() for _ in "ab"]')
    assert model.is_dataframe(marked.elt.func.value)  # an outer name seen from inside


_SPARK = (
    "from pyspark.sql import DataFrame, SparkSession\nspark = SparkSession.builder.getOrCreate()\n"
)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        # A function of the file: its return annotation...
        ("def load(s) -> DataFrame:\n    return s.table('t')\ntarget = load(spark)", "dataframe"),
        ("def name() -> str:\n    return 'x'\ntarget = name()", "other"),
        # ...or what every `return` of its body agrees on.
        ("def load():\n    return spark.table('t')\ntarget = load()", "dataframe"),
        (
            "def load(flag):\n    if flag:\n        return spark.table('a')\n"
            "    return spark.table('b').filter('x')\ntarget = load(True)",
            "dataframe",
        ),
        (
            "def load(flag):\n    if flag:\n        return spark.table('a')\n    return 1\n"
            "target = load(True)",
            None,
        ),
        ("def load():\n    return\ntarget = load()", None),
        ("def load():\n    pass\ntarget = load()", None),
        # A nested function's returns are its own.
        (
            "def outer():\n    def inner():\n        return 1\n    return spark.table('t')\n"
            "target = outer()",
            "dataframe",
        ),
        # A decorator may change what a call gives (`@udf`); a generator gives a generator;
        # a coroutine function gives a coroutine.
        (
            "def deco(f):\n    return f\n@deco\ndef load() -> DataFrame:\n    return spark.table('t')\n"
            "target = load()",
            None,
        ),
        (
            "def load():\n    yield spark.table('t')\n    return spark.table('t')\ntarget = load()",
            None,
        ),
        ("async def load() -> DataFrame:\n    return spark.table('t')\ntarget = load()", None),
        # Recursion ends in "cannot tell" rather than a loop.
        ("def load(n):\n    return load(n - 1)\ntarget = load(3)", None),
        # A name that may be two functions tells nothing.
        (
            "import os\nif os.environ:\n    def load():\n        return spark.table('t')\n"
            "else:\n    def load():\n        return 1\ntarget = load()",
            None,
        ),
        # Unpacking a literal tuple binds element by element.
        ("a, b = spark.table('t'), 1\ntarget = a", "dataframe"),
        ("a, b = spark.table('t'), 1\ntarget = b", "other"),
        ("a, *b = spark.table('t'), 1, 2\ntarget = a", None),
        ("a, b = pair()\ntarget = a", None),
    ],
)
def test_kind_of_calls_to_functions_of_the_file(source: str, kind: str | None) -> None:
    model, marked = model_and_marked(_SPARK + source)
    assert model.kind_of(marked) == kind


_JOB = (
    "class Job:\n"
    "    def __init__(self, spark, path):\n"
    "        self.spark = spark\n"
    "        self.orders = spark.table('orders')\n"
    "        self.path = path\n"
)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        # `self.x` in a method: what the class's methods assign to it.
        (_JOB + "    def run(self):\n        target = self.orders", "dataframe"),
        (_JOB + "    def run(self):\n        target = self.spark", "session"),
        (_JOB + "    def run(self):\n        target = self.spark.table('t')", "dataframe"),
        (_JOB + "    def run(self):\n        target = self.path", None),
        (_JOB + "    def run(self):\n        target = self.unknown", None),
        # Any name for the instance parameter; a closure inside a method sees it too.
        (_JOB + "    def run(me):\n        target = me.orders", "dataframe"),
        (
            _JOB + "    def run(self):\n        def inner():\n            target = self.orders\n",
            "dataframe",
        ),
        # Assignments that disagree, unpack or update make it unknown.
        (
            _JOB + "    def reset(self):\n        self.orders = None\n"
            "    def run(self):\n        target = self.orders",
            None,
        ),
        (
            _JOB + "    def reset(self):\n        self.orders, self.path = 1, 2\n"
            "    def run(self):\n        target = self.orders",
            None,
        ),
        (
            _JOB + "    def reset(self):\n        self.orders += 1\n"
            "    def run(self):\n        target = self.orders",
            None,
        ),
        # A class-body annotation counts; a static method's first parameter is no instance.
        (
            "from pyspark.sql import DataFrame\nclass Job:\n    orders: DataFrame\n"
            "    def run(self):\n        target = self.orders",
            "dataframe",
        ),
        (_JOB + "    @staticmethod\n    def run(self):\n        target = self.orders", None),
        # Outside a method `x.orders` is not an instance attribute.
        (_JOB + "job = Job(None, '')\ntarget = job.orders", None),
    ],
)
def test_kind_of_instance_attributes(source: str, kind: str | None) -> None:
    model, marked = model_and_marked(source)
    assert model.kind_of(marked) == kind


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        # `self.method()`: the return kind of the class's own method.
        (
            _JOB + "    def load(self):\n        return self.spark.table('t')\n"
            "    def run(self):\n        target = self.load()",
            "dataframe",
        ),
        (
            _JOB + "    def load(self) -> int:\n        return make()\n"
            "    def run(self):\n        target = self.load()",
            "other",
        ),
        # A property, a coroutine, an unknown method, a name rebound in the class body.
        (
            _JOB + "    @property\n    def load(self):\n        return self.spark.table('t')\n"
            "    def run(self):\n        target = self.load()",
            None,
        ),
        (
            _JOB + "    async def load(self):\n        return self.spark.table('t')\n"
            "    def run(self):\n        target = self.load()",
            None,
        ),
        (_JOB + "    def run(self):\n        target = self.load()", None),
        (
            _JOB + "    def load(self):\n        return self.spark.table('t')\n    load = None\n"
            "    def run(self):\n        target = self.load()",
            None,
        ),
    ],
)
def test_kind_of_calls_to_methods_of_the_class(source: str, kind: str | None) -> None:
    model, marked = model_and_marked(source)
    assert model.kind_of(marked) == kind
