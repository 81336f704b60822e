"""DBX106 direct-filesystem-path."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.rules._databricks import (
    is_docstring,
    literal_text,
    mentions_any,
    nodes_of_type,
    notebook_text_matches,
    string_constant,
)
from codemods.rules.base import Invalid, Rule

# A URI scheme not preceded by a word character (so `mys3://` is not `s3://`), or a DBFS
# FUSE / mount path at the start of the string or after a quote, space, `(`, `=` or `,`
# (paths inside SQL text: "parquet.`/mnt/raw/x`").
_PATH = re.compile(
    r"(?i)(?<![\w.+-])(dbfs:|s3a?://|s3n://|abfss?://|wasbs?://|gs://|adl://|hdfs://)"
    r"|(?:^|(?<=[\s`'\"(=,]))(/dbfs/|/mnt/)"
)
# Functions whose string argument is a pattern that paths are matched against.
_PATTERN_FUNCTIONS = frozenset(
    f"re.{name}" for name in ("compile", "match", "search", "fullmatch", "sub", "findall", "split")
) | {"fnmatch.fnmatch", "fnmatch.fnmatchcase"}
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})
# What every match of `_PATH` contains: a plain substring test rejects most files.
_PATH_WORDS = (
    "dbfs:",
    "hdfs:/",
    "/dbfs/",
    "/mnt/",
    "s3:/",
    "s3a:/",
    "s3n:/",
    "abfs",
    "wasb",
    "gs:/",
    "adl:/",
)
# Reader and writer methods whose first argument (or `path=`) is a path, and dbutils.fs's.
_SPARK_IO_METHODS = frozenset(
    {"load", "save", "csv", "json", "parquet", "orc", "text", "xml", "start", "toTable"}
)
_DBUTILS_FS_METHODS = frozenset({"ls", "cp", "mv", "rm", "head", "put", "mkdirs"})
# Absolute paths Spark on Databricks does not resolve to the DBFS root.
_GOVERNED_ROOTS = ("/Volumes/", "/Workspace/")
# Methods whose string argument is a pattern tested against paths, not a path that is used.
_PATH_TESTS = frozenset(
    {"startswith", "endswith", "removeprefix", "removesuffix", "replace", "split", "lstrip"}
)


class DirectFilesystemPath(Rule):
    """
    ## What it does
    Flags string literals (plain and f-strings, SQL text included) holding a direct storage
    path: `dbfs:`, `/dbfs/`, `/mnt/`, `s3://`, `s3a://`, `s3n://`, `abfss://`, `abfs://`,
    `wasbs://`, `wasb://`, `gs://`, `adl://`, `hdfs://`; and an absolute path outside
    `/Volumes/` and `/Workspace/` given to a Spark reader or writer (`load`, `save`, `csv`,
    `parquet`, `.option("path", ...)`, ...) or to `dbutils.fs`, which Databricks resolves in
    the DBFS root (`spark.read.csv("/FileStore/x.csv")` reads `dbfs:/FileStore/x.csv`).
    In notebooks, also the paths in `%sql`, `%fs` and `%sh` cells. Strings only tested
    against a path (`path.startswith("dbfs:/")`), messages and docstrings are not flagged.

    ## Why is this bad?
    Unity Catalog governs data through tables and volumes. Serverless compute and standard
    (shared) access mode clusters refuse direct cloud URIs without an external location,
    the DBFS root and mounts are deprecated and bypass Unity Catalog permissions and lineage,
    and a path baked into code pins it to one workspace and environment.

    ## Example
    ```python
    raw = spark.read.json("dbfs:/mnt/landing/events/")
    ```

    ## Use instead
    ```python
    raw = spark.read.json("/Volumes/main/landing/events/")
    ```
    Better still, take the volume from the project config (`config.volumes.landing`).

    ## Fix safety
    No fix: the volume that replaces a path has to be created and chosen by a person.

    ## References
    - [What are Unity Catalog volumes?](https://docs.databricks.com/en/volumes/index.html)
    - [Mounting cloud object storage (deprecated)](https://docs.databricks.com/en/dbfs/mounts.html)
    - [Recommendations for files in volumes and DBFS](https://docs.databricks.com/en/files/index.html)
    """

    code = "DBX106"
    name = "direct-filesystem-path"
    severity = "error"
    # The module only: the text is searched first, and string literals are visited only in
    # the few files that mention a storage path.
    node_types = (ast.Module, ast.Call)
    names = _SPARK_IO_METHODS | _DBUTILS_FS_METHODS | {"option"}

    valid = [
        """
        raw = spark.read.json("/Volumes/main/landing/events/")
        """,
        # Code that recognises legacy paths, and documentation that mentions them.
        '''
        import re

        def to_volume(path: str) -> str:
            """Map a `dbfs:/mnt/...` path to its volume."""
            if path.startswith("dbfs:/mnt/"):
                return path.replace("dbfs:/mnt/", "/Volumes/main/")
            if re.match(r"^/dbfs/(?P<rest>.*)$", path):
                return path
            return path
        ''',
        # Messages about paths, for a person to read.
        """
        import logging
        import warnings
        def check(path: str) -> None:
            if not path:
                raise ValueError(f"expected a volume path, not dbfs:/ or /mnt/: {path}")
            logging.getLogger(__name__).warning("s3:// paths are deprecated: %s", path)
            warnings.warn("abfss:// access needs an external location")
        """,
        # Look-alikes: a scheme inside a word, a relative path, a URL.
        """
        name = "mys3://not-a-path"
        local = "data/mnt/file.csv"
        docs = "https://docs.databricks.com/dbfs/index.html"
        """,
        # `"dosage"`, the volume form inside SQL, volumes and relative paths given to Spark,
        # an absolute path given to something that is not Spark.
        """
        spark.sql("SELECT dosage FROM parquet.`/Volumes/main/raw/x`")
        spark.read.parquet("/Volumes/main/raw/orders").write.save("data/lake/orders")
        with open("/etc/hosts") as hosts:
            lines = hosts.read()
        """,
    ]
    invalid = [
        Invalid(
            """
            raw = spark.read.json("dbfs:/mnt/landing/events/")
            """,
            at=[(1, 23)],
        ),
        Invalid(
            """
            import pandas as pd
            lookup = pd.read_csv("/dbfs/FileStore/lookup.csv")
            target = "abfss://lake@account.dfs.core.windows.net/silver"
            """,
            at=[(2, 22), (3, 10)],
        ),
        Invalid(
            """
            def landing(env: str) -> str:
                return f"s3a://company-{env}/landing"
            """,
            at=[(2, 12)],
        ),
        Invalid(
            """
            orders = spark.sql(
                "SELECT * FROM parquet.`/mnt/raw/orders` "
                "WHERE amount > 0"
            )
            """,
            at=[(2, 5)],
        ),
        Invalid(
            """
            paths = ["gs://bucket/a", "wasbs://c@a.blob.core.windows.net/b", "S3://B/K"]
            checkpoint = "dbfs:" + base + "/_checkpoints"
            """,
            at=[(1, 10), (1, 27), (1, 66), (2, 14)],
        ),
        # A notebook's SQL and `%fs` cells.
        Invalid(
            """
            # Databricks notebook source
            # MAGIC %sql
            # MAGIC SELECT * FROM parquet.`dbfs:/mnt/raw/orders`

            # COMMAND ----------

            # MAGIC %fs ls /mnt/raw
            """,
            at=[(3, 32), (7, 16)],
        ),
        # Absolute paths Databricks resolves in the DBFS root.
        Invalid(
            """
            from pyspark.sql import DataFrame

            def save(orders: DataFrame) -> None:
                lookup = spark.read.option("header", "true").csv("/FileStore/tables/lookup.csv")
                (
                    orders.write.format("delta")
                    .option("path", "/user/hive/warehouse/orders")
                    .save()
                )
                dbutils.fs.rm("/tmp/staging", True)
            """,
            at=[(4, 54), (7, 25), (10, 19)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Call):
            self._check_io_call(node, ctx)
            return
        if mentions_any(ctx, _PATH_WORDS):
            for string in nodes_of_type(ctx, ast.Constant, ast.JoinedStr):
                self._check_string(string, ctx)
        for where, match in notebook_text_matches(ctx, _PATH):
            ctx.report(where, _message(match.group(1) or match.group(2)))

    def _check_io_call(self, node: ast.Call, ctx: RuleContext) -> None:
        """An absolute path handed to a Spark reader or writer or to `dbutils.fs`: on
        Databricks `/FileStore/x` or `/tmp/x` is the DBFS root (`dbfs:/FileStore/x`)."""
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        path = _path_argument(node)
        text = string_constant(path) if path is not None else None
        if not text or not text.startswith("/") or text.startswith(_GOVERNED_ROOTS):
            return
        if _PATH.search(text):
            return  # `/dbfs/...`, `/mnt/...`: reported with the other literals
        if func.attr in _DBUTILS_FS_METHODS:
            receiver = func.value
            if not (
                isinstance(receiver, ast.Attribute)
                and receiver.attr == "fs"
                and ctx.semantic.is_dbutils(receiver.value)
            ):
                return
        elif ctx.semantic.kind_of(func.value) not in ("reader", "writer"):
            return
        ctx.report(
            path,
            f"Path `{text}` is in the DBFS root on Databricks; use a volume "
            "(`/Volumes/...`) or a table",
        )

    def _check_string(self, node: ast.AST, ctx: RuleContext) -> None:
        text = literal_text(node, ctx)
        if text is None:
            return
        match = _PATH.search(text)
        if match is None or is_docstring(node, ctx) or _is_path_test(node, ctx):
            return
        if _is_message(node, ctx):
            return
        ctx.report(node, _message(match.group(1) or match.group(2)))


def _is_path_test(node: ast.AST, ctx: RuleContext) -> bool:
    """`p.startswith("dbfs:/")`, `p.replace("dbfs:/", ...)`, `"dbfs:/" in p`."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.Compare):
        return any(isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in parent.ops)
    if isinstance(parent, ast.Tuple):
        parent = ctx.parent(parent)  # p.startswith(("/dbfs/", "dbfs:/"))
    if not isinstance(parent, ast.Call):
        return False
    if isinstance(parent.func, ast.Attribute) and parent.func.attr in _PATH_TESTS:
        return True
    return ctx.semantic.qualified_name(parent.func) in _PATTERN_FUNCTIONS


def _is_message(node: ast.AST, ctx: RuleContext) -> bool:
    """Text shown to a person, not a path the code uses: part of a raised exception, or an
    argument of a logging or `warnings.warn` call."""
    for ancestor in ctx.semantic.ancestors(node):
        if isinstance(ancestor, ast.Raise):
            return True
        if isinstance(ancestor, ast.Call):
            func = ancestor.func
            if isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS:
                return True
            if ctx.semantic.qualified_name(func) == "warnings.warn":
                return True
        if isinstance(ancestor, ast.stmt):
            return False
    return False


def _path_argument(call: ast.Call) -> ast.AST | None:
    """The path a reader, writer or `dbutils.fs` call takes: `path=`, the first positional
    argument, or the value of `.option("path", ...)`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "option":
        if len(call.args) == 2 and string_constant(call.args[0]) == "path":
            return call.args[1]
        return None
    for keyword in call.keywords:
        if keyword.arg == "path":
            return keyword.value
    return call.args[0] if call.args else None


def _message(prefix: str) -> str:
    return (
        f"Direct storage path `{prefix}...` bypasses Unity Catalog; use a volume "
        "(`/Volumes/...`) or a table"
    )
