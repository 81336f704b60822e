"""The hooks through the real `pre-commit` program, in a throwaway git repository.

The repository under test is a commit of what is on disk in this checkout (tracked and
untracked files, so uncommitted hook changes are tested too), made in a temporary clone.
pre-commit builds the hook environment from it once per session (`PRE_COMMIT_HOME` is shared
by every test here), installing this package and its dependencies from PyPI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.timeout(900)]

CHECKOUT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}
FIXABLE_ONLY = """\
def run(spark):
    df = spark.table("main.sales.orders")
    if df.count() == 0:
        return None
    return df
"""
CLEAN = "def run(spark):\n    return spark.table('main.sales.orders')\n"
SOURCE_NOTEBOOK = """\
# Databricks notebook source
# MAGIC %md
# MAGIC # Daily orders

# COMMAND ----------

df = spark.table("hive_metastore.sales.orders")
"""


def _git(folder: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory, environment) -> tuple[Path, str]:
    """A git repository holding this checkout's files as they are on disk, and its commit."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=CHECKOUT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = CHECKOUT / name
        if source.is_file():  # a tracked file deleted on disk is not part of the snapshot
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(snapshot, "init", "-q", env=environment)
    _git(snapshot, "add", "-A", env=environment)
    _git(snapshot, "commit", "-q", "-m", "snapshot", env=environment)
    commit = _git(snapshot, "rev-parse", "HEAD", env=environment).stdout.strip()
    assert len(commit) == 40
    return snapshot, commit


@pytest.fixture
def repo(tmp_path: Path, hook_repository, environment) -> Path:
    hooks_repo, commit = hook_repository
    _git(tmp_path, "init", "-q", env=environment)
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"""\
repos:
  - repo: {hooks_repo}
    rev: {commit}
    hooks:
      - id: toolkit-lint
      - id: toolkit-config
      - id: toolkit-fix
        stages: [manual]
      - id: toolkit-tests
        stages: [manual]
""",
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text("[tool.toolkit]\n", encoding="utf-8")
    return tmp_path


def pre_commit(repo: Path, environment, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def stage(repo: Path, environment, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(repo, "add", *files, env=environment)
    return list(files)


def test_commit_is_blocked_by_findings_and_passes_when_clean(repo, environment, orders_job):
    assert pre_commit(repo, environment, "install").returncode == 0
    stage(repo, environment, {"jobs/orders.py": orders_job})
    _git(repo, "add", ".pre-commit-config.yaml", "pyproject.toml", env=environment)
    blocked = _git(repo, "commit", "-m", "orders", env=environment)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "toolkit lint" in output and "Failed" in output
    assert "jobs/orders.py:5:26: SPK101 Column compared to `None`" in output
    assert "jobs/orders.py:10:8: SPK205 Counting every row" in output
    assert "jobs/orders.py:12:12: SPK201 `collect()`" in output
    assert "Found 3 problems (2 fixable)." in output
    stage(repo, environment, {"jobs/orders.py": CLEAN})
    passed = _git(repo, "commit", "-m", "orders", env=environment)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    output = passed.stdout + passed.stderr
    assert "toolkit lint" in output and "Passed" in output


def test_fix_hook_rewrites_a_file_fails_once_then_passes(repo, environment):
    files = stage(repo, environment, {"jobs/orders.py": FIXABLE_ONLY})
    first = pre_commit(repo, environment, "run", "--hook-stage", "manual", "toolkit-fix",
                       "--files", *files)  # fmt: skip
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert "if df.isEmpty():" in (repo / "jobs/orders.py").read_text(encoding="utf-8")
    _git(repo, "add", *files, env=environment)
    second = pre_commit(repo, environment, "run", "--hook-stage", "manual", "toolkit-fix",
                        "--files", *files)  # fmt: skip
    assert second.returncode == 0, second.stdout + second.stderr


def test_notebooks_of_both_kinds_are_linted(repo, environment):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Orders"]},
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": ["df = spark.table('main.a.b')\n", "rows = df.collect()"]},
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    files = stage(
        repo,
        environment,
        {"notebooks/daily.py": SOURCE_NOTEBOOK, "notebooks/explore.ipynb": json.dumps(notebook)},
    )
    result = pre_commit(repo, environment, "run", "toolkit-lint", "--files", *files)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "notebooks/daily.py:7:18: DBX108" in result.stdout
    assert "notebooks/explore.ipynb:cell 2:2:8: SPK201" in result.stdout


def test_syntax_error_is_reported_without_hiding_other_findings(repo, environment, orders_job):
    files = stage(repo, environment, {"a/broken.py": "def f(:\n", "a/orders.py": orders_job})
    result = pre_commit(repo, environment, "run", "toolkit-lint", "--files", *files)
    assert result.returncode == 1
    assert "a/broken.py:1:7: TK001 SyntaxError" in result.stdout
    assert "a/orders.py:10:8: SPK205" in result.stdout
    clean = stage(repo, environment, {"a/clean.py": CLEAN})
    assert pre_commit(repo, environment, "run", "toolkit-lint", "--files", *clean).returncode == 0


def test_bad_config_fails_the_config_hook_naming_file_line_and_field(repo, environment):
    config = repo / "config"
    shutil.copytree(CHECKOUT / "demo" / "example" / "config", config)
    _git(repo, "add", "config", env=environment)
    good = ["config/project.yaml", "config/dev.yaml"]
    assert pre_commit(repo, environment, "run", "toolkit-config", "--files", *good).returncode == 0
    bad = "catalog:\n  name: dev_analytics\nretry:\n  max_attempts: lots\n"
    stage(repo, environment, {"config/dev.yaml": bad})
    result = pre_commit(repo, environment, "run", "toolkit-config", "--files", *good)
    assert result.returncode == 1
    assert "config/dev.yaml:4:3: retry.max_attempts: got 'lots'" in result.stdout
    # Only config files trigger the hook.
    other = stage(repo, environment, {"jobs/clean.py": CLEAN})
    skipped = pre_commit(repo, environment, "run", "toolkit-config", "--files", *other)
    assert "(no files to check)Skipped" in skipped.stdout


def test_tests_hook_reports_a_transform_no_test_names(repo, environment):
    (repo / "pyproject.toml").write_text('[tool.toolkit]\nsrc = ["src"]\n', encoding="utf-8")
    transform = (
        "from pyspark.sql import DataFrame, functions as F\n\n\n"
        "def paid_orders(orders: DataFrame) -> DataFrame:\n"
        '    return orders.filter(F.col("amount") > 0)\n'
    )
    files = stage(
        repo,
        environment,
        {"src/shop/orders.py": transform, "tests/test_other.py": "def test_x():\n    pass\n"},
    )
    args = ["run", "--hook-stage", "manual", "toolkit-tests", "--files", *files]
    result = pre_commit(repo, environment, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "src/shop/orders.py:4:1: TST001" in result.stdout
    stage(repo, environment, {"tests/test_orders.py": "from shop.orders import paid_orders\n"})
    assert pre_commit(repo, environment, *args).returncode == 0
