"""`toolkit new transform|pipeline`: new files, a libcst registry edit, a YAML-aware bundle edit."""

import textwrap

import pytest
import yaml

from skeletons import render_project
from skeletons.additions import find_project, register_pipeline
from skeletons.bundle import check_bundle
from toolkit.cli import main
from toolkit.errors import ToolkitError


@pytest.fixture
def project(tmp_path):
    render_project({"project_name": "Shop"}, tmp_path / "shop")
    return tmp_path / "shop"


def test_new_transform_writes_module_and_test(project, monkeypatch, capsys):
    monkeypatch.chdir(project / "src")  # found from a subfolder
    assert main(["new", "transform", "dedupe_customers", "--layer", "silver"]) == 0
    out = capsys.readouterr().out.split()
    assert out == [
        "src/shop/transforms/dedupe_customers.py",
        "tests/shop/transforms/test_dedupe_customers.py",
    ]
    test = (project / "tests/shop/transforms/test_dedupe_customers.py").read_text()
    assert "from shop.transforms.dedupe_customers import dedupe_customers" in test


def test_new_refuses_to_overwrite(project, capsys):
    args = ["new", "transform", "enrich", "--project", str(project)]
    assert main(args) == 0
    module = project / "src/shop/transforms/enrich.py"
    module.write_text("# mine\n")
    assert main(args) == 2
    assert "refusing to overwrite existing files" in capsys.readouterr().err
    assert module.read_text() == "# mine\n"


def test_new_pipeline_registers_and_adds_a_valid_job(project, bundle_schema):
    registry = project / "src/shop/pipelines/__init__.py"
    registry.write_text(registry.read_text().replace("PIPELINES:", "# the registry\nPIPELINES:"))
    code = main(["new", "pipeline", "customers", "--layer", "gold", "--project", str(project)])
    assert code == 0
    text = registry.read_text()
    assert "from shop.pipelines import bronze, customers, gold, silver\n" in text
    assert '    "gold": gold.run,\n    "customers": customers.run,\n}' in text
    assert "# the registry\nPIPELINES:" in text
    job = yaml.safe_load((project / "resources/customers.job.yml").read_text())
    task = job["resources"]["jobs"]["shop_customers"]["tasks"][0]
    assert task["python_wheel_task"]["parameters"][-1] == "customers"
    assert check_bundle(project, schema=bundle_schema) == []
    pipeline = (project / "src/shop/pipelines/customers.py").read_text()
    assert 'context.tables.read("silver", "orders")' in pipeline


def test_bundle_include_is_extended_keeping_comments(project):
    bundle = project / "databricks.yml"
    text = bundle.read_text().replace(
        "  - resources/*.yml", "  - resources/bronze.job.yml  # first"
    )
    bundle.write_text(text)
    main(["new", "pipeline", "events", "--layer", "bronze", "--project", str(project)])
    after = bundle.read_text()
    assert "  - resources/bronze.job.yml  # first\n  - resources/events.job.yml\n" in after
    assert after.replace("  - resources/events.job.yml\n", "") == text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "from p.pipelines import a\n\nPIPELINES = {'a': a.run}\n",
            "from p.pipelines import a, new\n\nPIPELINES = {'a': a.run, \"new\": new.run}\n",
        ),
        (
            "PIPELINES = {}\n",
            'from p.pipelines import new\nPIPELINES = {"new": new.run}\n',
        ),
        (
            """\
            import sys
            from p.pipelines import z  # keep

            PIPELINES: dict = {
                "z": z.run,  # last
            }
            """,
            """\
            import sys
            from p.pipelines import new, z  # keep

            PIPELINES: dict = {
                "z": z.run,  # last
                "new": new.run,
            }
            """,
        ),
    ],
)
def test_register_pipeline_edits(before, after):
    result = register_pipeline(textwrap.dedent(before), package="p", name="new", path="r.py")
    assert result == textwrap.dedent(after)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("X = 1\n", "no `PIPELINES = {...}` dict"),
        ("PIPELINES = {'new': f}\n", "already has a pipeline named 'new'"),
        ("PIPELINES = {\n", "r.py:.*cannot parse"),
    ],
)
def test_register_pipeline_refuses(source, message):
    with pytest.raises(ToolkitError, match=message):
        register_pipeline(source, package="p", name="new", path="r.py")


def test_outside_a_project(tmp_path):
    with pytest.raises(ToolkitError, match=r"no .toolkit-answers.yml in"):
        find_project(tmp_path)


@pytest.mark.parametrize("name", ["Customers", "class", "run", "2fast", "a-b"])
def test_bad_names_are_refused(project, name, capsys):
    assert main(["new", "pipeline", name, "--project", str(project)]) == 2
    assert "is not allowed: use a lower-case Python identifier" in capsys.readouterr().err


def test_bad_source(project, capsys):
    args = ["new", "pipeline", "x", "--source", "platinum.t", "--project", str(project)]
    assert main(args) == 2
    assert "expected LAYER.TABLE with LAYER one of bronze, silver, gold" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("include", "expected"),
    [
        (
            "include: [resources/bronze.job.yml]\n",
            ["resources/bronze.job.yml", "resources/y.job.yml"],
        ),
        ("", ["resources/y.job.yml"]),
    ],
)
def test_flow_style_or_missing_include_goes_through_the_round_trip(project, include, expected):
    bundle = project / "databricks.yml"
    text = bundle.read_text().replace("include:\n  - resources/*.yml\n", include)
    bundle.write_text(text)
    assert main(["new", "pipeline", "y", "--project", str(project)]) == 0
    after = bundle.read_text()
    assert yaml.safe_load(after)["include"] == expected
    assert after.startswith("# The Databricks Asset Bundle")  # comments kept
    assert "# Everyone's sandbox" in after


def test_a_long_import_is_wrapped_as_ruff_formats_it(tmp_path):
    import subprocess

    from ruff.__main__ import find_ruff_bin

    source = 'from p.pipelines import bronze, gold, silver\n\nPIPELINES = {\n    "bronze": bronze.run,\n}\n'
    for name in ("customers_with_a_long_name", "orders_enriched", "daily_summary", "zeta"):
        source = register_pipeline(source, package="p", name=name, path="r.py")
    assert "from p.pipelines import (\n    bronze,\n    customers_with_a_long_name,\n" in source
    module = tmp_path / "registry.py"
    module.write_text(source)
    check = subprocess.run(
        [find_ruff_bin(), "format", "--check", "--no-cache", "--line-length", "100", str(module)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout


def test_new_transform_with_a_file_where_its_test_folder_goes_writes_nothing(project, capsys):
    tests_folder = project / "tests/shop/transforms"
    for child in tests_folder.iterdir():
        child.unlink()
    tests_folder.rmdir()
    tests_folder.write_text("")
    assert main(["new", "transform", "t9", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "tests/shop/transforms is a file" in err
    assert "Traceback" not in err
    assert not (project / "src/shop/transforms/t9.py").exists()
