"""One SparkSession per process, created on first use, right for where the code runs.

`get_spark()` is what pipelines, the profiler and tests call. The first call decides the kind
of session from the environment:

- on a Databricks cluster or serverless compute (`DATABRICKS_RUNTIME_VERSION` is set) it
  returns the session the platform already started;
- with Databricks Connect installed and the config asking for a remote session (a profile, a
  cluster id or serverless) it builds one through `DatabricksSession.builder`;
- otherwise it starts a local session tuned for small data: UI off, few shuffle partitions,
  UTC, the running interpreter for Python workers, and a temporary warehouse so that no
  `spark-warehouse/` or `metastore_db/` is left in the working folder.

pyspark is imported only inside functions: importing this module is cheap.
"""

from __future__ import annotations

import atexit
import enum
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from importlib import metadata
from typing import TYPE_CHECKING, Any

from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from toolkit.config import ProjectConfig

__all__ = [
    "LOCAL_SPARK_CONF",
    "RuntimeKind",
    "SparkSessionFactory",
    "SparkUnavailableError",
    "detect_runtime",
    "get_spark",
    "local_spark_conf",
]

DEFAULT_MASTER = "local[*]"
DEFAULT_APP_NAME = "toolkit"

# Settings that make a local session fast on small data. Each one removes work that only pays
# off on a cluster: the UI's listeners, 200 shuffle tasks for a few rows, compressing shuffle
# blocks that never leave the machine, Hive's Derby metastore.
LOCAL_SPARK_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.catalogImplementation": "in-memory",
    "spark.dynamicAllocation.enabled": "false",
    "spark.rdd.compress": "false",
    "spark.shuffle.compress": "false",
    "spark.shuffle.spill.compress": "false",
    "spark.broadcast.compress": "false",
    "spark.sql.sources.parallelPartitionDiscovery.parallelism": "2",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.executor.heartbeatInterval": "30s",
    "spark.network.timeout": "120s",
}

# JVM flags for the driver of every local session.
LOCAL_DRIVER_JAVA_OPTIONS = "-XX:+UseParallelGC -Xss4m"
# And for short runs on small data (the test fixture, the testing agent's worker), which are
# dominated by start-up and by compiling generated code once: the C1 compiler alone
# (TieredStopAtLevel=1) finishes those sooner, but makes a long job (a profile of millions of
# rows, a local pipeline on real data) about twice as slow, so it is not the default.
SHORT_RUN_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


# The JVM's own log: warnings and errors only, on stderr, without the start-up banner lines
# that a local run does not need (native Hadoop libraries, default profile notices).
QUIET_LOG4J_PROPERTIES = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.native.name = org.apache.hadoop.util.NativeCodeLoader
logger.native.level = error
logger.sparkenv.name = org.apache.spark.SparkEnv
logger.sparkenv.level = error
logger.parquet.name = org.apache.parquet
logger.parquet.level = error
"""


class SparkUnavailableError(ToolkitError):
    """pyspark is missing, or installed in a way that cannot work."""


class RuntimeKind(str, enum.Enum):
    """Where a session comes from."""

    DATABRICKS = "databricks"  # a classic cluster: the platform owns the session
    SERVERLESS = "serverless"  # serverless compute: the platform owns the session too
    CONNECT = "connect"  # Databricks Connect from a laptop or CI to a remote cluster
    LOCAL = "local"  # a local JVM started by pyspark


def detect_runtime(
    config: ProjectConfig | None = None, *, environ: Mapping[str, str] | None = None
) -> RuntimeKind:
    """Decide which kind of session to use, from the process environment and the config."""
    environ = os.environ if environ is None else environ
    runtime_version = environ.get("DATABRICKS_RUNTIME_VERSION", "")
    if runtime_version:
        # Serverless compute reports a "client.X.Y" runtime version.
        if runtime_version.startswith("client.") or environ.get("IS_SERVERLESS") == "TRUE":
            return RuntimeKind.SERVERLESS
        return RuntimeKind.DATABRICKS
    if _wants_remote(config) and _databricks_connect_installed():
        return RuntimeKind.CONNECT
    return RuntimeKind.LOCAL


def local_spark_conf(
    *,
    warehouse_dir: str | None = None,
    extra: Mapping[str, str] | None = None,
    short_runs: bool = False,
) -> dict[str, str]:
    """The conf of a local session: the speed settings, a warehouse folder, then `extra`.
    `short_runs` tunes the JVM for tests on small data (see `SHORT_RUN_JAVA_OPTIONS`)."""
    conf = dict(LOCAL_SPARK_CONF)
    java_options = LOCAL_DRIVER_JAVA_OPTIONS
    if short_runs:
        java_options = f"{java_options} {SHORT_RUN_JAVA_OPTIONS}"
    if warehouse_dir is not None:
        conf["spark.sql.warehouse.dir"] = warehouse_dir
        # Derby writes `derby.log` and `metastore_db/` into derby.system.home when a user
        # turns Hive support back on; keep them in the temporary folder too.
        conf["spark.driver.extraJavaOptions"] = (
            f"{java_options} -Dderby.system.home={warehouse_dir}"
        )
    else:
        conf["spark.driver.extraJavaOptions"] = java_options
    conf.update({key: str(value) for key, value in (extra or {}).items()})
    return conf


class SparkSessionFactory:
    """Creates and remembers the process's one SparkSession (thread-safe)."""

    _lock = threading.RLock()
    _session: SparkSession | None = None
    _runtime: RuntimeKind | None = None
    _scratch_dir: str | None = None

    @classmethod
    def create(
        cls,
        env_or_config: str | ProjectConfig | None = None,
        *,
        force_local: bool = False,
        short_runs: bool = False,
    ) -> SparkSession:
        """Return the process's session, creating it from `env_or_config` on first use.

        `env_or_config` is an environment name (its config is loaded with `ConfigLoader`), a
        loaded `ProjectConfig`, or None for the current environment (`TOOLKIT_ENV`, else
        `local`); without any project config the defaults are used. `force_local` starts a
        local session even on Databricks or with a remote config (the test fixture uses it);
        `short_runs` tunes a local session for short runs on small data (tests). A session that already exists is returned as it is: call `reset()` to change it.
        """
        with cls._lock:
            if cls._session is not None and _is_alive(cls._session):
                return cls._session
            config = _resolve_config(env_or_config)
            runtime = RuntimeKind.LOCAL if force_local else detect_runtime(config)
            _check_installation(runtime)
            if runtime in (RuntimeKind.DATABRICKS, RuntimeKind.SERVERLESS):
                session = _platform_session(config)
            elif runtime is RuntimeKind.CONNECT:
                session = _connect_session(config)
            else:
                session = cls._local_session(config, short_runs=short_runs)
            cls._session, cls._runtime = session, runtime
            return session

    @classmethod
    def active(cls) -> SparkSession | None:
        """The session this factory created, if it is still running."""
        with cls._lock:
            if cls._session is not None and _is_alive(cls._session):
                return cls._session
            return None

    @classmethod
    def runtime(cls) -> RuntimeKind | None:
        """The kind of the current session, or None before one is created."""
        return cls._runtime if cls.active() is not None else None

    @classmethod
    def reset(cls) -> None:
        """Stop the session this factory started locally and forget it.

        A session owned by Databricks (cluster, serverless) is forgotten but never stopped:
        stopping it would break the notebook or job that runs this code.
        """
        with cls._lock:
            session, runtime = cls._session, cls._runtime
            cls._session, cls._runtime = None, None
            if session is not None and runtime in (RuntimeKind.LOCAL, RuntimeKind.CONNECT):
                session.stop()
            cls._remove_scratch_dir()

    @classmethod
    def _local_session(
        cls, config: ProjectConfig | None, *, short_runs: bool = False
    ) -> SparkSession:
        pyspark_sql = _import_pyspark_sql()
        # Python workers must run the interpreter that runs the driver, or the versions clash
        # ("Python in worker has different version than that in driver").
        os.environ["PYSPARK_PYTHON"] = sys.executable
        os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
        spark_settings = config.spark if config is not None else None
        cls._remove_scratch_dir()
        cls._scratch_dir = tempfile.mkdtemp(prefix="toolkit-spark-")
        warehouse = os.path.join(cls._scratch_dir, "warehouse")
        user_conf = dict(spark_settings.conf) if spark_settings is not None else {}
        conf = local_spark_conf(warehouse_dir=warehouse, extra=user_conf, short_runs=short_runs)
        java_options = conf["spark.driver.extraJavaOptions"]
        if "log4j.configurationFile" not in java_options:
            log4j_file = os.path.join(cls._scratch_dir, "log4j2.properties")
            with open(log4j_file, "w", encoding="utf-8") as handle:
                handle.write(QUIET_LOG4J_PROPERTIES)
            conf["spark.driver.extraJavaOptions"] = (
                f"{java_options} -Dlog4j.configurationFile=file:{log4j_file}"
            )
        # Without it Spark warns that the host name resolves to a loopback address.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        master = spark_settings.master if spark_settings is not None else None
        app_name = spark_settings.app_name if spark_settings is not None else None
        if not app_name:
            app_name = config.name if config is not None else DEFAULT_APP_NAME
        builder = pyspark_sql.SparkSession.builder.master(master or DEFAULT_MASTER).appName(
            app_name
        )
        for key, value in conf.items():
            builder = builder.config(key, value)
        try:
            return builder.getOrCreate()
        except Exception as exc:
            if "JAVA_GATEWAY_EXITED" not in str(exc) and "JAVA_HOME" not in str(exc):
                raise
            java_home = os.environ.get("JAVA_HOME", "not set")
            raise SparkUnavailableError(
                f"local Spark could not start its Java process (JAVA_HOME: {java_home})",
                hint="install Java 17 (e.g. apt-get install openjdk-17-jre-headless) and "
                "set JAVA_HOME to it, or unset a JAVA_HOME that points elsewhere",
            ) from exc

    @classmethod
    def _remove_scratch_dir(cls) -> None:
        if cls._scratch_dir is not None:
            shutil.rmtree(cls._scratch_dir, ignore_errors=True)
            cls._scratch_dir = None


def get_spark() -> SparkSession:
    """The process's SparkSession, created from the current environment's config if needed.

    Works without any project config (defaults), so tests and the profiler can call it from
    anywhere.
    """
    session = SparkSessionFactory.active()
    if session is not None:
        return session
    return SparkSessionFactory.create()


def _resolve_config(env_or_config: str | ProjectConfig | None) -> ProjectConfig | None:
    if env_or_config is not None and not isinstance(env_or_config, str):
        return env_or_config
    from toolkit.config import ConfigLoader, ConfigNotFoundError

    try:
        return ConfigLoader.load(env=env_or_config)
    except ConfigNotFoundError:
        if env_or_config is not None:
            raise  # the caller named an environment: its config must exist
        return None  # no project at all: defaults


def _wants_remote(config: ProjectConfig | None) -> bool:
    if config is None:
        return False
    remote = config.spark.remote
    return bool(remote.profile or remote.cluster_id or remote.serverless)


def _module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a parent package missing or broken
        return False


def _databricks_connect_installed() -> bool:
    return _module_available("databricks.connect")


def _installed(distribution: str) -> bool:
    try:
        metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


def _check_installation(runtime: RuntimeKind) -> None:
    if runtime in (RuntimeKind.DATABRICKS, RuntimeKind.SERVERLESS):
        return  # the platform's own pyspark
    if _installed("databricks-connect") and _installed("pyspark"):
        # databricks-connect ships its own `pyspark` package; with both installed, whichever
        # was installed last has overwritten the other's files.
        raise SparkUnavailableError(
            "pyspark and databricks-connect are both installed in this environment "
            f"({sys.prefix}); they provide the same `pyspark` package and break each other",
            hint="pip uninstall pyspark databricks-connect, then install only one of them "
            "(databricks-connect for remote sessions, pyspark for local ones)",
        )
    if not _module_available("pyspark"):
        raise SparkUnavailableError(
            "pyspark is not installed, so no Spark session can be started",
            hint="install the `spark` extra: pip install 'dataeng-toolkit[spark]'",
        )


def _import_pyspark_sql() -> Any:
    try:
        import pyspark.sql as pyspark_sql
    except ImportError as exc:
        raise SparkUnavailableError(
            f"pyspark cannot be imported: {exc}",
            hint="install the `spark` extra: pip install 'dataeng-toolkit[spark]'",
        ) from exc
    return pyspark_sql


def _platform_session(config: ProjectConfig | None) -> SparkSession:
    pyspark_sql = _import_pyspark_sql()
    session = pyspark_sql.SparkSession.getActiveSession()
    if session is None:
        session = pyspark_sql.SparkSession.builder.getOrCreate()
    if config is not None:
        for key, value in config.spark.conf.items():
            try:
                session.conf.set(key, value)
            except Exception as exc:  # a static conf on a running cluster cannot change
                raise ToolkitError(
                    f"spark.conf.{key}: cannot be set on the running Databricks session: {exc}"
                ) from exc
    return session


def _connect_session(config: ProjectConfig | None) -> SparkSession:
    from databricks.connect import DatabricksSession  # optional dependency

    assert config is not None  # detect_runtime returns CONNECT only with a remote config
    remote = config.spark.remote
    builder = DatabricksSession.builder
    if remote.profile:
        builder = builder.profile(remote.profile)
    if remote.serverless:
        builder = builder.serverless(True)
    elif remote.cluster_id:
        builder = builder.clusterId(remote.cluster_id)
    session = builder.getOrCreate()
    for key, value in config.spark.conf.items():
        session.conf.set(key, value)
    return session


def _is_alive(session: SparkSession) -> bool:
    # A session stopped behind the factory's back (spark.stop() in user code) is replaced.
    context = getattr(session, "_sc", None)
    if context is None:  # Spark Connect sessions have no SparkContext
        return not getattr(session, "is_stopped", False)
    # Classic sessions only (Connect returned above): stop() clears the context's JVM handle,
    # and pyspark offers no public "is stopped" for a classic session.
    return getattr(context, "_jsc", None) is not None  # noqa: DBX101


atexit.register(SparkSessionFactory._remove_scratch_dir)
