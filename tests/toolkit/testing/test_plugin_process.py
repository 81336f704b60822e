"""The plugin as users meet it: a separate pytest run on a small project."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TOOLKIT")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_toolkit_config_follows_marker_and_option(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "project.yaml").write_text(
        "name: p\ncatalog:\n  name: local_cat\n", encoding="utf-8"
    )
    (tmp_path / "config" / "dev.yaml").write_text("catalog:\n  name: dev_cat\n", encoding="utf-8")
    (tmp_path / "test_env.py").write_text(
        textwrap.dedent("""
            import pytest

            def test_default(toolkit_config, pytestconfig):
                expected = pytestconfig.getoption("--toolkit-env") or "local"
                assert toolkit_config.environment == expected

            @pytest.mark.toolkit_env("dev")
            def test_marker(toolkit_config):
                assert toolkit_config.catalog.name == "dev_cat"
        """),
        encoding="utf-8",
    )
    assert run_pytest(tmp_path).returncode == 0
    result = run_pytest(tmp_path, "--toolkit-env", "dev")
    assert result.returncode == 0, result.stdout
    assert "2 passed" in result.stdout


def test_without_pyspark_plugin_loads_and_spark_fixture_names_the_extra(
    tmp_path, hide_pyspark_source
):
    (tmp_path / "conftest.py").write_text(hide_pyspark_source, encoding="utf-8")
    (tmp_path / "test_it.py").write_text(
        "def test_plain():\n    assert True\n\n"
        "def test_needs_spark(spark):\n    spark.range(1).count()\n",
        encoding="utf-8",
    )
    result = run_pytest(tmp_path)
    assert result.returncode == 1
    assert "1 passed" in result.stdout and "1 error" in result.stdout
    assert "install the `spark` extra: pip install 'dataeng-toolkit[spark]'" in result.stdout
