"""DBX109 legacy-cli-or-internal-api."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules._databricks import chain_links
from codemods.rules.base import Invalid, Rule

_LEGACY_PACKAGES = {
    "databricks_cli": "the legacy Databricks CLI package `databricks_cli`",
    "dbruntime": "the runtime's internal `dbruntime` package",
}
_DBUTILS_INTERNALS = frozenset({"entry_point", "credentials"})
# Calls into the notebook context, reported where a chain first reaches it.
_CONTEXT_CALLS = frozenset({"getDbutils", "getContext", "apiToken"})


class LegacyCliOrInternalApi(Rule):
    """
    ## What it does
    Flags imports of the legacy `databricks_cli` package and of the runtime's internal
    `dbruntime` package, the notebook context reached through
    `dbutils.notebook.entry_point` (`...getDbutils().notebook().getContext().apiToken()`),
    calls of `getDbutils()`, `.notebook().getContext()` and `apiToken()` on any object (once
    per chain), and `dbutils.credentials`.

    ## Why is this bad?
    `databricks_cli` is the retired CLI's Python package: unmaintained and replaced by the
    Databricks SDK. `dbruntime` and `entry_point` are undocumented internals that change
    between runtime versions, go through py4j (absent on serverless and standard access
    mode compute), and tokens taken from the notebook context leak the user's identity into
    jobs. `dbutils.credentials` (credential passthrough) is not supported with Unity Catalog.

    ## Example
    ```python
    context = dbutils.notebook.entry_point.getDbutils().notebook().getContext()
    token = context.apiToken().get()
    ```

    ## Use instead
    ```python
    from databricks.sdk import WorkspaceClient

    workspace = WorkspaceClient()  # authenticates from the notebook or job's own identity
    ```

    ## Fix safety
    No fix: the SDK call replacing an internal one depends on what it was used for.

    ## References
    - [Databricks SDK for Python](https://docs.databricks.com/en/dev-tools/sdk-python.html)
    - [Migrate from the legacy Databricks CLI](https://docs.databricks.com/en/dev-tools/cli/migrate.html)
    - [Databricks Utilities](https://docs.databricks.com/en/dev-tools/databricks-utils.html)
    """

    code = "DBX109"
    name = "legacy-cli-or-internal-api"
    severity = "error"
    node_types = (ast.Import, ast.ImportFrom, ast.Attribute, ast.Call)
    names = _DBUTILS_INTERNALS | _CONTEXT_CALLS

    valid = [
        """
        from databricks.sdk import WorkspaceClient
        workspace = WorkspaceClient()
        user = workspace.current_user.me()
        """,
        # Packages whose names merely start alike, and relative imports.
        """
        import databricks_cli_helpers
        from .dbruntime import settings
        from databricks.sdk.runtime import dbutils
        """,
        # `entry_point` and `credentials` of objects that are not dbutils.
        """
        import importlib.metadata
        points = importlib.metadata.entry_points()
        job = make_job()
        start = job.entry_point
        creds = job.credentials
        """,
        # A parameter named dbutils passed in by the caller is still dbutils: only its public
        # API is used here.
        """
        def files(dbutils):
            return dbutils.fs.ls("/Volumes/main/raw/x")
        """,
    ]
    invalid = [
        Invalid(
            """
            context = dbutils.notebook.entry_point.getDbutils().notebook().getContext()
            token = context.apiToken().get()
            """,
            at=[(1, 11), (2, 9)],
        ),
        # The context reached another way (a helper's return value).
        Invalid(
            """
            from notebook_helpers import holder
            utils = holder().getDbutils()
            path = utils.notebook().getContext().notebookPath().get()
            """,
            at=[(2, 9), (3, 8)],
        ),
        Invalid(
            """
            from databricks_cli.sdk.api_client import ApiClient
            import dbruntime.dbutils as internal
            """,
            at=[(1, 1), (2, 1)],
        ),
        Invalid(
            """
            def notebook_path(dbutils) -> str:
                return (
                    dbutils.notebook
                    .entry_point.getDbutils()
                    .notebook().getContext().notebookPath().get()
                )
            """,
            at=[(3, 9)],
        ),
        Invalid(
            """
            from databricks.sdk.runtime import dbutils
            role = dbutils.credentials.showCurrentRole()
            """,
            at=[(2, 8)],
        ),
    ]

    def check(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Attribute):
            self._check_attribute(node, ctx)
            return
        if isinstance(node, ast.Call):
            self._check_context_call(node, ctx)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                return
            modules = [node.module or ""]
        else:
            modules = [alias.name for alias in node.names]
        for module in modules:
            what = _LEGACY_PACKAGES.get(module.split(".", 1)[0])
            if what is not None:
                ctx.report(node, f"Imports {what}; use the Databricks SDK")
                return

    def _check_context_call(self, node: ast.Call, ctx: RuleContext) -> None:
        """`x.getDbutils()`, `x.notebook().getContext()`, `x.apiToken()` on whatever `x` is,
        unless an earlier link of the same chain is already one (reported there)."""
        if not isinstance(node.func, ast.Attribute):
            return
        names = chain_links(node.func)
        if not _is_context_link(names, len(names) - 1):
            return
        if any(
            _is_context_link(names, i) or names[i] == "entry_point" for i in range(len(names) - 1)
        ):
            return
        ctx.report(
            node,
            f"`{names[-1]}()` reaches the notebook's internal context (py4j), which serverless "
            "and shared compute do not have; use the Databricks SDK",
        )

    def _check_attribute(self, node: ast.Attribute, ctx: RuleContext) -> None:
        receiver = node.value
        if node.attr == "credentials":
            if ctx.semantic.is_dbutils(receiver):
                ctx.report(node, "`dbutils.credentials` is not supported with Unity Catalog")
            return
        # `dbutils.notebook.entry_point`: the notebook's internal py4j context.
        if (
            isinstance(receiver, ast.Attribute)
            and receiver.attr == "notebook"
            and ctx.semantic.is_dbutils(receiver.value)
        ):
            ctx.report(
                node,
                "`dbutils.notebook.entry_point` is an internal API (py4j) that serverless and "
                "shared compute do not have; use the Databricks SDK",
            )


def _is_context_link(names: list[str], index: int) -> bool:
    name = names[index]
    if name in ("getDbutils", "apiToken"):
        return True
    return name == "getContext" and index > 0 and names[index - 1] == "notebook"
