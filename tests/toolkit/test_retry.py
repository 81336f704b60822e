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


def _recorded_waits(policy: RetryPolicy, *, attempts: int) -> list[float]:
    waits: list[float] = []

    @retry(policy=policy.with_options(sleep=waits.append, max_attempts=attempts))
    def down() -> None:
        raise TimeoutError("still down")

    with pytest.raises(TimeoutError):
        down()
    return waits


def test_max_delay_caps_every_wait_even_with_the_default_jitter(log_lines):
    # Default jitter is 1 s: it must not turn a 10-20 ms backoff into a one-second wait.
    policy = RetryPolicy(initial_delay=0.01, max_delay=0.02)
    for _ in range(50):
        waits = _recorded_waits(policy, attempts=3)
        assert len(waits) == 2
        assert 0.01 <= waits[0] <= 0.015 and 0.01 <= waits[1] <= 0.02
    logged = [r["wait_seconds"] for r in log_lines() if r.get("event") == "retry"]
    assert len(logged) == 100 and max(logged) <= 0.02


def test_waits_back_off_exponentially_with_jitter_under_the_cap(log_lines):
    policy = RetryPolicy(initial_delay=1, multiplier=2, max_delay=30, jitter=1, max_total_delay=1e6)
    waits = _recorded_waits(policy, attempts=9)
    backoffs = [1, 2, 4, 8, 16, 30, 30, 30]
    for wait, backoff in zip(waits, backoffs, strict=True):
        if backoff < 30:
            assert backoff <= wait <= backoff + min(1, backoff / 2)
        else:  # at the cap the jitter is taken off, never added
            assert 29 <= wait <= 30
    assert len({round(wait, 6) for wait in waits[5:]}) > 1, "waits at the cap all equal"
    assert policy.wait_before_retry(1, fraction=0) == 1.0
    assert policy.wait_before_retry(1, fraction=1) == 1.5
    assert policy.wait_before_retry(100, fraction=1) == 30.0
    assert policy.wait_before_retry(5000, fraction=0) == 29.0  # no overflow on long runs
    no_jitter = policy.with_options(jitter=0)
    assert _recorded_waits(no_jitter, attempts=7) == [1, 2, 4, 8, 16, 30]


def test_async_retries_wait_through_the_policy_sleep(log_lines):
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    calls = []

    @retry(policy=RetryPolicy(sleep=record, initial_delay=0.01, max_delay=0.02, max_attempts=4))
    async def fetch() -> str:
        calls.append(1)
        if len(calls) < 4:
            raise TooManyRequests("slow down")
        return "ok"

    assert asyncio.run(fetch()) == "ok"
    assert len(waits) == 3 and all(0.01 <= wait <= 0.02 for wait in waits)

    plain: list[float] = []

    @retry(policy=RetryPolicy(sleep=plain.append, initial_delay=0.01, max_attempts=2))
    async def once() -> None:
        raise TimeoutError("down")

    with pytest.raises(TimeoutError):
        asyncio.run(once())
    assert len(plain) == 1 and 0.01 <= plain[0] <= 0.015


def test_real_waits_stay_under_max_delay(log_lines):
    import time

    @retry(max_attempts=3, initial_delay=0.01, max_delay=0.02)
    def down() -> None:
        raise TimeoutError("still down")

    started = time.perf_counter()
    with pytest.raises(TimeoutError):
        down()
    # Two waits of at most 20 ms each (they used to be up to a second each).
    assert time.perf_counter() - started < 0.5
