"""DBX208 notebook-too-many-cells."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.engine.options import LintSettings
from codemods.rules._databricks import notebook_view
from codemods.rules.base import Invalid, Rule, Valid

DEFAULT_MAX_CELLS = 75
_THREE = LintSettings(
    enabled_codes=frozenset({"DBX208"}), rule_options={"DBX208": {"max-cells": 3}}
)


def _notebook(cells: int) -> str:
    """A Databricks source notebook with `cells` small cells, for the examples."""
    bodies = [f"step_{number} = {number}\n" for number in range(1, cells + 1)]
    return "# Databricks notebook source\n" + "\n# COMMAND ----------\n\n".join(bodies)


class NotebookTooManyCells(Rule):
    """
    ## What it does
    Flags a Databricks source notebook (`# Databricks notebook source`) with more cells
    than the `max-cells` setting (default 75; every cell counts, Markdown and SQL too). The
    finding is on the notebook's first line.

    ## Why is this bad?
    A notebook that long is a program written as a scroll: its cells share one global
    namespace, run in an order only the author knows, and cannot be imported or unit tested.
    Reviews of its diffs are hard and a failure in cell 60 means rerunning the 59 before it.

    ## Example
    A 120-cell `orders_pipeline` notebook that reads, cleans, joins, aggregates and writes.

    ## Use instead
    Move the transformations into functions in Python modules (tested with the `spark`
    fixture) and keep the notebook as a short entry point that calls them, or split the
    pipeline into job tasks.

    ## Fix safety
    No fix: how to split a notebook is a design decision.

    ## References
    - [Software engineering best practices for notebooks](https://docs.databricks.com/en/notebooks/best-practices.html)
    - [Share code between notebooks (modules)](https://docs.databricks.com/en/notebooks/share-code.html)
    """

    code = "DBX208"
    name = "notebook-too-many-cells"
    severity = "warning"
    node_types = (ast.Module,)

    valid = [
        Valid(_notebook(3), settings=_THREE),
        # The default limit is 75.
        _notebook(75),
        # A plain Python file is not a notebook, however many separators it has.
        Valid("value = 1\n" + "# COMMAND ----------\n" * 10, settings=_THREE),
        # Empty notebook.
        Valid("# Databricks notebook source\n", settings=_THREE),
    ]
    invalid = [
        Invalid(_notebook(4), at=[(1, 1)], settings=_THREE),
        Invalid(_notebook(76), at=[(1, 1)]),
        # Markdown and SQL cells count too; CRLF line endings.
        Invalid(
            (
                "# Databricks notebook source\r\n# MAGIC %md\r\n# MAGIC # Orders\r\n"
                "\r\n# COMMAND ----------\r\n\r\n# MAGIC %sql\r\n# MAGIC SELECT 1\r\n"
                "\r\n# COMMAND ----------\r\n\r\nx = 1\r\n"
                "\r\n# COMMAND ----------\r\n\r\ny = 2\r\n"
            ),
            at=[(1, 1)],
            settings=_THREE,
        ),
        Invalid(
            """
            # Databricks notebook source
            a = 1

            # COMMAND ----------

            # DBTITLE 1,Second
            b = 2

            # COMMAND ----------

            c = 3

            # COMMAND ----------

            d = 4
            """,
            at=[(1, 1)],
            settings=_THREE,
        ),
    ]

    def check(self, node: ast.Module, ctx: RuleContext) -> None:
        view = notebook_view(ctx)
        if view is None:
            return
        limit = ctx.options.get("max-cells", DEFAULT_MAX_CELLS)
        if view.cell_count > limit:
            ctx.report(
                node,
                f"Notebook has {view.cell_count} cells, more than `max-cells` ({limit}); move "
                "code into modules",
            )
