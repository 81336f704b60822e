"""Profile a DataFrame in at most two passes over the data.

Pass 1 is one `agg()` holding every per-column statistic: counts, nulls, NaNs, approximate
distinct counts (HyperLogLog), min, max, mean, standard deviation, approximate quantiles,
string lengths, collection sizes, and an approximate distinct count of whole rows for the
duplicate estimate.

Pass 2 is one query, guided by pass 1: it explodes each row into (column, value) and
(column, histogram bin) entries, groups them, and keeps the most frequent values per column
with the exact number of distinct values. A column gets top values only when pass 1 says it
is not near-unique, and a histogram only when it has a numeric, date or timestamp range
wider than a point, so pass 2 never groups a primary key and is skipped when nothing needs it.

Every Spark job runs under a job group of its own; the status tracker's job ids for that
group are the job count the profile reports.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.errors import ToolkitError
from toolkit.profile.model import (
    ARRAY,
    BINARY,
    BOOLEAN,
    DATE,
    MAP,
    NUMERIC,
    ORDERED_KINDS,
    OTHER,
    QUANTILE_PROBABILITIES,
    STRING,
    STRUCT,
    TEMPORAL_KINDS,
    TIMESTAMP,
    ColumnProfile,
    ExecutionInfo,
    Histogram,
    SampleInfo,
    TableProfile,
    quantile_label,
)

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession
    from pyspark.sql.types import DataType, StructField

TOP_VALUES = 20  # enough to turn a small value set into an `is_in_list` rule
HISTOGRAM_BINS = 20
DISTINCT_RSD = 0.02  # HyperLogLog relative standard deviation for column distinct counts
ROW_DISTINCT_RSD = 0.01  # tighter for whole rows: the duplicate estimate is a difference
QUANTILE_ACCURACY = 2000  # percentile_approx: rank error at most 1/2000 of the rows
NEAR_UNIQUE_RATIO = 0.9  # above this distinct/non-null ratio top values are all "1"
TOP_VALUES_MAX_DISTINCT = 10_000  # pass 2 groups at most this many values per column

ProgressCallback = Callable[[str], None]


@dataclass
class _Plan:
    """What pass 1 computes for one column, and the aliases its results come back under."""

    index: int
    field: StructField
    kind: str

    def alias(self, stat: str) -> str:
        return f"c{self.index}_{stat}"


def column_kind(data_type: DataType) -> str:
    """The statistics family of a Spark type."""
    from pyspark.sql import types as T

    if isinstance(data_type, T.BooleanType):
        return BOOLEAN
    if isinstance(data_type, T.NumericType):
        return NUMERIC
    if isinstance(data_type, (T.StringType, T.CharType, T.VarcharType)):
        return STRING
    if isinstance(data_type, T.DateType):
        return DATE
    if isinstance(data_type, (T.TimestampType, T.TimestampNTZType)):
        return TIMESTAMP
    if isinstance(data_type, T.BinaryType):
        return BINARY
    if isinstance(data_type, T.ArrayType):
        return ARRAY
    if isinstance(data_type, T.MapType):
        return MAP
    if isinstance(data_type, T.StructType):
        return STRUCT
    return OTHER


def profile_dataframe(
    df: DataFrame,
    *,
    source: str = "DataFrame",
    columns: Sequence[str] | None = None,
    sample_fraction: float | None = None,
    seed: int = 42,
    on_step: ProgressCallback | None = None,
) -> TableProfile:
    """Profile `df` (or a random sample of it) in at most two passes."""
    started = time.perf_counter()
    step = on_step or (lambda _message: None)
    df = prepare_dataframe(df, columns=columns, sample_fraction=sample_fraction, seed=seed)
    sample = None
    plans = [_Plan(i, f, column_kind(f.dataType)) for i, f in enumerate(df.schema.fields)]
    tracker = JobCounter(df.sparkSession)
    steps: list[dict[str, Any]] = []

    step("pass 1 of 2: statistics of every column")
    step_started = time.perf_counter()
    with tracker.group("statistics") as jobs:
        stats = _first_pass(df, plans)
    steps.append(
        {
            "step": "statistics",
            "spark_jobs": jobs(),
            "seconds": round(time.perf_counter() - step_started, 3),
        }
    )
    rows = int(stats["__rows"])
    profiles = [_column_from_stats(plan, stats, rows) for plan in plans]

    second = _second_pass_entries(plans, profiles, stats)
    scans = 1
    if second:
        step("pass 2 of 2: top values and histograms")
        step_started = time.perf_counter()
        with tracker.group("top values and histograms") as jobs:
            _second_pass(df, second, profiles)
        steps.append(
            {
                "step": "top values and histograms",
                "spark_jobs": jobs(),
                "seconds": round(time.perf_counter() - step_started, 3),
            }
        )
        scans = 2

    distinct_rows = stats["__row_distinct"]
    duplicates = margin = None
    if distinct_rows is not None and rows:
        duplicates = max(0, rows - int(distinct_rows))
        # Two standard deviations of the HyperLogLog estimate.
        margin = math.ceil(2 * ROW_DISTINCT_RSD * rows)
    elif rows == 0:
        duplicates, margin = 0, 0
    if sample_fraction is not None:
        sample = SampleInfo(fraction=sample_fraction, seed=seed, rows=rows)
    job_counts = [s["spark_jobs"] for s in steps]
    return TableProfile(
        source=source,
        rows=rows,
        columns=profiles,
        schema=[
            {"name": f.name, "type": f.dataType.simpleString(), "nullable": f.nullable}
            for f in df.schema.fields
        ],
        schema_json=df.schema.json(),
        duplicate_rows_estimate=duplicates,
        duplicate_rows_margin=margin,
        sample=sample,
        execution=ExecutionInfo(
            spark_jobs=None if None in job_counts else sum(job_counts),
            scans=scans,
            seconds=round(time.perf_counter() - started, 3),
            steps=steps,
        ),
    )


def prepare_dataframe(
    df: DataFrame,
    *,
    columns: Sequence[str] | None = None,
    sample_fraction: float | None = None,
    seed: int = 42,
) -> DataFrame:
    """`df` with only `columns`, sampled: exactly the data a profile with these options sees."""
    if columns:
        df = _select_columns(df, columns)
    if sample_fraction is not None:
        if not 0 < sample_fraction <= 1:
            raise ToolkitError(f"--sample: {sample_fraction} is not a fraction in (0, 1]")
        # A Bernoulli sample: every row is kept with the same probability, unlike `limit()`,
        # which returns whichever rows the first partitions hold. The seed makes it repeatable.
        df = df.sample(withReplacement=False, fraction=sample_fraction, seed=seed)
    return df


def _select_columns(df: DataFrame, columns: Sequence[str]) -> DataFrame:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ToolkitError(
            f"--columns: {', '.join(missing)} not in the data (columns: {', '.join(df.columns)})"
        )
    return df.select(*[_col(c) for c in columns])


def _col(name: str) -> Column:
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")


# ------------------------------------------------------------------------------------ pass 1


def _is_fractional(plan: _Plan) -> bool:
    from pyspark.sql import types as T

    return isinstance(plan.field.dataType, (T.FloatType, T.DoubleType))


def _finite(plan: _Plan) -> Column:
    """The column's values without NaN (and, for the histogram domain, infinities)."""
    from pyspark.sql import functions as F

    c = _col(plan.field.name)
    if _is_fractional(plan):
        return F.when(~F.isnan(c), c)
    return c


def _domain(plan: _Plan) -> Column:
    """Values as a double on a line: numbers themselves, dates as days, timestamps as µs."""
    from pyspark.sql import functions as F

    c = _col(plan.field.name)
    if plan.kind == DATE:
        return F.unix_date(c).cast("double")
    if plan.kind == TIMESTAMP:
        return F.unix_micros(c.cast("timestamp")).cast("double")
    value = c.cast("double")
    if _is_fractional(plan):
        return F.when(~F.isnan(value) & (F.abs(value) != F.lit(float("inf"))), value)
    return value


def _first_pass_aggregates(plan: _Plan) -> list[Column]:
    from pyspark.sql import functions as F

    c = _col(plan.field.name)
    a = plan.alias
    aggs = [F.count(c).alias(a("non_null"))]
    value = _finite(plan)
    if _is_fractional(plan):
        aggs.append(F.count(F.when(F.isnan(c), 1)).alias(a("nan")))
    if plan.kind in ORDERED_KINDS:
        aggs += [F.min(value).alias(a("min")), F.max(value).alias(a("max"))]
    if plan.kind in (*ORDERED_KINDS, BINARY):
        aggs.append(F.approx_count_distinct(value, DISTINCT_RSD).alias(a("distinct")))
    if plan.kind == NUMERIC:
        as_double = value.cast("double")
        aggs += [F.avg(as_double).alias(a("mean")), F.stddev_samp(as_double).alias(a("stddev"))]
    if plan.kind in (NUMERIC, *TEMPORAL_KINDS):
        probabilities = list(QUANTILE_PROBABILITIES)
        aggs.append(
            F.percentile_approx(value, probabilities, QUANTILE_ACCURACY).alias(a("quantiles"))
        )
        domain = _domain(plan)
        aggs += [F.min(domain).alias(a("dmin")), F.max(domain).alias(a("dmax"))]
    if plan.kind in (STRING, BINARY):
        length = F.length(c)
        aggs += [
            F.min(length).alias(a("len_min")),
            F.max(length).alias(a("len_max")),
            F.avg(length).alias(a("len_mean")),
        ]
    if plan.kind in (ARRAY, MAP):
        size = F.when(c.isNotNull(), F.size(c))
        aggs += [
            F.min(size).alias(a("size_min")),
            F.max(size).alias(a("size_max")),
            F.avg(size).alias(a("size_mean")),
        ]
    return aggs


def _row_hash_inputs(plans: Sequence[_Plan]) -> list[Column]:
    from pyspark.sql import functions as F

    # Maps cannot be hashed in Spark; their entries (an array of structs) can.
    return [
        F.map_entries(_col(p.field.name)) if p.kind == MAP else _col(p.field.name) for p in plans
    ]


def _first_pass(df: DataFrame, plans: Sequence[_Plan]) -> dict[str, Any]:
    from pyspark.sql import functions as F

    aggs = [F.count(F.lit(1)).alias("__rows")]
    if plans:
        row_hash = F.xxhash64(*_row_hash_inputs(plans))
        aggs.append(F.approx_count_distinct(row_hash, ROW_DISTINCT_RSD).alias("__row_distinct"))
    else:
        aggs.append(F.lit(None).alias("__row_distinct"))
    for plan in plans:
        aggs += _first_pass_aggregates(plan)
    return _run(lambda: df.agg(*aggs).collect()[0].asDict())


def _column_from_stats(plan: _Plan, stats: dict[str, Any], rows: int) -> ColumnProfile:
    a = plan.alias
    non_null = int(stats[a("non_null")])
    profile = ColumnProfile(
        name=plan.field.name,
        type=plan.field.dataType.simpleString(),
        kind=plan.kind,
        nullable=plan.field.nullable,
        rows=rows,
        nulls=rows - non_null,
        nan_count=stats.get(a("nan")),
        distinct_approx=stats.get(a("distinct")),
        min=stats.get(a("min")),
        max=stats.get(a("max")),
        mean=stats.get(a("mean")),
        stddev=stats.get(a("stddev")),
    )
    if profile.distinct_approx is not None and non_null:
        # The estimate can overshoot; a column never has more values than rows.
        profile.distinct_approx = max(1, min(int(profile.distinct_approx), non_null))
    if profile.stddev is not None and math.isnan(profile.stddev):
        profile.stddev = None  # one value: no sample deviation
    quantiles = stats.get(a("quantiles"))
    if quantiles:
        profile.quantiles = {
            quantile_label(p): v for p, v in zip(QUANTILE_PROBABILITIES, quantiles, strict=True)
        }
    if a("len_min") in stats:
        profile.length = {
            "min": stats[a("len_min")],
            "max": stats[a("len_max")],
            "mean": stats[a("len_mean")],
        }
    if a("size_min") in stats:
        profile.size = {
            "min": stats[a("size_min")],
            "max": stats[a("size_max")],
            "mean": stats[a("size_mean")],
        }
    if plan.kind == BOOLEAN and non_null:
        profile.distinct_approx = 1 if profile.min == profile.max else 2
    return profile


# ------------------------------------------------------------------------------------ pass 2


@dataclass
class _Bins:
    """Equal-width bins on a column's domain: bin i is [low + i*width, low + (i+1)*width)."""

    low: float
    width: float
    count: int

    @property
    def edges(self) -> list[float]:
        return [self.low + i * self.width for i in range(self.count + 1)]


@dataclass
class _SecondPassEntry:
    plan: _Plan
    top_values: bool
    bins: _Bins | None


def _second_pass_entries(
    plans: Sequence[_Plan], profiles: Sequence[ColumnProfile], stats: dict[str, Any]
) -> list[_SecondPassEntry]:
    entries = []
    for plan, profile in zip(plans, profiles, strict=True):
        if profile.non_null == 0:
            continue
        wants_top = plan.kind in ORDERED_KINDS and _worth_counting(profile)
        if wants_top and profile.min is not None and profile.min == profile.max:
            # One distinct value: pass 1 already knows its count.
            profile.top_values = [(profile.min, profile.non_null - (profile.nan_count or 0))]
            profile.distinct, profile.top_values_complete = 1, True
            wants_top = False
        bins = None
        if plan.kind in (NUMERIC, *TEMPORAL_KINDS):
            low, high = stats.get(plan.alias("dmin")), stats.get(plan.alias("dmax"))
            if low is not None and low == high:
                # One distinct point: the histogram is known without counting.
                profile.histogram = Histogram(
                    edges=_edges_as_values(plan, [low, high]), counts=[profile.non_null]
                )
            elif low is not None:
                bins = _histogram_bins(plan, float(low), float(high))
        if wants_top or bins:
            entries.append(_SecondPassEntry(plan, wants_top, bins))
    return entries


def _worth_counting(profile: ColumnProfile) -> bool:
    distinct = profile.distinct_approx or 0
    if profile.kind == BOOLEAN:
        return True
    if distinct > TOP_VALUES_MAX_DISTINCT:
        return False
    # Near-unique columns (keys, measurements) have no frequent values to show.
    return distinct <= TOP_VALUES or distinct < NEAR_UNIQUE_RATIO * profile.non_null


def _histogram_bins(plan: _Plan, low: float, high: float) -> _Bins:
    integral = plan.kind == DATE or plan.field.dataType.typeName() in (
        "byte",
        "short",
        "integer",
        "long",
    )
    if integral and high - low + 1 <= HISTOGRAM_BINS:
        return _Bins(low, 1.0, int(high - low + 1))  # one bin per value
    return _Bins(low, (high - low) / HISTOGRAM_BINS, HISTOGRAM_BINS)


def _bin_index(plan: _Plan, bins: _Bins) -> Column:
    from pyspark.sql import functions as F

    index = F.floor((_domain(plan) - F.lit(bins.low)) / F.lit(bins.width)).cast("int")
    return F.least(index, F.lit(bins.count - 1))


def _value_key(plan: _Plan) -> tuple[Column, Column]:
    """A grouping key for a column's values: (long, string), one of them NULL.

    Integral, boolean, date and timestamp values group as longs (no text formatting per
    row, which costs more than the grouping); other values group as text.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    c = _col(plan.field.name)
    data_type = plan.field.dataType
    no_text = F.lit(None).cast("string")
    if isinstance(data_type, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return c.cast("long"), no_text
    if isinstance(data_type, T.BooleanType):
        return c.cast("long"), no_text
    if isinstance(data_type, T.DateType):
        return F.unix_date(c).cast("long"), no_text
    if isinstance(data_type, T.TimestampType):
        return F.unix_micros(c), no_text
    return F.lit(None).cast("long"), _finite(plan).cast("string")


def _decode(plan: _Plan, number: int | None, text: str | None) -> Any:
    """A value as pass 2 grouped it, back in the column's Python type."""
    from pyspark.sql import types as T

    data_type = plan.field.dataType
    if number is not None:
        if isinstance(data_type, T.BooleanType):
            return number == 1
        if isinstance(data_type, (T.DateType, T.TimestampType)):
            # The same conversion pyspark applies to collected dates and timestamps.
            return data_type.fromInternal(number)
        return number
    return _typed(plan, text)


def _second_pass(
    df: DataFrame, entries: Sequence[_SecondPassEntry], profiles: list[ColumnProfile]
) -> None:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    parts = []
    for entry in entries:
        i = F.lit(entry.plan.index)
        if entry.top_values:
            number, text = _value_key(entry.plan)
            parts.append(
                F.when(
                    _finite(entry.plan).isNotNull(),
                    F.struct(i.alias("c"), F.lit(0).alias("k"), number.alias("b"), text.alias("s")),
                )
            )
        if entry.bins:
            parts.append(
                F.when(
                    _domain(entry.plan).isNotNull(),
                    F.struct(
                        i.alias("c"),
                        F.lit(1).alias("k"),
                        _bin_index(entry.plan, entry.bins).cast("long").alias("b"),
                        F.lit(None).cast("string").alias("s"),
                    ),
                )
            )
    exploded = df.select(F.inline(F.filter(F.array(*parts), lambda e: e.isNotNull())))
    grouped = exploded.groupBy("c", "k", "b", "s").agg(F.count(F.lit(1)).alias("n"))
    by_column = Window.partitionBy("c", "k")
    ranked = grouped.select(
        "*",
        F.row_number().over(by_column.orderBy(F.desc("n"), F.asc("b"), F.asc("s"))).alias("r"),
        F.count(F.lit(1)).over(by_column).alias("g"),
    ).where((F.col("k") == 1) | (F.col("r") <= TOP_VALUES))
    result = _run(lambda: ranked.collect())

    by_index = {entry.plan.index: entry for entry in entries}
    values: dict[int, list[tuple[int, Any, int]]] = {}
    bins: dict[int, dict[int, int]] = {}
    for row in result:
        if row["k"] == 0:
            plan = by_index[row["c"]].plan
            value = _decode(plan, row["b"], row["s"])
            values.setdefault(row["c"], []).append((row["r"], value, row["n"]))
            profiles[row["c"]].distinct = int(row["g"])
        else:
            bins.setdefault(row["c"], {})[int(row["b"])] = int(row["n"])
    for index, entry in by_index.items():
        profile = profiles[index]
        if entry.top_values:
            ranked_values = sorted(values.get(index, []), key=lambda item: item[0])
            profile.top_values = [(value, count) for _, value, count in ranked_values]
            profile.top_values_complete = profile.distinct is not None and (
                profile.distinct <= len(profile.top_values)
            )
        if entry.bins:
            counts = bins.get(index, {})
            profile.histogram = Histogram(
                edges=_edges_as_values(entry.plan, entry.bins.edges),
                counts=[counts.get(b, 0) for b in range(entry.bins.count)],
            )


def _typed(plan: _Plan, text: str) -> Any:
    """A value that pass 2 grouped as text, back in the column's Python type."""
    import datetime as dt
    import decimal

    name = plan.field.dataType.typeName()
    try:
        if plan.kind == BOOLEAN:
            return text == "true"
        if name in ("byte", "short", "integer", "long"):
            return int(text)
        if name in ("float", "double"):
            return float(text)
        if name == "decimal":
            return decimal.Decimal(text)
        if plan.kind == DATE:
            return dt.date.fromisoformat(text)
        if plan.kind == TIMESTAMP:
            # Spark writes timestamps as text in the session time zone; a local session
            # (toolkit.spark) runs in UTC, the zone collected timestamps use there too.
            return dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return text


def _edges_as_values(plan: _Plan, edges: list[float]) -> list[Any]:
    """Histogram edges back in the column's own terms (dates, timestamps)."""
    import datetime as dt

    if plan.kind == DATE:
        epoch = dt.date(1970, 1, 1)
        return [epoch + dt.timedelta(days=math.floor(e)) for e in edges]
    if plan.kind == TIMESTAMP:
        epoch = dt.datetime(1970, 1, 1)
        return [epoch + dt.timedelta(microseconds=round(e)) for e in edges]
    return edges


# ---------------------------------------------------------------------------- job counting


def _run(action: Callable[[], Any]) -> Any:
    """Run a Spark action, turning Spark's errors about the data into `ToolkitError`s."""
    try:
        return action()
    except Exception as exc:
        names = {cls.__name__ for cls in type(exc).__mro__}
        if names & {"AnalysisException", "PySparkException", "Py4JJavaError", "SparkException"}:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ToolkitError(f"Spark could not profile the data: {first}") from exc
        raise


class JobCounter:
    """Counts the Spark jobs of a block through a job group and the status tracker."""

    def __init__(self, spark: SparkSession) -> None:
        try:
            self._context = spark.sparkContext
        except Exception:  # Spark Connect has no SparkContext: jobs cannot be counted
            self._context = None

    @contextmanager
    def group(self, description: str) -> Iterator[Callable[[], int | None]]:
        if self._context is None:
            yield lambda: None
            return
        context = self._context
        group_id = f"toolkit-profile-{uuid.uuid4().hex[:12]}"
        previous = (
            context.getLocalProperty("spark.jobGroup.id"),
            context.getLocalProperty("spark.job.description"),
        )
        context.setJobGroup(group_id, f"toolkit profile: {description}", interruptOnCancel=False)
        try:
            yield lambda: len(context.statusTracker().getJobIdsForGroup(group_id))
        finally:
            context.setLocalProperty("spark.jobGroup.id", previous[0])
            context.setLocalProperty("spark.job.description", previous[1])
