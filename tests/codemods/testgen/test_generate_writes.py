"""`generate_tests(write=True)` writes all the test modules or none: a `check_target` refusal
or a test module edited while the transforms ran leaves every file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.testgen import generate_tests
from toolkit.errors import ToolkitError

ORDERS = """\
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def large_orders(orders: DataFrame) -> DataFrame:
    return orders.filter(F.col("amount") > 100).select("order_id", "amount")
"""


@pytest.mark.slow
def test_a_refused_or_edited_target_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "orders.py"
    source.write_text(ORDERS)
    (tmp_path / "returns.py").write_text(ORDERS.replace("large_orders", "large_returns"))
    checked: list[Path] = []

    def refuse_the_second(path: Path) -> None:
        checked.append(path)
        if len(checked) == 2:
            raise ToolkitError(f"{path}: outside the allowed folders")

    with pytest.raises(ToolkitError, match="outside the allowed folders"):
        generate_tests([tmp_path], root=tmp_path, check_target=refuse_the_second)
    assert sorted(path.name for path in checked) == ["test_orders.py", "test_returns.py"]
    assert not any(path.exists() for path in checked)  # the first was not written either
    target = next(path for path in checked if path.name == "test_orders.py")

    def edit_meanwhile(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# written by hand while the tests were generated\n")

    with pytest.raises(ToolkitError, match="changed while the tests were generated"):
        generate_tests([source], root=tmp_path, check_target=edit_meanwhile)
    assert target.read_text() == "# written by hand while the tests were generated\n"
