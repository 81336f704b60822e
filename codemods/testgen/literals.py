"""Python source for the values a Spark DataFrame holds, as written into generated tests.

Used on both sides: the generator writes input rows with it, and the characterization worker
writes the collected output rows with it, so the test creates exactly what was observed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

__all__ = ["literal_source", "needed_imports", "string_source"]


def literal_source(value: Any) -> str:
    """Source text that evaluates to `value` (with `datetime` and `Decimal` imported)."""
    source = getattr(value, "source", None)
    if isinstance(source, str):  # an argument written as code (`str.upper`)
        return source
    if isinstance(value, str):
        return string_source(value)
    if value is None or isinstance(value, bool | int | bytes):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(value)
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, dt.datetime):
        return repr(value.replace(tzinfo=None)) if value.tzinfo is None else repr(value)
    if isinstance(value, dt.date | dt.timedelta):
        return repr(value)
    if isinstance(value, bytearray):
        return f"bytearray({bytes(value)!r})"
    if isinstance(value, dict):
        items = ", ".join(f"{literal_source(k)}: {literal_source(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal_source(v) for v in value) + "]"
    if isinstance(value, tuple):  # also pyspark Row (a tuple): structs are written as tuples
        inner = ", ".join(literal_source(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"cannot write a {type(value).__name__} value into a test")


def string_source(text: str) -> str:
    """A string literal in double quotes where possible (the formatter's own preference, for
    rows it is told to leave alone)."""
    source = repr(text)
    if source.startswith("'") and '"' not in text:
        source = '"' + source[1:-1].replace("\\'", "'") + '"'
    return source


def needed_imports(source: str) -> set[tuple[str, str | None]]:
    """`(module, name)` pairs the literals in `source` need (`name` None: `import module`)."""
    needs: set[tuple[str, str | None]] = set()
    if "datetime." in source:
        needs.add(("datetime", None))
    if "Decimal(" in source:
        needs.add(("decimal", "Decimal"))
    if re.search(r"(?<![\w.])DataFrame\.", source):
        needs.add(("pyspark.sql", "DataFrame"))
    return needs
