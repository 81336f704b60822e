"""`toolkit profile` through the click command (in process) and once as a real program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.errors import ToolkitError

pytestmark = pytest.mark.slow


def _run(*args: str, cwd: Path | None = None) -> object:
    runner = CliRunner()
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(cli, ["profile", *args], catch_exceptions=False)
    finally:
        os.chdir(previous)


def test_table_output_rules_and_schema_code(spark, customers_csv: Path, tmp_path: Path) -> None:
    rules = tmp_path / "out" / "rules.yaml"
    result = _run(str(customers_csv), "--rules", str(rules), "--schema-code")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Rows: 8   Columns: 6" in out
    assert "country" in out and "NL (4)" in out
    assert "CUSTOMERS_SCHEMA = StructType(" in out
    assert "wrote" in result.stderr and "rules" in result.stderr
    text = rules.read_text()
    assert "function: is_in_list" in text and "- NL" in text
    # A second run replaces its own rules file...
    assert _run(str(customers_csv), "--rules", str(rules)).exit_code == 0
    # ...but never a file someone else wrote.
    mine = tmp_path / "mine.yaml"
    mine.write_text("- my: rules\n")
    with pytest.raises(ToolkitError, match="exists and was not written by `toolkit profile`"):
        _run(str(customers_csv), "--rules", str(mine))
    assert mine.read_text() == "- my: rules\n"


def test_json_markdown_and_html_outputs(spark, customers_csv: Path, tmp_path: Path) -> None:
    result = _run(str(customers_csv), "--format", "json", "--columns", "country,amount")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["name"] for c in data["columns"]] == ["country", "amount"]
    assert data["execution"]["scans"] == 2 and data["execution"]["spark_jobs"] >= 2

    html = _run(str(customers_csv), "--format", "html", cwd=tmp_path)
    assert html.exit_code == 0, html.output
    assert html.stdout.strip() == "customers.profile.html"
    assert (tmp_path / "customers.profile.html").read_text().count("<svg") == 6

    md = tmp_path / "report.md"
    result = _run(
        str(customers_csv), "--format", "markdown", "--output", str(md), "--sample", "0.9"
    )
    assert result.exit_code == 0, result.output
    assert "Sample: random 0.9 of the rows (seed 42)" in md.read_text()


def test_bad_input_is_an_error_not_a_traceback(spark, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    toolkit = [sys.executable, "-m", "toolkit"]
    missing = subprocess.run(
        [*toolkit, "profile", str(tmp_path / "sales.orders")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert missing.returncode == 2
    assert "no file or folder at this path" in missing.stderr
    assert "catalog.schema.table" in missing.stderr
    assert "Traceback" not in missing.stderr

    # The missing SOURCE fails before Spark starts; an empty file profiles as zero rows.
    empty = tmp_path / "empty.csv"
    empty.write_text("id,name\n")
    result = _run(str(empty), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 0
