"""DBX209 job-cluster-without-uc-mode."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.engine.options import LintSettings
from codemods.rules._databricks import nodes_of_type, string_constant
from codemods.rules.base import Invalid, Rule, Valid

DEFAULT_MIN_RUNTIME = "13.3"
# Keys that, next to `spark_version`, make a mapping a cluster spec.
_CLUSTER_KEYS = frozenset(
    {"node_type_id", "num_workers", "autoscale", "instance_pool_id", "driver_node_type_id"}
    | {"policy_id", "cluster_name", "spark_conf", "aws_attributes", "azure_attributes"}
)
_SDK_CLUSTER_SPECS = frozenset(
    {
        "databricks.sdk.service.compute.ClusterSpec",
        "databricks.sdk.service.compute.CreateCluster",
        "databricks.sdk.service.compute.EditCluster",
        "databricks.sdk.service.jobs.ClusterSpec",
    }
)
_CLUSTER_METHODS = frozenset({"create", "create_and_wait", "edit", "edit_and_wait"})
_RUNTIME = re.compile(r"^(\d+)\.(\d+)\.")
_MODE = "data_security_mode"


class JobClusterWithoutUcMode(Rule):
    """
    ## What it does
    Flags a cluster spec written in Python (a `new_cluster` dictionary for Airflow's
    Databricks operators or the Jobs API, `databricks.sdk.service.compute.ClusterSpec(...)`
    / `CreateCluster(...)`, `workspace.clusters.create(...)`) that has no
    `data_security_mode`, sets it to `NONE` or a `LEGACY_*` mode, or asks for a
    `spark_version` older than the `min-runtime` setting (default 13.3). A mapping counts as
    a cluster spec when it is the value of `new_cluster`, or has `spark_version` and a node,
    worker, pool or policy key; a spec built with `**other` is not judged.

    ## Why is this bad?
    Without a Unity Catalog access mode (`SINGLE_USER`/`DEDICATED`, `USER_ISOLATION`/
    `STANDARD`, or `DATA_SECURITY_MODE_AUTO`) a job cluster cannot read Unity Catalog
    tables or volumes, so the job fails or silently falls back to the Hive metastore. Runtimes
    older than 13.3 LTS lack features Unity Catalog jobs rely on (volumes, shared-mode
    Python UDFs) and are out of support.

    ## Example
    ```python
    new_cluster = {
        "spark_version": "12.2.x-scala2.12",
        "node_type_id": "i3.xlarge",
        "num_workers": 2,
    }
    ```

    ## Use instead
    ```python
    new_cluster = {
        "spark_version": "15.4.x-scala2.12",
        "node_type_id": "i3.xlarge",
        "num_workers": 2,
        "data_security_mode": "SINGLE_USER",
    }
    ```

    ## Fix safety
    No fix: the access mode decides who the cluster runs as, a choice for a person.

    ## References
    - [Access modes](https://docs.databricks.com/en/compute/configure.html#access-modes)
    - [Jobs API: new_cluster](https://docs.databricks.com/api/workspace/jobs/create)
    - [Databricks Runtime support lifecycle](https://docs.databricks.com/en/release-notes/runtime/databricks-runtime-ver.html)
    """

    code = "DBX209"
    name = "job-cluster-without-uc-mode"
    severity = "warning"
    # The module only: dictionaries and calls are visited only in files that say
    # `spark_version`.
    node_types = (ast.Module,)

    valid = [
        """
        new_cluster = {
            "spark_version": "15.4.x-scala2.12",
            "node_type_id": "i3.xlarge",
            "num_workers": 2,
            "data_security_mode": "SINGLE_USER",
        }
        """,
        # Not a cluster spec: a version alone, a library record, a config dict.
        """
        versions = {"spark_version": "12.2.x-scala2.12"}
        package = {"name": "pyspark", "spark_version": "3.5", "license": "Apache"}
        """,
        # Built from another mapping: cannot judge what `**base` holds.
        """
        base = load_defaults()
        cluster = {**base, "spark_version": "15.4.x-scala2.12", "num_workers": 4}
        """,
        # The SDK with a mode and a recent runtime; a `create` that is not a cluster's.
        Valid(
            """
            from databricks.sdk.service import compute
            spec = compute.ClusterSpec(
                spark_version="14.3.x-scala2.12",
                num_workers=1,
                data_security_mode=compute.DataSecurityMode.USER_ISOLATION,
            )
            table = catalog.create(name="t")
            """,
            settings=LintSettings(
                enabled_codes=frozenset({"DBX209"}),
                rule_options={"DBX209": {"min-runtime": "14.3"}},
            ),
        ),
    ]
    invalid = [
        Invalid(
            """
            new_cluster = {
                "spark_version": "15.4.x-scala2.12",
                "node_type_id": "i3.xlarge",
                "num_workers": 2,
            }
            """,
            at=[(1, 15)],
        ),
        Invalid(
            """
            from airflow.providers.databricks.operators.databricks import (
                DatabricksSubmitRunOperator,
            )

            run = DatabricksSubmitRunOperator(
                task_id="orders",
                new_cluster={
                    "spark_version": "12.2.x-scala2.12",
                    "num_workers": 2,
                    "data_security_mode": "SINGLE_USER",
                },
            )
            """,
            at=[(8, 26)],
        ),
        Invalid(
            """
            from databricks.sdk import WorkspaceClient
            from databricks.sdk.service.compute import ClusterSpec, DataSecurityMode

            legacy = ClusterSpec(
                spark_version="11.3.x-scala2.12",
                num_workers=1,
                data_security_mode=DataSecurityMode.NONE,
            )
            workspace = WorkspaceClient()
            workspace.clusters.create(spark_version="15.4.x-scala2.12", num_workers=1)
            """,
            at=[(4, 10), (5, 19), (10, 1)],
        ),
        # A `new_cluster` is a cluster spec whatever its keys (here a policy sets the rest).
        Invalid(
            """
            job = {
                "tasks": [
                    {
                        "task_key": "orders",
                        "new_cluster": {"policy_id": "ABC", "num_workers": 2},
                    }
                ]
            }
            """,
            at=[(5, 28)],
        ),
        Invalid(
            """
            cluster = dict(
                spark_version="15.4.x-scala2.12",
                autoscale={"min_workers": 1, "max_workers": 4},
                data_security_mode="LEGACY_SINGLE_USER",
            )
            """,
            at=[(1, 11)],
        ),
        Invalid(
            """
            spec = {"spark_version": "14.3.x-scala2.12", "num_workers": 1, "data_security_mode": "SINGLE_USER"}
            """,
            at=[(1, 26)],
            settings=LintSettings(
                enabled_codes=frozenset({"DBX209"}),
                rule_options={"DBX209": {"min-runtime": "15.4"}},
            ),
        ),
    ]

    def check(self, node: ast.Module, ctx: RuleContext) -> None:
        if "spark_version" in ctx.source or "new_cluster" in ctx.source:
            for found in nodes_of_type(ctx, ast.Dict, ast.Call):
                self._check_spec(found, ctx)

    def _check_spec(self, node: ast.AST, ctx: RuleContext) -> None:
        fields = _fields(node, ctx)
        if fields is None:
            return
        if not _is_new_cluster_value(node, ctx) and not (
            "spark_version" in fields and (_CLUSTER_KEYS & fields.keys() or _is_sdk_spec(node, ctx))
        ):
            return
        mode = fields.get(_MODE)
        if mode is None:
            ctx.report(
                node, "Cluster spec has no `data_security_mode`: it cannot use Unity Catalog"
            )
        else:
            value = _mode_name(mode)
            if value is not None and (value == "NONE" or value.startswith("LEGACY_")):
                ctx.report(
                    node,
                    f"Cluster spec sets `data_security_mode` to `{value}`, which has no Unity "
                    "Catalog access",
                )
        version = fields.get("spark_version")
        text = string_constant(version) if version is not None else None
        found = _RUNTIME.match(text or "")
        minimum = str(ctx.options.get("min-runtime", DEFAULT_MIN_RUNTIME))
        if found and (int(found[1]), int(found[2])) < _version(minimum):
            ctx.report(
                version,
                f"Runtime `{text}` is older than `min-runtime` ({minimum})",
            )


def _fields(node: ast.AST, ctx: RuleContext) -> dict[str, ast.AST] | None:
    """The spec's keys and values; None when it is not a literal spec (or uses `**`)."""
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            return None
        keys = [string_constant(key) for key in node.keys]
        return {key: value for key, value in zip(keys, node.values, strict=True) if key}
    if not isinstance(node, ast.Call) or not node.keywords:
        return None
    if any(keyword.arg is None for keyword in node.keywords):
        return None
    fields = {keyword.arg: keyword.value for keyword in node.keywords}
    if "spark_version" not in fields:
        return None
    func = node.func
    if ctx.semantic.is_builtin(func, "dict") or _is_sdk_spec(node, ctx):
        return fields
    if (
        isinstance(func, ast.Attribute)
        and func.attr in _CLUSTER_METHODS
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "clusters"
    ):
        return fields | {"cluster_name": node}  # the Clusters API: a spec by definition
    return None


def _is_new_cluster_value(node: ast.AST, ctx: RuleContext) -> bool:
    """The value of a `new_cluster=` keyword or a `"new_cluster"` key (Jobs API, Airflow)."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.keyword):
        return parent.arg == "new_cluster"
    if isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values, strict=True):
            if value is node:
                return key is not None and string_constant(key) == "new_cluster"
    return False


def _is_sdk_spec(node: ast.AST, ctx: RuleContext) -> bool:
    return (
        isinstance(node, ast.Call) and ctx.semantic.qualified_name(node.func) in _SDK_CLUSTER_SPECS
    )


def _mode_name(node: ast.AST) -> str | None:
    text = string_constant(node)
    if text is not None:
        return text.upper()
    if isinstance(node, ast.Attribute):
        return node.attr.upper()  # DataSecurityMode.NONE
    return None


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    try:
        return int(major), int(minor or 0)
    except ValueError:
        return _version(DEFAULT_MIN_RUNTIME)
