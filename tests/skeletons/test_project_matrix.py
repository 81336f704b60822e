"""Every combination of the answers that changes files renders a valid project (no Spark)."""

import ast
import itertools
import json

import pytest
import yaml

from skeletons import project_files, render_project
from skeletons.bundle import check_bundle
from toolkit.config import validate_config_dir

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

MATRIX = list(itertools.product(("serverless", "classic"), (True, False), ("github", "none")))


@pytest.mark.parametrize(("compute", "samples", "ci"), MATRIX)
def test_project_renders_valid_for(tmp_path, bundle_schema, compute, samples, ci):
    answers = {
        "project_name": "Sales Forecast",
        "compute": compute,
        "include_samples": samples,
        "ci": ci,
        "cloud": "azure",
        "owner": "ana@example.com",
    }
    created = render_project(answers, tmp_path / "sales-forecast")
    root = tmp_path / "sales-forecast"
    names = {path.relative_to(root).as_posix() for path in created}

    assert check_bundle(root, schema=bundle_schema) == []
    assert validate_config_dir(root / "config") == []
    assert (".github/workflows/ci.yml" in names) is (ci == "github")
    assert ("data/samples/orders/orders-2026-03.csv" in names) is samples
    assert ("tests/sales_forecast/pipelines/test_medallion.py" in names) is samples

    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    expected_compute = "serverless" if compute == "serverless" else "shared"
    assert pyproject["tool"]["toolkit"]["compute"] == expected_compute
    job = yaml.safe_load((root / "resources/silver.job.yml").read_text())
    job = job["resources"]["jobs"]["sales_forecast_silver"]
    if compute == "serverless":
        assert job["environments"][0]["spec"]["dependencies"] == ["../dist/*.whl"]
        assert "job_clusters" not in job
    else:
        cluster = job["job_clusters"][0]["new_cluster"]
        assert cluster["node_type_id"].startswith("Standard_")  # azure
        assert cluster["data_security_mode"] == "USER_ISOLATION"
    local = yaml.safe_load((root / "config/local.yaml").read_text())
    assert local["volumes"]["landing"] == ("data/samples" if samples else "data/landing")


def test_every_file_parses_as_what_it_is():
    files = project_files({"project_name": "Parse Check"})
    for path, text in files.items():
        if path.suffix == ".py":
            ast.parse(text, filename=str(path))
        elif path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".toml":
            tomllib.loads(text)
        assert "{{" not in text and "{%" not in text, f"{path}: unrendered template text"


def test_bundle_targets_and_modes():
    files = project_files({"project_name": "Modes", "catalog_prod": "analytics"})
    bundle = yaml.safe_load(files[next(p for p in files if p.name == "databricks.yml")])
    targets = bundle["targets"]
    assert {name: t["mode"] for name, t in targets.items()} == {
        "lab": "development",
        "dev": "development",
        "prod": "production",
    }
    assert [name for name, t in targets.items() if t.get("default")] == ["lab"]
    assert targets["prod"]["variables"]["catalog"] == "analytics"
    assert targets["prod"]["permissions"] == [
        {"group_name": "data-engineering", "level": "CAN_MANAGE"}
    ]


def test_generated_tooling_config():
    files = {p.as_posix(): t for p, t in project_files({"project_name": "Tooling"}).items()}
    ruff = tomllib.loads(files["pyproject.toml"])["tool"]["ruff"]
    assert ruff["lint"]["external"] == ["SPK", "DBX", "TST"]
    assert "ERA001" in ruff["lint"]["select"]
    assert tomllib.loads(files["pyproject.toml"])["project"]["dependencies"][0].startswith(
        "dataeng-toolkit"
    )
    hooks = yaml.safe_load(files[".pre-commit-config.yaml"])["repos"]
    assert [repo["repo"] for repo in hooks] == ["local"]
    entries = {hook["id"]: hook for hook in hooks[0]["hooks"]}
    assert {hook["language"] for hook in entries.values()} == {"system"}
    assert [h["entry"].split(" --")[0] for h in entries.values()] == [
        "ruff check",
        "ruff format",
        "toolkit-fix",
        "toolkit-lint",
        "toolkit-config",
    ]
    workflow = files[".github/workflows/ci.yml"]
    assert "toolkit lint --format github" in workflow and "pytest" in workflow
    answers = yaml.safe_load(files[".toolkit-answers.yml"])
    assert answers["answers"]["package_name"] == "tooling"
    assert answers["toolkit_version"]


def test_dashboard_reads_the_gold_table():
    files = {p.as_posix(): t for p, t in project_files({"project_name": "Dash"}).items()}
    dashboard = json.loads(files["dashboards/daily_revenue.lvdash.json"])
    query = "".join(dashboard["datasets"][0]["queryLines"])
    assert "FROM daily_revenue" in query
    resource = yaml.safe_load(files["resources/daily_revenue.dashboard.yml"])
    spec = resource["resources"]["dashboards"]["dash_daily_revenue"]
    assert spec["dataset_schema"] == "dash_gold"
    assert spec["dataset_catalog"] == "${var.catalog}"
    widgets = [item["widget"] for item in dashboard["pages"][0]["layout"]]
    datasets = {q["query"]["datasetName"] for w in widgets for q in w["queries"]}
    assert datasets == {"daily_revenue"}


@pytest.mark.parametrize("python_version", ["3.10", "3.11", "3.12"])
def test_ruff_is_clean_for_every_python_version(tmp_path, python_version):
    import subprocess

    from ruff.__main__ import find_ruff_bin

    root = tmp_path / "p"
    render_project({"project_name": "Ruff Check", "python_version": python_version}, root)
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [find_ruff_bin(), *args, "--no-cache"], cwd=root, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
