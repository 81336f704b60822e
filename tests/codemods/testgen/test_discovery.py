"""Discovery of DataFrame transforms: the pure `ast` core shared with TST001 and the editor."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from codemods.testgen import discover_transforms

HEADER = """\
from typing import Callable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
"""

CASES = [
    (
        "annotated function",
        "def clean(df: DataFrame) -> DataFrame:\n    return df.dropna()\n",
        [("clean", "function", "annotation", ("df",))],
    ),
    (
        "string annotations",
        "def clean(df: 'DataFrame') -> 'DataFrame':\n    return df\n",
        [("clean", "function", "annotation", ("df",))],
    ),
    (
        "visible from the body, join partner included",
        "def enrich(orders, customers):\n"
        "    joined = orders.join(customers, 'id')\n"
        "    return joined.select('id')\n",
        [("enrich", "function", "body", ("orders", "customers"))],
    ),
    (
        "method, static method and class method",
        "class Cleaner:\n"
        "    def clean(self, df: DataFrame) -> DataFrame:\n        return df\n"
        "    @staticmethod\n"
        "    def dedupe(df: DataFrame) -> DataFrame:\n        return df.distinct()\n"
        "    @classmethod\n"
        "    def trim(cls, df):\n        return df.withColumn('a', F.trim('a'))\n",
        [
            ("Cleaner.clean", "method", "annotation", ("df",)),
            ("Cleaner.dedupe", "staticmethod", "annotation", ("df",)),
            ("Cleaner.trim", "classmethod", "body", ("df",)),
        ],
    ),
    (
        "higher-order with an inner function",
        "def with_x(value: int = 1) -> Callable[[DataFrame], DataFrame]:\n"
        "    def inner(df: DataFrame) -> DataFrame:\n"
        "        return df.withColumn('x', F.lit(value))\n"
        "    return inner\n",
        [("with_x", "higher_order", "annotation", ("df",))],
    ),
    (
        "higher-order with a lambda",
        "def with_y(name):\n    return lambda frame: frame.withColumn(name, F.lit(1))\n",
        [("with_y", "higher_order", "body", ("frame",))],
    ),
    (
        "a tuple of DataFrames, named by the return statement",
        "def split(df: DataFrame) -> tuple[DataFrame, DataFrame]:\n"
        "    valid = df.filter('ok')\n"
        "    rejected = df.filter('not ok')\n"
        "    return valid, rejected\n",
        [("split", "function", "annotation", ("df",))],
    ),
    (
        "not transforms: private, returns a count, reads a table, a property",
        "def _helper(df: DataFrame) -> DataFrame:\n    return df\n"
        "def count_rows(df: DataFrame) -> int:\n    return df.count()\n"
        "def load(spark: SparkSession) -> DataFrame:\n    return spark.table('t')\n"
        "class Job:\n"
        "    @property\n"
        "    def frame(self) -> DataFrame:\n        return self._df\n",
        [],
    ),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_discovers_transforms(source: str, expected: list[tuple]) -> None:
    found = discover_transforms(HEADER + source, "module.py")
    assert [(t.qualname, t.kind, t.evidence, t.dataframe_params) for t in found] == expected


def test_transform_knows_its_line_and_value_parameters() -> None:
    source = (
        HEADER
        + "\n\ndef f(df: DataFrame, *, limit: int = 5, name: str) -> DataFrame:\n    return df\n"
    )
    (transform,) = discover_transforms(source, "pkg/mod.py")
    assert transform.path == "pkg/mod.py"
    assert transform.line == 6
    assert [(p.name, p.annotation, p.default, p.keyword_only) for p in transform.value_params] == [
        ("limit", "int", "5", True),
        ("name", "str", None, True),
    ]


def test_a_module_that_does_not_parse_has_no_transforms() -> None:
    assert discover_transforms("def broken(:\n", "bad.py") == []


def test_discovery_is_fast() -> None:
    source = HEADER + "".join(
        f"def t{i}(df: DataFrame) -> DataFrame:\n    return df.filter(F.col('a') > {i})\n\n"
        for i in range(500)
    )
    started = time.perf_counter()
    assert len(discover_transforms(source, "big.py")) == 500
    assert time.perf_counter() - started < 2.0


def test_importing_the_package_loads_neither_libcst_nor_pyspark() -> None:
    code = (
        "import sys, codemods.testgen as t; "
        "t.discover_transforms('def f(df): return df.distinct()'); "
        "print(sorted(m for m in ('libcst', 'pyspark') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tuple_outputs_are_named_after_the_returned_variables() -> None:
    source = HEADER + (
        "def split(df: DataFrame) -> tuple[DataFrame, DataFrame]:\n"
        "    return df.filter('ok'), df\n"
        "def split2(df: DataFrame) -> 'tuple[DataFrame, DataFrame]':\n"
        "    good, bad = df, df\n"
        "    return good, bad\n"
    )
    first, second = discover_transforms(source, "m.py")
    assert first.output_names == ()
    assert second.output_names == ("good", "bad")
