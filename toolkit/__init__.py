"""dataeng-toolkit: the runtime library for PySpark pipelines on Databricks.

Importing this package is light: no pyspark, libcst, pygls or jinja2 is imported here.
"""

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    # Computed on first use: importlib.metadata costs more to import than the whole lint path
    # of a pre-commit hook, and most imports of `toolkit` never ask for the version.
    if name != "__version__":
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("dataeng-toolkit")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
