"""Static inference of input columns and types, and the inputs synthesized from it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from codemods.testgen import plan_inputs, target_test_path
from codemods.testgen.literals import literal_source
from codemods.testgen.paths import import_location
from codemods.testgen.synthesis import column_type

HEADER = "from pyspark.sql import DataFrame, Window\nfrom pyspark.sql import functions as F\n\n"


def plan(body: str, name: str = "f"):
    plans = plan_inputs(HEADER + body, "m.py")
    return plans[name]


def columns(body: str, name: str = "f") -> dict[str, dict[str, str]]:
    inference, _ = plan(body, name)
    return {
        frame: {c: column_type(facts) for c, facts in cols.items()}
        for frame, cols in inference.frames.items()
    }


TYPE_CASES = [
    ("comparison with an int", "df.filter(F.col('qty') > 3)", {"qty": "long"}),
    ("comparison with a float", "df.where(df['price'] <= 9.5)", {"price": "double"}),
    ("arithmetic", "df.withColumn('t', F.col('a') * F.col('b'))", {"a": "long", "b": "long"}),
    ("string functions", "df.select(F.upper(F.trim('name')))", {"name": "string"}),
    ("date functions", "df.withColumn('y', F.year('signup'))", {"signup": "date"}),
    ("timestamp functions", "df.withColumn('h', F.hour(F.col('seen')))", {"seen": "timestamp"}),
    ("ISO date literal", "df.filter(F.col('d') >= '2024-01-01')", {"d": "date"}),
    ("attribute access", "df.filter(df.active)", {"active": "boolean"}),
    (
        "parsing with a format",
        "df.withColumn('d', F.to_date('raw', 'dd/MM/yyyy'))",
        {"raw": "date_string"},
    ),
    (
        "SQL condition",
        "df.filter(\"amount > 10 AND status = 'open'\")",
        {"amount": "long", "status": "string"},
    ),
    ("aggregation by dict", "df.groupBy('k').agg({'v': 'sum'})", {"k": "string", "v": "long"}),
    (
        "name hints without evidence",
        "df.select('order_id', 'created_at', 'total')",
        {"order_id": "long", "created_at": "timestamp", "total": "double"},
    ),
]


@pytest.mark.parametrize(
    ("expr", "expected"), [c[1:] for c in TYPE_CASES], ids=[c[0] for c in TYPE_CASES]
)
def test_column_types_from_what_is_done_to_them(expr: str, expected: dict[str, str]) -> None:
    body = f"def f(df: DataFrame) -> DataFrame:\n    return {expr}\n"
    assert columns(body) == {"df": expected}


def test_columns_the_function_creates_are_not_inputs() -> None:
    body = (
        "def f(df: DataFrame) -> DataFrame:\n"
        "    out = df.withColumn('total', F.col('price') * F.col('qty'))\n"
        "    out = out.withColumnRenamed('total', 'amount')\n"
        "    return out.filter(F.col('amount') > 100).select('amount', 'sku')\n"
    )
    assert columns(body) == {"df": {"price": "double", "qty": "long", "sku": "string"}}


def test_join_keys_go_to_both_sides_and_columns_follow_their_frame() -> None:
    body = (
        "def f(orders: DataFrame, customers: DataFrame) -> DataFrame:\n"
        "    vip = customers.filter(F.col('tier') == 'gold')\n"
        "    return orders.join(vip, on=['customer_id'], how='left').select('order_id')\n"
    )
    inference, attempts = plan(body)
    assert list(inference.frames["orders"]) == ["customer_id", "order_id"]
    assert list(inference.frames["customers"]) == ["tier", "customer_id"]
    orders_rows = attempts[0][0].rows
    keys = [row[0] for row in orders_rows]
    assert keys.count(1) >= 2, "duplicate join keys on the left"
    assert None in keys, "a null join key"
    customer_keys = {row[1] for row in attempts[0][1].rows}
    assert 3 in customer_keys, "a right-side key with no match"


def test_inputs_straddle_every_literal_and_hold_a_null_per_column() -> None:
    body = (
        "LIMIT = 100\n"
        "def f(df: DataFrame) -> DataFrame:\n"
        "    return df.filter((F.col('amount') > LIMIT) & F.col('country').isin('FR', 'DE'))\n"
    )
    _, attempts = plan(body)
    (frame,) = attempts[0]
    assert frame.ddl == "amount bigint, country string"
    amounts = {row[0] for row in frame.rows}
    assert {99, 100, 101, None} <= amounts
    countries = {row[1] for row in frame.rows}
    assert {"FR", "DE", None} <= countries
    assert any(c not in {"FR", "DE", None} for c in countries), "a value outside the list"
    # The later attempts leave out the nulls, then the edges.
    assert all(None not in row for row in attempts[1][0].rows)
    assert len(attempts[-1][0].rows) == 3


def test_grouping_keys_repeat() -> None:
    body = "def f(df):\n    return df.groupBy('region').agg(F.sum('sales').alias('s'))\n"
    _, attempts = plan(body)
    regions = [row[0] for row in attempts[0][0].rows[:3]]
    assert regions[0] == regions[1] != regions[2]


def test_window_partition_columns_are_keys() -> None:
    body = (
        "def f(df):\n"
        "    w = Window.partitionBy('user').orderBy(F.col('ts').desc())\n"
        "    return df.withColumn('rn', F.row_number().over(w)).filter(F.col('rn') == 1)\n"
    )
    inference, _ = plan(body)
    assert inference.frames["df"]["user"].is_key
    assert column_type(inference.frames["df"]["ts"]) == "timestamp"
    assert "rn" not in inference.frames["df"]


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("df: DataFrame, *, min_qty: int = 5", {}),
        ("df: DataFrame, col_name: str", {"col_name": "value"}),
        ("df: DataFrame, order: str", {"order": "asc"}),
        ("df: DataFrame, rename: Callable[[str], str]", {"rename": "str.upper"}),
        ("df: DataFrame, sep: str", {"sep": ","}),
        ("spark: SparkSession, df: DataFrame", {"spark": "spark"}),
    ],
)
def test_values_for_other_parameters(signature: str, expected: dict[str, str]) -> None:
    body = (
        "from typing import Callable\nfrom pyspark.sql import SparkSession\n"
        f"def f({signature}) -> DataFrame:\n"
        "    if 'order' in locals() and order not in ['asc', 'desc']:\n"
        "        raise ValueError(order)\n"
        "    return df\n"
    )
    inference, _ = plan(body)
    assert {k: literal_source(v).strip('"') for k, v in inference.arguments.items()} == expected


def test_a_parameter_without_a_usable_value_is_a_problem() -> None:
    body = "def f(df: DataFrame, model: object) -> DataFrame:\n    return df\n"
    inference, _ = plan(body)
    assert inference.problems == ["cannot choose a value for parameter `model` of type `object`"]


def test_sorting_is_noticed() -> None:
    inference, _ = plan("def f(df):\n    return df.select('a').orderBy('a')\n")
    assert inference.sorts


@pytest.mark.parametrize(
    "value",
    [
        None,
        1,
        2.5,
        float("nan"),
        "it's",
        True,
        dt.date(2024, 2, 29),
        dt.datetime(2024, 1, 1, 8, 30),
        Decimal("1.50"),
        [1, None],
        {"a": 1},
        (1, "x"),
        ("only",),
    ],
)
def test_literals_round_trip(value: object) -> None:
    source = literal_source(value)
    again = eval(source, {"datetime": dt, "Decimal": Decimal})
    if isinstance(value, float) and value != value:
        assert again != again
    else:
        assert again == value


def test_test_paths_mirror_the_package(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    source = tmp_path / "src" / "shop" / "jobs" / "orders.py"
    source.parent.mkdir(parents=True)
    source.write_text("")
    assert target_test_path(source, root=tmp_path) == tmp_path / "tests/shop/jobs/test_orders.py"
    assert target_test_path(source, root=tmp_path, output_dir=tmp_path / "out") == (
        tmp_path / "out/shop/jobs/test_orders.py"
    )
    assert import_location(source, root=tmp_path) == (tmp_path / "src", "shop.jobs.orders")
    flat = tmp_path / "orders.py"
    flat.write_text("")
    assert target_test_path(flat, root=tmp_path) == tmp_path / "tests/test_orders.py"
    assert import_location(flat, root=tmp_path) == (tmp_path, "orders")


def test_configured_src_and_tests_folders_are_used(tmp_path: Path) -> None:
    from codemods.testgen.paths import project_layout

    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\nsrc = ["lib"]\ntests = ["checks"]\n')
    source = tmp_path / "lib" / "shop" / "orders.py"
    source.parent.mkdir(parents=True)
    source.write_text("")
    layout = project_layout(source)
    assert target_test_path(source, root=layout.root, layout=layout) == (
        tmp_path.resolve() / "checks/shop/test_orders.py"
    )
    assert import_location(source, root=layout.root, layout=layout) == (
        tmp_path.resolve() / "lib",
        "shop.orders",
    )
