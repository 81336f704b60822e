import asyncio
import io
import json
import logging
import subprocess
import sys
import threading

import pytest

from toolkit.logging import (
    bind,
    bound_context,
    configure_logging,
    get_logger,
    log_metrics,
    reset_logging,
)


@pytest.fixture
def stream(monkeypatch):
    monkeypatch.delenv("TOOLKIT_LOG_FORMAT", raising=False)
    monkeypatch.delenv("TOOLKIT_LOG_LEVEL", raising=False)
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    yield buffer
    reset_logging()


def records(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_record_is_one_flat_json_object_with_context_and_extra_fields(stream):
    logger = get_logger("pipelines.customers", context={"job": "customers"})
    with bind(run_id="r-42"):
        logger.info("loaded %d rows", 20, extra_fields={"rows": 20, "source": "csv"})
    [record] = records(stream)
    assert list(record)[:4] == ["timestamp", "level", "logger", "message"]
    assert record["timestamp"].endswith("Z") and record["timestamp"][10] == "T"
    assert record["level"] == "INFO"
    assert record["logger"] == "pipelines.customers"
    assert record["message"] == "loaded 20 rows"
    assert (record["job"], record["run_id"], record["rows"], record["source"]) == (
        "customers",
        "r-42",
        20,
        "csv",
    )
    assert "exception" not in record


def test_reserved_keys_are_prefixed_and_exceptions_are_structured(stream):
    logger = get_logger("pipelines.x")
    try:
        raise KeyError("customer_id")
    except KeyError:
        logger.exception("failed", extra_fields={"level": "gold", "message": "m", "ok": True})
    [record] = records(stream)
    assert record["level"] == "ERROR" and record["message"] == "failed"
    assert (record["field_level"], record["field_message"], record["ok"]) == ("gold", "m", True)
    exception = record["exception"]
    assert exception["type"] == "KeyError" and exception["message"] == "'customer_id'"
    assert 'raise KeyError("customer_id")' in exception["traceback"]


def test_bind_is_scoped_to_block_thread_and_task(stream):
    logger = get_logger("pipelines.scope")

    def worker(name: str) -> None:
        with bind(worker=name):
            logger.info("in thread")

    async def task(name: str) -> None:
        with bind(task=name):
            await asyncio.sleep(0.01)
            logger.info("in task")

    async def both() -> None:
        await asyncio.gather(task("a"), task("b"))

    with bind(outer=1):
        threads = [threading.Thread(target=worker, args=(n,)) for n in ("t1", "t2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        asyncio.run(both())
        assert bound_context() == {"outer": 1}
    logger.info("after")
    found = records(stream)
    threads_seen = sorted(r["worker"] for r in found if r["message"] == "in thread")
    assert threads_seen == ["t1", "t2"]
    assert all("outer" not in r for r in found if r["message"] == "in thread")  # new threads
    tasks = [r for r in found if r["message"] == "in task"]
    assert sorted(r["task"] for r in tasks) == ["a", "b"] and all(r["outer"] == 1 for r in tasks)
    assert "outer" not in found[-1] and "task" not in found[-1]


def test_log_metrics_emits_one_event(stream):
    log_metrics({"rows_in": 20, "rows_out": 17}, tags={"layer": "silver"})
    [record] = records(stream)
    assert record["event"] == "metrics"
    assert record["metrics"] == {"rows_in": 20, "rows_out": 17}
    assert record["tags"] == {"layer": "silver"}


def test_console_format_from_environment(monkeypatch):
    monkeypatch.setenv("TOOLKIT_LOG_FORMAT", "console")
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)  # the variable wins
    try:
        get_logger("pipelines.c").warning("slow step", extra_fields={"seconds": 3.5})
    finally:
        reset_logging()
    line = buffer.getvalue().rstrip("\n")
    assert "WARNING  pipelines.c: slow step  seconds=3.5" in line
    assert not line.startswith("{")


def test_format_and_context_from_project_config(project_dir_with_console_logging, monkeypatch):
    from toolkit.config import ConfigLoader

    monkeypatch.delenv("TOOLKIT_LOG_FORMAT", raising=False)
    config = ConfigLoader.load(config_dir=project_dir_with_console_logging)
    buffer = io.StringIO()
    configure_logging(config, stream=buffer)
    try:
        get_logger("pipelines.d").debug("visible at debug")
    finally:
        reset_logging()
    assert "DEBUG    pipelines.d: visible at debug  team=data" in buffer.getvalue()


@pytest.fixture
def project_dir_with_console_logging(tmp_path):
    (tmp_path / "project.yaml").write_text(
        "name: p\ncatalog:\n  name: c\nlogging:\n  format: console\n  level: debug\n"
        "  context:\n    team: data\n",
        encoding="utf-8",
    )
    return tmp_path


def test_root_level_is_untouched_so_other_libraries_stay_quiet(stream):
    get_logger("pipelines.mine").info("mine")
    logging.getLogger("py4j.clientserver").info("chatter")
    assert [r["message"] for r in records(stream)] == ["mine"]


def test_nothing_is_configured_at_import_time():
    code = (
        "import logging, toolkit.logging, toolkit.retry, toolkit.config;"
        "print(len(logging.getLogger().handlers))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0"


def test_first_get_logger_writes_json_to_stderr_by_default(tmp_path):
    code = (
        "from toolkit.logging import get_logger;"
        "get_logger('job').info('hello', extra_fields={'n': 1})"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    record = json.loads(result.stderr)
    assert (record["message"], record["n"], record["level"]) == ("hello", 1, "INFO")


def test_default_handler_follows_a_swapped_stderr(monkeypatch):
    monkeypatch.delenv("TOOLKIT_LOG_FORMAT", raising=False)
    configure_logging(format="json")
    try:
        first, second = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stderr", first)
        get_logger("pipelines.swap").info("one")
        first.close()  # as pytest closes a finished test's capture
        monkeypatch.setattr(sys, "stderr", second)
        get_logger("pipelines.swap").info("two")
    finally:
        reset_logging()
    assert json.loads(second.getvalue())["message"] == "two"


def test_secrets_stay_masked_in_log_records(stream):
    from pydantic import SecretStr

    get_logger("pipelines.secret").info(
        "connecting",
        extra_fields={"token": SecretStr("dapi-123"), "nested": {"k": SecretStr("x9")}},
    )
    text = stream.getvalue()
    assert "dapi-123" not in text and "x9" not in text
    assert records(stream)[0]["token"] == "**********"
