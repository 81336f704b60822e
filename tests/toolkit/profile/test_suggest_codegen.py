"""From a profile to rules, schema code and a fixture, each proven on real Spark data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from toolkit.profile.codegen import fixture_module, schema_code
from toolkit.profile.engine import profile_dataframe
from toolkit.profile.suggest import check_rules, rules_yaml, suggest_rules
from toolkit.validation import load_rules, validate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def orders(spark):
    rows = [
        (i, ["open", "paid", "shipped"][i % 3], float(i % 97) + 0.5, f"2024-0{1 + i % 9}-1{i % 10}")
        for i in range(1, 301)
    ]
    rows.append((301, "paid", 5000.0, "2024-01-01"))  # an outlier beyond the 99th percentile
    return spark.createDataFrame(rows, "order_id int, status string, amount double, day string")
    # `day` stays a string on purpose: strings get no range rule


@pytest.fixture(scope="module")
def orders_profile(orders):
    return profile_dataframe(orders.withColumn("day", orders["day"].cast("date")), source="orders")


def test_suggested_rules_are_checked_and_annotated(orders, orders_profile, tmp_path: Path) -> None:
    data = orders.withColumn("day", orders["day"].cast("date"))
    candidates = suggest_rules(orders_profile)
    checked, _ = check_rules(data, candidates)
    by_name = {c.rule.name: c for c in checked}
    assert by_name["status_is_in_list"].rule.arguments["allowed"] == ["open", "paid", "shipped"]
    assert by_name["order_id_is_unique"].failed_rows == 0
    assert by_name["order_id_is_unique"].rule.criticality == "error"  # a key by its name
    assert by_name["amount_is_not_negative"].rule.arguments["limit"] == 0
    amount_range = by_name["amount_is_in_range"]
    assert amount_range.rule.criticality == "warn"
    assert amount_range.failed_rows == 1  # the outlier shows up as a pass rate below 100%
    assert "day_is_in_range" in by_name

    path = tmp_path / "rules.yaml"
    path.write_text(rules_yaml(orders_profile, checked))
    text = path.read_text()
    assert "# passes on 99.66% of the profiled rows (1 of 301 fail)" in text
    # The file is plain DQX YAML (dates as YAML dates) and toolkit.validation reads it back.
    raw = yaml.safe_load(text)
    assert raw[0].keys() >= {"name", "criticality", "check", "user_metadata"}
    report = validate(data, load_rules(path))
    assert [r.failed_rows for r in report.results] == [c.failed_rows for c in checked]


def test_near_unique_column_is_not_called_unique(spark) -> None:
    rows = [(i % 299,) for i in range(300)]  # one duplicate key
    df = spark.createDataFrame(rows, "key int")
    checked, _ = check_rules(df, suggest_rules(profile_dataframe(df)))
    assert "key_is_unique" not in {c.rule.name for c in checked}


def test_schema_code_rebuilds_the_schema(orders_profile, orders) -> None:
    code = schema_code(orders_profile)
    namespace: dict = {}
    exec(compile(code, "schema.py", "exec"), namespace)
    expected = orders.withColumn("day", orders["day"].cast("date")).schema
    assert namespace["ORDERS_SCHEMA"] == expected
    assert code.startswith("from pyspark.sql.types import ")


def test_fixture_module_builds_data_that_meets_the_rules(
    spark, orders_profile, orders, tmp_path: Path
) -> None:
    path = tmp_path / "orders_fixture.py"
    path.write_text(fixture_module(orders_profile, name="orders"))
    spec = importlib.util.spec_from_file_location("orders_fixture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    df = module.build_orders(spark, 200, seed=3)
    assert df.count() == 200
    assert df.schema == orders.withColumn("day", orders["day"].cast("date")).schema
    rules = [r for r in suggest_rules(orders_profile) if r.criticality == "error"]
    report = validate(df, rules)
    assert report.passed, report.summary()
    assert {r["status"] for r in df.select("status").distinct().collect()} <= {
        "open",
        "paid",
        "shipped",
    }
