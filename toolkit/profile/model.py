"""What a profile is: plain dataclasses, free of Spark, turned into JSON-ready dicts."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
from dataclasses import asdict, dataclass, field
from typing import Any

# Column kinds decide which statistics apply.
NUMERIC, STRING, BOOLEAN, DATE, TIMESTAMP = "numeric", "string", "boolean", "date", "timestamp"
BINARY, ARRAY, MAP, STRUCT, OTHER = "binary", "array", "map", "struct", "other"
TEMPORAL_KINDS = (DATE, TIMESTAMP)
ORDERED_KINDS = (NUMERIC, STRING, BOOLEAN, DATE, TIMESTAMP)

QUANTILE_PROBABILITIES: tuple[float, ...] = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


def quantile_label(probability: float) -> str:
    """`0.05` -> `p05`, `0.5` -> `p50`."""
    return f"p{round(probability * 100):02d}"


@dataclass
class Histogram:
    """Equal-width bins: `edges` has one more entry than `counts`; the last bin is closed.

    `estimated` counts were read from a quantile sketch rather than counted (columns with
    more distinct values than pass 2 counts; see docs/profiling.md).
    """

    edges: list[Any]
    counts: list[int]
    estimated: bool = False


@dataclass
class ColumnProfile:
    name: str
    type: str
    kind: str
    nullable: bool
    rows: int
    nulls: int
    nan_count: int | None = None
    distinct_approx: int | None = None
    distinct: int | None = None  # exact, when the second pass counted every value
    min: Any = None
    max: Any = None
    mean: float | None = None
    stddev: float | None = None
    quantiles: dict[str, Any] = field(default_factory=dict)
    length: dict[str, float | int | None] | None = None  # strings and binary: characters/bytes
    size: dict[str, float | int | None] | None = None  # arrays and maps: elements
    top_values: list[tuple[Any, int]] = field(default_factory=list)
    top_values_complete: bool = False  # True when `top_values` lists every non-null value
    histogram: Histogram | None = None

    @property
    def non_null(self) -> int:
        return self.rows - self.nulls

    @property
    def null_rate(self) -> float:
        return self.nulls / self.rows if self.rows else 0.0

    @property
    def distinct_count(self) -> int | None:
        """The exact distinct count when known, else the estimate."""
        return self.distinct if self.distinct is not None else self.distinct_approx

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["null_rate"] = round(self.null_rate, 6)
        data["top_values"] = [{"value": v, "count": c} for v, c in self.top_values]
        return jsonable(data)


@dataclass
class SampleInfo:
    fraction: float
    seed: int
    rows: int


@dataclass
class ExecutionInfo:
    """What the profile cost: Spark jobs counted under the profile's job group, and scans."""

    spark_jobs: int | None  # None where the session cannot tell (Spark Connect)
    scans: int
    seconds: float
    steps: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TableProfile:
    source: str
    rows: int
    columns: list[ColumnProfile]
    schema: list[dict[str, Any]]
    schema_json: str
    duplicate_rows_estimate: int | None
    duplicate_rows_margin: int | None
    sample: SampleInfo | None
    execution: ExecutionInfo
    read_jobs: int | None = None  # jobs spent reading the source (schema inference)

    def column(self, name: str) -> ColumnProfile:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "column_count": len(self.columns),
            "duplicate_rows_estimate": self.duplicate_rows_estimate,
            "duplicate_rows_margin": self.duplicate_rows_margin,
            "sample": asdict(self.sample) if self.sample else None,
            "schema": self.schema,
            "columns": [c.to_dict() for c in self.columns],
            "execution": jsonable(asdict(self.execution)) | {"read_jobs": self.read_jobs},
        }


def jsonable(value: Any) -> Any:
    """Profile values as JSON values: dates as ISO text, decimals as numbers, NaN as null."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (bytes, bytearray)):
        return "base64:" + base64.b64encode(bytes(value)).decode("ascii")
    return value


def display(value: Any, *, width: int = 32) -> str:
    """A value as short text for tables and reports."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = f"{value:.6g}" if abs(value) < 1e15 else f"{value:.4e}"
    elif isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, (bytes, bytearray)):
        text = bytes(value[:12]).hex() + ("…" if len(value) > 12 else "")
    else:
        text = str(value)
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"
