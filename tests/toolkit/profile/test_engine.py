"""The profile itself: statistics, passes and job counts, on a real local session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.errors import ToolkitError
from toolkit.profile.engine import profile_dataframe

pytestmark = pytest.mark.slow  # each test runs real Spark jobs


@pytest.fixture(scope="module")
def mixed_profile(spark, mixed_parquet: Path):
    df = spark.read.parquet(str(mixed_parquet))
    return profile_dataframe(df, source=str(mixed_parquet))


def test_per_column_statistics(mixed_profile) -> None:
    p = mixed_profile
    assert p.rows == 400
    score = p.column("score")
    assert score.nulls == 0 and score.nan_count == 16
    assert (score.min, score.max) == (1.0, 49.0)  # NaN is counted, not ranked
    assert score.mean == pytest.approx(25.0, abs=0.5)
    assert score.stddev == pytest.approx(14.4, abs=0.5)
    assert score.quantiles["p50"] == pytest.approx(25.0, abs=1.5)
    category = p.column("category")
    assert category.nulls == 40 and category.null_rate == pytest.approx(0.1)
    assert category.distinct == 3 and category.top_values_complete
    assert {v for v, _ in category.top_values} == {"red", "green", "blue"}
    assert sum(n for _, n in category.top_values) == 360
    assert category.length == {"min": 3, "max": 5, "mean": pytest.approx(4.0, abs=0.1)}
    day = p.column("day")
    assert (day.min, day.max) == (dt.date(2024, 1, 1), dt.date(2024, 1, 30))
    assert isinstance(day.quantiles["p25"], dt.date)
    assert day.histogram is not None and sum(day.histogram.counts) == 400
    assert p.column("seen").histogram is not None
    assert p.column("price").mean == pytest.approx(49.9, abs=1.0)
    assert p.column("flag").top_values == [(False, 300), (True, 100)]


def test_histograms_count_every_value(mixed_profile) -> None:
    score = mixed_profile.column("score")
    assert score.histogram is not None
    assert len(score.histogram.edges) == len(score.histogram.counts) + 1
    assert sum(score.histogram.counts) == 400 - 16  # NaN has no place on the axis
    ids = mixed_profile.column("id")
    assert ids.top_values == []  # a key has no frequent values: pass 2 skips it
    assert sum(ids.histogram.counts) == 400


def test_complex_binary_and_all_null_columns_are_profiled(mixed_profile) -> None:
    tags = mixed_profile.column("tags")
    assert tags.kind == "array" and tags.size == {"min": 0, "max": 2, "mean": 1.0}
    attrs = mixed_profile.column("attrs")
    assert attrs.kind == "map" and attrs.nulls == 80
    assert mixed_profile.column("address").kind == "struct"
    assert mixed_profile.column("payload").length["max"] == 2
    nothing = mixed_profile.column("nothing")
    assert nothing.nulls == 400 and nothing.null_rate == 1.0 and nothing.min is None
    assert nothing.top_values == [] and nothing.histogram is None


def test_duplicate_rows_are_estimated(spark) -> None:
    rows = [(i, f"n{i}") for i in range(300)] + [(i, f"n{i}") for i in range(30)]
    profile = profile_dataframe(spark.createDataFrame(rows, "id int, name string"))
    assert profile.rows == 330
    assert abs(profile.duplicate_rows_estimate - 30) <= profile.duplicate_rows_margin


def test_jobs_are_counted_for_real_and_scans_are_two(spark, mixed_parquet: Path) -> None:
    df = spark.read.parquet(str(mixed_parquet))
    profile = profile_dataframe(df, columns=["category", "score"])
    steps = profile.execution.steps
    assert [s["step"] for s in steps] == ["statistics", "top values and histograms"]
    assert profile.execution.scans == 2
    assert profile.execution.spark_jobs == sum(s["spark_jobs"] for s in steps)
    assert all(s["spark_jobs"] >= 1 for s in steps)
    # A table with nothing to count or bin needs only the first pass.
    single = profile_dataframe(spark.createDataFrame([(1, "a")], "id int, name string"))
    assert single.execution.scans == 1
    assert len(single.execution.steps) == 1


def test_sample_is_random_and_recorded(spark) -> None:
    df = spark.range(0, 4000).selectExpr("id", "id % 10 as bucket")
    profile = profile_dataframe(df, sample_fraction=0.25, seed=7)
    assert profile.sample is not None and profile.sample.rows == profile.rows
    assert 800 < profile.rows < 1200
    # A random sample spans the data; `limit()` would return the first ids only.
    assert profile.column("id").max > 3500


def test_empty_table(spark) -> None:
    profile = profile_dataframe(spark.createDataFrame([], "id int, name string"))
    assert profile.rows == 0
    assert profile.column("id").nulls == 0 and profile.column("id").min is None
    assert profile.duplicate_rows_estimate == 0


@pytest.mark.parametrize("ansi", ["true", "false"])
def test_ansi_mode_on_and_off(spark, mixed_parquet: Path, ansi: str) -> None:
    previous = spark.conf.get("spark.sql.ansi.enabled")
    spark.conf.set("spark.sql.ansi.enabled", ansi)
    try:
        df = spark.read.parquet(str(mixed_parquet))
        profile = profile_dataframe(df, columns=["score", "price", "day", "seen", "nothing"])
    finally:
        spark.conf.set("spark.sql.ansi.enabled", previous)
    assert profile.column("price").max is not None
    assert sum(profile.column("seen").histogram.counts) == 400


def test_bad_options(spark) -> None:
    df = spark.createDataFrame([(1,)], "id int")
    with pytest.raises(ToolkitError, match="--columns: nope not in the data"):
        profile_dataframe(df, columns=["nope"])
    with pytest.raises(ToolkitError, match=r"--sample: 1\.5 is not a fraction"):
        profile_dataframe(df, sample_fraction=1.5)
