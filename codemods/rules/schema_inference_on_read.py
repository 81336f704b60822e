"""SPK209 schema-inference-on-read."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._spark_helpers import is_test_file, is_true_literal, reader_terminal
from codemods.rules.base import Invalid, Rule, Valid

_INFERRING_OPTIONS = ("inferschema", "mergeschema")
_TEXT_FORMATS = frozenset({"csv", "json"})
_HINT = "generate one with `toolkit profile --schema-code`"


class SchemaInferenceOnRead(Rule):
    """
    ## What it does
    Flags a read that makes Spark guess the schema: the `inferSchema` or `mergeSchema`
    option switched on (keyword, `.option(...)` or `.options(...)`), or a CSV or JSON read
    (`.csv(...)`, `.json(...)`, `.format("csv"|"json").load(...)`) without `.schema(...)` or
    `schema=`. Test files are exempt: a fixture file read with inference is fine there.

    ## Why is this bad?
    Inference reads the data an extra time before the real read (JSON always does, CSV with
    `inferSchema`), which on a large landing folder doubles the cost. Worse, the schema then
    depends on whatever files are there today: a column that was an integer yesterday becomes
    a string when one bad value arrives, and every job downstream breaks or silently changes.
    A CSV read without a schema and without inference makes every column a string.

    ## Example
    ```python
    events = spark.read.option("header", True).option("inferSchema", True).csv(path)
    ```

    ## Use instead
    Declare the schema; `toolkit profile --schema-code` prints one from a sample of the data:
    ```python
    events = spark.read.option("header", True).schema(EVENTS_SCHEMA).csv(path)
    ```

    ## Fix safety
    No fix: the schema has to come from the data's contract (or a profile of it).

    ## References
    - [CSV data source options](https://spark.apache.org/docs/latest/sql-data-sources-csv.html)
    - [JSON data source](https://spark.apache.org/docs/latest/sql-data-sources-json.html)
    - [Databricks: schema inference and evolution in Auto Loader](https://docs.databricks.com/en/ingestion/cloud-object-storage/auto-loader/schema.html)
    """

    code = "SPK209"
    name = "schema-inference-on-read"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"csv", "json", "load", "parquet", "orc", "table", "text", "xml", "delta"})

    valid = [
        """
        from pyspark.sql.types import StructType, StructField, StringType
        SCHEMA = StructType([StructField("id", StringType())])
        events = spark.read.schema(SCHEMA).json("/Volumes/main/raw/events")
        orders = spark.read.csv("/Volumes/main/raw/orders", header=True, schema=SCHEMA)
        """,
        # Parquet and Delta carry their schema; inference switched off explicitly.
        """
        orders = spark.read.parquet("/Volumes/main/raw/orders")
        rows = spark.read.format("delta").load("/Volumes/main/raw/rows")
        typed = spark.read.schema("id INT").option("inferSchema", "false").csv("/tmp/x")
        given = spark.read.option("inferSchema", True).csv("/tmp/y", schema="id INT")
        """,
        # In a test, inference on a fixture file is fine.
        Valid(
            """
            def test_reads(spark):
                df = spark.read.option("inferSchema", True).csv("tests/data/orders.csv")
            """,
            path="tests/test_orders.py",
        ),
        # Look-alikes: pandas and the `json` module.
        """
        import json
        import pandas as pd
        frame = pd.read_csv("orders.csv")
        data = json.load(open("x.json"))
        """,
        # Unknown options (`**opts`) may hold a schema: stay silent.
        """
        opts = {"schema": "id INT"}
        df = spark.read.options(**opts).json("/tmp/x")
        """,
    ]
    invalid = [
        Invalid(
            """
            events = spark.read.option("header", True).option("inferSchema", True).csv("/p")
            """,
            at=[(1, 10)],
        ),
        Invalid(
            """
            events = spark.read.json("/Volumes/main/raw/events")
            orders = spark.read.csv("/Volumes/main/raw/orders", header=True, inferSchema=True)
            """,
            at=[(1, 10), (2, 10)],
        ),
        # A multi-line chain with `format("csv").load()`, and `mergeSchema` on Parquet.
        Invalid(
            """
            from pyspark.sql import SparkSession
            session = SparkSession.builder.getOrCreate()
            orders = (
                session.read.format("CSV")
                .option("header", "true")
                .load("/Volumes/main/raw/orders")
            )
            merged = session.read.option("mergeSchema", "true").parquet("/Volumes/main/raw/p")
            """,
            at=[(4, 5), (8, 10)],
        ),
        Invalid(
            """
            stream = (
                spark.readStream.format("json")
                .options(maxFilesPerTrigger=10)
                .load("/Volumes/main/raw/stream")
            )
            """,
            at=[(2, 5)],
        ),
        Invalid(
            """
            def load_orders(spark, path: str):
                return spark.read.load(path, format="json")
            """,
            at=[(2, 12)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        read = reader_terminal(node, ctx)
        if read is None or is_test_file(ctx):
            return
        for option in _INFERRING_OPTIONS:
            value = read.options.get(option)
            # A given schema wins over inference: the option is then dead, not harmful.
            if value is not None and is_true_literal(value) and not read.has_schema:
                original = "inferSchema" if option == "inferschema" else "mergeSchema"
                ctx.report(
                    node,
                    f"`{original}` makes Spark scan the data to guess its schema; "
                    f"declare the schema ({_HINT})",
                )
                return
        if read.format in _TEXT_FORMATS and not read.has_schema and not read.hidden_options:
            what = "CSV" if read.format == "csv" else "JSON"
            effect = (
                "every column is read as a string"
                if what == "CSV"
                else "Spark scans the files to infer a schema"
            )
            ctx.report(
                node, f"{what} read without a schema: {effect}; pass `.schema(...)` ({_HINT})"
            )
