"""What SOURCE names, and reading it into a DataFrame.

An existing path is a path (a file, or a folder of Parquet/CSV/JSON part files, or a Delta
table's folder); otherwise a three-part name is a table (`catalog.schema.table`); anything
else is an error that names both readings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import ToolkitError
from toolkit.profile.model import TableProfile

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

FORMATS_BY_SUFFIX = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
}
# Each part may be a plain identifier or a `backquoted` one.
_PART = r"(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_\-]*)"
THREE_PART_NAME = re.compile(rf"^{_PART}\.{_PART}\.{_PART}$")


@dataclass(frozen=True)
class Source:
    """A resolved SOURCE: a path with its format, or a table name."""

    text: str
    kind: str  # "path" | "table"
    format: str | None = None
    path: Path | None = None

    @property
    def display_name(self) -> str:
        """The name used for report files: `data/customers.csv` -> `customers`."""
        if self.path is not None:
            name = self.path.name
            for suffix in FORMATS_BY_SUFFIX:
                if name.endswith(suffix):
                    return name[: -len(suffix)]
            return name or "profile"
        return self.text.replace("`", "")


def resolve_source(text: str) -> Source:
    """Decide what SOURCE names, without starting Spark."""
    path = Path(text).expanduser()
    if path.exists():
        return Source(text=text, kind="path", format=_detect_format(path), path=path)
    if THREE_PART_NAME.match(text):
        return Source(text=text, kind="table")
    raise ToolkitError(
        f"SOURCE '{text}': there is no file or folder at this path, and it is not a "
        "table name of the form catalog.schema.table",
    )


def _detect_format(path: Path) -> str:
    if path.is_dir():
        if (path / "_delta_log").is_dir():
            return "delta"
        formats = {
            FORMATS_BY_SUFFIX[f.suffix.lower()]
            for f in path.rglob("*")
            if f.is_file()
            and f.suffix.lower() in FORMATS_BY_SUFFIX
            and not any(part.startswith(("_", ".")) for part in f.relative_to(path).parts)
        }
        if len(formats) == 1:
            return formats.pop()
        if not formats:
            raise ToolkitError(
                f"{path}: no Parquet, CSV or JSON files in this folder (and no _delta_log/)"
            )
        raise ToolkitError(f"{path}: the folder mixes formats ({', '.join(sorted(formats))})")
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise ToolkitError(
            f"{path}: unknown file type '{path.suffix}' (expected .parquet, .csv, .json)"
        )
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise ToolkitError(f"{path}: cannot read the file: {exc.strerror}") from exc
    return fmt


def read_source(spark: SparkSession, source: Source) -> DataFrame:
    """The DataFrame a SOURCE names, with Spark's errors turned into `ToolkitError`s."""
    try:
        if source.kind == "table":
            return spark.table(source.text)
        path = str(source.path)
        reader = spark.read
        if source.format == "csv":
            delimiter = "\t" if source.path is not None and source.path.suffix == ".tsv" else ","
            # Profiling is where a schema is discovered, so inference belongs here.
            reader = reader.options(header=True, inferSchema=True, sep=delimiter)
        elif source.format == "json" and _is_json_array(source.path):
            reader = reader.option("multiLine", True)
        return reader.format(source.format or "parquet").load(path)
    except Exception as exc:
        raise _read_error(source, exc) from exc


def _is_json_array(path: Path | None) -> bool:
    if path is None or not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(64).lstrip()
    return head.startswith(b"[")


def _spark_message(exc: Exception) -> str:
    """The line of a Spark error that says what went wrong (py4j wraps it in call details)."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    for line in lines:
        if line.startswith("An error occurred while calling"):
            continue
        if line.startswith("at ") or line.startswith("Caused by"):
            break
        # "org.apache.spark.SparkClassNotFoundException: [DATA_SOURCE_NOT_FOUND] ..."
        return re.sub(r"^[\w.$]+(Exception|Error): ", "", line)
    return type(exc).__name__


def _read_error(source: Source, exc: Exception) -> ToolkitError:
    message = _spark_message(exc)
    if source.kind == "table":
        if "REQUIRES_SINGLE_PART_NAMESPACE" in message or "CATALOG_NOT_FOUND" in message:
            catalog = source.text.split(".")[0].strip("`")
            return ToolkitError(
                f"SOURCE '{source.text}': no such table: this Spark session has no catalog "
                f"'{catalog}' (and there is no file or folder at that path)"
            )
        if "TABLE_OR_VIEW_NOT_FOUND" in message or "not found" in message.lower():
            return ToolkitError(
                f"SOURCE '{source.text}': no such table (and no file or folder at that path)"
            )
        return ToolkitError(f"table '{source.text}': cannot be read: {message}")
    if source.format == "delta" and ("delta" in message.lower() or "DATA_SOURCE" in message):
        return ToolkitError(
            f"{source.path}: is a Delta table, and this Spark session cannot read Delta "
            "(run on Databricks, or install delta-spark)"
        )
    return ToolkitError(f"{source.path}: cannot be read as {source.format}: {message}")


def profile_source(
    text: str,
    *,
    spark: SparkSession | None = None,
    env: str | None = None,
    columns: Sequence[str] | None = None,
    sample_fraction: float | None = None,
    seed: int = 42,
    on_step: Callable[[str], None] | None = None,
) -> tuple[TableProfile, DataFrame]:
    """Read SOURCE with the session `get_spark()` gives (or `spark`) and profile it.

    Returns the profile and the DataFrame it profiled (after column selection and sampling
    are applied again, for checking rules against the same data).
    """
    from toolkit.profile.engine import prepare_dataframe, profile_dataframe
    from toolkit.profile.jobs import JobCounter

    source = resolve_source(text)
    if spark is None:
        spark = _session(env)
    if on_step is not None:
        on_step(f"reading {source.text}")
    with JobCounter(spark).group("read") as read_jobs:
        df = read_source(spark, source)
    jobs_reading = read_jobs()
    profile = profile_dataframe(
        df,
        source=source.text,
        columns=columns,
        sample_fraction=sample_fraction,
        seed=seed,
        on_step=on_step,
    )
    profile.read_jobs = jobs_reading
    profiled = prepare_dataframe(df, columns=columns, sample_fraction=sample_fraction, seed=seed)
    return profile, profiled


def _session(env: str | None) -> SparkSession:
    from toolkit.spark import SparkSessionFactory, get_spark

    if env is None:
        return get_spark()
    return SparkSessionFactory.create(env)
