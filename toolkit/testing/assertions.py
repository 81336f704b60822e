"""DataFrame equality for tests, with chispa doing the comparison and the diff.

`assert_df_equal(actual, expected)` compares schema and rows. `expected` may be a DataFrame or
a plain list of rows (tuples, dicts or `Row`s), which is built with `actual`'s schema so a test
does not repeat it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["DataFrameMismatchError", "assert_df_equal"]


class DataFrameMismatchError(AssertionError):
    """Two DataFrames differ; the message is chispa's side-by-side table of the difference.

    An `AssertionError`, so pytest reports it as a failed assertion and `pytest.raises(
    AssertionError)` works, which chispa's own exceptions (plain `Exception`s) do not.
    """


def assert_df_equal(
    actual: DataFrame,
    expected: DataFrame | Sequence[Any],
    *,
    ignore_row_order: bool = False,
    ignore_column_order: bool = False,
    ignore_nullable: bool = False,
    ignore_metadata: bool = True,
    ignore_columns: Sequence[str] | None = None,
    precision: float | None = None,
    allow_nan_equality: bool = False,
) -> None:
    """Fail with chispa's side-by-side diff unless `actual` equals `expected`.

    - `ignore_row_order`: sort both sides before comparing rows.
    - `ignore_column_order`: compare columns by name, not position.
    - `ignore_nullable`: a nullable column equals a non-nullable one of the same type.
    - `ignore_metadata`: column metadata (comments, Delta/Unity Catalog tags) is not compared.
    - `precision`: floats equal within this absolute tolerance (None: exact).
    - `allow_nan_equality`: NaN equals NaN.
    """
    import chispa

    mismatches = (
        chispa.DataFramesNotEqualError,
        chispa.SchemasNotEqualError,
        chispa.ColumnsNotEqualError,
    )
    try:
        _compare(
            actual,
            expected,
            ignore_row_order=ignore_row_order,
            ignore_column_order=ignore_column_order,
            ignore_nullable=ignore_nullable,
            ignore_metadata=ignore_metadata,
            ignore_columns=ignore_columns,
            precision=precision,
            allow_nan_equality=allow_nan_equality,
        )
    except mismatches as error:
        kind = "schemas differ" if isinstance(error, chispa.SchemasNotEqualError) else "rows differ"
        raise DataFrameMismatchError(f"DataFrames are not equal: {kind}\n{error}") from None


def _compare(
    actual: DataFrame,
    expected: DataFrame | Sequence[Any],
    *,
    ignore_row_order: bool,
    ignore_column_order: bool,
    ignore_nullable: bool,
    ignore_metadata: bool,
    ignore_columns: Sequence[str] | None,
    precision: float | None,
    allow_nan_equality: bool,
) -> None:
    import chispa

    if not _is_dataframe(expected):
        expected = actual.sparkSession.createDataFrame(list(expected), schema=actual.schema)
    columns = list(ignore_columns) if ignore_columns else None
    if precision is None:
        chispa.assert_df_equality(
            actual,
            expected,
            ignore_nullable=ignore_nullable,
            allow_nan_equality=allow_nan_equality,
            ignore_column_order=ignore_column_order,
            ignore_row_order=ignore_row_order,
            ignore_metadata=ignore_metadata,
            ignore_columns=columns,
        )
        return
    if not ignore_metadata:
        chispa.schema_comparer.assert_schema_equality(
            actual.schema, expected.schema, ignore_nullable=ignore_nullable
        )
    chispa.assert_approx_df_equality(
        actual,
        expected,
        precision,
        ignore_nullable=ignore_nullable,
        allow_nan_equality=allow_nan_equality,
        ignore_column_order=ignore_column_order,
        ignore_row_order=ignore_row_order,
        ignore_columns=columns,
    )


def _is_dataframe(value: object) -> bool:
    # Classic and Spark Connect DataFrames are different classes; both have `schema` and
    # `sparkSession`, a list of rows has neither.
    return hasattr(value, "schema") and hasattr(value, "sparkSession")
