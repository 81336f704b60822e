"""What the profiler knows about a column before it runs: its kind and its value expressions.

Shared by both passes, so that pass 1's ranges and pass 2's bins see the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
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
    OTHER,
    STRING,
    STRUCT,
    TIMESTAMP,
)

if TYPE_CHECKING:
    from pyspark.sql import Column
    from pyspark.sql.types import DataType, StructField


@dataclass
class ColumnPlan:
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


def column_ref(name: str) -> Column:
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")


def is_fractional(plan: ColumnPlan) -> bool:
    from pyspark.sql import types as T

    return isinstance(plan.field.dataType, (T.FloatType, T.DoubleType))


def finite_values(plan: ColumnPlan) -> Column:
    """The column's values without NaN (and, for the histogram domain, infinities)."""
    from pyspark.sql import functions as F

    c = column_ref(plan.field.name)
    if is_fractional(plan):
        return F.when(~F.isnan(c), c)
    return c


def domain_values(plan: ColumnPlan) -> Column:
    """Values as a double on a line: numbers themselves, dates as days, timestamps as µs."""
    from pyspark.sql import functions as F

    c = column_ref(plan.field.name)
    if plan.kind == DATE:
        return F.unix_date(c).cast("double")
    if plan.kind == TIMESTAMP:
        return F.unix_micros(c.cast("timestamp")).cast("double")
    value = c.cast("double")
    if is_fractional(plan):
        return F.when(~F.isnan(value) & (F.abs(value) != F.lit(float("inf"))), value)
    return value


def needs_domain_range(plan: ColumnPlan) -> bool:
    """Whether pass 1 must aggregate `domain_values` itself to bound the histogram's axis.

    Floats may hold infinities (off the axis); a timestamp without a time zone is placed on
    the axis through the session's zone. Every other kind's axis runs from its min to its max,
    which pass 1 computes anyway (see `domain_number`).
    """
    from pyspark.sql import types as T

    return is_fractional(plan) or isinstance(plan.field.dataType, T.TimestampNTZType)


def domain_number(plan: ColumnPlan, value: Any) -> float | None:
    """A collected min or max as the number `domain_values` gives for it."""
    import datetime as dt

    if value is None:
        return None
    if plan.kind == DATE:
        return float((value - dt.date(1970, 1, 1)).days)
    if plan.kind == TIMESTAMP:
        # The inverse of the conversion pyspark applied when it collected the value.
        return float(plan.field.dataType.toInternal(value))
    return float(value)


def run_action(action: Callable[[], Any]) -> Any:
    """Run a Spark action, turning Spark's errors about the data into `ToolkitError`s."""
    try:
        return action()
    except Exception as exc:
        names = {cls.__name__ for cls in type(exc).__mro__}
        if names & {"AnalysisException", "PySparkException", "Py4JJavaError", "SparkException"}:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ToolkitError(f"Spark could not profile the data: {first}") from exc
        raise
