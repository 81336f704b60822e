"""The profiling agent: statistics, top values and histograms of a table or file, on Spark.

`profile_dataframe(df)` profiles a DataFrame in at most two passes; `profile_source(source)`
reads a path or a table name first. The model (`TableProfile`, `ColumnProfile`) is plain
Python; the renderers, rule suggestions and code generators work from it without Spark.
pyspark is imported only when a profile runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.profile.model import ColumnProfile, Histogram, TableProfile

if TYPE_CHECKING:
    from toolkit.profile.engine import profile_dataframe
    from toolkit.profile.source import profile_source

__all__ = ["ColumnProfile", "Histogram", "TableProfile", "profile_dataframe", "profile_source"]


def __getattr__(name: str) -> Any:
    # The Spark-facing entry points load on first use, keeping `import toolkit.profile` light.
    if name == "profile_dataframe":
        from toolkit.profile.engine import profile_dataframe

        return profile_dataframe
    if name == "profile_source":
        from toolkit.profile.source import profile_source

        return profile_source
    raise AttributeError(name)
