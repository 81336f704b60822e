"""The `toolkit-tests` hook: TST001 findings, and with `--fix` tests generated on local Spark."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks import toolkit_tests

MODULE = """\
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def paid_orders(orders: DataFrame) -> DataFrame:
    return orders.filter(F.col("amount") > 0).select("order_id", "amount")
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.toolkit]\nsrc = ["src"]\n', encoding="utf-8"
    )
    package = tmp_path / "src" / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "orders.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_reports_transforms_without_tests(project, capsys):
    assert toolkit_tests.main(["src/shop/orders.py"]) == 1
    out = capsys.readouterr().out
    assert "src/shop/orders.py:5:1: TST001" in out
    assert toolkit_tests.main([]) == 0


@pytest.mark.slow
def test_fix_generates_the_test_then_passes(project, capsys):
    assert toolkit_tests.main(["--fix", "src/shop/orders.py"]) == 1
    out = capsys.readouterr().out
    written = [line.removeprefix("wrote ") for line in out.splitlines() if line.startswith("wrote")]
    assert len(written) == 1 and written[0].startswith("tests/")
    test_text = (project / written[0]).read_text(encoding="utf-8")
    assert "paid_orders" in test_text
    assert toolkit_tests.main(["--fix", "src/shop/orders.py"]) == 0
