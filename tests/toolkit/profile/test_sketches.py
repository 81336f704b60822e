"""Pass 1's sketches and what is read from them, and the fallback without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.profile import engine
from toolkit.profile.engine import profile_dataframe
from toolkit.profile.sketches import SketchSupport, sketch_support

pytestmark = pytest.mark.slow  # each test runs real Spark jobs


def test_the_local_session_has_the_sketch_functions(spark) -> None:
    assert sketch_support(spark).datasketches


def test_wide_columns_get_their_histogram_from_the_sketch_without_a_scan(spark) -> None:
    profile = profile_dataframe(
        spark.range(0, 30_000).selectExpr("id", "CAST(id AS DOUBLE) / 2 AS half")
    )
    assert profile.execution.scans == 1  # nothing to count: no pass-2 query
    for name in ("id", "half"):
        column = profile.column(name)
        assert column.histogram is not None and column.histogram.estimated
        assert sum(column.histogram.counts) == 30_000
        # Exactly 1,500 values per bin; the sketch's rank error is about 0.15% of the rows.
        assert all(abs(n - 1500) <= 150 for n in column.histogram.counts)
    assert profile.column("id").quantiles["p50"] == pytest.approx(15_000, rel=0.01)
    assert profile.column("id").distinct_approx == pytest.approx(30_000, rel=0.05)


def test_a_sketch_of_few_values_holds_them_all(spark, mixed_parquet: Path) -> None:
    ids = profile_dataframe(spark.read.parquet(str(mixed_parquet)), columns=["id"]).column("id")
    assert ids.top_values == []  # a key: not counted in pass 2
    assert ids.histogram is not None and not ids.histogram.estimated
    assert ids.histogram.counts == [20] * 20


def test_counted_columns_get_exact_quantiles_and_histograms(spark) -> None:
    counts = [(1, 50), (2, 30), (3, 15), (100, 5)]
    rows = [(value,) for value, n in counts for _ in range(n)]
    v = profile_dataframe(spark.createDataFrame(rows, "v int")).column("v")
    assert v.distinct == 4 and v.top_values_complete
    assert v.quantiles == {
        "p01": 1,
        "p05": 1,
        "p25": 1,
        "p50": 1,
        "p75": 2,
        "p95": 3,
        "p99": 100,
    }
    assert v.histogram is not None and not v.histogram.estimated
    assert v.histogram.counts[0] == 95 and v.histogram.counts[-1] == 5
    assert sum(v.histogram.counts) == 100


def test_string_min_and_max_follow_code_points(spark) -> None:
    rows = [("é",), ("z",), ("a",), (None,), ("日本",)]
    s = profile_dataframe(spark.createDataFrame(rows, "s string")).column("s")
    assert (s.min, s.max) == ("a", "日本")
    assert s.length == {"min": 1, "max": 2, "mean": 1.25}


def test_without_sketch_functions_the_profile_has_the_same_fields(
    spark, mixed_parquet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    df = spark.read.parquet(str(mixed_parquet))
    columns = ["id", "category", "score", "day", "seen", "price"]
    with_sketches = profile_dataframe(df, columns=columns)
    monkeypatch.setattr(engine, "sketch_support", lambda _spark: SketchSupport(False))
    without = profile_dataframe(df, columns=columns)
    assert without.duplicate_rows_estimate == pytest.approx(0, abs=without.duplicate_rows_margin)
    for name in columns:
        a, b = with_sketches.column(name), without.column(name)
        assert a.quantiles.keys() == b.quantiles.keys()
        assert (a.min, a.max, a.distinct) == (b.min, b.max, b.distinct)
        assert a.distinct_approx == pytest.approx(b.distinct_approx, rel=0.05)
        assert (a.histogram is None) == (b.histogram is None)
        if a.histogram is not None:
            assert a.histogram.counts == b.histogram.counts  # 400 rows: exact both ways
    assert without.column("id").quantiles["p50"] == pytest.approx(200, abs=2)
    assert without.column("price").quantiles == with_sketches.column("price").quantiles


def test_columns_named_like_the_hidden_sketch_inputs_are_profiled_as_they_are(spark) -> None:
    df = spark.range(0, 50).selectExpr("id AS __toolkit_c0_distinct", "id % 5 AS __toolkit_")
    profile = profile_dataframe(df)
    assert [c.name for c in profile.columns] == ["__toolkit_c0_distinct", "__toolkit_"]
    assert profile.column("__toolkit_c0_distinct").distinct_approx == 50
    assert profile.column("__toolkit_").distinct == 5
