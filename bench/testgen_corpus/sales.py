"""Sales transforms: filters, joins and aggregations."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

LARGE_ORDER = 500


def valid_orders(orders: DataFrame) -> DataFrame:
    """Orders with a positive amount and a known status."""
    return orders.filter(F.col("amount") > 0).where(F.col("status").isin("open", "shipped"))


def large_orders(orders: DataFrame, *, threshold: int = LARGE_ORDER) -> DataFrame:
    return orders.filter(F.col("amount") >= threshold).select("order_id", "amount")


def orders_with_customers(orders: DataFrame, customers: DataFrame) -> DataFrame:
    return orders.join(customers, on="customer_id", how="left").select(
        "order_id", "customer_id", F.col("segment").alias("customer_segment")
    )


def matched_payments(orders: DataFrame, payments: DataFrame) -> DataFrame:
    return orders.join(payments, on="order_id", how="inner").withColumn(
        "paid_in_full", F.col("paid") >= F.col("amount")
    )


def revenue_by_region(orders: DataFrame) -> DataFrame:
    return orders.groupBy("region").agg(
        F.sum("amount").alias("revenue"), F.count("*").alias("orders")
    )


def average_basket(orders: DataFrame) -> DataFrame:
    return (
        orders.filter("quantity > 1")
        .groupBy("customer_id")
        .agg(F.avg("amount").alias("avg_amount"))
    )


def with_vat(orders: DataFrame, *, rate: float = 0.2) -> DataFrame:
    return orders.withColumn("amount_with_vat", F.round(F.col("amount") * (1 + rate), 2))


def discount_band(orders: DataFrame) -> DataFrame:
    return orders.withColumn(
        "band",
        F.when(F.col("amount") > 1000, "gold")
        .when(F.col("amount") > 100, "silver")
        .otherwise("bronze"),
    )
