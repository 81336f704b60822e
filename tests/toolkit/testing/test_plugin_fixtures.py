import pytest
from pyspark.sql import Row
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

from toolkit.testing import assert_df_equal as assert_df_equal_function

pytestmark = pytest.mark.slow  # shares the run's one local session

CREATED: dict[str, str] = {}


def test_temp_view_registers_a_view(spark, temp_view):
    df = spark.createDataFrame([(1, "a"), (2, "b")], "id long, name string")
    name = temp_view(df)
    named = temp_view(df, "customers_view")
    CREATED["views"] = f"{name},{named}"
    assert (
        spark.sql("SELECT count(*) AS n FROM IDENTIFIER(:view)", args={"view": name}).first().n == 2
    )
    assert spark.table("customers_view").count() == 2


def test_temp_views_are_dropped_after_the_test(spark):
    names = CREATED["views"].split(",")
    assert names[1] == "customers_view"
    assert not any(spark.catalog.tableExists(name) for name in names)


def test_temp_table_saves_a_table(spark, temp_table):
    df = spark.createDataFrame([(1,), (2,), (3,)], "id long")
    CREATED["table"] = temp_table(df)
    assert spark.table(CREATED["table"]).count() == 3


def test_temp_tables_are_dropped_after_the_test(spark):
    assert not spark.catalog.tableExists(CREATED["table"])


def test_assert_df_equal_accepts_rows_and_ignores_order_on_request(spark, assert_df_equal):
    df = spark.createDataFrame([(2, "b"), (1, "a")], "id long, name string")
    assert_df_equal(df, [(2, "b"), (1, "a")])
    assert_df_equal(df, [Row(id=1, name="a"), Row(id=2, name="b")], ignore_row_order=True)
    with pytest.raises(AssertionError):
        assert_df_equal(df, [(1, "a"), (2, "b")])  # row order matters by default
    reordered = df.select("name", "id")
    with pytest.raises(AssertionError):
        assert_df_equal(df, reordered)
    assert_df_equal(df, reordered, ignore_column_order=True)


def test_assert_df_equal_nullability_and_float_tolerance(spark):
    strict = StructType([StructField("id", LongType(), False), StructField("v", DoubleType())])
    loose = StructType([StructField("id", LongType(), True), StructField("v", DoubleType())])
    actual = spark.createDataFrame([(1, 0.30000000000000004)], strict)
    expected = spark.createDataFrame([(1, 0.3)], loose)
    with pytest.raises(AssertionError):
        assert_df_equal_function(actual, expected, precision=1e-9)  # nullability differs
    assert_df_equal_function(actual, expected, precision=1e-9, ignore_nullable=True)
    with pytest.raises(AssertionError):
        assert_df_equal_function(actual, expected, ignore_nullable=True)  # exact floats
    names = spark.createDataFrame([("x",)], StructType([StructField("n", StringType())]))
    with pytest.raises(AssertionError):
        assert_df_equal_function(names, [("y",)])
