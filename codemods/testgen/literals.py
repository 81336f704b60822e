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

__all__ = ["literal_source", "needed_imports"]


def literal_source(value: Any) -> str:
    """Source text that evaluates to `value` (with `datetime` and `Decimal` imported)."""
    source = getattr(value, "source", None)
    if isinstance(source, str):  # an argument written as code (`str.upper`)
        return source
    if value is None or isinstance(value, bool | int | str | bytes):
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
