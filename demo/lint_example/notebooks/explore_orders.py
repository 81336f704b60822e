# Databricks notebook source
# MAGIC %md
# MAGIC # Explore orders
# MAGIC A quick look at yesterday's orders.

# COMMAND ----------

# MAGIC %run ./setup

# COMMAND ----------

from pyspark.sql import functions as F

orders = spark.table("hive_metastore.sales.orders")
late = orders.where(F.col("shipped_at") != None)
if late.count() > 0:
    display(late.limit(10))

# COMMAND ----------

for region in ["emea", "amer"]:
    print(region, orders.filter(F.col("region") == region).count())
