"""A scaffolded project, end to end: its own tests, its pipelines, its linters and its hooks.

The project is created with the defaults, grown with `toolkit new`, and then driven through
the programs its users run: pytest, the `<package>` pipeline command, ruff, `toolkit lint`,
`toolkit config validate` and `pre-commit run --all-files`. The project is installed for real
next to the local toolkit without touching the shared venv: `pip install --no-deps --target`
builds its wheel into a folder that goes on PYTHONPATH, with the wheel's console script on PATH.
Its tests and pipelines run against that installed copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skeletons.bundle import check_bundle
from toolkit.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

PACKAGE = "e2e_shop"
VENV_BIN = Path(sys.executable).parent


def _bundle_schema() -> dict | None:
    folder = os.environ.get("TOOLKIT_TEST_DATA")
    candidates = [Path(folder)] if folder else []
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "data")
    for candidate in candidates:
        if (candidate / "bundle-schema.json").is_file():
            return json.loads((candidate / "bundle-schema.json").read_text(encoding="utf-8"))
    return None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("scaffolded")
    assert main(["scaffold", "E2E Shop", "--no-input", "-o", str(parent)]) == 0
    root = parent / "e2e-shop"
    grow = [
        ["new", "pipeline", "customer_summary", "--layer", "gold", "--source", "silver.orders"],
        ["new", "transform", "normalise_names", "--layer", "silver"],
    ]
    for args in grow:
        assert main([*args, "--project", str(root)]) == 0
    return root


@pytest.fixture(scope="module")
def site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel built and installed into a folder of its own."""
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(project)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, _explain(result)
    assert (target / "bin" / PACKAGE).is_file(), "the wheel installed no console script"
    return target


def _environment(root: Path, site: Path | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TOOLKIT_") or key == "TOOLKIT_TEST_DATA"
    }
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(root / "src")
    if site is not None:
        env["PATH"] = f"{site / 'bin'}{os.pathsep}{env['PATH']}"
        env["PYTHONPATH"] = str(site)
    env.pop("PYTEST_ADDOPTS", None)
    return env


def run(
    args: list[str], root: Path, *, site: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=root,
        env=_environment(root, site),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _explain(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def test_the_installed_package_is_the_one_imported(project: Path, site: Path) -> None:
    result = run([sys.executable, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"],
                 project, site=site)  # fmt: skip
    assert result.returncode == 0, _explain(result)
    assert Path(result.stdout.strip()).is_relative_to(site), _explain(result)


def test_its_own_tests_pass(project: Path, site: Path) -> None:
    # `-o pythonpath=`: the project's pytest settings put src/ first; test the installed copy.
    pytest_args = ["-q", "-p", "no:cacheprovider", "-o", "pythonpath="]
    result = run([sys.executable, "-m", "pytest", *pytest_args], project, site=site)
    assert result.returncode == 0, _explain(result)
    # 3 transform modules + the medallion run + the added pipeline, transform and its test
    assert "8 passed" in result.stdout, _explain(result)


def test_pipelines_run_locally_on_the_sample_data(project: Path, site: Path) -> None:
    script = shutil.which(PACKAGE, path=_environment(project, site)["PATH"])
    assert script == str(site / "bin" / PACKAGE)  # the installed console script, found on PATH
    command = [PACKAGE, "--env", "local", "bronze", "silver", "gold", "customer_summary"]
    result = run(command, project, site=site)
    assert result.returncode == 0, _explain(result)
    lake = project / "data" / "lake" / "local"
    for table in (
        "e2e_shop_bronze/orders",
        "e2e_shop_silver/orders",
        "e2e_shop_silver/orders_quarantine",
        "e2e_shop_gold/daily_revenue",
        "e2e_shop_gold/customer_summary",
    ):
        assert list((lake / table).glob("*.parquet")), f"no Parquet files in {table}"
    metrics = [line for line in result.stderr.splitlines() if "event=metrics" in line]
    assert len(metrics) == 4, _explain(result)
    assert '"rows_quarantined": 3' in result.stderr


def test_ruff_finds_nothing(project: Path) -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        result = run([str(VENV_BIN / "ruff"), *args, "--no-cache"], project)
        assert result.returncode == 0, _explain(result)


def test_toolkit_lint_reports_nothing(project: Path) -> None:
    result = run([str(VENV_BIN / "toolkit"), "lint", "."], project)
    assert result.returncode == 0, _explain(result)


def test_config_validates(project: Path) -> None:
    result = run([str(VENV_BIN / "toolkit"), "config", "validate"], project)
    assert result.returncode == 0, _explain(result)


def test_bundle_is_valid_against_the_schema(project: Path) -> None:
    schema = _bundle_schema()
    if schema is None and os.environ.get("CI"):
        pytest.fail("bundle-schema.json not found: set TOOLKIT_TEST_DATA")
    if schema is None:
        pytest.skip("bundle-schema.json not found (TOOLKIT_TEST_DATA is not set)")
    assert check_bundle(project, schema=schema) == []


def test_pre_commit_passes_on_a_fresh_repository(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("lake", "__pycache__"))
    for args in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
    ):
        assert run(args, copy).returncode == 0
    env = {**_environment(copy), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def pre_commit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(VENV_BIN / "pre-commit"), "run", *args, "--all-files"],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    result = pre_commit("--show-diff-on-failure")
    assert result.returncode == 0, _explain(result)
    for hook in ("ruff (lint)", "ruff (format)", "toolkit fix", "toolkit lint", "toolkit config"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(hook))
        assert line.endswith("Passed"), line  # run on files, not skipped

    # The config hook really looks at config/: a misspelt key fails it with file and line.
    dev = copy / "config" / "dev.yaml"
    dev.write_text(dev.read_text() + "retries: 3\n")
    assert run(["git", "add", "config/dev.yaml"], copy).returncode == 0
    result = pre_commit("toolkit-config")
    assert result.returncode == 1, _explain(result)
    assert "dev.yaml" in result.stdout and "retries" in result.stdout, _explain(result)
