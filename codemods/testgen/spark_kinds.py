"""What PySpark functions and literals say about the columns they touch: the name tables and
evidence rules static inference uses (a string function means text, `year` means a date)."""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "COLUMN_ARGUMENT_FUNCTIONS",
    "DATE_FUNCTIONS",
    "NUMERIC_FUNCTIONS",
    "PARSING_FUNCTIONS",
    "STRING_FUNCTIONS",
    "TIMESTAMP_FUNCTIONS",
    "cast_evidence",
    "literal_evidence",
]

STRING_FUNCTIONS = frozenset(
    [
        "upper",
        "lower",
        "trim",
        "ltrim",
        "rtrim",
        "btrim",
        "initcap",
        "length",
        "char_length",
        "concat",
        "concat_ws",
        "substring",
        "substr",
        "regexp_replace",
        "regexp_extract",
        "regexp_like",
        "split",
        "lpad",
        "rpad",
        "reverse",
        "translate",
        "instr",
        "locate",
        "levenshtein",
        "soundex",
        "like",
        "rlike",
        "ilike",
        "startswith",
        "endswith",
        "contains",
        "md5",
        "sha1",
        "sha2",
        "base64",
        "format_string",
        "ascii",
        "left",
        "right",
    ]
)
DATE_FUNCTIONS = frozenset(
    [
        "year",
        "month",
        "dayofmonth",
        "dayofweek",
        "dayofyear",
        "weekofyear",
        "quarter",
        "date_add",
        "date_sub",
        "datediff",
        "add_months",
        "months_between",
        "last_day",
        "next_day",
        "date_format",
        "date_trunc",
        "trunc",
    ]
)
TIMESTAMP_FUNCTIONS = frozenset(
    ["hour", "minute", "second", "to_utc_timestamp", "from_utc_timestamp"]
)
PARSING_FUNCTIONS = {"to_date": "date_string", "to_timestamp": "timestamp_string"}
NUMERIC_FUNCTIONS = frozenset(
    [
        "sum",
        "avg",
        "mean",
        "stddev",
        "stddev_samp",
        "stddev_pop",
        "variance",
        "var_samp",
        "var_pop",
        "abs",
        "round",
        "bround",
        "floor",
        "ceil",
        "ceiling",
        "sqrt",
        "exp",
        "log",
        "log10",
        "log2",
        "pow",
        "power",
        "sumDistinct",
        "sum_distinct",
        "percentile_approx",
        "median",
        "signum",
    ]
)
# Functions whose first string argument names a column (F.sum("amount")).
COLUMN_ARGUMENT_FUNCTIONS = (
    STRING_FUNCTIONS | DATE_FUNCTIONS | TIMESTAMP_FUNCTIONS | NUMERIC_FUNCTIONS
    | set(PARSING_FUNCTIONS)
    | set(["count", "countDistinct", "count_distinct", "approx_count_distinct", "first", "last", "collect_list", "collect_set", "min", "max", "asc", "desc", "isnull", "isnan", "coalesce", "greatest", "least", "explode", "explode_outer", "size", "array_contains", "lag", "lead"])
)  # fmt: skip
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")


def literal_evidence(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return "date"
        if _ISO_TIMESTAMP.match(value):
            return "timestamp"
        return "string"
    return None


def cast_evidence(target: str) -> str | None:
    target = target.lower()
    if target in {"int", "integer", "bigint", "long", "smallint", "tinyint", "short", "byte"}:
        return "numeric_string"
    if target in {"double", "float"} or target.startswith("decimal"):
        return "decimal_string"
    if target == "date":
        return "date_string"
    if target == "timestamp":
        return "timestamp_string"
    return None
