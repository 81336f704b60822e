"""SPK112 write-without-mode."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

# Writer methods that end a write, with the index of their positional `mode` parameter
# (None: the method takes no mode).
_MODE_POSITION: dict[str, int | None] = {
    "save": 2,
    "saveAsTable": 2,
    "parquet": 1,
    "csv": 1,
    "json": 1,
    "orc": 1,
    "jdbc": 2,
    "text": None,
}


class WriteWithoutMode(Rule):
    """
    ## What it does
    Flags a batch write (`save`, `saveAsTable`, `parquet`, `csv`, `json`, `orc`, `text`,
    `jdbc` at the end of a `df.write` chain) that sets no save mode: no `.mode(...)` in the
    chain and no `mode=` argument.

    ## Why is this bad?
    The default mode is `errorifexists`: the first run succeeds, and every rerun of the job
    (a retry, a backfill, tomorrow's schedule) fails because the table or folder now exists.
    Whether a rerun should `overwrite` or `append` is a decision the code should state.
    `insertInto` and `writeTo` (which have their own semantics) are not flagged.

    ## Example
    ```python
    daily.write.format("delta").saveAsTable("main.sales.daily")
    ```

    ## Use instead
    ```python
    daily.write.format("delta").mode("overwrite").saveAsTable("main.sales.daily")
    ```

    ## Fix safety
    No fix: `overwrite` and `append` do different things, and only the author knows which.

    ## References
    - [DataFrameWriter.mode](https://spark.apache.org/docs/latest/api/python/reference/pyspark.sql/api/pyspark.sql.DataFrameWriter.mode.html)
    - [Save modes](https://spark.apache.org/docs/latest/sql-data-sources-load-save-functions.html#save-modes)
    """

    code = "SPK112"
    name = "write-without-mode"
    severity = "error"
    node_types = (ast.Call,)
    names = frozenset(_MODE_POSITION)

    valid = [
        """
        df = spark.table("sales.orders")
        df.write.format("delta").mode("overwrite").saveAsTable("main.sales.orders")
        """,
        # Mode as an argument, positional or keyword.
        """
        df = spark.table("sales.orders")
        df.write.parquet("/Volumes/main/out/orders", "append")
        df.write.save("/Volumes/main/out/x", format="delta", mode="overwrite")
        df.write.csv("/Volumes/main/out/y", mode="ignore")
        """,
        # insertInto and writeTo are not flagged; a stream has its own output mode.
        """
        df = spark.table("sales.orders")
        df.write.insertInto("main.sales.orders_copy")
        df.writeTo("main.sales.orders_v2").createOrReplace()
        """,
        # Look-alikes: a pandas DataFrame, a JSON writer, a `.write` on a file.
        """
        import pandas as pd
        frame = pd.DataFrame({"a": [1]})
        frame.to_csv("out.csv")
        with open("x.txt", "w") as handle:
            handle.write.text("hello")
        """,
        """
        def persist(frame):
            frame.write.saveAsTable("t")
        """,
        # A writer in a variable, given its mode on one path: cannot tell, silent.
        """
        df = spark.table("sales.orders")
        writer = df.write.format("delta")
        if full_refresh:
            writer.mode("overwrite").saveAsTable("t")
        else:
            writer.saveAsTable("t")
        """,
    ]
    invalid = [
        Invalid(
            """
            daily = spark.table("sales.orders").groupBy("day").count()
            daily.write.format("delta").saveAsTable("main.sales.daily")
            """,
            at=[(2, 1)],
        ),
        Invalid(
            """
            from pyspark.sql import DataFrame

            def export(orders: DataFrame, path: str) -> None:
                orders.write.partitionBy("day").parquet(path)
                orders.write.option("header", True).csv(path + "_csv")
            """,
            at=[(4, 5), (5, 5)],
        ),
        # A multi-line chain, and `text`, which takes no mode argument at all.
        Invalid(
            """
            import pyspark.sql.functions as F
            (
                spark.read.json("/Volumes/main/raw/events")
                .select(F.col("body"))
                .write
                .text("/Volumes/main/out/bodies")
            )
            """,
            at=[(3, 5)],
        ),
        Invalid(
            """
            df = spark.createDataFrame([(1, "a")], ["id", "name"])
            df.write.jdbc("jdbc:postgresql://db/app", "public.names", properties={"user": "x"})
            df.write.format("json").save("/Volumes/main/out/names")
            writer = df.write.format("delta").option("overwriteSchema", "true")
            writer.saveAsTable("main.sales.names")
            """,
            at=[(2, 1), (3, 1), (5, 1)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        root, links = ctx.semantic.method_chain(node)
        names = [name for name, _ in links]
        if "write" not in names:
            # `writer = df.write.format("delta")` then `writer.save(...)`: follow a writer
            # assigned once and never given a mode elsewhere.
            earlier = _writer_assigned_once(root, ctx)
            if earlier is None:
                return
            names = earlier + names
        if "mode" in names[names.index("write") :]:
            return
        if any(keyword.arg in ("mode", None) for keyword in node.keywords):
            return
        position = _MODE_POSITION[func.attr]
        if position is not None and len(node.args) > position:
            return
        if ctx.semantic.kind_of(func.value) != "writer":
            return
        ctx.report(
            node,
            f"`{func.attr}` without a save mode fails when the target exists (errorifexists)",
        )


def _writer_assigned_once(root: ast.AST, ctx: RuleContext) -> list[str] | None:
    """The chain links (`["write", "format"]`) of the writer a name holds, when the name is
    assigned once, from a visible `.write` chain, and never receives `.mode(...)`."""
    if not isinstance(root, ast.Name):
        return None
    scope = ctx.semantic.enclosing_scope(root)
    bindings = ctx.semantic.bindings(scope).get(root.id, [])
    if len(bindings) != 1 or bindings[0].kind != "assign":
        return None
    _origin, links = ctx.semantic.method_chain(bindings[0].value)
    names = [name for name, _ in links]
    if "write" not in names:
        return None
    for node in ast.walk(scope):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "mode"
            and isinstance(node.value, ast.Name)
            and node.value.id == root.id
        ):
            return None  # `writer.mode(...)` somewhere: cannot tell which path runs
    return names
