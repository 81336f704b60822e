"""`check_bundle` finds what the schema finds and what it cannot."""

import pytest

from skeletons import project_files
from skeletons.bundle import check_bundle
from skeletons.render import write_files


@pytest.fixture
def project(tmp_path):
    write_files(project_files({"project_name": "Bundle Check"}), tmp_path / "p")
    return tmp_path / "p"


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def messages(problems):
    return [f"{p.field}: {p.message}" for p in problems]


def test_a_bad_mode_and_two_defaults(project):
    _edit(project / "databricks.yml", "mode: production", "mode: prod\n    default: true")
    found = messages(check_bundle(project))
    assert "targets.prod.mode: 'prod' is not one of ('development', 'production')" in found
    assert "targets: more than one default target: ['lab', 'prod']" in found


def test_an_undeclared_variable(project):
    _edit(project / "resources/silver.job.yml", "${bundle.target}", "${var.environment}")
    found = check_bundle(project)
    assert [(p.path.name, p.message) for p in found] == [
        ("silver.job.yml", "${var.environment} is not declared")
    ]


def test_an_include_that_matches_nothing(project):
    _edit(project / "databricks.yml", "resources/*.yml", "jobs/*.yml")
    assert "include[0]: 'jobs/*.yml' matches no file" in messages(check_bundle(project))


def test_the_schema_rejects_an_unknown_task_field(project, bundle_schema):
    _edit(project / "resources/gold.job.yml", "python_wheel_task:", "python_wheel_tasks:")
    found = check_bundle(project, schema=bundle_schema)
    assert found and all(p.path.name == "gold.job.yml" for p in found)
    assert any("python_wheel_tasks" in p.message for p in found)


def test_the_schema_accepts_interpolations_with_unicode_classes(project, bundle_schema):
    # `${resources.jobs.x.id}` in place of an integer matches only through a \p{L} pattern.
    assert check_bundle(project, schema=bundle_schema) == []
