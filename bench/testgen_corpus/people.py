"""People transforms: string functions, UDFs, classes and higher-order transforms."""

from __future__ import annotations

from collections.abc import Callable

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import StringType


@F.udf(returnType=StringType())
def initials(full_name: str | None) -> str | None:
    if full_name is None:
        return None
    return "".join(part[0].upper() for part in full_name.split() if part)


def normalize_names(people: DataFrame) -> DataFrame:
    return people.withColumn("full_name", F.initcap(F.trim(F.col("full_name")))).withColumn(
        "email", F.lower("email")
    )


def with_initials(people: DataFrame) -> DataFrame:
    return people.withColumn("initials", initials(F.col("full_name")))


def email_domains(people: DataFrame) -> DataFrame:
    return people.filter(F.col("email").contains("@")).withColumn(
        "domain", F.regexp_extract("email", "@(.*)$", 1)
    )


def adults(people):
    return people.filter(people.age >= 18).withColumnRenamed("age", "age_years")


def with_prefix(prefix: str = "user_") -> Callable[[DataFrame], DataFrame]:
    def inner(df: DataFrame) -> DataFrame:
        return df.withColumn("handle", F.concat(F.lit(prefix), F.col("username")))

    return inner


class PeopleCleaner:
    """Removes test accounts and people without a name."""

    def __init__(self, blocked_domain: str = "example.com") -> None:
        self.blocked_domain = blocked_domain

    def clean(self, people: DataFrame) -> DataFrame:
        return people.dropna(subset=["full_name"]).filter(
            ~F.col("email").endswith(self.blocked_domain)
        )
