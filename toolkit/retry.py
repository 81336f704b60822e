"""Retry transient failures with exponential backoff and jitter (tenacity underneath).

    from toolkit.retry import retry

    @retry(max_attempts=5)
    def read_volume(path): ...

    @retry(policy=RetryPolicy.from_config(config))
    async def call_api(): ...

Only transient errors are retried: connection and timeout errors, HTTP 429/500/502/503/504
from the Databricks SDK (recognised by class name and status attributes; the SDK is not
imported) and Delta concurrency conflicts (`ConcurrentAppendException` and its family, by
class name or error class). A `ValueError`, an `AnalysisException` or a permission error is
never retried. Each retry is logged through `toolkit.logging`; after the last attempt the
original exception is re-raised unchanged.
"""

from __future__ import annotations

import functools
import inspect
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from toolkit.config import ProjectConfig, RetryConfig

__all__ = [
    "DELTA_CONFLICT_NAMES",
    "RETRYABLE_HTTP_STATUS",
    "RetryPolicy",
    "is_transient_error",
    "retry",
]

F = TypeVar("F", bound=Callable[..., Any])

RETRYABLE_HTTP_STATUS = frozenset({429, 500, 502, 503, 504})

# Delta Lake's optimistic-concurrency conflicts: retrying the transaction usually succeeds.
DELTA_CONFLICT_NAMES = frozenset(
    {
        "ConcurrentAppendException",
        "ConcurrentDeleteReadException",
        "ConcurrentDeleteDeleteException",
        "ConcurrentTransactionException",
        "ConcurrentWriteException",
        "MetadataChangedException",
        "ProtocolChangedException",
        "DELTA_CONCURRENT_APPEND",
        "DELTA_CONCURRENT_DELETE_READ",
        "DELTA_CONCURRENT_DELETE_DELETE",
        "DELTA_CONCURRENT_TRANSACTION",
        "DELTA_CONCURRENT_WRITE",
        "DELTA_METADATA_CHANGED",
        "DELTA_PROTOCOL_CHANGED",
    }
)
# Databricks SDK errors for throttling and server trouble (databricks.sdk.errors).
_SDK_TRANSIENT_NAMES = frozenset(
    {
        "TooManyRequests",
        "ResourceExhausted",
        "InternalError",
        "BadGateway",
        "TemporarilyUnavailable",
        "ServiceUnavailable",
        "GatewayTimeout",
        "DeadlineExceeded",
    }
)
_NEVER_RETRIED_NAMES = frozenset(
    {
        "AnalysisException",
        "ParseException",
        "PermissionDenied",
        "Unauthenticated",
        "NotFound",
        "InvalidParameterValue",
        "BadRequest",
    }
)
_STATUS_ATTRIBUTES = ("status_code", "http_status", "status")
# `DatabricksError.error_code` values of the same transient kinds.
_TRANSIENT_ERROR_CODES = frozenset(
    {
        "TEMPORARILY_UNAVAILABLE",
        "RESOURCE_EXHAUSTED",
        "REQUEST_LIMIT_EXCEEDED",
        "INTERNAL_ERROR",
        "DEADLINE_EXCEEDED",
        "SERVICE_UNDER_MAINTENANCE",
    }
)


def _class_names(error: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(error).__mro__}


def _error_class(error: BaseException) -> str | None:
    # PySpark's errors expose getErrorClass()/getCondition(); Delta's JVM errors arrive with
    # their class name in the message, e.g. "[DELTA_CONCURRENT_APPEND] ...".
    for getter in ("getCondition", "getErrorClass"):
        method = getattr(error, getter, None)
        if callable(method):
            try:
                value = method()
            except Exception:
                value = None
            if value:
                return str(value)
    return None


def _status_code(error: BaseException) -> int | None:
    for attribute in _STATUS_ATTRIBUTES:
        value = getattr(error, attribute, None)
        if isinstance(value, int):
            return value
    response = getattr(error, "response", None)
    value = getattr(response, "status_code", None)
    return value if isinstance(value, int) else None


def is_transient_error(error: BaseException) -> bool:
    """True for an error worth retrying (see the module docstring); False for the rest."""
    names = _class_names(error)
    if isinstance(error, PermissionError | ValueError | TypeError | KeyError):
        return False
    if names & _NEVER_RETRIED_NAMES:
        return False
    if names & DELTA_CONFLICT_NAMES:
        return True
    error_class = _error_class(error)
    if error_class is not None and error_class.split(".")[0] in DELTA_CONFLICT_NAMES:
        return True
    text = str(error)
    if any(f"[{name}]" in text or f"{name}:" in text for name in DELTA_CONFLICT_NAMES):
        return True
    if isinstance(error, ConnectionError | TimeoutError):
        return True
    if names & {"ConnectTimeout", "ReadTimeout", "ConnectionError", "Timeout"}:
        return True  # requests/urllib3/httpx errors, without importing them
    if names & _SDK_TRANSIENT_NAMES:
        return True
    if getattr(error, "error_code", None) in _TRANSIENT_ERROR_CODES:
        return True
    status = _status_code(error)
    return status in RETRYABLE_HTTP_STATUS


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. Times are in seconds.

    The wait before retry n backs off exponentially: `backoff = min(max_delay, initial_delay
    * multiplier**(n-1))`, plus a random jitter of up to `min(jitter, backoff / 2)` (so a
    10 ms backoff never turns into a 1 s wait). Near the cap the jitter is taken off instead
    of added: a wait never exceeds `max_delay`, and waits at the cap still differ. Retrying
    stops after `max_attempts` attempts or when the next wait would pass `max_total_delay`
    since the first attempt. `sleep` replaces how a wait is spent (`time.sleep`, or
    `asyncio.sleep` for async functions; an async `sleep` may return an awaitable), e.g. to
    record the waits in a test.
    """

    max_attempts: int = 3
    initial_delay: float = 1.0
    max_delay: float = 30.0
    max_total_delay: float = 120.0
    multiplier: float = 2.0
    jitter: float = 1.0
    is_retryable: Callable[[BaseException], bool] = is_transient_error
    sleep: Callable[[float], Any] | None = None

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        for name in ("initial_delay", "max_delay", "max_total_delay", "jitter"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.multiplier < 1:
            raise ValueError("multiplier must be at least 1")

    @classmethod
    def from_config(
        cls, config: ProjectConfig | RetryConfig | None = None, **overrides: Any
    ) -> RetryPolicy:
        """The project's `retry` section (the current environment's when `config` is None)."""
        if config is None:
            from toolkit.config import ConfigLoader

            config = ConfigLoader.load()
        section = getattr(config, "retry", config)
        values = {
            name: getattr(section, name)
            for name in (
                "max_attempts",
                "initial_delay",
                "max_delay",
                "max_total_delay",
                "multiplier",
                "jitter",
            )
        }
        return cls(**{**values, **overrides})

    def with_options(self, **changes: Any) -> RetryPolicy:
        return replace(self, **changes)

    def wait_before_retry(self, attempt: int, *, fraction: float | None = None) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based); `fraction` in [0, 1]
        picks the point in the jitter range (random when None)."""
        try:
            backoff = min(self.max_delay, self.initial_delay * self.multiplier ** (attempt - 1))
        except OverflowError:
            backoff = self.max_delay
        spread = min(self.jitter, backoff / 2)
        highest = min(self.max_delay, backoff + spread)
        if fraction is None:
            fraction = random.random()
        return max(0.0, highest - spread * (1 - fraction))

    def _tenacity_kwargs(self, name: str) -> dict[str, Any]:
        import tenacity

        from toolkit.logging import get_logger

        logger = get_logger("toolkit.retry")

        def log_retry(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            logger.warning(
                f"retrying {name} after {type(error).__name__}: {error}",
                extra_fields={
                    "event": "retry",
                    "function": name,
                    "attempt": state.attempt_number,
                    "max_attempts": self.max_attempts,
                    "wait_seconds": round(state.upcoming_sleep, 3),
                    "error_type": type(error).__name__,
                },
            )

        def wait(state: tenacity.RetryCallState) -> float:
            return self.wait_before_retry(state.attempt_number)

        # stop_before_delay (tenacity 8.3+) also refuses a wait that would pass the budget.
        stop_by_time = getattr(tenacity, "stop_before_delay", tenacity.stop_after_delay)
        options: dict[str, Any] = {
            "stop": tenacity.stop_after_attempt(self.max_attempts)
            | stop_by_time(self.max_total_delay),
            "wait": wait,
            "retry": tenacity.retry_if_exception(self.is_retryable),
            "before_sleep": log_retry,
            "reraise": True,
        }
        if self.sleep is not None:
            options["sleep"] = self.sleep
        return options

    def _async_tenacity_kwargs(self, name: str) -> dict[str, Any]:
        options = self._tenacity_kwargs(name)
        spend = self.sleep
        if spend is not None:

            async def sleep(seconds: float) -> None:
                result = spend(seconds)
                if inspect.isawaitable(result):
                    await result

            options["sleep"] = sleep
        return options


def retry(
    func: F | None = None,
    *,
    policy: RetryPolicy | None = None,
    max_attempts: int | None = None,
    initial_delay: float | None = None,
    max_delay: float | None = None,
    max_total_delay: float | None = None,
    multiplier: float | None = None,
    jitter: float | None = None,
    retry_on: Callable[[BaseException], bool] | None = None,
) -> Any:
    """Retry the decorated function (sync or async) on transient errors.

    Use bare (`@retry`) or with options (`@retry(max_attempts=5)`); options override
    `policy`, which defaults to `RetryPolicy()`. `retry_on` replaces the error classifier.
    """
    changes = {
        key: value
        for key, value in {
            "max_attempts": max_attempts,
            "initial_delay": initial_delay,
            "max_delay": max_delay,
            "max_total_delay": max_total_delay,
            "multiplier": multiplier,
            "jitter": jitter,
            "is_retryable": retry_on,
        }.items()
        if value is not None
    }
    chosen = (policy or RetryPolicy()).with_options(**changes)

    def decorate(function: F) -> F:
        import tenacity

        name = getattr(function, "__qualname__", repr(function))
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                retrying = tenacity.AsyncRetrying(**chosen._async_tenacity_kwargs(name))
                return await retrying(function, *args, **kwargs)

            run_async.retry_policy = chosen  # type: ignore[attr-defined]
            return run_async  # type: ignore[return-value]

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            retrying = tenacity.Retrying(**chosen._tenacity_kwargs(name))
            return retrying(function, *args, **kwargs)

        run.retry_policy = chosen  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    if func is not None:
        return decorate(func)
    return decorate
