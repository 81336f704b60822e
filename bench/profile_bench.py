"""How fast `toolkit profile` is, against one plain scan and against `df.summary()`.

Generates (once) a Parquet file of 2,000,000 rows and 12 mixed columns in `bench/.cache/`,
then times, on the same session and data, the median of 3 runs each of:

- a plain scan: `df.write.format("noop")` (reads and decodes every column, writes nothing);
- `df.summary()` collected (count, mean, stddev, min, quartiles, max per column);
- `profile_dataframe(df)` (everything `summary()` gives plus nulls, distinct counts, more
  quantiles, lengths, top values, histograms and a duplicate estimate).

Prints absolute seconds, the ratios, and the Spark jobs and scans of the profile. Target: the
profile takes at most half the time of `summary()`, with at most two passes over the data.

    .venv/bin/python bench/profile_bench.py [--rows N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

CACHE = Path(__file__).resolve().parent / ".cache"
RUNS = 3


def generate(spark: SparkSession, path: Path, rows: int) -> None:
    """Write the benchmark data: ids, categories, measures, dates, timestamps, text, nulls."""
    from pyspark.sql import functions as F

    df = spark.range(0, rows, numPartitions=8).select(
        F.col("id").alias("order_id"),
        (F.col("id") % 50_000).alias("customer_id"),
        F.element_at(
            F.array(*[F.lit(s) for s in ["open", "paid", "shipped", "returned", "lost"]]),
            (F.col("id") % 5 + 1).cast("int"),
        ).alias("status"),
        F.when(F.col("id") % 17 == 0, None).otherwise(F.round(F.rand(1) * 1000, 2)).alias("amount"),
        (F.randn(2) * 15 + 40).alias("score"),
        (F.col("id") % 7).cast("int").alias("quantity"),
        F.expr("date_add(date'2023-01-01', cast(id % 730 as int))").alias("order_date"),
        F.expr("timestamp_seconds(1700000000 + id * 13)").alias("created_at"),
        F.concat(F.lit("cust-"), (F.col("id") % 50_000).cast("string")).alias("customer_name"),
        F.element_at(
            F.array(*[F.lit(c) for c in ["NL", "DE", "BE", "FR", "ES", "IT", "PL", "SE"]]),
            (F.col("id") % 8 + 1).cast("int"),
        ).alias("country"),
        (F.col("id") % 3 == 0).alias("is_gift"),
        F.when(F.col("id") % 4 == 0, F.sha1(F.col("id").cast("string"))).alias("coupon"),
    )
    df.write.mode("overwrite").parquet(str(path))


def median_seconds(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args(argv)

    from toolkit.profile.engine import profile_dataframe
    from toolkit.spark import get_spark

    spark = get_spark()
    path = CACHE / f"profile_bench_{args.rows}.parquet"
    if not (path / "_SUCCESS").exists():
        print(f"generating {args.rows:,} rows into {path} ...", file=sys.stderr)
        CACHE.mkdir(parents=True, exist_ok=True)
        generate(spark, path, args.rows)
    df = spark.read.parquet(str(path))
    columns = len(df.columns)

    # Warm up the JVM (code generation, file listing) so the first timed run is not penalised.
    df.write.format("noop").mode("overwrite").save()

    scan = median_seconds(lambda: df.write.format("noop").mode("overwrite").save())
    summary = median_seconds(lambda: df.summary().collect())
    profiles = []

    def run_profile() -> None:
        profiles.append(profile_dataframe(df, source=str(path)))

    profile = median_seconds(run_profile)
    last = profiles[-1]

    print(f"data: {args.rows:,} rows x {columns} columns (Parquet), median of {RUNS} runs")
    print(f"{'plain scan (noop write)':28} {scan:7.2f} s   1.00x scan")
    print(f"{'df.summary()':28} {summary:7.2f} s   {summary / scan:5.2f}x scan")
    print(
        f"{'toolkit profile':28} {profile:7.2f} s   {profile / scan:5.2f}x scan   "
        f"{profile / summary:5.2f}x summary()"
    )
    steps = ", ".join(
        f"{s['step']}: {s['spark_jobs']} jobs, {s['seconds']:.1f} s" for s in last.execution.steps
    )
    print(
        f"profile work: {last.execution.spark_jobs} Spark jobs, {last.execution.scans} scans "
        f"of the data ({steps})"
    )
    target_met = profile <= 0.5 * summary and last.execution.scans <= 2
    print(f"target (<= 0.5x summary(), <= 2 scans): {'met' if target_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
