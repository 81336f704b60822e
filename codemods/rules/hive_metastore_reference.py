"""DBX108 hive-metastore-reference."""

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
)
from codemods.rules.base import Invalid, Rule

# `hive_metastore.` as the first part of a name (back-quoted or not), or `USE CATALOG`.
_REFERENCE = re.compile(
    r"(?i)(?<![\w.`])`?hive_metastore`?\s*\.(?=\s*[`\w{\0])"
    # `USE [CATALOG] hive_metastore` as a statement (at the start of the text or after `;`),
    # not the words "use hive_metastore" inside a message.
    r"|(?:^|;)\s*USE\s+(?:CATALOG\s+)?`?hive_metastore\b(?!\.)"
)
_MESSAGE = (
    "Names a table in the legacy `hive_metastore`, outside Unity Catalog; use its Unity "
    "Catalog name"
)
_CATALOG_SETTERS = frozenset({"setCurrentCatalog"})


class HiveMetastoreReference(Rule):
    """
    ## What it does
    Flags names in the legacy Hive metastore: string literals (plain, f-strings and SQL text)
    naming `hive_metastore.<schema>.<table>`, `USE CATALOG hive_metastore`, and
    `spark.catalog.setCurrentCatalog("hive_metastore")`; in notebooks, also the `%sql` cells.

    ## Why is this bad?
    Tables in `hive_metastore` are outside Unity Catalog: no fine-grained permissions, no
    lineage, no audit, and serverless compute cannot read them. Code that names them keeps a
    pipeline on the legacy metastore after its tables have been migrated (or reads a stale
    copy).

    ## Example
    ```python
    orders = spark.table("hive_metastore.sales.orders")
    ```

    ## Use instead
    ```python
    orders = spark.table("main.sales.orders")
    ```
    or, in a toolkit project, `spark.table(config.catalog.get_table_name("silver", "orders"))`.

    ## Fix safety
    No fix: the Unity Catalog name of a migrated table is decided by the migration.

    ## References
    - [Upgrade Hive tables and views to Unity Catalog](https://docs.databricks.com/en/data-governance/unity-catalog/migrate.html)
    - [Hive metastore federation and the legacy metastore](https://docs.databricks.com/en/data-governance/unity-catalog/hive-metastore.html)
    """

    code = "DBX108"
    name = "hive-metastore-reference"
    severity = "error"
    # The module only: string literals are visited only in files that mention the name.
    node_types = (ast.Module,)

    valid = [
        """
        orders = spark.table("main.sales.orders")
        """,
        # Documentation and words that merely contain the name.
        '''
        def migrate() -> None:
            """Copy tables out of hive_metastore.sales into Unity Catalog."""
            label = "my_hive_metastore.backup"
            note = "hive_metastore is deprecated"
            hint = "Do not use hive_metastore tables"
        ''',
        # A column or a Python attribute named like it, not a table name.
        """
        df = spark.table("main.ops.catalogs").select("hive_metastore")
        settings = {"catalog": "main"}
        """,
        # A catalog other than the legacy one.
        """
        spark.catalog.setCurrentCatalog("main")
        spark.sql("USE CATALOG main")
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = spark.table("hive_metastore.sales.orders")
            """,
            at=[(1, 22)],
        ),
        Invalid(
            """
            spark.sql(
                "INSERT INTO `hive_metastore`.`sales`.orders "
                "SELECT * FROM main.sales.staged"
            )
            spark.sql("USE CATALOG hive_metastore")
            """,
            at=[(2, 5), (5, 11)],
        ),
        Invalid(
            """
            def table_name(schema: str, table: str) -> str:
                return f"HIVE_METASTORE.{schema}.{table}"
            """,
            at=[(2, 12)],
        ),
        Invalid(
            """
            spark.catalog.setCurrentCatalog("hive_metastore")
            """,
            at=[(1, 33)],
        ),
        Invalid(
            """
            # Databricks notebook source
            # MAGIC %sql
            # MAGIC USE CATALOG hive_metastore;
            # MAGIC SELECT * FROM hive_metastore.sales.orders
            """,
            at=[(3, 9), (4, 23)],
        ),
    ]

    def check(self, node: ast.Module, ctx: RuleContext) -> None:
        if mentions_any(ctx, ("hive_metastore",)):
            for string in nodes_of_type(ctx, ast.Constant, ast.JoinedStr):
                self._check_string(string, ctx)
        for where, _ in notebook_text_matches(ctx, _REFERENCE):
            ctx.report(where, _MESSAGE)

    def _check_string(self, node: ast.AST, ctx: RuleContext) -> None:
        text = literal_text(node, ctx)
        if text is None:
            return
        if (
            isinstance(node, ast.Constant)
            and text.strip("` ").lower() == "hive_metastore"
            and _sets_catalog(node, ctx)
        ):
            ctx.report(node, "Switches to the legacy `hive_metastore`; use a Unity Catalog catalog")
            return
        if _REFERENCE.search(text) and not is_docstring(node, ctx):
            ctx.report(node, _MESSAGE)


def _sets_catalog(node: ast.AST, ctx: RuleContext) -> bool:
    parent = ctx.parent(node)
    return (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in _CATALOG_SETTERS
    )
