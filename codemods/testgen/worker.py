"""The characterization worker: a separate process that keeps one local SparkSession and runs
user transforms on request, so that the generator (and nothing that only reads code) executes
user code, and a hanging transform can be killed without taking the caller down.

Protocol: one JSON object per line on standard input; one JSON object per line back on the
process's original standard output. User code's own prints go to standard error.

Request: `{"import_root": str, "module": str, "setup": str, "act": str}`. `setup` creates the
input DataFrames (with `spark` in scope) and imports the transform; `act` assigns `actual`.
Progress: `{"importing": module}` before the user's module is imported.
Reply: `{"ok": true, "tuple": bool, "outputs": [{"fields": [[name, type, nullable]],
"rows": [[cell source, ...]], "nondeterministic": [name, ...]}]}` (one output per returned
DataFrame), or `{"ok": false, "error": str, "missing_column": str|null,
"wrong_type": [required type, column]|null, "import_failed": true (the module itself
raised on import)}`.

Run as `python -m codemods.testgen.worker`.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Used when `toolkit.spark` is not importable; otherwise the worker takes the `spark` test
# fixture's own settings, so the characterized output is what the generated test will see.
SPARK_CONF = {
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
_MISSING_COLUMN = re.compile(r"name `([^`]+)` cannot be resolved")
_WRONG_TYPE = re.compile(r'requires the "(MAP|ARRAY|STRUCT)" type, however "([^"]+)" has the type')


def build_session() -> Any:
    """The session the `spark` test fixture would build here (the project's `local` config
    applied), so the observed output is what the generated test will see."""
    try:
        from toolkit.config import ConfigNotFoundError, load_config
        from toolkit.spark import SparkSessionFactory
    except ImportError:
        return _plain_session()
    try:
        project_config = load_config(env="local")
    except ConfigNotFoundError:
        project_config = None
    except Exception as exc:  # a broken project config: say so, and use the defaults
        print(f"toolkit gen-tests: project config not used: {exc}", file=sys.stderr)
        project_config = None
    spark = SparkSessionFactory.create(project_config, force_local=True, short_runs=True)
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _plain_session() -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[*]").appName("toolkit-gen-tests")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _forget_other_copies(module: str, import_root: str) -> None:
    """Drop cached modules of the same package loaded from another folder (bench mutants)."""
    top = module.split(".")[0]
    root = os.path.realpath(import_root)
    for name in list(sys.modules):
        if name == top or name.startswith(top + "."):
            file = getattr(sys.modules[name], "__file__", None) or ""
            if not os.path.realpath(file).startswith(root + os.sep):
                del sys.modules[name]
    importlib.invalidate_caches()


def _ship_by_value(import_root: str) -> None:
    """UDFs defined in user modules travel to Spark's Python workers by value, so those workers
    need not import the user's package."""
    from pyspark import cloudpickle

    root = os.path.realpath(import_root)
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and os.path.realpath(file).startswith(root + os.sep):
            try:
                cloudpickle.register_pickle_by_value(module)
            except (ValueError, TypeError):
                pass


def warm_up(spark: Any) -> None:
    """Run one small query of the kind a characterization runs.

    A fresh JVM spends seconds on its first query (class loading, code generation); paid
    here, before the worker reports ready, it counts against the start-up time and not
    against the first transform's timeout."""
    frame = spark.createDataFrame([(1, "a", 1.5), (2, "b", None)], "id int, code string, x double")
    frame.filter(frame.id > 0).groupBy("code").count().join(frame, "code", "left").collect()


def _sortable(value: Any) -> str:
    return repr(value)


def characterize(
    spark: Any, request: dict[str, Any], *, notify: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Run one request. `notify` sends a progress line (`{"importing": module}`) first, so
    the parent can tell a worker that died importing the user's module from one that died
    running it."""
    from pyspark.sql import DataFrame

    from codemods.testgen.literals import literal_source

    root = request["import_root"]
    if root not in sys.path:
        sys.path.insert(0, root)
    _forget_other_copies(request["module"], root)
    notify({"importing": request["module"]})
    try:
        importlib.import_module(request["module"])
    except BaseException as exc:  # SystemExit and KeyboardInterrupt at import time too
        return {**_failure(exc), "import_failed": True}
    namespace: dict[str, Any] = {"spark": spark}
    exec(compile(request["setup"], "<generated test setup>", "exec"), namespace)
    _ship_by_value(root)
    runs = []
    for _ in range(2):
        exec(compile(request["act"], "<generated test call>", "exec"), namespace)
        actual = namespace["actual"]
        frames = list(actual) if isinstance(actual, tuple) else [actual]
        if not frames or not all(isinstance(f, DataFrame) for f in frames):
            kinds = ", ".join(type(f).__name__ for f in frames) or "an empty tuple"
            return {"ok": False, "error": f"returned {kinds}, not a DataFrame"}
        runs.append([(frame.schema, frame.collect()) for frame in frames])
    outputs = []
    for (schema, rows), (_, rows_again) in zip(runs[0], runs[1], strict=True):
        nondeterministic = [
            name
            for index, name in enumerate(schema.names)
            if sorted(_sortable(r[index]) for r in rows)
            != sorted(_sortable(r[index]) for r in rows_again)
        ]
        outputs.append(
            {
                "fields": [[f.name, f.dataType.simpleString(), f.nullable] for f in schema.fields],
                "rows": [[literal_source(value) for value in row] for row in rows],
                "nondeterministic": nondeterministic,
            }
        )
    return {"ok": True, "outputs": outputs, "tuple": isinstance(namespace["actual"], tuple)}


def _failure(exc: BaseException) -> dict[str, Any]:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    missing = _MISSING_COLUMN.search(str(exc))
    return {
        "ok": False,
        "error": f"{type(exc).__name__}: {message}"[:500],
        "missing_column": missing.group(1) if missing else None,
        "wrong_type": list(wrong.groups()) if (wrong := _WRONG_TYPE.search(str(exc))) else None,
        # `complex_fields(df.schema)[name]`: a lookup among struct/array/map columns failed.
        "missing_key": exc.args[0]
        if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str)
        else None,
        "traceback": "".join(traceback.format_exception(exc))[-2000:],
    }


def main() -> int:
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything user code (or the JVM) prints goes to standard error
    sys.stdout = sys.stderr
    try:
        spark = build_session()
        warm_up(spark)
    except Exception as exc:
        protocol.write(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}))
        protocol.write("\n")
        return 1
    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("quit"):
            break
        try:
            reply = characterize(
                spark, request, notify=lambda note: protocol.write(json.dumps(note) + "\n")
            )
        except BaseException as exc:  # the user's code may raise anything, SystemExit included
            reply = _failure(exc)
        protocol.write(json.dumps(reply) + "\n")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path.cwd()))
    raise SystemExit(main())
