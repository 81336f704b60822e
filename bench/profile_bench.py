"""How fast `toolkit profile` is, against one plain scan and against `df.summary()`.

Generates (once) a Parquet file of 2,000,000 rows and 12 mixed columns in `bench/.cache/`,
then times, on the same session and data, each of:

- a plain scan: `df.write.format("noop")` (reads and decodes every column, writes nothing);
- `df.summary()` collected (count, mean, stddev, min, quartiles, max per column);
- `profile_dataframe(df)` (everything `summary()` gives plus nulls, distinct counts, more
  quantiles, lengths, top values, histograms and a duplicate estimate).

Each side runs once untimed first (JIT compilation, file cache, code generation); then the
three alternate, scan / summary / profile, for `--runs` rounds (default 5), so that a change
in the machine's load falls on all three alike. Prints every run, the medians in seconds, the
ratios of the medians, the load average before and after, and the Spark jobs and scans of
the profile. Target: the profile takes at most half the time of `summary()`, with at most two
passes over the data.

    .venv/bin/python bench/profile_bench.py [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

CACHE = Path(__file__).resolve().parent / ".cache"
RUNS = 5


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


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=RUNS, help="timed rounds (default 5)")
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

    profiles = []

    def run_profile() -> None:
        profiles.append(profile_dataframe(df, source=str(path)))

    sides: dict[str, Callable[[], object]] = {
        "scan": lambda: df.write.format("noop").mode("overwrite").save(),
        "summary": lambda: df.summary().collect(),
        "profile": run_profile,
    }
    load_before = load_average()
    for action in sides.values():  # warm-up, untimed
        action()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for round_number in range(1, args.runs + 1):
        for name, action in sides.items():
            times[name].append(seconds(action))
        print(
            f"round {round_number}: "
            + ", ".join(f"{name} {times[name][-1]:.2f} s" for name in sides),
            file=sys.stderr,
        )
    scan, summary, profile = (statistics.median(times[name]) for name in sides)
    last = profiles[-1]

    print(
        f"data: {args.rows:,} rows x {columns} columns (Parquet); one warm-up run of each side, "
        f"then {args.runs} alternated rounds; medians"
    )
    print(f"load average (1, 5, 15 min): {load_before} before, {load_average()} after")
    for name, label in (("scan", "scan"), ("summary", "summary()"), ("profile", "profile")):
        print(f"  {label:10} runs: " + ", ".join(f"{t:.2f}" for t in times[name]) + " s")
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
    paired = [p / s for p, s in zip(times["profile"], times["summary"], strict=True)]
    print(
        "profile / summary() per round: "
        + ", ".join(f"{r:.2f}" for r in paired)
        + f" (median {statistics.median(paired):.2f})"
    )
    target_met = profile <= 0.5 * summary and last.execution.scans <= 2
    print(f"target (<= 0.5x summary(), <= 2 scans): {'met' if target_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
