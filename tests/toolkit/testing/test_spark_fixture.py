import os
import sys

import pytest

from toolkit.spark import RuntimeKind, SparkSessionFactory, get_spark


@pytest.mark.slow
def test_spark_fixture_is_local_tuned_and_shared_with_get_spark(spark):
    assert get_spark() is spark
    assert SparkSessionFactory.runtime() is RuntimeKind.LOCAL
    assert spark.conf.get("spark.ui.enabled") == "false"
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
    assert os.environ["PYSPARK_PYTHON"] == sys.executable
    warehouse = spark.conf.get("spark.sql.warehouse.dir")
    assert "toolkit-spark-" in warehouse
    assert spark.createDataFrame([(1, "a"), (2, "b")], "id int, v string").count() == 2
