"""Small, typed data sets for the profiler tests, written as real files into tmp folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

CUSTOMERS_CSV = """\
id,name,country,amount,signup,active
1,Ann,NL,10.5,2024-01-03,true
2,Bob,DE,20.0,2024-02-10,false
3,Cid,NL,,2024-03-15,true
4,Dee,BE,40.25,2024-01-20,true
5,Eve,NL,5.0,,false
6,Fay,DE,1000.0,2024-05-01,true
7,Gus,NL,12.0,2024-02-02,true
8,Hal,DE,18.5,2024-03-03,false
"""

MIXED_SCHEMA = (
    "id long, category string, score double, day date, seen timestamp, flag boolean,"
    " tags array<string>, attrs map<string,int>, address struct<city:string,zip:string>,"
    " payload binary, nothing string, price decimal(10,2)"
)


def mixed_rows(count: int = 400) -> list[tuple]:
    rows = []
    for i in range(count):
        rows.append(
            (
                i,
                ["red", "green", "blue"][i % 3] if i % 10 else None,
                float(i % 50) if i % 25 else float("nan"),
                dt.date(2024, 1, 1) + dt.timedelta(days=i % 30),
                dt.datetime(2024, 1, 1, 8) + dt.timedelta(minutes=7 * i),
                i % 4 == 0,
                [f"t{i % 3}", "x"] if i % 2 else [],
                {"k": i} if i % 5 else None,
                (f"city{i % 7}", f"{1000 + i}"),
                bytes([i % 256, 1]),
                None,
                None if i % 9 == 0 else __import__("decimal").Decimal(f"{i % 100}.25"),
            )
        )
    return rows


@pytest.fixture
def customers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS_CSV)
    return path


@pytest.fixture(scope="module")
def mixed_parquet(spark, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mixed") / "mixed.parquet"
    spark.createDataFrame(mixed_rows(), MIXED_SCHEMA).coalesce(1).write.parquet(str(path))
    return path
