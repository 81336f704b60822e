"""Event transforms: dates, timestamps and windows."""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F


def recent_events(events: DataFrame) -> DataFrame:
    return events.filter(F.col("event_date") >= "2024-02-01").select("user_id", "event_date")


def with_event_parts(events: DataFrame) -> DataFrame:
    return events.withColumn("year", F.year("event_date")).withColumn(
        "weekday", F.dayofweek("event_date")
    )


def parse_raw_dates(raw: DataFrame) -> DataFrame:
    return raw.withColumn("day", F.to_date("raw_day", "dd/MM/yyyy")).drop("raw_day")


def latest_per_user(events: DataFrame) -> DataFrame:
    window = Window.partitionBy("user_id").orderBy(F.col("event_ts").desc())
    return (
        events.withColumn("rank", F.row_number().over(window))
        .filter(F.col("rank") == 1)
        .drop("rank")
    )


def running_total(events: DataFrame) -> DataFrame:
    window = (
        Window.partitionBy("user_id")
        .orderBy("event_ts")
        .rowsBetween(Window.unboundedPreceding, Window.currentRow)
    )
    return events.withColumn("running_points", F.sum("points").over(window))


def daily_counts(events: DataFrame) -> DataFrame:
    return (
        events.groupBy(F.to_date("event_ts").alias("day"))
        .agg(F.countDistinct("user_id").alias("users"))
        .orderBy("day")
    )


def session_gaps(events: DataFrame) -> DataFrame:
    window = Window.partitionBy("user_id").orderBy("event_ts")
    return events.withColumn(
        "gap_minutes",
        (F.col("event_ts").cast("long") - F.lag("event_ts").over(window).cast("long")) / 60,
    ).filter(F.col("gap_minutes").isNull() | (F.col("gap_minutes") > 30))
