"""DBX204 notebook-run."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._databricks import notebook_view, point_node
from codemods.rules.base import Invalid, Rule


class NotebookRun(Rule):
    """
    ## What it does
    Flags `dbutils.notebook.run(...)` calls and the `%run` cells of Databricks source
    notebooks.

    ## Why is this bad?
    `%run` pastes another notebook's globals into this one: the names it defines are
    invisible to readers, linters and tests. `dbutils.notebook.run` starts the other notebook
    as a separate ephemeral run, passing only strings in and out, with its own timeout and no
    retry policy, and it hides the pipeline's real dependency graph from the job definition.
    Neither works outside a Databricks notebook, so the code cannot be tested locally.

    ## Example
    ```python
    # MAGIC %run ./helpers
    result = dbutils.notebook.run("./load_orders", 600, {"day": "2024-01-01"})
    ```

    ## Use instead
    Put shared code in Python modules and import it (`from orders.helpers import clean`);
    run notebooks or scripts in sequence as tasks of a Databricks job (`depends_on` in the
    bundle), passing values as task parameters or task values.

    ## Fix safety
    No fix: replacing a notebook call with an import or a job task is a design change.

    ## References
    - [Orchestrate notebooks and modularize code](https://docs.databricks.com/en/notebooks/notebook-workflows.html)
    - [Import Python modules from Git folders or workspace files](https://docs.databricks.com/en/files/workspace-modules.html)
    - [Jobs: task dependencies and task values](https://docs.databricks.com/en/jobs/task-values.html)
    """

    code = "DBX204"
    name = "notebook-run"
    severity = "warning"
    node_types = (ast.Module, ast.Call)
    names = frozenset({"run"})

    valid = [
        """
        from orders.helpers import clean
        orders = clean(spark.table("sales.orders"))
        """,
        # `run` of other objects: a job, a subprocess, a `notebook` attribute of a non-dbutils.
        """
        import subprocess
        subprocess.run(["ls"])
        job = make_job()
        job.notebook.run("x")
        """,
        # A notebook whose cells are Python and SQL, with `%pip` but no `%run`.
        """
        # Databricks notebook source
        # MAGIC %pip install requests

        # COMMAND ----------

        # MAGIC %sql
        # MAGIC SELECT 1

        # COMMAND ----------

        print("run ./other")
        """,
        # A `%run` that is text in a plain Python file's comment, not a notebook cell.
        """
        # MAGIC %run ./helpers
        value = 1
        """,
    ]
    invalid = [
        Invalid(
            """
            result = dbutils.notebook.run("./load_orders", 600, {"day": "2024-01-01"})
            """,
            at=[(1, 10)],
        ),
        Invalid(
            """
            # Databricks notebook source
            # MAGIC %run ./helpers

            # COMMAND ----------

            orders = clean(spark.table("sales.orders"))
            """,
            at=[(2, 9)],
        ),
        Invalid(
            """
            from databricks.sdk.runtime import dbutils

            def load_all(days: list[str]) -> None:
                for day in days:
                    (
                        dbutils.notebook
                        .run("./load_day", 0, {"day": day})
                    )
            """,
            at=[(6, 13)],
        ),
        Invalid(
            """
            # Databricks notebook source
            # MAGIC %run "./shared/config" $env="dev"

            # COMMAND ----------

            # MAGIC %run ./shared/helpers

            # COMMAND ----------

            dbutils.notebook.run("./next", 60)
            """,
            at=[(2, 9), (6, 9), (10, 1)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Module):
            view = notebook_view(ctx)
            if view is None:
                return
            for magic in view.magics:
                if magic.command == "run":
                    where = point_node(ctx, magic.line, magic.column, 4 + len(magic.args) + 1)
                    ctx.report(
                        where,
                        f"`%run {magic.args}` pastes another notebook's globals into this one; "
                        "import a module instead",
                    )
            return
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "notebook"
            and ctx.semantic.is_dbutils(func.value.value)
        ):
            ctx.report(
                node,
                "`dbutils.notebook.run` runs another notebook as a separate run; import its "
                "code or make it a job task",
            )
