"""The generated PySpark module the speed benchmarks share."""


def pyspark_module(lines: int = 2000) -> str:
    """A PySpark module of about `lines` lines: chains, windows, joins, loops, a finding."""
    out = ["import pyspark.sql.functions as F", "from pyspark.sql import DataFrame, Window", ""]
    index = 0
    while len(out) < lines:
        out += [
            f"def transform_{index}(orders: DataFrame, spark) -> DataFrame:",
            f"    df = spark.table('sales.orders_{index}').filter(F.col('amount') > {index})",
            f"    df = df.withColumn('x{index}', F.col('a') + F.lit({index})).select('a', 'b')",
            "    if df.count() == 0:",
            "        return orders",
            "    for name in ['a', 'b']:",
            "        df = df.withColumn(name, F.upper(F.col(name)))",
            "    window = Window.partitionBy('a').orderBy('b')",
            "    joined = df.join(orders, on='id', how='left').withColumn('r', F.rank().over(window))",
            "    result = joined.groupBy('a').agg(F.sum('b').alias('s'), F.max('r'))",
            "    return result.where(F.col('s').isNotNull())",
            "",
        ]
        index += 1
    return "\n".join(out[:lines]) + "\n"
