"""Python code from a profile: the `StructType` of the data, and a synthetic test-data module.

`schema_code` is what lint rule SPK209 points to: paste it next to a CSV or JSON read and pass
it to `.schema(...)` instead of inferring the schema on every run. `fixture_module` writes a
self-contained module (it imports only pyspark and the standard library) whose builder makes
rows with the profile's null rates, value lists and ranges.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import subprocess
import sys
from typing import Any

from toolkit.profile.model import (
    BINARY,
    BOOLEAN,
    DATE,
    NUMERIC,
    STRING,
    TIMESTAMP,
    ColumnProfile,
    TableProfile,
)
from toolkit.profile.suggest import may_be_unique

FIXTURE_HEADER = '"""Synthetic test data shaped like'

_SIMPLE_TYPES = {
    "string": "StringType",
    "integer": "IntegerType",
    "long": "LongType",
    "short": "ShortType",
    "byte": "ByteType",
    "double": "DoubleType",
    "float": "FloatType",
    "boolean": "BooleanType",
    "date": "DateType",
    "timestamp": "TimestampType",
    "timestamp_ntz": "TimestampNTZType",
    "binary": "BinaryType",
    "null": "NullType",
    "void": "NullType",
    "variant": "VariantType",
}


def python_name(text: str, *, upper: bool = False) -> str:
    """`bronze/customers.csv` -> `customers`, usable as a Python identifier."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower() or "data"
    if name[0].isdigit():
        name = f"t_{name}"
    return name.upper() if upper else name


def _type_code(data_type: Any, used: set[str]) -> str:
    """Python source for one type from its JSON form (as in `StructType.jsonValue()`)."""
    if isinstance(data_type, str):
        match = re.fullmatch(r"decimal\((\d+),\s*(\d+)\)", data_type)
        if match:
            used.add("DecimalType")
            return f"DecimalType({match.group(1)}, {match.group(2)})"
        if data_type.startswith(("char(", "varchar(")):
            used.add("StringType")  # Spark reads CHAR/VARCHAR as strings
            return "StringType()"
        name = _SIMPLE_TYPES.get(data_type)
        if name is None:
            raise ValueError(f"no StructType code for Spark type {data_type!r}")
        used.add(name)
        return f"{name}()"
    kind = data_type["type"]
    if kind == "array":
        used.add("ArrayType")
        element = _type_code(data_type["elementType"], used)
        return f"ArrayType({element}, {data_type['containsNull']})"
    if kind == "map":
        used.add("MapType")
        key = _type_code(data_type["keyType"], used)
        value = _type_code(data_type["valueType"], used)
        return f"MapType({key}, {value}, {data_type['valueContainsNull']})"
    if kind == "struct":
        used.update({"StructType", "StructField"})
        fields = ", ".join(
            f"StructField({json.dumps(f['name'])}, {_type_code(f['type'], used)}, {f['nullable']})"
            for f in data_type["fields"]
        )
        return f"StructType([{fields}])"
    raise ValueError(f"no StructType code for Spark type {data_type!r}")


def _schema_expression(profile: TableProfile, used: set[str]) -> str:
    schema = json.loads(profile.schema_json)
    used.update({"StructType", "StructField"})
    fields = [
        f"        StructField({json.dumps(f['name'])}, {_type_code(f['type'], used)}, "
        f"{f['nullable']}),"
        for f in schema["fields"]
    ]
    return "StructType(\n    [\n" + "\n".join(fields) + "\n    ]\n)"


def schema_code(profile: TableProfile, *, name: str | None = None) -> str:
    """A Python snippet defining the data's schema as a `StructType` constant."""
    used: set[str] = set()
    expression = _schema_expression(profile, used)
    constant = f"{python_name(name or profile.source, upper=True)}_SCHEMA"
    code = (
        f"from pyspark.sql.types import {', '.join(sorted(used))}\n\n"
        f"# Schema of {profile.source}, from `toolkit profile --schema-code`.\n"
        f"{constant} = {expression}\n"
    )
    return format_python(code)


def format_python(code: str) -> str:
    """`code` formatted by ruff when it is available (it is a toolkit dependency)."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ruff", "format", "--line-length", "100", "-"],
            input=code,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return code
    return result.stdout if result.returncode == 0 and result.stdout else code


# -------------------------------------------------------------------------------- fixture


def _generator_spec(c: ColumnProfile) -> dict[str, Any]:
    """How the fixture makes values for one column, from what the profile saw."""
    spec: dict[str, Any] = {"null_rate": round(c.null_rate, 4)}
    if c.non_null == 0:
        return spec | {"kind": "null"}
    if c.kind == BOOLEAN:
        trues = sum(n for v, n in c.top_values if v is True)
        return spec | {"kind": "bool", "true_rate": round(trues / c.non_null, 4)}
    if may_be_unique(c):
        # A key stays a key in the fixture: numbers count up, text gets a running number.
        if c.kind == NUMERIC:
            return spec | {"kind": "sequence", "low": int(c.min), "high": int(c.max)}
        return spec | {"kind": "unique_text", "prefix": python_name(c.name)[:12]}
    if c.top_values_complete and c.top_values:
        return spec | {
            "kind": "choice",
            "values": [v for v, _ in c.top_values],
            "weights": [n for _, n in c.top_values],
        }
    if c.kind == NUMERIC and c.min is not None and c.max is not None:
        if c.type in ("tinyint", "smallint", "int", "bigint"):
            return spec | {"kind": "int", "low": int(c.min), "high": int(c.max)}
        if c.type.startswith("decimal"):
            scale = int(re.findall(r"\d+", c.type)[1]) if "," in c.type else 0
            return spec | {
                "kind": "decimal",
                "low": float(c.min),
                "high": float(c.max),
                "scale": scale,
            }
        return spec | {"kind": "float", "low": float(c.min), "high": float(c.max)}
    if c.kind == DATE and c.min is not None:
        return spec | {"kind": "date", "low": c.min, "high": c.max}
    if c.kind == TIMESTAMP and c.min is not None:
        return spec | {"kind": "timestamp", "low": c.min, "high": c.max}
    if c.kind in (STRING, BINARY):
        length = c.length or {}
        spec |= {
            "kind": "text" if c.kind == STRING else "bytes",
            "min_length": int(length.get("min") or 0),
            "max_length": int(length.get("max") or 0),
        }
        if c.kind == STRING and c.top_values:
            spec["frequent"] = [v for v, _ in c.top_values[:10]]
        return spec
    return spec | {"kind": "null"}  # arrays, maps, structs: NULL (or empty) in the fixture


_FIXTURE_BODY = '''
def _value(rng: random.Random, spec: dict[str, Any], index: int) -> Any:
    kind = spec["kind"]
    if kind == "null" or rng.random() < spec["null_rate"]:
        return None
    if kind == "bool":
        return rng.random() < spec["true_rate"]
    if kind == "choice":
        return rng.choices(spec["values"], weights=spec["weights"])[0]
    if kind == "sequence":
        return spec["low"] + index
    if kind == "unique_text":
        return f"{spec['prefix']}_{index:06d}"
    if kind == "int":
        return rng.randint(spec["low"], spec["high"])
    if kind == "float":
        return rng.uniform(spec["low"], spec["high"])
    if kind == "decimal":
        number = round(rng.uniform(spec["low"], spec["high"]), spec["scale"])
        return decimal.Decimal(str(number)).quantize(decimal.Decimal(1).scaleb(-spec["scale"]))
    if kind == "date":
        days = (spec["high"] - spec["low"]).days
        return spec["low"] + datetime.timedelta(days=rng.randint(0, days))
    if kind == "timestamp":
        seconds = int((spec["high"] - spec["low"]).total_seconds())
        return spec["low"] + datetime.timedelta(seconds=rng.randint(0, seconds))
    if kind == "text":
        if spec.get("frequent") and rng.random() < 0.5:
            return rng.choice(spec["frequent"])
        length = rng.randint(spec["min_length"], spec["max_length"])
        return "".join(rng.choice(string.ascii_letters) for _ in range(length))
    if kind == "bytes":
        length = rng.randint(spec["min_length"], spec["max_length"])
        return bytes(rng.randrange(256) for _ in range(length))
    raise ValueError(f"unknown generator kind {kind!r}")


def make_rows(count: int = 100, *, seed: int = 0) -> list[tuple[Any, ...]]:
    """`count` rows with the profiled null rates, value lists and ranges (repeatable by seed)."""
    rng = random.Random(seed)
    return [
        tuple(_value(rng, spec, index) for spec in COLUMNS.values()) for index in range(count)
    ]


def build_{name}(spark: SparkSession, count: int = 100, *, seed: int = 0) -> DataFrame:
    """A DataFrame of `count` synthetic rows with the profiled schema."""
    return spark.createDataFrame(make_rows(count, seed=seed), SCHEMA)
'''


def fixture_module(profile: TableProfile, *, name: str | None = None) -> str:
    """The source of a test-data module for `profile`'s data."""
    base = python_name(name or profile.source)
    used: set[str] = set()
    schema = _schema_expression(profile, used)
    specs = "\n".join(
        f"    {json.dumps(c.name)}: {_repr(_generator_spec(c))}," for c in profile.columns
    )
    today = dt.date.today().isoformat()
    code = (
        f"{FIXTURE_HEADER} {profile.source}, from `toolkit profile --fixture` ({today}).\n\n"
        f"The profile saw {profile.rows:,} rows; the builder reproduces each column's null rate,\n"
        "its value list (when small) or its range, not the real values. Edit freely.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "import datetime\nimport decimal\nimport random\nimport string\nfrom typing import Any\n\n"
        "from pyspark.sql import DataFrame, SparkSession\n"
        f"from pyspark.sql.types import {', '.join(sorted(used))}\n\n"
        f"SCHEMA = {schema}\n\n"
        "# How each column is generated: kind, null rate, and the values or range seen.\n"
        f"COLUMNS: dict[str, dict[str, Any]] = {{\n{specs}\n}}\n\n"
        + _FIXTURE_BODY.replace("{name}", base)
    )
    return format_python(code)


def _repr(value: Any) -> str:
    """Python source for a spec value (dates as `datetime.date(...)`)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_repr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_repr(v) for v in value) + "]"
    if isinstance(value, (dt.date, dt.datetime)):
        return repr(value)  # `datetime.date(2024, 1, 31)`: the module imports datetime
    if isinstance(value, decimal.Decimal):
        return f"decimal.Decimal({str(value)!r})"
    if isinstance(value, float) and value != value:
        return "float('nan')"
    return repr(value)
