"""`toolkit mcp` project tools over stdio: scaffold_project (answers in, tree out, every bad
answer reported), new_transform, new_pipeline, validate_config, the config resource, and the
server's own folder as the workspace when the client declares no roots."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

import pytest
from mcp_helpers import Session, open_session

ANSWERS = {"project_name": "Shop Insights", "owner": "data@example.com", "compute": "classic"}


@pytest.fixture(scope="module")
def project(session: Session, workspace: Path) -> Path:
    result = session.ok("scaffold_project", {"answers": ANSWERS, "output_dir": "projects"})
    return Path(result["project_dir"])


def test_scaffold_reports_every_bad_answer_and_writes_nothing(
    session: Session, workspace: Path
) -> None:
    answers = {
        "project_name": "9lives",
        "cloud": "mars",
        "colud": "aws",
        "include_samples": "maybe",
    }
    message = session.error("scaffold_project", {"answers": answers, "output_dir": "bad"})
    assert message.count("answers.") == 4, message
    assert "answers.cloud = 'mars': must be one of: aws, azure, gcp" in message
    assert "answers.colud = 'aws': unknown answer key; did you mean 'cloud'?" in message
    assert "answers.include_samples = 'maybe'" in message
    assert "answers.project_name = '9lives'" in message
    assert not (workspace / "bad").exists()
    assert "answers" in session.error("scaffold_project", {})


def test_scaffold_creates_the_tree(session: Session, workspace: Path, project: Path) -> None:
    assert project == workspace / "projects" / "shop-insights"
    assert (project / "src/shop_insights/pipelines/__init__.py").is_file()
    assert 'compute = "shared"' in (project / "pyproject.toml").read_text()
    preview = session.ok("scaffold_project", {"answers": ANSWERS, "dry_run": True})
    assert preview["written"] is False and not (workspace / "shop-insights").exists()
    assert "config/dev.yaml" in preview["files"] and "pyproject.toml" in preview["files"]
    assert preview["answers"]["package_name"] == "shop_insights"
    again = session.error("scaffold_project", {"answers": ANSWERS, "output_dir": "projects"})
    assert "already exists and is not empty" in again and "pass force=true to add" in again
    outside = session.error("scaffold_project", {"answers": ANSWERS, "output_dir": "/tmp"})
    assert "output_dir: /tmp is outside the workspace roots" in outside


def test_new_transform_and_pipeline(session: Session, project: Path) -> None:
    where = str(project.relative_to(project.parents[1]))  # projects/shop-insights
    created = session.ok("new_transform", {"name": "dedupe_orders", "project": where})
    assert created["files"] == [
        "src/shop_insights/transforms/dedupe_orders.py",
        "tests/shop_insights/transforms/test_dedupe_orders.py",
    ]
    assert (project / created["files"][0]).is_file()
    assert "refusing to overwrite" in session.error(
        "new_transform", {"name": "dedupe_orders", "project": where}
    )
    assert "not allowed" in session.error("new_transform", {"name": "Bad-Name", "project": where})
    assert "layer" in session.error("new_transform", {"name": "x1", "layer": "platinum"})

    pipeline = session.ok(
        "new_pipeline",
        {"name": "returns", "layer": "gold", "source": "silver.orders", "project": where},
    )
    assert "resources/returns.job.yml" in pipeline["files"]
    assert "src/shop_insights/pipelines/__init__.py" in pipeline["files"]
    registry = (project / "src/shop_insights/pipelines/__init__.py").read_text()
    assert "returns" in registry
    bad_source = session.error("new_pipeline", {"name": "refunds", "source": "x", "project": where})
    assert "expected LAYER.TABLE" in bad_source
    # No project in the workspace root itself: found by walking up, and there is none.
    no_project = session.error("new_transform", {"name": "enrich"})
    assert ".toolkit-answers.yml" in no_project and "or pass `project`" in no_project


def test_validate_config(session: Session, project: Path) -> None:
    where = str(project.relative_to(project.parents[1]))
    valid = session.ok("validate_config", {"config_dir": where})
    assert valid["valid"] is True and valid["problems"] == []
    assert valid["environments"] == ["dev", "lab", "local", "prod"]
    dev = project / "config" / "dev.yaml"
    original = dev.read_text()
    dev.write_text(original + "spark:\n  app_name: [not, a, name]\n")
    try:
        broken = session.ok("validate_config", {"config_dir": where + "/config"})
    finally:
        dev.write_text(original)
    assert broken["valid"] is False
    [problem] = broken["problems"]
    assert problem["file"].endswith("dev.yaml") and problem["field"] == "spark.app_name"
    assert problem["line"] == original.count("\n") + 2
    assert "no project config found" in session.error("validate_config", {})


def test_without_client_roots_the_working_folder_is_the_workspace(
    project: Path, outside: Path
) -> None:
    with ExitStack() as stack:
        bare = open_session(stack, cwd=project, roots=None)
        result = bare.ok("validate_config", {})
        assert result["config_dir"] == str(project / "config")
        created = bare.ok("new_transform", {"name": "enrich_customers", "layer": "gold"})
        assert created["project_dir"] == str(project)
        refused = bare.error("lint", {"path": str(outside)})
        assert f"is outside the server's folders ({project})" in refused
        config = json.loads(bare.read("toolkit://config"))
        assert config["env"] == "local" and config["config"]["catalog"]["name"]
        prod = json.loads(bare.read("toolkit://config/prod"))
        assert prod["env"] == "prod"
        settings = json.loads(bare.read("toolkit://settings"))
        assert settings["compute"] == "shared"


def test_root_option_bounds_a_client_without_roots(project: Path, outside: Path) -> None:
    with ExitStack() as stack:
        bare = open_session(stack, cwd=outside, roots=None, args=("--root", str(project)))
        assert bare.ok("lint", {"path": "src"})["files"] >= 1
        assert "is outside" in bare.error("lint", {"path": str(outside / "secret.py")})


def test_roots_on_the_handshake_era_protocol(workspace: Path, outside: Path) -> None:
    with ExitStack() as stack:
        legacy = open_session(stack, cwd=outside, roots=(workspace,), mode="legacy")
        assert legacy.client.protocol_version == "2025-11-25"
        assert legacy.ok("lint", {"path": "jobs/customers.py"})["files"] == 1
        assert "outside the workspace roots" in legacy.error("lint", {"path": str(outside)})
