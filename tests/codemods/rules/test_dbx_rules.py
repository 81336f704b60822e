"""Databricks rules beyond their in-class examples: the semantic facts they rely on, project
config (DBX207), notebook structure (DBX204, DBX208) and settings (DBX1xx on dedicated)."""

from __future__ import annotations

import ast

import pytest

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


def test_hardcoded_table_name_uses_the_resolvers_config_dir(tmp_path, write_shop_config) -> None:
    from codemods.engine import fix
    from codemods.rules import all_rules
    from codemods.settings import resolve_settings

    write_shop_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.toolkit]\nselect = ["DBX207"]\n')
    job = tmp_path / "jobs" / "orders.py"
    source = 'orders = spark.table("dev_shop.sales_bronze.orders")\n'
    registry = tuple((rule.code, rule.opt_in) for rule in all_rules())
    settings = resolve_settings(tmp_path).lint_settings_for(job, source, registry)
    found = lint(source, str(job), settings)
    assert [(d.code, d.start.line, d.start.column) for d in found] == [("DBX207", 1, 22)]
    fixed = fix(source, str(job), settings, unsafe=True).source
    assert fixed == (
        "from toolkit.config import load_config\n"
        'orders = spark.table(load_config().catalog.get_table_name("bronze", "orders"))\n'
    )


def _fixed(source: str, code: str, path: str = "src/shop/jobs.py") -> str:
    from codemods.engine import fix

    settings = LintSettings(enabled_codes=frozenset({code}), library_module=True)
    return fix(source, path, settings, unsafe=True).source


def test_added_imports_go_after_the_docstring_or_at_the_top() -> None:
    docstring_only = '"""Jobs."""\ndef run():\n    print("x")\n'
    assert _fixed(docstring_only, "DBX206") == (
        '"""Jobs."""\nfrom toolkit.logging import get_logger\n\nlogger = get_logger(__name__)\n'
        'def run():\n    logger.info("x")\n'
    )
    no_imports = "def run():\n    print('x')\n"
    assert _fixed(no_imports, "DBX206") == (
        "from toolkit.logging import get_logger\n\nlogger = get_logger(__name__)\n"
        "def run():\n    logger.info('x')\n"
    )
    # The last import is the file's last line, without a newline after it.
    last_line = "from pyspark.sql.functions import input_file_name\ncolumn = input_file_name()"
    assert _fixed(last_line, "DBX105") == (
        "from pyspark.sql.functions import input_file_name\nfrom pyspark.sql.functions import "
        'col\ncolumn = col("_metadata.file_path")'
    )


def test_two_prints_share_one_new_logger() -> None:
    source = "import os\n\n\ndef run():\n    print('a')\n    print('b', os.sep)\n"
    assert _fixed(source, "DBX206") == (
        "import os\nfrom toolkit.logging import get_logger\n\nlogger = get_logger(__name__)\n"
        "\n\ndef run():\n    logger.info('a')\n    logger.info(\"%s %s\", 'b', os.sep)\n"
    )


def test_a_print_is_left_alone_when_logger_names_something_else() -> None:
    source = "logger = object()\n\n\ndef run():\n    print('a')\n"
    found = lint(source, "src/jobs.py", LintSettings(enabled_codes=frozenset({"DBX206"})))
    assert [d.code for d in found] == ["DBX206"] and found[0].fix is None


def test_notebook_rules_through_the_lint_command(tmp_path, write_shop_config) -> None:
    """The real `toolkit lint`: a source notebook's `%run` and cell count, a library module's
    rules, and the project's config read for DBX207."""
    import subprocess
    import sys

    write_shop_config(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolkit]\nsrc = ["src"]\nmax-cells = 2\nselect = ["DBX"]\n'
    )
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "daily.py").write_text(
        "# Databricks notebook source\n# MAGIC %run ./helpers\n\n# COMMAND ----------\n\n"
        "x = 1\n\n# COMMAND ----------\n\nprint(x)\n"
    )
    (tmp_path / "src" / "shop").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "orders.py").write_text(
        "def load():\n    print('x')\n    return spark.table('dev_shop.sales_bronze.orders')\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "lint", "--format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    import json

    found = {
        (item["path"], item["code"], item["start"]["line"]) for item in json.loads(result.stdout)
    }
    assert found == {
        ("notebooks/daily.py", "DBX208", 1),
        ("notebooks/daily.py", "DBX204", 2),
        ("src/shop/orders.py", "DBX206", 2),
        ("src/shop/orders.py", "DBX203", 3),
        ("src/shop/orders.py", "DBX207", 3),
    }


def test_jupyter_notebook_run_cells_and_cell_count_through_the_lint_command(tmp_path) -> None:
    """`.ipynb`: the runner hands the notebook's view to the rules, so `%run` cells, the cell
    count and the paths and tables of `%%sql` and `%fs` cells are seen although the engine
    lints only the code cells' Python."""
    import json
    import subprocess
    import sys

    import nbformat

    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolkit]\nmax-cells = 3\nselect = ["DBX204", "DBX208", "DBX106", "DBX108"]\n'
    )
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("%run ./helpers"),
        nbformat.v4.new_markdown_cell("# Orders"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("y = dbutils.notebook.run('./next', 60)"),
        nbformat.v4.new_code_cell("%%sql\nSELECT *\nFROM hive_metastore.sales.orders"),
        nbformat.v4.new_code_cell("%fs ls dbfs:/mnt/raw"),
    ]
    nbformat.write(notebook, tmp_path / "explore.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "lint", "--format", "json", "explore.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    found = [
        (item["code"], item["cell"], item["start"]["line"], item["start"]["column"])
        for item in json.loads(result.stdout)
    ]
    assert sorted(found) == [
        ("DBX106", 6, 1, 8),
        ("DBX108", 5, 3, 6),
        ("DBX204", 1, 1, 1),
        ("DBX204", 4, 1, 5),
        ("DBX208", 1, 1, 1),
    ]


@pytest.mark.slow
def test_input_file_name_fix_gives_each_rows_file_on_a_real_read(spark, tmp_path) -> None:
    """The DBX105 fix on a local session: `_metadata.file_path` names the file each row came
    from, as `input_file_name()` did (as a `file:` URI)."""
    (tmp_path / "a.json").write_text('{"id": 1}\n')
    (tmp_path / "b.json").write_text('{"id": 2}\n')
    source = (
        "from pyspark.sql import functions as F\n"
        f"raw = spark.read.json({str(tmp_path)!r})\n"
        'rows = raw.withColumn("source", F.input_file_name()).orderBy("id").collect()\n'
    )
    fixed = _fixed_module(source, "DBX105")
    assert 'F.col("_metadata.file_path")' in fixed
    before, after = _run(source, spark)["rows"], _run(fixed, spark)["rows"]
    assert [row.source.rsplit("/", 1)[-1] for row in after] == ["a.json", "b.json"]

    # Same files, but the URI may be spelled differently (`file:/tmp/a.json` before,
    # `file:///tmp/a.json` after): one reason the fix is unsafe.
    def path_of(uri: str) -> str:
        return "/" + uri.removeprefix("file:").lstrip("/")

    assert [path_of(row.source) for row in after] == [path_of(row.source) for row in before]


def test_hardcoded_table_name_fix_resolves_to_the_same_name_per_environment(
    tmp_path, monkeypatch, write_shop_config
) -> None:
    """The DBX207 fix, run: in dev it names the table the literal named; in prod, prod's."""
    from codemods.engine import fix
    from codemods.engine.project import project_index
    from toolkit.config import ConfigLoader

    write_shop_config(tmp_path)
    (tmp_path / "config" / "prod.yaml").write_text("catalog:\n  name: prod_shop\n")
    settings = LintSettings(
        enabled_codes=frozenset({"DBX207"}),
        rule_options={"DBX207": {"project-index": project_index(tmp_path / "config")}},
    )
    source = 'name = str("dev_shop.sales_bronze.orders")\n'
    fixed = fix(source, "jobs/orders.py", settings, unsafe=True).source
    monkeypatch.setenv("TOOLKIT_CONFIG_DIR", str(tmp_path / "config"))
    ConfigLoader.clear_cache()
    for env, expected in (
        ("dev", "dev_shop.sales_bronze.orders"),
        ("prod", "prod_shop.sales_bronze.orders"),
    ):
        monkeypatch.setenv("TOOLKIT_ENV", env)
        namespace: dict = {}
        exec(compile(fixed, "jobs/orders.py", "exec"), namespace)
        assert namespace["name"] == expected


def _fixed_module(source: str, code: str) -> str:
    from codemods.engine import fix

    result = fix(source, "job.py", LintSettings(enabled_codes=frozenset({code})), unsafe=True)
    assert result.changed, f"{code} offered no fix"
    return result.source


def _run(source: str, spark) -> dict:
    namespace: dict = {"spark": spark}
    exec(compile(source, "job.py", "exec"), namespace)
    return namespace


def test_print_fix_logs_the_same_text_as_a_json_line(capfd) -> None:
    import json

    source = "def clean(columns):\n    print('cleaning', columns)\n    return columns\n"
    fixed = _fixed(source, "DBX206", path="src/shop/clean.py")
    namespace: dict = {"__name__": "shop.clean"}
    exec(compile(source, "clean.py", "exec"), namespace)
    namespace["clean"](["a", "b"])
    printed = capfd.readouterr().out.strip()
    exec(compile(fixed, "clean.py", "exec"), namespace)
    namespace["clean"](["a", "b"])
    captured = capfd.readouterr()
    record = json.loads((captured.err or captured.out).strip().splitlines()[-1])
    assert record["message"] == printed == "cleaning ['a', 'b']"
    assert record["level"] == "INFO" and record["logger"] == "shop.clean"


# Peers' own positive cases (ucx's spark-connect samples, the Databricks pylint plugin's
# checks), rewritten here: every line they flag, these rules flag too.
PEER_POSITIVES = [
    ("df = spark.createDataFrame([])\ndf.rdd.mapPartitions(f)\n", {(2, "DBX102")}),
    ("rdd1 = sc.parallelize([1, 2, 3])\n", {(1, "DBX102")}),
    ("rdd2 = spark.createDataFrame(sc.emptyRDD(), schema)\n", {(1, "DBX102")}),
    ('sc.setLogLevel("INFO")\n', {(1, "DBX104")}),
    ("log4j_logger = sc._jvm.org.apache.log4j\n", {(1, "DBX104")}),
    ('sc._jvm.org.apache.log4j.LogManager.getLogger(__name__).info("x")\n', {(1, "DBX104")}),
    ("conf = sc.getConf()\n", {(1, "DBX103")}),
    (
        "notebook = dbutils.notebook.entry_point.getDbutils().notebook()\n"
        "notebook.getContext().toJson()\n",
        {(1, "DBX109"), (2, "DBX109")},
    ),
    ('dbutils.fs.mount("s3a://bucket", "/mnt/bucket")\n', {(1, "DBX107"), (1, "DBX106")}),
    ("dbutils.credentials.showRoles()\n", {(1, "DBX109")}),
    ('dbutils.notebook.run("./other", 60)\n', {(1, "DBX204")}),
    ("import databricks_cli.sdk\nfrom dbruntime import context\n", {(1, "DBX109"), (2, "DBX109")}),
    ('token = "dapi0123456789abcdef0123456789abcdef"\n', {(1, "DBX201")}),
    ('orders = spark.table("hive_metastore.sales.orders")\n', {(1, "DBX108")}),
    ('raw = spark.read.csv("dbfs:/FileStore/raw.csv")\n', {(1, "DBX106")}),
    (
        "from airflow.providers.databricks.operators.databricks import "
        "DatabricksSubmitRunOperator\n"
        "run = DatabricksSubmitRunOperator(\n"
        '    task_id="t", new_cluster={"spark_version": "10.4.x-scala2.12", "num_workers": 1}\n'
        ")\n",
        {(3, "DBX209")},
    ),
]

# What the peers also report, wrongly: a `"dosage"` is not a token, `show()` of a plot is
# not a DataFrame, documentation is not code, a dictionary is not a SparkContext, boto3 is
# not incompatible with Unity Catalog.
PEER_FALSE_POSITIVES = [
    'unit = "dosage"\n',
    "import matplotlib.pyplot as plt\nplt.figure().show()\n",
    'def migrate():\n    """Moves dbfs:/mnt/x and hive_metastore.a.b to volumes."""\n',
    "def run(sc: dict):\n    sc.setLogLevel = 1\n    return sc.textFile\n",
    "import boto3\nclient = boto3.client('s3')\n",
]


@pytest.mark.parametrize(("source", "expected"), PEER_POSITIVES)
def test_peer_positive_cases_are_found(source: str, expected: set[tuple[int, str]]) -> None:
    from codemods.rules import rules_matching

    codes = frozenset(rule.code for rule in rules_matching("DBX")) - {"DBX101"}
    found = lint(source, "src/jobs.py", LintSettings(enabled_codes=codes, library_module=True))
    assert expected <= {(d.start.line, d.code) for d in found}


@pytest.mark.parametrize("source", PEER_FALSE_POSITIVES)
def test_peer_false_positives_stay_silent(source: str) -> None:
    from codemods.rules import rules_matching

    codes = frozenset(rule.code for rule in rules_matching("DBX"))
    found = lint(source, "src/jobs.py", LintSettings(enabled_codes=codes, library_module=True))
    assert found == []
