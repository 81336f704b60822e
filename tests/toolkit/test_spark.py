import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from toolkit.config import CatalogConfig, ProjectConfig, SparkConfig
from toolkit.spark import (
    LOCAL_SPARK_CONF,
    RuntimeKind,
    SparkUnavailableError,
    detect_runtime,
    local_spark_conf,
)

REMOTE = ProjectConfig(
    name="p",
    catalog=CatalogConfig(name="c"),
    spark=SparkConfig(remote={"profile": "DEFAULT"}),
)


@pytest.mark.parametrize(
    ("environ", "config", "expected"),
    [
        ({}, None, RuntimeKind.LOCAL),
        ({"DATABRICKS_RUNTIME_VERSION": "15.4"}, None, RuntimeKind.DATABRICKS),
        ({"DATABRICKS_RUNTIME_VERSION": "client.2.1"}, None, RuntimeKind.SERVERLESS),
        ({"DATABRICKS_RUNTIME_VERSION": "15.4"}, REMOTE, RuntimeKind.DATABRICKS),
        # a remote config without databricks-connect installed stays local
        ({}, REMOTE, RuntimeKind.LOCAL),
    ],
)
def test_detect_runtime(environ, config, expected):
    assert detect_runtime(config, environ=environ) is expected


def test_local_conf_keeps_user_values_last():
    conf = local_spark_conf(warehouse_dir="/tmp/w", extra={"spark.sql.shuffle.partitions": 8})
    assert conf["spark.sql.shuffle.partitions"] == "8"
    assert conf["spark.sql.warehouse.dir"] == "/tmp/w"
    assert "-Dderby.system.home=/tmp/w" in conf["spark.driver.extraJavaOptions"]
    assert LOCAL_SPARK_CONF["spark.ui.enabled"] == "false"


def test_only_short_runs_stop_the_jit_at_c1():
    # C1 alone starts tests sooner but makes long local jobs about twice as slow.
    assert "TieredStopAtLevel" not in local_spark_conf()["spark.driver.extraJavaOptions"]
    tests = local_spark_conf(short_runs=True)["spark.driver.extraJavaOptions"]
    assert "-XX:TieredStopAtLevel=1" in tests


def run_python(code: str, *, cwd: Path, env: dict[str, str] | None = None, check: bool = True):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TOOLKIT")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environ,
        check=check,
        timeout=300,
    )


@pytest.mark.slow
def test_sessions_from_defaults_config_and_databricks(tmp_path):
    """One JVM, three lives: no config, a project config, a Databricks-owned session."""
    project = tmp_path / "project"
    (project / "config").mkdir(parents=True)
    (project / "config" / "project.yaml").write_text(
        "name: customer_360\ncatalog:\n  name: c\n", encoding="utf-8"
    )
    (project / "config" / "dev.yaml").write_text(
        "spark:\n  app_name: c360-dev\n  master: local[1]\n  conf:\n"
        "    spark.sql.shuffle.partitions: 3\n    spark.sql.ansi.enabled: false\n",
        encoding="utf-8",
    )
    bare = tmp_path / "bare"
    bare.mkdir()
    code = f"""
        import json, os
        from toolkit.spark import SparkSessionFactory, get_spark
        from concurrent.futures import ThreadPoolExecutor
        out = {{}}
        with ThreadPoolExecutor(4) as pool:  # first use from several threads at once
            sessions = list(pool.map(lambda _: get_spark(), range(4)))
        out["one_session"] = len({{id(s) for s in sessions}}) == 1
        spark = get_spark()  # no project config anywhere: defaults
        assert get_spark() is spark
        out["default_partitions"] = spark.conf.get("spark.sql.shuffle.partitions")
        out["default_app"] = spark.sparkContext.appName
        out["tz"] = spark.conf.get("spark.sql.session.timeZone")
        spark.sql("CREATE TABLE t (a INT) USING parquet")
        spark.sql("INSERT INTO t VALUES (1)")
        out["table_rows"] = spark.table("t").count()
        scratch = SparkSessionFactory._scratch_dir
        SparkSessionFactory.reset()
        out["scratch_removed"] = not os.path.exists(scratch)
        out["stopped"] = spark.sparkContext._jsc is None

        os.environ["TOOLKIT_CONFIG_DIR"] = {str(project / "config")!r}
        spark = SparkSessionFactory.create("dev")
        out["dev_partitions"] = spark.conf.get("spark.sql.shuffle.partitions")
        out["dev_ansi"] = spark.conf.get("spark.sql.ansi.enabled")
        out["dev_app"] = spark.sparkContext.appName
        out["dev_master"] = spark.sparkContext.master
        out["runtime"] = SparkSessionFactory.runtime().value
        SparkSessionFactory.reset()

        from pyspark.sql import SparkSession
        platform = SparkSession.builder.master("local[1]").getOrCreate()
        os.environ["DATABRICKS_RUNTIME_VERSION"] = "15.4"
        os.environ["TOOLKIT_ENV"] = "dev"
        out["same_session"] = get_spark() is platform
        out["platform_runtime"] = SparkSessionFactory.runtime().value
        out["platform_conf"] = platform.conf.get("spark.sql.shuffle.partitions")
        SparkSessionFactory.reset()
        out["platform_alive"] = platform.sparkContext._jsc is not None
        platform.stop()
        print(json.dumps(out))
    """
    result = run_python(code, cwd=bare)
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {
        "one_session": True,
        "default_partitions": "2",
        "default_app": "toolkit",
        "tz": "UTC",
        "table_rows": 1,
        "scratch_removed": True,
        "stopped": True,
        "dev_partitions": "3",
        "dev_ansi": "false",
        "dev_app": "c360-dev",
        "dev_master": "local[1]",
        "runtime": "local",
        "same_session": True,
        "platform_runtime": "databricks",
        "platform_conf": "3",  # the project's conf is applied to the platform's session
        "platform_alive": True,  # never stopped: the platform owns it
    }
    # nothing left in the working folder
    assert sorted(p.name for p in bare.iterdir()) == []


def test_missing_pyspark_is_a_clear_error(tmp_path, hide_pyspark_source):
    code = hide_pyspark_source + textwrap.dedent("""
        from toolkit.spark import get_spark
        try:
            get_spark()
        except Exception as error:
            print(type(error).__name__, "|", error)
    """)
    result = run_python(code, cwd=tmp_path)
    assert "SparkUnavailableError | pyspark is not installed" in result.stdout
    assert "pip install 'dataeng-toolkit[spark]'" in result.stdout


def test_pyspark_and_databricks_connect_together_is_a_clear_error(tmp_path):
    fake = tmp_path / "site"
    dist = fake / "databricks_connect-15.4.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: databricks-connect\nVersion: 15.4.0\n", encoding="utf-8"
    )
    code = f"""
        import sys
        sys.path.insert(0, {str(fake)!r})
        from toolkit.spark import get_spark
        try:
            get_spark()
        except Exception as error:
            print(type(error).__name__, "|", error)
    """
    result = run_python(code, cwd=tmp_path)
    assert "SparkUnavailableError | pyspark and databricks-connect are both installed" in (
        result.stdout
    )
    assert issubclass(SparkUnavailableError, __import__("toolkit.errors").errors.ToolkitError)


def test_missing_java_is_a_clear_error(tmp_path):
    code = """
        from toolkit.spark import get_spark
        try:
            get_spark()
        except Exception as error:
            print(type(error).__name__, "|", error)
    """
    result = run_python(code, cwd=tmp_path, env={"JAVA_HOME": str(tmp_path / "no-java")})
    assert "SparkUnavailableError | local Spark could not start its Java process" in result.stdout
    assert "install Java 17" in result.stdout


FAKE_DATABRICKS_CONNECT = """
CALLS = []


class _Conf:
    def __init__(self):
        self.values = {}

    def set(self, key, value):
        self.values[key] = value


class _Session:
    def __init__(self):
        self.conf = _Conf()
        self.is_stopped = False

    def stop(self):
        self.is_stopped = True


class _Builder:
    def profile(self, name):
        CALLS.append(("profile", name))
        return self

    def clusterId(self, cluster_id):
        CALLS.append(("clusterId", cluster_id))
        return self

    def serverless(self, enabled):
        CALLS.append(("serverless", enabled))
        return self

    def getOrCreate(self):
        CALLS.append(("getOrCreate",))
        return _Session()


class DatabricksSession:
    builder = _Builder()
"""


def test_remote_config_with_databricks_connect_builds_a_connect_session(tmp_path):
    """A stand-in `databricks.connect` records how the factory drives its builder."""
    package = tmp_path / "site" / "databricks" / "connect"
    package.mkdir(parents=True)
    (tmp_path / "site" / "databricks" / "__init__.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text(FAKE_DATABRICKS_CONNECT, encoding="utf-8")
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "project.yaml").write_text(
        "name: p\ncatalog:\n  name: c\nspark:\n  conf:\n    spark.sql.ansi.enabled: true\n"
        "  remote:\n    profile: DEV\n    cluster_id: 0601-abc\n",
        encoding="utf-8",
    )
    code = f"""
        import sys
        sys.path.insert(0, {str(tmp_path / "site")!r})
        import databricks.connect as fake
        from toolkit.spark import SparkSessionFactory, get_spark
        spark = get_spark()
        print(fake.CALLS)
        print(SparkSessionFactory.runtime().value, spark.conf.values)
        SparkSessionFactory.reset()
        print(spark.is_stopped)
    """
    result = run_python(code, cwd=tmp_path, env={"TOOLKIT_CONFIG_DIR": str(config_dir)})
    calls, runtime, stopped = result.stdout.strip().splitlines()
    assert calls == "[('profile', 'DEV'), ('clusterId', '0601-abc'), ('getOrCreate',)]"
    assert runtime == "connect {'spark.sql.ansi.enabled': 'true'}"
    assert stopped == "True"
