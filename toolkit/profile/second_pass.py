"""Pass 2: top values and histograms, in one query guided by pass 1.

Each row becomes (column, value) entries for the columns worth counting, and (column,
histogram bin) entries for the columns whose histogram has no other source; they are grouped
and ranked per column, and the top values, the bins, and every value count of a numeric,
date or timestamp column (at most TOP_VALUES_MAX_DISTINCT) are collected. Those value counts
give the column's histogram and exact quantiles. A column with more values than that gets its
histogram from the KLL sketch pass 1 returned, read at the bin edges in a query over the
sketches alone (a Spark job without a scan).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.profile.columns import (
    ColumnPlan,
    column_ref,
    domain_number,
    domain_values,
    finite_values,
    is_fractional,
    run_action,
)
from toolkit.profile.distribution import (
    Bins,
    histogram_bins,
    histogram_from_counts,
    histogram_from_ranks,
    quantiles_from_counts,
    rank_points,
)
from toolkit.profile.model import (
    BOOLEAN,
    DATE,
    NUMERIC,
    ORDERED_KINDS,
    QUANTILE_PROBABILITIES,
    TEMPORAL_KINDS,
    TIMESTAMP,
    ColumnProfile,
    Histogram,
    quantile_label,
)
from toolkit.profile.sketches import KLL_K, SketchSupport, kll_kind, sketch_ranks

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

TOP_VALUES = 20  # enough to turn a small value set into an `is_in_list` rule
NEAR_UNIQUE_RATIO = 0.9  # above this distinct/non-null ratio top values are all "1"
TOP_VALUES_MAX_DISTINCT = 10_000  # pass 2 groups at most this many values per column


@dataclass
class _SecondPassEntry:
    """A column's work in the pass-2 query."""

    plan: ColumnPlan
    top_values: bool
    bins: Bins | None  # histogram from its own bin entries
    value_histogram: Bins | None = None  # histogram (and quantiles) from every value count


@dataclass
class _SketchHistogram:
    """A histogram read from a column's pass-1 KLL sketch."""

    plan: ColumnPlan
    bins: Bins
    sketch: bytes
    kind: str  # "bigint" or "double", the sketch's value type


@dataclass
class SecondPassPlan:
    entries: list[_SecondPassEntry]  # the pass-2 query: empty when nothing needs a scan
    sketch_histograms: list[_SketchHistogram]

    def __bool__(self) -> bool:
        return bool(self.entries or self.sketch_histograms)


def plan_second_pass(
    plans: Sequence[ColumnPlan], profiles: Sequence[ColumnProfile], stats: dict[str, Any]
) -> SecondPassPlan:
    entries, sketch_histograms = [], []
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
            if plan.alias("dmin") in stats:
                low, high = stats[plan.alias("dmin")], stats[plan.alias("dmax")]
            else:  # integers, decimals, dates, timestamps: the axis runs from min to max
                low, high = domain_number(plan, profile.min), domain_number(plan, profile.max)
            if low is not None and low == high:
                # One distinct point: the histogram is known without counting.
                profile.histogram = Histogram(
                    edges=_edges_as_values(plan, [low, high]), counts=[profile.non_null]
                )
            elif low is not None:
                bins = histogram_bins(low=float(low), high=float(high), integral=_integral(plan))
        entry = _SecondPassEntry(plan, wants_top, None)
        sketch = stats.get(plan.alias("kll"))
        if bins and wants_top and _axis_from_key(plan):
            entry.value_histogram = bins
        elif bins and sketch is not None:
            kind = kll_kind(plan, SketchSupport(datasketches=True)) or "double"
            sketch_histograms.append(_SketchHistogram(plan, bins, bytes(sketch), kind))
        else:
            entry.bins = bins
        if entry.top_values or entry.bins:
            entries.append(entry)
    return SecondPassPlan(entries, sketch_histograms)


def _worth_counting(profile: ColumnProfile) -> bool:
    distinct = profile.distinct_approx or 0
    if profile.kind == BOOLEAN:
        return True
    if distinct > TOP_VALUES_MAX_DISTINCT:
        return False
    # Near-unique columns (keys, measurements) have no frequent values to show.
    return distinct <= TOP_VALUES or distinct < NEAR_UNIQUE_RATIO * profile.non_null


def _integral(plan: ColumnPlan) -> bool:
    return plan.kind == DATE or plan.field.dataType.typeName() in (
        "byte",
        "short",
        "integer",
        "long",
    )


def _axis_from_key(plan: ColumnPlan) -> bool:
    """Whether a grouped value's axis position is known exactly from its pass-2 key."""
    from pyspark.sql import types as T

    return (
        _integral(plan) or is_fractional(plan) or isinstance(plan.field.dataType, T.TimestampType)
    )


def _bin_index(plan: ColumnPlan, bins: Bins) -> Column:
    from pyspark.sql import functions as F

    index = F.floor((domain_values(plan) - F.lit(bins.low)) / F.lit(bins.width)).cast("int")
    return F.least(index, F.lit(bins.count - 1))


def _value_key(plan: ColumnPlan) -> tuple[Column, Column]:
    """A grouping key for a column's values: (long, string), one of them NULL.

    Integral, boolean, date and timestamp values group as longs (no text formatting per
    row, which costs more than the grouping); other values group as text.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    c = column_ref(plan.field.name)
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
    return F.lit(None).cast("long"), finite_values(plan).cast("string")


def _decode(plan: ColumnPlan, number: int | None, text: str | None) -> Any:
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


def run_second_pass(df: DataFrame, second: SecondPassPlan, profiles: list[ColumnProfile]) -> None:
    if second.entries:
        _run_query(df, second.entries, profiles)
    if second.sketch_histograms:
        _histograms_from_sketches(df, second.sketch_histograms, profiles)


def _run_query(
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
                    finite_values(entry.plan).isNotNull(),
                    F.struct(i.alias("c"), F.lit(0).alias("k"), number.alias("b"), text.alias("s")),
                )
            )
        if entry.bins:
            parts.append(
                F.when(
                    domain_values(entry.plan).isNotNull(),
                    F.struct(
                        i.alias("c"),
                        F.lit(1).alias("k"),
                        _bin_index(entry.plan, entry.bins).cast("long").alias("b"),
                        F.lit(None).cast("string").alias("s"),
                    ),
                )
            )
    # A column without a value in a row contributes a NULL struct, which `inline` turns into
    # a row of NULLs, dropped by the filter: cheaper than filtering the array with a lambda,
    # which Spark evaluates row by row outside generated code.
    exploded = df.select(F.inline(F.array(*parts))).where(F.col("c").isNotNull())
    grouped = exploded.groupBy("c", "k", "b", "s").agg(F.count(F.lit(1)).alias("n"))
    by_column = Window.partitionBy("c", "k")
    every_value = [e.plan.index for e in entries if e.value_histogram]
    keep = (F.col("k") == 1) | (F.col("r") <= TOP_VALUES)
    if every_value:
        keep = keep | F.col("c").isin(every_value)
    ranked = grouped.select(
        "*",
        F.row_number().over(by_column.orderBy(F.desc("n"), F.asc("b"), F.asc("s"))).alias("r"),
        F.count(F.lit(1)).over(by_column).alias("g"),
    ).where(keep)
    # Bounded: TOP_VALUES rows per column, or every value of a column that pass 1 found to
    # have at most TOP_VALUES_MAX_DISTINCT of them, and the bins.
    result = run_action(lambda: ranked.collect())  # noqa: SPK201

    by_index = {entry.plan.index: entry for entry in entries}
    values: dict[int, list[tuple[int, Any, int, float]]] = {}
    bins: dict[int, dict[int, int]] = {}
    for row in result:
        if row["k"] == 0:
            plan = by_index[row["c"]].plan
            value = _decode(plan, row["b"], row["s"])
            position = row["b"] if row["b"] is not None else _axis_position(row["s"])
            values.setdefault(row["c"], []).append((row["r"], value, row["n"], position))
            profiles[row["c"]].distinct = int(row["g"])
        else:
            bins.setdefault(row["c"], {})[int(row["b"])] = int(row["n"])
    for index, entry in by_index.items():
        profile = profiles[index]
        if entry.top_values:
            ranked_values = sorted(values.get(index, []), key=lambda item: item[0])
            profile.top_values = [(value, n) for _, value, n, _ in ranked_values[:TOP_VALUES]]
            profile.top_values_complete = profile.distinct is not None and (
                profile.distinct <= len(profile.top_values)
            )
        if entry.value_histogram:
            points = [(value, position, n) for _, value, n, position in values.get(index, [])]
            profile.histogram = Histogram(
                edges=_edges_as_values(entry.plan, entry.value_histogram.edges),
                counts=histogram_from_counts(entry.value_histogram, [(x, n) for _, x, n in points]),
            )
            exact = quantiles_from_counts(points, QUANTILE_PROBABILITIES)
            profile.quantiles = {
                quantile_label(p): v for p, v in zip(QUANTILE_PROBABILITIES, exact, strict=True)
            }
        if entry.bins:
            counts = bins.get(index, {})
            profile.histogram = Histogram(
                edges=_edges_as_values(entry.plan, entry.bins.edges),
                counts=[counts.get(b, 0) for b in range(entry.bins.count)],
            )


def _axis_position(text: str | None) -> float:
    """A float grouped as text, on the axis; infinities fall outside every histogram."""
    try:
        return float(text) if text is not None else math.nan
    except ValueError:
        return math.nan


def _histograms_from_sketches(
    df: DataFrame, requests: Sequence[_SketchHistogram], profiles: list[ColumnProfile]
) -> None:
    integral = [r.kind == "bigint" for r in requests]
    points = [rank_points(r.bins, integral=i) for r, i in zip(requests, integral, strict=True)]
    ranks = run_action(
        lambda: sketch_ranks(
            df.sparkSession,
            [(r.sketch, r.kind, p) for r, p in zip(requests, points, strict=True)],
        )
    )
    for request, (n, at_points) in zip(requests, ranks, strict=True):
        profiles[request.plan.index].histogram = Histogram(
            edges=_edges_as_values(request.plan, request.bins.edges),
            counts=histogram_from_ranks(n, at_points),
            estimated=n > KLL_K,  # a KLL sketch keeps every value up to k of them
        )


def _typed(plan: ColumnPlan, text: str) -> Any:
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


def _edges_as_values(plan: ColumnPlan, edges: list[float]) -> list[Any]:
    """Histogram edges back in the column's own terms (dates, timestamps)."""
    import datetime as dt

    if plan.kind == DATE:
        epoch = dt.date(1970, 1, 1)
        return [epoch + dt.timedelta(days=math.floor(e)) for e in edges]
    if plan.kind == TIMESTAMP:
        epoch = dt.datetime(1970, 1, 1)
        return [epoch + dt.timedelta(microseconds=round(e)) for e in edges]
    return edges
