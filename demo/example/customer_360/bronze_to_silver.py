"""Bronze to silver for customers: ingest the raw CSV, clean it, quarantine the bad rows.

Run from the project folder (the one holding `config/`):

    TOOLKIT_ENV=local python -m customer_360.bronze_to_silver

Locally the tables are Parquet folders under `settings.output_root`; on Databricks the same
names from `config.catalog.get_table_name(...)` would be Delta tables.
"""

from __future__ import annotations

import time
from pathlib import Path

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from toolkit.config import ProjectConfig, load_config
from toolkit.logging import bind, configure_logging, get_logger, log_metrics
from toolkit.retry import RetryPolicy, retry
from toolkit.spark import SparkSessionFactory

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
RAW_COLUMNS = (
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "country",
    "signup_date",
    "lifetime_value",
)


def to_bronze(raw: DataFrame, *, source: str) -> DataFrame:
    """Raw rows as text, plus where and when they were ingested."""
    return raw.select(*RAW_COLUMNS).withColumns(
        {"_source_file": F.lit(source), "_ingested_at": F.current_timestamp()}
    )


def clean_customers(
    bronze: DataFrame, *, valid_countries: list[str]
) -> tuple[DataFrame, DataFrame]:
    """Typed, validated, de-duplicated customers, and the rejected rows with their reasons."""
    typed = bronze.select(
        F.expr("try_cast(trim(customer_id) AS BIGINT)").alias("customer_id"),
        F.initcap(F.trim("first_name")).alias("first_name"),
        F.trim("last_name").alias("last_name"),
        F.lower(F.trim("email")).alias("email"),
        F.upper(F.trim("country")).alias("country"),
        F.expr("try_cast(trim(signup_date) AS DATE)").alias("signup_date"),
        F.expr("try_cast(trim(lifetime_value) AS DECIMAL(12, 2))").alias("lifetime_value"),
        F.col("lifetime_value").alias("_raw_value"),
        F.col("signup_date").alias("_raw_date"),
    )
    checks = [
        (F.col("customer_id").isNull(), "missing customer_id"),
        (~F.col("email").rlike(EMAIL_PATTERN), "invalid email"),
        (~F.col("country").isin(valid_countries), "country not served"),
        (F.col("signup_date").isNull(), "invalid signup_date"),
        (F.col("lifetime_value").isNull(), "lifetime_value is not a number"),
        (F.col("lifetime_value") < 0, "negative lifetime_value"),
    ]
    reasons = F.array_compact(
        F.array(*[F.when(failed, F.lit(reason)) for failed, reason in checks])
    )
    judged = typed.withColumn("reject_reasons", reasons)
    rejected = judged.filter(F.size("reject_reasons") > 0)
    valid = judged.filter(F.size("reject_reasons") == 0).drop(
        "reject_reasons", "_raw_value", "_raw_date"
    )
    latest_first = Window.partitionBy("customer_id").orderBy(F.col("signup_date").desc())
    deduplicated = (
        valid.withColumn("_rank", F.row_number().over(latest_first))
        .filter(F.col("_rank") == 1)
        .drop("_rank")
    )
    return deduplicated, rejected


def table_path(config: ProjectConfig, layer: str, table: str) -> Path:
    """Where a table lives locally: `<output_root>/<schema>/<table>`."""
    root = Path(str(config.settings.get("output_root", "out")))
    return root / config.catalog.schema_for(layer) / table


def run(config: ProjectConfig) -> dict[str, int]:
    configure_logging(config)
    logger = get_logger("customer_360.bronze_to_silver", context={"job": "bronze_to_silver"})
    write_parquet = retry(policy=RetryPolicy.from_config(config))(_write_parquet)
    started = time.perf_counter()
    with bind(environment=config.environment, run_id=time.strftime("%Y%m%dT%H%M%S")):
        spark = SparkSessionFactory.create(config)
        logger.info(
            "spark session ready",
            extra_fields={"spark_version": spark.version, "master": spark.sparkContext.master},
        )
        source = str(config.settings["source_file"])
        raw = spark.read.csv(source, header=True, inferSchema=False)
        bronze = to_bronze(raw, source=source).cache()
        bronze_table = config.catalog.get_table_name("bronze", "customers")
        write_parquet(bronze, table_path(config, "bronze", "customers"))
        logger.info("bronze written", extra_fields={"table": bronze_table, "rows": bronze.count()})

        silver, rejected = clean_customers(
            bronze, valid_countries=list(config.settings["valid_countries"])
        )
        silver, rejected = silver.cache(), rejected.cache()  # written, then counted
        silver_table = config.catalog.get_table_name("silver", "customers")
        write_parquet(silver, table_path(config, "silver", "customers"))
        write_parquet(rejected, table_path(config, "silver", "customers_rejected"))
        counts = {
            "rows_in": bronze.count(),
            "rows_valid": silver.count(),
            "rows_rejected": rejected.count(),
        }
        counts["duplicates_removed"] = (
            counts["rows_in"] - counts["rows_valid"] - counts["rows_rejected"]
        )
        for row in rejected.select("customer_id", "email", "reject_reasons").collect():
            logger.warning(
                "row rejected",
                extra_fields={"customer_id": row.customer_id, "reasons": row.reject_reasons},
            )
        logger.info(
            "silver written", extra_fields={"table": silver_table, "rows": counts["rows_valid"]}
        )
        log_metrics(
            {**counts, "seconds": round(time.perf_counter() - started, 2)},
            tags={"job": "bronze_to_silver", "table": silver_table},
        )
    return counts


def _write_parquet(df: DataFrame, path: Path) -> None:
    df.write.mode("overwrite").parquet(str(path))


def main() -> int:
    config = load_config()
    try:
        run(config)
    finally:
        SparkSessionFactory.reset()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
