"""dataeng-toolkit: the runtime library for PySpark pipelines on Databricks.

Importing this package is light: no pyspark, libcst, pygls or jinja2 is imported here.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dataeng-toolkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
