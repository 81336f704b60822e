"""Benchmark: the toolkit's `spark` fixture against two common alternatives.

Thirty small transform-and-assert tests run three times, each in its own pytest process:

- toolkit      the plugin's `spark` fixture (toolkit.spark.LOCAL_SPARK_CONF);
- plain        `SparkSession.builder.master("local[*]").getOrCreate()`, default conf;
- pytest-spark pytest-spark's settings (one shuffle partition, parallelism 1, Hive catalog).

Printed: each variant's wall time, session start-up, the sum and the median of the tests'
own time, then the ratios. Targets: at least 1.2x faster than plain, never slower than
pytest-spark's settings. `--check` exits 1 when a target is missed; `--rounds N` repeats the
runs (variants interleaved) and keeps each variant's best round, to damp noise from a busy
machine.

    .venv/bin/python bench/test_fixture.py [--rounds 2] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

TESTS = """
import pytest
from pyspark.sql import Window
from pyspark.sql import functions as F

ROWS = [(i, f"c{i % 7}", float(i) * 1.5, i % 3 == 0) for i in range(40)]
SCHEMA = "id long, category string, amount double, flag boolean"


@pytest.fixture
def df(spark):
    return spark.createDataFrame(ROWS, SCHEMA)


@pytest.mark.parametrize("factor", [1, 2, 3])
def test_with_column(df, factor):
    out = df.withColumn("scaled", F.col("amount") * factor).select("id", "scaled").collect()
    assert [r.scaled for r in out] == [i * 1.5 * factor for i in range(40)]


@pytest.mark.parametrize("limit", [5, 20, 35])
def test_filter(df, limit):
    assert df.filter(F.col("id") < limit).count() == limit


@pytest.mark.parametrize("column", ["category", "flag", "id"])
def test_group_by_count(df, column):
    counts = {r[0]: r[1] for r in df.groupBy(column).count().collect()}
    assert sum(counts.values()) == 40


@pytest.mark.parametrize("how", ["inner", "left", "left_anti"])
def test_join(spark, df, how):
    names = spark.createDataFrame([(f"c{i}", f"name {i}") for i in range(4)], "category string, name string")
    out = df.join(names, "category", how)
    expected = {"inner": 24, "left": 40, "left_anti": 16}[how]
    assert out.count() == expected


@pytest.mark.parametrize("func", ["sum", "max", "avg"])
def test_aggregate(df, func):
    value = df.agg(getattr(F, func)("amount").alias("v")).first().v
    amounts = [i * 1.5 for i in range(40)]
    expected = {"sum": sum(amounts), "max": max(amounts), "avg": sum(amounts) / 40}[func]
    assert value == pytest.approx(expected)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_window_rank(df, n):
    window = Window.partitionBy("category").orderBy(F.col("amount").desc())
    top = df.withColumn("rank", F.row_number().over(window)).filter(F.col("rank") <= n)
    assert top.count() == 7 * n


@pytest.mark.parametrize("column", ["category", "flag", "id"])
def test_distinct(df, column):
    assert df.select(column).distinct().count() == {"category": 7, "flag": 2, "id": 40}[column]


@pytest.mark.parametrize("ascending", [True, False, True])
def test_order_by(df, ascending):
    ids = [r.id for r in df.orderBy(F.col("amount").asc() if ascending else F.col("amount").desc()).limit(5).collect()]
    assert ids == (list(range(5)) if ascending else list(range(39, 34, -1)))


@pytest.mark.parametrize("copies", [2, 3, 4])
def test_union_dedupe(df, copies):
    out = df
    for _ in range(copies - 1):
        out = out.unionByName(df)
    assert out.count() == 40 * copies and out.dropDuplicates(["id"]).count() == 40


@pytest.mark.parametrize("size", [1, 2, 3])
def test_explode_and_sql(spark, df, size):
    exploded = df.withColumn("item", F.explode(F.array_repeat(F.col("id"), size)))
    exploded.createOrReplaceTempView("exploded")
    total = spark.sql("SELECT category, count(*) AS n FROM exploded GROUP BY category").collect()
    assert sum(r.n for r in total) == 40 * size
"""

CONFTESTS = {
    "toolkit": """
        # the toolkit plugin's `spark` fixture, loaded through its pytest11 entry point
    """,
    "plain": """
        import pytest
        from pyspark.sql import SparkSession

        @pytest.fixture(scope="session")
        def spark():
            session = SparkSession.builder.master("local[*]").getOrCreate()
            yield session
            session.stop()
    """,
    "pytest-spark": """
        import pytest
        from pyspark import SparkConf
        from pyspark.sql import SparkSession

        # pytest-spark's defaults (pytest_spark/config.py)
        DEFAULTS = {
            "spark.app.name": "pytest-spark",
            "spark.default.parallelism": "1",
            "spark.dynamicAllocation.enabled": "false",
            "spark.executor.cores": "1",
            "spark.executor.instances": "1",
            "spark.io.compression.codec": "lz4",
            "spark.rdd.compress": "false",
            "spark.sql.shuffle.partitions": "1",
            "spark.shuffle.compress": "false",
            "spark.sql.catalogImplementation": "hive",
        }

        @pytest.fixture(scope="session")
        def spark():
            conf = SparkConf().setAll(list(DEFAULTS.items()))
            session = SparkSession.builder.master("local[*]").config(conf=conf).getOrCreate()
            yield session
            session.stop()
    """,
}

TIMING_HOOK = """

import json as _json
import os as _os

_TIMINGS = {"setup": [], "call": [], "teardown": []}

def pytest_runtest_logreport(report):
    _TIMINGS[report.when].append(report.duration)
    if report.when == "call" and report.failed:
        _TIMINGS.setdefault("failed", []).append(report.nodeid)

def pytest_sessionfinish(session, exitstatus):
    with open(_os.environ["BENCH_TIMINGS"], "w") as handle:
        _json.dump(_TIMINGS, handle)
"""


def run_variant(name: str, workdir: Path) -> dict[str, float]:
    folder = workdir / name
    folder.mkdir()
    (folder / "test_transforms.py").write_text(TESTS, encoding="utf-8")
    conftest = textwrap.dedent(CONFTESTS[name]) + TIMING_HOOK
    (folder / "conftest.py").write_text(conftest, encoding="utf-8")
    timings_file = folder / "timings.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLKIT")}
    env["BENCH_TIMINGS"] = str(timings_file)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"the {name} variant failed (exit {result.returncode})")
    timings = json.loads(timings_file.read_text(encoding="utf-8"))
    calls = timings["call"]
    if len(calls) != 30:
        raise SystemExit(f"the {name} variant ran {len(calls)} tests, expected 30")
    # the first setup creates the session; the other setups are the `df` fixture
    return {
        "wall": wall,
        "startup": timings["setup"][0],
        "tests": sum(calls) + sum(timings["setup"][1:]),
        "median": statistics.median(calls),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    best: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-") as tmp:
        for round_number in range(args.rounds):
            (Path(tmp) / f"round{round_number}").mkdir()
            for name in CONFTESTS:
                figures = run_variant(name, Path(tmp) / f"round{round_number}")
                if name not in best or figures["wall"] < best[name]["wall"]:
                    best[name] = figures
                print(
                    f"round {round_number + 1} {name:<13} wall {figures['wall']:6.2f}s  "
                    f"startup {figures['startup']:5.2f}s  tests {figures['tests']:6.2f}s  "
                    f"median {figures['median'] * 1000:7.1f}ms",
                    flush=True,
                )
    toolkit = best["toolkit"]
    print("\nvariant        wall (s)  startup (s)  30 tests (s)  median test (ms)")
    for name, figures in best.items():
        print(
            f"{name:<13} {figures['wall']:9.2f} {figures['startup']:12.2f} "
            f"{figures['tests']:13.2f} {figures['median'] * 1000:17.1f}"
        )
    ok = True
    for other, target in (("plain", 1.2), ("pytest-spark", 1.0)):
        wall_ratio = best[other]["wall"] / toolkit["wall"]
        tests_ratio = best[other]["tests"] / toolkit["tests"]
        median_ratio = best[other]["median"] / toolkit["median"]
        met = wall_ratio >= target
        ok &= met
        print(
            f"{other} / toolkit: wall {wall_ratio:.2f}x, tests {tests_ratio:.2f}x, "
            f"median {median_ratio:.2f}x (target >= {target}x on wall: "
            f"{'met' if met else 'MISSED'})"
        )
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
