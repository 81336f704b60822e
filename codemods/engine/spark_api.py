"""What PySpark's API returns, as tables the semantic model reads: the kind of a method's
result given the kind of its receiver, and the kind of well-known qualified names.

Only names whose result is certain are listed; anything else stays unknown.
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DATAFRAME_TO_DATAFRAME = _names("""agg alias cache checkpoint coalesce crossJoin distinct drop dropDuplicates
    drop_duplicates dropDuplicatesWithinWatermark dropna exceptAll fillna filter hint
    intersect intersectAll join limit localCheckpoint melt offset orderBy persist repartition
    repartitionByRange replace sample sampleBy select selectExpr sort sortWithinPartitions
    subtract summary describe tail_df toDF transform union unionAll unionByName unpersist
    unpivot where withColumn withColumnRenamed withColumns withColumnsRenamed withMetadata
    withWatermark observe to""")
_DATAFRAME_TO_GROUPED = _names("groupBy groupby rollup cube groupingSets")
_GROUPED_TO_DATAFRAME = _names("agg count sum avg mean max min applyInPandas apply")
_GROUPED_TO_GROUPED = frozenset(["pivot"])
_DATAFRAME_ATTRIBUTES = {
    "sparkSession": "session",
    "write": "writer",
    "writeStream": "writer",
    "na": "na",
    "stat": "stat",
}
# Attributes of a DataFrame that are not columns (`df.columns` is a list, `df.schema` a type).
_DATAFRAME_NON_COLUMN_ATTRIBUTES = _names("""columns dtypes schema rdd sparkSession sql_ctx isStreaming storageLevel
    write writeStream na stat""")
_NA_TO_DATAFRAME = _names("drop fill replace")
_COLUMN_TO_COLUMN = _names("""alias asc asc_nulls_first asc_nulls_last astype between bitwiseAND bitwiseOR
    bitwiseXOR cast contains desc desc_nulls_first desc_nulls_last dropFields endswith
    eqNullSafe getField getItem ilike isNaN isNotNull isNull isin like name otherwise over
    rlike startswith substr when withField""")
_SESSION_TO_DATAFRAME = _names("table sql createDataFrame range")
_SESSION_ATTRIBUTES = {"read": "reader", "readStream": "reader"}
_READER_TO_READER = _names("format option options schema")
_READER_TO_DATAFRAME = _names("load table csv json parquet orc text jdbc xml delta")
_WRITER_TO_WRITER = _names(
    "format mode option options partitionBy bucketBy sortBy clusterBy outputMode trigger "
    "queryName foreachBatch"
)
_WINDOW_TO_WINDOW = _names("partitionBy orderBy rowsBetween rangeBetween")
_BUILDER_TO_BUILDER = _names("appName master config enableHiveSupport remote")
_BUILDER_TO_SESSION = frozenset(["getOrCreate", "create"])

# Functions of `pyspark.sql.functions` whose result is not a Column.
_FUNCTIONS_NOT_COLUMN = {
    "udf": None,
    "pandas_udf": None,
    "udtf": None,
    "broadcast": "dataframe",
}

KIND_OF_QUALIFIED: dict[str, str] = {
    "pyspark.sql.SparkSession.builder": "builder",
    "pyspark.sql.session.SparkSession.builder": "builder",
    "pyspark.sql.Window": "window_class",
    "pyspark.sql.window.Window": "window_class",
    "pyspark.sql.functions": "functions_module",
    # The class itself: `SparkSession.getActiveSession()` / `.active()` give the session.
    "pyspark.sql.SparkSession": "session_class",
    "pyspark.sql.session.SparkSession": "session_class",
    # The Databricks SDK's handle on the notebook's `dbutils` (the same object on a cluster).
    "databricks.sdk.runtime.dbutils": "dbutils",
}

ANNOTATION_KINDS: dict[str, str] = {
    "pyspark.sql.DataFrame": "dataframe",
    "pyspark.sql.dataframe.DataFrame": "dataframe",
    "pyspark.sql.connect.dataframe.DataFrame": "dataframe",
    "pyspark.sql.Column": "column",
    "pyspark.sql.column.Column": "column",
    "pyspark.sql.connect.column.Column": "column",
    "pyspark.sql.SparkSession": "session",
    "pyspark.sql.session.SparkSession": "session",
    "pyspark.sql.connect.session.SparkSession": "session",
    "pyspark.sql.WindowSpec": "window",
    "pyspark.sql.window.WindowSpec": "window",
    "pyspark.sql.GroupedData": "grouped",
    "pyspark.sql.group.GroupedData": "grouped",
}

_METHOD_TABLES: dict[str, list[tuple[frozenset[str], str]]] = {
    "dataframe": [(_DATAFRAME_TO_DATAFRAME, "dataframe"), (_DATAFRAME_TO_GROUPED, "grouped")],
    "grouped": [(_GROUPED_TO_DATAFRAME, "dataframe"), (_GROUPED_TO_GROUPED, "grouped")],
    "column": [(_COLUMN_TO_COLUMN, "column")],
    "session": [(_SESSION_TO_DATAFRAME, "dataframe")],
    "reader": [(_READER_TO_READER, "reader"), (_READER_TO_DATAFRAME, "dataframe")],
    "writer": [(_WRITER_TO_WRITER, "writer")],
    "window": [(_WINDOW_TO_WINDOW, "window")],
    "window_class": [(_WINDOW_TO_WINDOW, "window")],
    "builder": [(_BUILDER_TO_BUILDER, "builder"), (_BUILDER_TO_SESSION, "session")],
    "na": [(_NA_TO_DATAFRAME, "dataframe")],
    "session_class": [(frozenset(["getActiveSession", "active"]), "session")],
}


def method_result(receiver: str, method: str) -> str | None:
    """The kind of `<receiver kind>.method(...)`, or None when unknown."""
    if receiver == "functions_module":
        return _FUNCTIONS_NOT_COLUMN.get(method, "column") if not method.startswith("_") else None
    if receiver == "session" and method == "newSession":
        return "session"
    for names, result in _METHOD_TABLES.get(receiver, ()):
        if method in names:
            return result
    return None


def attribute_result(receiver: str, attribute: str) -> str | None:
    """The kind of `<receiver kind>.attribute` (no call), or None when unknown."""
    if receiver == "dataframe":
        if attribute in _DATAFRAME_ATTRIBUTES:
            return _DATAFRAME_ATTRIBUTES[attribute]
        if attribute in _DATAFRAME_NON_COLUMN_ATTRIBUTES or attribute.startswith("_"):
            return None
        if attribute in _DATAFRAME_TO_DATAFRAME or attribute in _DATAFRAME_TO_GROUPED:
            return None  # a bound method, not a column
        return "column"  # `df.amount` is the column `amount`
    if receiver == "session":
        return _SESSION_ATTRIBUTES.get(attribute)
    return None


def call_result(qualified: str) -> str | None:
    """The kind of calling the function or class `qualified` directly."""
    module, _, name = qualified.rpartition(".")
    if module == "pyspark.sql.functions":
        return _FUNCTIONS_NOT_COLUMN.get(name, "column")
    if qualified in ("pyspark.sql.Column", "pyspark.sql.column.Column"):
        return "column"
    return None
