"""The approximate aggregates of pass 1: distinct counts and quantiles.

Where the session has Spark's DataSketches functions (Spark 4.1 and later), distinct counts
come from Theta sketches and quantiles from KLL sketches: both keep their state in primitive
arrays, and measured on half the benchmark's data (1,000,000 rows) they cost a third (Theta,
against `approx_count_distinct` at 2% RSD) and under half (KLL, against `percentile_approx`)
of the CPU time of the aggregates they replace. Older sessions, and the types the sketches do not take
(timestamps without a time zone, wide decimals), use `approx_count_distinct` and
`percentile_approx`; the profile has the same fields either way.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.profile.columns import ColumnPlan, column_ref, finite_values, is_fractional
from toolkit.profile.model import DATE, QUANTILE_PROBABILITIES, STRING, TIMESTAMP

if TYPE_CHECKING:
    from pyspark.sql import Column, SparkSession

# Given an aggregate's input expression and a label, the column pass 1 aggregates instead:
# the expression computed in a projection under the aggregate. An imperative aggregate (every
# sketch) evaluates its input row by row without generated code; in the projection Spark
# compiles it with the scan (measured: 8% less CPU for pass 1 on the benchmark).
Projector = Callable[["Column", str], "Column"]

# Theta sketches: relative standard error 1/sqrt(2**lg); exact below 2**lg distinct values.
DISTINCT_THETA_LG = 12  # 4,096 entries: 1.6% RSE per column
ROW_THETA_LG = (
    14  # 16,384 entries: 0.8% RSE for whole rows (the duplicate estimate is a difference)
)
KLL_K = 2000  # KLL sketches: normalized rank error about 0.15% (k=200 gives 1.33%)
# The fallbacks, for sessions without DataSketches functions.
DISTINCT_RSD = 0.02  # approx_count_distinct (HyperLogLog++) relative standard deviation
ROW_DISTINCT_RSD = 0.01
QUANTILE_ACCURACY = 2000  # percentile_approx: rank error at most 1/2000 of the rows
DECIMAL_DOUBLE_DIGITS = 15  # decimals up to this precision survive a trip through a double


@dataclass(frozen=True)
class SketchSupport:
    """Which aggregates pass 1 uses on this session."""

    datasketches: bool

    @property
    def row_distinct_rsd(self) -> float:
        return 1 / math.sqrt(2**ROW_THETA_LG) if self.datasketches else ROW_DISTINCT_RSD


def sketch_support(spark: SparkSession) -> SketchSupport:
    """Probe the session (analysis only, no job) for the Theta and KLL aggregates."""
    from pyspark.sql import functions as F

    names = ("theta_sketch_agg", "theta_sketch_estimate", "kll_sketch_agg_bigint")
    if not all(hasattr(F, name) for name in names):
        return SketchSupport(datasketches=False)
    try:
        probe = spark.range(1).agg(
            F.theta_sketch_estimate(F.theta_sketch_agg("id", DISTINCT_THETA_LG)),
            F.kll_sketch_get_quantile_bigint(
                F.kll_sketch_agg_bigint("id", KLL_K), F.array(F.lit(0.5))
            ),
        )
        probe.schema  # noqa: B018 (forces analysis on Spark Connect too)
    except Exception:  # an older engine: the functions do not resolve
        return SketchSupport(datasketches=False)
    return SketchSupport(datasketches=True)


def _theta_input(plan: ColumnPlan) -> Column | None:
    """The column as a type `theta_sketch_agg` takes, one value per distinct value."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    c = column_ref(plan.field.name)
    data_type = plan.field.dataType
    if isinstance(data_type, (T.ByteType, T.ShortType)):
        return c.cast("int")
    if isinstance(data_type, (T.IntegerType, T.LongType, T.StringType, T.BinaryType)):
        return c
    if plan.kind == STRING:  # char and varchar
        return c.cast("string")
    if is_fractional(plan):
        return finite_values(plan)
    if isinstance(data_type, T.DecimalType):
        return c.cast("string")  # exact: a double could merge distinct wide decimals
    if isinstance(data_type, T.DateType):
        return F.unix_date(c)
    if isinstance(data_type, T.TimestampType):
        return F.unix_micros(c)
    return None


def distinct_aggregate(plan: ColumnPlan, support: SketchSupport, *, project: Projector) -> Column:
    from pyspark.sql import functions as F

    theta_input = _theta_input(plan) if support.datasketches else None
    if theta_input is not None:
        value = project(theta_input, "distinct")
        return F.theta_sketch_estimate(F.theta_sketch_agg(value, DISTINCT_THETA_LG))
    return F.approx_count_distinct(project(finite_values(plan), "distinct"), DISTINCT_RSD)


def row_distinct_aggregate(row_hash: Column, support: SketchSupport) -> Column:
    from pyspark.sql import functions as F

    if support.datasketches:
        return F.theta_sketch_estimate(F.theta_sketch_agg(row_hash, ROW_THETA_LG))
    return F.approx_count_distinct(row_hash, ROW_DISTINCT_RSD)


def _kll_input(plan: ColumnPlan) -> tuple[Column, str] | None:
    """The column as a KLL sketch takes it: (value, "bigint" or "double")."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    c = column_ref(plan.field.name)
    data_type = plan.field.dataType
    if isinstance(data_type, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return c.cast("long"), "bigint"
    if is_fractional(plan):
        return finite_values(plan).cast("double"), "double"
    if isinstance(data_type, T.DecimalType) and data_type.precision <= DECIMAL_DOUBLE_DIGITS:
        return c.cast("double"), "double"
    if isinstance(data_type, T.DateType):
        return F.unix_date(c).cast("long"), "bigint"
    if isinstance(data_type, T.TimestampType):
        return F.unix_micros(c), "bigint"
    return None


def kll_kind(plan: ColumnPlan, support: SketchSupport) -> str | None:
    """ "bigint" or "double" when pass 1 sketches the column with KLL, else None."""
    kll = _kll_input(plan) if support.datasketches else None
    return None if kll is None else kll[1]


def quantile_aggregates(
    plan: ColumnPlan, support: SketchSupport, *, project: Projector
) -> tuple[Column, Column | None]:
    """The column's QUANTILE_PROBABILITIES as an array (NULL without values), and its sketch.

    The sketch (NULL without values) is returned so that histograms can be read from it
    without another pass; Spark computes the one aggregate both expressions share once.
    """
    from pyspark.sql import functions as F

    kll = _kll_input(plan) if support.datasketches else None
    if kll is None:
        quantiles = F.percentile_approx(
            project(finite_values(plan), "quantiles"),
            list(QUANTILE_PROBABILITIES),
            QUANTILE_ACCURACY,
        )
        return quantiles, None
    value, kind = project(kll[0], "quantiles"), kll[1]
    probabilities = F.array(*[F.lit(p) for p in QUANTILE_PROBABILITIES])
    if kind == "bigint":
        sketch = F.kll_sketch_agg_bigint(value, KLL_K)
        quantiles = F.kll_sketch_get_quantile_bigint(sketch, probabilities)
    else:
        sketch = F.kll_sketch_agg_double(value, KLL_K)
        quantiles = F.kll_sketch_get_quantile_double(sketch, probabilities)
    # An empty KLL sketch has no quantiles: Spark raises rather than returning NULL.
    has_values = F.count(value) > 0
    return F.when(has_values, quantiles), F.when(has_values, sketch)


def sketch_ranks(
    spark: SparkSession, requests: list[tuple[bytes, str, list[float]]]
) -> list[tuple[int, list[float]]]:
    """(values in the sketch, inclusive ranks at the points) for each (sketch, kind, points).

    One query over a one-row DataFrame of the collected sketches: a Spark job, not a scan.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if not requests:
        return []
    schema = T.StructType(
        [T.StructField(f"s{i}", T.BinaryType(), False) for i in range(len(requests))]
    )
    sketches = spark.createDataFrame([tuple(bytearray(r[0]) for r in requests)], schema)
    columns = []
    for i, (_, kind, points) in enumerate(requests):
        if kind == "bigint":
            at = F.array(*[F.lit(int(x)) for x in points])
            columns += [
                F.kll_sketch_get_n_bigint(f"s{i}"),
                F.kll_sketch_get_rank_bigint(f"s{i}", at),
            ]
        else:
            at = F.array(*[F.lit(float(x)) for x in points])
            columns += [
                F.kll_sketch_get_n_double(f"s{i}"),
                F.kll_sketch_get_rank_double(f"s{i}", at),
            ]
    row = sketches.select(*columns).collect()[0]
    return [(int(row[2 * i]), list(row[2 * i + 1])) for i in range(len(requests))]


def decode_quantile(plan: ColumnPlan, value: Any, support: SketchSupport) -> Any:
    """A quantile as pass 1 returned it, in the column's own Python type."""
    from pyspark.sql import types as T

    if value is None or not support.datasketches or _kll_input(plan) is None:
        return value  # percentile_approx returns values of the column's type
    data_type = plan.field.dataType
    if plan.kind == DATE:
        return dt.date(1970, 1, 1) + dt.timedelta(days=int(value))
    if plan.kind == TIMESTAMP:
        # The same conversion pyspark applies to collected timestamps.
        return data_type.fromInternal(int(value))
    if isinstance(data_type, T.DecimalType):
        exponent = decimal.Decimal(1).scaleb(-data_type.scale)
        return decimal.Decimal(repr(value)).quantize(exponent)
    return value
