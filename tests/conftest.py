"""Fixtures shared across test areas (pytest runs with `--import-mode=importlib`, so test
modules share through fixtures here, never by importing one another)."""

from __future__ import annotations

import pytest

# A pipeline module with three findings every door reports: SPK101 (`== None`, line 5),
# SPK205 (`count() == 0`, line 10) and SPK201 (`collect()`, line 12); the first two are fixable.
ORDERS_JOB = """\
from pyspark.sql import functions as F


def late(orders):
    return orders.filter(F.col("shipped_at") == None)


def run(spark):
    df = spark.table("main.sales.orders")
    if df.count() == 0:
        return
    return df.collect()
"""


@pytest.fixture(scope="session")
def orders_job() -> str:
    """The text of a pipeline module with lint findings (see `ORDERS_JOB`)."""
    return ORDERS_JOB
