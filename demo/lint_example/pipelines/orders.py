"""Orders: daily totals per customer, written to the silver layer."""

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F


def open_orders(orders: DataFrame) -> DataFrame:
    return orders.filter(F.col("shipped_at") == None)


def daily_totals(orders: DataFrame) -> DataFrame:
    totals = orders.groupBy("customer_id", "order_date").agg(F.sum("amount").alias("total"))
    if totals.count() == 0:
        raise ValueError("no orders to total")
    return totals


def run() -> None:
    spark = SparkSession.builder.appName("orders").getOrCreate()
    orders = spark.read.csv("dbfs:/mnt/raw/orders.csv", header=True, inferSchema=True)
    daily_totals(open_orders(orders)).coalesce(1).write.saveAsTable("main.silver.daily_totals")
    print(daily_totals(orders).collect())
