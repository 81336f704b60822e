"""pytest plugin and helpers for testing PySpark transforms.

The plugin (`toolkit.testing.plugin`, loaded through the pytest11 entry point) provides the
`spark`, `toolkit_config`, `temp_view`, `temp_table` and `assert_df_equal` fixtures.
"""

from toolkit.testing.assertions import DataFrameMismatchError, assert_df_equal

__all__ = ["DataFrameMismatchError", "assert_df_equal"]
