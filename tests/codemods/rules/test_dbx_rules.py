"""Databricks rules beyond their in-class examples: the semantic facts they rely on, project
config (DBX207), notebook structure (DBX204, DBX208) and settings (DBX1xx on dedicated)."""

from __future__ import annotations

import ast

from codemods.engine import LintSettings, lint
from codemods.engine.semantic import SemanticModel


def _codes(source: str, path: str = "job.py", **settings) -> list[str]:
    return [d.code for d in lint(source, path, LintSettings(**settings))]


def test_dbutils_imported_from_the_sdk_runtime_is_dbutils() -> None:
    tree = ast.parse("from databricks.sdk.runtime import dbutils\ndbutils.fs.ls('/')\n")
    model = SemanticModel(tree)
    receiver = tree.body[1].value.func.value.value
    assert model.kind_of(receiver) == "dbutils"


def test_dbx1xx_rules_run_on_shared_compute_and_stay_on_when_selected_on_dedicated(
    tmp_path,
) -> None:
    from codemods.rules import all_rules
    from codemods.settings import resolve_settings

    source = "ids = spark.table('t').rdd.collect()\n"
    registry = tuple((rule.code, rule.opt_in) for rule in all_rules())
    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\ncompute = "dedicated"\n')
    job = tmp_path / "job.py"
    dedicated = resolve_settings(tmp_path)
    assert "DBX102" not in _found(source, job, dedicated, registry)
    selected = resolve_settings(tmp_path, extend_select=["DBX102"])
    assert "DBX102" in _found(source, job, selected, registry)
    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\ncompute = "shared"\n')
    assert "DBX102" in _found(source, job, resolve_settings(tmp_path), registry)


def _found(source, path, settings, registry) -> list[str]:
    return [
        d.code for d in lint(source, str(path), settings.lint_settings_for(path, source, registry))
    ]
