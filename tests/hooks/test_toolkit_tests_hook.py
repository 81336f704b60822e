"""The `toolkit-tests` hook: TST001 findings, and with `--fix` tests generated on local Spark.

The TST001 rule belongs to the testing agent and may not be registered yet; the test then
registers a minimal stand-in (a public `-> DataFrame` function whose name no file under
`tests/` mentions), so the hook's own work is what is tested: selection, the report, the
generation through `codemods.testgen`, and its exit codes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import codemods.rules
from codemods.rules import Invalid, Rule
from hooks import toolkit_tests

MODULE = """\
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def paid_orders(orders: DataFrame) -> DataFrame:
    return orders.filter(F.col("amount") > 0).select("order_id", "amount")
"""


class TransformWithoutTestStandIn(Rule):
    """
    ## What it does
    Test stand-in for TST001.
    ## Why is this bad?
    -
    ## Example
    -
    ## Use instead
    -
    ## Fix safety
    -
    ## References
    -
    """

    code = "TST001"
    name = "transform-without-test"
    node_types = (ast.FunctionDef,)
    valid = ()
    invalid = (Invalid("def f(df) -> DataFrame:\n    return df\n"),)

    def check(self, node: ast.FunctionDef, ctx) -> None:
        returns = node.returns
        if node.name.startswith("_") or not isinstance(returns, ast.Name):
            return
        if returns.id != "DataFrame":
            return
        tests = Path.cwd() / "tests"
        mentioned = any(node.name in p.read_text() for p in tests.rglob("*.py"))
        if not mentioned:
            ctx.report(node, f"Transform `{node.name}` has no test")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if codemods.rules.get_rule("TST001") is None:
        registry = {**codemods.rules._registry(), "TST001": TransformWithoutTestStandIn}
        monkeypatch.setattr(codemods.rules, "_registry", lambda: registry)
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
