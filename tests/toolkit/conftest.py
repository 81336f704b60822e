"""Fixtures shared by the runtime library's tests."""

from __future__ import annotations

import pytest

# Python source that makes `import pyspark` fail, as on a machine without the `spark` extra:
# run first in a fresh interpreter (or as a project's conftest.py) before anything imports it.
_HIDE_PYSPARK = """
import importlib.abc, sys

class HidePyspark(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, HidePyspark())
"""


@pytest.fixture(scope="session")
def hide_pyspark_source() -> str:
    """Source that hides pyspark from the interpreter that runs it (see `_HIDE_PYSPARK`)."""
    return _HIDE_PYSPARK
