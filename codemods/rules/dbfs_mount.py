"""DBX107 dbfs-mount."""

from __future__ import annotations

import ast

from codemods.engine.context import RuleContext
from codemods.rules.base import Invalid, Rule

_MOUNT_METHODS = frozenset({"mount", "mounts", "unmount", "updateMount", "refreshMounts"})


class DbfsMount(Rule):
    """
    ## What it does
    Flags DBFS mount management through `dbutils.fs`: `mount`, `mounts`, `unmount`,
    `updateMount` and `refreshMounts`.

    ## Why is this bad?
    Mounts are deprecated. They expose cloud storage to every user of the workspace with
    the mount's own credentials, bypassing Unity Catalog permissions and lineage, and
    serverless compute and standard (shared) access mode clusters do not support them.

    ## Example
    ```python
    dbutils.fs.mount(source="s3a://landing", mount_point="/mnt/landing")
    ```

    ## Use instead
    Create an external location and a volume once (SQL or Terraform), then read
    `/Volumes/<catalog>/<schema>/<volume>/...`.

    ## Fix safety
    No fix: replacing a mount means creating Unity Catalog objects, outside the code.

    ## References
    - [Mounting cloud object storage (deprecated)](https://docs.databricks.com/en/dbfs/mounts.html)
    - [Unity Catalog volumes](https://docs.databricks.com/en/volumes/index.html)
    """

    code = "DBX107"
    name = "dbfs-mount"
    severity = "error"
    node_types = (ast.Call,)
    names = _MOUNT_METHODS

    valid = [
        """
        files = dbutils.fs.ls("/Volumes/main/landing/raw")
        """,
        # `mount` of a non-dbutils object (a Docker client, a local `fs` module).
        """
        import docker
        client = docker.from_env()
        client.fs.mount("/data")
        """,
        # A local variable named `dbutils` that is not Databricks'.
        """
        from unittest import mock
        dbutils = mock.MagicMock()
        dbutils.fs.mounts()
        """,
        # Unrelated `mounts` names.
        """
        import psutil
        mounts = psutil.disk_partitions()
        def refreshMounts():
            return []
        refreshMounts()
        """,
    ]
    invalid = [
        Invalid(
            """
            dbutils.fs.mount(source="s3a://landing", mount_point="/mnt/landing")
            """,
            at=[(1, 1)],
        ),
        Invalid(
            """
            for mount in dbutils.fs.mounts():
                if mount.mountPoint == "/mnt/old":
                    dbutils.fs.unmount(mount.mountPoint)
            """,
            at=[(1, 14), (3, 9)],
        ),
        Invalid(
            """
            def remount(dbutils, source: str) -> None:
                (
                    dbutils.fs
                    .updateMount(source=source, mount_point="/mnt/x")
                )
                dbutils.fs.refreshMounts()
            """,
            at=[(3, 9), (6, 5)],
        ),
        Invalid(
            """
            from databricks.sdk.runtime import dbutils
            points = [m.mountPoint for m in dbutils.fs.mounts()]
            """,
            at=[(2, 33)],
        ),
    ]

    def check(self, node: ast.Call, ctx: RuleContext) -> None:
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute)):
            return
        if func.value.attr == "fs" and ctx.semantic.is_dbutils(func.value.value):
            ctx.report(
                node,
                f"`dbutils.fs.{func.attr}` manages DBFS mounts, which are deprecated and bypass "
                "Unity Catalog; use a volume",
            )
