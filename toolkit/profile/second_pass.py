"""Pass 2: top values and histograms, in one query guided by pass 1.

Each row becomes (column, value) and (column, histogram bin) entries; they are grouped and
ranked per column, and only the top values and the bins are collected.
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
    run_action,
)
from toolkit.profile.model import (
    BOOLEAN,
    DATE,
    NUMERIC,
    ORDERED_KINDS,
    TEMPORAL_KINDS,
    TIMESTAMP,
    ColumnProfile,
    Histogram,
)

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

TOP_VALUES = 20  # enough to turn a small value set into an `is_in_list` rule
HISTOGRAM_BINS = 20
NEAR_UNIQUE_RATIO = 0.9  # above this distinct/non-null ratio top values are all "1"
TOP_VALUES_MAX_DISTINCT = 10_000  # pass 2 groups at most this many values per column


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
    plan: ColumnPlan
    top_values: bool
    bins: _Bins | None


def plan_second_pass(
    plans: Sequence[ColumnPlan], profiles: Sequence[ColumnProfile], stats: dict[str, Any]
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


def _histogram_bins(plan: ColumnPlan, low: float, high: float) -> _Bins:
    integral = plan.kind == DATE or plan.field.dataType.typeName() in (
        "byte",
        "short",
        "integer",
        "long",
    )
    if integral and high - low + 1 <= HISTOGRAM_BINS:
        return _Bins(low, 1.0, int(high - low + 1))  # one bin per value
    return _Bins(low, (high - low) / HISTOGRAM_BINS, HISTOGRAM_BINS)


def _bin_index(plan: ColumnPlan, bins: _Bins) -> Column:
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


def run_second_pass(
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
    ranked = grouped.select(
        "*",
        F.row_number().over(by_column.orderBy(F.desc("n"), F.asc("b"), F.asc("s"))).alias("r"),
        F.count(F.lit(1)).over(by_column).alias("g"),
    ).where((F.col("k") == 1) | (F.col("r") <= TOP_VALUES))
    # Bounded: at most TOP_VALUES ranked rows per column (the `r <= TOP_VALUES` filter above).
    result = run_action(lambda: ranked.collect())  # noqa: SPK201

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
