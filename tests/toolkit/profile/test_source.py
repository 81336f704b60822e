"""What SOURCE means, and the errors for sources that cannot be profiled."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import ToolkitError
from toolkit.profile.source import read_source, resolve_source


def test_existing_path_wins_over_table_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "main.sales.orders"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes(b"PAR1")
    source = resolve_source("main.sales.orders")
    assert (source.kind, source.format) == ("path", "parquet")


def test_three_part_name_is_a_table_and_anything_else_names_both_readings() -> None:
    assert resolve_source("main.`my-schema`.orders").kind == "table"
    with pytest.raises(ToolkitError) as caught:
        resolve_source("sales.orders")
    message = str(caught.value)
    assert "no file or folder at this path" in message
    assert "catalog.schema.table" in message


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["part-0.csv", "_SUCCESS"], "csv"),
        (["a.json", ".hidden.parquet"], "json"),
        (["_delta_log/000.json", "part-0.parquet"], "delta"),
    ],
)
def test_folder_formats(tmp_path: Path, files: list[str], expected: str) -> None:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert resolve_source(str(tmp_path)).format == expected


def test_folder_problems_are_named(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ToolkitError, match="no Parquet, CSV or JSON files"):
        resolve_source(str(tmp_path))
    (tmp_path / "a.csv").write_text("x")
    (tmp_path / "b.parquet").write_text("x")
    with pytest.raises(ToolkitError, match=r"mixes formats \(csv, parquet\)"):
        resolve_source(str(tmp_path))
    with pytest.raises(ToolkitError, match=r"unknown file type '\.txt'"):
        resolve_source(str(tmp_path / "notes.txt"))


@pytest.mark.slow
def test_unreadable_file_and_missing_table(spark, tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"this is not parquet at all")
    with pytest.raises(ToolkitError, match=r"broken.parquet: cannot be read as parquet"):
        read_source(spark, resolve_source(str(broken)))
    with pytest.raises(ToolkitError, match=r"no such table: this Spark session has no catalog"):
        read_source(spark, resolve_source("nocat.nodb.notable"))
    with pytest.raises(ToolkitError, match=r"'spark_catalog\.default\.absent': no such table"):
        read_source(spark, resolve_source("spark_catalog.default.absent"))


@pytest.mark.slow
def test_table_source_is_read(spark, temp_table) -> None:
    name = temp_table(spark.createDataFrame([(1, "a"), (2, "b")], "id int, v string"))
    df = read_source(spark, resolve_source(f"spark_catalog.default.{name}"))
    assert df.count() == 2


@pytest.mark.slow
def test_delta_folder_without_delta_support_is_a_clear_error(spark, tmp_path: Path) -> None:
    table = tmp_path / "orders"
    (table / "_delta_log").mkdir(parents=True)
    (table / "_delta_log" / "00000000000000000000.json").write_text("{}\n")
    source = resolve_source(str(table))
    assert source.format == "delta"
    with pytest.raises(ToolkitError, match="is a Delta table, and this Spark session cannot"):
        read_source(spark, source)
