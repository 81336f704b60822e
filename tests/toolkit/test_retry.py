import asyncio
import io
import json

import pytest
from pyspark.errors import AnalysisException

from toolkit.logging import configure_logging, reset_logging
from toolkit.retry import RetryPolicy, is_transient_error, retry

FAST = {"initial_delay": 0.001, "max_delay": 0.01, "jitter": 0}


class TooManyRequests(Exception):
    """Named like databricks.sdk.errors.TooManyRequests."""


class DatabricksError(Exception):
    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class ConcurrentAppendException(Exception):
    """Named like delta.exceptions.ConcurrentAppendException."""


class SparkLikeError(Exception):
    def __init__(self, condition: str) -> None:
        super().__init__(condition)
        self.condition = condition

    def getCondition(self) -> str:
        return self.condition


class SdkError(Exception):
    def __init__(self, error_code: str) -> None:
        super().__init__(error_code)
        self.error_code = error_code


class PermissionDenied(Exception):
    """Named like databricks.sdk.errors.PermissionDenied."""


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionResetError("reset"), True),
        (TimeoutError("slow"), True),
        (TooManyRequests("throttled"), True),
        (DatabricksError("bad gateway", 502), True),
        (DatabricksError("unavailable", 503), True),
        (DatabricksError("not found", 404), False),
        (SdkError("TEMPORARILY_UNAVAILABLE"), True),
        (SdkError("PERMISSION_DENIED"), False),
        (ConcurrentAppendException("files added"), True),
        (SparkLikeError("DELTA_CONCURRENT_APPEND.WITH_PARTITION_HINT"), True),
        (RuntimeError("io.delta.exceptions.ConcurrentAppendException: Files were added"), True),
        (SparkLikeError("TABLE_OR_VIEW_NOT_FOUND"), False),
        (ValueError("bad"), False),
        (PermissionError("denied"), False),
        (PermissionDenied("no grant"), False),
        (AnalysisException("[UNRESOLVED_COLUMN] x"), False),
        (RuntimeError("boom"), False),
    ],
)
def test_default_classifier(error, transient):
    assert is_transient_error(error) is transient


@pytest.fixture
def log_lines(monkeypatch):
    monkeypatch.delenv("TOOLKIT_LOG_FORMAT", raising=False)
    buffer = io.StringIO()
    configure_logging(format="json", stream=buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    reset_logging()


def test_transient_errors_are_retried_and_each_retry_is_logged(log_lines):
    calls = []

    @retry(max_attempts=4, **FAST)
    def flaky(value: int) -> int:
        calls.append(value)
        if len(calls) < 3:
            raise ConnectionResetError(f"reset {len(calls)}")
        return value * 2

    assert flaky(21) == 42
    assert calls == [21, 21, 21]
    logged = [r for r in log_lines() if r.get("event") == "retry"]
    assert [r["attempt"] for r in logged] == [1, 2]
    assert logged[0]["level"] == "WARNING" and logged[0]["error_type"] == "ConnectionResetError"
    assert logged[0]["function"].endswith("flaky")


def test_final_exception_is_reraised_unchanged(log_lines):
    raised = []

    @retry(max_attempts=3, **FAST)
    def always_down() -> None:
        error = DatabricksError("unavailable", 503)
        raised.append(error)
        raise error

    with pytest.raises(DatabricksError) as caught:
        always_down()
    assert len(raised) == 3 and caught.value is raised[-1]


def test_permanent_errors_are_not_retried(log_lines):
    calls = []

    @retry(max_attempts=5, **FAST)
    def bad_input() -> None:
        calls.append(1)
        raise ValueError("negative amount")

    with pytest.raises(ValueError, match="negative amount"):
        bad_input()
    assert calls == [1] and log_lines() == []


def test_total_delay_budget_stops_early(log_lines):
    calls = []

    @retry(max_attempts=50, initial_delay=0.05, max_delay=0.05, max_total_delay=0.2, jitter=0)
    def down() -> None:
        calls.append(1)
        raise TimeoutError("still down")

    with pytest.raises(TimeoutError):
        down()
    assert 2 <= len(calls) <= 6


def test_async_functions_are_retried(log_lines):
    calls = []

    @retry(max_attempts=3, **FAST)
    async def fetch() -> str:
        calls.append(1)
        await asyncio.sleep(0)
        if len(calls) == 1:
            raise TooManyRequests("slow down")
        return "ok"

    assert asyncio.run(fetch()) == "ok" and len(calls) == 2


def test_bare_decorator_custom_classifier_and_policy_from_config(tmp_path, log_lines):
    @retry
    def plain() -> str:
        return "fine"

    assert plain() == "fine" and plain.retry_policy == RetryPolicy()

    calls = []

    @retry(retry_on=lambda error: isinstance(error, KeyError), **FAST)
    def custom() -> None:
        calls.append(1)
        raise KeyError("k")

    with pytest.raises(KeyError):
        custom()
    assert len(calls) == 3

    (tmp_path / "project.yaml").write_text(
        "name: p\ncatalog:\n  name: c\nretry:\n  max_attempts: 6\n  jitter: 0\n", encoding="utf-8"
    )
    from toolkit.config import ConfigLoader

    policy = RetryPolicy.from_config(ConfigLoader.load(config_dir=tmp_path), initial_delay=0)
    assert (policy.max_attempts, policy.jitter, policy.initial_delay) == (6, 0, 0)
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
