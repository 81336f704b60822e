"""Input rows for a transform, from what inference found: typical values, a null in each
nullable column, values on both sides of every literal the function compares against, and
duplicate keys where it groups or joins.

Inputs come as a list of attempts, richest first; the generator keeps the first one the
function runs on, so a transform that cannot take nulls still gets a test on the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from codemods.testgen.inference import ColumnFacts, Inference
from codemods.testgen.vocabulary import vocabulary_for

__all__ = ["FrameInput", "column_type", "synthesize_inputs"]

# Columns for a DataFrame parameter the body says nothing about (`df.distinct()`).
_DEFAULT_COLUMNS = (ColumnFacts("id", ["long"]), ColumnFacts("name", ["string"]),
                    ColumnFacts("amount", ["double"]))  # fmt: skip

_EVIDENCE_ORDER = ("map", "array", "struct", "date", "timestamp", "date_string", "timestamp_string", "double", "long",
                   "numeric", "numeric_string", "decimal_string", "string", "boolean")  # fmt: skip
_SPARK_TYPES = {"map": "map<string,string>", "array": "array<string>",
                "struct": "struct<name:string,value:bigint>", "date": "date", "timestamp": "timestamp", "double": "double", "long": "bigint",
                "boolean": "boolean"}  # fmt: skip
_JAVA_TO_STRFTIME = (("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"),
                     ("ss", "%S"), ("yy", "%y"))  # fmt: skip
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class FrameInput:
    """Rows for one DataFrame parameter, with an explicit schema."""

    param: str
    columns: tuple[tuple[str, str], ...]  # (name, Spark SQL type)
    rows: tuple[tuple[Any, ...], ...]

    @property
    def ddl(self) -> str:
        return ", ".join(f"{quote_identifier(name)} {kind}" for name, kind in self.columns)


def quote_identifier(name: str) -> str:
    return name if _IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def _name_hint(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(("date", "_dt", "day")) or lowered == "dt":
        return "date"
    if lowered.endswith(("_ts", "_at", "timestamp", "_time", "datetime")) or lowered == "ts":
        return "timestamp"
    if lowered.startswith(("is_", "has_", "flag_")):
        return "boolean"
    if re.search(r"(amount|price|cost|total|rate|score|pct|ratio|balance|revenue|salary)", lowered):
        return "double"
    if lowered == "id" or re.search(r"(_id|_key|count|qty|quantity|_num|num_|age|year)$", lowered):
        return "long"
    return "string"


# Evidence that says little about the stored type: `cast("long")` and `to_date(c)` also work
# on timestamps and numbers, so a telling column name (`event_ts`) wins over them.
_WEAK_EVIDENCE = {"numeric_string", "decimal_string", "date_string", "timestamp_string"}


def column_type(facts: ColumnFacts) -> str:
    """The kind of value to synthesize: a key of `_EVIDENCE_ORDER`."""
    hint = _name_hint(facts.name)
    # A string function applied too (`try_cast(trim(x) AS BIGINT)`) says the weak evidence is
    # right after all: the column holds text.
    trust_weak = bool(facts.date_format) or hint == "string" or "string" in facts.evidence
    for evidence in _EVIDENCE_ORDER:
        if evidence not in facts.evidence:
            continue
        if evidence in _WEAK_EVIDENCE and not trust_weak:
            return hint
        if evidence in facts.evidence:
            if evidence == "numeric":
                return hint if hint in {"double", "long", "date", "timestamp"} else "long"
            return evidence
    return _name_hint(facts.name)


def _spark_type(kind: str) -> str:
    return _SPARK_TYPES.get(kind, "string")


_BASE_DATES = (dt.date(2024, 1, 15), dt.date(2024, 2, 29), dt.date(2024, 12, 31))
_BASE_TIMES = (
    dt.datetime(2024, 1, 15, 8, 30),
    dt.datetime(2024, 2, 29, 23, 59, 59),
    dt.datetime(2024, 12, 31, 0, 0),
)
_BASE_STRINGS = (" Ada Lovelace ", "grace hopper", "ALAN TURING")


def _strftime(java_format: str | None) -> str:
    text = java_format or "yyyy-MM-dd"
    for java, python in _JAVA_TO_STRFTIME:
        text = text.replace(java, python)
    return text


def _typical(facts: ColumnFacts, kind: str, index: int, frame_index: int) -> Any:
    if facts.is_key:
        number = (1, 1, 2)[index] if frame_index == 0 else (1, 2, 3)[index]
        if kind in {"long", "numeric"}:
            return number
        if kind == "double":
            return float(number)
        if kind == "string":
            return f"k{number}"
    if kind == "map":
        return ({"a": "1", "b": "2"}, {"a": "3"}, {"c": "4"})[index]
    if kind == "array":
        return (["a", "b"], ["c"], ["d", "e"])[index]
    if kind == "struct":
        return (("a", 1), ("b", 2), ("c", 3))[index]
    if kind == "long":
        return (10, 25, 40)[index]
    if kind == "double":
        return (10.5, 25.25, 40.75)[index]
    if kind == "boolean":
        return (True, False, True)[index]
    if kind == "date":
        return _BASE_DATES[index]
    if kind == "timestamp":
        return _BASE_TIMES[index]
    if kind == "date_string":
        return _BASE_DATES[index].strftime(_strftime(facts.date_format))
    if kind == "timestamp_string":
        return _BASE_TIMES[index].strftime(_strftime(facts.date_format or "yyyy-MM-dd HH:mm:ss"))
    if kind == "numeric_string":
        return ("10", "25", "40")[index]
    if kind == "decimal_string":
        return ("10.50", "25.25", "40.75")[index]
    vocabulary = vocabulary_for(facts.name)
    members = [m for m in facts.members if isinstance(m, str)]
    if vocabulary and not members:
        return vocabulary[index]
    equals = [v for op, v in facts.comparisons if op in {"==", "!="} and isinstance(v, str)]
    known = members + equals
    if known and index < 2:
        return known[index % len(known)]
    return _BASE_STRINGS[index]


def _coerce(value: Any, kind: str) -> Any | None:
    """`value` (a literal from the code) as a value of the column's kind, or None."""
    try:
        if kind == "long":
            return int(value) if not isinstance(value, bool) else None
        if kind == "double":
            return float(value)
        if kind == "date":
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        if kind == "timestamp":
            return dt.datetime.fromisoformat(str(value))
        if kind == "boolean":
            return bool(value)
        if kind in {"string", "numeric_string", "decimal_string"}:
            return str(value)
    except (TypeError, ValueError):
        return None
    return None


def _around(value: Any, kind: str) -> list[Any]:
    """Values on both sides of a literal, and the literal itself."""
    if kind == "long":
        return [value - 1, value, value + 1]
    if kind == "double":
        return [value - 0.5, value, value + 0.5]
    if kind == "date":
        return [value - dt.timedelta(days=1), value, value + dt.timedelta(days=1)]
    if kind == "timestamp":
        return [value - dt.timedelta(seconds=1), value, value + dt.timedelta(seconds=1)]
    if kind == "boolean":
        return [True, False]
    return [value, value + "_other"]


def _boundary_values(facts: ColumnFacts, kind: str) -> list[Any]:
    values: list[Any] = []
    for _, literal in facts.comparisons:
        coerced = _coerce(literal, kind)
        if coerced is not None:
            values.extend(_around(coerced, kind))
    for member in facts.members:
        coerced = _coerce(member, kind)
        if coerced is not None:
            values.append(coerced)
    return values


def _frame_rows(
    columns: list[ColumnFacts], kinds: list[str], frame_index: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(typical rows, boundary rows, null rows) of one frame."""
    typical = [
        tuple(_typical(f, k, i, frame_index) for f, k in zip(columns, kinds, strict=True))
        for i in range(3)
    ]
    boundary: list[tuple[Any, ...]] = []
    counter = 0
    for position, (facts, kind) in enumerate(zip(columns, kinds, strict=True)):
        for value in _boundary_values(facts, kind):
            row = list(typical[counter % 3])
            counter += 1
            row[position] = value
            # Fresh values in the free columns, so that dropping or keeping this row changes
            # sums, averages and counts (a dropped filter is then visible in the output).
            for other, (other_facts, other_kind) in enumerate(zip(columns, kinds, strict=True)):
                if other != position and _is_free(other_facts):
                    row[other] = _fresh(other_kind, counter, row[other])
            boundary.append(tuple(row))
    nulls: list[tuple[Any, ...]] = []
    for position in range(len(columns)):
        row = list(typical[position % 3])
        row[position] = None
        nulls.append(tuple(row))
    # An exact duplicate exercises `distinct`/`dropDuplicates` and counting aggregates.
    nulls.append(typical[0])
    return typical, boundary, nulls


def _is_free(facts: ColumnFacts) -> bool:
    return not (facts.is_key or facts.comparisons or facts.members)


def _fresh(kind: str, counter: int, current: Any) -> Any:
    if kind == "long":
        return 100 + 7 * counter
    if kind == "double":
        return 100.5 + 7 * counter
    return current


def _unique(rows: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], ...]:
    seen: list[tuple[Any, ...]] = []
    for row in rows:
        if row not in seen:
            seen.append(row)
    return tuple(seen)


def synthesize_inputs(inference: Inference) -> list[list[FrameInput]]:
    """Attempts at inputs, richest first: with nulls and edges, with edges, typical only."""
    full: list[FrameInput] = []
    edges: list[FrameInput] = []
    typical_only: list[FrameInput] = []
    for frame_index, (param, facts_by_name) in enumerate(inference.frames.items()):
        columns = list(facts_by_name.values()) or [
            ColumnFacts(c.name, list(c.evidence)) for c in _DEFAULT_COLUMNS
        ]
        kinds = [column_type(f) for f in columns]
        schema = tuple((f.name, _spark_type(k)) for f, k in zip(columns, kinds, strict=True))
        typical, boundary, nulls = _frame_rows(columns, kinds, frame_index)
        full.append(FrameInput(param, schema, _unique(typical + boundary) + tuple(nulls)))
        edges.append(FrameInput(param, schema, _unique(typical + boundary)))
        typical_only.append(FrameInput(param, schema, tuple(typical)))
    attempts = [full, edges, typical_only]
    distinct: list[list[FrameInput]] = []
    for attempt in attempts:
        if attempt not in distinct:
            distinct.append(attempt)
    return distinct
