"""Data-quality rules applied to DataFrames: the runtime side of `toolkit profile --rules`.

Rules use the check format of Databricks Labs DQX, so one YAML file serves both tools:

    - name: amount_in_range
      criticality: warn            # error (default) | warn
      filter: "country = 'NL'"     # optional SQL condition: the rule checks only these rows
      check:
        function: is_in_range
        arguments: {column: amount, min_limit: 0, max_limit: 1000}

Functions and their arguments (DQX's names): `is_not_null(column)`,
`is_in_list(column, allowed)`, `is_in_range(column, min_limit, max_limit)`,
`is_not_less_than(column, limit)`, `is_not_greater_than(column, limit)`,
`is_unique(columns, nulls_distinct=True)`. As in DQX, a NULL passes every check except
`is_not_null`, and a string limit is a SQL expression (write a date as a YAML date,
`2024-01-31`, or as the expression `"date'2024-01-31'"`).

`validate(df, rules)` counts the failures of every rule in one aggregation (one Spark job) and
returns a small sample of failing rows per rule from the same pass. `split(df, rules)` returns
the rows that pass every `error` rule and the quarantined rest, annotated with the names of the
rules they fail. pyspark is imported only inside functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = [
    "CHECK_FUNCTIONS",
    "ERRORS_COLUMN",
    "WARNINGS_COLUMN",
    "Rule",
    "RuleError",
    "RuleResult",
    "ValidationReport",
    "counting_query",
    "drop_invalid",
    "load_rules",
    "split",
    "validate",
]

ERRORS_COLUMN = "_errors"
WARNINGS_COLUMN = "_warnings"
CRITICALITIES = ("error", "warn")

# function -> (required arguments, optional arguments)
CHECK_FUNCTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "is_not_null": (("column",), ()),
    "is_in_list": (("column", "allowed"), ("case_sensitive",)),
    "is_in_range": (("column", "min_limit", "max_limit"), ()),
    "is_not_less_than": (("column", "limit"), ()),
    "is_not_greater_than": (("column", "limit"), ()),
    "is_unique": (("columns",), ("nulls_distinct",)),
}

_NAME_SUFFIX = {
    "is_not_null": "is_null",
    "is_in_list": "is_not_in_the_list",
    "is_in_range": "not_in_range",
    "is_not_less_than": "less_than_limit",
    "is_not_greater_than": "greater_than_limit",
    "is_unique": "is_not_unique",
}
_LIMIT_TYPES = (int, float, str, dt.date)


class RuleError(ToolkitError):
    """A rule file or rule list that cannot be used; the message names the rule and field."""


@dataclass(frozen=True)
class Rule:
    """One check, as read from a DQX-style rule."""

    name: str
    function: str
    arguments: Mapping[str, Any]
    criticality: str = "error"
    filter: str | None = None
    user_metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """The DataFrame columns the rule reads."""
        if self.function == "is_unique":
            return list(self.arguments["columns"])
        return [self.arguments["column"]]

    def to_dict(self) -> dict[str, Any]:
        """The rule in the DQX format (what `load_rules` reads back)."""
        data: dict[str, Any] = {"name": self.name, "criticality": self.criticality}
        if self.filter:
            data["filter"] = self.filter
        data["check"] = {"function": self.function, "arguments": dict(self.arguments)}
        if self.user_metadata:
            data["user_metadata"] = dict(self.user_metadata)
        return data


@dataclass(frozen=True)
class RuleResult:
    """How one rule fared on a DataFrame."""

    rule: Rule
    checked_rows: int
    failed_rows: int
    failing_sample: list[dict[str, Any]]

    @property
    def passed(self) -> bool:
        return self.failed_rows == 0

    @property
    def pass_rate(self) -> float:
        """Share of the checked rows that pass (1.0 when there was nothing to check)."""
        if self.checked_rows == 0:
            return 1.0
        return (self.checked_rows - self.failed_rows) / self.checked_rows


@dataclass(frozen=True)
class ValidationReport:
    """The result of `validate`: one `RuleResult` per rule, in rule order."""

    total_rows: int
    results: list[RuleResult]

    @property
    def passed(self) -> bool:
        """True when no `error` rule failed (warnings do not fail a report)."""
        return all(r.passed for r in self.results if r.rule.criticality == "error")

    def __getitem__(self, name: str) -> RuleResult:
        for result in self.results:
            if result.rule.name == name:
                return result
        raise KeyError(name)

    def summary(self) -> str:
        """One line per rule: name, criticality, failures and pass rate."""
        lines = []
        for r in self.results:
            status = "ok" if r.passed else "FAIL"
            lines.append(
                f"{status:4} {r.rule.name} ({r.rule.criticality}): {r.failed_rows} of "
                f"{r.checked_rows} rows fail, pass rate {r.pass_rate:.2%}"
            )
        return "\n".join(lines)


# ---------------------------------------------------------------------------------- loading


def load_rules(source: str | Path | Iterable[Mapping[str, Any] | Rule]) -> list[Rule]:
    """Read rules from a YAML file path or from a list of dicts (or `Rule`s).

    A problem raises `RuleError` naming the file, the rule's index (from 1) and line, and the
    field at fault.
    """
    if isinstance(source, (str, Path)):
        return _load_rules_file(Path(source))
    items = list(source)
    return _parse_rules(items, origin="rules", lines=[None] * len(items))


def _load_rules_file(path: Path) -> list[Rule]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from toolkit.textio import UnreadableFileError, read_text_file

    try:
        text = read_text_file(path).text
    except UnreadableFileError as exc:
        raise RuleError(f"{path}: cannot read the rules file: {exc.reason}") from exc
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleError(f"{path}{where}: not valid YAML: {problem}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise RuleError(f"{path}: the rules file must be a YAML list of rules")
    lines = [_line_of(data, index) for index in range(len(data))]
    return _parse_rules([_plain(item) for item in data], origin=str(path), lines=lines)


def _line_of(data: Any, index: int) -> int | None:
    try:
        return int(data.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def _plain(value: Any) -> Any:
    """ruamel's round-trip containers and scalars as plain Python values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.datetime):
        return dt.datetime.fromisoformat(value.isoformat())
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def _parse_rules(items: list[Any], *, origin: str, lines: list[int | None]) -> list[Rule]:
    rules: list[Rule] = []
    names: set[str] = set()
    for index, (item, line) in enumerate(zip(items, lines, strict=True), start=1):
        where = f"{origin}: rule {index}" + (f" (line {line})" if line else "")
        rule = item if isinstance(item, Rule) else _parse_rule(item, where)
        if rule.name in names:
            raise RuleError(f"{where}: name: '{rule.name}' is used by an earlier rule")
        names.add(rule.name)
        rules.append(rule)
    return rules


def _parse_rule(item: Any, where: str) -> Rule:
    if not isinstance(item, Mapping):
        raise RuleError(f"{where}: a rule must be a mapping with `check`, got {item!r}")
    known = {"name", "criticality", "check", "filter", "user_metadata"}
    unknown = sorted(set(item) - known)
    if unknown:
        raise RuleError(f"{where}: {unknown[0]}: unknown field (expected one of {sorted(known)})")
    check = item.get("check")
    if not isinstance(check, Mapping):
        raise RuleError(f"{where}: check: missing or not a mapping with `function`, `arguments`")
    function = check.get("function")
    if function not in CHECK_FUNCTIONS:
        raise RuleError(
            f"{where}: check.function: {function!r} is not supported "
            f"(one of {', '.join(CHECK_FUNCTIONS)})"
        )
    arguments = check.get("arguments", {})
    if not isinstance(arguments, Mapping):
        raise RuleError(f"{where}: check.arguments: must be a mapping")
    arguments = dict(arguments)
    _check_arguments(function, arguments, where)
    criticality = item.get("criticality", "error")
    if criticality not in CRITICALITIES:
        raise RuleError(f"{where}: criticality: {criticality!r} is not one of error, warn")
    row_filter = item.get("filter")
    if row_filter is not None and (not isinstance(row_filter, str) or not row_filter.strip()):
        raise RuleError(f"{where}: filter: must be a non-empty SQL condition string")
    metadata = item.get("user_metadata") or {}
    if not isinstance(metadata, Mapping):
        raise RuleError(f"{where}: user_metadata: must be a mapping")
    name = item.get("name")
    if name is None:
        name = _default_name(function, arguments)
    elif not isinstance(name, str) or not name.strip():
        raise RuleError(f"{where}: name: must be a non-empty string")
    return Rule(
        name=name,
        function=function,
        arguments=arguments,
        criticality=criticality,
        filter=row_filter,
        user_metadata=dict(metadata),
    )


def _check_arguments(function: str, arguments: dict[str, Any], where: str) -> None:
    required, optional = CHECK_FUNCTIONS[function]
    for name in arguments:
        if name not in required and name not in optional:
            raise RuleError(
                f"{where}: check.arguments.{name}: not an argument of {function} "
                f"(expected {', '.join(required + optional)})"
            )
    for name in required:
        if name not in arguments or arguments[name] is None:
            raise RuleError(f"{where}: check.arguments.{name}: missing (needed by {function})")
    field_at = f"{where}: check.arguments"
    if "column" in required and (
        not isinstance(arguments["column"], str) or not arguments["column"]
    ):
        raise RuleError(f"{field_at}.column: must be a column name")
    if function == "is_unique":
        columns = arguments["columns"]
        if isinstance(columns, str):
            columns = arguments["columns"] = [columns]
        if (
            not isinstance(columns, list)
            or not columns
            or not all(isinstance(c, str) and c for c in columns)
        ):
            raise RuleError(f"{field_at}.columns: must be a non-empty list of column names")
    if function == "is_in_list" and (
        not isinstance(arguments["allowed"], list) or not arguments["allowed"]
    ):
        raise RuleError(f"{field_at}.allowed: must be a non-empty list of values")
    for name in ("min_limit", "max_limit", "limit"):
        value = arguments.get(name)
        if name in arguments and (isinstance(value, bool) or not isinstance(value, _LIMIT_TYPES)):
            raise RuleError(
                f"{field_at}.{name}: must be a number, a date, a timestamp or a SQL expression"
            )
    for name in ("case_sensitive", "nulls_distinct"):
        if name in arguments and not isinstance(arguments[name], bool):
            raise RuleError(f"{field_at}.{name}: must be true or false")


def _default_name(function: str, arguments: Mapping[str, Any]) -> str:
    subject = "_".join(arguments["columns"]) if function == "is_unique" else arguments["column"]
    return re.sub(r"[^0-9A-Za-z_]+", "_", f"{subject}_{_NAME_SUFFIX[function]}")


# ---------------------------------------------------------------------------------- applying


def failure_condition(rule: Rule) -> Column:
    """A boolean Column, true exactly on the rows the rule rejects (never NULL)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    args = rule.arguments
    if rule.function == "is_unique":
        keys = [F.col(_quote(c)) for c in args["columns"]]
        occurrences = F.count(F.lit(1)).over(Window.partitionBy(*keys))
        failing = occurrences > 1
        if args.get("nulls_distinct", True):
            # As in DQX (and SQL's UNIQUE): a key with a NULL in it never collides.
            any_null = keys[0].isNull()
            for key in keys[1:]:
                any_null = any_null | key.isNull()
            failing = failing & ~any_null
    else:
        value = F.col(_quote(args["column"]))
        if rule.function == "is_not_null":
            failing = value.isNull()
        elif rule.function == "is_in_list":
            allowed = [F.lit(v) for v in args["allowed"]]
            if args.get("case_sensitive", True):
                failing = ~value.isin(*allowed)
            else:
                failing = ~F.lower(value.cast("string")).isin(
                    *[F.lower(a.cast("string")) for a in allowed]
                )
        elif rule.function == "is_in_range":
            failing = (value < _limit(args["min_limit"])) | (value > _limit(args["max_limit"]))
        elif rule.function == "is_not_less_than":
            failing = value < _limit(args["limit"])
        else:  # is_not_greater_than
            failing = value > _limit(args["limit"])
    if rule.filter:
        failing = F.expr(rule.filter) & failing
    return F.coalesce(failing, F.lit(False))


def _limit(value: Any) -> Column:
    from pyspark.sql import functions as F

    # DQX reads a string limit as a SQL expression (a column name, `current_date()`, ...).
    return F.expr(value) if isinstance(value, str) else F.lit(value)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _check_columns(df: DataFrame, rules: Sequence[Rule]) -> None:
    present = set(df.columns)
    for index, rule in enumerate(rules, start=1):
        for column in rule.columns:
            if column not in present:
                raise RuleError(
                    f"rule {index} '{rule.name}': column '{column}' is not in the DataFrame "
                    f"(columns: {', '.join(df.columns)})"
                )


def _analysis_error(exc: Exception, rules: Sequence[Rule]) -> RuleError:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    names = ", ".join(r.name for r in rules)
    return RuleError(f"the rules ({names}) cannot be applied to this DataFrame: {first_line}")


def counting_query(df: DataFrame, rules: Sequence[Rule], *, sample_size: int = 5) -> DataFrame:
    """The one-row aggregation `validate` runs: per rule, rows checked, rows failed, samples.

    It reads `df` once; an `is_unique` rule adds a shuffle (a window over its key), not a scan.
    """
    from pyspark.sql import functions as F

    row = F.struct(*[F.col(_quote(c)) for c in df.columns])
    flagged = df.select(
        "*", *[failure_condition(r).alias(f"__fail_{i}") for i, r in enumerate(rules)]
    )
    aggregates = [F.count(F.lit(1)).alias("__rows")]
    for i, rule in enumerate(rules):
        failed = F.col(f"__fail_{i}")
        checked = F.expr(rule.filter) if rule.filter else F.lit(True)
        aggregates.append(F.count(F.when(F.coalesce(checked, F.lit(False)), 1)).alias(f"c{i}"))
        aggregates.append(F.count(F.when(failed, 1)).alias(f"f{i}"))
        # max_by over a different seeded hash per slot picks up to `sample_size` distinct
        # failing rows without collecting the whole failure set on one executor.
        for slot in range(sample_size):
            key = F.when(failed, F.xxhash64(F.lit(slot), F.lit(i), *_hashable(df)))
            aggregates.append(F.max_by(row, key).alias(f"s{i}_{slot}"))
    return flagged.agg(*aggregates)


def validate(
    df: DataFrame,
    rules: str | Path | Iterable[Mapping[str, Any] | Rule],
    *,
    sample_size: int = 5,
) -> ValidationReport:
    """Evaluate every rule on `df` in one aggregation and report failures per rule.

    For each rule: the rows it checked (all rows, or those its `filter` selects), the rows it
    rejects, and up to `sample_size` failing rows (as dicts), chosen pseudo-randomly in the
    same pass.
    """

    rule_list = load_rules(rules)
    _check_columns(df, rule_list)
    if not rule_list:
        return ValidationReport(total_rows=df.count(), results=[])
    query = counting_query(df, rule_list, sample_size=sample_size)
    try:
        counts = query.collect()[0]
    except Exception as exc:
        if _is_analysis_error(exc):
            raise _analysis_error(exc, rule_list) from exc
        raise
    results = []
    for i, rule in enumerate(rule_list):
        samples: list[dict[str, Any]] = []
        for slot in range(sample_size):
            value = counts[f"s{i}_{slot}"]
            if value is not None:
                as_dict = value.asDict(recursive=True)
                if as_dict not in samples:
                    samples.append(as_dict)
        results.append(
            RuleResult(
                rule=rule,
                checked_rows=counts[f"c{i}"],
                failed_rows=counts[f"f{i}"],
                failing_sample=samples,
            )
        )
    return ValidationReport(total_rows=counts["__rows"], results=results)


def _hashable(df: DataFrame) -> list[Column]:
    """Every column in a form xxhash64 accepts (maps are not hashable in Spark)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import MapType

    columns = []
    for f in df.schema.fields:
        col = F.col(_quote(f.name))
        columns.append(F.map_entries(col) if isinstance(f.dataType, MapType) else col)
    return columns


def _is_analysis_error(exc: Exception) -> bool:
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"AnalysisException", "ParseException", "PySparkException"})


def split(
    df: DataFrame, rules: str | Path | Iterable[Mapping[str, Any] | Rule]
) -> tuple[DataFrame, DataFrame]:
    """Split `df` into (valid, quarantined) by the rules.

    A row is quarantined when it fails an `error` rule; rows failing only `warn` rules stay
    valid. The valid DataFrame has `df`'s columns; the quarantined one adds `_errors` and
    `_warnings`, arrays with the names of the rules each row fails. Both are lazy: cache `df`
    first if computing it twice costs too much.
    """
    from pyspark.sql import functions as F

    rule_list = load_rules(rules)
    _check_columns(df, rule_list)
    annotated = _annotate(df, rule_list)
    has_errors = F.size(F.col(ERRORS_COLUMN)) > 0
    valid = annotated.where(~has_errors).select(*[F.col(_quote(c)) for c in df.columns])
    quarantined = annotated.where(has_errors)
    return valid, quarantined


def drop_invalid(
    df: DataFrame, rules: str | Path | Iterable[Mapping[str, Any] | Rule]
) -> DataFrame:
    """The rows of `df` that fail no `error` rule."""
    return split(df, rules)[0]


def _annotate(df: DataFrame, rules: Sequence[Rule]) -> DataFrame:
    from pyspark.sql import functions as F

    def names(criticality: str) -> Column:
        flagged = [
            F.when(failure_condition(r), F.lit(r.name))
            for r in rules
            if r.criticality == criticality
        ]
        if not flagged:
            return F.array().cast("array<string>")
        return F.filter(F.array(*flagged), lambda name: name.isNotNull())

    return df.select("*", names("error").alias(ERRORS_COLUMN), names("warn").alias(WARNINGS_COLUMN))
