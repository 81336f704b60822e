"""toolkit.validation: DQX-style rules loaded, checked and applied on a real local session."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.validation import (
    RuleError,
    counting_query,
    drop_invalid,
    load_rules,
    split,
    validate,
)

RULES_YAML = """\
- name: id_not_null
  criticality: error
  check:
    function: is_not_null
    arguments:
      column: id
- name: status_known
  criticality: error
  check:
    function: is_in_list
    arguments:
      column: status
      allowed: [active, closed]
- name: amount_in_range
  criticality: warn
  check:
    function: is_in_range
    arguments:
      column: amount
      min_limit: 0
      max_limit: 100
- name: signup_not_before_2020
  criticality: warn
  check:
    function: is_not_less_than
    arguments:
      column: signup
      limit: 2020-01-01
- name: id_unique
  check:
    function: is_unique
    arguments:
      columns: [id]
"""


@pytest.fixture
def customers(spark):
    rows = [
        (1, "active", 10.0, dt.date(2021, 5, 1)),
        (2, "closed", 250.0, dt.date(2019, 1, 1)),
        (3, "unknown", 50.0, dt.date(2022, 1, 1)),
        (3, "active", None, None),
        (None, None, -1.0, dt.date(2023, 3, 3)),
    ]
    return spark.createDataFrame(rows, "id int, status string, amount double, signup date")


@pytest.mark.slow
def test_validate_counts_every_rule_in_one_pass(spark, customers, tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(RULES_YAML)
    customers.write.parquet(str(tmp_path / "customers"))
    stored = spark.read.parquet(str(tmp_path / "customers"))
    plan = counting_query(stored, load_rules(rules_file))._jdf.queryExecution().optimizedPlan()
    assert str(plan.toString()).count("Relation ") == 1  # the data is read once
    report = validate(stored, rules_file)
    failures = {r.rule.name: r.failed_rows for r in report.results}
    # NULLs pass every check but is_not_null, as in DQX.
    assert failures == {
        "id_not_null": 1,
        "status_known": 1,
        "amount_in_range": 2,
        "signup_not_before_2020": 1,
        "id_unique": 2,
    }
    assert report.total_rows == 5
    assert not report.passed
    assert report["status_known"].failing_sample == [
        {"id": 3, "status": "unknown", "amount": 50.0, "signup": dt.date(2022, 1, 1)}
    ]
    assert {row["amount"] for row in report["amount_in_range"].failing_sample} == {250.0, -1.0}
    assert report["amount_in_range"].pass_rate == pytest.approx(0.6)
    assert "FAIL status_known (error): 1 of 5 rows fail" in report.summary()


@pytest.mark.slow
def test_split_quarantines_error_failures_with_rule_names(customers) -> None:
    valid, quarantined = split(customers, load_rules(_rules_from_yaml()))
    assert sorted(r["id"] for r in valid.collect()) == [1, 2]
    assert valid.columns == customers.columns
    annotated = {
        (r["id"], r["status"]): (sorted(r["_errors"]), sorted(r["_warnings"]))
        for r in quarantined.collect()
    }
    assert annotated == {
        (3, "unknown"): (["id_unique", "status_known"], []),
        (3, "active"): (["id_unique"], []),
        (None, None): (["id_not_null"], ["amount_in_range"]),
    }


@pytest.mark.slow
def test_drop_invalid_keeps_rows_that_fail_only_warnings(customers, tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(RULES_YAML)
    kept = drop_invalid(customers, rules_file)
    # id 2 fails two `warn` rules (amount, signup) and is kept; error failures are dropped.
    assert sorted(r["id"] for r in kept.collect()) == [1, 2]
    assert kept.columns == customers.columns


@pytest.mark.slow
def test_filter_limits_the_rows_a_rule_checks(customers) -> None:
    rules = [
        {
            "name": "active_amount_small",
            "filter": "status = 'active'",
            "check": {
                "function": "is_not_greater_than",
                "arguments": {"column": "amount", "limit": 5},
            },
        }
    ]
    result = validate(customers, rules).results[0]
    assert (result.checked_rows, result.failed_rows) == (2, 1)


def _rules_from_yaml() -> list[dict]:
    import yaml

    return yaml.safe_load(RULES_YAML)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- check: {function: is_null, arguments: {column: a}}\n",
            "rule 1 (line 1): check.function",
        ),
        (
            "- check: {function: is_not_null, arguments: {column: a}}\n"
            "- criticality: fatal\n  check: {function: is_not_null, arguments: {column: b}}\n",
            "rule 2 (line 2): criticality: 'fatal'",
        ),
        (
            "- check: {function: is_in_range, arguments: {column: a, min_limit: 1}}\n",
            "check.arguments.max_limit: missing",
        ),
        ("- check: {function: is_in_list, arguments: {column: a, allowed: []}}\n", "allowed"),
        (
            "- check: {function: is_unique, arguments: {column: a}}\n",
            "check.arguments.column: not an argument",
        ),
        (
            "- {name: x, check: {function: is_not_null, arguments: {column: a}}, extra: 1}\n",
            "extra: unknown field",
        ),
        ("- check: [1]\n", "check: missing or not a mapping"),
        ("a: [\n", "not valid YAML"),
        ("{a: 1}\n", "must be a YAML list"),
    ],
)
def test_bad_rule_file_names_file_rule_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(RuleError) as caught:
        load_rules(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_duplicate_names_and_default_names() -> None:
    rules = load_rules([{"check": {"function": "is_not_null", "arguments": {"column": "a b"}}}])
    assert rules[0].name == "a_b_is_null"
    with pytest.raises(RuleError, match="rule 2: name: 'a_b_is_null' is used"):
        load_rules([rules[0].to_dict(), rules[0].to_dict()])


def test_unknown_column_is_named(customers) -> None:
    rules = [{"check": {"function": "is_not_null", "arguments": {"column": "nope"}}}]
    with pytest.raises(RuleError, match="column 'nope' is not in the DataFrame"):
        validate(customers, rules)


def test_module_imports_no_pyspark() -> None:
    code = "import sys, toolkit.validation; print('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
