"""SPK211 adaptive-execution-disabled."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.rules._spark_helpers import string_value
from codemods.rules.base import Invalid, Rule

# Setting -> (the value that turns the optimisation off, what is lost).
_SWITCHED_OFF = {
    "spark.sql.adaptive.enabled": ("false", "adaptive query execution"),
    "spark.sql.adaptive.skewjoin.enabled": ("false", "skew-join handling"),
    "spark.sql.autobroadcastjointhreshold": ("-1", "broadcast joins"),
}
_SQL_SET = re.compile(r"^\s*SET\s+([\w.]+)\s*=\s*'?([-\w]+)'?\s*;?\s*$", re.IGNORECASE)
_SPARK_CONF_CLASSES = frozenset({"pyspark.SparkConf", "pyspark.conf.SparkConf"})


class AdaptiveExecutionDisabled(Rule):
    """
    ## What it does
    Flags settings that switch off Spark's adaptive optimisations:
    `spark.sql.adaptive.enabled` or `spark.sql.adaptive.skewJoin.enabled` set to false, or
    `spark.sql.autoBroadcastJoinThreshold` set to -1, through `spark.conf.set(...)`, the
    session builder's `.config(...)`, `SparkConf().set(...)` or a literal
    `spark.sql("SET key = value")`.

    ## Why is this bad?
    Adaptive query execution (on by default since Spark 3.2 and on Databricks) re-plans a
    query with the real sizes it observes: it coalesces small shuffle partitions, splits
    skewed ones and turns sort-merge joins into broadcast joins. Switching it off, or
    forbidding broadcast joins, usually makes jobs slower and more prone to skew; the setting
    then outlives the problem it was copied in to work around.

    ## Example
    ```python
    spark.conf.set("spark.sql.adaptive.enabled", "false")
    ```

    ## Use instead
    Leave the defaults on; for one join that must not be broadcast, use a join hint
    (`df.hint("merge")`) instead of a session-wide switch.

    ## Fix safety
    No fix: someone switched it off on purpose; the rule asks them to check it still helps.

    ## References
    - [Adaptive query execution](https://spark.apache.org/docs/latest/sql-performance-tuning.html#adaptive-query-execution)
    - [Databricks: adaptive query execution](https://docs.databricks.com/en/optimizations/aqe.html)
    """

    code = "SPK211"
    name = "adaptive-execution-disabled"
    severity = "warning"
    node_types = (ast.Call,)
    names = frozenset({"set", "config", "sql"})

    valid = [
        """
        spark.conf.set("spark.sql.adaptive.enabled", "true")
        spark.conf.set("spark.sql.shuffle.partitions", "64")
        spark.conf.set("spark.sql.autoBroadcastJoinThreshold", 50 * 1024 * 1024)
        """,
        # A set on something that is not the Spark configuration.
        """
        settings = set()
        config = {}
        cache.set("spark.sql.adaptive.enabled", "false")
        def configure(conf):
            conf.set("spark.sql.adaptive.enabled", "false")
        """,
        # A SQL statement that only reads the setting, and a value computed at run time.
        """
        spark.sql("SET spark.sql.adaptive.enabled")
        spark.conf.set("spark.sql.adaptive.enabled", flag)
        """,
        # A local variable named `spark` that is not a session.
        """
        spark = Settings()
        spark.conf.set("spark.sql.adaptive.enabled", False)
        """,
    ]
    invalid = [
        Invalid(
            """
            spark.conf.set("spark.sql.adaptive.enabled", "false")
            """,
            at=[(1, 16)],
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession
            session = (
                SparkSession.builder
                .appName("orders")
                .config("spark.sql.autoBroadcastJoinThreshold", -1)
                .config("spark.sql.adaptive.skewJoin.enabled", False)
                .getOrCreate()
            )
            """,
            at=[(5, 13), (6, 13)],
        ),
        Invalid(
            """
            from pyspark import SparkConf
            conf = SparkConf().set("spark.sql.adaptive.enabled", "False")
            """,
            at=[(2, 24)],
        ),
        Invalid(
            """
            from pyspark.sql import SparkSession

            def tune(session: SparkSession) -> None:
                session.sql("SET spark.sql.autoBroadcastJoinThreshold = -1")
                session.conf.set(key="spark.sql.adaptive.enabled", value="false")
            """,
            at=[(4, 5), (5, 26)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        if not isinstance(node.func, ast.Attribute):
            return
        method = node.func.attr
        if method == "sql":
            setting = _sql_set(node) if ctx.semantic.is_spark_session(node.func.value) else None
        elif _is_configuration(node.func.value, method, ctx):
            setting = _key_value(node)
        else:
            return
        if setting is None:
            return
        key, value = setting
        off = _SWITCHED_OFF.get(key.lower())
        if off is None or value.strip().lower() != off[0]:
            return
        # On the key, so each `.config(...)` of a builder chain gets its own position.
        key_node = node.args[0] if node.args and method != "sql" else None
        if key_node is None and method != "sql":
            key_node = next((k.value for k in node.keywords if k.arg == "key"), None)
        ctx.report(key_node or node, f"`{key} = {value}` turns off {off[1]}", end_node=node)


def _is_configuration(receiver: ast.AST, method: str, ctx: RuleContext) -> bool:
    """`<session>.conf.set`, `<builder>.config`, `SparkConf(...)....set`."""
    semantic = ctx.semantic
    if method == "config":
        return semantic.kind_of(receiver) == "builder"
    if isinstance(receiver, ast.Attribute) and receiver.attr == "conf":
        return semantic.is_spark_session(receiver.value)
    root, links = semantic.method_chain(receiver)
    if isinstance(root, ast.Call):
        qualified = semantic.qualified_name(root.func)
        return qualified in _SPARK_CONF_CLASSES and all(name == "set" for name, _ in links)
    return False


def _key_value(node: ast.Call) -> tuple[str, str] | None:
    arguments: list[ast.expr | None] = list(node.args[:2])
    keywords = {k.arg: k.value for k in node.keywords}
    while len(arguments) < 2:
        arguments.append(keywords.get("key" if not arguments else "value"))
    key = string_value(arguments[0])
    value = arguments[1]
    sign = ""
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        sign, value = "-", value.operand
    if key is None or not isinstance(value, ast.Constant):
        return None
    if isinstance(value.value, bool):
        return None if sign else (key, str(value.value).lower())
    if isinstance(value.value, (int, str)):
        return key, f"{sign}{value.value}"
    return None


def _sql_set(node: ast.Call) -> tuple[str, str] | None:
    statement = string_value(node.args[0]) if node.args else None
    match = _SQL_SET.match(statement or "")
    return (match.group(1), match.group(2)) if match else None
