"""TST001 transform-without-test on real project trees: the names the test folders mention,
the real `toolkit lint` (its lint cache included), and the no-test-folder decision."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from codemods.engine import LintSettings, lint
from codemods.engine.project import NamesInTests, names_in_tests, names_in_tests_for_options
from codemods.settings import resolve_settings

ORDERS = """\
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def paid_orders(orders: DataFrame) -> DataFrame:
    return orders.filter(F.col("amount") > 0).select("order_id", "amount")


def _dedupe(orders: DataFrame) -> DataFrame:
    return orders.dropDuplicates(["order_id"])


def as_report(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.filter(items=["amount"])
"""

TEST_IMPORTING = """\
from shop.orders import paid_orders


def test_paid_orders(spark):
    frame = spark.createDataFrame([(1, 5.0)], ["order_id", "amount"])
    assert paid_orders(frame).count() == 1
"""

TEST_ONLY_A_COMMENT = """\
# paid_orders still needs a test
def test_nothing():
    assert "paid_orders is tested elsewhere"
"""


def _project(root: Path, *, tests: bool = True) -> Path:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.toolkit]\nsrc = ["src"]\n', encoding="utf-8"
    )
    package = root / "src" / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "orders.py").write_text(ORDERS, encoding="utf-8")
    if tests:
        (root / "tests").mkdir()
        (root / "tests" / "conftest.py").write_text("import pytest\n", encoding="utf-8")
    return root


def _lint(root: Path, *extra: str) -> list[tuple[str, str, int]]:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "lint", "--format", "json", *extra, "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)
    return [
        (item["path"], item["message"], item["start"]["line"])
        for item in findings
        if item["code"] == "TST001"
    ]


def _touch_later(path: Path, text: str) -> None:
    """Write `text` and move the mtime forward, so a same-size rewrite within the
    filesystem's timestamp granularity still counts as a change."""
    stat = path.stat() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stat is not None:
        later = max(stat.st_mtime_ns, time.time_ns()) + 1_000_000_000
        os.utime(path, ns=(later, later))


def test_lint_flags_untested_transform_then_the_cache_follows_the_tests(tmp_path) -> None:
    root = _project(tmp_path)
    first = _lint(root)
    assert first == [
        (
            "src/shop/orders.py",
            "Transform `paid_orders` has no test: no file under the test folders imports or"
            " names it; generate one with"
            " `toolkit gen-tests src/shop/orders.py --function paid_orders`",
            6,
        )
    ]
    entries = list((root / ".toolkit_cache").rglob("*.json"))
    assert entries, "the run cached its results"

    # A test that imports the transform: the source file is unchanged, its result is not.
    _touch_later(root / "tests" / "test_orders.py", TEST_IMPORTING)
    assert _lint(root) == []

    # The test no longer names it (a comment and a sentence are not tests): flagged again.
    _touch_later(root / "tests" / "test_orders.py", TEST_ONLY_A_COMMENT)
    assert [line for _, _, line in _lint(root)] == [6]


def test_no_test_folder_reports_only_when_selected_by_name(tmp_path) -> None:
    root = _project(tmp_path, tests=False)
    assert _lint(root) == []
    found = _lint(root, "--select", "TST001")
    assert len(found) == 1 and "the project has no test folder" in found[0][1]
    # Creating the (empty) folder changes the facts: the cached result is not reused.
    (root / "tests").mkdir()
    found = _lint(root, "--select", "TST001")
    assert len(found) == 1 and "no file under the test folders" in found[0][1]


def test_names_in_tests_reads_code_not_comments_and_follows_changes(tmp_path) -> None:
    tests = tmp_path / "tests"
    (tests / "unit").mkdir(parents=True)
    (tests / "unit" / "test_a.py").write_text(
        "import shop.orders as o\n"
        "from shop.clean import trim as t\n"
        "# dosage is not tested here\n"
        "def test_x(mocker):\n"
        "    mocker.patch('shop.jobs.publish')\n"
        "    o.paid_orders(None)\n"
        "    assert 'refund total' != 'x'\n",
        encoding="utf-8",
    )
    (tests / "broken.py").write_text("def (:\n  late_orders\n", encoding="utf-8")
    index = names_in_tests([str(tests)])
    assert {"paid_orders", "trim", "publish", "shop", "late_orders"} <= index.names
    assert not {"dosage", "refund", "total", "test_x"} & index.names
    assert index.folders_exist and index.files == 2

    later = time.time_ns() + 2_000_000_000
    (tests / "test_b.py").write_text("from shop.orders import daily_totals\n", encoding="utf-8")
    os.utime(tests / "test_b.py", ns=(later, later))
    time.sleep(1.1)  # past the once-a-second re-check
    changed = names_in_tests([str(tests)])
    assert changed.mentions("daily_totals") and changed.fingerprint != index.fingerprint

    assert not names_in_tests([str(tmp_path / "missing")]).folders_exist


def test_settings_pass_the_test_folders_and_whether_tst001_was_named(tmp_path) -> None:
    _project(tmp_path)
    options = resolve_settings(tmp_path).rule_options()["TST001"]
    assert options == {"tests": [str(tmp_path / "tests")], "explicit": False}
    assert resolve_settings(tmp_path, select=["TST"]).rule_options()["TST001"]["explicit"]
    assert not resolve_settings(tmp_path, select=["ALL"]).rule_options()["TST001"]["explicit"]
    given = NamesInTests(frozenset({"x"}))
    assert names_in_tests_for_options({"names-in-tests": given}) is given
    assert names_in_tests_for_options({}) is None


def test_engine_lint_with_settings_of_a_real_tree(tmp_path) -> None:
    root = _project(tmp_path)
    settings = resolve_settings(root)
    path = root / "src" / "shop" / "orders.py"
    per_file = settings.lint_settings_for(path, ORDERS, (("TST001", False),))
    assert isinstance(per_file, LintSettings) and per_file.library_module
    assert [d.start.line for d in lint(ORDERS, str(path), per_file)] == [6]
    # A private module and a test file are never reported.
    assert lint(ORDERS, str(root / "src" / "shop" / "_helpers.py"), per_file) == []
