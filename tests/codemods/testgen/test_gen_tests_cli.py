"""`toolkit gen-tests` end to end: the installed command, a real Spark worker, real pytest runs
of the generated tests, and a changed transform that the generated test catches."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOOLKIT = str(Path(sys.executable).with_name("toolkit"))

ORDERS = '''\
"""Order transforms."""

from __future__ import annotations

import time
from typing import Callable

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def large_orders(orders: DataFrame, *, threshold: int = 100) -> DataFrame:
    return orders.filter(F.col("amount") > threshold).select("order_id", "amount")


def with_customers(orders: DataFrame, customers: DataFrame) -> DataFrame:
    return orders.join(customers, on="customer_id", how="left")


def revenue(orders):
    return orders.groupBy("region").agg(F.sum("amount").alias("revenue")).orderBy("region")


def stamped(orders: DataFrame) -> DataFrame:
    return orders.withColumn("loaded_at", F.current_timestamp()).withColumn("code", F.upper("code"))


def with_label(label: str = "vip") -> Callable[[DataFrame], DataFrame]:
    def inner(df: DataFrame) -> DataFrame:
        return df.withColumn("label", F.concat(F.lit(label), F.col("name")))

    return inner


class Cleaner:
    def clean(self, orders: DataFrame) -> DataFrame:
        return orders.dropna(subset=["order_id"])


def broken(orders: DataFrame) -> DataFrame:
    raise RuntimeError("not implemented yet")


def hangs(orders: DataFrame) -> DataFrame:
    time.sleep(600)
    return orders
'''

HANDWRITTEN = '''\
"""Hand-written tests."""
import pytest


@pytest.fixture
def numbers():
    return [1,2,3]  # kept as written


def test_numbers(numbers):
    assert sum(numbers)==6
'''


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TOOLKIT, *args], cwd=cwd, capture_output=True, text=True, check=False,
        env={**os.environ, **env}, timeout=600,
    )  # fmt: skip


def make_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\n\n[tool.ruff]\nline-length = 100\n'
    )
    package = root / "src" / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text(ORDERS)
    tests = root / "tests" / "shop"
    tests.mkdir(parents=True)
    (tests / "test_orders.py").write_text(HANDWRITTEN)
    return tests / "test_orders.py"


@pytest.mark.slow
def test_generates_merges_and_the_tests_pass_and_catch_a_change(tmp_path: Path) -> None:
    target = make_project(tmp_path)
    result = run(["gen-tests", "src", "--timeout", "20"], tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    expected = [
        "src/shop/orders.py:12 large_orders: test written (test_large_orders in tests/shop/test_orders.py)",
        "src/shop/orders.py:16 with_customers: test written (test_with_customers in tests/shop/test_orders.py)",
        "src/shop/orders.py:20 revenue: test written (test_revenue in tests/shop/test_orders.py)",
        "src/shop/orders.py:24 stamped: test written (test_stamped in tests/shop/test_orders.py)",
        "src/shop/orders.py:28 with_label: test written (test_with_label in tests/shop/test_orders.py)",
        "src/shop/orders.py:36 Cleaner.clean: test written (test_cleaner_clean in tests/shop/test_orders.py)",
        "src/shop/orders.py:40 broken: skipped (fails on every synthesized input: "
        "RuntimeError: not implemented yet)",
        "src/shop/orders.py:44 hangs: skipped (timed out after 20 s (raise it with --timeout))",
    ]
    assert lines[:-1] == expected
    assert lines[-1].startswith("6 of 8 transforms have a test; 8 run on Spark in ")

    text = target.read_text()
    assert text.startswith(HANDWRITTEN[: HANDWRITTEN.index("\n\n@pytest")])
    assert HANDWRITTEN[HANDWRITTEN.index("@pytest") :] in text
    assert "from shop.orders import Cleaner, large_orders, revenue" in text
    assert "raise" not in text and "pass\n" not in text
    assert '# Left out as non-deterministic (values differ between runs): "loaded_at".' in text
    assert 'actual = stamped(orders).drop("loaded_at")' in text
    assert "actual = source_df.transform(with_label())" in text
    # `revenue` sorts, so its row order is part of the expectation; the others ignore it.
    revenue = text[text.index("def test_revenue") : text.index("def test_stamped")]
    assert "ignore_row_order" not in revenue
    assert "assert_approx_df_equality(actual, expected, 1e-6, ignore_nullable=True)" in revenue

    # A copy of the package whose threshold changed: the generated test must fail on it.
    mutant = tmp_path / "changed" / "shop_changed"
    shutil.copytree(tmp_path / "src" / "shop", mutant)
    orders = mutant / "orders.py"
    orders.write_text(orders.read_text().replace("threshold: int = 100", "threshold: int = 101"))
    (tmp_path / "tests" / "test_changed.py").write_text(
        text.replace("from shop.orders import", "from shop_changed.orders import")
    )
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "--import-mode=importlib", "-rA", "tests"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600,
        env={**os.environ, "PYTHONPATH": f"{tmp_path / 'src'}{os.pathsep}{tmp_path / 'changed'}"},
    )  # fmt: skip
    report = tested.stdout
    assert "PASSED tests/shop/test_orders.py::test_numbers" in report, report
    for name in (
        "large_orders",
        "with_customers",
        "revenue",
        "stamped",
        "with_label",
        "cleaner_clean",
    ):
        assert f"PASSED tests/shop/test_orders.py::test_{name}" in report, report
    assert "FAILED tests/test_changed.py::test_large_orders" in report, report
    assert "PASSED tests/test_changed.py::test_revenue" in report, report

    # A second run adds nothing and runs nothing on Spark.
    before = target.read_bytes()
    again = run(
        ["gen-tests", "src", "--function", "large_orders", "--function", "Cleaner.clean"], tmp_path
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines() == [
        "src/shop/orders.py:12 large_orders: test exists (test_large_orders in tests/shop/test_orders.py)",
        "src/shop/orders.py:36 Cleaner.clean: test exists (test_cleaner_clean in tests/shop/test_orders.py)",
        again.stdout.splitlines()[-1],
    ]
    assert "0 run on Spark" in again.stdout
    assert target.read_bytes() == before


def test_a_test_file_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    target = make_project(tmp_path)
    target.write_text("def test_x(:\n    pass\n")
    result = run(["gen-tests", "src/shop/orders.py"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: tests/shop/test_orders.py:1:12: cannot add tests: the file does not parse "
        "(invalid syntax)\n  hint: "
    )
    assert "Traceback" not in result.stderr
    assert target.read_text() == "def test_x(:\n    pass\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gen-tests", "missing.py"], "error: missing.py: no such file or folder"),
        (["gen-tests", "src", "--function", "nope"], "error: no transform named nope in src"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    tmp_path: Path, args: list[str], message: str
) -> None:
    make_project(tmp_path)
    result = run(args, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


def test_no_java_is_a_clear_error(tmp_path: Path) -> None:
    make_project(tmp_path)
    result = run(
        ["gen-tests", "src", "--function", "large_orders"], tmp_path, JAVA_HOME="/nonexistent"
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: local Spark did not start: ")
    assert "Traceback" not in result.stderr
    assert (tmp_path / "tests/shop/test_orders.py").read_text() == HANDWRITTEN


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("folder", "error: tests/shop/test_orders.py: cannot write the generated tests: it is a folder"),
        ("file", "error: tests/shop/test_orders.py: cannot write the generated tests: "),
    ],
)  # fmt: skip
def test_a_test_path_that_cannot_be_a_file_is_refused_before_spark_runs(
    tmp_path: Path, block: str, message: str
) -> None:
    target = make_project(tmp_path)
    target.unlink()
    if block == "folder":
        target.mkdir()
    else:
        target.parent.rmdir()
        target.parent.write_text("")
    # No Java: a check made after Spark started would report Spark instead.
    result = run(["gen-tests", "src"], tmp_path, JAVA_HOME="/nonexistent")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(message), result.stderr
    if block == "file":
        assert "tests/shop is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr


TRANSFORM = """

from pyspark.sql import DataFrame


def {name}(orders: DataFrame) -> DataFrame:
    return orders.select("order_id")
"""


@pytest.mark.slow
def test_a_module_that_fails_on_import_is_reported_as_such(tmp_path: Path) -> None:
    make_project(tmp_path)
    package = tmp_path / "src" / "shop"
    (package / "orders.py").unlink()
    heads = {
        "a_missing": "import nowhere_to_be_found",
        "b_exits": "import sys\n\nsys.exit(3)",
        "c_ends_process": "import os\n\nos._exit(0)",
        "d_fine": "",
    }
    for name, head in heads.items():
        transforms = TRANSFORM.format(name=f"{name}_one") + TRANSFORM.format(name=f"{name}_two")
        (package / f"{name}.py").write_text(head + "\n" + transforms)
    result = run(["gen-tests", "src", "--timeout", "60"], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    reasons = [line.split(": skipped (", 1)[-1] for line in result.stdout.splitlines()[:-1]]
    ended = "importing it ended the worker process (the process exited with code 0 and printed "
    assert reasons == [
        "the module could not be imported: ModuleNotFoundError: No module named "
        "'nowhere_to_be_found')",
        "the module could not be imported: ModuleNotFoundError: No module named "
        "'nowhere_to_be_found')",
        "the module could not be imported: SystemExit: 3)",
        "the module could not be imported: SystemExit: 3)",
        f"the module could not be imported: {ended}no error))",
        f"the module could not be imported: {ended}no error))",
        "src/shop/d_fine.py:7 d_fine_one: test written (test_d_fine_one in tests/shop/test_d_fine.py)",
        "src/shop/d_fine.py:14 d_fine_two: test written (test_d_fine_two in tests/shop/test_d_fine.py)",
    ]  # fmt: skip
    assert "incubator" not in result.stdout
