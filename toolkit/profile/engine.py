"""Profile a DataFrame in at most two passes over the data.

Pass 1 is one `agg()` holding every per-column statistic: counts, nulls, NaNs, approximate
distinct counts (Theta sketches), min, max, mean, standard deviation, approximate quantiles
(KLL sketches), string lengths, collection sizes, and an approximate distinct count of whole
rows for the duplicate estimate. `sketches.py` picks the sketch aggregates, with
`approx_count_distinct` and `percentile_approx` where the session lacks them.

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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from toolkit.errors import ToolkitError
from toolkit.profile.columns import (
    ColumnPlan,
    column_kind,
    column_ref,
    domain_values,
    finite_values,
    is_fractional,
    needs_domain_range,
    run_action,
)
from toolkit.profile.jobs import JobCounter
from toolkit.profile.model import (
    ARRAY,
    BINARY,
    BOOLEAN,
    MAP,
    NUMERIC,
    ORDERED_KINDS,
    QUANTILE_PROBABILITIES,
    STRING,
    TEMPORAL_KINDS,
    ColumnProfile,
    ExecutionInfo,
    SampleInfo,
    TableProfile,
    quantile_label,
)
from toolkit.profile.second_pass import plan_second_pass, run_second_pass
from toolkit.profile.sketches import (
    Projector,
    SketchSupport,
    decode_quantile,
    distinct_aggregate,
    quantile_aggregates,
    row_distinct_aggregate,
    sketch_support,
)

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["JobCounter", "column_kind", "prepare_dataframe", "profile_dataframe"]

ProgressCallback = Callable[[str], None]


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
    plans = [ColumnPlan(i, f, column_kind(f.dataType)) for i, f in enumerate(df.schema.fields)]
    tracker = JobCounter(df.sparkSession)
    support = sketch_support(df.sparkSession)
    steps: list[dict[str, Any]] = []

    step("pass 1 of 2: statistics of every column")
    step_started = time.perf_counter()
    with tracker.group("statistics") as jobs:
        stats = _first_pass(df, plans, support)
    steps.append(
        {
            "step": "statistics",
            "spark_jobs": jobs(),
            "seconds": round(time.perf_counter() - step_started, 3),
        }
    )
    rows = int(stats["__rows"])
    profiles = [_column_from_stats(plan, stats, rows, support) for plan in plans]

    second = plan_second_pass(plans, profiles, stats)
    scans = 1
    if second:
        step("pass 2 of 2: top values and histograms")
        step_started = time.perf_counter()
        with tracker.group("top values and histograms") as jobs:
            run_second_pass(df, second, profiles)
        steps.append(
            {
                "step": "top values and histograms",
                "spark_jobs": jobs(),
                "seconds": round(time.perf_counter() - step_started, 3),
            }
        )
        scans = 2 if second.entries else 1  # histograms read from sketches scan nothing

    distinct_rows = stats["__row_distinct"]
    duplicates = margin = None
    if distinct_rows is not None and rows:
        duplicates = max(0, rows - int(distinct_rows))
        # Two standard errors of the sketch's estimate.
        margin = math.ceil(2 * support.row_distinct_rsd * rows)
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


# Tested through profile_dataframe and profile_source, which call it first.
def prepare_dataframe(  # noqa: TST001
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
    return df.select(*[column_ref(c) for c in columns])


# ------------------------------------------------------------------------------------ pass 1


def _first_pass_aggregates(
    plan: ColumnPlan, support: SketchSupport, *, project: Projector
) -> list[Column]:
    from pyspark.sql import functions as F

    c = column_ref(plan.field.name)
    a = plan.alias
    aggs = [F.count(c).alias(a("non_null"))]
    value = finite_values(plan)
    if is_fractional(plan):
        aggs.append(F.count(F.when(F.isnan(c), 1)).alias(a("nan")))
    if plan.kind in ORDERED_KINDS:
        ordered = c.cast("binary") if _orders_as_bytes(plan) else value
        aggs += [F.min(ordered).alias(a("min")), F.max(ordered).alias(a("max"))]
    if plan.kind in (NUMERIC, STRING, *TEMPORAL_KINDS, BINARY):  # booleans: from min and max
        aggs.append(distinct_aggregate(plan, support, project=project).alias(a("distinct")))
    if plan.kind == NUMERIC:
        as_double = value.cast("double")
        # A sum, not `avg`: the count it needs is already there (non-null minus NaN).
        aggs += [F.sum(as_double).alias(a("sum")), F.stddev_samp(as_double).alias(a("stddev"))]
    if plan.kind in (NUMERIC, *TEMPORAL_KINDS):
        quantiles, sketch = quantile_aggregates(plan, support, project=project)
        aggs.append(quantiles.alias(a("quantiles")))
        if sketch is not None:
            aggs.append(sketch.alias(a("kll")))
        if needs_domain_range(plan):
            # Floats may hold infinities, which have no place on a histogram's axis; the
            # other kinds' axis runs from min to max (see `domain_number`).
            domain = domain_values(plan)
            aggs += [F.min(domain).alias(a("dmin")), F.max(domain).alias(a("dmax"))]
    if plan.kind in (STRING, BINARY):
        length = F.length(c)
        aggs += [
            F.min(length).alias(a("len_min")),
            F.max(length).alias(a("len_max")),
            F.sum(length).alias(a("len_sum")),
        ]
    if plan.kind in (ARRAY, MAP):
        size = F.when(c.isNotNull(), F.size(c))
        aggs += [
            F.min(size).alias(a("size_min")),
            F.max(size).alias(a("size_max")),
            F.avg(size).alias(a("size_mean")),
        ]
    return aggs


def _orders_as_bytes(plan: ColumnPlan) -> bool:
    """Whether min and max of a string column can be taken on its UTF-8 bytes.

    Measured on the benchmark, min and max of strings cost a third more than of the same
    values as binary (which Spark copies less while aggregating). Byte order is code point
    order, which is how Spark orders strings under the default UTF8_BINARY collation.
    """
    from pyspark.sql import types as T

    data_type = plan.field.dataType
    return isinstance(data_type, T.StringType) and (
        getattr(data_type, "collation", "UTF8_BINARY") == "UTF8_BINARY"
    )


def _row_hash_inputs(plans: Sequence[ColumnPlan]) -> list[Column]:
    from pyspark.sql import functions as F

    # Maps cannot be hashed in Spark; their entries (an array of structs) can.
    return [
        F.map_entries(column_ref(p.field.name)) if p.kind == MAP else column_ref(p.field.name)
        for p in plans
    ]


def _first_pass(
    df: DataFrame, plans: Sequence[ColumnPlan], support: SketchSupport
) -> dict[str, Any]:
    from pyspark.sql import functions as F

    # The sketches' inputs, the row hash among them, are computed in a projection under the
    # aggregate (see `sketches.Projector`), under names no column of the data starts with.
    prefix = "__toolkit_"
    while any(name.startswith(prefix) for name in df.columns):
        prefix += "_"
    projected: list[Column] = []

    def projector(owner: str) -> Projector:
        def project(expression: Column, label: str) -> Column:
            name = f"{prefix}{owner}_{label}"
            projected.append(expression.alias(name))
            return F.col(name)

        return project

    aggs = [F.count(F.lit(1)).alias("__rows")]
    if plans:
        row_hash = projector("table")(F.xxhash64(*_row_hash_inputs(plans)), "row_hash")
        aggs.append(row_distinct_aggregate(row_hash, support).alias("__row_distinct"))
    else:
        aggs.append(F.lit(None).cast("long").alias("__row_distinct"))
    for plan in plans:
        aggs += _first_pass_aggregates(plan, support, project=projector(f"c{plan.index}"))
    source = df.select("*", *projected) if projected else df
    return run_action(lambda: source.agg(*aggs).collect()[0].asDict())


def _column_from_stats(
    plan: ColumnPlan, stats: dict[str, Any], rows: int, support: SketchSupport
) -> ColumnProfile:
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
        min=_ordered_value(plan, stats.get(a("min"))),
        max=_ordered_value(plan, stats.get(a("max"))),
        stddev=stats.get(a("stddev")),
    )
    if profile.distinct_approx is not None and non_null:
        # The estimate can overshoot; a column never has more values than rows.
        profile.distinct_approx = max(1, min(int(profile.distinct_approx), non_null))
    finite = non_null - (profile.nan_count or 0)
    if stats.get(a("sum")) is not None and finite:
        profile.mean = stats[a("sum")] / finite
    if profile.stddev is not None and math.isnan(profile.stddev):
        profile.stddev = None  # one value: no sample deviation
    quantiles = stats.get(a("quantiles"))
    if quantiles:
        profile.quantiles = {
            quantile_label(p): decode_quantile(plan, v, support)
            for p, v in zip(QUANTILE_PROBABILITIES, quantiles, strict=True)
        }
    if a("len_min") in stats:
        profile.length = {
            "min": stats[a("len_min")],
            "max": stats[a("len_max")],
            "mean": None if not non_null else stats[a("len_sum")] / non_null,
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


def _ordered_value(plan: ColumnPlan, value: Any) -> Any:
    if value is not None and _orders_as_bytes(plan):
        return bytes(value).decode("utf-8", errors="replace")
    return value
