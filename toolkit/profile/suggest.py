"""Data-quality rules suggested by a profile, checked against the data before they are written.

From each column's profile: `is_not_null` where no value is missing, `is_in_list` for a small
set of values seen often enough, `is_not_less_than 0` for numbers never negative,
`is_in_range` from the 1st and 99th percentiles widened by a margin (so today's outliers show
up as a pass rate below 100%), and `is_unique` where the distinct count equals the row count.
Every suggestion is then evaluated on the profiled data in one pass (`toolkit.validation`),
annotated with its pass rate, and a uniqueness guess that fails is dropped.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.profile.model import DATE, NUMERIC, STRING, TIMESTAMP, ColumnProfile, TableProfile
from toolkit.validation import Rule, ValidationReport

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

LIST_MAX_VALUES = 20  # more values than this is not a category list
RANGE_MARGIN = 0.1  # widen [p01, p99] by this share of its span on each side
UNIQUE_TOLERANCE = 0.03  # approximate distinct counts within this of the rows may be a key
RULES_HEADER = "# Data-quality rules suggested by `toolkit profile`"
INTEGRAL_TYPES = ("tinyint", "smallint", "int", "bigint")


@dataclass(frozen=True)
class CheckedRule:
    rule: Rule
    failed_rows: int
    checked_rows: int

    @property
    def pass_rate(self) -> float:
        if not self.checked_rows:
            return 1.0
        return (self.checked_rows - self.failed_rows) / self.checked_rows


def suggest_rules(profile: TableProfile) -> list[Rule]:
    """Candidate rules for every column, before checking them against the data."""
    rules: list[Rule] = []
    if profile.rows == 0:
        return rules
    for column in profile.columns:
        rules += _column_rules(column)
    return rules


def _rule(name: str, function: str, criticality: str, **arguments: Any) -> Rule:
    return Rule(name=name, function=function, arguments=arguments, criticality=criticality)


def _column_rules(c: ColumnProfile) -> list[Rule]:
    if c.kind not in (NUMERIC, STRING, DATE, TIMESTAMP, "boolean"):
        return []
    safe = "".join(ch if ch.isalnum() else "_" for ch in c.name)
    rules: list[Rule] = []
    if c.nulls == 0 and c.rows:
        rules.append(_rule(f"{safe}_is_not_null", "is_not_null", "error", column=c.name))
    if c.non_null == 0 or c.kind == "boolean":
        return rules
    listed = _value_list(c)
    if listed is not None:
        rules.append(
            _rule(f"{safe}_is_in_list", "is_in_list", "error", column=c.name, allowed=listed)
        )
    elif c.kind in (NUMERIC, DATE, TIMESTAMP) and c.quantiles and not c.nan_count:
        if c.kind == NUMERIC and _number(c.min) is not None and _number(c.min) >= 0:
            rules.append(
                _rule(
                    f"{safe}_is_not_negative", "is_not_less_than", "error", column=c.name, limit=0
                )
            )
        bounds = _range(c)
        if bounds is not None:
            rules.append(
                _rule(
                    f"{safe}_is_in_range",
                    "is_in_range",
                    "warn",
                    column=c.name,
                    min_limit=bounds[0],
                    max_limit=bounds[1],
                )
            )
    if may_be_unique(c):
        # Distinct values in every row make a key only when the column is one by name or
        # type; a unique amount or date in a small table is a coincidence, so only a warning.
        criticality = "error" if _looks_like_key(c) else "warn"
        rules.append(_rule(f"{safe}_is_unique", "is_unique", criticality, columns=[c.name]))
    return rules


def _value_list(c: ColumnProfile) -> list[Any] | None:
    if not c.top_values_complete or c.kind not in (STRING, NUMERIC):
        return None
    if c.kind == NUMERIC and c.type not in INTEGRAL_TYPES:
        return None
    count = len(c.top_values)
    # A category repeats: two values seen once each in two rows are not a list to enforce.
    if count > LIST_MAX_VALUES or c.non_null < 2 * count:
        return None
    return sorted(v for v, _ in c.top_values)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, decimal.Decimal)):
        result = float(value)
        return result if math.isfinite(result) else None
    return None


def _range(c: ColumnProfile) -> tuple[Any, Any] | None:
    low, high = c.quantiles.get("p01"), c.quantiles.get("p99")
    if low is None or high is None:
        return None
    if c.kind == DATE:
        span = (high - low).days
        margin = dt.timedelta(days=max(1, math.ceil(span * RANGE_MARGIN)))
        return low - margin, high + margin
    if c.kind == TIMESTAMP:
        span = (high - low).total_seconds()
        margin = dt.timedelta(seconds=max(1, math.ceil(span * RANGE_MARGIN)))
        return (low - margin).replace(microsecond=0), (high + margin).replace(microsecond=0)
    low_f, high_f = _number(low), _number(high)
    if low_f is None or high_f is None:
        return None
    span = high_f - low_f
    margin = span * RANGE_MARGIN if span else max(abs(low_f) * RANGE_MARGIN, 1.0)
    lower, upper = low_f - margin, high_f + margin
    minimum = _number(c.min)
    if minimum is not None and minimum >= 0 and lower < 0:
        lower = 0.0  # a column that is never negative keeps a floor of zero
    if c.type in INTEGRAL_TYPES:
        return math.floor(lower), math.ceil(upper)
    return _round(lower, math.floor), _round(upper, math.ceil)


def _round(value: float, direction: Any) -> float:
    """`value` rounded outwards to 3 significant digits: readable limits in the file."""
    if value == 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(abs(value))) - 2)
    return float(direction(value / scale) * scale)


KEY_NAME = re.compile(r"(^|_)(id|key|uuid|guid|code|email|number|no)$|[a-z]Id$", re.IGNORECASE)


def _looks_like_key(c: ColumnProfile) -> bool:
    return bool(KEY_NAME.search(c.name))


def may_be_unique(c: ColumnProfile) -> bool:
    if c.kind not in (NUMERIC, STRING) or (c.kind == NUMERIC and c.type not in INTEGRAL_TYPES):
        return False
    distinct = c.distinct_count
    if distinct is None or c.non_null < 2:
        return False
    return distinct >= c.non_null * (1 - UNIQUE_TOLERANCE)


def check_rules(df: DataFrame, rules: list[Rule]) -> tuple[list[CheckedRule], ValidationReport]:
    """Evaluate the suggestions on `df` (one pass) and keep the ones worth writing."""
    from toolkit.validation import validate

    report = validate(df, rules, sample_size=0)
    kept = []
    for result in report.results:
        if result.rule.function == "is_unique" and result.failed_rows:
            continue  # almost unique is not a key
        kept.append(CheckedRule(result.rule, result.failed_rows, result.checked_rows))
    return kept, report


def rules_yaml(profile: TableProfile, checked: list[CheckedRule]) -> str:
    """The rules file: DQX checks, each preceded by a comment with its pass rate."""
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    lines = [
        RULES_HEADER,
        f"# Source: {profile.source} ({profile.rows:,} rows profiled"
        + (f", a random {profile.sample.fraction:g} sample" if profile.sample else "")
        + ").",
        "# Format: Databricks Labs DQX checks; apply with toolkit.validation.validate(df, path).",
        "# Review before use: each rule states what the profiled data did, not what it must do.",
    ]
    if not checked:
        lines.append("[]")
    for item in checked:
        data = item.rule.to_dict()
        data["user_metadata"] = {
            "source": "toolkit profile",
            "profiled_rows": str(item.checked_rows),
            "failed_rows": str(item.failed_rows),
            "pass_rate": f"{item.pass_rate:.6f}",
        }
        buffer = StringIO()
        yaml.dump([_yaml_safe(data)], buffer)
        lines.append("")
        lines.append(
            f"# passes on {_rate(item.pass_rate)} of the profiled rows "
            f"({item.failed_rows:,} of {item.checked_rows:,} fail)"
        )
        lines.append(buffer.getvalue().rstrip("\n"))
    return "\n".join(lines) + "\n"


def _rate(rate: float) -> str:
    if rate == 1:
        return "100%"
    return f"{math.floor(rate * 10000) / 100:.2f}%"


def _yaml_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _yaml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_safe(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def written_by_toolkit(path: Path, marker: str) -> bool:
    """True when `path` starts with `marker`: a file an earlier run wrote, safe to replace."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(len(marker) + 200).lstrip("\ufeff").startswith(marker)
    except OSError:
        return False


def refuse_foreign_file(
    path: Path, marker: str, what: str, *, force: bool, label: str = ""
) -> None:
    """Writers replace their own earlier output (a file starting with `marker`), never a file
    someone else wrote or a folder; `label` names the path in the message (default: it)."""
    from toolkit.errors import ToolkitError

    name = label or str(path)
    if path.is_dir():
        raise ToolkitError(f"{name}: is a folder; give a file path for the {what}")
    if path.exists() and not force and not written_by_toolkit(path, marker):
        raise ToolkitError(
            f"{name}: exists and was not written by `toolkit profile`; "
            "choose another path or pass --force to replace it"
        )
