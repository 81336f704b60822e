"""DBX207 hardcoded-table-name."""

from __future__ import annotations

import ast
import re
from functools import lru_cache

from codemods.engine.context import RuleContext
from codemods.engine.options import LintSettings
from codemods.engine.project import ProjectIndex, index_for_options
from codemods.rules._databricks import (
    import_edit,
    is_docstring,
    module_imports_name,
    name_is_free,
    nodes_of_type,
)
from codemods.rules.base import Invalid, Rule, Valid

# A name part: back-quoted, or identifier characters and f-string fields (`{env}_shop`).
_PART = r"(?:`[^`.\x00]+`|[A-Za-z_\x00][A-Za-z0-9_\x00]*)"
_THREE_PART_NAME = re.compile(rf"(?<![\w.`\x00])({_PART})\.({_PART})\.({_PART})(?![\w.`\x00])")
_PLACEHOLDER = "\x00"  # an f-string's replacement field
_CONFIG_TYPES = frozenset({"toolkit.config.ProjectConfig", "toolkit.config.models.ProjectConfig"})
_CONFIG_FACTORIES = frozenset({"toolkit.config.load_config", "toolkit.config.ConfigLoader.load"})
_LOAD_CONFIG = "toolkit.config.load_config"

# The config of the examples: what `config/*.yaml` of a project with dev and prod would give.
_EXAMPLE_INDEX = ProjectIndex(
    catalogs=frozenset({"local", "dev_shop", "prod_shop"}),
    schema_layers={
        "sales_bronze": ("bronze",),
        "sales_silver": ("silver",),
        "sales_gold": ("gold",),
    },
)
_EXAMPLE = LintSettings(
    enabled_codes=frozenset({"DBX207"}), rule_options={"DBX207": {"project-index": _EXAMPLE_INDEX}}
)


class HardcodedTableName(Rule):
    """
    ## What it does
    Flags a `catalog.schema.table` name written in a string literal (plain, f-string or SQL
    text) whose catalog or schema is one the project's config (`config/*.yaml`, all
    environments) names: `"dev_shop.sales_bronze.orders"` in a project whose dev catalog is
    `dev_shop` and whose bronze schema is `sales_bronze`. Names of other catalogs and schemas
    are not flagged, and without a project config the rule is silent.

    ## Why is this bad?
    The catalog differs per environment (`local`, `dev`, `prod`) and the schemas are set once
    in the config: a hard-coded name makes a dev run write to the catalog it names (or a
    prod job read dev data), and renaming a schema means hunting strings.

    ## Example
    ```python
    orders = spark.table("dev_shop.sales_bronze.orders")
    ```

    ## Use instead
    ```python
    from toolkit.config import load_config

    orders = spark.table(load_config().catalog.get_table_name("bronze", "orders"))
    ```

    ## Fix safety
    When the whole string is the name, its catalog is one of the config's and its schema
    belongs to exactly one layer, the fix replaces it with
    `config.catalog.get_table_name("<layer>", "<table>")`, using a `config` in scope (a
    parameter annotated `ProjectConfig` or a name assigned from `load_config(...)`) or else
    `load_config()` with its import added. It is unsafe: the catalog then comes from the
    environment the code runs in (`TOOLKIT_ENV`), which is the point but changes which table
    a run reads or writes. Names inside SQL text and f-strings have no fix.

    ## References
    - [Unity Catalog: the three-level namespace](https://docs.databricks.com/en/data-governance/unity-catalog/index.html#the-unity-catalog-object-model)
    - [Databricks: best practices for catalogs per environment](https://docs.databricks.com/en/data-governance/unity-catalog/best-practices.html)
    """

    code = "DBX207"
    name = "hardcoded-table-name"
    severity = "warning"
    # The module only: string literals are visited only in files whose text mentions one of
    # the config's catalogs or schemas.
    node_types = (ast.Module,)
    fixable = True

    valid = [
        Valid(
            """
            from toolkit.config import load_config
            orders = spark.table(load_config().catalog.get_table_name("bronze", "orders"))
            """,
            settings=_EXAMPLE,
        ),
        # Catalogs and schemas the project does not own, and names with two parts.
        Valid(
            """
            rates = spark.table("samples.nyctaxi.trips")
            staged = spark.table("sales_bronze.orders")
            version = "1.2.3"
            """,
            settings=_EXAMPLE,
        ),
        # Documentation, look-alike words and file names.
        Valid(
            '''
            def load():
                """Reads dev_shop.sales_bronze.orders."""
                return spark.read.parquet("/Volumes/dev_shop/sales_bronze/landing/orders.parquet")
            ''',
            settings=_EXAMPLE,
        ),
        # Without a project config the rule cannot know the project's names.
        """
        orders = spark.table("dev_shop.sales_bronze.orders")
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = spark.table("dev_shop.sales_bronze.orders")
            """,
            at=[(1, 22)],
            settings=_EXAMPLE,
            unsafe=True,
            fixed="""
            from toolkit.config import load_config
            orders = spark.table(load_config().catalog.get_table_name("bronze", "orders"))
            """,
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame
            from toolkit.config import ProjectConfig

            def publish(totals: DataFrame, config: ProjectConfig) -> None:
                (
                    totals.write.mode("overwrite")
                    .saveAsTable("prod_shop.sales_gold.daily_totals")
                )
            """,
            at=[(7, 22)],
            settings=_EXAMPLE,
            unsafe=True,
            fixed="""
            from pyspark.sql import DataFrame
            from toolkit.config import ProjectConfig

            def publish(totals: DataFrame, config: ProjectConfig) -> None:
                (
                    totals.write.mode("overwrite")
                    .saveAsTable(config.catalog.get_table_name("gold", "daily_totals"))
                )
            """,
        ),
        # In SQL text and f-strings: flagged, not fixed; a foreign catalog with our schema too.
        Invalid(
            """
            def load(env: str):
                spark.sql("INSERT INTO dev_shop.sales_silver.orders SELECT * FROM staged")
                return spark.table(f"{env}_shop.sales_silver.orders")
            other = spark.table("scratch.sales_bronze.orders")
            """,
            at=[(2, 15), (3, 24), (4, 21)],
            settings=_EXAMPLE,
        ),
        Invalid(
            """
            from toolkit.config import load_config as project_config
            config = project_config("dev")
            orders = spark.table("`local`.`sales_bronze`.`orders`")
            """,
            at=[(3, 22)],
            settings=_EXAMPLE,
            unsafe=True,
            fixed="""
            from toolkit.config import load_config as project_config
            config = project_config("dev")
            orders = spark.table(config.catalog.get_table_name("bronze", "orders"))
            """,
        ),
    ]

    def check(self, node: ast.Module, ctx: RuleContext) -> None:
        index = index_for_options(ctx.options)
        if index.is_empty:
            return
        if (
            _mention_pattern(index.catalogs | frozenset(index.schema_layers)).search(ctx.source)
            is None
        ):
            return
        for string in nodes_of_type(ctx, ast.Constant, ast.JoinedStr):
            self._check_string(string, index, ctx)

    def _check_string(self, node: ast.AST, index: ProjectIndex, ctx: RuleContext) -> None:
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else _PLACEHOLDER
                for part in node.values
            )
        elif isinstance(node.value, str) and not isinstance(ctx.parent(node), ast.JoinedStr):
            text = node.value
        else:
            return
        if "." not in text or is_docstring(node, ctx):
            return
        for match in _THREE_PART_NAME.finditer(text):
            catalog, schema, table = (part.strip("`") for part in match.groups())
            if catalog in index.catalogs or schema in index.schema_layers:
                fix = None
                whole = isinstance(node, ast.Constant) and match.group(0) == text.strip()
                layer = index.layer_of(schema)
                if whole and catalog in index.catalogs and layer and _PLACEHOLDER not in table:
                    fix = _fix(node, ctx, layer, table)
                shown = f"{catalog}.{schema}.{table}".replace(_PLACEHOLDER, "{...}")
                ctx.report(
                    node,
                    f"Table name `{shown}` is hard-coded; take it from the project config",
                    fix=fix,
                )
                return


@lru_cache(maxsize=16)
def _mention_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """Any of the project's catalog or schema names as a whole word, followed by a dot."""
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})`?\.")


def _fix(node: ast.AST, ctx: RuleContext, layer: str, table: str):
    edits = []
    config = _config_in_scope(node, ctx)
    if config is None:
        loader = module_imports_name(ctx, _LOAD_CONFIG)
        if loader is None:
            if not name_is_free(ctx, node, "load_config"):
                return None  # `load_config` is something else here
            loader = "load_config"
            edits.append(import_edit(ctx, "from toolkit.config import load_config"))
        config = f"{loader}()"
    call = f"{config}.catalog.get_table_name({_quoted(layer)}, {_quoted(table)})"
    edits.insert(0, ctx.replace(node, call))
    return ctx.fix(f"Replace with `{call}`", edits, applicability="unsafe")


def _config_in_scope(node: ast.AST, ctx: RuleContext) -> str | None:
    """`config` when a name so called holds the project config where `node` is."""
    scope = ctx.semantic.enclosing_scope(node)
    while True:
        bindings = ctx.semantic.bindings(scope).get("config")
        if bindings and not isinstance(scope, ast.ClassDef):
            return "config" if all(_is_project_config(b, ctx) for b in bindings) else None
        if scope is ctx.tree:
            return None
        scope = ctx.semantic.enclosing_scope(scope)


def _is_project_config(binding, ctx: RuleContext) -> bool:
    if binding.kind in ("param", "annotated"):
        annotation = binding.value[0]
        return annotation is not None and ctx.semantic.qualified_name(annotation) in _CONFIG_TYPES
    if binding.kind == "assign" and isinstance(binding.value, ast.Call):
        return ctx.semantic.qualified_name(binding.value.func) in _CONFIG_FACTORIES
    return False


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
