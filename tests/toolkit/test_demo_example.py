"""The sample project in demo/example: its config is valid and its job cleans the sample rows."""

import importlib.util
import sys
from pathlib import Path

import pytest

from toolkit.config import ConfigLoader, validate_config_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "demo" / "example"


def load_job_module():
    path = EXAMPLE / "customer_360" / "bronze_to_silver.py"
    spec = importlib.util.spec_from_file_location("demo_bronze_to_silver", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_example_config_is_valid_for_every_environment():
    assert validate_config_dir(EXAMPLE / "config") == []
    dev = ConfigLoader.load(env="dev", config_dir=EXAMPLE / "config")
    assert dev.catalog.get_table_name("silver", "customers") == (
        "dev_analytics.customer_360_silver.customers"
    )


@pytest.mark.slow
def test_job_keeps_clean_rows_and_rejects_the_bad_ones(spark, assert_df_equal):
    job = load_job_module()
    raw = spark.read.csv(str(EXAMPLE / "data" / "customers.csv"), header=True)
    bronze = job.to_bronze(raw, source="customers.csv")
    silver, rejected = job.clean_customers(bronze, valid_countries=["US", "GB", "DE", "FR", "NL"])
    ids = sorted(row.customer_id for row in silver.collect())
    assert ids == list(range(1001, 1014))
    grace = silver.filter("customer_id = 1003").select("signup_date").first()
    assert str(grace.signup_date) == "2023-09-01"  # the later duplicate wins
    knuth = silver.filter("customer_id = 1006").select("email", "country")
    assert_df_equal(knuth, [("donald.knuth@example.com", "US")], ignore_nullable=True)
    reasons = {row.customer_id: list(row.reject_reasons) for row in rejected.collect()}
    assert reasons == {
        None: ["missing customer_id"],
        1014: ["country not served"],
        1015: ["invalid email", "country not served"],
        1016: ["invalid signup_date"],
        1017: ["negative lifetime_value"],
        1018: ["lifetime_value is not a number"],
    }
