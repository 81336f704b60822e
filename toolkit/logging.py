"""Structured logging: one JSON object per line, or readable text on a terminal.

    from toolkit.logging import bind, get_logger, log_metrics

    logger = get_logger(__name__, context={"job": "customers"})
    with bind(run_id="2024-06-01"):
        logger.info("loaded", extra_fields={"rows": 20})
    log_metrics({"rows_in": 20, "rows_out": 17}, tags={"layer": "silver"})

Each record is a flat JSON object: `timestamp` (UTC, ISO-8601), `level`, `logger`, `message`,
then the bound context, the logger's context and the call's `extra_fields` as top-level keys,
and `exception` ({type, message, traceback}) when there is one. A key that would overwrite one
of those reserved names is written as `field_<key>`.

Nothing is configured at import time. The first `get_logger` call installs one handler on the
root logger (stderr), unless `configure_logging` was called first; the format comes from
`TOOLKIT_LOG_FORMAT`, else the project config's `logging.format`, else `json`.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.config import LoggingConfig, ProjectConfig

__all__ = [
    "RESERVED_KEYS",
    "ConsoleFormatter",
    "JsonFormatter",
    "ToolkitHandler",
    "ToolkitLogger",
    "bind",
    "bound_context",
    "configure_logging",
    "get_logger",
    "log_metrics",
    "record_fields",
    "reset_logging",
]

RESERVED_KEYS = frozenset({"timestamp", "level", "logger", "message", "exception"})
FORMATS = ("json", "console")

_FIELDS_ATTRIBUTE = "toolkit_fields"
_context: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar(
    "toolkit_log_context", default=MappingProxyType({})
)
# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    _FIELDS_ATTRIBUTE,
}
_setup_lock = threading.Lock()
_handler: ToolkitHandler | None = None
_default_level: int | None = None
_static_context: dict[str, Any] = {}
_our_loggers: set[str] = set()


@contextlib.contextmanager
def bind(**context: Any) -> Iterator[Mapping[str, Any]]:
    """Add `context` to every record logged inside the block (this thread or task only)."""
    merged = {**_context.get(), **context}
    token = _context.set(merged)
    try:
        yield merged
    finally:
        _context.reset(token)


def bound_context() -> dict[str, Any]:
    """The context bound by enclosing `bind` blocks."""
    return dict(_context.get())


class ToolkitLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """A standard-library logger adapter that adds context and `extra_fields` to records."""

    def __init__(self, logger: logging.Logger, context: Mapping[str, Any] | None = None) -> None:
        super().__init__(logger, dict(context or {}))

    @property
    def context(self) -> dict[str, Any]:
        return dict(self.extra or {})

    def bind(self, **context: Any) -> ToolkitLogger:
        """A logger like this one with more context on every record."""
        return ToolkitLogger(self.logger, {**self.context, **context})

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        # Context is captured when the call is made, not when a handler formats the record,
        # so it stays right with queue handlers and across threads.
        fields = {**_static_context, **_context.get(), **self.context}
        fields.update(kwargs.pop("extra_fields", None) or {})
        extra = dict(kwargs.get("extra") or {})
        extra[_FIELDS_ATTRIBUTE] = fields
        kwargs["extra"] = extra
        return msg, kwargs


def get_logger(name: str, context: Mapping[str, Any] | None = None) -> ToolkitLogger:
    """A logger whose records carry `context`; installs the toolkit handler on first use."""
    _ensure_handler()
    logger = logging.getLogger(name)
    with _setup_lock:
        _our_loggers.add(name)
        if logger.level == logging.NOTSET and _default_level is not None:
            logger.setLevel(_default_level)
    return ToolkitLogger(logger, context)


def log_metrics(
    metrics: Mapping[str, Any],
    *,
    tags: Mapping[str, Any] | None = None,
    logger: ToolkitLogger | logging.Logger | str | None = None,
    message: str = "metrics",
) -> None:
    """Emit one record with `event: metrics`, the `metrics` and their `tags`."""
    if logger is None or isinstance(logger, str):
        logger = get_logger(logger or "toolkit.metrics")
    elif isinstance(logger, logging.Logger):
        logger = ToolkitLogger(logger)
    fields = {"event": "metrics", "metrics": dict(metrics), "tags": dict(tags or {})}
    logger.info(message, extra_fields=fields)


class JsonFormatter(logging.Formatter):
    """One flat JSON object per record (see the module docstring for the keys)."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(record_fields(record), default=_jsonable, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    """`HH:MM:SS.mmm LEVEL logger: message key=value ...`, and the traceback below."""

    def format(self, record: logging.LogRecord) -> str:
        fields = record_fields(record)
        time = fields.pop("timestamp")[11:23]
        level, name, message = fields.pop("level"), fields.pop("logger"), fields.pop("message")
        exception = fields.pop("exception", None)
        pairs = " ".join(f"{key}={_console_value(value)}" for key, value in fields.items())
        line = f"{time} {level:<8} {name}: {message}" + (f"  {pairs}" if pairs else "")
        if exception is not None:
            line += "\n" + exception["traceback"].rstrip("\n")
        return line


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The keys a record is written with, reserved ones first."""
    stamp = datetime.fromtimestamp(record.created, tz=timezone.utc)
    fields: dict[str, Any] = {
        "timestamp": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
    }
    extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRIBUTES}
    extra.update(getattr(record, _FIELDS_ATTRIBUTE, None) or {})
    for key, value in extra.items():
        fields[f"field_{key}" if key in RESERVED_KEYS else key] = value
    if record.exc_info and record.exc_info[0] is not None:
        kind, error, trace = record.exc_info
        fields["exception"] = {
            "type": f"{kind.__module__}.{kind.__qualname__}"
            if kind.__module__ != "builtins"
            else kind.__qualname__,
            "message": str(error),
            "traceback": "".join(traceback.format_exception(kind, error, trace)),
        }
    elif record.exc_text:
        fields["exception"] = {"type": None, "message": None, "traceback": record.exc_text}
    return fields


class ToolkitHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that picks its format when the first record arrives.

    Deciding late means that creating a logger at a module's top reads no config; the format
    is `TOOLKIT_LOG_FORMAT`, else the project config's `logging.format`, else json.
    """

    def __init__(self, stream: IO[str] | None = None, *, format: str | None = None) -> None:
        super().__init__(stream if stream is not None else sys.stderr)
        # Without an explicit stream, write to whatever sys.stderr is *now*: pytest and
        # notebooks swap it, and a stream captured once may be closed by the next test.
        self.follows_stderr = stream is None
        self.format_name = format
        if format is not None:
            self.setFormatter(_formatter(format))

    def emit(self, record: logging.LogRecord) -> None:
        if self.follows_stderr:
            self.stream = sys.stderr
        if self.format_name is None:
            self.format_name = _format_from_environment()
            self.setFormatter(_formatter(self.format_name))
        super().emit(record)


def configure_logging(
    config: LoggingConfig | ProjectConfig | None = None,
    *,
    level: str | int | None = None,
    format: str | None = None,
    stream: IO[str] | None = None,
) -> ToolkitHandler:
    """Install (or replace) the toolkit handler on the root logger and set levels.

    `config` is the project config or its `logging` section; `level` and `format` win over it,
    and `TOOLKIT_LOG_FORMAT` / `TOOLKIT_LOG_LEVEL` win over both. The root logger keeps its
    own level, so other libraries' INFO chatter (py4j) stays quiet; loggers made by
    `get_logger` get the configured level.
    """
    global _handler, _default_level, _static_context
    logging_config = getattr(config, "logging", config)
    chosen_format = os.environ.get("TOOLKIT_LOG_FORMAT") or format
    if chosen_format is None and logging_config is not None:
        chosen_format = logging_config.format
    chosen_format = (chosen_format or "json").lower()
    if chosen_format not in FORMATS:
        from toolkit.errors import ToolkitError

        raise ToolkitError(
            f"logging format {chosen_format!r} is not one of: {', '.join(FORMATS)}"
            " (from TOOLKIT_LOG_FORMAT or logging.format)"
        )
    chosen_level = os.environ.get("TOOLKIT_LOG_LEVEL") or level
    if chosen_level is None and logging_config is not None:
        chosen_level = logging_config.level
    numeric_level = _level_number(chosen_level or "INFO")
    handler = ToolkitHandler(stream, format=chosen_format)
    with _setup_lock:
        root = logging.getLogger()
        if _handler is not None:
            root.removeHandler(_handler)
        root.addHandler(handler)
        _handler, _default_level = handler, numeric_level
        _static_context = dict(logging_config.context) if logging_config is not None else {}
        for name in _our_loggers:
            logging.getLogger(name).setLevel(numeric_level)
    return handler


def reset_logging() -> None:
    """Remove the toolkit handler and forget levels set by it (tests use this)."""
    global _handler, _default_level, _static_context
    with _setup_lock:
        if _handler is not None:
            logging.getLogger().removeHandler(_handler)
        for name in _our_loggers:
            logging.getLogger(name).setLevel(logging.NOTSET)
        _handler, _default_level, _static_context = None, None, {}
        _our_loggers.clear()


def _ensure_handler() -> None:
    global _handler, _default_level
    with _setup_lock:
        if _handler is not None:
            return
        _handler = ToolkitHandler()  # format decided at the first record
        _default_level = _level_number(os.environ.get("TOOLKIT_LOG_LEVEL") or "INFO")
        logging.getLogger().addHandler(_handler)


def _format_from_environment() -> str:
    chosen = os.environ.get("TOOLKIT_LOG_FORMAT")
    if chosen is None:
        try:
            from toolkit.config import ConfigError, ConfigLoader

            chosen = ConfigLoader.load().logging.format
        except ConfigError:
            chosen = "json"  # no project here, or its config is broken: the loader says so
    chosen = chosen.lower()
    return chosen if chosen in FORMATS else "json"


def _formatter(name: str) -> logging.Formatter:
    return ConsoleFormatter() if name == "console" else JsonFormatter()


def _level_number(level: str | int) -> int:
    if isinstance(level, int):
        return level
    number = logging.getLevelName(level.upper())
    if not isinstance(number, int):
        from toolkit.errors import ToolkitError

        raise ToolkitError(f"log level {level!r} is not one of DEBUG, INFO, WARNING, ERROR")
    return number


def _jsonable(value: Any) -> Any:
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)  # datetimes, decimals, paths; a SecretStr prints as '**********'


def _console_value(value: Any) -> str:
    if isinstance(value, str) and " " not in value:
        return value
    return json.dumps(value, default=_jsonable, ensure_ascii=False)
