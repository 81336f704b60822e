"""Merging generated tests into test files: real libcst, real ruff."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.testgen.merge import GeneratedTest, merge_tests
from toolkit.errors import ToolkitError

EXISTING = '''\
"""Hand-written tests: nothing here may change."""
import pytest   # spacing kept on purpose

from shop.orders import helper


@pytest.fixture
def rows():
    # a fixture with a comment
    return [1,2,  3]   # not formatted, and must stay so


def test_helper(rows):
    assert helper(rows)  ==  6
'''

GENERATED = GeneratedTest(
    name="test_clean",
    source=(
        "def test_clean(spark):\n"
        "    source_df = spark.createDataFrame([(1, datetime.date(2024, 1, 1))], schema='a bigint, d date')\n"
        "    actual = clean(source_df)\n"
        "    expected = spark.createDataFrame([(1,)], schema='a bigint')\n"
        "    assert_df_equality(actual, expected, ignore_nullable=True)\n"
    ),
    imports=frozenset(
        {("chispa", "assert_df_equality"), ("shop.orders", "clean"), ("datetime", None)}
    ),
)


def test_existing_lines_stay_byte_identical(tmp_path: Path) -> None:
    target = tmp_path / "tests" / "test_orders.py"
    result = merge_tests(EXISTING, [GENERATED], path=target)
    assert result.added == ["test_clean"]
    new_lines = result.text.splitlines()
    old_lines = EXISTING.splitlines()
    # Every original line is still there, unchanged and in order; new lines only come in
    # between (imports) or after (the tests).
    positions = []
    start = 0
    for line in old_lines:
        start = new_lines.index(line, start)
        positions.append(start)
        start += 1
    assert positions == sorted(positions)
    added = [line for i, line in enumerate(new_lines) if i not in set(positions)]
    assert "import datetime" in added
    assert "from chispa import assert_df_equality" in added
    # The imported module was already imported from: the name is added on its own line.
    assert any("clean" in line and line.startswith("from shop.orders import") for line in added)
    # Only the new code is formatted (ruff's double quotes, wrapped long call).
    assert '    expected = spark.createDataFrame([(1,)], schema="a bigint")' in added
    assert "    return [1,2,  3]   # not formatted, and must stay so" in new_lines
    compile(result.text, str(target), "exec")


def test_second_merge_adds_nothing(tmp_path: Path) -> None:
    target = tmp_path / "test_orders.py"
    first = merge_tests(EXISTING, [GENERATED], path=target)
    second = merge_tests(first.text, [GENERATED], path=target)
    assert second.added == []
    assert second.already_present == ["test_clean"]
    assert second.text == first.text


def test_new_file_is_fully_formatted_with_sorted_imports(tmp_path: Path) -> None:
    target = tmp_path / "test_orders.py"
    result = merge_tests(None, [GENERATED], path=target, header='"""Generated."""\n')
    assert result.text.startswith('"""Generated."""\n\nimport datetime\n\nfrom chispa import')
    assert result.text.count("def test_clean(spark):") == 1
    compile(result.text, str(target), "exec")


def test_a_target_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "test_orders.py"
    broken = "import pytest\n\ndef test_x(:\n    pass\n"
    with pytest.raises(ToolkitError) as error:
        merge_tests(broken, [GENERATED], path=target)
    assert str(error.value).startswith(f"{target}:3:")
    assert "cannot add tests: the file does not parse" in str(error.value)


def test_rendered_tests_compile_and_keep_rows_one_per_line(tmp_path: Path) -> None:
    from codemods.testgen.discovery import discover_transforms
    from codemods.testgen.render import Observation, build_case, render_test
    from codemods.testgen.synthesis import FrameInput

    source = (
        "from pyspark.sql import DataFrame\n"
        "def split(df: DataFrame, *, limit: int) -> tuple[DataFrame, DataFrame]:\n"
        "    good, bad = df, df\n"
        "    return good, bad\n"
    )
    (transform,) = discover_transforms(source, "m.py")
    frame = FrameInput("df", (("id", "bigint"), ("ts", "timestamp")), ((1, None), (2, None)))
    case, problem = build_case(transform, "shop.m", [frame], {"limit": 3})
    assert problem == "" and case is not None
    assert case.call == "split(source_df, limit=3)"
    good = Observation([("id", "bigint", True), ("score", "double", True)], [["1", "0.5"]])
    bad = Observation([("id", "bigint", True), ("at", "timestamp", True)], [["2", "None"]], ["at"])
    text, imports = render_test(case, [good, bad], sorts=False, as_tuple=True)
    assert "    actual_good, actual_bad = split(source_df, limit=3)" in text
    assert '    actual_bad = actual_bad.drop("at")' in text
    assert "assert_approx_df_equality(actual_good, expected_good, 1e-6" in text
    assert "assert_df_equality(actual_bad, expected_bad, ignore_nullable=True" in text
    assert "            (1, 0.5)," in text and "            (2,)," in text
    assert imports == {
        ("chispa", "assert_approx_df_equality"),
        ("chispa", "assert_df_equality"),
        ("shop.m", "split"),
    }
    merged = merge_tests(
        None, [GeneratedTest("test_split", text, frozenset(imports))], path=tmp_path / "t.py"
    )
    compile(merged.text, "t.py", "exec")
    assert "            (1, None),\n            (2, None),\n" in merged.text


def test_a_test_file_that_does_not_parse_gets_a_hint_every_door_can_follow(tmp_path: Path) -> None:
    # The hooks, the editor and the assistant have no `--output-dir`: the hint must not name it.
    target = tmp_path / "test_orders.py"
    with pytest.raises(ToolkitError) as caught:
        merge_tests("def test_x(:\n    pass\n", [GENERATED], path=target, header="")
    assert (
        caught.value.hint
        == "fix the syntax error first: tests are added only to a test file that parses"
    )
