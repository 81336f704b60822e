"""The toolkit pytest plugin (registered through the pytest11 entry point).

Fixtures:
- `spark`: one local SparkSession for the whole run, tuned for small data (see
  `toolkit.spark.LOCAL_SPARK_CONF`), with the project's `spark.conf` applied. It is the
  session `toolkit.spark.get_spark()` returns, so code under test that calls `get_spark()`
  shares it.
- `toolkit_config`: the project's config for the `local` environment, or the one named by
  `@pytest.mark.toolkit_env("dev")` or `--toolkit-env dev`.
- `temp_view(df, name=None) -> str` and `temp_table(df, name=None) -> str`: factories whose
  views and tables are dropped after the test.
- `assert_df_equal`: `toolkit.testing.assert_df_equal`, as a fixture for convenience.

This plugin is loaded by every pytest run in an environment where the toolkit is installed,
including runs that never touch Spark: it must not import pyspark at load time.
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from toolkit.config import ProjectConfig

SPARK_EXTRA_MESSAGE = (
    "the `spark` fixture needs pyspark, which is not installed: "
    "install the `spark` extra: pip install 'dataeng-toolkit[spark]'"
)
_names = itertools.count(1)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("toolkit")
    group.addoption(
        "--toolkit-env",
        action="store",
        default=None,
        metavar="ENV",
        help="environment of the `toolkit_config` fixture (default: local)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "toolkit_env(name): load the `toolkit_config` fixture for this environment",
    )


def _selected_env(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("toolkit_env")
    if marker is not None:
        if not marker.args or not isinstance(marker.args[0], str):
            raise pytest.UsageError('use the marker as @pytest.mark.toolkit_env("dev")')
        return marker.args[0]
    return request.config.getoption("--toolkit-env") or "local"


def _pyspark_available() -> bool:
    try:
        return importlib.util.find_spec("pyspark") is not None
    except ImportError:
        return False


@pytest.fixture(scope="session")
def spark(request: pytest.FixtureRequest) -> Iterator[SparkSession]:
    """A local SparkSession shared by the whole test run, stopped at its end."""
    if not _pyspark_available():
        pytest.fail(SPARK_EXTRA_MESSAGE, pytrace=False)
    from toolkit.config import ConfigNotFoundError, load_config
    from toolkit.spark import SparkSessionFactory

    env = request.config.getoption("--toolkit-env") or "local"
    try:
        project_config = load_config(env=env)
    except ConfigNotFoundError:
        project_config = None  # not inside a project: the tuned defaults alone
    session = SparkSessionFactory.create(project_config, force_local=True, short_runs=True)
    yield session
    SparkSessionFactory.reset()


@pytest.fixture
def toolkit_config(request: pytest.FixtureRequest) -> ProjectConfig:
    """The project's config for the selected environment (default `local`)."""
    from toolkit.config import load_config

    return load_config(env=_selected_env(request))


@pytest.fixture
def temp_view(spark: SparkSession) -> Iterator[Callable[..., str]]:
    """Register DataFrames as temporary views for one test; returns the view's name."""
    created: list[str] = []

    def register(df: DataFrame, name: str | None = None) -> str:
        view = name or f"toolkit_test_view_{next(_names)}"
        df.createOrReplaceTempView(view)
        created.append(view)
        return view

    yield register
    for view in created:
        spark.catalog.dropTempView(view)


@pytest.fixture
def temp_table(spark: SparkSession) -> Iterator[Callable[..., str]]:
    """Save DataFrames as managed tables for one test; returns the table's name.

    The tables live in the session's temporary warehouse and are dropped after the test.
    """
    created: list[str] = []

    def save(df: DataFrame, name: str | None = None, *, format: str = "parquet") -> str:
        table = name or f"toolkit_test_table_{next(_names)}"
        df.write.format(format).mode("overwrite").saveAsTable(table)
        created.append(table)
        return table

    yield save
    for table in created:
        spark.sql("DROP TABLE IF EXISTS IDENTIFIER(:table)", args={"table": table})


@pytest.fixture
def assert_df_equal() -> Callable[..., Any]:
    """`toolkit.testing.assert_df_equal` (chispa underneath)."""
    from toolkit.testing.assertions import assert_df_equal as compare

    return compare
